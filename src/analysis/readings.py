"""The readings of dates known less precisely than a day: each uncertain act's alternative days, and their words.

An act dated by EDTF text (``date_edtf``, ``effective_date_edtf``; ``schema.parse_edtf``) is read in turn at each
of its alternatives: each member of a set of days; for a range, its first and its last possible day (an open start:
the first day it could have happened, the later of the treaty's opening and the state's first day; an open end:
not happened within any record). A *reading* of a state × treaty is one choice of alternative for every uncertain
act it depends on (its own and, across a continuation, its predecessor's): the status engine runs its machine once
per reading, and a status is *certain* on a day when every reading gives it.

Reading 0 puts every act at its first alternative (the *early* reading); the last puts every act at its last (the
*late* reading): each act counted from the day it surely had happened. The late reading is the *base*: the one
status table every other module reads (``status._transitions``), so that an act is never counted before it surely
happened. A question about one day (``status``, ``status_table``, ``parties``) also reads a range that straddles
the day at the day itself (``on_day``), which shows the statuses between the two ends (a consent deposited but not
yet in force); the series and panels read the two ends, which bound their counts (``docs/data-model.md``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from .dataset import Dataset
from .machine import NEVER, STATUS_ACTIONS
from .schema import EDTF_COLUMNS, describe_edtf, parse_edtf

__all__ = ["NEVER", "Uncertain", "split", "readings", "on_day", "in_play", "MAX_READINGS"]

#: A state × treaty with more readings than this is refused (its dates would need to be entered more precisely).
MAX_READINGS = 256

Event = tuple  # (day, action, effective day or None), as the machine reads it
EDTF = tuple(EDTF_COLUMNS)


@dataclass(frozen=True)
class Uncertain:
    """One act whose date or effect is not known to the day: its alternatives (``None``: not happened within any
    record), the span of days its date and effect can fall in (``None``: open), and what it is in words."""

    options: tuple
    first: date | None
    last: date | None
    words: str
    ranges: tuple = (None, None)  # the (first, last) possible day of the act and of its effect, where a range


def _range(text: str) -> tuple | None:
    value = parse_edtf(text) if text else None
    return (value.earliest, value.latest) if value is not None and value.candidates is None else None


def _inside(span: tuple | None, day: date) -> bool:
    return span is not None and (span[0] is None or span[0] < day) and (span[1] is None or span[1] > day)


def on_day(act: Uncertain, day: date) -> Uncertain:
    """The act with one more reading where a range straddles ``day``: the act (or its effect) on the day itself.

    The two ends of a range do not show what lies between them on a given day: a consent deposited but not yet
    in force, a notice given but not yet in effect. A question about one day adds this reading (between the early
    and the late one, which stay first and last)."""
    picked = [o for o in act.options if o]
    extra = []
    if _inside(act.ranges[0], day):
        extra += [(day, o[1], o[2]) for o in picked if o[2] is None or o[2] >= day]
    if _inside(act.ranges[1], day):
        extra += [(o[0], o[1], day) for o in picked if o[0] <= day]
    if not extra:
        return act
    options = tuple(dict.fromkeys(act.options[:-1] + tuple(extra) + act.options[-1:]))
    return replace(act, options=options)


def _days(text: str, exact, floor: date) -> list[date | None]:
    """A date's alternatives: the day itself, a set's members, or a range's first and last possible day."""
    if not text:
        return [exact.date() if pd.notna(exact) else None]
    value = parse_edtf(text)
    if value.candidates:
        return list(value.candidates)
    return list(dict.fromkeys([value.earliest or floor, value.latest]))


