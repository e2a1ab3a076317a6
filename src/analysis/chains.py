"""The chain of each exit, link by link: announcement, government decision, each chamber's vote, the law (its
promulgation), the notice to the depositary and its number, the effect.

Every link is either dated by a row of the data (with its source) or explained in ``data/step_gaps.csv``: not
found (and where it was looked for) or not applicable (and why). A link neither dated nor explained is
``not checked``: the audit has not reached it yet. ``exit_steps`` is the audit; ``unmatched_gaps`` lists the
explanations that name no exit on record (an explanation of nothing is an error the tests catch).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import pandas as pd

from .countries import resolve_country
from .dataset import Dataset, load
from .exits import STEP_WINDOW_DAYS, floor_day, withdrawals
from .schema import CONSENT, EXIT_ACTIONS, EXIT_LINKS
from .status import as_day, resolve_treaty

__all__ = ["exit_steps", "unmatched_gaps", "CHAIN_KINDS", "CHAIN_COLUMNS"]

#: The acts whose chains are audited: every exit, and a treaty's termination (its end for the state).
CHAIN_KINDS = EXIT_ACTIONS + ("termination",)
#: One row per link of one exit's chain (docs/codebook.md, "exit_steps").
CHAIN_COLUMNS = [
    "state", "treaty", "kind", "exit_date", "link", "date", "date_edtf", "finding", "ref", "source", "looked_in",
    "note",
]  # fmt: skip
#: The actions that date a domestic link; the notice, its number and the effect come from the exit itself.
_DATED_BY = {
    "announcement": ("announcement", "statement"),
    "decision": ("decree",),
    "vote": ("parliament_vote",),
    "law": ("law",),
    "notice": ("communication",),
}
#: Exits whose own row is the notice to the depositary or the other parties (a suspension or a revocation may
#: be a law or a decree: its notice is then a `communication` row, or a link explained in step_gaps.csv).
_NOTICE_KINDS = ("withdrawal", "signature_withdrawal")
#: The columns a chain reads of an exit, and of a domestic step.
_ACT_COLUMNS = [
    "state", "treaty", "date", "action", "effective_date", "effective_date_edtf", "date_edtf", "source_kind", "ref",
    "source", "note",
]  # fmt: skip
_STEP_COLUMNS = ["state", "treaty", "date", "date_edtf", "action", "ref", "source", "note"]
#: A suspension of a treaty the UN Secretary-General holds is known from its notification to him.
_UN = "UN Secretary-General"


def _is_notice(act, depositary: str) -> bool:
    """Whether the exit's own row is its notice: a withdrawal or a withdrawn signature, a row read from the
    depositary's record, or a suspension of a treaty the UN Secretary-General holds."""
    return (
        act.action in _NOTICE_KINDS
        or act.source_kind == "depositary"
        or (act.action == "suspension" and depositary == _UN)
    )


def exit_steps(ds: Dataset | None = None, since=None, state=None, treaty=None) -> pd.DataFrame:
    """One row per link of every exit's chain (the exits on or after `since`, of one state or one treaty).

    ``finding`` is ``dated`` (``date``, or ``date_edtf`` for a row known less precisely than a day, and
    ``source`` from the row that dates it), ``not found`` (``looked_in``
    says where it was looked for), ``not applicable`` (``note`` says why) or ``not checked``. A link may have
    several rows: each chamber's vote, or a vote found beside one not found.
    """
    ds = ds or load()
    state = resolve_country(state) if state is not None else None
    out = _chains(ds, state, resolve_treaty(treaty, ds) if treaty is not None else None)
    if since is not None:
        out = out[out["exit_date"] >= as_day(since, "since")]
    return out.reset_index(drop=True)


