"""Parser for the UN Treaty Collection's chapter XXVI status pages.

The depositary's page is the primary record, so the parser keeps everything it shows: every participant row,
every date with its suffix code, the brackets that mark a withdrawal in effect, and every End Note (classified
by its text; a note it cannot classify is kept as ``note`` and reported, never dropped).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import lxml.html

from ..countries import UnknownCountryError
from ..schema import BRACKET_NOTE
from .endnotes import PREDECESSOR_ISO3, EndNote, ParseError, classify_note, parse_long_date
from .pagecheck import read_page_text, require_notes, require_whole

#: UNTC suffix code → action in the events vocabulary (docs/data-model.md).
CONSENT_CODES = {
    "": "ratification",
    "a": "accession",
    "A": "acceptance",
    "AA": "approval",
    "d": "succession",
    "P": "consent",
    "s": "definitive_signature",
}
MONTHS = {
    month: number
    for number, month in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1
    )
}
_DATE = re.compile(r"(\d{1,2})\s+([A-Z][a-z]{2})[a-z]*\.?\s+(\d{4})\s*([A-Za-z]{0,2})\b")
_VERB_ACTION = {
    "signed": "signature",
    "ratified": "ratification",
    "acceded to": "accession",
    "succeeded to": "succession",
}
_PAGE_URL = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={mtdsg}&chapter=26&clang=_en"


@dataclass
class Cell:
    """One dated cell of the participants table."""

    date: date
    code: str
    bracketed: bool


@dataclass
class Participant:
    name: str
    notes: list[int]
    line: int = 0
    signature: Cell | None = None
    provisional: Cell | None = None
    consent: Cell | None = None

    @property
    def bracketed(self) -> bool:
        return any(cell is not None and cell.bracketed for cell in (self.signature, self.provisional, self.consent))


@dataclass
class StatusPage:
    """Everything one status page says."""

    path: Path
    mtdsg: str
    title: str
    status_date: date
    signatories: int | None
    parties: int | None
    entry_into_force: date | None
    participants: list[Participant] = field(default_factory=list)
    notes: dict[int, EndNote] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return _PAGE_URL.format(mtdsg=self.mtdsg)


def parse_date(text: str) -> tuple[date, str] | None:
    """'3 Dec\\t 2008 a' → (2008-12-03, 'a'); None for an empty cell."""
    match = _DATE.search(text.replace("\xa0", " "))
    if not match:
        return None
    day, mon, year, code = match.groups()
    if mon not in MONTHS:
        raise ValueError(f"unknown month {mon!r} in {text!r}")
    return date(int(year), MONTHS[mon], int(day)), code


def _cell(td) -> Cell | None:
    text = td.text_content().replace("\xa0", " ").strip()
    parsed = parse_date(text)
    if parsed is None and text.strip("[] "):
        raise ValueError(f"{text!r} is not a date like '3 Dec 2008' (with an optional suffix code)")
    if parsed is None:
        return None
    day, code = parsed
    return Cell(day, code, text.startswith("["))


def _participant_table(doc, path: Path):
    for table in doc.xpath("//table"):
        rows = table.xpath("./tr|./tbody/tr")
        if not rows:
            continue
        header = [cell.text_content().strip() for cell in rows[0].xpath("./td|./th")]
        if (
            header
            and header[0] == "Participant"
            and any(
                word in title for title in header[1:] for word in ("Signature", "Ratification", "Consent", "Succession")
            )
        ):
            return header, rows[1:]
    raise ParseError(f"{path}: no participants table (a first row starting 'Participant')")


def _column_roles(header: list[str], path: Path) -> list[str]:
    roles = []
    for title in header[1:]:
        if title.startswith("Signature"):
            roles.append("signature")
        elif title.startswith("Provisional application"):
            roles.append("provisional")
        elif any(word in title for word in ("Ratification", "Consent", "Succession", "Accession", "Acceptance")):
            roles.append("consent")
        else:
            raise ParseError(f"{path}: unknown column {title!r} in the participants table")
    return roles


def _header(doc, path: Path, mtdsg: str | None) -> StatusPage:
    """The page's header: status date, counts, entry into force, title and chapter number."""
    text = re.sub(r"\s+", " ", doc.text_content())
    status = re.search(r"STATUS AS AT : (\d{2})-(\d{2})-(\d{4})", text)
    if not status:
        raise ParseError(f"{path}: no 'STATUS AS AT : dd-mm-yyyy' header")
    signatories = re.search(r"Signatories : (\d+)", text)
    parties = re.search(r"Parties : (\d+)", text)
    in_force = re.search(r"Entry into force : (\d{1,2} \w+ \d{4})", text)
    title = re.search(
        r"DISARMAMENT (\d+(?:\s?\.\s?\w)?)\s?\.?\s(.*?)(?= Entry into force| Status :| Registration)", text
    )
    if mtdsg is None:
        link = re.search(r"mtdsg_no=(XXVI-[\w-]+)", lxml.html.tostring(doc, encoding="unicode"))
        mtdsg = link.group(1) if link else ""
    return StatusPage(
        path=path,
        mtdsg=mtdsg,
        title=title.group(2).strip() if title else "",
        status_date=date(int(status.group(3)), int(status.group(2)), int(status.group(1))),
        signatories=int(signatories.group(1)) if signatories else None,
        parties=int(parties.group(1)) if parties else None,
        entry_into_force=parse_long_date(in_force.group(1)) if in_force else None,
    )


