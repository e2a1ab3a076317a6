"""Load the shipped dataset and refuse it loudly when it is wrong.

Researchers cite these dates, so every row is checked on every load: a bad row stops the load with the file, the
line, the column and what was expected, never a silent NaN further down.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import itertools
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .build import DATE_COLUMNS
from .countries import DATA_DIR
from .othersources import validate_conflicts

CONSENT = ("ratification", "accession", "acceptance", "approval", "succession", "consent", "definitive_signature")
EXITS = ("withdrawal", "signature_withdrawal", "ratification_revocation", "suspension")
ACTIONS = frozenset(
    CONSENT
    + EXITS
    + (
        "signature",
        "provisional_application",
        "suspension_lifted",
        "withdrawal_suspended",
        "termination",
        "announcement",
        "parliament_vote",
        "law",
        "decree",
        "statement",
        "declaration",
        "communication",
        "note",
    )
)
SOURCE_KINDS = frozenset({"depositary", "government", "international organisation", "press"})
EVENT_COLUMNS = [
    "state",
    "treaty",
    "action",
    "date",
    "effective_date",
    "depositary",
    "source",
    "source_date",
    "source_kind",
    "ref",
    "note",
]
TREATY_REQUIRED = [
    "id",
    "short_name",
    "full_name",
    "category",
    "entry_into_force",
    "withdrawal_article",
    "notice_months",
    "notice_days",
    "armed_conflict_clause",
    "eif_rule",
    "coverage",
    "source",
]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EIF_RULE = re.compile(r"on_deposit|not_in_force|(days|months|first_of_month):\d+")


class DataValidationError(ValueError):
    """One or more rows are wrong; `errors` lists them as 'file, line N, column C: what was expected'."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = "\n".join(errors[:50]) + (f"\n... and {len(errors) - 50} more" if len(errors) > 50 else "")
        super().__init__(f"{len(errors)} data error(s):\n{shown}")


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


