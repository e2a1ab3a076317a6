"""Add the Gleditsch-Ward state number (`gw`) to data/states.csv and fill `since` / `since_source`.

Run from the repo root:  .venv/bin/python tools/states/add_gw.py
Source: Gleditsch & Ward's list of independent states (iisystem.dat) and of microstates (microstatessystem.dat),
http://ksgleditsch.com/statelist.html, revision of 2017 (the files' last day is 31:12:2017), copied here as
gw-iisystem.tsv and gw-microstatessystem.tsv (tools/states/README.md names the public copies they come from).

`gw`: each GW state still in the system at the list's end is matched to a row of states.csv by its GW name
through the registry's own resolver; the names the resolver does not take, and the former states, are set in
BY_ABBREVIATION below. A state neither list holds (Holy See, Palestine, Cook Islands, Niue) keeps an empty cell.

`since` (the first day of a state that began during the record, data/README.md "Lifetimes"):
- a successor in data/successions.csv keeps its date of succession of States (its `since`, or the earliest
  link date): `since_source` "successions.csv";
- any other state whose GW spell does not cover the first day of the record (the earliest treaty opening in
  data/treaties.csv) begins on the first day of its last GW spell: `since_source` names the GW file;
- the states in NO_SINCE keep an empty `since`: each acted, as the same international person, before the day
  GW dates its independence (the reason is given there and in data/README.md).
Idempotent: re-running replaces `gw`, `since` and `since_source` and keeps every other column as it is.
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from analysis.countries import UnknownCountryError, resolve_country  # noqa: E402

HERE = Path(__file__).resolve().parent
LISTS = {"gw-iisystem.tsv": "GW iisystem.dat (2017)", "gw-microstatessystem.tsv": "GW microstatessystem.dat (2017)"}
STATES = REPO / "data" / "states.csv"
SUCCESSIONS = REPO / "data" / "successions.csv"
TREATIES = REPO / "data" / "treaties.csv"
LIST_END = date(2017, 12, 31)
SUCCESSIONS_SOURCE = "successions.csv"

#: GW abbreviation -> ISO3 where the name does not resolve (GW's historical names, ambiguous names) or the row is
#: a former state. Each pairing is the list's own: number and name are in gw-iisystem.tsv.
BY_ABBREVIATION = {
    "SUR": ["SUR"],  # "Surinam"
    "GFR": ["DEU"],  # 260 German Federal Republic 1949-09-21 to the list's end: GW continues it after 1990
    "GDR": ["DDR"],  # 265 German Democratic Republic 1949-10-05 to 1990-10-02
    "ITA": ["ITA"],  # "Italy/Sardinia"
    "MAC": ["MKD"],  # "Macedonia (Former Yugoslav Republic of)"
    "BOS": ["BIH"],  # "Bosnia-Herzegovina"
    "RUM": ["ROU"],  # "Rumania"
    "RUS": ["SUN", "RUS"],  # 365 "Russia (Soviet Union)" 1816 to the list's end spans the USSR and Russia
    "BLR": ["BLR"],  # "Belarus (Byelorussia)"
    "GUI": ["GIN"],  # "Guinea" (the resolver refuses the bare word shared by three states)
    "BFO": ["BFA"],  # "Burkina Faso (Upper Volta)"
    "CON": ["COG"],  # "Congo" (484, the Republic of the Congo; 490 is the DRC)
    "DRC": ["COD"],  # "Congo, Democratic Republic of (Zaire)"
    "TAZ": ["TZA"],  # "Tanzania/Tanganyika"
    "ZIM": ["ZWE"],  # "Zimbabwe (Rhodesia)"
    "SUD": ["SDN"],  # "Sudan" (the bare word is shared with South Sudan)
    "IRN": ["IRN"],  # "Iran (Persia)"
    "TUR": ["TUR"],  # "Turkey (Ottoman Empire)"
    "YEM": ["YEM"],  # 678 "Yemen (Arab Republic of Yemen)" 1918 to the list's end: GW continues it after 1990
    "YPR": ["YMD"],  # 680 "Yemen, People's Republic of" 1967-11-30 to 1990-05-21
    "PRK": ["PRK"],  # 731 "Korea, People's Republic of" (North Korea)
    "MYA": ["MMR"],  # "Myanmar (Burma)"
    "SRI": ["LKA"],  # "Sri Lanka (Ceylon)"
    "CAM": ["KHM"],  # "Cambodia (Kampuchea)"
    "DRV": ["VNM"],  # 816 "Vietnam, Democratic Republic of" 1954 to the list's end
    "WSM": ["WSM"],  # "Samoa/Western Samoa"
    "CZE": ["CSK"],  # 315 Czechoslovakia 1918-11-11 to 1992-12-31 (GW's abbreviation, as COW's, is CZE)
    "YUG": ["YUG", "SCG"],  # 345 Yugoslavia 1918-12-01 to 2006-06-04 spans the SFRY and FR Yugoslavia
}

#: States that keep an empty `since` although GW dates their independence after the record's first day.
NO_SINCE = {
    "DEU": "GW starts 260 in 1949, but the Federal Republic continues the German Reich (255), whose acts it holds",
    "UKR": "the Ukrainian SSR was a UN member from 1945 and a party to treaties in its own name, held under UKR",
    "BLR": "the Byelorussian SSR was a UN member from 1945 and a party to treaties in its own name, held under BLR",
    "IND": "British India signed (1925) and ratified (1930) the Geneva Protocol; India continues its person",
    "IRQ": "Iraq acceded to the Geneva Protocol on 1931-04-07, before GW's 1932-10-03 (League membership)",
    "KIR": "UNODA dates its NPT succession 1975-04-18, before independence (1979-07-12): unconfirmed, kept",
    "KNA": "UNODA lists a Sea-Bed ratification of 1972-05-18 under it (the UK's own day; independence 1983)",
    "YEM": "YEM holds the Yemen Arab Republic's acts (GW 678 from 1918); its unification link carries Democratic Yemen over",
}


def read_lists() -> list[dict]:
    """Every spell of both GW lists: number, abbreviation, name, first and last day, the list, file, line and text."""
    spells = []
    for name, label in LISTS.items():
        with (HERE / name).open(encoding="utf-8") as fh:
            for line_number, line in enumerate(fh, start=1):
                number, abb, state, start, end = line.rstrip("\n").split("\t")
                spells.append(
                    {"gw": number, "abb": abb, "name": state, "start": _day(start), "end": _day(end), "list": label}
                    | {"file": name, "line": line_number, "text": line.rstrip("\n")}
                )
    return spells


def _day(text: str) -> date:
    """GW writes days as dd:mm:yyyy."""
    day, month, year = text.split(":")
    return date(int(year), int(month), int(day))


def spells_by_iso3(spells: list[dict]) -> dict[str, list[dict]]:
    """ISO3 -> every GW spell of the state (matched by its last spell); fails if two GW states land on one row."""
    by_abb: dict[str, list[dict]] = {}
    for spell in spells:
        by_abb.setdefault(spell["abb"], []).append(spell)
    found: dict[str, list[dict]] = {}
    for abb, own in by_abb.items():
        for iso3 in _rows_for(max(own, key=lambda s: s["start"])):
            if iso3 in found:
                raise SystemExit(f"{abb} matches {iso3}, which already has {found[iso3][0]['abb']}")
            found[iso3] = own
    return found


def _rows_for(spell: dict) -> list[str]:
    if spell["abb"] in BY_ABBREVIATION:
        return BY_ABBREVIATION[spell["abb"]]
    if spell["end"] != LIST_END:  # a state that ended before 2017 and has no row (Hanover, Tibet, ...)
        return []
    try:
        return [resolve_country(spell["name"])]
    except UnknownCountryError:  # Kosovo, Taiwan, Abkhazia, South Ossetia: not in the registry
        return []


def successor_days() -> dict[str, str]:
    """Each successor's earliest date of succession of States in data/successions.csv."""
    days: dict[str, str] = {}
    with SUCCESSIONS.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            days[row["successor"]] = min(row["date"], days.get(row["successor"], row["date"]))
    return days


