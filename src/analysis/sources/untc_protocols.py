"""CCW Protocols I–III: which of them each party accepted, read from the "x" table of the CCW status page.

The Convention's page has a second table, "Consent to be bound by Protocols I, II, and III", one row per party
and an "x" per protocol accepted. Its End Note says that "unless otherwise indicated, acceptance was notified
upon ratification, acceptance, approval of, accession or succession to the Convention"; a later acceptance is
written "x (18 July 2002)". So each "x" becomes one row of the protocol's own treaty id (``ccw_p1``..``ccw_p3``):
the Convention's consent (its action and day, so a succession binds as one) or, where the page gives a day, a
``consent`` on that day. A predecessor's End Note that names the protocols it accepted gives its rows too.
Everything else on the page stays with ``untc.py``; this module only adds the protocols' rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import lxml.html

from ..countries import UnknownCountryError
from .endnotes import PREDECESSOR_ISO3, ParseError, parse_long_date
from .untc import _VERB_ACTION, StatusPage, _consent_action

#: The page's column titles → the registry ids of the protocols they stand for.
PROTOCOL_COLUMNS = {"Protocol I": "ccw_p1", "Protocol II": "ccw_p2", "Protocol III": "ccw_p3"}
_LABEL = {treaty: title for title, treaty in PROTOCOL_COLUMNS.items()}
#: The page that holds the table: the Convention's (MTDSG XXVI-2).
CCW_MTDSG = "XXVI-2"
#: A cell: "x" (any case), optionally with the day of a later acceptance in brackets.
_MARK = re.compile(r"^[xX](?:\s*\((\d{1,2} \w+ \d{4})\))?$")
#: A predecessor's End Note that says it accepted all three protocols with the Convention.
_ALL_THREE = re.compile(r"Protocols I, II and III|all three Protocols")


@dataclass
class ProtocolRow:
    """One row of the x table: the participant's name as printed, its note numbers, and per protocol id the
    day of a later acceptance (None: accepted with the Convention)."""

    name: str
    line: int
    notes: list[int] = field(default_factory=list)
    accepted: dict[str, date | None] = field(default_factory=dict)


def _protocol_table(doc, path) -> tuple[list[str], list]:
    for table in doc.xpath("//table"):
        rows = table.xpath("./tr|./tbody/tr")
        if not rows:
            continue
        header = [" ".join(cell.text_content().split()) for cell in rows[0].xpath("./td|./th")]
        if header[:1] == ["Participant"] and set(header[1:]) == set(PROTOCOL_COLUMNS):
            return header, rows[1:]
    raise ParseError(f"{path}: no table 'Participant | Protocol I | Protocol II | Protocol III'")


def _mark(text: str, where: str) -> tuple[bool, date | None]:
    """'' → not accepted; 'x' → accepted with the Convention; 'x (18 July 2002)' → accepted on that day."""
    text = " ".join(text.replace("\xa0", " ").split())
    if not text:
        return False, None
    match = _MARK.match(text)
    if not match:
        raise ParseError(f"{where}: {text!r} is neither empty, 'x' nor 'x (day month year)'")
    return True, parse_long_date(match.group(1)) if match.group(1) else None


def parse_protocol_table(path) -> list[ProtocolRow]:
    """The x table of a saved CCW status page; any other cell text is a ``ParseError`` naming row and column."""
    doc = lxml.html.parse(str(path)).getroot()
    header, rows = _protocol_table(doc, path)
    out = []
    for line, row in enumerate(rows, start=2):
        cells = row.xpath("./td|./th")
        if len(cells) != len(header):
            raise ParseError(f"{path}: protocols table row {line}: {len(cells)} cells, the header has {len(header)}")
        notes = [
            int(text) for text in (a.text_content().strip() for a in cells[0].xpath(".//sup//a")) if text.isdigit()
        ]
        for sup in cells[0].xpath(".//sup"):
            sup.drop_tree()
        person = ProtocolRow(name=" ".join(cells[0].text_content().split()), line=line, notes=notes)
        for title, td in zip(header[1:], cells[1:]):
            taken, day = _mark(td.text_content(), f"{path}: protocols table row {line} ({person.name}), {title!r}")
            if taken:
                person.accepted[PROTOCOL_COLUMNS[title]] = day
        out.append(person)
    return out


def _row(iso3: str, treaty: str, action: str, day: date, note: str, src: dict) -> dict:
    return dict(state=iso3, treaty=treaty, action=action, date=day.isoformat(), note=note, **src)


def _party_rows(page: StatusPage, person: ProtocolRow, iso3: str, consents: dict, src: dict) -> list[dict]:
    where = f"{page.path}: protocols table row {person.line} ({person.name})"
    if iso3 not in consents:
        raise ParseError(f"{where}: accepts a protocol but has no consent to the Convention on the page")
    party = consents[iso3]
    if party.bracketed:
        raise ParseError(f"{where}: its Convention dates are bracketed (withdrawal); the protocols' rows need a rule")
    rows = []
    for treaty, later in sorted(person.accepted.items()):
        label = _LABEL[treaty]
        if later is None:
            action, day = _consent_action(page, party), party.consent.date
            note = f"{label} accepted with the Convention's {action} ('x' in the page's table of Protocols I-III)"
        else:
            action, day = "consent", later
            note = f"{label} accepted later: 'x ({later.day} {later:%B %Y})' in the page's table of Protocols I-III"
        rows.append(_row(iso3, treaty, action, day, note, src))
    return rows


def _predecessor_rows(page: StatusPage, ids: set[str], src: dict) -> list[dict]:
    """A predecessor's consent, for each protocol its End Note says it accepted (all three, or none read)."""
    rows = []
    for number, note in sorted(page.notes.items()):
        if note.kind != "predecessor" or not _ALL_THREE.search(note.text):
            continue
        iso3 = PREDECESSOR_ISO3[note.predecessor]
        for verb, day in note.acts:
            if _VERB_ACTION[verb] == "signature":
                continue
            text = f"End Note {number}: accepted Protocols I, II and III with the Convention's {_VERB_ACTION[verb]}"
            rows += [_row(iso3, treaty, _VERB_ACTION[verb], day, text, src) for treaty in sorted(ids)]
    return rows


def protocol_events(page: StatusPage, resolve, treaty_ids) -> list[dict]:
    """Rows for the CCW protocols the registry holds (``treaty_ids``); none for any other page."""
    ids = set(PROTOCOL_COLUMNS.values()) & set(treaty_ids)
    if page.mtdsg != CCW_MTDSG or not ids:
        return []
    src = dict(source=page.url, source_date=page.status_date.isoformat(), source_kind="depositary", depositary="UN")
    consents = {}
    for person in page.participants:
        if person.consent is not None:
            consents[resolve(person.name)] = person
    rows = []
    for person in parse_protocol_table(page.path):
        try:
            iso3 = resolve(person.name)
        except UnknownCountryError as exc:
            raise ParseError(f"{page.path}: protocols table row {person.line}: {' '.join(str(exc).split())}") from None
        rows += [row for row in _party_rows(page, person, iso3, consents, src) if row["treaty"] in ids]
    return rows + _predecessor_rows(page, ids, src)
