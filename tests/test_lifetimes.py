"""States that begin and end (issue 11): lifetimes, successions, carry-over and who performed each act.

On the shipped data (data/*.csv); every expected value below is read in a named source row of data/curated_events.csv,
data/attributions.csv or data/successions.csv, or follows from the succession rule in data/README.md.
"""

import csv

import pandas as pd
import pytest
from conftest import DATA

import analysis as a
from analysis.schema import STATUSES
from analysis.sources import attributions


@pytest.mark.parametrize(
    "country, treaty, on, expected",
    [
        ("CSK", "npt", "1980-01-01", "party"),  # UK depositary list: ratification London 1969-07-22
        ("DDR", "npt", "1980-01-01", "party"),  # Verdragenbank: in force for the GDR 1970-03-05
        ("CSK", "bwc", "1980-01-01", "party"),  # FCO memorandum (UK list): ratification London 1973-04-30
        ("YUG", "ptbt", "1964-01-20", "party"),  # Dziennik Ustaw 1964/39/261: London deposit 1964-01-15
        ("CSK", "bwc", "1974-01-01", "consent deposited"),  # the BWC entered into force on 1975-03-26
        ("YUG", "npt", "1980-01-01", "party"),  # US status list: ratification Washington 1970-03-04
        ("SUN", "npt", "1980-01-01", "party"),  # the USSR's own acts (listed under RUS by the depositaries)
        ("SUN", "npt", "2000-01-01", "ceased to exist"),
        ("RUS", "npt", "1980-01-01", "not yet a state"),
        ("RUS", "npt", "1991-12-26", "party"),  # continuation: no gap
        ("RUS", "inf", "1992-01-01", "party"),  # continuation before the 1992-01-13 note
        ("CZE", "npt", "1960-01-01", "not yet a state"),
        ("CZE", "enmod", "1993-01-02", "party"),  # succession notified 1993-02-22, bound from 1993-01-01
        ("CZE", "enmod", "1992-12-31", "not yet a state"),
        ("CSK", "enmod", "1992-12-31", "party"),
        ("SVK", "open_skies", "1992-12-30", "not yet a state"),  # the CSFR's acts are the CSFR's
        ("CSK", "open_skies", "1992-12-30", "consent deposited"),  # Open Skies in force only from 2002
        ("CSK", "cfe", "1992-12-01", "party"),  # verdragen.nl: ratification 1991-08-05, in force 1992-11-09
        ("CZE", "cfe", "1993-01-01", "party"),  # succession deposited 1996-12-11, effective 1993-01-01
        ("SCG", "npt", "2000-01-01", "party"),  # FRY's succession effective 1992-04-27
        ("SRB", "npt", "2010-01-01", "party"),  # continuation of Serbia and Montenegro
        ("SRB", "npt", "2000-01-01", "not yet a state"),
    ],
)
def test_status_across_successions(country, treaty, on, expected):
    assert a.status(country, treaty, on=on) == expected


def test_new_statuses_are_appended_and_documented():
    assert STATUSES[-1] == "not yet a state" and STATUSES.index("ceased to exist") == 10
    assert set(a.STATUS_DOC) == set(STATUSES)


def test_cfe_had_22_signatories_at_the_end_of_1990():
    signed = a.signatories("cfe", on="1991-01-01")
    assert len(signed) == 22
    assert "SUN" in signed and "CSK" in signed
    assert not {"ARM", "AZE", "BLR", "GEO", "KAZ", "MDA", "UKR", "RUS"} & set(signed)


def test_russia_keeps_the_ussr_signature_after_1991():
    assert "RUS" in a.signatories("npt", on="2020-01-01")
    assert "SUN" not in a.signatories("npt", on="2020-01-01")


def test_npt_count_of_1990_includes_the_vanished_states():
    parties = a.parties("npt", on="1990-01-01", basis="deposited")
    assert {"CSK", "DDR", "YUG", "SUN"} <= set(parties)
    assert "RUS" not in parties and "CZE" not in parties
    # every state counted existed that day
    table = a.status_table("1990-01-01", treaties=["npt"])
    alive = set(table.loc[~table.status.isin(["not yet a state", "ceased to exist"]), "state"])
    assert set(parties) <= alive


def test_no_act_before_its_author_exists_or_after_it_ended():
    ds = a.load()
    ev = ds.events.join(ds.states[["since", "until"]], on="state")
    early = ev[ev["since"].notna() & (ev["date"] < ev["since"])]
    late = ev[ev["until"].notna() & (ev["date"] >= ev["until"]) & ~ev["action"].isin(["termination", "note"])]
    assert early.empty, early[["state", "treaty", "action", "date"]].to_string()
    assert late.empty, late[["state", "treaty", "action", "date"]].to_string()


def test_no_successor_gap_after_dissolution_or_continuation():
    """A successor bound by succession or continuation is bound on its first day where its predecessor was."""
    ds = a.load()
    succ = ds.successions
    ev = ds.events
    for pred, new, day in zip(succ["predecessor"], succ["successor"], succ["date"]):
        for treaty in sorted(set(ev.loc[ev["state"] == new, "treaty"]) | {"npt"}):
            before = a.status(pred, treaty, on=day - pd.Timedelta(days=1), ds=ds)
            took = ev[(ev["state"] == new) & (ev["treaty"] == treaty) & (ev["action"] == "succession")]
            carried = succ[(succ["successor"] == new) & succ["kind"].isin(["continuation", "unification"])]
            if before == "party" and (len(took) or len(carried)):
                since = ds.states.loc[new, "since"]
                first = since if pd.notna(since) else day
                assert a.status(new, treaty, on=max(first, day), ds=ds) == "party", (pred, new, treaty)


def test_every_moved_act_names_its_rule():
    ds = a.load()
    moved = ds.events[ds.events["note"].str.contains("Listed under ", regex=False)]
    assert len(moved) > 0
    rules = attributions.read_rules(DATA / "attributions.csv")
    performers = {r["performer"] for r in rules}
    assert set(moved["state"]) <= performers


def test_attribution_rule_matching():
    rule = {"listed_under": "RUS", "treaty": "*", "action": "*", "date": "", "from": "", "before": "1991-12-26"}
    assert attributions.matches(rule, {"state": "RUS", "treaty": "npt", "action": "signature", "date": "1968-07-01"})
    assert not attributions.matches(rule, {"state": "RUS", "treaty": "npt", "action": "x", "date": "1991-12-26"})
    assert not attributions.matches(rule, {"state": "UKR", "treaty": "npt", "action": "x", "date": "1968-07-01"})


def test_successions_file_is_sourced_and_known():
    ds = a.load()
    with (DATA / "successions.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["source"].startswith("http") for r in rows)
    assert {r["kind"] for r in rows} <= {"continuation", "dissolution", "separation", "absorption", "unification"}
    assert {r["predecessor"] for r in rows} | {r["successor"] for r in rows} <= set(ds.states.index)


def test_npt_count_of_january_1990_matches_the_uk_government_figure():
    """HC Deb 29 January 1990 vol 166 cc15-6W (Mr Waldegrave): 139 states recognised by the UK had ratified or
    acceded to the NPT, "in addition, Taiwan and North Korea". The registry holds no Taiwan, so the deposited count
    is 139 + the DPRK. The Lords answer of 26 July 1990 lists the CSFR and the GDR among the parties."""
    parties = a.parties("npt", on="1990-01-29", basis="deposited")
    assert len(parties) == 140
    assert {"PRK", "CSK", "DDR", "YUG", "SUN"} <= set(parties)
