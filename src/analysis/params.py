"""Check a report's parameters before anything is computed, and fail with ONE clear line.

The notebooks call these first (after ``%xmode Minimal``), so a bad value shows as e.g.
``UnknownCountryError: Unknown country 'Atlantis'. Did you mean: ...?`` and nothing else.
The batch builder calls the same functions before it starts a notebook. Imports only countries, dataset, status.
"""

from __future__ import annotations

from datetime import date

from . import lifetimes
from .countries import UnknownCountryError, resolve_country
from .dataset import Dataset, load
from .schema import DayError, parse_day
from .status import UnknownTreatyError, resolve_treaty

__all__ = ["ParameterError", "country", "treaty", "day", "as_of", "since", "UnknownCountryError", "UnknownTreatyError"]


class ParameterError(ValueError):
    """A report parameter that is not usable (a date that is not a date, a day the data does not cover)."""


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def country(value) -> str:
    """ISO3 code of a state (any name or code `resolve_country` accepts)."""
    if not isinstance(value, str) or not value.strip():
        raise UnknownCountryError(f"Unknown country {value!r}: give an ISO3 code or a name, e.g. 'LTU'.")
    try:
        return resolve_country(value.strip())
    except UnknownCountryError as exc:
        raise UnknownCountryError(_one_line(exc)) from None


def treaty(value, ds: Dataset | None = None) -> str:
    """Treaty id (an id, short name or full name)."""
    if not isinstance(value, str) or not value.strip():
        raise UnknownTreatyError(f"Unknown treaty {value!r}: give a treaty id, e.g. 'apmbc'.")
    try:
        return resolve_treaty(value, ds or load())
    except UnknownTreatyError as exc:
        raise UnknownTreatyError(_one_line(exc)) from None


def day(value, name: str = "date") -> date:
    """A day (ISO string, date, datetime or Timestamp) read by the one day parser, as a ``ParameterError``."""
    try:
        return parse_day(value, name)
    except DayError as exc:
        raise ParameterError(str(exc)) from None


def as_of(value, ds: Dataset | None = None, country: str | None = None) -> date:
    """The report's day: None means the dataset's status date; later days are refused (the data stops there).

    With a `country` that no longer exists (Czechoslovakia, the USSR), None means its last day instead: on the
    status date every one of its statuses would only read "ceased to exist".
    """
    ds = ds or load()
    if value is None or (isinstance(value, str) and not value.strip()):
        return _last_day(country, ds) or ds.status_date
    d = day(value, "as_of")
    if d > ds.status_date:
        raise ParameterError(
            f"as_of {d.isoformat()} is after the dataset's status date "
            f"{ds.status_date.isoformat()}: the data says nothing about later days"
        )
    return d


def _last_day(country: str | None, ds: Dataset) -> date | None:
    """The last day of a state that ceased to exist before the status date (None for the others)."""
    last = lifetimes.last_day(country, ds) if country is not None else None
    return last if last is not None and last < ds.status_date else None


def since(value, ds: Dataset | None = None) -> date:
    """The first day of a period (not after the status date)."""
    ds = ds or load()
    d = day(value, "since")
    if d > ds.status_date:
        raise ParameterError(f"since {d.isoformat()} is after the dataset's status date {ds.status_date.isoformat()}")
    return d
