"""Checks of one data file against another, and of what no single row rule sees.

A re-signed descriptor makes every checksum agree with whatever the files hold, so the registers must also agree
with each other: an End Note recording a withdrawal needs the withdrawal row, a row the status page brackets
needs its state's exit, a group is spelled as the analytics spell it and a membership ends after it begins, no
source is dated after today, no cell holds a control character (a NUL makes ``Lithuania`` a different name),
and the map outlines parse into shapes. Each check returns ``'file, line N, column C: ...'`` messages.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from .integrity import Table
from .schema import BRACKET_NOTE, EXIT_ACTIONS, GROUPS, is_iso_day

__all__ = ["cross_checks", "notes_have_events", "brackets_have_exits", "group_spans", "no_future_sources"]
__all__ += ["no_control_characters", "map_outlines"]

#: End Note kinds whose act must be a row of the events, by the action the row carries.
_NOTED_ACTS = {"withdrawal": "withdrawal", "signature_withdrawal": "signature_withdrawal"}
#: C0 controls and DEL, but not tab, line feed and carriage return (a note may hold several lines).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def notes_have_events(notes: Table | None, events: Table) -> list[str]:
    """Every End Note that records a withdrawal (of consent or of a signature) has its row in the events, with
    the same state, treaty and day: a deleted withdrawal row whose End Note remains is a state silently back in."""
    if notes is None or "kind" not in notes.columns:
        return []
    acts: dict[tuple, list[tuple[str, str]]] = {}
    for r in events.rows:  # a row known within bounds (EDTF) holds the day if its bounds do
        span = (r.get("date_earliest") or r["date"], r.get("date_latest") or r["date"])
        acts.setdefault((r["state"], r["treaty"], r["action"]), []).append(span)
    errors = []
    for where, row in notes.lines():
        action, day = _NOTED_ACTS.get(row.get("kind", "")), row.get("date", "")
        if not action or not is_iso_day(day):
            continue
        for state in filter(None, row.get("states", "").split("|")):
            if not any(first <= day <= last for first, last in acts.get((state, row["treaty"], action), [])):
                errors.append(
                    f"{where}, column 'states': End Note {row.get('number')} of {row['treaty']} records a "
                    f"{action} by {state} on {row['date']}, but {events.path.name} has no such row"
                )
    return errors


def brackets_have_exits(events: Table) -> list[str]:
    """A row the depositary's page brackets (a withdrawal in effect) needs an exit by that state in that treaty."""
    exits = {(r["state"], r["treaty"]) for r in events.rows if r["action"] in EXIT_ACTIONS}
    errors, seen = [], set()
    for where, row in events.lines():
        pair = (row["state"], row["treaty"])
        if BRACKET_NOTE in row["note"] and pair not in exits and pair not in seen:
            seen.add(pair)
            errors.append(
                f"{where}, column 'note': the status page brackets {pair[0]}'s row in {pair[1]} (a withdrawal "
                f"in effect), but {events.path.name} holds no exit of {pair[0]} from {pair[1]}"
            )
    return errors


def group_spans(groups: Table | None) -> list[str]:
    """Group names of the vocabulary (``NATO``, not ``Nato``), ``left`` not before ``joined``, and no two spans
    of one state in one group that overlap."""
    if groups is None or not {"group", "iso3", "joined", "left"} <= set(groups.columns):
        return []
    errors, spans = [], {}
    for where, row in groups.lines():
        if row["group"] not in GROUPS:
            errors.append(f"{where}, column 'group': {row['group']!r} is not one of {', '.join(GROUPS)}")
        joined, left = row["joined"], row["left"]
        if not (is_iso_day(joined) and (not left or is_iso_day(left))):
            continue  # reported by the row rules
        if left and left < joined:
            errors.append(f"{where}, column 'left': {left} is before the day it joined, {joined}")
        for other, (start, end) in spans.get((row["group"], row["iso3"]), []):
            if joined <= (end or "9999") and start <= (left or "9999"):
                errors.append(f"{where}: {row['iso3']}'s span in {row['group']} overlaps the one of {other}")
        spans.setdefault((row["group"], row["iso3"]), []).append((where.rsplit(", ", 1)[-1], (joined, left)))
    return errors


def no_future_sources(tables: dict[str, Table], today: date | None = None) -> list[str]:
    """No source is dated after today: the data version's status date is the latest of them, and a page dated
    2099 would make every status 'as of 2099'."""
    limit = (today or date.today()).isoformat()
    errors = []
    for table in tables.values():
        if "source_date" not in table.columns:
            continue
        errors += [
            f"{where}, column 'source_date': {row['source_date']} is after today ({limit}); a source cannot be "
            "dated in the future"
            for where, row in table.lines()
            if is_iso_day(row["source_date"]) and row["source_date"] > limit
        ]
    return errors


def no_control_characters(tables: dict[str, Table]) -> list[str]:
    """No cell holds a control character (NUL, escape ...): invisible in an editor, it makes two spellings of
    one name differ and can cut a string short in other tools."""
    errors = []
    for table in tables.values():
        for where, row in table.lines():
            errors += [
                f"{where}, column {column!r}: a control character ({hex(ord(_CONTROL.search(value)[0]))}) in the cell"
                for column, value in row.items()
                if _CONTROL.search(value)
            ]
    return errors


def map_outlines(path: Path) -> list[str]:
    """The map outlines parse into shapes: a viewBox of four numbers and, per code, a path that starts with a
    move (an empty or truncated file is refused here, not by a report's traceback)."""
    if not path.exists():
        return []
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        box, shapes = content["viewBox"], content["shapes"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        return [f"{path}: not map outlines ({' '.join(str(exc).split()) or 'empty'}); rebuild with tools/geo"]
    if not (isinstance(box, list) and len(box) == 4 and all(isinstance(v, int | float) for v in box)):
        return [f"{path}: viewBox {str(box)[:40]!r} is not four numbers"]
    if not isinstance(shapes, dict) or not shapes:
        return [f"{path}: no shapes"]
    return [
        f"{path}: the shape of {code!r} has no path (expected an SVG path starting with 'M')"
        for code, shape in shapes.items()
        if not (isinstance(shape, dict) and isinstance(shape.get("d"), str) and shape["d"].startswith("M"))
    ]


def cross_checks(tables: dict[str, Table], folder: Path, geometry: str) -> list[str]:
    """Every check of this module over a data folder's tables (by file name) and its map outlines."""
    events = tables["events.csv"]
    return (
        notes_have_events(tables.get("untc_notes.csv"), events)
        + brackets_have_exits(events)
        + group_spans(tables.get("groups.csv"))
        + no_future_sources(tables)
        + map_outlines(folder / geometry)
    )
