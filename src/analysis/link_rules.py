"""Row checks of the registries that link states to each other and to their lifetimes (successions,
attributions, corrections, the gaps in a state's existence), and of the register of exit steps not found (step_gaps).

``successions.csv`` says which state continued, absorbed or succeeded which, and when; ``attributions.csv`` says
whose act a row listed under another state really is; ``lifetime_gaps.csv`` says when a state did not exist. All
steer the status engine, so a bad code or day in them is as wrong as one in ``events.csv``: each row must name
known states (and treaties and actions, or ``*``), real days, a kind of the vocabulary, ``true``/``false`` where a
boolean is held, and a source.
"""

from __future__ import annotations

from .schema import (
    ACTIONS,
    ATTRIBUTIONS_COLUMNS,
    CORRECTION_COLUMNS,
    EXIT_LINKS,
    GAPS_COLUMNS,
    LINK_FINDINGS,
    STEP_GAPS_COLUMNS,
    SUCCESSION_KINDS,
    SUCCESSIONS_COLUMNS,
    is_iso_day,
)
from .sources.corrections import row_problem

__all__ = ["succession_rows", "attribution_rows", "correction_rows", "gap_rows", "step_gap_rows"]


def _unreadable(table, required) -> list[str]:
    """What stops a table's rows from being checked: the file's own errors and its missing columns (none for an
    optional table that is absent, ``None``)."""
    if table is None:
        return []
    return list(table.errors) + [
        f"{table.path}, line 1: missing column {c!r}" for c in required if c not in table.columns
    ]


def _common(where: str, row: dict, days: tuple[str, ...]) -> list[str]:
    errors = [
        f"{where}, column {c!r}: {row[c]!r} is not a date YYYY-MM-DD" for c in days if row[c] and not is_iso_day(row[c])
    ]
    if not row["source"]:
        errors.append(f"{where}, column 'source': empty; every row names its source")
    return errors


def _unknown_states(where: str, row: dict, columns: tuple[str, ...], iso3) -> list[str]:
    """The cells of ``columns`` that name no state of states.csv (one check for every table that links states)."""
    return [
        f"{where}, column {c!r}: {row[c]!r} is not an ISO3 code of states.csv" for c in columns if row[c] not in iso3
    ]


def succession_rows(table, iso3: set[str]) -> list[str]:
    """Known predecessor and successor, a kind of ``schema.SUCCESSION_KINDS``, a real day, a source."""
    errors = _unreadable(table, SUCCESSIONS_COLUMNS)
    if table is None or errors:
        return errors
    for where, row in table.lines():
        errors += _unknown_states(where, row, ("predecessor", "successor"), iso3)
        if row["kind"] not in SUCCESSION_KINDS:
            errors.append(
                f"{where}, column 'kind': {row['kind']!r}, expected one of {', '.join(sorted(SUCCESSION_KINDS))}"
            )
        if not row["date"]:
            errors.append(f"{where}, column 'date': empty; a succession has a day")
        errors += _common(where, row, ("date",))
    return errors


def attribution_rows(table, iso3: set[str], treaty_ids: set[str]) -> list[str]:
    """Known states, a known treaty and action (or ``*``), real days, ``true``/``false``, a source."""
    errors = _unreadable(table, ATTRIBUTIONS_COLUMNS)
    if table is None or errors:
        return errors
    for where, row in table.lines():
        errors += _unknown_states(where, row, ("listed_under", "performer"), iso3)
        if row["treaty"] != "*" and row["treaty"] not in treaty_ids:
            errors.append(f"{where}, column 'treaty': {row['treaty']!r} is neither '*' nor a treaty id")
        if row["action"] != "*" and row["action"] not in ACTIONS:
            errors.append(f"{where}, column 'action': {row['action']!r} is neither '*' nor an action")
        if row["successor_succession"] not in ("true", "false"):
            errors.append(
                f"{where}, column 'successor_succession': {row['successor_succession']!r}, expected 'true' or 'false'"
            )
        errors += _common(where, row, ("date", "from", "before", "source_date"))
    return errors


