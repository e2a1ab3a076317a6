"""The rules an act must obey to be possible at all: what must come before it, and when it can have happened.

The row checks in ``validation`` ask whether each cell is well formed; these ask whether the history is
possible. An exit needs a consent before it (by the same state, or by the state it succeeded), a signature
withdrawal needs a signature; no act is dated before the treaty was adopted or opened for signature, after the
day its source was published, or outside the acting state's existence. Each check takes ``Table`` objects and
returns messages ``'file, line N, column C: ...'``, like the checks in ``validation``.
"""

from __future__ import annotations

import re

from .date_rules import act_bounds, date_cells, said
from .schema import CONSENT, LATER_SOURCE, NOTE_COLUMNS, is_iso_day

__all__ = [
    "exits_need_consent",
    "signature_withdrawal_needs_signature",
    "acts_within_treaty_life",
    "acts_not_after_source",
    "later_sources_are_later",
    "sources_dated",
    "acts_within_state_life",
    "acts_outside_gaps",
    "registry_fields",
    "note_rows",
    "possible_history",
]

_SLUG = re.compile(r"[a-z0-9_]+")
#: Registry columns that hold a boolean, and whether an empty cell (not recorded) is allowed.
_BOOLEANS = {"states.csv": {"historical": False}}
_EXITS_NEEDING_CONSENT = ("withdrawal", "suspension", "ratification_revocation")


def _predecessors(states) -> dict[str, set[str]]:
    """Each state's predecessors, from both directions of the registry (``successor_of``, ``predecessor_of``)."""
    before: dict[str, set[str]] = {}
    for row in states.rows:
        for earlier in filter(None, row.get("successor_of", "").split("|")):
            before.setdefault(row["iso3"], set()).add(earlier)
        for later in filter(None, row.get("predecessor_of", "").split("|")):
            before.setdefault(later, set()).add(row["iso3"])
    return before


def _first_day(events, actions) -> dict[tuple[str, str], str]:
    """(state, treaty) → the earliest real day of any of ``actions``."""
    first: dict[tuple[str, str], str] = {}
    for row in events.rows:
        low, high = act_bounds(row)
        day = low or ("0001-01-01" if high else "")  # an uncertain act: its first possible day (open: any)
        if row["action"] in actions and is_iso_day(day):
            key = (row["state"], row["treaty"])
            first[key] = min(first.get(key, day), day)
    return first


def _needs_prior(events, states, acts, prior, what: str) -> list[str]:
    first = _first_day(events, prior)
    before = _predecessors(states) if states is not None else {}
    errors = []
    for where, row in events.lines():
        low, high = act_bounds(row)
        last = high or low  # an uncertain act: its last possible day (open: its first)
        if row["action"] not in acts or not is_iso_day(last):
            continue
        actors = {row["state"]} | before.get(row["state"], set())
        days = [first[(s, row["treaty"])] for s in actors if (s, row["treaty"]) in first]
        if not days or min(days) > last:
            errors.append(
                f"{where}, column 'action': {row['state']}/{row['treaty']} {row['action']} on {said(row)[1]} "
                f"has no {what} before it (by the state or a predecessor)"
            )
    return errors


def exits_need_consent(events, states) -> list[str]:
    """A withdrawal, suspension or revocation is possible only for a state that consented (or whose predecessor did)."""
    return _needs_prior(events, states, _EXITS_NEEDING_CONSENT, CONSENT, "consent to be bound")


def signature_withdrawal_needs_signature(events, states) -> list[str]:
    """Only a signatory can withdraw its signature."""
    return _needs_prior(events, states, ("signature_withdrawal",), ("signature",), "signature")


def signed_before_consent_at_each_depositary(events) -> list[str]:
    """Where a treaty has several depositaries, a state's signature with one of them precedes its consent there."""
    signed, consented = {}, {}
    for where, row in events.lines():
        if not row["depositary"] or not is_iso_day(row["date"]):
            continue
        key = (row["state"], row["treaty"], row["depositary"])
        if row["action"] == "signature" and row["date"] > signed.get(key, ("", ""))[0]:
            signed[key] = row["date"], where  # the latest signature ...
        elif row["action"] in CONSENT and row["date"] < consented.get(key, ("9999", ""))[0]:
            consented[key] = row["date"], where  # ... against the first consent
    return [
        f"{signed[key][1]}, column 'date': {key[0]}/{key[1]} signature with the depositary in {key[2]} on "
        f"{signed[key][0]} follows its consent there on {consented[key][0]}"
        for key in signed
        if key in consented and signed[key][0] > consented[key][0]
    ]


def acts_within_treaty_life(events, treaties) -> list[str]:
    """No act is dated before the treaty existed: its adoption, or its opening for signature if earlier."""
    start = {}
    for row in treaties.rows:
        days = [row.get(c, "") for c in ("adopted", "opened_for_signature")]
        days = [d for d in days if is_iso_day(d)]
        if days:
            start[row.get("id")] = min(days)
    return [
        f"{where}, column {said(row)[0]!r}: {said(row)[1]} is before {row['treaty']} was adopted or opened for "
        f"signature ({start[row['treaty']]})"
        for where, row in events.lines()
        if row["treaty"] in start and any(is_iso_day(d) and d < start[row["treaty"]] for d in act_bounds(row))
    ]


def acts_not_after_source(events) -> list[str]:
    """An act cannot be dated after the source that reports it was published (its effect may be later)."""
    return [  # an uncertain act: its first possible day (the source says it happened by its own date)
        f"{where}, column {said(row)[0]!r}: {said(row)[1]} is after the source's date {row['source_date']}"
        for where, row in events.lines()
        if is_iso_day(act_bounds(row)[0]) and is_iso_day(row["source_date"]) and act_bounds(row)[0] > row["source_date"]
    ]


