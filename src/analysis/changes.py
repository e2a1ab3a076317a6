"""What changed in the research results since a past release: the exits added and removed, the figures then and now.

Why: a reader of the exit-hazard and contagion pages who knew release 0.3.0 must see what moved and why, without
trusting a number typed by hand. The "then" side is a committed baseline (``baselines/research_0.3.0.json``) that
``tools/research_baseline.py`` writes from the executed outputs the release's notebooks were committed with, and
from the record of the same commit; the "now" side is the run the notebook has just made. ``since_release`` is the
one comparison; its tables go through ``findings``' formatting, so that they read like the rest of the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlparse

import pandas as pd

from .config import BASELINES_DIR
from .contagion import GROUPING_DOC, ContagionTest
from .dataset import Dataset, load
from .doubt import when
from .findings import interval, p_text, ratio
from .models import COVARIATE_DOC, HazardFit
from .schema import EXIT_ACTIONS, describe_edtf

__all__ = ["Changes", "baseline", "since_release"]


@dataclass
class Changes:
    """The comparison, ready to show: a paragraph in words, the exits that changed, the figures side by side."""

    summary: str
    exits: pd.DataFrame
    numbers: pd.DataFrame


def baseline(release: str = "0.3.0") -> dict:
    """The committed baseline of a release; one clear line if there is none."""
    path = BASELINES_DIR / f"research_{release}.json"
    if not path.is_file():
        known = sorted(p.stem.removeprefix("research_") for p in BASELINES_DIR.glob("research_*.json"))
        raise ValueError(f"no research baseline for release {release!r}; known: {', '.join(known) or 'none'}")
    return json.loads(path.read_text(encoding="utf-8"))


def _act(row) -> str:
    """An act of the current record in words: its action, its day (or its EDTF text), its source's site."""
    edtf = row.date_edtf if isinstance(row.date_edtf, str) else ""
    dated = f"of {when(row.date)}" if when(row.date) else (describe_edtf(edtf) if edtf else "undated")
    host = urlparse(row.source).netloc.removeprefix("www.") if isinstance(row.source, str) else ""
    return f"{row.action.replace('_', ' ')} {dated}" + (f" ({host})" if host else "")


def _acts_then(base: dict, state: str, treaty: str) -> list[dict]:
    return [a for a in base["record"]["acts"] if (a["state"], a["treaty"]) == (state, treaty)]


def _acts_now(ds: Dataset, state: str, treaty: str) -> pd.DataFrame:
    ev = ds.events
    return ev[(ev["state"] == state) & (ev["treaty"] == treaty) & ev["action"].isin(EXIT_ACTIONS)]


def _in_year(act_days: list[str], year: int) -> bool:
    return any(str(day)[:4] == str(year) for day in act_days if day)


def _why_added(base: dict, ds: Dataset, state: str, treaty: str, year: int) -> str:
    """Why the model counts an exit the release did not, as far as the two records say."""
    now = _acts_now(ds, state, treaty)
    shown = "; ".join(_act(r) for r in now.itertuples()) or "no exit act"
    if treaty not in base["record"]["treaties"]:
        name = ds.treaties["short_name"].get(treaty, treaty)
        return f"a new instrument in the record ({name}): {shown}"
    then = _acts_then(base, state, treaty)
    if not then:
        return f"an act recorded since {base['release']}: {shown}"
    if not _in_year([d for a in then for d in (a["date"], a["effective_date"])], year):
        return f"date moved: {base['release']} had {', '.join(a['action'] + ' of ' + a['date'] for a in then)}; now {shown}"
    return f"in the {base['release']} record ({', '.join(a['action'] + ' of ' + a['date'] for a in then)}), not counted then"


