"""Who was bound by what on which day.

Each state × treaty history is turned once into a step function: a table of transitions (the day a new status
starts). Any question about a date, a period or a count is then a vectorized look-up in that table, not a loop
over events.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from . import lifetimes, readings
from .countries import resolve_countries, resolve_country
from .dataset import Dataset, load
from .lookup import (
    BeyondRecordWarning,
    Status,
    UnknownTreatyError,
    as_day,
    beyond_record,
    later_source,
    record_end,
    record_flags,
    resolve_treaties,
    resolve_treaty,
    suspension_not_on_page,
)
from .machine import entry_into_force_for, pair_transitions, run_pair, treaty_info
from .schema import DEPOSITED, IN_FORCE, NO_RECORD, STATUS_CODE, STATUSES

__all__ = [
    "BeyondRecordWarning",
    "UnknownTreatyError",
    "Status",
    "resolve_treaty",
    "resolve_treaties",
    "as_day",
    "status",
    "status_table",
    "with_no_record",
    "signatories",
    "transitions",
    "bound_codes",
    "entry_into_force_for",
    "pair_transitions",
]


class _Engine(NamedTuple):
    """What every reading of every pair shares: the treaties' clauses, the links, the lives, the exact events, the
    uncertain acts, and for each pair that has (or inherits) one, the pairs whose events it reads."""

    info: dict
    carry: dict
    succession_day: dict
    lives: dict
    exact: dict
    uncertain: dict
    affected: dict


@lru_cache(maxsize=4)
def _engine(ds: Dataset) -> _Engine:
    info = {t: treaty_info(r) for t, r in ds.treaties.iterrows()}
    carry, succession_day = lifetimes.links(ds)
    exact, uncertain = readings.split(ds)
    affected = {}
    for state, treaty in uncertain:
        heirs = [succ for succ, preds in carry.items() for pred, _ in preds if pred == state]
        for who in [state, *heirs]:
            affected[(who, treaty)] = [(who, treaty)] + [(p, treaty) for p, _ in carry.get(who, [])]
    return _Engine(info, carry, succession_day, lifetimes.lives(ds), exact, uncertain, affected)


def _pair_steps(state: str, treaty: str, groups: dict, eng: _Engine) -> list[tuple[date, int]]:
    """One pair's (day, status code) steps from its events (and, across a continuation, its predecessor's)."""
    own = groups.get((state, treaty), [])
    steps = run_pair(own, eng.info[treaty], None, eng.succession_day.get(state))
    for pred, link in eng.carry.get(state, []):
        if (pred, treaty) in groups:
            joint = sorted(groups[(pred, treaty)] + own, key=lambda r: (r[0], r[1]))
            steps = lifetimes.carried_over(
                steps, run_pair(joint, eng.info[treaty], None, eng.succession_day.get(state)), link
            )
    life = eng.lives.get(state, lifetimes.Life())
    return [(d, STATUS_CODE[st]) for d, st in lifetimes.within_lifetime(steps, *life) if d < readings.NEVER]


def _table(rows: list, columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    df["date"] = pd.to_datetime(df["date"])
    # one step per pair (and reading) and day: the last of the day wins
    df = df.drop_duplicates(columns[:-1], keep="last").reset_index(drop=True)
    df["code"] = df["code"].astype(np.int8)
    return df


@lru_cache(maxsize=4)
def _reading_steps(ds: Dataset) -> pd.DataFrame:
    """The steps of every reading of each pair with an uncertain act (state, treaty, reading, date, code); the
    last reading of a pair is its late (base) reading (``readings``)."""
    eng, rows = _engine(ds), []
    for (state, treaty), sources in sorted(eng.affected.items()):
        for n, groups in enumerate(readings.readings(eng.exact, eng.uncertain, sources)):
            rows += [(state, treaty, n, d, code) for d, code in _pair_steps(state, treaty, groups, eng)]
    return _table(rows, ["state", "treaty", "reading", "date", "code"])


@lru_cache(maxsize=4)
def _transitions(ds: Dataset) -> pd.DataFrame:
    """The base step table: every pair's steps, an uncertain pair's at its late reading."""
    eng = _engine(ds)
    pairs = set(eng.exact) | set(eng.affected) | {(s, t) for s in eng.lives for t in eng.info}
    pairs |= {(succ, t) for succ, preds in eng.carry.items() for pred, _ in preds for (p, t) in eng.exact if p == pred}
    late = {}
    if eng.affected:
        rs = _reading_steps(ds)
        last = rs.groupby(["state", "treaty"])["reading"].transform("max")
        for key, part in rs[rs["reading"] == last].groupby(["state", "treaty"], sort=False):
            late[key] = list(zip(part["date"].dt.date, part["code"]))
    rows = []
    for state, treaty in sorted(pairs):
        steps = late.get((state, treaty)) or _pair_steps(state, treaty, eng.exact, eng)
        rows += [(state, treaty, d, code) for d, code in steps]
    return _table(rows, ["state", "treaty", "date", "code"])


#: The status codes of every pair on a day, and the readings' codes, for the last days asked: a country report
#: draws four status tables on its day (its own, its peers', the map's ...) and a build draws hundreds; each
#: recomputed the day's codes from the whole step table. The objects are kept, so identity cannot be fooled.
_ON_DAY: list = []  # [(ds, tr, day, codes)]
_POSSIBLE: list = []  # [(ds, day, codes)]
_DAYS_KEPT = 8


def _codes_on(ds: Dataset, tr: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Each (state, treaty) pair's status code on ``day`` (pairs with no step yet are absent)."""
    for kept_ds, kept_tr, kept_day, codes in _ON_DAY:
        if kept_ds is ds and kept_tr is tr and kept_day == day:
            return codes
    last = tr[tr["date"].values <= day.to_datetime64()].drop_duplicates(["state", "treaty"], keep="last")
    codes = last.set_index(["state", "treaty"])["code"]
    _ON_DAY[:] = [(ds, tr, day, codes), *_ON_DAY[: _DAYS_KEPT - 1]]
    return codes


