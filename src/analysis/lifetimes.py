"""States that begin and end: lifetimes, succession links, and how a successor's record joins its predecessor's.

The rules (data/README.md, "Succession"; docs/data-model.md):

- before a state's ``since`` its status in every treaty is "not yet a state", from its ``until`` "ceased to exist";
  neither counts as a non-party;
- inside a gap in its existence (``data/lifetime_gaps.csv``: from ``ended`` to the day before ``resumed``) its
  status is "ceased to exist" too; on ``resumed`` the status its acts give resumes: acts before the gap keep their
  effect (the restored Baltic states are listed with their 1930s Geneva Protocol ratifications);
- a successor's notification of succession binds it from the date of the succession of States (its ``since``, or
  the date of its link in ``data/successions.csv``), not from the notification, which stays the act's date
  (Vienna Convention on Succession of States in respect of Treaties, 1978, arts. 17, 23, 34-35; depositary practice);
- across a continuation (USSR -> Russia, Serbia and Montenegro -> Serbia) or a unification (Democratic Yemen ->
  Yemen) the successor takes the predecessor's status on the link day, without a gap.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

import pandas as pd

from .dataset import Dataset
from .schema import CARRY_OVER_KINDS

#: The "not yet a state" step of a state with a ``since`` starts here: before every treaty in the registry.
ORIGIN = date(1800, 1, 1)

Steps = list[tuple[date, str]]


def status_on(steps: Steps, day: date) -> str:
    """The status a list of steps gives on a day (before the first step: 'not signed')."""
    current = "not signed"
    for d, st in steps:
        if d > day:
            break
        current = st
    return current


def carried_over(own: Steps, joint: Steps, link: date) -> Steps:
    """A successor's steps across a continuation or unification: its own before `link`, the joint record after.

    `joint` replays the predecessor's events with the successor's own; on the link day the successor takes the
    status the joint record has reached (a party stays a party without a gap).
    """
    return [s for s in own if s[0] < link] + [(link, status_on(joint, link))] + [s for s in joint if s[0] > link]


class Life(NamedTuple):
    """A state's recorded first day, first day after its end, and the gaps in between: (ended, resumed) pairs."""

    since: date | None = None
    until: date | None = None
    gaps: tuple[tuple[date, date], ...] = ()


def within_lifetime(steps: Steps, since: date | None, until: date | None, gaps=()) -> Steps:
    """Clip a pair's steps to the state's lifetime: 'not yet a state' before `since`, 'ceased to exist' from `until`
    and inside each gap (ended, resumed); on `resumed` the status the steps give on that day resumes."""
    if since is not None:
        steps = [(ORIGIN, "not yet a state"), (since, status_on(steps, since))] + [s for s in steps if s[0] > since]
    for ended, resumed in gaps:
        back = (resumed, status_on(steps, resumed))
        steps = (
            [s for s in steps if s[0] < ended]
            + [(ended, "ceased to exist"), back]
            + [s for s in steps if s[0] > resumed]
        )
    if until is not None:
        steps = [s for s in steps if s[0] < until] + [(until, "ceased to exist")]
    return steps


def _day(value) -> date | None:
    return value.date() if pd.notna(value) else None


def lives(ds: Dataset) -> dict[str, Life]:
    """Each state with a recorded first or last day or a gap in its existence: its ``Life``."""
    st = ds.states
    none = pd.Series(pd.NaT, index=st.index)
    gaps: dict[str, list[tuple[date, date]]] = {}
    for iso3, ended, resumed in zip(ds.gaps["iso3"], ds.gaps["ended"], ds.gaps["resumed"]):
        gaps.setdefault(iso3, []).append((_day(pd.Timestamp(ended)), _day(pd.Timestamp(resumed))))
    return {
        iso3: Life(_day(since), _day(until), tuple(sorted(gaps.get(iso3, ()))))
        for iso3, since, until in zip(st.index, st.get("since", none), st.get("until", none))
        if pd.notna(since) or pd.notna(until) or iso3 in gaps
    }


def in_gap(ds: Dataset, day) -> set[str]:
    """The states that, on the day, are inside a gap in their existence (``data/lifetime_gaps.csv``)."""
    gaps, day = ds.gaps, pd.Timestamp(day)
    inside = (pd.to_datetime(gaps["ended"]) <= day) & (day < pd.to_datetime(gaps["resumed"]))
    return set(gaps.loc[inside, "iso3"])


def existing(ds: Dataset, day) -> pd.Index:
    """The registry's states on the day: begun (``since``, where known), not yet ended (``until``), not in a gap.

    The one definition of "a state on this day", shared by peers, maps and reports: a state before its ``since``
    or from its ``until`` is nobody's peer and is drawn on no map.
    """
    st = ds.states
    day = pd.Timestamp(day)
    ended = st["until"].notna() & (st["until"] <= day)
    if "since" in st.columns:
        ended |= st["since"].notna() & (st["since"] > day)
    ended |= st.index.isin(in_gap(ds, day))
    return st.index[~ended]


def last_day(iso3: str, ds: Dataset) -> date | None:
    """A former state's last day, the day before its ``until`` (None for a state that has not ended): the day its
    report is drawn on by default, where its timeline stops, and what the index says beside its name."""
    until = ds.states["until"].get(iso3) if "until" in ds.states.columns else None
    return None if until is None or pd.isna(until) else until.date() - timedelta(days=1)


def successors(iso3: str, ds: Dataset) -> pd.DataFrame:
    """A state's successor links (successor, kind, date, source), in the order of ``data/successions.csv``."""
    table = ds.successions
    return table[table["predecessor"] == iso3][["successor", "kind", "date", "source"]].reset_index(drop=True)


def links(ds: Dataset) -> tuple[dict[str, list[tuple[str, date]]], dict[str, date]]:
    """Carry-over links (successor -> [(predecessor, day)]) and each successor's date of succession of States."""
    carry: dict[str, list[tuple[str, date]]] = {}
    succession_day: dict[str, date] = {}
    table = ds.successions
    for pred, succ, kind, day in zip(table["predecessor"], table["successor"], table["kind"], table["date"]):
        day = pd.Timestamp(day).date()
        if kind in CARRY_OVER_KINDS:
            carry.setdefault(succ, []).append((pred, day))
        succession_day[succ] = min(day, succession_day.get(succ, day))
    for iso3, life in lives(ds).items():
        if life.since is not None:
            succession_day[iso3] = life.since
    return carry, succession_day


def first_signatures(ds: Dataset, tid: str) -> pd.Series:
    """Each state's first signature of a treaty; a carry-over successor signs on the link day."""
    ev = ds.events
    if "date_latest" in ev and ev["date"].isna().any():  # a signature dated less precisely: its last possible day
        ev = ev.assign(date=ev["date"].fillna(ev["date_latest"]))
    sig = ev[(ev["treaty"] == tid) & (ev["action"] == "signature")].groupby("state")["date"].min()
    carry, _ = links(ds)
    extra = {
        succ: max(pd.Timestamp(link), sig[pred])
        for succ, preds in carry.items()
        for pred, link in preds
        if pred in sig.index and succ not in sig.index
    }
    return pd.concat([sig, pd.Series(extra, dtype=sig.dtype)]) if extra else sig
