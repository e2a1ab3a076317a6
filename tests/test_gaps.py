"""Gaps in a state's existence (issue 11, "states that end and begin"): data/lifetime_gaps.csv, read from the
Gleditsch-Ward list (tools/states/gw-iisystem.tsv), and what the status engine, the counts, the maps' states and
the validator make of it. Every expected day was read in the GW list (the lines are quoted) or in events.csv.
"""

import shutil
from datetime import date, timedelta
from itertools import pairwise

import pandas as pd
import pytest
from conftest import DATA, ROOT

import analysis as a
from analysis import lifetimes
from analysis.validation import validate

LISTS = ROOT / "tools" / "states"
FILES = {"GW iisystem.dat (2017)": "gw-iisystem.tsv", "GW microstatessystem.dat (2017)": "gw-microstatessystem.tsv"}
RECORD_START = date(1925, 6, 17)  # the Geneva Protocol's opening, the earliest in data/treaties.csv
BALTIC = ["EST", "LTU", "LVA"]


def _gaps() -> pd.DataFrame:
    return pd.read_csv(DATA / "lifetime_gaps.csv", dtype=str, keep_default_na=False)


def _list_lines(name: str) -> list[list[str]]:
    return [line.rstrip("\n").split("\t") for line in (LISTS / name).open(encoding="utf-8")]


def _gw_day(text: str) -> date:
    day, month, year = map(int, text.split(":"))
    return date(year, month, day)


def test_the_baltic_gaps_are_the_ones_applied():
    """366 EST Estonia 11:11:1918 01:06:1940 / 06:09:1991 31:12:2017 (lines 84-85), 367 LAT Latvia (86-87), 368 LIT
    Lithuania (88-89): not a state from 1940-06-02 to 1991-09-05."""
    gaps = _gaps().set_index("iso3")
    assert sorted(gaps.index) == BALTIC
    assert (gaps["ended"] == "1940-06-02").all() and (gaps["resumed"] == "1991-09-06").all()
    assert gaps.loc[BALTIC, "gw"].tolist() == ["366", "368", "367"]


def test_every_gap_in_the_file_equals_the_gw_lists_spells():
    """Each row names its list and two lines; those lines hold the row's GW number, with no day between the row's
    `ended` and the earlier spell's last day + 1, nor between `resumed` and the later spell's first day."""
    for _, row in _gaps().iterrows():
        label, where = row["source"].split(", tools/states/")
        name, lines = where.split(" lines ")
        assert FILES[label] == name
        first, second = (int(n) for n in lines.split("-"))
        spells = _list_lines(name)
        earlier, later = spells[first - 1], spells[second - 1]
        assert earlier[0] == later[0] == row["gw"]
        assert _gw_day(earlier[4]) + timedelta(days=1) == date.fromisoformat(row["ended"])
        assert _gw_day(later[3]) == date.fromisoformat(row["resumed"])
        assert not [s for s in spells if s[0] == row["gw"] and _gw_day(earlier[4]) < _gw_day(s[3]) < _gw_day(later[3])]


def test_every_gap_the_list_leaves_inside_a_states_record_is_in_the_file():
    """Same-number spells with days between them, in the record (after 1925-06-17 and after the state's since):
    exactly the file's gaps. The others (Haiti, Serbia, Montenegro, Morocco, ...: before their since; Egypt,
    Afghanistan: before 1925) are listed in data/README.md, Lifetimes."""
    states = pd.read_csv(DATA / "states.csv", dtype=str, keep_default_na=False)
    since = dict(zip(states["gw"], states["since"]))
    found = set()
    for name in FILES.values():
        spells = sorted(_list_lines(name), key=lambda s: (s[0], _gw_day(s[3])))
        for earlier, later in pairwise(spells):
            ended = _gw_day(earlier[4]) + timedelta(days=1)
            if earlier[0] != later[0] or ended >= _gw_day(later[3]) or _gw_day(later[3]) <= RECORD_START:
                continue
            if not since.get(earlier[0]) or ended > date.fromisoformat(since[earlier[0]]):
                found.add((earlier[0], ended.isoformat(), _gw_day(later[3]).isoformat()))
    assert found == set(zip(_gaps()["gw"], _gaps()["ended"], _gaps()["resumed"]))


