"""How current each treaty's record is: the day it stops, the source that says so, what is known after it.

A treaty's ``known_until`` (``data/treaties.csv``) is the status date of the newest source that lists every
state's acts for it; a status on a later day is projected from that record, or rests on an act known from a
later source (``lookup.record_flags``). A reader needs to see that age beside every count: a 2018 record read in
2026 is eight years old, and nothing in a party count says so. ``currency()`` is that table, one row per treaty;
the treaty pages and the index show it, and ``treaty-exits currency`` prints it.

"Today" is a parameter (default: the machine's date), so a test or a report can ask about a fixed day.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from urllib.parse import urlparse

import pandas as pd

from . import config
from .dataset import Dataset, load
from .lookup import _acts_after_record as acts_after_record  # the rule of record_flags, one home
from .schema import LATER_SOURCE, STEP_ACTIONS, parse_day

__all__ = ["currency", "currency_facts", "coverage_text", "coverage_texts", "STALE_DAYS"]

#: Rows after a record's end that are not acts on the treaty (the steps toward an exit, statements, notes): the
#: currency table counts the acts, as ``lookup.later_source`` names them.
NOT_ACTS = STEP_ACTIONS + ("declaration", "communication", "note")
#: How ``treaties.csv``'s ``source`` cell marks the list a moved ``known_until`` rests on (a list read by hand, not
#: a raw source of ``../shared``): its address with the fragment ``#known_until=<day>``, e.g.
#: ``https://verdragen.nl/en/Treaty/Details/004285.html?expand-table=partijtabel#known_until=2023-11-07``.
KNOWN_UNTIL_SOURCE = re.compile(r"(https?://[^\s#]+)#known_until=(\d{4}-\d{2}-\d{2})")
#: A record older than this (in days, on "today") is called out on its treaty's page.
STALE_DAYS = 365
COLUMNS = [
    "treaty",
    "short_name",
    "coverage",
    "known_until",
    "source",
    "source_address",
    "source_date",
    "acts_after",
    "later_source_acts",
    "acts_after_text",
    "age_days",
    "age_years",
    "stale",
]


def _provenance(data_dir=None) -> list[dict]:
    """The raw sources datapackage.json describes (title, producer, address, status date); [] without it."""
    path = config.datapackage_file(data_dir)
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("sources", [])
    except (OSError, ValueError):
        return []


def _named_list(cell, end: pd.Timestamp) -> tuple[str, str, object] | None:
    """The list ``treaties.csv``'s ``source`` cell marks for this ``known_until`` (``KNOWN_UNTIL_SOURCE``)."""
    for address, day in KNOWN_UNTIL_SOURCE.findall(cell if isinstance(cell, str) else ""):
        if day == end.date().isoformat():
            return f"list read by hand: {urlparse(address).netloc} ({address})", address, end
    return None


def _newest_source(tid: str, end: pd.Timestamp, ds: Dataset, provenance: list[dict]) -> tuple[str, str, object]:
    """(name, address, day) of the source whose status date is the record's end.

    First a list the registry marks for that day (an address ending ``#known_until=<day>`` in the treaty's
    ``source`` cell: a list read by hand, described in data/README.md); then the raw sources of datapackage.json
    dated ``end`` (the UNTC pages, the UNODA harvest or timeline, the ICRC sheet: they cover the treaty whole even
    where they add no row); else the treaty's own rows dated ``end`` that are not flagged as later.
    ``("", "", NaT)`` when none is.
    """
    named = _named_list(ds.treaties.loc[tid].get("source"), end)
    if named:
        return named
    day = end.date().isoformat()
    raw = [s for s in provenance if s.get("status_date") == day and not s.get("path", "").startswith("data/")]
    if raw:
        names = "; ".join(f"{s.get('title', s['path'])} ({s.get('producer', '')})" for s in raw)
        return names, "; ".join(s["path"] for s in raw), end
    ev = ds.events
    rows = ev[(ev["treaty"] == tid) & (ev["source_date"] == end) & (ev["source_kind"] != LATER_SOURCE)]
    if len(rows):
        addresses = "; ".join(dict.fromkeys(rows["source"]))
        return addresses, addresses, end
    return "", "", pd.NaT


def _events_source(tid: str, ds: Dataset) -> tuple[str, str, object]:
    """For a treaty held as curated events only: the newest of its rows' sources."""
    ev = ds.events[ds.events["treaty"] == tid]
    if not len(ev):
        return "", "", pd.NaT
    newest = ev.loc[ev["source_date"].idxmax()]
    return newest["source"], newest["source"], newest["source_date"]


