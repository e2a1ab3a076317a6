"""The checks of the dates known less precisely than a day (issue 19): EDTF text where the day is not known.

A row's act is dated by ``date`` (a day) or, when the source says less or more than a day, by ``date_edtf`` (EDTF
text: a month, a year, a range, an open bound, a set of days; ``schema.parse_edtf``) with ``date`` left empty; the
effect likewise. ``act_bounds`` gives the rules of ``event_rules`` an act's first and last possible day, so that an
uncertain act is held to the same rules (within the treaty's and the state's life, not after its source, after a
consent) by its bounds. Messages read ``'file, line N, column C: ...'`` like every other check.
"""

from __future__ import annotations

from .schema import BOUND_COLUMNS, EDTF_COLUMNS, EdtfError, bounds_text, is_iso_day, parse_edtf

__all__ = ["act_bounds", "said", "date_cells", "bounds_as_built"]


def act_bounds(row: dict) -> tuple[str, str]:
    """A row's first and last possible day as ISO text: its day, or the bounds of its ``date_edtf`` ("" for an open
    end, or for text the EDTF check reports). The rules below read an uncertain act by these bounds."""
    if is_iso_day(row["date"]) or not row.get("date_edtf"):
        return row["date"], row["date"]
    try:
        return bounds_text("", row["date_edtf"])
    except EdtfError:
        return "", ""


def said(row: dict) -> tuple[str, str]:
    """The column an act's date is in, and the date as written (for messages)."""
    return ("date", row["date"]) if row["date"] or not row.get("date_edtf") else ("date_edtf", row["date_edtf"])


def date_cells(events) -> list[str]:
    """A date known to the day is written in ``date`` (``date_edtf`` empty, or the same day); a date known less
    precisely is EDTF text in ``date_edtf`` with ``date`` left empty, so that no reader takes a guessed day for a
    known one. The same for the effect. The text must be one of the accepted forms, its ranges not inverted."""
    errors = []
    for where, row in events.lines():
        for text_column, day_column in EDTF_COLUMNS.items():
            text, day = row.get(text_column, ""), row[day_column]
            if not text:
                continue
            try:
                value = parse_edtf(text)
            except EdtfError as exc:
                errors.append(f"{where}, column {text_column!r}: {exc}")
                continue
            if value.exact and day != value.text:
                errors.append(
                    f"{where}, column {day_column!r}: {day!r} disagrees with {text_column} {text!r}; a day known "
                    f"exactly is written in {day_column}"
                )
            elif not value.exact and day:
                errors.append(
                    f"{where}, column {day_column!r}: {day!r}, but {text_column} {text!r} is not one known day; "
                    f"leave {day_column} empty"
                )
    return errors + _effects_not_before_uncertain_acts(events)


def _effect_bounds(row: dict) -> tuple[str, str]:
    try:
        return bounds_text(row["effective_date"], row.get("effective_date_edtf", ""))
    except EdtfError:
        return "", ""


def _effects_not_before_uncertain_acts(events) -> list[str]:
    """An effect cannot be surely before its act: its last possible day before the act's first (the exact rows
    are checked by ``validation.effect_not_before_act``)."""
    errors = []
    for where, row in events.lines():
        if not (row.get("date_edtf") or row.get("effective_date_edtf")):
            continue
        act_first, effect_last = act_bounds(row)[0], _effect_bounds(row)[1]
        if is_iso_day(act_first) and is_iso_day(effect_last) and effect_last < act_first:
            errors.append(
                f"{where}, column 'effective_date_edtf': the effect's last possible day {effect_last} is before the "
                f"act's first possible day {act_first}"
            )
    return errors


def bounds_as_built(events) -> list[str]:
    """``events.csv``'s bound columns hold what the build derives from each row's day or EDTF text (a file edited
    by hand, or built by an older build, would let a bound say what the date does not)."""
    missing = [f"{events.path}, line 1: missing column {c!r}" for c in BOUND_COLUMNS if c not in events.columns]
    if missing or any(column not in events.columns for column in EDTF_COLUMNS):  # those are reported elsewhere
        return missing
    errors = []
    for where, row in events.lines():
        try:
            expected = bounds_text(row["date"], row["date_edtf"])
            expected += bounds_text(row["effective_date"], row["effective_date_edtf"])
        except EdtfError:  # unreadable text is reported by date_cells
            continue
        errors += [
            f"{where}, column {column!r}: {row[column]!r}, but the row's date gives {value!r}; rebuild the data"
            for column, value in zip(BOUND_COLUMNS, expected)
            if row[column] != value
        ]
    return errors
