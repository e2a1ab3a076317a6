"""Write data/lifetime_gaps.csv: the gaps in a registry state's existence, from the Gleditsch-Ward list.

Run from the repo root:  .venv/bin/python tools/states/add_gaps.py   (after tools/states/add_gw.py)
Source: the same GW lists as `gw` and `since` (tools/states/gw-iisystem.tsv, gw-microstatessystem.tsv; their
provenance is in tools/states/README.md). A state GW lists in two spells with the same number was not a state
between them: the gap runs from the day after the earlier spell's last day (`ended`, the first day it was no
state) to the later spell's first day (`resumed`, the first day it was a state again).

A gap is applied (written to the file) when the state exists in the record on both of its sides: it ends after
the record's first day (the earliest treaty opening in data/treaties.csv), after the state's `since` and before
its `until`. Every other gap is reported, not written, with the reason (data/README.md, "Lifetimes", lists them):
- it ended before the record began (the state was back before 1925-06-17);
- it began before the state's `since`: the record holds the state only from its `since` (the first day of its last
  GW spell, or its date of succession of States), so the part of the gap inside the record is already
  `not yet a state`.
A gap around the record's first day of a state with no `since` would need a decision: the script stops there.
Idempotent: every run rewrites the whole file from the lists and data/states.csv.
"""

from __future__ import annotations

import csv
import sys
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from add_gw import REPO, read_lists, record_start, spells_by_iso3

sys.path.insert(0, str(REPO / "src"))

from analysis.schema import GAPS_COLUMNS

STATES = REPO / "data" / "states.csv"
GAPS = REPO / "data" / "lifetime_gaps.csv"


def gaps_of(spells: list[dict]) -> list[tuple[dict, dict]]:
    """Consecutive spells of one GW number that leave at least one day between them: (earlier, later)."""
    found = []
    for number in sorted({s["gw"] for s in spells}):
        own = sorted((s for s in spells if s["gw"] == number), key=lambda s: s["start"])
        found += [(a, b) for a, b in pairwise(own) if a["end"] + timedelta(days=1) < b["start"]]
    return found


def why_not(row: dict, ended: date, resumed: date, start: date) -> str:
    """Empty when the gap applies; else the reason it does not, in words."""
    if resumed <= start:
        return f"ended before the record began ({start.isoformat()})"
    if row["since"] and ended <= date.fromisoformat(row["since"]):
        return f"begins before the state's since ({row['since']}, {row['since_source']}): already `not yet a state`"
    if row["until"] and ended >= date.fromisoformat(row["until"]):
        return f"begins after the state's until ({row['until']})"
    if ended <= start:
        raise SystemExit(f"{row['iso3']}: a gap around the record's first day and no since: decide and document")
    return ""


def gap_row(iso3: str, earlier: dict, later: dict) -> dict:
    """One row of lifetime_gaps.csv, naming the list's file and lines and quoting their days."""
    span = f"{earlier['start']:%d:%m:%Y} to {earlier['end']:%d:%m:%Y} and {later['start']:%d:%m:%Y} to {later['end']:%d:%m:%Y}"
    return {
        "iso3": iso3,
        "gw": earlier["gw"],
        "ended": (earlier["end"] + timedelta(days=1)).isoformat(),
        "resumed": later["start"].isoformat(),
        "source": f"{earlier['list']}, tools/states/{earlier['file']} lines {earlier['line']}-{later['line']}",
        "note": f"GW {earlier['gw']} {earlier['abb']} {earlier['name']}: spells {span}; the record's acts before the "
        "gap resume with the state (data/README.md, Lifetimes)",
    }


def main() -> None:
    with STATES.open(newline="", encoding="utf-8") as fh:
        registry = {row["iso3"]: row for row in csv.DictReader(fh)}
    start, applied = record_start(), []
    for iso3, spells in sorted(spells_by_iso3(read_lists()).items()):
        for earlier, later in gaps_of(spells):
            ended, resumed = earlier["end"] + timedelta(days=1), later["start"]
            reason = why_not(registry[iso3], ended, resumed, start)
            lines = f"{earlier['file']} lines {earlier['line']}-{later['line']}"
            print(f"{iso3} {ended} to {resumed} ({lines}): {reason or 'applied'}")
            if not reason:
                applied.append(gap_row(iso3, earlier, later))
    with GAPS.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=GAPS_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(applied)
    print(f"{len(applied)} gaps written to {GAPS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
