"""Spells and event-history panels: the tables a survival or hazard model takes as they are.

Both are read off the status engine's transitions (one step per state × treaty × day), never recomputed from
events, so a spell or a panel row says exactly what ``analysis.status`` says on the same day.

- ``spells()``: one row per state × treaty × status, with the first and the last day of the spell.
- ``event_panel(freq="Y")``: one row per state × treaty × period with ``bound``, whether the state was at risk
  of leaving, the exit event, time since consent, NATO and EU membership, region, and the share of the state's
  group peers (sub-region, NATO, EU) that had left the treaty by the start of the period.

``analysis.panel`` (in ``counts``) is the plain one: the status at each period's end and ``bound``, nothing else,
each treaty's rows from the period it opened for signature.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .counts import opening_days
from .dataset import Dataset, load
from .lifetimes import ORIGIN
from .lookup import check_span
from .schema import CARRY_OVER_KINDS, CONSENT, EXIT_STATUSES, IN_FORCE, STATUS_CODE, STATUSES
from .status import as_day
from .uncertainty import certain_cells, certain_grid, steps_for

__all__ = ["spells", "event_panel", "PANEL_FREQS", "PEER_GROUPS", "SPELL_COLUMNS", "PANEL_COLUMNS"]

#: The panel's period lengths, as pandas spells them (year and month ends).
PANEL_FREQS = {"Y": "YE", "M": "ME", "D": "D"}
#: The groups whose members' exits the panel counts as peers': a column each.
PEER_GROUPS = ("subregion", "NATO", "EU")

#: The columns of ``spells()`` and ``event_panel()``, in order (the codebook documents each).
SPELL_COLUMNS = ("state", "treaty", "spell", "status", "start_day", "end_day", "days", "ongoing", "certain")
PANEL_COLUMNS = (
    "state",
    "treaty",
    "period_start",
    "period",
    "status",
    "bound",
    "certain",
    "at_risk",
    "exit",
    "exit_effective",
    "days_since_consent",
    "years_since_consent",
    "region",
    "subregion",
    "nato",
    "eu",
    "peers_left_subregion",
    "peers_left_nato",
    "peers_left_eu",
    "projected",
)

_EXIT_CODES = np.array(sorted(STATUS_CODE[s] for s in EXIT_STATUSES), dtype=np.int8)
_BOUND_CODES = np.array(sorted(STATUS_CODE[s] for s in IN_FORCE), dtype=np.int8)
_ABSENT = np.array([STATUS_CODE["ceased to exist"], STATUS_CODE["not yet a state"]], dtype=np.int8)
_DAY = np.timedelta64(1, "D")


def _steps(ds: Dataset, reading: str = "late") -> pd.DataFrame:
    """The transitions (of one reading) with a pair number, and repeated statuses folded into one step."""
    steps = steps_for(ds, reading).copy()
    steps["status"] = pd.Categorical.from_codes(steps["code"], categories=list(STATUSES))
    pair_changed = (steps["state"] != steps["state"].shift()) | (steps["treaty"] != steps["treaty"].shift())
    steps = steps[pair_changed | (steps["code"] != steps["code"].shift())].reset_index(drop=True)
    steps["pair"] = (
        (steps["state"] != steps["state"].shift()) | (steps["treaty"] != steps["treaty"].shift())
    ).cumsum() - 1
    return steps


def spells(ds: Dataset | None = None, reading: str = "late") -> pd.DataFrame:
    """One row per state × treaty × status spell: ``start_day`` and ``end_day`` (empty while it runs).

    ``certain`` is 0 for a spell whose first or last day has another status in some reading of an uncertain date;
    ``reading="early"`` gives the spells of the early reading (every uncertain act at its first alternative), the
    default those of the late one (each act from the day it surely happened), so that a model can run on each.

    ``spell`` numbers a pair's spells from 1; ``days`` counts the spell's days up to its end, or up to the
    dataset's status date for a running spell (``ongoing`` = 1: right-censored there). The time before a
    pair's first recorded action ("not signed", no start day) is no spell; a "not yet a state" spell has no
    ``start_day`` (and no ``days``): it ends the day before the state's first day.
    """
    ds = ds or load()
    steps = _steps(ds, reading)
    nxt = steps.groupby("pair")["date"].shift(-1)
    out = steps[["state", "treaty", "status"]].copy()
    out["spell"] = steps.groupby("pair").cumcount().astype("int64") + 1
    # a state that did not yet exist has no first day on record: its spell starts nowhere, not on a sentinel day
    out["start_day"] = steps["date"].mask(steps["date"] == pd.Timestamp(ORIGIN))
    out["end_day"] = nxt - pd.Timedelta(days=1)
    out["ongoing"] = nxt.isna().astype(np.int8)
    censor = pd.Timestamp(ds.status_date)
    last = out["end_day"].fillna(out["start_day"].clip(lower=censor))
    out["days"] = ((last - out["start_day"]).dt.days + 1).astype("Int64")
    first = steps["date"].to_numpy()
    agree = certain_cells(ds, out["state"], out["treaty"], first)
    agree &= certain_cells(ds, out["state"], out["treaty"], last.fillna(steps["date"]).to_numpy())
    out["certain"] = agree.astype(np.int8)
    return out[list(SPELL_COLUMNS)]


def _periods(freq: str, start, end, ds: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """Each period's first and last day (``datetime64[D]``); a last, partial period ends on ``end``."""
    alias = PANEL_FREQS.get(freq)
    if alias is None:
        raise ValueError(f"freq must be one of {', '.join(PANEL_FREQS)}, not {freq!r}")
    first = as_day(start) if start is not None else ds.events["date"].min()  # the first recorded action
    last = as_day(end) if end is not None else _last_known_day(ds)
    check_span(first, last, freq)
    if alias == "YE":
        first = pd.Timestamp(first.year, 1, 1)
    elif alias == "ME":
        first = pd.Timestamp(first.year, first.month, 1)
    ends = pd.date_range(first, last, freq=alias)
    if len(ends) == 0 or ends[-1] < last:
        ends = ends.append(pd.DatetimeIndex([last]))
    ends = ends.values.astype("datetime64[D]")
    starts = np.concatenate([[np.datetime64(first.date(), "D")], ends[:-1] + _DAY])
    return starts, ends


