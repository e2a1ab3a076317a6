"""The explorer's numbers and rows (``analysis.explore`` draws them): a selection, the record's span, the states
one can pick, the count of states bound and its bounds on a day, and the exits of a selection.

Apart from the drawing so that each stays one concern and a short module; ``analysis.explore`` re-exports the
public names. The daily counts are computed once per treaty and cached: moving the day only looks a number up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .countries import country_name, resolve_countries
from .counts import party_counts
from .dataset import Dataset, load
from .exits import withdrawals
from .status import as_day, resolve_treaty
from .uncertainty import affected, steps_for

__all__ = [
    "Selection",
    "record_span",
    "state_options",
    "search_states",
    "party_count",
    "party_bounds",
    "exits_table",
    "unsure_spans",
]


@dataclass(frozen=True)
class Selection:
    """What the explorer looks at: one treaty, some states (ISO3), one day."""

    treaty: str
    states: tuple[str, ...]
    day: pd.Timestamp


def record_span(treaty: str, ds: Dataset | None = None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first day the record speaks of the treaty (its adoption or first act) and the data's status date.

    Acts, not status steps: a state's "not yet a state" step is dated at the origin of the lifetimes, not in the
    treaty's record.
    """
    ds = ds or load()
    tid = resolve_treaty(treaty, ds)
    first = ds.events.loc[ds.events["treaty"] == tid, "date"].min()
    adopted = ds.treaties.loc[tid, "adopted"]
    first = min(d for d in (first, adopted) if pd.notna(d))
    return pd.Timestamp(first), pd.Timestamp(ds.status_date)


def state_options(ds: Dataset | None = None) -> list[tuple[str, str]]:
    """Every state with a record, as (``"Name (ISO3)"``, ISO3), sorted by name."""
    ds = ds or load()
    codes = sorted(set(ds.events["state"]))
    return sorted(((f"{country_name(code)} ({code})", code) for code in codes), key=lambda item: item[0])


def search_states(text: str, options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The options whose name or code contains ``text`` (any case); all of them for an empty search."""
    needle = text.strip().lower()
    return [item for item in options if needle in item[0].lower()] if needle else list(options)


@lru_cache(maxsize=32)
def _daily_counts(tid: str, ds: Dataset) -> pd.DataFrame:
    return party_counts(tid, freq="D", ds=ds)


def party_count(treaty: str, day, ds: Dataset | None = None) -> int:
    """States bound by the treaty (in force for them) on the day: a look-up in the cached daily counts."""
    ds = ds or load()
    counts = _daily_counts(resolve_treaty(treaty, ds), ds)["parties"]
    day = as_day(day)
    if day < counts.index[0]:
        return 0
    return int(counts.iloc[counts.index.searchsorted(day, side="right") - 1])


def exits_table(treaty: str, states, day, ds: Dataset | None = None) -> pd.DataFrame:
    """The exits from the treaty noticed by the day, by the selected states (all states if none is selected)."""
    ds = ds or load()
    tid, day = resolve_treaty(treaty, ds), as_day(day)
    table = withdrawals(ds, on=day)
    table = table[(table["treaty"] == tid) & (table["notice_deposited"] <= day)]
    if states:  # names and codes, as everywhere else: ["Lithuania"] or "LTU" used to select nothing
        table = table[table["state"].isin(resolve_countries(states))]
    columns = ["name", "kind", "announced", "notice_deposited", "effective", "notice_required", "status"]
    columns += ["notice_edtf", "effective_edtf"]  # the dates the sources give less precisely, for the words
    return table[columns].reset_index(drop=True)


def party_bounds(treaty: str, day, ds: Dataset | None = None) -> tuple[int, int]:
    """The fewest and the most states bound on the day that the readings of the uncertain dates allow
    (``party_counts``' ``lower``, ``upper``): equal where every date that matters is known to the day."""
    ds = ds or load()
    counts = _daily_counts(resolve_treaty(treaty, ds), ds)[["lower", "upper"]]
    row = counts.index.searchsorted(as_day(day), side="right") - 1
    return (0, 0) if row < 0 else (int(counts.iloc[row, 0]), int(counts.iloc[row, 1]))


def unsure_spans(tid: str, state: str, last: pd.Timestamp, ds: Dataset) -> list[tuple]:
    """The stretches in which the state's status in the treaty depends on how an uncertain date is read: where the
    early reading's steps and the late one's (the bars) give different statuses."""
    if (state, tid) not in affected(ds, tid):
        return []
    late, early = (s[(s["state"] == state) & (s["treaty"] == tid)] for s in (steps_for(ds), steps_for(ds, "early")))
    days = sorted(set(late["date"]) | set(early["date"]))
    at = [s.groupby("date")["code"].last().reindex(days).ffill().to_numpy() for s in (late, early)]
    ends = [*days[1:], last]
    return [(a, b) for a, b, x, y in zip(days, ends, *at) if x != y]
