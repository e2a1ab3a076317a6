"""A copy of the shipped data with hand-kept rows added or changed: the fixtures of the uncertain-date tests.

The rows below are test fixtures, not data: they exercise the engine's readings on the shapes issue 19 names (a
consent between two days, an effect on one of two days, a suspension known to the month, a suspension of a treaty
with no suspension clause). The dataset's own rows and their sources are entered in data/curated_events.csv.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from conftest import DATA, SHARED

FIXTURE = "https://example.org/fixture"


def row(state, treaty, action, day="", edtf="", effect="", effect_edtf="", source_date="2026-01-01", note=""):
    return {
        "state": state,
        "treaty": treaty,
        "action": action,
        "date": day,
        "effective_date": effect,
        "date_edtf": edtf,
        "effective_date_edtf": effect_edtf,
        "depositary": "",
        "source": FIXTURE,
        "source_date": source_date,
        "source_kind": "government",
        "ref": "",
        "note": note or "test fixture",
    }


#: The GDR's BWC ratification between its signature and the UK's list of parties (the issue's example).
DDR_BWC = row("DDR", "bwc", "ratification", edtf="[1972-04-10..1979-03-06]", source_date="1979-03-06")
#: Poland's CFE suspension, known to the month.
POL_CFE = row("POL", "cfe", "suspension", edtf="2024-03", source_date="2024-04-04")
#: Ukraine's notification suspending the APMBC (a treaty with no suspension clause), exact day.
UKR_APMBC = row("UKR", "apmbc", "suspension", day="2025-07-18", source_date="2025-07-18")
#: A consent within a range, in a treaty in force six months after a deposit (APMBC art. 17): on a day inside the
#: range the state may be a party, have deposited its instrument only, or not have acted.
USA_APMBC = row("USA", "apmbc", "accession", edtf="[2024-01-10..2024-12-20]", source_date="2025-01-01")
#: The DPRK's 2003 NPT effect: on one of two days (replaces the row's effective_date 2003-04-10).
PRK_NPT = ("PRK,npt,withdrawal,2003-01-10,2003-04-10,,", "PRK,npt,withdrawal,2003-01-10,,,[2003-01-11,2003-04-10]")


#: The pairs whose shipped acts are uncertain by issue 19's data rows (data/README.md, "Uncertain dates"): they are
#: left out of the copy, so that the fixture rows are the only uncertain acts in the pairs these tests read.
SHIPPED_UNCERTAIN = {
    ("DDR", "bwc"),
    ("DDR", "geneva_protocol"),
    ("DDR", "ptbt"),
    ("DDR", "seabed"),
    ("YUG", "bwc"),
    ("YUG", "geneva_protocol"),
    ("YMD", "geneva_protocol"),
    ("POL", "cfe"),
}
#: ... and issue 20's: the nuclear-weapon States' zone-protocol acts known within bounds (data/README.md, "The acts
#: known within bounds"), which tests/test_protocols.py reads on the shipped data.
SHIPPED_UNCERTAIN |= {(st, "tlatelolco_p2") for st in ("CHN", "FRA", "GBR", "SUN")}
SHIPPED_UNCERTAIN |= {("GBR", f"rarotonga_p{n}") for n in "123"} | {("SUN", "rarotonga_p2"), ("SUN", "rarotonga_p3")}
SHIPPED_UNCERTAIN |= {("CHN", "rarotonga_p3")} | {(st, f"pelindaba_p{n}") for st in ("CHN", "GBR") for n in "12"}
#: ... and the acts added to them later (the UK's Tlatelolco AP I; the CANWFZ ratifications of France, China, Russia).
SHIPPED_UNCERTAIN |= {("GBR", "tlatelolco_p1")} | {(st, "canwfz_p") for st in ("CHN", "FRA", "RUS")}
#: ... and issue 26's: Timor-Leste's Bangkok accession, deposited not before 25 Oct 2025 (data/README.md, currency).
SHIPPED_UNCERTAIN |= {("TLS", "bangkok")}


def _shipped_uncertain(r: dict) -> bool:
    return bool(r["date_edtf"]) and (r["state"], r["treaty"]) in SHIPPED_UNCERTAIN


def make(target: Path, rows=(), prk_set: bool = False) -> Path:
    """The shipped data in ``target``, less issue 19's uncertain acts (and their reasons), with ``rows`` added to curated_events.csv
    and events.csv (as built), and (``prk_set``) the DPRK's 2003 effect made a set; datapackage.json is rewritten
    so the copy loads."""
    from analysis.schema import EVENT_COLUMNS, REASON_COLUMNS
    from analysis.sources.build import (
        BUILT_EVENT_COLUMNS,
        read_csv,
        sort_key,
        with_bounds,
        write_csv,
        write_datapackage,
    )

    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("world_50m.json"))
    curated = [r for r in read_csv(target / "curated_events.csv") if not _shipped_uncertain(r)]
    events = [r for r in read_csv(target / "events.csv") if not _shipped_uncertain(r)]
    if prk_set:
        old, new = PRK_NPT
        for table in (curated, events):
            for r in table:
                if ",".join(r[c] for c in EVENT_COLUMNS[:7]) == old:
                    r.update(zip(EVENT_COLUMNS[:7], new.split(",", 6)))
                    r["note"] += " effect: one of two days (test fixture)."
    held = {(r["state"], r["treaty"], r["action"], r["date"]) for r in curated}
    rows = [r for r in rows if (r["state"], r["treaty"], r["action"], r["date"]) not in held]  # shipped since
    curated += [dict(r) for r in rows]
    events = [with_bounds(r) for r in events] + [with_bounds(dict(r)) for r in rows]
    write_csv(target / "curated_events.csv", EVENT_COLUMNS, curated)
    write_csv(target / "events.csv", BUILT_EVENT_COLUMNS, sorted(events, key=sort_key))
    # the reasons of the exits left out go with them (data/reasons.csv names each exit by its day)
    reasons = [r for r in read_csv(target / "reasons.csv") if (r["state"], r["treaty"]) not in SHIPPED_UNCERTAIN]
    write_csv(target / "reasons.csv", REASON_COLUMNS, reasons)
    write_datapackage(target, SHARED)
    return target


def copy_rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