def _acts_text(acts: pd.DataFrame) -> str:
    """'TON signature 2026-07-07 (later source); ...', oldest first."""
    return "; ".join(
        f"{state} {action} {day:%Y-%m-%d}" + (" (later source)" if kind == LATER_SOURCE else "")
        for state, action, day, kind in acts.sort_values("date")[["state", "action", "date", "source_kind"]].values
    )


def _today(today) -> pd.Timestamp:
    """The day ages are counted to: the machine's date unless one is given (read by the one day parser)."""
    return pd.Timestamp(date.today() if today is None else parse_day(today))


def currency(today: date | str | None = None, ds: Dataset | None = None, data_dir=None) -> pd.DataFrame:
    """One row per treaty: where its record stops (``known_until``), the source dated that day, the acts held
    after it (signatures, consents, exits; not the domestic steps: ``acts_after``, of which ``later_source_acts``
    have the source kind ``later source``) and the record's age on ``today`` (``age_days``, ``age_years``;
    ``stale`` when older than ``STALE_DAYS``).

    Treaties held as curated events only (INF, ABM, New START) have no ``known_until``: their newest row's
    source is given, and no age (no list covers them to a day)."""
    ds = ds or load(data_dir)
    day, provenance = _today(today), _provenance(data_dir)
    after = acts_after_record(ds)
    after = after[~after["action"].isin(NOT_ACTS)]
    rows = []
    for tid, t in ds.treaties.iterrows():
        end = t.get("known_until", pd.NaT)
        full = pd.notna(end)
        source = _newest_source(tid, end, ds, provenance) if full else _events_source(tid, ds)
        acts = after[after["treaty"] == tid]
        age = (day - end).days if full else None
        rows.append(
            [tid, t["short_name"], t["coverage"], end, *source, len(acts)]
            + [int((acts["source_kind"] == LATER_SOURCE).sum()), _acts_text(acts)]
            + [age, round(age / 365.25, 1) if full else None, bool(full and age > STALE_DAYS)]
        )
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["age_days"] = out["age_days"].astype("Int64")
    out.attrs["today"] = day
    return out.set_index("treaty", drop=False)


def coverage_text(treaty_row) -> str:
    """'full, to 2026-02-03', 'full (no check date recorded)' or 'curated events only'."""
    if treaty_row["coverage"] == "events":
        return "curated events only"
    ku = treaty_row.get("known_until")
    return f"full, to {ku:%Y-%m-%d}" if ku is not None and pd.notna(ku) else "full (no check date recorded)"


@lru_cache(maxsize=4)
def coverage_texts(ds: Dataset) -> dict[str, str]:
    """``coverage_text`` of every treaty, once per dataset: a status table reading each row with ``.loc`` cost
    5 ms, twice a country page."""
    return {tid: coverage_text(ds.treaties.loc[tid]) for tid in ds.treaties.index}


def age_text(row) -> str:
    """'8.4 years (3,071 days)' or '105 days'."""
    days = int(row["age_days"])
    return f"{row['age_years']} years ({days:,} days)" if days >= STALE_DAYS else f"{days} days"


def _descriptor_stamp():
    """When ``datapackage.json`` last changed (its list of raw sources is read with the table)."""
    try:
        return config.datapackage_file().stat().st_mtime_ns
    except OSError:
        return None


@lru_cache(maxsize=2)
def _table(ds: Dataset, today: pd.Timestamp, descriptor) -> pd.DataFrame:
    """``currency`` once per dataset, day and descriptor: a build's treaty pages each show one row of the same
    table (0.16 s each before, for all 28 treaties)."""
    return currency(today.date(), ds)


def currency_facts(tid: str, ds: Dataset | None = None, today=None) -> dict[str, str]:
    """The treaty page's lines on currency: the record's source and end, its age on the day the page is built,
    the acts held after it, and whether it is more than a year old (with what that means for a reader).

    The same lines for every treaty held whole (a row that appeared only past ``STALE_DAYS`` would change the
    committed notebook's table size from one day to the next); one line for a treaty held as events only."""
    ds = ds or load()
    table = _table(ds, _today(today), _descriptor_stamp())
    row = table.loc[tid]
    if pd.isna(row["known_until"]):
        return {"newest source": f"{row['source']} ({row['source_date']:%Y-%m-%d})" if row["source"] else "none"}
    end = f"{row['known_until']:%-d %B %Y}"
    return {
        "record from": f"{row['source'] or 'not named (no source is dated known_until)'}, status as at {end}",
        f"age of the record on {table.attrs['today']:%-d %B %Y}": age_text(row),
        "acts held after the record's end": f"{row['acts_after']}: {row['acts_after_text']}"
        if row["acts_after"]
        else "none",
        "more than a year old": (
            f"yes: the record stops on {end}; a state that joined or left since may be missing, and a status "
            "after that day is projected from the record unless it rests on an act held after it (listed above)"
        )
        if row["stale"]
        else "no",
    }
