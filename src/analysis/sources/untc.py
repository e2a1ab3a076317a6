"""Parser for the UN Treaty Collection's chapter XXVI status pages.

The depositary's page is the primary record, so the parser keeps everything it shows: every participant row,
every date with its suffix code, the brackets that mark a withdrawal in effect, and every End Note (classified
by its text; a note it cannot classify is kept as ``note`` and reported, never dropped).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import lxml.html

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
    m: i
    for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)
}
_DATE = re.compile(r"(\d{1,2})\s+([A-Z][a-z]{2})[a-z]*\.?\s+(\d{4})\s*([A-Za-z]{0,2})\b")
_LONG_DATE = re.compile(
    r"(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(\d{4})"
)
_CN = re.compile(r"C\.N\.\s?\d+\.\d{4}(?:\.TREATIES-[\w.-]+?)?(?=[\s,;)]|\.?\s|$)")
_PREDECESSOR = re.compile(
    r"^(?:The )?(former Yugoslavia|Czechoslovakia|German Democratic Republic|Democratic Yemen|"
    r"Union of Soviet Socialist Republics|Serbia and Montenegro) had ((?:signed|ratified|acceded to|succeeded to)"
    r"(?: and (?:signed|ratified|acceded to))?) the Convention(?: [^.]*?,)? on (\d{1,2} \w+ \d{4}(?: and \d{1,2} \w+ \d{4})?)"
)
#: ISO 3166-3 codes of the predecessor states that End Notes name.
PREDECESSOR_ISO3 = {
    "former Yugoslavia": "YUG",
    "Czechoslovakia": "CSK",
    "German Democratic Republic": "DDR",
    "Democratic Yemen": "YMD",
    "Union of Soviet Socialist Republics": "SUN",
    "Serbia and Montenegro": "SCG",
}
_VERB_ACTION = {
    "signed": "signature",
    "ratified": "ratification",
    "acceded to": "accession",
    "succeeded to": "succession",
}
_PAGE_URL = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={mtdsg}&chapter=26&clang=_en"


class ParseError(ValueError):
    """A status page does not have the shape the parser knows; the message names the file and the spot."""


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
    signature: Cell | None = None
    provisional: Cell | None = None
    consent: Cell | None = None

    @property
    def bracketed(self) -> bool:
        return any(c is not None and c.bracketed for c in (self.signature, self.provisional, self.consent))


@dataclass
class EndNote:
    number: int
    text: str
    kind: str = "note"
    date: date | None = None
    effective_date: date | None = None
    ref: str = ""
    predecessor: str = ""
    acts: list[tuple[str, date]] = field(default_factory=list)


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
    m = _DATE.search(text.replace("\xa0", " "))
    if not m:
        return None
    day, mon, year, code = m.groups()
    if mon not in MONTHS:
        raise ValueError(f"unknown month {mon!r} in {text!r}")
    return date(int(year), MONTHS[mon], int(day)), code


def parse_long_date(text: str) -> date:
    d, m, y = _LONG_DATE.fullmatch(text.strip()).groups()
    return datetime.strptime(f"{d} {m} {y}", "%d %B %Y").date()


def _cell(td) -> Cell | None:
    text = td.text_content().replace("\xa0", " ").strip()
    parsed = parse_date(text)
    if parsed is None:
        return None
    d, code = parsed
    return Cell(d, code, text.startswith("["))


def _participant_table(doc, path: Path):
    for table in doc.xpath("//table"):
        rows = table.xpath("./tr|./tbody/tr")
        if not rows:
            continue
        header = [c.text_content().strip() for c in rows[0].xpath("./td|./th")]
        if (
            header
            and header[0] == "Participant"
            and any("Signature" in h or "Ratification" in h or "Consent" in h or "Succession" in h for h in header[1:])
        ):
            return header, rows[1:]
    raise ParseError(f"{path}: no participants table (a first row starting 'Participant')")


def _column_roles(header: list[str], path: Path) -> list[str]:
    roles = []
    for h in header[1:]:
        if h.startswith("Signature"):
            roles.append("signature")
        elif h.startswith("Provisional application"):
            roles.append("provisional")
        elif any(k in h for k in ("Ratification", "Consent", "Succession", "Accession", "Acceptance")):
            roles.append("consent")
        else:
            raise ParseError(f"{path}: unknown column {h!r} in the participants table")
    return roles


def classify_note(number: int, text: str) -> EndNote:
    """Read a note's text: a withdrawal (notice and effect), a signatory's renunciation, a succession, ..."""
    clean = re.sub(r"\s+", " ", text).strip()
    note = EndNote(number, clean)
    cn = _CN.search(clean)
    note.ref = cn.group(0).rstrip(".") if cn else ""
    dates = [parse_long_date(m.group(0)) for m in _LONG_DATE.finditer(clean)]
    low = clean.lower()
    if "notification of withdrawal" in low:
        note.kind = "withdrawal"
        m = re.search(r"On (\d{1,2} \w+ \d{4}),[^.]*?deposited[^.]*?notification of withdrawal", clean)
        e = re.search(r"withdrawal (?:took|will take|takes) effect for [^.]*? on (\d{1,2} \w+ \d{4})", clean)
        if not (m and e):
            raise ParseError(f"note {number}: a withdrawal without a readable deposit and effect date: {clean[:200]}")
        note.date, note.effective_date = parse_long_date(m.group(1)), parse_long_date(e.group(1))
    elif "does not intend to become a party" in low:
        note.kind = "signature_withdrawal"
        m = re.search(r"(?:received on|On) (\d{1,2} \w+ \d{4})", clean)
        note.date = parse_long_date(m.group(1)) if m else (dates[0] if dates else None)
    elif m := _PREDECESSOR.search(clean):
        # "Czechoslovakia had signed and ratified the Convention on 10 April 1981 and 31 August 1982, respectively"
        note.kind = "predecessor"
        note.predecessor = m.group(1)
        verbs = re.split(r" and ", m.group(2))
        got = [parse_long_date(x) for x in re.findall(r"\d{1,2} \w+ \d{4}", m.group(3))]
        note.acts = list(zip(verbs, got))
        note.date = got[0] if got else None
    elif "signature was cancelled" in low:
        note.kind = "signature_cancelled"
        note.date = dates[0] if dates else None
    elif (
        re.fullmatch(
            r"see note \d+ under .*? in the .historical information. section in the front matter of "
            r"this volume\.?",
            low,
        )
        or "official records of the general assembly" in low
    ):
        note.kind = "reference"
    elif re.search(r"communicat|objection|received from the government", low):
        note.kind = "communication"
        note.date = dates[0] if dates else None
    elif re.search(
        r"declar|reservation|understanding|provisional|shall not apply|shall apply|extend to|"
        r"territor|apply to|notified the secretary-general|protocols concerned|consent to be bound|"
        r"^on behalf of|^for the kingdom|regarding (berlin|hong kong|aruba)",
        low,
    ):
        note.kind = "declaration"
        note.date = dates[0] if dates else None
    return note


def parse_page(path: str | Path, mtdsg: str | None = None) -> StatusPage:
    """Parse one saved status page (the HTML the site serves, as saved by a browser or a scraper)."""
    path = Path(path)
    doc = lxml.html.parse(str(path)).getroot()
    if doc is None:
        raise ParseError(f"{path}: empty file")
    text = re.sub(r"\s+", " ", doc.text_content())
    m = re.search(r"STATUS AS AT : (\d{2})-(\d{2})-(\d{4})", text)
    if not m:
        raise ParseError(f"{path}: no 'STATUS AS AT : dd-mm-yyyy' header")
    status_date = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    sig = re.search(r"Signatories : (\d+)", text)
    par = re.search(r"Parties : (\d+)", text)
    eif = re.search(r"Entry into force : (\d{1,2} \w+ \d{4})", text)
    title = re.search(
        r"DISARMAMENT (\d+(?:\s?\.\s?\w)?)\s?\.?\s(.*?)(?= Entry into force| Status :| Registration)", text
    )
    if mtdsg is None:
        link = re.search(r"mtdsg_no=(XXVI-[\w-]+)", lxml.html.tostring(doc, encoding="unicode"))
        mtdsg = link.group(1) if link else ""
    page = StatusPage(
        path=path,
        mtdsg=mtdsg,
        title=title.group(2).strip() if title else "",
        status_date=status_date,
        signatories=int(sig.group(1)) if sig else None,
        parties=int(par.group(1)) if par else None,
        entry_into_force=parse_long_date(eif.group(1)) if eif else None,
    )
    header, rows = _participant_table(doc, path)
    roles = _column_roles(header, path)
    for i, row in enumerate(rows, start=2):
        cells = row.xpath("./td|./th")
        if len(cells) != len(header):
            raise ParseError(f"{path}: participants row {i} has {len(cells)} cells, the header {len(header)}")
        first = cells[0]
        notes = [int(a.text_content().strip()) for a in first.xpath(".//sup//a") if a.text_content().strip().isdigit()]
        for sup in first.xpath(".//sup"):
            sup.drop_tree()
        p = Participant(name=re.sub(r"\s+", " ", first.text_content()).strip(), notes=notes)
        for role, td in zip(roles, cells[1:]):
            try:
                c = _cell(td)
            except ValueError as exc:
                raise ParseError(f"{path}: participants row {i} ({p.name}), column {role}: {exc}") from exc
            if c is not None:
                setattr(p, role, c)
        page.participants.append(p)
    for div in doc.xpath('//div[@class="divNotesAll"]'):
        anchor = div.xpath(".//a[@name]")
        if not anchor:
            continue
        num = int(anchor[0].get("name"))
        body = div.text_content().strip()
        body = re.sub(rf"^{num}", "", body, count=1)
        page.notes[num] = classify_note(num, body)
    return page


def page_events(page: StatusPage, resolve) -> tuple[list[dict], list[dict]]:
    """Turn a parsed page into event rows and note rows (docs/data-model.md); `resolve` maps names to ISO3."""
    src = dict(source=page.url, source_date=page.status_date.isoformat(), source_kind="depositary", depositary="UN")
    events, notes = [], []
    noted: dict[int, list[str]] = {}
    for p in page.participants:
        iso3 = resolve(p.name)
        for n in p.notes:
            noted.setdefault(n, []).append(iso3)
        bracket = "bracketed on the status page (withdrawal in effect)" if p.bracketed else ""
        if p.signature:
            note = "succession to signature" if p.signature.code == "d" else ""
            events.append(
                dict(
                    state=iso3,
                    action="signature",
                    date=p.signature.date.isoformat(),
                    note="; ".join(x for x in (note, bracket) if x),
                    **src,
                )
            )
        if p.provisional:
            events.append(
                dict(
                    state=iso3,
                    action="provisional_application",
                    date=p.provisional.date.isoformat(),
                    note=bracket,
                    **src,
                )
            )
        if p.consent:
            code = p.consent.code
            if code == "n":
                action = "provisional_application"
            elif code in CONSENT_CODES:
                action = CONSENT_CODES[code]
            else:
                raise ParseError(f"{page.path}: {p.name}: unknown suffix code {code!r}")
            events.append(dict(state=iso3, action=action, date=p.consent.date.isoformat(), note=bracket, **src))
    for num, note in sorted(page.notes.items()):
        states = noted.get(num, [])
        notes.append(
            dict(
                number=num,
                kind=note.kind,
                states="|".join(states),
                date=note.date.isoformat() if note.date else "",
                effective_date=note.effective_date.isoformat() if note.effective_date else "",
                ref=note.ref,
                text=note.text,
                source=page.url,
                source_date=page.status_date.isoformat(),
            )
        )
        if note.kind in ("withdrawal", "signature_withdrawal"):
            if len(states) != 1:
                raise ParseError(f"{page.path}: End Note {num} ({note.kind}) is attached to {states or 'no one'}")
            events.append(
                dict(
                    state=states[0],
                    action=note.kind,
                    date=note.date.isoformat(),
                    effective_date=note.effective_date.isoformat() if note.effective_date else "",
                    ref=note.ref,
                    note=f"End Note {num}",
                    **src,
                )
            )
        elif note.kind == "predecessor":
            for verb, d in note.acts:
                events.append(
                    dict(
                        state=PREDECESSOR_ISO3[note.predecessor],
                        action=_VERB_ACTION[verb],
                        date=d.isoformat(),
                        note=f"End Note {num} (predecessor of {', '.join(states)})",
                        **src,
                    )
                )
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