@pytest.mark.parametrize("iso3", BALTIC)
def test_inside_the_gap_the_status_is_ceased_to_exist_and_the_record_resumes(iso3):
    """Estonia ratified the Geneva Protocol on 1931-08-28, Latvia on 1931-06-03, Lithuania on 1933-06-15 (UNODA,
    events.csv); none acceded again after 1991. Inside the gap: ceased to exist; from 1991-09-06 a party again."""
    assert a.status(iso3, "geneva_protocol", on="1935-01-01") == "party"
    assert a.status(iso3, "geneva_protocol", on="1940-06-01") == "party"
    assert a.status(iso3, "geneva_protocol", on="1940-06-02") == "ceased to exist"
    assert a.status(iso3, "geneva_protocol", on="1991-09-05") == "ceased to exist"
    assert a.status(iso3, "geneva_protocol", on="1991-09-06") == "party"
    assert a.status(iso3, "geneva_protocol", on="1995-01-01") == "party"
    assert a.status(iso3, "npt", on="1980-01-01") == "ceased to exist"
    assert a.status(iso3, "npt", on="1991-09-06") == "not signed"  # its first NPT act is of 1991-09-23 or later


def test_estonia_is_no_npt_non_party_in_1980():
    day = "1980-01-01"
    table = a.status_table(day, treaties=["npt"])
    assert set(table.loc[table["status"] == "ceased to exist", "state"]) == set(BALTIC)
    assert "EST" not in set(table.loc[table["status"].isin(["not signed", "signatory"]), "state"])
    counts = a.party_counts("npt", start=day, end=day).iloc[0]
    assert counts["ceased to exist"] == 3
    assert counts["parties"] == 114
    assert counts["not yet a state"] + counts["ceased to exist"] + counts["signatory"] + counts["parties"] == len(
        table[table["status"] != "not signed"]
    )


def test_the_estonian_npt_accession_still_counts():
    """Estonia acceded to the NPT in London on 1992-01-07 (UNODA, events.csv)."""
    assert a.status("EST", "npt", on="1992-01-07") in ("party", "consent deposited")
    assert "EST" in a.parties("npt", on="1995-01-01")


def test_states_in_a_gap_exist_nowhere():
    ds = a.load()
    assert not set(BALTIC) & set(lifetimes.existing(ds, "1980-01-01"))
    assert set(BALTIC) <= set(lifetimes.existing(ds, "1935-01-01"))
    assert set(BALTIC) <= set(lifetimes.existing(ds, "1991-09-06"))
    assert not set(BALTIC) & set(lifetimes.existing(ds, "1991-09-05"))


def test_the_geneva_protocol_signatures_stand_again_after_the_gap():
    """The three Baltic states signed the Geneva Protocol on 1925-06-17: off the list of signatures standing while
    they did not exist, on it again from 1991-09-06."""
    counts = a.party_counts("geneva_protocol", start="1991-09-05", end="1991-09-06")
    assert counts.loc[pd.Timestamp("1991-09-06"), "signed"] - counts.loc[pd.Timestamp("1991-09-05"), "signed"] == 3
    back = set(a.parties("geneva_protocol", on="1991-09-06")) - set(a.parties("geneva_protocol", on="1991-09-05"))
    assert back == {*BALTIC, "LIE"}  # Liechtenstein's accession takes effect the same day (events.csv)


def test_no_bound_year_inside_the_gap():
    panel = a.event_panel("Y")
    rows = panel[panel["state"].isin(BALTIC) & (panel["treaty"] == "geneva_protocol")]
    inside = rows[(rows["period"] >= pd.Timestamp("1941-01-01")) & (rows["period"] <= pd.Timestamp("1990-12-31"))]
    assert len(inside) == 3 * 50
    assert (inside["bound"] == 0).all() and (inside["at_risk"] == 0).all()
    assert (inside["status"] == "ceased to exist").all()


def test_the_country_report_says_the_state_did_not_exist():
    text = a.country_profile("EST", on="1980-01-01").summary
    assert text.startswith("Estonia did not exist as a state from 2 June 1940 to 5 September 1991")


def test_the_validator_rejects_an_act_inside_a_gap(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("world_50m.json"))
    assert not [e for e in validate(DATA) if "did not exist" in e]
    events = (data / "events.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(n for n, text in enumerate(events) if text.startswith("EST,npt,accession,1992-01-07,"))
    events[line] = events[line].replace("1992-01-07", "1980-03-01", 1)
    (data / "events.csv").write_text("".join(events), encoding="utf-8")
    errors = [e for e in validate(data) if "did not exist" in e]
    assert errors == [
        f"{data / 'events.csv'}, line {line + 1}, column 'date': 1980-03-01, but EST did not exist from 1940-06-02 "
        "to the day before 1991-09-06"
    ]


def test_the_validator_rejects_a_gap_out_of_order(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("world_50m.json"))
    gaps = _gaps()
    gaps.loc[0, "resumed"] = "1930-01-01"
    gaps.to_csv(data / "lifetime_gaps.csv", index=False, lineterminator="\n")
    assert any(
        "lifetime_gaps.csv, line 2, column 'resumed': 1930-01-01 is not after ended" in e for e in validate(data)
    )
