"""Load the shipped dataset and refuse it loudly when it is wrong.

Researchers cite these dates, so every file is checked (``validation``) on every load: a bad row stops the load
with the file, the line, the column and what was expected, never a silent NaN further down. This module reads and
checks; it imports neither a writer nor a parser.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import config
from .schema import (
    CLAUSE_COLUMNS,
    DATE_COLUMNS,
    GAPS_COLUMNS,
    GROUPS_COLUMNS,
    REASON_COLUMNS,
    STEP_GAPS_COLUMNS,
    SUCCESSIONS_COLUMNS,
)
from .validation import validate

__all__ = ["DataValidationError", "Dataset", "load", "validate"]


class DataValidationError(ValueError):
    """One or more rows are wrong; `errors` lists them as 'file, line N, column C: what was expected'."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = "\n".join(errors[:50]) + (f"\n... and {len(errors) - 50} more" if len(errors) > 50 else "")
        super().__init__(f"{len(errors)} data error(s):{chr(10) if len(errors) > 1 else ' '}{shown}")  # one: one line


@dataclass(frozen=True, eq=False)
class Dataset:
    """The validated tables, plus what every report prints about them."""

    events: pd.DataFrame
    treaties: pd.DataFrame
    states: pd.DataFrame
    groups: pd.DataFrame
    notes: pd.DataFrame
    version: str
    status_date: date
    sources: list[str] = field(default_factory=list)
    #: data/successions.csv: predecessor, successor, kind, date (the status engine's carry-over and succession day)
    successions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SUCCESSIONS_COLUMNS))
    #: data/lifetime_gaps.csv: iso3, ended, resumed (the spans in which a state did not exist; lifetimes.lives)
    gaps: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=GAPS_COLUMNS))
    #: data/clauses.csv, one row per treaty (its notice rule is also joined into ``treaties``; clauses.clauses())
    clauses: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CLAUSE_COLUMNS))
    #: data/reasons.csv: the reasons states stated for their exits, coded (reasons.reasons())
    reasons: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REASON_COLUMNS))
    #: data/step_gaps.csv: the links of an exit's chain no row dates, and why (chains.exit_steps)
    step_gaps: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=STEP_GAPS_COLUMNS))


def _content_hash(folder: Path) -> str:
    """Ten hex digits of SHA-256 over the tables that decide a status: the second half of the version."""
    digest = hashlib.sha256()
    for name in (
        "events.csv",
        "treaties.csv",
        "clauses.csv",
        "states.csv",
        "groups.csv",
        "successions.csv",
        "lifetime_gaps.csv",
    ):
        path = folder / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _frame(path: Path) -> pd.DataFrame:
    """Read as text first (so Norway's 'NO' stays 'NO'), then type the date columns."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[], encoding="utf-8-sig")
    for column in frame.columns:
        if column in DATE_COLUMNS:
            frame[column] = pd.to_datetime(frame[column].replace("", None), format="%Y-%m-%d")
    return frame


#: The notice rule, read from clauses.csv (its one home) into the registry the status engine and exits read.
_NOTICE_RULE = ["withdrawal_article", "notice_months", "notice_days", "armed_conflict_clause"]


def _clauses(folder: Path) -> pd.DataFrame:
    clauses = _frame(folder / "clauses.csv")
    for column in ("notice_months", "notice_days"):
        clauses[column] = pd.to_numeric(clauses[column].replace("", None)).astype("Int64")
    return clauses.set_index("treaty", drop=False)


def _treaties(folder: Path, clauses: pd.DataFrame) -> pd.DataFrame:
    treaties = _frame(folder / "treaties.csv").set_index("id", drop=False)
    treaties = treaties.join(clauses[_NOTICE_RULE])
    treaties["armed_conflict_clause"] = treaties["armed_conflict_clause"].str.lower().eq("true")
    return treaties


def _states(folder: Path) -> pd.DataFrame:
    states = _frame(folder / "states.csv")
    if "historical" in states.columns:
        states["historical"] = states["historical"].str.lower().eq("true")
    return states.set_index("iso3", drop=False)


def _optional(path: Path, columns: list[str]) -> pd.DataFrame:
    return _frame(path) if path.exists() else pd.DataFrame(columns=columns)


def _status_date(events: pd.DataFrame) -> date:
    """The depositary status pages' date (curated rows may be later or earlier)."""
    pages = events[events["source"].str.contains("treaties.un.org/Pages/ViewDetails", regex=False)]
    return pages["source_date"].max().date() if len(pages) else events["source_date"].max().date()


@lru_cache(maxsize=4)
def _load(data_dir: str, stamp: tuple) -> Dataset:
    folder = Path(data_dir)
    errors = validate(folder)
    if errors:
        raise DataValidationError(errors)
    clauses = _clauses(folder)
    events, treaties = _frame(folder / "events.csv"), _treaties(folder, clauses)
    status_date = _status_date(events)
    return Dataset(
        events=events,
        treaties=treaties,
        states=_states(folder),
        groups=_optional(folder / "groups.csv", GROUPS_COLUMNS),
        notes=_optional(folder / "untc_notes.csv", []),
        version=f"{status_date.isoformat()}+{_content_hash(folder)}",
        status_date=status_date,
        sources=sorted(set(events["source"]) | set(treaties["source"])),
        successions=_optional(folder / "successions.csv", SUCCESSIONS_COLUMNS),
        gaps=_optional(folder / "lifetime_gaps.csv", GAPS_COLUMNS),
        clauses=clauses,
        reasons=_optional(folder / "reasons.csv", REASON_COLUMNS),
        step_gaps=_optional(folder / "step_gaps.csv", STEP_GAPS_COLUMNS),
    )


def load(data_dir: Path | str | None = None) -> Dataset:
    """The validated dataset, cached per process (and reloaded when a file changes)."""
    folder = config.data_dir(data_dir)
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.csv")))
    return _load(str(folder.resolve()), stamp)