def _read(path: Path) -> tuple[list[str], list[dict]]:
    if not path.exists():
        raise DataValidationError([f"{path}: file not found"])
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _date_ok(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def add_months(d: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def notice_effect(notice: date, months: int | None, days: int | None) -> date | None:
    """The day a withdrawal takes effect by the clause alone (no armed-conflict delay)."""
    if months:
        return add_months(notice, months)
    if days:
        return date.fromordinal(notice.toordinal() + days)
    return None


def _int_or_none(v: str) -> int | None:
    return int(v) if v not in ("", None) else None


def validate_tables(
    events: tuple[Path, list[str], list[dict]],
    treaties: tuple[Path, list[str], list[dict]],
    states: tuple[Path, list[str], list[dict]],
    groups: tuple[Path, list[str], list[dict]] | None = None,
) -> list[str]:
    """Every problem found, as 'file, line N, column C: ...' (line 1 is the header)."""
    errors: list[str] = []
    t_path, t_cols, t_rows = treaties
    for c in TREATY_REQUIRED:
        if c not in t_cols:
            errors.append(f"{t_path}, line 1: missing column {c!r}")
    treaty = {}
    for i, r in enumerate(t_rows, start=2):
        where = f"{t_path}, line {i}"
        if r.get("id") in treaty:
            errors.append(f"{where}, column 'id': duplicate treaty id {r['id']!r}")
        treaty[r.get("id")] = r
        for c in ("adopted", "opened_for_signature", "entry_into_force", "known_until"):
            if r.get(c) and not _date_ok(r[c]):
                errors.append(f"{where}, column {c!r}: {r[c]!r} is not a date YYYY-MM-DD")
        if r.get("eif_rule") and not _EIF_RULE.fullmatch(r["eif_rule"]):
            errors.append(
                f"{where}, column 'eif_rule': {r.get('eif_rule')!r} is not on_deposit, not_in_force, "
                f"days:N, months:N or first_of_month:N"
            )
        for c in ("notice_months", "notice_days"):
            if r.get(c) and not r[c].isdigit():
                errors.append(f"{where}, column {c!r}: {r[c]!r} is not a whole number")
        if r.get("coverage") not in ("full", "events"):
            errors.append(f"{where}, column 'coverage': {r.get('coverage')!r}, expected 'full' or 'events'")
        if not r.get("source"):
            errors.append(f"{where}, column 'source': empty; every row names its source")
    s_path, _s_cols, s_rows = states
    iso3 = set()
    for i, r in enumerate(s_rows, start=2):
        code = r.get("iso3", "")
        if not re.fullmatch(r"[A-Z]{3}", code):
            errors.append(f"{s_path}, line {i}, column 'iso3': {code!r} is not three capital letters")
        if code in iso3:
            errors.append(f"{s_path}, line {i}, column 'iso3': duplicate {code!r}")
        iso3.add(code)
        if not r.get("source"):
            errors.append(f"{s_path}, line {i}, column 'source': empty; every row names its source")
    e_path, e_cols, e_rows = events
    for c in EVENT_COLUMNS:
        if c not in e_cols:
            errors.append(f"{e_path}, line 1: missing column {c!r}")
    if errors:
        return errors
    seen: dict[tuple, int] = {}
    first: dict[tuple[str, str], dict[str, str]] = {}
    for i, r in enumerate(e_rows, start=2):
        where = f"{e_path}, line {i}"
        if r["state"] not in iso3:
            errors.append(f"{where}, column 'state': {r['state']!r} is not an ISO3 code in {s_path.name}")
        if r["treaty"] not in treaty:
            errors.append(f"{where}, column 'treaty': {r['treaty']!r} is not a treaty id in {t_path.name}")
        if r["action"] not in ACTIONS:
            errors.append(f"{where}, column 'action': {r['action']!r} is not in the vocabulary (docs/data-model.md)")
        for c in ("date", "effective_date", "source_date"):
            if (r[c] or c == "date") and not _date_ok(r[c]):
                errors.append(f"{where}, column {c!r}: {r[c]!r} is not a date YYYY-MM-DD")
        if not r["source"]:
            errors.append(f"{where}, column 'source': empty; every row names its source")
        if r["source_kind"] not in SOURCE_KINDS:
            errors.append(
                f"{where}, column 'source_kind': {r['source_kind']!r}, expected one of "
                f"{', '.join(sorted(SOURCE_KINDS))}"
            )
        key = (r["state"], r["treaty"], r["action"], r["date"], r["depositary"])
        if key in seen:
            errors.append(f"{where}: duplicate of line {seen[key]} ({', '.join(key[:4])})")
        seen.setdefault(key, i)
        if not (_date_ok(r["date"]) and (not r["effective_date"] or _date_ok(r["effective_date"]))):
            continue
        if r["effective_date"] and r["effective_date"] < r["date"]:
            errors.append(f"{where}, column 'effective_date': {r['effective_date']} is before the date {r['date']}")
        pair = first.setdefault((r["state"], r["treaty"]), {})
        if r["action"] == "signature" or r["action"] in CONSENT or r["action"] == "withdrawal":
            kind = "consent" if r["action"] in CONSENT else r["action"]
            if kind not in pair or r["date"] < pair[kind].split("@")[0]:
                pair[kind] = f"{r['date']}@{i}"
        t = treaty.get(r["treaty"])
        if r["action"] == "withdrawal" and t and r["effective_date"]:
            expected = notice_effect(
                date.fromisoformat(r["date"]), _int_or_none(t["notice_months"]), _int_or_none(t["notice_days"])
            )
            if expected and expected.isoformat() != r["effective_date"] and "effect:" not in r["note"]:
                errors.append(
                    f"{where}, column 'effective_date': {r['effective_date']}, but the notice of "
                    f"{r['date']} plus the clause's period gives {expected}; explain in the note "
                    f"('effect: ...')"
                )
    for (state, tr), pair in first.items():
        order = [k for k in ("signature", "consent", "withdrawal") if k in pair]
        for a, b in itertools.pairwise(order):
            da, la = pair[a].split("@")
            db, lb = pair[b].split("@")
            if db < da:
                errors.append(
                    f"{e_path}, line {lb}, column 'date': {state}/{tr} {b} on {db} precedes its {a} on {da} (line {la})"
                )
    if groups is not None:
        g_path, _, g_rows = groups
        for i, r in enumerate(g_rows, start=2):
            if r.get("iso3") not in iso3:
                errors.append(f"{g_path}, line {i}, column 'iso3': {r.get('iso3')!r} is not a known ISO3 code")
            for c in ("joined", "left"):
                if r.get(c) and not _date_ok(r[c]):
                    errors.append(f"{g_path}, line {i}, column {c!r}: {r[c]!r} is not a date YYYY-MM-DD")
            if not r.get("source"):
                errors.append(f"{g_path}, line {i}, column 'source': empty; every row names its source")
    return errors


def validate(data_dir: Path | str = DATA_DIR) -> list[str]:
    """Validate the files in `data_dir`; returns the errors (empty when all is well)."""
    d = Path(data_dir)
    groups = (d / "groups.csv",) + _read(d / "groups.csv") if (d / "groups.csv").exists() else None
    treaties, states = _read(d / "treaties.csv"), _read(d / "states.csv")
    errors = validate_tables(
        (d / "events.csv",) + _read(d / "events.csv"),
        (d / "treaties.csv",) + treaties,
        (d / "states.csv",) + states,
        groups,
    )
    if (d / "conflicts.csv").exists():
        errors += validate_conflicts(
            d / "conflicts.csv", {r["id"] for r in treaties[1]}, {r["iso3"] for r in states[1]}
        )
    return errors


def _version(d: Path) -> str:
    h = hashlib.sha256()
    for name in ("events.csv", "treaties.csv", "states.csv", "groups.csv"):
        p = d / name
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()[:10]


def _frame(path: Path) -> pd.DataFrame:
    """Read as text first (so Norway's 'NO' stays 'NO'), then type the date columns."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])
    for c in df.columns:
        if c in DATE_COLUMNS:
            df[c] = pd.to_datetime(df[c].replace("", None), format="%Y-%m-%d")
    return df


@lru_cache(maxsize=4)
def _load(data_dir: str, stamp: tuple) -> Dataset:
    d = Path(data_dir)
    errors = validate(d)
    if errors:
        raise DataValidationError(errors)
    events = _frame(d / "events.csv")
    treaties = _frame(d / "treaties.csv")
    for c in ("notice_months", "notice_days"):
        treaties[c] = pd.to_numeric(treaties[c].replace("", None)).astype("Int64")
    treaties["armed_conflict_clause"] = treaties["armed_conflict_clause"].str.lower().eq("true")
    states = _frame(d / "states.csv")
    if "historical" in states.columns:
        states["historical"] = states["historical"].str.lower().eq("true")
    groups = (
        _frame(d / "groups.csv")
        if (d / "groups.csv").exists()
        else pd.DataFrame(columns=["group", "iso3", "joined", "left", "source"])
    )
    notes = _frame(d / "untc_notes.csv") if (d / "untc_notes.csv").exists() else pd.DataFrame()
    # the dataset's status date is that of the depositary's status pages (curated rows may be later or earlier)
    pages = events[events["source"].str.contains("treaties.un.org/Pages/ViewDetails", regex=False)]
    status_date = pages["source_date"].max().date() if len(pages) else events["source_date"].max().date()
    sources = sorted(set(events["source"]) | set(treaties["source"]))
    return Dataset(
        events=events,
        treaties=treaties.set_index("id", drop=False),
        states=states.set_index("iso3", drop=False),
        groups=groups,
        notes=notes,
        version=f"{status_date.isoformat()}+{_version(d)}",
        status_date=status_date,
        sources=sources,
    )


def load(data_dir: Path | str | None = None) -> Dataset:
    """The validated dataset, cached per process (and reloaded when a file changes)."""
    d = Path(data_dir) if data_dir is not None else DATA_DIR
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(d.glob("*.csv")))
    return _load(str(d.resolve()), stamp)