def _participant(cells, roles: list[str], path: Path, line: int) -> Participant:
    first = cells[0]
    links = [link.text_content().strip() for link in first.xpath(".//sup//a")]
    notes = [int(text) for text in links if text.isdigit()]
    for sup in first.xpath(".//sup"):
        sup.drop_tree()
    person = Participant(name=re.sub(r"\s+", " ", first.text_content()).strip(), notes=notes, line=line)
    for role, td in zip(roles, cells[1:]):
        try:
            cell = _cell(td)
        except ValueError as exc:
            raise ParseError(f"{path}: participants row {line} ({person.name}), column {role!r}: {exc}") from exc
        if cell is not None:
            setattr(person, role, cell)
    return person


def parse_page(path: str | Path, mtdsg: str | None = None) -> StatusPage:
    """Parse one saved status page (the HTML the site serves, as saved by a browser or a scraper).

    A page that is not whole (cut before ``</html>``, its table not closed, an End Note missing), a cell that is
    not a date, a row with a missing cell: each is a ``ParseError`` naming the page, the row and the column.
    """
    path = Path(path)
    text = read_page_text(path)
    doc = lxml.html.parse(str(path)).getroot()
    if doc is None:
        raise ParseError(f"{path}: empty file")
    page = _header(doc, path, mtdsg)
    header, rows = _participant_table(doc, path)
    roles = _column_roles(header, path)
    for line, row in enumerate(rows, start=2):
        cells = row.xpath("./td|./th")
        if len(cells) != len(header):
            name = " ".join(cells[0].text_content().split()) if cells else ""
            missing = header[len(cells)] if len(cells) < len(header) else "(extra)"
            raise ParseError(
                f"{path}: participants row {line} ({name}), column {missing!r}: {len(cells)} cells, the header "
                f"has {len(header)}"
            )
        page.participants.append(_participant(cells, roles, path, line))
    require_whole(path, text, rows[-1].sourceline if rows else None)
    _read_notes(doc, page)
    require_notes(page)
    return page


def _read_notes(doc, page: StatusPage) -> None:
    for div in doc.xpath('//div[@class="divNotesAll"]'):
        anchor = div.xpath(".//a[@name]")
        if not anchor:
            continue
        number = int(anchor[0].get("name"))
        body = re.sub(rf"^{number}", "", div.text_content().strip(), count=1)
        page.notes[number] = classify_note(number, body)


def _consent_action(page: StatusPage, person: Participant) -> str:
    code = person.consent.code
    if code == "n":
        return "provisional_application"
    if code in CONSENT_CODES:
        return CONSENT_CODES[code]
    raise ParseError(f"{page.path}: {person.name}: unknown suffix code {code!r}")


