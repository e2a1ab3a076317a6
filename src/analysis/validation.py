"""Every check a data file must pass, as a list of small checks that each return their errors.

Researchers cite these dates, so a bad row is reported with its file, line and column and what was expected,
never turned into a silent NaN further down. Each check is a function of the tables it needs and returns a list
of messages ``'file, line N, column C: ...'`` (line 1 is the header). ``validate_tables`` runs them in order;
``validate`` reads a data folder and runs them all. This module reads CSV files and the vocabulary; it imports
neither a writer nor a parser.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from . import clause_rules, config, date_rules, event_rules, link_rules, validation_cross
from .integrity import Table, check_package, descriptor_missing, read_table
from .schema import (
    ACTIONS,
    CONFLICT_COLUMNS,
    CONFLICT_SOURCES,
    CONSENT,
    EVENT_COLUMNS,
    MERGE_RULE,
    SOURCE_KINDS,
    TREATY_REQUIRED,
    days_apart,
    is_iso_day,
)

__all__ = ["Table", "read_table", "validate_tables", "validate_conflicts", "validate"]

_EIF_RULE = re.compile(r"on_deposit|not_in_force|(days|months|first_of_month):\d+")
_TREATY_DAYS = ("adopted", "opened_for_signature", "entry_into_force", "known_until")
_EVENT_DAYS = ("date", "effective_date", "source_date")


# ---- the registries --------------------------------------------------------------------------------------------


def missing_columns(table: Table, required: list[str]) -> list[str]:
    return [f"{table.path}, line 1: missing column {c!r}" for c in required if c not in table.columns]


def treaty_rows(treaties: Table) -> list[str]:
    """Unique ids, real days, a known entry-into-force rule, coverage, a source (the clause: ``clause_rules``)."""
    errors, seen = [], set()
    for where, row in treaties.lines():
        if row.get("id") in seen:
            errors.append(f"{where}, column 'id': duplicate treaty id {row['id']!r}")
        seen.add(row.get("id"))
        errors += [
            f"{where}, column {c!r}: {row[c]!r} is not a date YYYY-MM-DD"
            for c in _TREATY_DAYS
            if row.get(c) and not is_iso_day(row[c])
        ]
        if row.get("eif_rule") and not _EIF_RULE.fullmatch(row["eif_rule"]):
            errors.append(
                f"{where}, column 'eif_rule': {row.get('eif_rule')!r} is not on_deposit, not_in_force, "
                f"days:N, months:N or first_of_month:N"
            )
        if row.get("coverage") not in ("full", "events"):
            errors.append(f"{where}, column 'coverage': {row.get('coverage')!r}, expected 'full' or 'events'")
        errors += _needs_source(where, row)
    return errors


def state_rows(states: Table) -> list[str]:
    """ISO3 codes that are three capital letters and unique, and a source on every row."""
    errors, seen = [], set()
    for where, row in states.lines():
        code = row.get("iso3", "")
        if not re.fullmatch(r"[A-Z]{3}", code):
            errors.append(f"{where}, column 'iso3': {code!r} is not three capital letters")
        if code in seen:
            errors.append(f"{where}, column 'iso3': duplicate {code!r}")
        errors += [
            f"{where}, column {c!r}: {row[c]!r} is not a date YYYY-MM-DD"
            for c in ("since", "until")
            if row.get(c) and not is_iso_day(row[c])
        ]
        seen.add(code)
        errors += _needs_source(where, row)
    return errors


def group_rows(groups: Table, iso3: set[str]) -> list[str]:
    """Known members, real days, a source on every row."""
    errors = []
    for where, row in groups.lines():
        if row.get("iso3") not in iso3:
            errors.append(f"{where}, column 'iso3': {row.get('iso3')!r} is not a known ISO3 code")
        errors += [
            f"{where}, column {c!r}: {row[c]!r} is not a date YYYY-MM-DD"
            for c in ("joined", "left")
            if row.get(c) and not is_iso_day(row[c])
        ]
        errors += _needs_source(where, row)
    return errors


def _needs_source(where: str, row: dict) -> list[str]:
    return [] if row.get("source") else [f"{where}, column 'source': empty; every row names its source"]


# ---- the events ------------------------------------------------------------------------------------------------


def event_codes(events: Table, treaties: Table, states: Table) -> list[str]:
    """Every row names a known state, a known treaty, an action of the vocabulary and a kind of source."""
    iso3 = {r.get("iso3", "") for r in states.rows}
    ids = {r.get("id") for r in treaties.rows}
    errors = []
    for where, row in events.lines():
        if row["state"] not in iso3:
            errors.append(f"{where}, column 'state': {row['state']!r} is not an ISO3 code in {states.path.name}")
        if row["treaty"] not in ids:
            errors.append(f"{where}, column 'treaty': {row['treaty']!r} is not a treaty id in {treaties.path.name}")
        if row["action"] not in ACTIONS:
            errors.append(f"{where}, column 'action': {row['action']!r} is not in the vocabulary (docs/data-model.md)")
        errors += _event_days(where, row)
        errors += _needs_source(where, row)
        if row["source_kind"] not in SOURCE_KINDS:
            errors.append(
                f"{where}, column 'source_kind': {row['source_kind']!r}, expected one of "
                f"{', '.join(sorted(SOURCE_KINDS))}"
            )
    return errors


def _event_days(where: str, row: dict) -> list[str]:
    return [
        f"{where}, column {c!r}: {row[c]!r} is not a date YYYY-MM-DD"
        for c in _EVENT_DAYS
        if (row[c] or (c == "date" and not row["date_edtf"])) and not is_iso_day(row[c])
    ]


def _dated(events: Table):
    """(where, row) of the rows whose date and effective date are real days (the others are reported above)."""
    for where, row in events.lines():
        if is_iso_day(row["date"]) and (not row["effective_date"] or is_iso_day(row["effective_date"])):
            yield where, row


def duplicate_events(events: Table) -> list[str]:
    """No two rows for the same state, treaty, action, day and depositary."""
    errors, seen = [], {}
    for where, row in events.lines():
        key = (row["state"], row["treaty"], row["action"], row["date"] or row["date_edtf"], row["depositary"])
        if key in seen:
            errors.append(f"{where}: duplicate of {seen[key].split(', ')[-1]} ({', '.join(key[:4])})")
        seen.setdefault(key, where)
    return errors


def effect_not_before_act(events: Table) -> list[str]:
    return [
        f"{where}, column 'effective_date': {row['effective_date']} is before the date {row['date']}"
        for where, row in _dated(events)
        if row["effective_date"] and row["effective_date"] < row["date"]
    ]


def acts_in_order(events: Table) -> list[str]:
    """Per state and treaty, the first signature comes before the first consent, which comes before a withdrawal."""
    first: dict[tuple[str, str], dict[str, tuple[str, int]]] = {}
    for where, row in events.lines():
        number = int(where.rsplit(" ", 1)[1])
        if not is_iso_day(row["date"]) or (row["effective_date"] and not is_iso_day(row["effective_date"])):
            continue
        kind = "consent" if row["action"] in CONSENT else row["action"]
        if kind not in ("signature", "consent", "withdrawal"):
            continue
        pair = first.setdefault((row["state"], row["treaty"]), {})
        if kind not in pair or row["date"] < pair[kind][0]:
            pair[kind] = (row["date"], number)
    errors = []
    for (state, treaty), pair in first.items():
        order = [k for k in ("signature", "consent", "withdrawal") if k in pair]
        for earlier, later in itertools.pairwise(order):
            (day_a, line_a), (day_b, line_b) = pair[earlier], pair[later]
            if day_b < day_a:
                errors.append(
                    f"{events.path}, line {line_b}, column 'date': {state}/{treaty} {later} on {day_b} "
                    f"precedes its {earlier} on {day_a} (line {line_a})"
                )
    return errors


def validate_tables(
    events: Table, treaties: Table, states: Table, groups: Table | None = None, clauses: Table | None = None
) -> list[str]:
    """Every problem found in the tables; the row checks run only once the columns they read are there."""
    errors = [e for table in (events, treaties, states, groups) if table is not None for e in table.errors]
    errors += missing_columns(treaties, TREATY_REQUIRED) + treaty_rows(treaties) + state_rows(states)
    errors += clause_rules.clause_rows(clauses, treaties)
    errors += event_rules.registry_fields(treaties) + event_rules.registry_fields(states)
    errors += missing_columns(events, EVENT_COLUMNS)
    if errors:
        return errors
    errors += event_codes(events, treaties, states)
    errors += duplicate_events(events)
    errors += effect_not_before_act(events)
    errors += clause_rules.withdrawal_effect_follows_clause(events, clauses)
    errors += acts_in_order(events)
    errors += event_rules.possible_history(events, treaties, states)
    if groups is not None:
        errors += list(groups.errors) + group_rows(groups, {r.get("iso3", "") for r in states.rows})
    return errors


# ---- the conflicts register ------------------------------------------------------------------------------------


def _conflict_row(where: str, row: dict, treaty_ids, state_codes) -> list[str]:
    errors = []
    if state_codes is not None and row["state"] not in state_codes:
        errors.append(f"{where}, column 'state': {row['state']!r} is not an ISO3 code of states.csv")
    if treaty_ids is not None and row["treaty"] not in treaty_ids:
        errors.append(f"{where}, column 'treaty': {row['treaty']!r} is not a treaty id of treaties.csv")
    errors += [
        f"{where}, column {c!r}: {row[c]!r}, expected one of {', '.join(sorted(CONFLICT_SOURCES))}"
        for c in ("source_a", "source_b")
        if row[c] not in CONFLICT_SOURCES
    ]
    bad_days = [
        f"{where}, column {c!r}: {row[c]!r} is not a date YYYY-MM-DD"
        for c in ("date_a", "date_b")
        if row[c] and not is_iso_day(row[c])
    ]
    errors += bad_days
    if not row["date_a"] and not row["date_b"]:
        errors.append(f"{where}: both dates empty; a conflict needs at least one")
    elif not bad_days and row["date_a"] == row["date_b"]:
        errors.append(f"{where}: date_a and date_b are equal ({row['date_a']}); not a disagreement")
    elif not bad_days:
        expected = str(days_apart(row["date_a"], row["date_b"]))
        if row["days_apart"] != expected:
            errors.append(f"{where}, column 'days_apart': {row['days_apart']!r}, expected {expected!r}")
    if row["chosen"] not in (row["source_a"], row["source_b"], "none"):
        errors.append(f"{where}, column 'chosen': {row['chosen']!r} is neither source_a, source_b nor 'none'")
    if row["rule"] not in MERGE_RULE:
        errors.append(f"{where}, column 'rule': {row['rule']!r} is not a rule of schema.MERGE_RULE")
    return errors


def validate_conflicts(path: Path | str | Table, treaty_ids=None, state_codes=None) -> list[str]:
    """Every problem in ``conflicts.csv`` (empty list when all is well).

    Checks the columns, ISO3 codes and treaty ids (when given), the dates, that ``days_apart`` is the
    difference of the two dates, that at least one date is given and the two differ, that ``chosen`` is one of
    the two sources or 'none' and ``rule`` is a key of ``MERGE_RULE``, and that rows are unique.
    """
    if isinstance(path, Table):
        table = path
    elif not Path(path).exists():
        return [f"{path}: file not found"]
    else:
        table = read_table(Path(path))
    errors = list(table.errors) + missing_columns(table, CONFLICT_COLUMNS)
    if errors:
        return errors
    seen: dict[tuple, str] = {}
    for where, row in table.lines():
        errors += _conflict_row(where, row, treaty_ids, state_codes)
        key = tuple(row[c] for c in CONFLICT_COLUMNS[:7])
        if key in seen:
            errors.append(f"{where}: duplicate of {seen[key].split(', ')[-1]}")
        seen.setdefault(key, where)
    return errors


# ---- a data folder ---------------------------------------------------------------------------------------------

#: The files whose rows the checks above read in depth; the package check types the others' date/number fields.
_DEEP = frozenset(f"{name}.csv" for name in ("events", "curated_events", "treaties", "states", "groups"))
_DEEP |= {f"{name}.csv" for name in ("conflicts", "untc_notes", "successions", "attributions", "lifetime_gaps")}
_DEEP |= {"clauses.csv", "reasons.csv", "step_gaps.csv", "corrections.csv"}


def curated_rows(
    curated: Table | None, events: Table, treaties: Table, states: Table, tables_clauses: Table | None = None
) -> list[str]:
    """The hand-kept events obey the same row rules as ``events.csv``, and each is in it as written (the build
    merges them; a curated row edited after the build is a row the data do not hold)."""
    if curated is None:
        return []
    errors = list(curated.errors) + missing_columns(curated, EVENT_COLUMNS)
    if errors:
        return errors
    built = {tuple(row[c] for c in EVENT_COLUMNS) for row in events.rows}
    errors += [
        f"{where}: not in {events.path.name} as written; rebuild the data (make data)"
        for where, row in curated.lines()
        if tuple(row[c] for c in EVENT_COLUMNS) not in built
    ]
    return errors + (
        event_codes(curated, treaties, states)
        + duplicate_events(curated)
        + effect_not_before_act(curated)
        + clause_rules.withdrawal_effect_follows_clause(curated, tables_clauses)
        + event_rules.acts_within_treaty_life(curated, treaties)
        + event_rules.acts_not_after_source(curated)
        + event_rules.sources_dated(curated)
        + event_rules.acts_within_state_life(curated, states)
        + date_rules.date_cells(curated)
    )


def validate(data_dir: Path | str | None = None) -> list[str]:
    """Validate the files in a data folder (default: the configured one); returns the errors, empty when valid."""
    folder = config.data_dir(data_dir)
    needed = [folder / name for name in ("events.csv", "treaties.csv", "states.csv")]
    missing = descriptor_missing(folder) or [f"{p}: file not found" for p in needed if not p.exists()]
    if missing:
        return missing
    tables = {path.name: read_table(path) for path in sorted(folder.glob("*.csv"))}
    events, treaties, states = (tables[p.name] for p in needed)
    errors = validate_tables(events, treaties, states, tables.get("groups.csv"), tables.get("clauses.csv"))
    codes, ids = {r.get("iso3") for r in states.rows}, {r.get("id") for r in treaties.rows}
    errors += validate_conflicts(tables["conflicts.csv"], ids, codes) if "conflicts.csv" in tables else []
    if not errors:  # the hand-kept rows and the notes are read against a registry known to be whole
        errors += curated_rows(tables.get("curated_events.csv"), events, treaties, states, tables.get("clauses.csv"))
        errors += clause_rules.reason_rows(tables.get("reasons.csv"), events)
        errors += event_rules.note_rows(tables.get("untc_notes.csv"), treaties, states)
        errors += link_rules.succession_rows(tables.get("successions.csv"), codes)
        errors += link_rules.attribution_rows(tables.get("attributions.csv"), codes, ids)
        errors += link_rules.correction_rows(tables.get("corrections.csv"), codes, ids)
        errors += link_rules.step_gap_rows(tables.get("step_gaps.csv"), codes, ids)
        gaps, curated = tables.get("lifetime_gaps.csv"), tables.get("curated_events.csv")
        errors += link_rules.gap_rows(gaps, states) + event_rules.acts_outside_gaps([events, curated], gaps)
        errors += validation_cross.cross_checks(tables, folder, config.GEOMETRY_NAME)
    errors += validation_cross.no_control_characters(tables)
    return errors + date_rules.bounds_as_built(events) + check_package(folder, _DEEP, tables)
