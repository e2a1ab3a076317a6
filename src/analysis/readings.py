"""Readings of the data when a date is known only to a span: every day at its earliest, or at its latest.

Why: a row known only to the month, the year or "on or before" a day has no single day, and a test of waves or a
hazard model needs one. Rather than guess, a result is computed on both readings, the earliest and the latest
possible day of every uncertain date; where the two agree, the uncertainty does not matter for it.

The data carry the span in ``date_earliest``/``date_latest`` and ``effective_earliest``/``effective_latest``
(data/events.csv, issue 19). ``reading(ds, "earliest")`` is the dataset with each event's ``date`` and
``effective_date`` set to the earliest possible day where the row is uncertain (its exact day otherwise); the
analysis functions take it as their ``ds``. Data without these columns have one reading only, "as recorded".
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from .dataset import Dataset, load

__all__ = ["READINGS", "reading", "available_readings"]

#: The readings a result can be computed on.
READINGS = ("as recorded", "earliest", "latest")
_SPAN = {"earliest": ("date_earliest", "effective_earliest"), "latest": ("date_latest", "effective_latest")}


def available_readings(ds: Dataset | None = None) -> list[str]:
    """["as recorded"] for data with exact days only; ["earliest", "latest"] once the data carry spans."""
    ds = ds or load()
    return ["earliest", "latest"] if set(_SPAN["earliest"]) <= set(ds.events.columns) else ["as recorded"]


def reading(ds: Dataset | None, which: str) -> Dataset:
    """The dataset with every uncertain date read at its earliest or latest possible day (``which``)."""
    ds = ds or load()
    if which not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, not {which!r}")
    if which == "as recorded":
        return ds
    if which not in available_readings(ds):
        raise ValueError(
            f"the data have no uncertain dates (no {_SPAN[which][0]} column in events.csv): the only reading is "
            "'as recorded'"
        )
    events = ds.events.copy()
    for column, span in zip(("date", "effective_date"), _SPAN[which]):
        day = pd.to_datetime(events[span], errors="coerce", format="%Y-%m-%d")
        events[column] = day.where(day.notna(), events[column]).astype(events[column].dtype)
    return dataclasses.replace(ds, events=events)