def _participant_events(page: StatusPage, person: Participant, iso3: str, src: dict) -> list[dict]:
    """The dated cells of one participants row, as events (a bracket marks a withdrawal in effect)."""
    bracket = BRACKET_NOTE if person.bracketed else ""
    events = []
    if person.signature:
        succession = "succession to signature" if person.signature.code == "d" else ""
        note = "; ".join(text for text in (succession, bracket) if text)
        events.append(dict(state=iso3, action="signature", date=person.signature.date.isoformat(), note=note, **src))
    if person.provisional:
        day = person.provisional.date.isoformat()
        events.append(dict(state=iso3, action="provisional_application", date=day, note=bracket, **src))
    if person.consent:
        action = _consent_action(page, person)
        events.append(dict(state=iso3, action=action, date=person.consent.date.isoformat(), note=bracket, **src))
    return events


def _note_row(page: StatusPage, number: int, note: EndNote, states: list[str]) -> dict:
    return dict(
        number=number,
        kind=note.kind,
        states="|".join(states),
        date=note.date.isoformat() if note.date else "",
        effective_date=note.effective_date.isoformat() if note.effective_date else "",
        ref=note.ref,
        text=note.text,
        source=page.url,
        source_date=page.status_date.isoformat(),
    )


_CONDITIONAL = (
    ": the page gives the effect 'subject to the condition' of the armed-conflict clause (art. 20(3)), so the day"
    " it names is held as 'not before' (effective_date_edtf), not as the day of effect"
)


def _effect(note) -> dict:
    """The effect as the page gives it: a day, or, when the page makes it conditional, not before that day."""
    day = note.effective_date.isoformat() if note.effective_date else ""
    if note.effect_conditional and day:
        return dict(effective_date="", effective_date_edtf=f"[{day}..]")
    return dict(effective_date=day)


def _note_events(page: StatusPage, number: int, note: EndNote, states: list[str], src: dict) -> list[dict]:
    """The events an End Note records: a withdrawal or renunciation, or a predecessor's acts."""
    if note.kind in ("withdrawal", "signature_withdrawal"):
        if len(states) != 1:
            raise ParseError(f"{page.path}: End Note {number} ({note.kind}) is attached to {states or 'no one'}")
        return [
            dict(
                state=states[0],
                action=note.kind,
                date=note.date.isoformat(),
                **_effect(note),
                ref=note.ref,
                note=f"End Note {number}" + (_CONDITIONAL if note.effect_conditional else ""),
                **src,
            )
        ]
    if note.kind == "predecessor":
        iso3, successors = PREDECESSOR_ISO3[note.predecessor], ", ".join(states)
        note_text = f"End Note {number} (predecessor of {successors})"
        return [
            dict(state=iso3, action=_VERB_ACTION[verb], date=day.isoformat(), note=note_text, **src)
            for verb, day in note.acts
        ]
    return []


def page_events(page: StatusPage, resolve) -> tuple[list[dict], list[dict]]:
    """Turn a parsed page into event rows and note rows (docs/data-model.md); `resolve` maps names to ISO3."""
    src = dict(source=page.url, source_date=page.status_date.isoformat(), source_kind="depositary", depositary="UN")
    events, notes = [], []
    noted: dict[int, list[str]] = {}
    for person in page.participants:
        try:
            iso3 = resolve(person.name)
        except UnknownCountryError as exc:
            raise ParseError(
                f"{page.path}: participants row {person.line}, column 'Participant': {' '.join(str(exc).split())}"
            ) from None
        for number in person.notes:
            noted.setdefault(number, []).append(iso3)
        events += _participant_events(page, person, iso3, src)
    for number, note in sorted(page.notes.items()):
        states = noted.get(number, [])
        notes.append(_note_row(page, number, note, states))
        events += _note_events(page, number, note, states, src)
    return events, notes


def read_2014_table(path: str | Path) -> list[dict]:
    """The 2013–14 scrape (CSV with UNTC date strings, no notes): name, role, date, code per dated cell."""
    path = Path(path)
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        roles = _column_roles(header, path)
        out = []
        for line, row in enumerate(reader, start=2):
            for role, text in zip(roles, row[1:]):
                parsed = parse_date(text)
                if parsed:
                    out.append(
                        dict(
                            name=row[0].strip(),
                            role=role,
                            date=parsed[0],
                            code=parsed[1],
                            bracketed=text.strip().startswith("["),
                            line=line,
                        )
                    )
        return out