def later_sources_are_later(events, treaties) -> list[str]:
    """A row flagged ``later source`` is dated after its treaty's ``known_until``: else the flag would claim a
    currency the depositary's record already has (and ``known_until`` itself never moves for such a row)."""
    until = {row.get("id"): row.get("known_until", "") for row in treaties.rows}
    return [
        f"{where}, column 'source_kind': {LATER_SOURCE!r} but {row['date']} is not after {row['treaty']}'s "
        f"known_until {until.get(row['treaty']) or '(none)'}"
        for where, row in events.lines()
        if row["source_kind"] == LATER_SOURCE
        and is_iso_day(row["date"])
        and not (is_iso_day(until.get(row["treaty"], "")) and row["date"] > until[row["treaty"]])
    ]


def sources_dated(events) -> list[str]:
    """A hand-kept row names the date of its source: the document's own date or, for a source that states none,
    the latest date it records (data/README.md). Without it a reader cannot tell how recent the evidence is, and
    ``acts_not_after_source`` has nothing to check the act against."""
    return [
        f"{where}, column 'source_date': empty; a curated row gives the date of its source (the document's date, "
        f"or for an undated source the latest date it records)"
        for where, row in events.lines()
        if not row["source_date"].strip()
    ]


def acts_within_state_life(events, states) -> list[str]:
    """No act falls outside the acting state's existence: after its ``until`` or before its ``since`` (if held)."""
    life = {row["iso3"]: (row.get("since", ""), row.get("until", "")) for row in states.rows}
    errors = []
    for where, row in events.lines():
        since, until = life.get(row["state"], ("", ""))
        days = [day for day in act_bounds(row) if is_iso_day(day)]  # an uncertain act: both its known bounds
        column, text = said(row)
        if is_iso_day(until) and any(day >= until for day in days):
            errors.append(f"{where}, column {column!r}: {text}, but {row['state']} ceased to exist on {until}")
        if is_iso_day(since) and any(day < since for day in days):
            errors.append(f"{where}, column {column!r}: {text}, but {row['state']} came into existence on {since}")
    return errors


def acts_outside_gaps(event_tables, gaps) -> list[str]:
    """No act falls inside a gap in its author's existence (``lifetime_gaps.csv``: from ``ended`` to the day before
    ``resumed``): the state did not exist then, so a row dated there has a wrong day or a wrong author."""
    spans: dict[str, list[tuple[str, str]]] = {}
    for row in gaps.rows if gaps is not None else []:
        if is_iso_day(row.get("ended", "")) and is_iso_day(row.get("resumed", "")):
            spans.setdefault(row["iso3"], []).append((row["ended"], row["resumed"]))
    return [
        f"{where}, column {said(row)[0]!r}: {said(row)[1]}, but {row['state']} did not exist from {ended} to the "
        f"day before {resumed}"
        for events in event_tables
        if events is not None
        for where, row in events.lines()
        for ended, resumed in spans.get(row["state"], [])
        if any(is_iso_day(day) and ended <= day < resumed for day in act_bounds(row))
    ]


def registry_fields(table) -> list[str]:
    """Treaty ids are slugs (they become file names and addresses); booleans are exactly 'true' or 'false'."""
    errors = []
    booleans = _BOOLEANS.get(table.path.name, {})
    for where, row in table.lines():
        if table.path.name == "treaties.csv" and not _SLUG.fullmatch(row.get("id", "")):
            errors.append(f"{where}, column 'id': {row.get('id')!r} is not a slug (lower-case letters, digits, _)")
        for column, may_be_empty in booleans.items():
            value = row.get(column, "")
            if value not in ("true", "false") and not (may_be_empty and value == ""):
                errors.append(f"{where}, column {column!r}: {value!r}, expected 'true' or 'false'")
    return errors


def note_rows(notes, treaties, states) -> list[str]:
    """The End Notes register: a known treaty, known states, one number per note and treaty, real days, a source."""
    if notes is None:
        return []
    path = notes.path
    errors = list(notes.errors) + [
        f"{path}, line 1: missing column {c!r}" for c in NOTE_COLUMNS if c not in notes.columns
    ]
    if errors:
        return errors
    ids, codes, seen = {r.get("id") for r in treaties.rows}, {r.get("iso3") for r in states.rows}, {}
    for where, row in notes.lines():
        if row["treaty"] not in ids:
            errors.append(f"{where}, column 'treaty': {row['treaty']!r} is not a treaty id in {treaties.path.name}")
        errors += [
            f"{where}, column 'states': {code!r} is not an ISO3 code in {states.path.name}"
            for code in filter(None, row["states"].split("|"))
            if code not in codes
        ]
        if not row["number"].isdigit() or (row["treaty"], row["number"]) in seen:
            errors.append(f"{where}, column 'number': {row['number']!r} is not a new whole number for {row['treaty']}")
        seen[(row["treaty"], row["number"])] = where
        errors += [
            f"{where}, column {c!r}: {row[c]!r} is not a date YYYY-MM-DD"
            for c in ("date", "effective_date", "source_date")
            if row[c] and not is_iso_day(row[c])
        ]
        if not row["source"]:
            errors.append(f"{where}, column 'source': empty; every row names its source")
    return errors


def possible_history(events, treaties, states) -> list[str]:
    """The rules of ``event_rules``: prior consent or signature, within the treaty's, the source's, the state's life."""
    return (
        exits_need_consent(events, states)
        + signature_withdrawal_needs_signature(events, states)
        + signed_before_consent_at_each_depositary(events)
        + acts_within_treaty_life(events, treaties)
        + acts_not_after_source(events)
        + later_sources_are_later(events, treaties)
        + acts_within_state_life(events, states)
        + date_cells(events)
    )
