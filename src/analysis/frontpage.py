"""What the site's front page (``index.html``) tells a reader first: the recent exits, the exits in progress, and
the treaties by category with their parties, signatories and exits.

Why a module of its own: the index's builder (``batch.index``) lists what the build made; what happened in the
world is the dataset's to say, computed here from the same functions the reports use (``withdrawals``,
``chains.exit_steps``, ``status_table``), so that the front page and the reports never disagree.
"""

from __future__ import annotations

import pandas as pd

from .chains import exit_steps
from .dataset import Dataset, load
from .dates import describe_edtf
from .doubt import when
from .exits import withdrawals
from .lookup import record_end_said_in_words
from .schema import DEPOSITED, EXIT_KIND_TEXT, IN_FORCE, STEP_ACTIONS
from .status import status, status_table

__all__ = ["recent_exits", "exits_in_progress", "treaties_by_category", "RECENT_YEARS", "RECENT_SHOWN"]

#: How far back the front page's "recent exits" reach from the page's day.
RECENT_YEARS = 3
#: How many of them the front page lists (the newest); it counts the others and points to the overview.
RECENT_SHOWN = 10
_STEP_WORDS = {"parliament_vote": "vote", "law": "law", "decree": "decree", "statement": "statement"}


def _chain_text(chains: pd.DataFrame, state: str, treaty: str, notice) -> list[str]:
    """The dated links of one exit's chain, in order ("announcement 2025-03-18", "notice 2025-08-20" ...)."""
    mine = chains[(chains["state"] == state) & (chains["treaty"] == treaty) & (chains["exit_date"] == notice)]
    steps: dict[str, str] = {}
    for r in mine[(mine["finding"] == "dated") & (mine["link"] != "notice_ref")].itertuples(index=False):
        day = when(r.date) or r.date_edtf
        if day:  # a day, or an EDTF date in words ("effect on or after 20 Feb 2026"), ordered by its first day
            text = f"{r.link} {when(r.date) or describe_edtf(r.date_edtf)}"
            steps.setdefault(text, day.strip("[").replace("..", ""))
    return sorted(steps, key=steps.get)  # in the order they happened


def _exit_row(r, chains: pd.DataFrame, day: pd.Timestamp) -> dict:
    steps = _chain_text(chains, r.state, r.treaty, r.notice_deposited)
    if not steps:  # no chain on record: the exit's own dates
        steps = [f"notice {when(r.notice_deposited)}"] + ([f"effect {when(r.effective)}"] if when(r.effective) else [])
    effect = when(r.effective) or (describe_edtf(r.effective_edtf) if r.effective_edtf else "not known")
    pending = r.status == "pending"  # withdrawals' own reading on the day (an effect known only as "not before")
    return {
        "state": r.state,
        "name": r.name,
        "treaty": r.treaty,
        "treaty_name": r.treaty_name,
        "kind": EXIT_KIND_TEXT.get(r.kind, r.kind),
        "steps": steps,
        "stage": f"notified, effect {effect}" if pending else str(r.status),
    }


def recent_exits(on=None, ds: Dataset | None = None, years: int = RECENT_YEARS) -> list[dict]:
    """The exits whose notice was deposited in the `years` before the day (newest first), each with its steps."""
    ds = ds or load()
    day = pd.Timestamp(on if on is not None else ds.status_date)
    w = withdrawals(ds, on=day.date())
    w = w[(w["notice_deposited"] <= day) & (w["notice_deposited"] > day - pd.DateOffset(years=years))]
    chains = exit_steps(ds)
    return [_exit_row(r, chains, day) for r in w.sort_values("notice_deposited", ascending=False).itertuples()]


def _unnotified(day: pd.Timestamp, ds: Dataset) -> list[dict]:
    """Steps towards an exit (announcement, decree, vote, law) taken while the state was bound, with no notice of
    exit deposited since: an exit announced or voted, not (yet) notified to the depositary."""
    ev = ds.events
    steps = ev[ev["action"].isin(STEP_ACTIONS) & (ev["date"] <= day)].sort_values("date")
    notices = withdrawals(ds, on=day.date())
    rows: dict[tuple[str, str], dict] = {}
    for r in steps.itertuples(index=False):
        later = notices[(notices["state"] == r.state) & (notices["treaty"] == r.treaty)]
        if (later["notice_deposited"] >= r.date).any():
            continue
        with record_end_said_in_words():
            then, now = (str(status(r.state, r.treaty, on=d, ds=ds)) for d in (r.date, day))
        if then not in IN_FORCE or now not in IN_FORCE:
            continue  # a vote to ratify, not to leave; or the treaty has ended for the state since
        row = rows.setdefault((r.state, r.treaty), {"state": r.state, "treaty": r.treaty, "steps": []})
        row["steps"].append(f"{_STEP_WORDS.get(r.action, r.action)} {when(r.date)}")
    for row in rows.values():
        row |= {
            "name": ds.states.loc[row["state"], "name"],
            "treaty_name": ds.treaties.loc[row["treaty"], "short_name"],
        }
        row |= {"kind": "exit announced or voted", "stage": "no notice of exit on record"}
    return list(rows.values())


def exits_in_progress(on=None, ds: Dataset | None = None) -> list[dict]:
    """Exits under way on the day: notified but not yet in effect, then announced or voted but not notified."""
    ds = ds or load()
    day = pd.Timestamp(on if on is not None else ds.status_date)
    w = withdrawals(ds, on=day.date())
    pending = w[(w["notice_deposited"] <= day) & (w["status"] == "pending")]
    chains = exit_steps(ds)
    notified = [_exit_row(r, chains, day) for r in pending.sort_values("notice_deposited").itertuples()]
    return notified + _unnotified(day, ds)


def treaties_by_category(on=None, ds: Dataset | None = None) -> list[tuple[str, list[dict]]]:
    """Per category (in the order of treaties.csv), each treaty's parties (in force), deposits not yet in force,
    signatories and exits noticed by the day; treaties held only as curated events are marked."""
    ds = ds or load()
    day = on if on is not None else ds.status_date
    table = status_table(day, ds=ds)
    counts = pd.crosstab(table["treaty"], table["status"].astype(str))
    get = lambda tid, statuses: int(sum(counts.loc[tid].get(s, 0) for s in statuses))  # noqa: E731
    w = withdrawals(ds, on=day)
    exits = w[w["notice_deposited"] <= pd.Timestamp(day)].groupby("treaty").size()
    out: dict[str, list[dict]] = {}
    for tid, t in ds.treaties.iterrows():
        out.setdefault(t["category"], []).append(
            {
                "tid": tid,
                "name": t["short_name"],
                "full_name": t["full_name"],
                "parties": get(tid, IN_FORCE),
                "deposited": get(tid, DEPOSITED - IN_FORCE),
                "signatories": get(tid, {"signatory"}),
                "exits": int(exits.get(tid, 0)),
                "events_only": t["coverage"] == "events",
            }
        )
    return list(out.items())
