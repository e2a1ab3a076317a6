"""Days and the dates that are less than a day: the one day parser and the one EDTF parser.

Ground floor beside ``config``; ``schema`` re-exports everything here, so the rest of the package still takes its
days from ``schema``. A source often says less than a day ("ratified in 1969", "in late March 2024", "on or before
6 March 1979") or more than one ("on 11 January or on 10 April 2003"). Such a date is kept as EDTF text (the
Library of Congress' Extended Date/Time Format, ISO 8601-2) and read here into the days it allows.

The ``edtf`` package is not a dependency: this parser reads the subset the dataset uses, and refuses the rest in
one line. It also avoids that package's two traps, by construction: an open end (``[..1979-03-06]``) stays open
(``None``), never a day ten years off, and "on or before X" keeps X as its latest day, never an unknown.
"""

from __future__ import annotations

import calendar
import functools
import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime

__all__ = [
    "ACCEPTED_DAYS",
    "ACCEPTED_EDTF",
    "DayError",
    "EdtfError",
    "Edtf",
    "parse_day",
    "is_iso_day",
    "parse_edtf",
    "describe_edtf",
    "describe_day",
    "bounds_text",
    "add_months",
    "notice_effect",
]

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ACCEPTED_DAYS = "an ISO day YYYY-MM-DD (e.g. 2025-03-06), a date, a datetime or a pandas Timestamp"


class DayError(ValueError):
    """A value that is not one unambiguous day; the message says what is accepted, in one line."""


@functools.lru_cache(maxsize=65536)
def is_iso_day(text: str) -> bool:
    """True for a string that is exactly a real day ``YYYY-MM-DD`` (``2024-02-30`` is not)."""
    if not isinstance(text, str) or not _ISO_DAY.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def parse_day(value, name: str = "day") -> date:
    """The one day parser: an ISO day string, a ``date``, a ``datetime`` or a ``Timestamp`` becomes a ``date``.

    Ambiguous or partial forms are refused rather than guessed, because a wrong day in a report is the worst bug:
    ``01/12/2024`` (January or December?), ``2024`` and ``2024-12`` (which day?), ``""``. A datetime keeps its day
    and drops its time. The error is one line naming the parameter and what is accepted.
    """
    if isinstance(value, datetime):  # pandas.Timestamp is a datetime; NaT is one too, and has no day
        if value != value:  # NaT
            raise DayError(f"{name}: NaT is not a day; give {ACCEPTED_DAYS}")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if is_iso_day(text):
            return date.fromisoformat(text)
        raise DayError(f"{name} {value!r} is not a day; give {ACCEPTED_DAYS}")
    if hasattr(value, "dtype") and str(getattr(value, "dtype", "")).startswith("datetime64"):  # numpy scalar
        text = str(value)[:10]
        if is_iso_day(text):
            return date.fromisoformat(text)
    raise DayError(f"{name} {value!r} ({type(value).__name__}) is not a day; give {ACCEPTED_DAYS}")


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def notice_effect(notice: date, months: int | None, days: int | None) -> date | None:
    """The day a withdrawal takes effect by the clause alone (no armed-conflict delay)."""
    if months:
        return add_months(notice, months)
    if days:
        return date.fromordinal(notice.toordinal() + days)
    return None


# ---- EDTF: a date known less precisely than a day, or one of several days ------------------------------------

ACCEPTED_EDTF = (
    "a day 2024-03-06, a month 2024-03, a year 1969, one day within [1972-04-10..1979-03-06], on or before "
    "[..1979-03-06], on or after [2026-01-18..], or one of a set [2003-01-11,2003-04-10]"
)
_MONTH = re.compile(r"\d{4}-\d{2}")
_YEAR = re.compile(r"\d{4}")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class EdtfError(ValueError):
    """Text that is not an EDTF date of the accepted forms; the message says which forms, in one line."""


@dataclass(frozen=True)
class Edtf:
    """What an EDTF date allows: its first and last possible day (``None``: open, no bound known), its kind, and for
    a set of single days the candidate days themselves (``None`` when every day between the bounds is possible)."""

    text: str
    kind: str  # day, month, year, interval, before, after, set
    earliest: date | None
    latest: date | None
    candidates: tuple[date, ...] | None = None

    @property
    def exact(self) -> bool:
        return self.kind == "day"


def _span(text: str, whole: str) -> tuple[date, date]:
    """A day, a month or a year as its first and last day."""
    try:
        if _ISO_DAY.fullmatch(text):
            day = date.fromisoformat(text)
            return day, day
        if _MONTH.fullmatch(text):
            year, month = int(text[:4]), int(text[5:])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if _YEAR.fullmatch(text) and int(text) > 0:
            return date(int(text), 1, 1), date(int(text), 12, 31)
    except ValueError:
        pass
    raise EdtfError(f"date {whole!r}: {text!r} is not a real day, month or year; give {ACCEPTED_EDTF}")


