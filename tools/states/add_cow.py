"""Add the Correlates of War state number and abbreviation to data/states.csv (columns `cow`, `cow_abb`).

Run from the repo root:  .venv/bin/python tools/states/add_cow.py
Source: Correlates of War Project, State System Membership List v2016 (states2016.csv,
https://correlatesofwar.org/data-sets/state-system-membership), copied here as cow-states2016.csv with its
published columns. Each COW state still in the system at the list's end (2016-12-31) is matched to a row of
states.csv by its COW name through the registry's own resolver (names and aliases). The states that no longer
exist, and the codes COW shares between a state and its continuation, are set in HISTORICAL below, each from
the list's own rows. A state COW does not list (Holy See, Palestine, Cook Islands, Niue) keeps empty cells.
Idempotent: re-running replaces the two columns and keeps every other column as it is.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from analysis.countries import UnknownCountryError, resolve_country  # noqa: E402

COW = Path(__file__).resolve().parent / "cow-states2016.csv"
STATES = REPO / "data" / "states.csv"
SOURCE = "COW State System Membership List v2016 (https://correlatesofwar.org/data-sets/state-system-membership)"

#: Rows whose code is not found by name: former states, and the states COW continues under one number.
HISTORICAL = {
    "SUN": "RUS",  # COW 365 Russia 1816-2016 spans the Soviet Union and the Russian Federation
    "RUS": "RUS",
    "YUG": "YUG",  # COW 345 Yugoslavia 1944-2016 spans the SFRY, FR Yugoslavia / Serbia and Montenegro, Serbia
    "SCG": "YUG",
    "SRB": "YUG",
    "CSK": "CZE",  # COW 315 Czechoslovakia (abbreviation CZE); the Czech Republic is 316 CZR
    "DDR": "GDR",  # COW 265 German Democratic Republic
    "DEU": "GMY",  # COW 255 Germany (1990-10-03 on); the Federal Republic before unification was 260 GFR
    "YMD": "YPR",  # COW 680 Yemen People's Republic (South Yemen)
    "YEM": "YEM",  # COW 679 Yemen (1990-05-22 on); the Yemen Arab Republic was 678 YAR
}


def read_cow() -> dict[str, dict]:
    """One entry per COW abbreviation: its number, its name, and whether it was still in the system in 2016."""
    states: dict[str, dict] = {}
    with COW.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            entry = states.setdefault(row["stateabb"], {"ccode": row["ccode"], "name": row["statenme"]})
            entry["current"] = entry.get("current", False) or row["endyear"] == "2016"
    return states


def codes_by_iso3(cow: dict[str, dict]) -> dict[str, tuple[str, str]]:
    """ISO3 -> (COW number, COW abbreviation); fails if two COW states land on one row."""
    found: dict[str, tuple[str, str]] = {}
    taken = set(HISTORICAL.values())
    for abb, entry in cow.items():
        if not entry["current"] or abb in taken:
            continue
        try:
            iso3 = resolve_country(entry["name"])
        except UnknownCountryError:
            continue
        if iso3 in found or iso3 in HISTORICAL:
            raise SystemExit(f"{entry['name']} ({abb}) matches {iso3}, which already has a code")
        found[iso3] = (entry["ccode"], abb)
    for iso3, abb in HISTORICAL.items():
        found[iso3] = (cow[abb]["ccode"], abb)
    return found


def _write(columns: list[str], rows: list[dict]) -> None:
    with STATES.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: row.get(c, "") for c in columns} for row in rows)


def main() -> None:
    with STATES.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        columns = [c for c in reader.fieldnames if c not in ("cow", "cow_abb")]
        rows = list(reader)
    at = columns.index("m49") + 1
    columns[at:at] = ["cow", "cow_abb"]
    if not all("cow" in row for row in rows):  # the registry's reader wants the columns before it resolves names
        _write(columns, rows)
    codes = codes_by_iso3(read_cow())
    for row in rows:
        row["cow"], row["cow_abb"] = codes.get(row["iso3"], ("", ""))
    _write(columns, rows)
    missing = [row["iso3"] for row in rows if not row["cow"]]
    print(f"{len(rows) - len(missing)} rows with a COW code; none for {', '.join(missing)}")


if __name__ == "__main__":
    main()