def unmatched_gaps(ds: Dataset | None = None) -> pd.DataFrame:
    """The rows of step_gaps.csv that name no exit on record (state, treaty and the exit's day)."""
    ds = ds or load()
    acts = _acts(ds)
    known = set(zip(acts["state"], acts["treaty"], acts["date"]))
    gaps = ds.step_gaps
    keep = [key not in known for key in zip(gaps["state"], gaps["treaty"], gaps["exit_date"])]
    return gaps[keep].reset_index(drop=True)


@lru_cache(maxsize=4)
def _acts(ds: Dataset) -> pd.DataFrame:
    """The exits and terminations; one known less precisely than a day (EDTF) is keyed by its earliest day."""
    events = ds.events
    acts = events[events["action"].isin(CHAIN_KINDS)].copy()
    if "date_earliest" in acts:
        acts["date"] = acts["date"].fillna(acts["date_earliest"])
    return acts.sort_values(["state", "treaty", "date"])


class _Row(NamedTuple):
    """What a chain row reads of the row that dates a link (a step, the exit itself, or its effect)."""

    date: pd.Timestamp
    date_edtf: str
    ref: str
    source: str
    note: str


def _by_pair(table: pd.DataFrame, columns: list[str]) -> dict[tuple[str, str], list]:
    """A table's rows as records (``columns``, and ``Index``: the row's label), listed per (state, treaty) pair in
    the table's order. Records, not frames: a chain filters a pair's few rows many times, and each boolean mask
    over a frame cost ~0.1-1 ms (most of a chain's time)."""
    out: dict[tuple[str, str], list] = {}
    for record in table[[c for c in columns if c in table]].itertuples(index=True):
        out.setdefault((record.state, record.treaty), []).append(record)
    return out


@lru_cache(maxsize=4)
def _pair_tables(ds: Dataset) -> tuple[dict, dict, dict, dict, dict]:
    """What every chain reads, made once per dataset and split by pair: the acts, the domestic steps (one known
    less precisely than a day placed by its latest day), the consents' days, the step_gaps.csv rows, and each
    exit's effect from the exits table."""
    events = ds.events
    steps = events[events["action"].isin(sum(_DATED_BY.values(), ()))].copy()
    if "date_latest" in steps:
        steps["date"] = steps["date"].fillna(steps["date_latest"])
    consents = _by_pair(events[events["action"].isin(CONSENT)], ["state", "treaty", "date"])
    table = withdrawals(ds)
    keys = zip(table["state"], table["treaty"], table["kind"], table["notice_deposited"])
    effective = dict(zip(keys, table["effective"]))
    return (
        _by_pair(_acts(ds), _ACT_COLUMNS),
        _by_pair(steps, _STEP_COLUMNS),
        {pair: [r.date for r in rows] for pair, rows in consents.items()},
        _by_pair(ds.step_gaps, ["state", "treaty", "exit_date", "link", "finding", "looked_in", "note"]),
        effective,
    )


def _assign_steps(acts: dict, steps: dict, consents: dict, chosen: list) -> dict[tuple, list]:
    """Each step row goes to the first exit of its pair whose window holds it: after the exit's floor
    (``exits.floor_day``, read from all the pair's acts) and at most STEP_WINDOW_DAYS after the act (a law that
    formalises a suspension follows it); for the ``chosen`` acts (whole pairs, in order)."""
    after = pd.Timedelta(days=STEP_WINDOW_DAYS)
    taken: set = set()
    out = {}
    for act in chosen:
        pair = (act.state, act.treaty)
        earlier = [a.effective_date for a in acts.get(pair, []) if a.date < act.date]
        floor = floor_day(act.date, consents.get(pair, []), earlier)
        mine = [s for s in steps.get(pair, []) if floor < s.date <= act.date + after and s.Index not in taken]
        taken |= {s.Index for s in mine}
        out[(act.state, act.treaty, act.date, act.action)] = mine
    return out