def _why_removed(base: dict, ds: Dataset, state: str, treaty: str, year: int) -> str:
    if treaty not in ds.treaties.index:
        return "the instrument is no longer in the record"
    now = _acts_now(ds, state, treaty)
    if now.empty:
        return "no exit act of this state and treaty in the record now"
    bounds = [c for c in ("date", "effective_date", "date_earliest", "date_latest") if c in now.columns]
    days = [when(d) for d in pd.concat([now[c] for c in bounds])]  # an uncertain act: its first and last day
    shown = "; ".join(_act(r) for r in now.itertuples())
    return f"in the record ({shown}), not counted in {year} now" if _in_year(days, year) else f"date moved: now {shown}"


def _together(now: pd.DataFrame, column: str, state: str, treaty: str, value) -> str:
    """An added exit taken together with others (``analysis.decisions``), as the run's decisions say."""
    hit = now[(now["state"] == state) & (now["treaty"] == treaty) & (now[column] == value)]
    others = int((now["decision"] == hit["decision"].iloc[0]).sum()) - 1 if len(hit) else 0
    return f"; one decision with {others} other exit{'s' if others > 1 else ''}" if others > 0 else ""


def _exit_changes(then: pd.DataFrame, now: pd.DataFrame, column: str, why, release: str) -> pd.DataFrame:
    """Rows added, removed and of another kind, keyed by state, treaty and ``column`` (year or notice day)."""
    key = ["state", "treaty", column]
    both = then.merge(now, on=key, how="outer", suffixes=("_then", "_now"), indicator="side")
    rows = []
    for r in both.itertuples(index=False):
        k = (r.state, r.treaty, getattr(r, column))
        if r.side == "right_only":
            rows.append(("added", *k, r.kind_now, why("added", *k)))
        elif r.side == "left_only":
            rows.append(("removed", *k, r.kind_then, why("removed", *k)))
        elif r.kind_now not in r.kind_then.split(", "):
            rows.append(("kind changed", *k, r.kind_now, f"counted as {r.kind_then} in {release}"))
    columns = ["Change", "State", "Treaty", "Year" if column == "year" else "Notice", "Kind", "Why"]
    return pd.DataFrame(rows, columns=columns).sort_values([columns[3], "Treaty", "State"], ignore_index=True)