def possible_codes(ds: Dataset, day: pd.Timestamp) -> dict[tuple[str, str], tuple[int, ...]]:
    """Each pair with an uncertain act: its status code on ``day`` in each reading, from the early to the late."""
    for kept_ds, kept_day, codes in _POSSIBLE:
        if kept_ds is ds and kept_day == day:
            return codes
    codes = _possible_codes(ds, day)
    _POSSIBLE[:] = [(ds, day, codes), *_POSSIBLE[: _DAYS_KEPT - 1]]
    return codes


def _possible_codes(ds: Dataset, day: pd.Timestamp) -> dict[tuple[str, str], tuple[int, ...]]:
    eng = _engine(ds)
    if not eng.affected:
        return {}
    rs = _reading_steps(ds)
    last = rs[rs["date"].values <= day.to_datetime64()].drop_duplicates(["state", "treaty", "reading"], keep="last")
    codes = dict(zip(zip(last["state"], last["treaty"], last["reading"]), last["code"]))
    out = {}
    for (state, treaty), sources in eng.affected.items():
        count = int(np.prod([len(a.options) for src in sources for a in eng.uncertain.get(src, [])]))
        stored = tuple(int(codes.get((state, treaty, n), 0)) for n in range(count))
        out[(state, treaty)] = _on_day(eng, (state, treaty), day.date()) or stored
    return out


def _on_day(eng: _Engine, key: tuple[str, str], day: date) -> tuple[int, ...] | None:
    """A pair's codes on ``day`` with the readings that put a range straddling the day on the day itself
    (``readings.on_day``); None when no range straddles it (the stored readings say all)."""
    sources = eng.affected[key]
    moved = {src: [readings.on_day(act, day) for act in eng.uncertain.get(src, [])] for src in sources}
    if all(new is old for src in sources for new, old in zip(moved[src], eng.uncertain.get(src, []))):
        return None
    codes = []
    for groups in readings.readings(eng.exact, {**eng.uncertain, **moved}, sources):
        steps = [code for d, code in _pair_steps(*key, groups, eng) if d <= day]
        codes.append(steps[-1] if steps else 0)
    return tuple(codes)