def record_start() -> date:
    """The first day of the record: the earliest opening for signature (or adoption) in data/treaties.csv."""
    with TREATIES.open(newline="", encoding="utf-8") as fh:
        days = [row["opened_for_signature"] or row["adopted"] for row in csv.DictReader(fh)]
    return min(date.fromisoformat(d) for d in days if d)


def since_for(row: dict, spells: list[dict], successors: dict[str, str], start: date) -> tuple[str, str]:
    """(since, since_source) for one registry row, by the rules in the module docstring."""
    iso3 = row["iso3"]
    if iso3 in NO_SINCE:
        return "", ""
    if iso3 in successors:
        return row["since"] or successors[iso3], SUCCESSIONS_SOURCE
    if not spells or any(s["start"] <= start <= s["end"] for s in spells):
        return "", ""
    last = max(spells, key=lambda s: s["start"])
    return last["start"].isoformat(), last["list"]


def _write(columns: list[str], rows: list[dict]) -> None:
    with STATES.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: row.get(c, "") for c in columns} for row in rows)


def _columns(fieldnames: list[str]) -> list[str]:
    """The registry's columns with `gw` after `cow_abb` and `since_source` after `since`."""
    columns = [c for c in fieldnames if c not in ("gw", "since_source")]
    columns.insert(columns.index("cow_abb") + 1, "gw")
    columns.insert(columns.index("since") + 1, "since_source")
    return columns


def main() -> None:
    with STATES.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        columns = _columns(list(reader.fieldnames))
        rows = list(reader)
    if not all("gw" in row and "since_source" in row for row in rows):  # the resolver wants every column
        _write(columns, rows)
    by_iso3 = spells_by_iso3(read_lists())
    successors, start = successor_days(), record_start()
    for row in rows:
        spells = by_iso3.get(row["iso3"], [])
        row["gw"] = spells[0]["gw"] if spells else ""
        row["since"], row["since_source"] = since_for(row, spells, successors, start)
    _write(columns, rows)
    missing = [row["iso3"] for row in rows if not row["gw"]]
    dated = sum(1 for row in rows if row["since"])
    print(f"{len(rows) - len(missing)} rows with a GW number; none for {', '.join(missing)}; {dated} with since")


if __name__ == "__main__":
    main()