def _last_known_day(ds: Dataset) -> pd.Timestamp:
    """The latest day the data speaks of and that has passed (a scheduled effect next year is not data yet)."""
    today = as_day(None)
    days = pd.concat([ds.events["date"], ds.events["effective_date"]]).dropna()
    days = days[days <= today]
    return max(pd.Timestamp(ds.status_date), days.max() if len(days) else pd.Timestamp(ds.status_date))


def _codes_at(steps: pd.DataFrame, n_pairs: int, days: np.ndarray) -> np.ndarray:
    """The status code of every pair on every day (pairs × days), by one sorted search, no loop."""
    shift = 1 << 30  # days before 1970 stay positive inside the combined key
    key = steps["pair"].to_numpy(np.int64) * (1 << 40) + steps["date"].values.astype("datetime64[D]").astype(np.int64)
    order = np.argsort(key, kind="stable")
    key, codes = key[order] + shift, steps["code"].to_numpy()[order]
    query = (np.arange(n_pairs, dtype=np.int64)[:, None] * (1 << 40) + days.astype(np.int64)[None, :] + shift).ravel()
    pos = np.searchsorted(key, query, side="right") - 1
    same = (pos >= 0) & ((key[np.clip(pos, 0, None)] >> 40) == np.repeat(np.arange(n_pairs), len(days)))
    return np.where(same, codes[np.clip(pos, 0, None)], 0).astype(np.int8).reshape(n_pairs, len(days))


def _event_counts(steps: pd.DataFrame, n_pairs: int, starts: np.ndarray, entering: np.ndarray) -> np.ndarray:
    """How many steps flagged ``entering`` fall in each pair's period (pairs × periods)."""
    out = np.zeros((n_pairs, len(starts)), dtype=np.int8)
    days = steps["date"].values.astype("datetime64[D]")[entering]
    period = np.searchsorted(starts, days, side="right") - 1
    inside = period >= 0
    np.add.at(out, (steps["pair"].to_numpy()[entering][inside], period[inside]), 1)
    return out


def _exit_flags(steps: pd.DataFrame, n_pairs: int, starts: np.ndarray, ends: np.ndarray) -> tuple:
    """Exit events (entering an exit status from any other) and withdrawals taking effect, per pair × period."""
    code = steps["code"].to_numpy()
    before = steps.groupby("pair")["code"].shift(1, fill_value=0).to_numpy()
    is_exit = np.isin(code, _EXIT_CODES)
    entering = is_exit & ~np.isin(before, _EXIT_CODES)
    effective = code == STATUS_CODE["withdrawn"]
    late = steps["date"].values.astype("datetime64[D]") > ends[-1]
    return (
        _event_counts(steps, n_pairs, starts, entering & ~late),
        _event_counts(steps, n_pairs, starts, effective & ~late),
    )