def _uncertain_status(result: Status, ds: Dataset, iso3: str, tid: str, day: pd.Timestamp) -> Status:
    """Mark a status that the readings of an uncertain date do not agree on (``Status.certain``, ``possible``)."""
    eng = _engine(ds)
    seen = tuple(dict.fromkeys(possible_codes(ds, day).get((iso3, tid), ())))
    if len(seen) > 1:
        acts = [act for src in eng.affected[(iso3, tid)] for act in eng.uncertain.get(src, [])]
        result.certain, result._possible = False, tuple(STATUSES[c] for c in seen)
        result.because = "; ".join(act.words for act in readings.in_play(acts, day.date()))
    return result


def transitions(ds: Dataset | None = None) -> pd.DataFrame:
    """All status steps: state, treaty, date (the first day of the new status), status."""
    t = _transitions(ds or load()).copy()
    t["status"] = pd.Categorical.from_codes(t["code"], categories=list(STATUSES))
    return t.drop(columns="code")


def _status_code(tr: pd.DataFrame, iso3: str, tid: str, day: pd.Timestamp) -> int | None:
    steps = tr[(tr["state"] == iso3) & (tr["treaty"] == tid) & (tr["date"] <= day)]
    return int(steps["code"].iloc[-1]) if len(steps) else None


def status(country: str, treaty: str, on=None, ds: Dataset | None = None) -> Status:
    """The status of one state in one treaty on a day (default: the dataset's status date).

    For a treaty whose coverage is 'events' (INF, ABM, New START) a state without an act there is ``NO_RECORD``. A day
    after the treaty's ``known_until`` warns (``BeyondRecordWarning``) and marks a changed status as projected.
    """
    ds = ds or load()
    iso3, tid, day = resolve_country(country), resolve_treaty(treaty, ds), as_day(on, ds=ds)
    tr = _transitions(ds)
    code = _status_code(tr, iso3, tid, day)
    if (code or 0) == 0 and ds.treaties.loc[tid, "coverage"] == "events" and (iso3, tid) not in _acted(ds):
        return Status(NO_RECORD)
    result = Status(STATUSES[code] if code is not None else STATUSES[0])
    if beyond_record([tid], day, ds):
        end = record_end(tid, ds)
        at_end = _status_code(tr, iso3, tid, pd.Timestamp(end))
        result.known_until, result.at_record_end = end, STATUSES[at_end or 0]
        changed = result.at_record_end != str(result)
        result.later_source = later_source(ds, iso3, tid, end, day) if changed else None
        result.projected = changed and result.later_source is None
    if result == "suspended":
        result.not_on_depositary_page = suspension_not_on_page(ds, iso3, tid, day)
    return _uncertain_status(result, ds, iso3, tid, day) if (iso3, tid) in _engine(ds).affected else result


def status_table(on=None, countries=None, treaties=None, ds: Dataset | None = None) -> pd.DataFrame:
    """Every state × treaty status on one day: a long table (state, treaty, status, projected, later_source,
    certain, possible).

    Past a treaty's ``known_until`` a changed status is flagged as ``status()`` flags it: ``projected`` (from the
    record alone) or ``later_source`` (it rests on an act dated after the record, from a later source). Where the
    readings of an uncertain date disagree, ``certain`` is false, ``status`` is the late reading's and
    ``possible`` lists every status the readings allow ("party or signatory"); else ``possible`` is ``status``.
    """
    ds = ds or load()
    day = as_day(on, ds=ds)
    tr = _transitions(ds)
    states = list(dict.fromkeys(resolve_countries(countries))) if countries is not None else _everyone(ds)
    tids = list(dict.fromkeys(resolve_treaties(treaties, ds))) if treaties is not None else list(ds.treaties.index)
    grid = pd.MultiIndex.from_product([states, tids], names=["state", "treaty"])
    codes = _codes_on(ds, tr, day).reindex(grid, fill_value=0).to_numpy()
    out = grid.to_frame(index=False)
    out["status"] = pd.Categorical.from_codes(codes, categories=list(STATUSES))
    out["projected"], out["later_source"] = record_flags(ds, tr, out, codes, day)
    return _mark_uncertain(out, grid, ds, day)