def _dated(act, link: str, rows: list) -> list[dict]:
    base = {"state": act.state, "treaty": act.treaty, "kind": act.action, "exit_date": act.date, "link": link}
    return [
        {**base, "date": pd.NaT if getattr(r, "date_edtf", "") else r.date, "date_edtf": getattr(r, "date_edtf", ""),
         "finding": "dated", "ref": r.ref, "source": r.source, "looked_in": "", "note": r.note}
        for r in rows
    ]  # fmt: skip


def _links(act, steps: list, effective, depositary: str) -> dict[str, list[dict]]:
    """The rows that date each link of one exit."""
    links = {link: _dated(act, link, [s for s in steps if s.action in acts]) for link, acts in _DATED_BY.items()}
    own = _Row(act.date, getattr(act, "date_edtf", ""), act.ref, act.source, act.note)
    if _is_notice(act, depositary):
        links["notice"] = _dated(act, "notice", [own]) + links["notice"]
    links["notice_ref"] = [dict(row, link="notice_ref") for row in links["notice"] if row["ref"]]
    # an effect known less precisely than a day, or the effect of an act itself so known, keeps its EDTF text
    uncertain = getattr(act, "effective_date_edtf", "") or getattr(act, "date_edtf", "")
    effect_edtf = uncertain if pd.isna(act.effective_date) else ""
    effect = own._replace(date=effective, ref="", date_edtf=effect_edtf)
    links["effect"] = _dated(act, "effect", [effect]) if pd.notna(effective) or effect_edtf else []
    return links


def _explained(act, link: str, gaps: list, dated: bool) -> list[dict]:
    """The step_gaps.csv rows (``gaps``: this exit's, as records) for this link of this exit (``*``: every link no
    row dates)."""
    mine = [g for g in gaps if g.link == link or (g.link == "*" and not dated)]
    base = {"state": act.state, "treaty": act.treaty, "kind": act.action, "exit_date": act.date, "link": link}
    rows = [
        {**base, "date": pd.NaT, "date_edtf": "", "finding": g.finding, "ref": "", "source": "",
         "looked_in": g.looked_in, "note": g.note}
        for g in mine
    ]  # fmt: skip
    if not rows and not dated:
        rows = [{**base, "date": pd.NaT, "date_edtf": "", "finding": "not checked", "ref": "", "source": "",
                 "looked_in": "", "note": ""}]  # fmt: skip
    return rows


@lru_cache(maxsize=64)
def _chains(ds: Dataset, state: str | None = None, treaty: str | None = None) -> pd.DataFrame:
    """Every link of every exit on record, or of one state's or one treaty's (cached per dataset and choice).

    Choosing first is exact, not an approximation: an exit's links read only the acts and steps of its own state
    × treaty pair (``_assign_steps``), and the choice keeps whole pairs. A country page thus pays for its own
    exits, not for all of them (0.4 s once per kernel)."""
    acts, steps, consents, gaps, table = _pair_tables(ds)
    chosen = [
        act
        for (s, t), pair_acts in acts.items()
        if (state is None or s == state) and (treaty is None or t == treaty)
        for act in pair_acts
    ]
    assigned = _assign_steps(acts, steps, consents, chosen)
    depositaries = ds.treaties["depositary"].to_dict()
    rows = []
    for act in chosen:
        key = (act.state, act.treaty, act.action, act.date)
        effective = table.get(key, act.effective_date if pd.notna(act.effective_date) else act.date)
        links = _links(act, assigned[(act.state, act.treaty, act.date, act.action)], effective,
                       depositaries.get(act.treaty, ""))  # fmt: skip
        mine = [g for g in gaps.get((act.state, act.treaty), []) if g.exit_date == act.date]  # once, not per link
        for link in EXIT_LINKS:
            rows += links[link] + _explained(act, link, mine, bool(links[link]))
    out = pd.DataFrame(rows, columns=CHAIN_COLUMNS)
    out["date"] = pd.to_datetime(out["date"])
    return out.sort_values(["exit_date", "state", "treaty"], kind="stable").reset_index(drop=True)