def _member(text: str, whole: str) -> tuple[date | None, date | None]:
    """One member of a set: a day/month/year, or a range ``a..b`` whose either end may be open."""
    if ".." not in text:
        return _span(text, whole)
    first, _, last = text.partition("..")
    if not first and not last:
        raise EdtfError(f"date {whole!r}: a range needs at least one end; give {ACCEPTED_EDTF}")
    start = _span(first, whole)[0] if first else None
    end = _span(last, whole)[1] if last else None
    if start and end and start > end:
        raise EdtfError(f"date {whole!r}: the range is inverted ({first} after {last})")
    return start, end


def _kind(members: list[tuple[date | None, date | None]]) -> str:
    if len(members) > 1:
        return "set"
    start, end = members[0]
    return "before" if start is None else "after" if end is None else "interval"


@functools.lru_cache(maxsize=4096)
def parse_edtf(text: str) -> Edtf:
    """The one EDTF parser: the accepted forms (``ACCEPTED_EDTF``) become an ``Edtf``; anything else, an
    ``EdtfError`` in one line. Refused on purpose: intervals ``a/b`` (the edtf package turns an empty end into a
    day ten years away), qualifiers ``? ~ %``, unspecified digits ``X``, a set of one, members out of order."""
    if not isinstance(text, str) or not text.strip():
        raise EdtfError(f"date {text!r} is empty; give {ACCEPTED_EDTF}")
    body = text.strip()
    if re.fullmatch(r"[\d-]+", body):
        earliest, latest = _span(body, text)
        kind = "day" if earliest == latest else "month" if len(body) == 7 else "year"
        return Edtf(body, kind, earliest, latest, (earliest,) if kind == "day" else None)
    if not (body.startswith("[") and body.endswith("]")) or re.search(r"[^\d\-.,\[\]]", body):
        raise EdtfError(f"date {text!r} is not one of the accepted forms; give {ACCEPTED_EDTF}")
    bodies = [part.strip() for part in body[1:-1].split(",")]
    members = [_member(part, text) for part in bodies]
    if len(members) == 1 and ".." not in bodies[0]:
        raise EdtfError(f"date {text!r}: a set of one is not uncertain; write {bodies[0]} without brackets")
    for (_, end), (start, _) in itertools.pairwise(members):
        if end is None or start is None or start <= end:
            raise EdtfError(f"date {text!r}: the members of a set are listed in order and do not overlap")
    single = all(start is not None and start == end for start, end in members)
    candidates = tuple(start for start, _ in members) if single else None
    return Edtf(body, _kind(members), members[0][0], members[-1][1], candidates)


def bounds_text(day: str, edtf: str) -> tuple[str, str]:
    """A row's first and last possible day as ISO text ("" for an open end): from its EDTF text when it has one,
    else its exact day (both "" when the row has neither). What ``events.csv``'s bound columns hold."""
    if not edtf:
        return day, day
    value = parse_edtf(edtf)
    return tuple(d.isoformat() if d else "" for d in (value.earliest, value.latest))


def describe_day(day: date) -> str:
    """A day in words for people: ``6 Mar 1979``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _words(part: str) -> str:
    """A member's own text in words: ``6 Mar 1979``, ``Mar 2024``, ``1969``."""
    if _ISO_DAY.fullmatch(part):
        return describe_day(date.fromisoformat(part))
    if _MONTH.fullmatch(part):
        return f"{_MONTHS[int(part[5:]) - 1]} {part[:4]}"
    return part


def describe_edtf(text: str) -> str:
    """An EDTF date in words, as a page says it: ``on 6 Mar 1979``, ``in Mar 2024``, ``in 1969``, ``between 10 Apr
    1972 and 6 Mar 1979``, ``on or before 6 Mar 1979``, ``on or after 18 Jan 2026``, ``on 11 Jan 2003 or on 10 Apr
    2003``. Raises ``EdtfError`` for text that is not an accepted form."""
    value = parse_edtf(text)
    if value.kind in ("day", "month", "year"):
        return ("on " if value.kind == "day" else "in ") + _words(value.text)
    parts = [part.strip() for part in value.text[1:-1].split(",")]
    said = []
    for part in parts:
        first, dots, last = part.partition("..")
        if not dots:
            said.append(("on " if _ISO_DAY.fullmatch(part) else "in ") + _words(part))
        elif not first:
            said.append(f"on or before {_words(last)}")
        elif not last:
            said.append(f"on or after {_words(first)}")
        else:
            said.append(f"between {_words(first)} and {_words(last)}")
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " or " + said[-1]