@lru_cache(maxsize=4)
def _acted(ds: Dataset) -> frozenset[tuple[str, str]]:
    """The (state, treaty) pairs with an act of the state itself on record."""
    return frozenset(zip(ds.events["state"], ds.events["treaty"]))


def with_no_record(frame: pd.DataFrame, ds: Dataset | None = None, column: str = "status") -> pd.DataFrame:
    """``frame`` (with ``state``, ``treaty`` and a status column) where a state without any act of its own in a
    treaty held only as curated events (coverage 'events') reads ``NO_RECORD``, not "not signed".

    Why here and not in the engine: "not signed" is the engine's start of every history; only the reader's label
    changes. Every table, map, the explorer, the index and the exports label through this one function, so that
    one page never says it two ways. A categorical column gains the label as its last category.
    """
    ds = ds or load()
    events_only = ds.treaties.index[ds.treaties["coverage"] == "events"]
    mask = (frame[column].astype(str) == STATUSES[0]).to_numpy() & frame["treaty"].isin(events_only).to_numpy()
    # of those, the pairs without an act: a set lookup for the few rows left (a MultiIndex of every pair: 6 ms)
    acted, candidates = _acted(ds), np.flatnonzero(mask)
    states, treaties = frame["state"].to_numpy()[candidates], frame["treaty"].to_numpy()[candidates]
    mask[candidates] = [pair not in acted for pair in zip(states, treaties)]
    out = frame.copy()
    if isinstance(out[column].dtype, pd.CategoricalDtype):
        if NO_RECORD not in out[column].cat.categories:
            out[column] = out[column].cat.add_categories([NO_RECORD])
    else:
        out[column] = out[column].astype(object)
    out.loc[mask, column] = NO_RECORD
    return out


def _mark_uncertain(out: pd.DataFrame, grid: pd.MultiIndex, ds: Dataset, day: pd.Timestamp) -> pd.DataFrame:
    """A status table's ``certain`` and ``possible`` columns (the readings of ``possible_codes``)."""
    out["certain"] = True
    out["possible"] = np.asarray(STATUSES, dtype=object)[out["status"].cat.codes.to_numpy()]
    unsure = {key: codes for key, codes in possible_codes(ds, day).items() if len(set(codes)) > 1}
    where = grid.get_indexer(list(unsure)) if unsure else []
    for row, codes in zip(where, unsure.values()):
        if row >= 0:
            out.loc[row, "certain"] = False
            out.loc[row, "possible"] = " or ".join(STATUSES[c] for c in dict.fromkeys(codes))
    return out


@lru_cache(maxsize=4)
def _everyone(ds: Dataset) -> list[str]:
    """Every state with an event or a status step, sorted (iterating the step table's text column costs ~10 ms:
    once per dataset, not per table)."""
    return sorted(set(ds.events["state"]) | set(_transitions(ds)["state"]))


def bound_codes(basis: str) -> list[int]:
    if basis not in ("in_force", "deposited"):
        raise ValueError(f"basis must be 'in_force' or 'deposited', not {basis!r}")
    return [STATUS_CODE[s] for s in (IN_FORCE if basis == "in_force" else DEPOSITED)]


def signatories(treaty: str, on=None, ds: Dataset | None = None) -> list[str]:
    """States whose signature stands on the depositary's list on a day (withdrawn-in-effect and gone ones excluded).

    A continuing or unified successor (Russia for the USSR) holds its predecessor's signature from the link day.
    """
    ds = ds or load()
    tid = resolve_treaty(treaty, ds)
    day = as_day(on, ds=ds)
    first = lifetimes.first_signatures(ds, tid)
    gone = status_table(day, treaties=[tid], ds=ds).query(
        "status in ['withdrawn', 'ceased to exist', 'not yet a state']"
    )["state"]
    return sorted(set(first.index[first <= day]) - set(gone))
