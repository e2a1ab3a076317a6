"""Is a status page whole, and does it agree with itself? The checks a page must pass before its rows count.

A page cut short by a dropped connection still parses (HTML parsers are forgiving), and a page that lost a row
still looks like a page. So before a page's rows may replace anything, it must be complete (it reaches
``</html>``; its participants table is closed; every End Note a row points to is there) and its header's counts
(signatories, parties) must equal what was parsed from its rows. Each failure is one line naming the page, and
where it can, the row and the column.
"""

from __future__ import annotations

from pathlib import Path

from ..text import NotUtf8, utf8
from .endnotes import ParseError

__all__ = ["read_page_text", "require_whole", "require_notes", "count_problems", "bracket_problems", "date_problems"]


def read_page_text(path: Path) -> str:
    """The page as text: UTF-8 only; anything else is refused in one line naming the page."""
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise ParseError(f"{path}: empty file")
    try:
        return utf8(raw)
    except NotUtf8 as exc:
        raise ParseError(f"{path}, {exc}; the page is not whole") from None


def require_whole(path: Path, text: str, last_row_line: int | None) -> None:
    """The page reaches ``</html>`` and its participants table is closed after its last row."""
    if "</html>" not in text[-4096:].lower():
        raise ParseError(f"{path}: the page stops before </html> (cut short?); refusing a partial page")
    if last_row_line is not None:
        offset = sum(len(line) + 1 for line in text.split("\n")[: last_row_line - 1])
        if "</table>" not in text[offset:].lower():
            raise ParseError(f"{path}: the participants table is not closed after line {last_row_line} (cut short?)")


def require_notes(page) -> None:
    """Every End Note a participants row points to is on the page."""
    for person in page.participants:
        missing = [number for number in person.notes if number not in page.notes]
        if missing:
            raise ParseError(
                f"{page.path}: participants row {person.line} ({person.name}), column 'Participant': End Note "
                f"{missing[0]} is referenced but the page has no such End Note (End Notes section missing?)"
            )


def count_problems(page) -> list[str]:
    """The header's counts against the rows: signatures and consents not in brackets (withdrawals in effect)."""
    signed = sum(1 for person in page.participants if person.signature and not person.signature.bracketed)
    bound = sum(
        1
        for person in page.participants
        if person.consent and person.consent.code != "n" and not person.consent.bracketed
    )
    problems = []
    for label, header, parsed in (("Signatories", page.signatories, signed), ("Parties", page.parties, bound)):
        if header is not None and header != parsed:
            problems.append(f"{page.path}: header says {label} : {header}, but the rows give {parsed}")
    return problems


def bracket_problems(page) -> list[str]:
    """A row in brackets (a withdrawal in effect) points to an End Note read as that withdrawal: otherwise the page
    counts the state out while the data would keep it a party. A bracketed signature alone may be a signature
    withdrawn or cancelled."""
    problems = []
    for person in page.participants:
        if not person.bracketed:
            continue
        kinds = {page.notes[n].kind for n in person.notes if n in page.notes}
        only_signature = not any(c is not None and c.bracketed for c in (person.provisional, person.consent))
        wanted = {"withdrawal"} | ({"signature_withdrawal", "signature_cancelled"} if only_signature else set())
        if not kinds & wanted:
            read = ", ".join(f"{n}: {page.notes[n].kind}" for n in person.notes if n in page.notes) or "none"
            problems.append(
                f"{page.path}: participants row {person.line} ({person.name}) is in brackets (a withdrawal in "
                f"effect), but no End Note of it reads as a withdrawal (End Notes {read}); the parser cannot read it"
            )
    return problems


def date_problems(page, today) -> list[str]:
    """A status page dated after the day it is read is no status page: its date would become the data's."""
    if page.status_date > today:
        return [f"{page.path}: status as at {page.status_date}, after today ({today}); refused"]
    return []
