"""What the readings of the uncertain dates allow: bounds on the counts, certain cells, the early step table.

``status`` keeps, for each state × treaty with a date known less precisely than a day, the steps of each reading
(``status._reading_steps``; ``readings`` says what a reading is). This module answers the questions that run over
many days or states at once: which states are counted on a day in every reading, in some, in none (the bounds of
``parties``); by how much each day's count can go down or up (``party_counts``); whether a panel's cell is the same
in every reading (``certain``); and the step table of the early reading, so that a panel, an event panel or the
spells can be drawn in each of the two readings that bound the others. Pairs without an uncertain act never reach
this module's loops: the common case costs one empty-dict test.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .dataset import Dataset
from .status import _engine, _reading_steps, _transitions, possible_codes

__all__ = [
    "READINGS",
    "affected",
    "reading_codes",
    "day_bounds",
    "series_bounds",
    "steps_for",
    "certain_grid",
    "certain_cells",
]

#: The two readings a panel or spells table can be drawn in: every uncertain act at its last alternative (the
#: base, counted once it surely happened) or at its first.
READINGS = ("late", "early")


def affected(ds: Dataset, treaty: str | None = None) -> list[tuple[str, str]]:
    """The state × treaty pairs whose status depends on an uncertain act (of one treaty, if given)."""
    return sorted(key for key in _engine(ds).affected if treaty is None or key[1] == treaty)


def _count(ds: Dataset, key: tuple[str, str]) -> int:
    eng = _engine(ds)
    return int(np.prod([len(a.options) for src in eng.affected[key] for a in eng.uncertain.get(src, [])]))


def reading_codes(ds: Dataset, key: tuple[str, str], days) -> np.ndarray:
    """A pair's status codes on ``days`` (datetime64 values), one row per reading, the early first, the late last."""
    rs = _by_pair(ds).get(key)
    days = np.asarray(days, dtype="datetime64[ns]")
    out = np.zeros((_count(ds, key), len(days)), dtype=np.int8)
    if rs is None:
        return out
    for n, part in rs.groupby("reading", sort=True):
        dates, codes = part["date"].to_numpy(), part["code"].to_numpy()
        pos = np.searchsorted(dates, days, side="right") - 1
        out[n] = np.where(pos >= 0, codes[np.clip(pos, 0, None)], 0)
    return out


@lru_cache(maxsize=4)
def _by_pair(ds: Dataset) -> dict:
    rs = _reading_steps(ds)
    return {key: part for key, part in rs.groupby(["state", "treaty"], sort=False)}


def day_bounds(ds: Dataset, treaty: str, day: pd.Timestamp, counted) -> tuple[set[str], set[str], set[str]]:
    """Among the states whose status in ``treaty`` depends on an uncertain act: those counted (their code in
    ``counted``) on ``day`` in every reading, in some but not all, and in none."""
    always, sometimes, never = set(), set(), set()
    codes = possible_codes(ds, day)  # as status_table reads the day
    for key in affected(ds, treaty):
        flags = np.isin(codes[key], list(counted))
        (always if flags.all() else sometimes if flags.any() else never).add(key[0])
    return always, sometimes, never


def series_bounds(ds: Dataset, treaty: str, days: pd.DatetimeIndex, counted) -> tuple[np.ndarray, np.ndarray]:
    """By how much the count on each of ``days`` can be lower and higher than the late reading's (the base)."""
    low, high = np.zeros(len(days), dtype=int), np.zeros(len(days), dtype=int)
    for key in affected(ds, treaty):
        flags = np.isin(reading_codes(ds, key, days.values), list(counted)).astype(int)
        low += flags.min(axis=0) - flags[-1]
        high += flags.max(axis=0) - flags[-1]
    return low, high


def steps_for(ds: Dataset, reading: str = "late") -> pd.DataFrame:
    """The step table (state, treaty, date, code) of a reading: ``late`` is the base table itself; ``early`` has
    every pair with an uncertain act at its early reading."""
    if reading not in READINGS:
        raise ValueError(f"reading must be 'late' or 'early', not {reading!r}")
    return _transitions(ds) if reading == "late" or not _engine(ds).affected else _early(ds)


@lru_cache(maxsize=4)
def _early(ds: Dataset) -> pd.DataFrame:
    tr, rs = _transitions(ds), _reading_steps(ds)
    keys = pd.MultiIndex.from_frame(tr[["state", "treaty"]])
    mine = pd.MultiIndex.from_tuples(affected(ds), names=["state", "treaty"])
    early = rs[rs["reading"] == 0].drop(columns="reading")
    out = pd.concat([tr[~keys.isin(mine)], early], ignore_index=True)
    return out.sort_values(["state", "treaty", "date"], kind="stable").reset_index(drop=True)


def certain_grid(ds: Dataset, pairs, days) -> np.ndarray:
    """pairs × days: True where every reading gives the same status (everywhere for a pair without an uncertain
    act); ``pairs`` a sequence of (state, treaty), ``days`` datetime64 values."""
    out = np.ones((len(pairs), len(days)), dtype=bool)
    where = {key: i for i, key in enumerate(pairs)}
    for key in affected(ds):
        if key in where:
            codes = reading_codes(ds, key, days)
            out[where[key]] = (codes == codes[-1]).all(axis=0)
    return out


def certain_cells(ds: Dataset, states, treaties, days) -> np.ndarray:
    """For rows (state, treaty, day): True where every reading gives the same status (all rows of pairs without an
    uncertain act)."""
    states, treaties = np.asarray(states), np.asarray(treaties)
    days = np.asarray(days, dtype="datetime64[ns]")
    out = np.ones(len(states), dtype=bool)
    for key in affected(ds):
        rows = np.flatnonzero((states == key[0]) & (treaties == key[1]))
        if len(rows):
            codes = reading_codes(ds, key, days[rows])
            out[rows] = (codes == codes[-1]).all(axis=0)
    return out