def _names(frame: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    return frame.assign(
        State=frame["State"].map(ds.states["name"]).fillna(frame["State"]),
        Treaty=frame["Treaty"].map(ds.treaties["short_name"]).fillna(frame["Treaty"]),
    )


def _hazard(base: dict, rows: pd.DataFrame, fit: HazardFit, ds: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    then = base["hazard"]
    events = rows[rows["event"] == 1]
    now = pd.DataFrame(
        {"state": events["state"], "treaty": events["treaty"], "year": events["period"].dt.year,
         "kind": events["exit_kind"], "decision": events["decision"]}
    )  # fmt: skip
    old = pd.DataFrame(then["exits"])

    def why(change, state, treaty, year):
        if change == "added":
            return _why_added(base, ds, state, treaty, year) + _together(now, "year", state, treaty, year)
        return _why_removed(base, ds, state, treaty, year)

    exits = _exit_changes(old, now, "year", why, base["release"])
    figures = [
        ("Exits (events)", then["events"], fit.events),
        ("Decisions (exits taken together count once)", "not counted", fit.decisions),
        ("State-years at risk", f"{then['state_years']:,}", f"{fit.rows:,}"),
        ("State–treaty pairs", f"{then['pairs']:,}", f"{fit.pairs:,}"),
        ("States with an exit", then["states_with_events"], fit.states_with_events),
    ]
    for term in dict.fromkeys([*then["terms"], *fit.table.index]):
        if term == "const" or term.startswith("treaty: "):
            continue
        old_t, new_t = then["terms"].get(term), fit.table.loc[term] if term in fit.table.index else None
        figures.append(
            (f"Odds ratio: {COVARIATE_DOC.get(term, term)} (95% interval)",
             f"{ratio(old_t['odds_ratio'])} ({interval(old_t['or_low'], old_t['or_high'])})" if old_t else "not fitted",
             f"{ratio(new_t['odds_ratio'])} ({interval(new_t['or_low'], new_t['or_high'])})" if new_t is not None else "not fitted")
        )  # fmt: skip
    return exits, pd.DataFrame(figures, columns=["Figure", base["release"], "Now"])


def _contagion(base: dict, test: ContagionTest, ds: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    then = base["contagion"]
    now = pd.DataFrame(
        {"state": test.exits["state"], "treaty": test.exits["treaty"],
         "notice": test.exits["notice_deposited"].map(when), "kind": test.exits["kind"],
         "decision": test.exits["decision"]}
    )  # fmt: skip
    old = pd.DataFrame(then["exits"])

    def why(change, state, treaty, notice):
        if change == "added":
            return _why_added(base, ds, state, treaty, int(notice[:4])) + _together(
                now, "notice", state, treaty, notice
            )
        return _why_removed(base, ds, state, treaty, int(notice[:4]))

    exits = _exit_changes(old, now, "notice", why, base["release"])
    params = then["parameters"]
    figures = [
        ("Window (days)", params["window"], test.window),
        ("Same group", GROUPING_DOC.get(params["grouping"], params["grouping"]), GROUPING_DOC[test.grouping]),
        ("Exits tested", then["exits_tested"], len(test.exits)),
        ("Decisions tested (exits taken together count once)", "not counted", len(test.decisions)),
        ("Observed pairs (of exits then, of decisions now)", then["observed"], test.observed),
        ("Expected pairs (mean of the permutations)", f"{then['expected']:.1f}", f"{test.expected:.1f}"),
        ("p-value", then["p_text"], p_text(test.p_value)),
        ("Permutations", then["permutations"], len(test.permuted)),
    ]
    return exits, pd.DataFrame(figures, columns=["Figure", base["release"], "Now"])


def _summary(base: dict, which: str, exits: pd.DataFrame, now: str) -> str:
    counts = exits["Change"].value_counts()
    moved = ", ".join(f"{counts[c]} {c}" for c in ("added", "removed", "kind changed") if c in counts) or "none"
    commit = base["provenance"]["commit"][:7]
    return (
        f"**Since release {base['release']}** (commit {commit}, `{base['provenance']['notebooks'][which]}`): "
        f"the method was {'; '.join(base['method'][which])}. Now: {now}. What changed the record and the "
        f"method: {base['provenance']['changed_by']}. Exits that changed: {moved}. The {base['release']} figures are "
        f"parsed from that release's executed notebook (`{base['provenance']['command']}`)."
    )


def since_release(
    rows: pd.DataFrame | None = None,
    fit: HazardFit | None = None,
    test: ContagionTest | None = None,
    ds: Dataset | None = None,
    release: str = "0.3.0",
) -> Changes:
    """This run against a release's baseline: the hazard model's (``rows`` and ``fit``) or the contagion test's
    (``test``). Exits are compared by state, treaty and year (the model) or notice day (the test)."""
    if (test is None) == (fit is None or rows is None):
        raise ValueError("give either rows and fit (the hazard model) or test (the contagion test)")
    ds, base = ds or load(), baseline(release)
    if test is None:
        exits, numbers = _hazard(base, rows, fit, ds)
        kinds = ", ".join(sorted(set(rows.loc[rows["event"] == 1, "exit_kind"])))
        estimator = "Firth's penalized likelihood with profile-likelihood intervals" if fit.method == "firth" else (
            "a plain maximum-likelihood logit")  # fmt: skip
        now = f"{estimator}, intervals clustered by decision and by state beside them; events: {kinds}"
        return Changes(_summary(base, "hazard", exits, now), _names(exits, ds), numbers)
    exits, numbers = _contagion(base, test, ds)
    now = (
        "exits taken together are one decision (`analysis.decisions`), moved as a whole to random states; the "
        "grid of windows and groupings carries Holm's adjustment"
    )
    return Changes(_summary(base, "contagion", exits, now), _names(exits, ds), numbers)
