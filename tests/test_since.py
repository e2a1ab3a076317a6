"""`since` for every state that began during the record (issue 11): from data/successions.csv or the Gleditsch-Ward
list (tools/states/gw-*.tsv), the exceptions documented in data/README.md ("Lifetimes"), and what the status engine
makes of it. Every expected day below was read in the GW list (the line is quoted) or in the source named.
"""

import shutil
from datetime import date

import pandas as pd
import pytest
from conftest import DATA, ROOT

import analysis as a
from analysis.validation import validate

LISTS = ROOT / "tools" / "states"
FILES = {"GW iisystem.dat (2017)": "gw-iisystem.tsv", "GW microstatessystem.dat (2017)": "gw-microstatessystem.tsv"}
#: Acted before GW's first day, as the same state (data/README.md "Lifetimes"), or holds an older state's acts.
NO_SINCE = {"DEU", "UKR", "BLR", "IND", "IRQ", "KIR", "KNA", "YEM"}
RECORD_START = date(1925, 6, 17)  # the Geneva Protocol's opening, the earliest in data/treaties.csv


def _states() -> pd.DataFrame:
    return pd.read_csv(DATA / "states.csv", dtype=str, keep_default_na=False).set_index("iso3")


def _spells(label: str) -> pd.DataFrame:
    columns = ["gw", "abb", "name", "start", "end"]
    table = pd.read_csv(LISTS / FILES[label], sep="\t", header=None, names=columns, dtype=str, encoding="utf-8")
    for column in ("start", "end"):
        table[column] = pd.to_datetime(table[column], format="%d:%m:%Y").dt.date
    return table


@pytest.mark.parametrize(
    "iso3, day",
    [
        ("FJI", "1970-10-10"),  # 950 FJI Fiji 10:10:1970
        ("TON", "1970-06-04"),  # 972 TON Tonga 04:06:1970 (microstates)
        ("GHA", "1957-03-06"),  # 452 GHA Ghana 06:03:1957
        ("NAM", "1990-03-21"),  # 565 NAM Namibia 21:03:1990
        ("ERI", "1993-05-24"),  # 531 ERI Eritrea 24:05:1993
        ("TLS", "2002-05-20"),  # 860 ETM East Timor 20:05:2002
        ("SSD", "2011-07-09"),  # 626 SSD South Sudan 09:07:2011
        ("PLW", "1994-10-01"),  # 986 PAL Palau 01:10:1994 (microstates)
        ("DDR", "1949-10-05"),  # 265 GDR German Democratic Republic 05:10:1949
        ("YMD", "1967-11-30"),  # 680 YPR Yemen, People's Republic of 30:11:1967
        ("MAR", "1956-03-02"),  # 600 MOR Morocco 02:03:1956 (its last spell; the first ended in 1904)
        ("CZE", "1993-01-01"),  # successions.csv: CSK -> CZE 1993-01-01
        ("KAZ", "1991-12-26"),  # successions.csv: SUN -> KAZ 1991-12-26 (not GW's 16:12:1991)
    ],
)
def test_since_is_the_listed_day(iso3, day):
    assert _states().loc[iso3, "since"] == day


def test_every_gw_dated_since_is_the_first_day_of_the_last_spell():
    rows = _states()
    dated = rows[rows["since_source"].str.startswith("GW ")]
    assert len(dated) > 100
    for label in FILES:
        spells = _spells(label)
        for iso3, row in dated[dated["since_source"] == label].iterrows():
            own = spells[spells["gw"] == row["gw"]]
            assert row["since"] == own["start"].max().isoformat(), iso3
            assert not ((own["start"] <= RECORD_START) & (own["end"] >= RECORD_START)).any(), iso3


def test_every_state_that_began_during_the_record_has_a_since_or_a_documented_reason():
    rows = _states()
    spells = pd.concat([_spells(label) for label in FILES])
    covers_start = set(spells.loc[(spells["start"] <= RECORD_START) & (spells["end"] >= RECORD_START), "gw"])
    began = rows[(rows["gw"] != "") & ~rows["gw"].isin(covers_start)]
    undated = set(began.index[began["since"] == ""])
    assert undated == NO_SINCE - {"YEM"}  # YEM's 678 covers 1925: its empty since is the rule, not an exception
    assert (rows.loc[["EST", "LVA", "LTU", "EGY", "IRL"], "since"] == "").all()  # a GW spell covers 1925-06-17
    assert set(rows.index[(rows["since"] != "") != (rows["since_source"] != "")]) == set()


def test_the_validator_rejects_an_act_before_its_authors_since(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("world_50m.json"))
    rows = _states()
    assert not [e for e in validate(DATA) if "came into existence" in e]
    rows.loc["FJI", "since"] = "1999-01-01"  # Fiji succeeded to the PTBT in 1972
    rows.reset_index().to_csv(data / "states.csv", index=False, lineterminator="\n")
    errors = [e for e in validate(data) if "came into existence" in e]
    assert errors and all("FJI came into existence on 1999-01-01" in e for e in errors)


def test_a_decolonised_state_is_bound_by_succession_from_independence():
    """Tonga became independent on 4 June 1970 (Tonga Act 1970, s. 1(1); GW 04:06:1970) and notified its succession
    to the Outer Space Treaty in Moscow on 1971-06-22 (UNODA's depositary record: "it considers itself to be bound
    thereby by virtue of the signature of the United Kingdom"); the treaty was in force from 1967-10-10."""
    moscow = a.load().events.query("state == 'TON' and treaty == 'outer_space' and action == 'succession'")
    assert moscow["date"].min() == pd.Timestamp("1971-06-22")
    assert a.status("TON", "outer_space", on="1970-06-03") == "not yet a state"
    assert a.status("TON", "outer_space", on="1970-06-04") == "party"
    assert a.status("TON", "outer_space", on="1971-01-01") == "party"


def test_a_state_before_its_since_is_not_counted_as_a_non_party():
    day = "1969-01-01"
    rows = _states()
    unborn = set(rows.index[(rows["since"] > day) & (rows["since"] != "")])
    table = a.status_table(day, treaties=["npt"])
    listed = set(table.loc[table["status"] == "not yet a state", "state"])
    assert {"TON", "FJI", "NAM", "ERI"} <= unborn == listed
    assert not listed & set(table.loc[table["status"] == "not signed", "state"])
    counts = a.party_counts("npt", start=day, end=day)
    assert counts.loc[pd.Timestamp(day), "not yet a state"] == len(unborn)


def test_counts_start_at_the_treatys_first_act_not_at_a_states_first_day():
    """APMBC opened for signature on 1997-12-03 (data/treaties.csv): the states that began in 1932 or 1990 do not
    move the start of its counts back to their first day."""
    counts = a.party_counts("apmbc")
    assert counts.index.min() == pd.Timestamp("1997-12-03")
    assert counts.iloc[0]["not yet a state"] == 4  # TLS 2002, MNE and SRB 2006, SSD 2011
