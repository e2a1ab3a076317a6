"""The End Notes of a UNTC status page, read and classified by their text.

An End Note records what the participants table cannot: a withdrawal with its notice and effect dates, a
signatory's renunciation, a predecessor state's acts. A note no rule recognizes stays a ``note`` (reported,
never dropped). Split from ``untc`` so each stays readable; ``untc`` re-exports what it needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

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


class ParseError(ValueError):
    """A status page does not have the shape the parser knows; the message names the file and the spot."""


@dataclass
class EndNote:
    number: int
    text: str
    kind: str = "note"
    date: date | None = None
    effective_date: date | None = None
    #: the page gives the effect "subject to the condition" of an armed-conflict clause (APMBC/CCM art. 20(3)):
    #: the day is then a lower bound, not the day of effect
    effect_conditional: bool = False
    ref: str = ""
    predecessor: str = ""
    acts: list[tuple[str, date]] = field(default_factory=list)


def parse_long_date(text: str) -> date:
    day, month, year = _LONG_DATE.fullmatch(text.strip()).groups()
    return datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()


def _withdrawal(note: EndNote, clean: str) -> None:
    deposit = re.search(r"On (\d{1,2} \w+ \d{4}),[^.]*?deposited[^.]*?notification of withdrawal", clean)
    effect = re.search(r"withdrawal (?:took|will take|takes) effect for [^.]*? on (\d{1,2} \w+ \d{4})", clean)
    if not (deposit and effect):
        raise ParseError(f"note {note.number}: a withdrawal without a readable deposit and effect date: {clean[:200]}")
    note.date, note.effective_date = parse_long_date(deposit.group(1)), parse_long_date(effect.group(1))
    note.effect_conditional = "subject to the condition" in clean


def _predecessor(note: EndNote, match: re.Match) -> None:
    """'Czechoslovakia had signed and ratified the Convention on 10 April 1981 and 31 August 1982, respectively'."""
    note.predecessor = match.group(1)
    verbs = re.split(r" and ", match.group(2))
    days = [parse_long_date(text) for text in re.findall(r"\d{1,2} \w+ \d{4}", match.group(3))]
    note.acts = list(zip(verbs, days))
    note.date = days[0] if days else None


_REFERENCE = re.compile(
    r"see note \d+ under .*? in the .historical information. section in the front matter of this volume\.?"
)
_DECLARATION = re.compile(
    r"declar|reservation|understanding|provisional|shall not apply|shall apply|extend to|"
    r"territor|apply to|notified the secretary-general|protocols concerned|consent to be bound|"
    r"^on behalf of|^for the kingdom|regarding (berlin|hong kong|aruba)"
)


def _other_kind(low: str) -> tuple[str, bool]:
    """The kind of a note that is neither a withdrawal nor a predecessor's act, and whether its date counts."""
    if "signature was cancelled" in low:
        return "signature_cancelled", True
    if _REFERENCE.fullmatch(low) or "official records of the general assembly" in low:
        return "reference", False
    if re.search(r"communicat|objection|received from the government", low):
        return "communication", True
    if _DECLARATION.search(low):
        return "declaration", True
    return "note", False


def classify_note(number: int, text: str) -> EndNote:
    """Read a note's text: a withdrawal (notice and effect), a signatory's renunciation, a succession, ..."""
    clean = re.sub(r"\s+", " ", text).strip()
    note = EndNote(number, clean)
    cn_match = _CN.search(clean)
    note.ref = cn_match.group(0).rstrip(".") if cn_match else ""
    dates = [parse_long_date(match.group(0)) for match in _LONG_DATE.finditer(clean)]
    low = clean.lower()
    if "notification of withdrawal" in low:
        note.kind = "withdrawal"
        _withdrawal(note, clean)
    elif "does not intend to become a party" in low:
        note.kind = "signature_withdrawal"
        received = re.search(r"(?:received on|On) (\d{1,2} \w+ \d{4})", clean)
        note.date = parse_long_date(received.group(1)) if received else (dates[0] if dates else None)
    elif match := _PREDECESSOR.search(clean):
        note.kind = "predecessor"
        _predecessor(note, match)
    else:
        note.kind, dated = _other_kind(low)
        if dated:
            note.date = dates[0] if dates else None
    return note