def correction_rows(table, iso3: set[str], treaty_ids: set[str]) -> list[str]:
    """A known state and treaty, and each rule whole as the build reads it (``sources.corrections.row_problem``)."""
    errors = _unreadable(table, CORRECTION_COLUMNS)
    if table is None or errors:
        return errors
    for where, row in table.lines():
        errors += _unknown_states(where, row, ("state",), iso3)
        if row["treaty"] not in treaty_ids:
            errors.append(f"{where}, column 'treaty': {row['treaty']!r} is not a treaty id")
        problem = row_problem(row)
        errors += [f"{where}, {problem}"] if problem else []
    return errors


def gap_rows(table, states) -> list[str]:
    """A known state, two real days in order inside the state's ``since``/``until``, no overlap, a source."""
    errors = _unreadable(table, GAPS_COLUMNS)
    if table is None or errors:
        return errors
    life = {row["iso3"]: (row.get("since", ""), row.get("until", "")) for row in states.rows}
    seen: dict[str, list[tuple[str, str]]] = {}
    for where, row in table.lines():
        own = _unknown_states(where, row, ("iso3",), life)
        own += [f"{where}, column {c!r}: empty; a gap has two days" for c in ("ended", "resumed") if not row[c]]
        errors += own + _common(where, row, ("ended", "resumed"))
        if own or not (is_iso_day(row["ended"]) and is_iso_day(row["resumed"])):
            continue
        ended, resumed = row["ended"], row["resumed"]
        since, until = life[row["iso3"]]
        if resumed <= ended:
            errors.append(f"{where}, column 'resumed': {resumed} is not after ended {ended}")
        if (since and ended <= since) or (until and resumed >= until):
            errors.append(f"{where}, column 'ended': {ended} to {resumed} is not inside {row['iso3']}'s since/until")
        if any(
            ended < other_resumed and other_ended < resumed for other_ended, other_resumed in seen.get(row["iso3"], [])
        ):
            errors.append(f"{where}, column 'ended': {row['iso3']}'s gap {ended} to {resumed} overlaps another")
        seen.setdefault(row["iso3"], []).append((ended, resumed))
    return errors


def step_gap_rows(table, iso3: set[str], treaty_ids: set[str]) -> list[str]:
    """A known state and treaty, the day of an exit, a link of ``schema.EXIT_LINKS`` (``*``: every link no row
    dates, only when not applicable), a finding of ``schema.LINK_FINDINGS``, where it was looked for when not
    found, and a note. Whether the exit itself is on record is checked where the exits are known
    (``chains.unmatched_gaps``): an explanation of a link of no exit would explain nothing."""
    errors = _unreadable(table, STEP_GAPS_COLUMNS)
    if table is None or errors:
        return errors
    seen: dict[tuple, str] = {}
    for where, row in table.lines():
        errors += _unknown_states(where, row, ("state",), iso3)
        if row["treaty"] not in treaty_ids:
            errors.append(f"{where}, column 'treaty': {row['treaty']!r} is not a treaty id")
        if not is_iso_day(row["exit_date"]):
            errors.append(f"{where}, column 'exit_date': {row['exit_date']!r} is not a date YYYY-MM-DD")
        if row["finding"] not in LINK_FINDINGS:
            errors.append(f"{where}, column 'finding': {row['finding']!r}, expected one of {', '.join(LINK_FINDINGS)}")
        if row["link"] not in EXIT_LINKS and not (row["link"] == "*" and row["finding"] == "not applicable"):
            errors.append(f"{where}, column 'link': {row['link']!r}, expected one of {', '.join(EXIT_LINKS)}")
        if row["finding"] == "not found" and not row["looked_in"]:
            errors.append(f"{where}, column 'looked_in': empty; a link not found says where it was looked for")
        if not row["note"]:
            errors.append(f"{where}, column 'note': empty; say what is missing or why the link does not apply")
        key = tuple(row[c] for c in STEP_GAPS_COLUMNS[:5]) + (row["note"],)
        if key in seen:
            errors.append(f"{where}: duplicate of {seen[key].split(', ')[-1]}")
        seen.setdefault(key, where)
    return errors