def _membership(ds: Dataset, states: np.ndarray, group: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """1 where a state belonged to NATO or the EU on any day of the period (states × periods)."""
    rows = ds.groups[ds.groups["group"] == group]
    index = {state: i for i, state in enumerate(states)}
    out = np.zeros((len(states), len(starts)), dtype=bool)
    far = np.datetime64("9999-12-31", "D")
    for iso3, joined, left in zip(rows["iso3"], rows["joined"], rows["left"]):
        if iso3 not in index or pd.isna(joined):
            continue
        until = far if pd.isna(left) else np.datetime64(left.date(), "D")
        out[index[iso3]] |= (np.datetime64(joined.date(), "D") <= ends) & (until >= starts)
    return out


def _peer_share(treaty_of: np.ndarray, member: np.ndarray, group_of: np.ndarray, consented, left) -> np.ndarray:
    """Share of a pair's peers (same treaty, same group) that had left, among those that had consented.

    ``member`` says where the pair's state is in the group that period; the pair itself is never its own peer.
    NaN where the state is in no group, or none of its peers had consented.
    """
    keys = treaty_of.astype(np.int64) * (group_of.max() + 1) + group_of
    _, slot = np.unique(keys, return_inverse=True)
    counted = consented & member
    gone = left & member
    # rows sorted by slot, then one running sum per slot (reduceat), for every period at once
    order = np.argsort(slot, kind="stable")
    bounds = np.flatnonzero(np.r_[True, np.diff(slot[order]) != 0])
    total = np.add.reduceat(counted[order].astype(np.int32), bounds, axis=0)
    total_left = np.add.reduceat(gone[order].astype(np.int32), bounds, axis=0)
    peers = total[slot] - counted
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (total_left[slot] - gone) / peers
    return np.where(member & (peers > 0), share, np.nan)


def _first_consent(ds: Dataset, pairs: pd.DataFrame, reading: str = "late") -> np.ndarray:
    """Each pair's first consent; across a continuation or unification, the predecessor's counts (its status
    carries over, so the successor has been bound since the predecessor's consent). A consent dated less precisely
    counts from its last possible day in the late reading, from its first (else its last) in the early one."""
    ev = ds.events[ds.events["action"].isin(CONSENT)]
    if "date_latest" in ev and ev["date"].isna().any():
        bounds = ("date_latest",) if reading == "late" else ("date_earliest", "date_latest")
        ev = ev.assign(date=ev["date"].fillna(ev[bounds[0]]).fillna(ev[bounds[-1]]))
    first = ev.groupby(["state", "treaty"])["date"].min()
    links = ds.successions[ds.successions["kind"].isin(CARRY_OVER_KINDS)]
    for predecessor, successor in zip(links["predecessor"], links["successor"]):
        inherited = first.xs(predecessor, level="state", drop_level=False) if predecessor in first.index else None
        if inherited is None:
            continue
        inherited = inherited.rename(index={predecessor: successor}, level="state")
        first = pd.concat([first, inherited]).groupby(level=["state", "treaty"]).min()
    found = first.reindex(pd.MultiIndex.from_frame(pairs[["state", "treaty"]]))
    return found.to_numpy().astype("datetime64[D]")


def event_panel(
    freq: str = "Y", start=None, end=None, ds: Dataset | None = None, reading: str = "late"
) -> pd.DataFrame:
    """The state × treaty × period panel for event-history models (the codebook defines every column).

    ``freq``: ``"Y"`` (years), ``"M"`` (months) or ``"D"`` (days: give a short ``start``/``end``). Rows run
    from the period of the first recorded action (or ``start``) to the last day the data covers (or ``end``);
    the last period may be partial. Every state × treaty pair with a status step has a row in every period from
    the one in which its treaty opened for signature (``counts.opening_days``): no state is observed in a treaty
    that did not exist yet.
    ``at_risk`` (bound at the period's start) selects the risk set of a model of exits; ``exit`` is the event.
    ``certain`` is 0 where the readings of an uncertain date give another status at the period's end or start;
    ``reading="early"`` draws the panel in the early reading (the default, the late one), to run a model on each.
    """
    ds = ds or load()
    steps = _steps(ds, reading)
    pairs = steps.drop_duplicates("pair")[["state", "treaty"]].reset_index(drop=True)
    starts, ends = _periods(freq, start, end, ds)
    n_pairs = len(pairs)
    check_span(pd.Timestamp(starts[0]), pd.Timestamp(ends[-1]), freq, n_pairs, len(ends))
    at_end = _codes_at(steps, n_pairs, ends)
    at_start = _codes_at(steps, n_pairs, starts - _DAY)
    exits, effective = _exit_flags(steps, n_pairs, starts, ends)
    consent = _first_consent(ds, pairs, reading)
    out = _frame(pairs, starts, ends, at_end, at_start, exits, effective, consent)
    keys = list(zip(pairs["state"], pairs["treaty"]))
    agree = certain_grid(ds, keys, ends.astype("datetime64[ns]")) & certain_grid(ds, keys, (starts - _DAY))
    out["certain"] = agree.ravel().astype(np.int8)
    _add_groups(out, ds, pairs, starts, ends, at_start, consent)
    out["projected"] = _projected(out, ds)
    return _from_opening(out[list(PANEL_COLUMNS)], ds)


def _projected(out: pd.DataFrame, ds: Dataset) -> np.ndarray:
    """1 where the period ends after the day the treaty's record stops (``known_until``, else the data's status
    date): its status is projected from the record, not recorded (an ``end`` of 2099 is no observation)."""
    known = ds.treaties["known_until"].reindex(out["treaty"].cat.categories).fillna(pd.Timestamp(ds.status_date))
    limit = known.to_numpy(dtype="datetime64[s]")[out["treaty"].cat.codes.to_numpy()]
    return (out["period"].to_numpy() > limit).astype(np.int8)


def _from_opening(out: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """The rows of periods that end on or after their treaty's opening (as ``counts.panel`` starts)."""
    opening = opening_days(ds).reindex(out["treaty"].cat.categories).to_numpy(dtype="datetime64[s]")
    keep = out["period"].to_numpy() >= opening[out["treaty"].cat.codes.to_numpy()]
    return out[keep].reset_index(drop=True)


def _repeat_categorical(values: np.ndarray, times: int) -> pd.Categorical:
    """Each value ``times`` times, as a categorical: built from codes, it costs nothing per row."""
    codes, labels = pd.factorize(values, sort=True)
    return pd.Categorical.from_codes(np.repeat(codes, times), categories=pd.Index(labels, dtype="str"))


def _frame(pairs, starts, ends, at_end, at_start, exits, effective, consent) -> pd.DataFrame:
    n_pairs, n_periods = at_end.shape
    out = pd.DataFrame(
        {
            "state": _repeat_categorical(pairs["state"].to_numpy(), n_periods),
            "treaty": _repeat_categorical(pairs["treaty"].to_numpy(), n_periods),
            "period_start": np.tile(starts, n_pairs).astype("datetime64[s]"),
            "period": np.tile(ends, n_pairs).astype("datetime64[s]"),
        }
    )
    out["status"] = pd.Categorical.from_codes(at_end.ravel(), categories=list(STATUSES))
    out["bound"] = np.isin(at_end, _BOUND_CODES).ravel().astype(np.int8)
    out["at_risk"] = np.isin(at_start, _BOUND_CODES).ravel().astype(np.int8)
    out["exit"] = exits.ravel()
    out["exit_effective"] = effective.ravel()
    since = (ends[None, :] - consent[:, None]).astype("timedelta64[D]").astype("float64")
    since[np.isnan(since) | (since < 0) | np.isin(at_end, _ABSENT)] = np.nan
    out["days_since_consent"] = since.ravel()
    out["years_since_consent"] = np.round(since.ravel() / 365.25, 4)
    return out


def _add_groups(out: pd.DataFrame, ds: Dataset, pairs, starts, ends, at_start, consent) -> None:
    """Region, sub-region, NATO and EU membership, and the peers-left shares, added in place."""
    n_periods = len(ends)
    states = np.array(sorted(set(pairs["state"])))
    state_of = np.searchsorted(states, pairs["state"].to_numpy())
    treaty_of = pd.factorize(pairs["treaty"])[0]
    registry = ds.states.reindex(states)
    for column in ("region", "subregion"):
        out[column] = _repeat_categorical(registry[column].fillna("").to_numpy()[state_of], n_periods)
    consented = (consent[:, None] < starts[None, :]) & ~np.isin(at_start, _ABSENT)
    left = consented & np.isin(at_start, _EXIT_CODES)
    subregion = registry["subregion"].fillna("").to_numpy()
    subregion_of = pd.factorize(subregion)[0][state_of]
    placed = np.broadcast_to((subregion != "")[state_of][:, None], consented.shape)
    out["peers_left_subregion"] = _peer_share(treaty_of, placed, subregion_of, consented, left).ravel()
    for group in PEER_GROUPS[1:]:
        member = _membership(ds, states, group, starts, ends)[state_of]
        out[group.lower()] = member.ravel().astype(np.int8)
        share = _peer_share(treaty_of, member, np.zeros(len(pairs), dtype=np.int64), consented, left)
        out[f"peers_left_{group.lower()}"] = share.ravel()