def _uncertain(row, floor: date) -> Uncertain:
    action = row.action
    days = _days(row.date_edtf, row.date, floor)
    options = []
    for day in days:
        if day is None:
            options.append(None)
            continue
        effects = _days(row.effective_date_edtf, row.effective_date, day)
        options += [(day, action, NEVER if eff is None and row.effective_date_edtf else eff) for eff in effects]
    name = action.replace("_", " ")
    said = [f"the {name} is dated {describe_edtf(row.date_edtf)}"] if row.date_edtf else []
    said += [f"the {name} takes effect {describe_edtf(row.effective_date_edtf)}"] if row.effective_date_edtf else []
    spans = [o[0] for o in options if o] + [o[2] for o in options if o and o[2]]
    open_end = None in options or any(o and o[2] == NEVER for o in options)
    ranges = (_range(row.date_edtf), _range(row.effective_date_edtf))
    return Uncertain(tuple(options), min(spans), None if open_end else max(spans), "; ".join(said), ranges)


def _floors(ds: Dataset) -> tuple[dict, dict]:
    """The first day an act can have happened: the treaty's opening (or adoption) and the state's first day."""
    t = ds.treaties
    opened = pd.to_datetime(t["opened_for_signature"]).fillna(pd.to_datetime(t["adopted"]))
    since = ds.states["since"] if "since" in ds.states else pd.Series(dtype="datetime64[ns]")
    return opened.dropna().to_dict(), since.dropna().to_dict()


def split(ds: Dataset) -> tuple[dict[tuple[str, str], list], dict[tuple[str, str], list[Uncertain]]]:
    """Each state × treaty's exact events as (day, action, effective day), in date order, and its uncertain acts.

    The exact rows are read as before, in one pass (the common case stays as fast); only the rows with EDTF text
    are read one by one."""
    ev = ds.events
    texts = [ev[c].astype(object).fillna("") if c in ev else pd.Series("", index=ev.index) for c in EDTF]
    fuzzy = (texts[0] != "") | (texts[1] != "")
    exact = ev[~fuzzy].sort_values(["state", "treaty", "date", "action"], kind="stable")
    effs = [e.date() if pd.notna(e) else None for e in exact["effective_date"]]
    groups: dict[tuple[str, str], list] = {}
    keys = zip(exact["state"], exact["treaty"])
    for key, row in zip(keys, zip([d.date() for d in exact["date"]], exact["action"], effs)):
        groups.setdefault(key, []).append(row)
    uncertain: dict[tuple[str, str], list[Uncertain]] = {}
    if fuzzy.any():
        opened, since = _floors(ds)
        rows = ev[fuzzy].assign(date_edtf=texts[0][fuzzy], effective_date_edtf=texts[1][fuzzy])
        rows = rows[rows["action"].isin(STATUS_ACTIONS)]  # a domestic step's date changes no status
        for row in rows.sort_values(["state", "treaty", "action"], kind="stable").itertuples():
            days = [d for d in (opened.get(row.treaty), since.get(row.state)) if d is not None and pd.notna(d)]
            floor = max(days).date() if days else date(1900, 1, 1)
            uncertain.setdefault((row.state, row.treaty), []).append(_uncertain(row, floor))
    return groups, uncertain


def readings(exact: dict, uncertain: dict, sources: list[tuple[str, str]]) -> list[dict[tuple[str, str], list]]:
    """Every reading of the pairs in ``sources`` (a pair and its predecessors): per reading, each pair's events in
    date order, the uncertain acts at the chosen alternatives. The last reading is the late (base) one."""
    acts = [(src, act) for src in sources for act in uncertain.get(src, [])]
    count = 1
    for _, act in acts:
        count *= len(act.options)
    if count > MAX_READINGS:
        raise ValueError(f"{sources[0]}: {count} readings of its uncertain dates, more than {MAX_READINGS}")
    out = []
    for combo in itertools.product(*(act.options for _, act in acts)):
        groups = {src: list(exact.get(src, [])) for src in sources}
        for (src, _), option in zip(acts, combo):
            if option is not None:
                groups[src].append(option)
        out.append({src: sorted(rows, key=lambda r: (r[0], r[1])) for src, rows in groups.items()})
    return out


def in_play(acts: list[Uncertain], day: date) -> list[Uncertain]:
    """The uncertain acts whose span straddles ``day`` (all of them, when none does)."""
    straddling = [a for a in acts if (a.first is None or a.first <= day) and (a.last is None or a.last > day)]
    return straddling or acts
