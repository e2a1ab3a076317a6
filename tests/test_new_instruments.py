"""The instruments added for issue 20 (Moon Agreement, IAEA Statute, PMDA, START I, SORT): their exits on record.

Each check is a fact of the sources named in data/curated_events.csv and data/README.md: Saudi Arabia's Moon
Agreement withdrawal (notice 5 Jan 2023, effect 5 Jan 2024), the DPRK's IAEA withdrawal of 13 Jun 1994, Russia's
PMDA suspension (decree of 3 Oct 2016) and denunciation (effect 6 Nov 2025), START I's expiry on 5 Dec 2009 and
SORT's end on New START's entry into force, 5 Feb 2011.
"""

import warnings

import pytest

import analysis as a
from analysis.dataset import load


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", a.BeyondRecordWarning)
        yield


@pytest.mark.parametrize(
    "state, treaty, day, expected",
    [
        ("SAU", "moon", "2024-01-04", "withdrawal pending"),
        ("SAU", "moon", "2024-01-05", "withdrawn"),
        ("PRK", "iaea_statute", "1994-06-12", "party"),
        ("PRK", "iaea_statute", "1995-01-01", "withdrawn"),
        ("RUS", "pmda", "2016-10-02", "party"),
        ("RUS", "pmda", "2017-01-01", "suspended"),
        ("RUS", "pmda", "2025-11-05", "suspended"),
        ("RUS", "pmda", "2025-11-06", "withdrawn"),
        ("USA", "pmda", "2025-11-06", "terminated"),
        ("USA", "start1", "2009-12-04", "party"),
        ("KAZ", "start1", "2009-12-04", "party"),
        ("RUS", "start1", "2009-12-05", "terminated"),
        ("UKR", "start1", "2009-12-05", "terminated"),
        ("USA", "sort", "2011-02-04", "party"),
        ("RUS", "sort", "2011-02-05", "terminated"),
    ],
)
def test_each_exit_on_its_day(state, treaty, day, expected):
    assert a.status(state, treaty, on=day) == expected


def test_the_moon_agreement_parties_follow_the_unoda_record_then_the_saudi_exit():
    # UNODA's 2018 harvest: 18 parties (the UNTC page of the same era: 'Parties 18'); Saudi Arabia's exit leaves 17
    before = set(a.parties("moon", on="2018-07-10", basis="deposited"))
    after = set(a.parties("moon", on="2024-01-05", basis="deposited"))
    assert len(before) == 18 and "SAU" in before
    assert after == before - {"SAU"}


def test_the_exits_table_counts_the_new_exits():
    exits = a.withdrawals()
    keys = set(zip(exits["state"], exits["treaty"]))
    assert {("SAU", "moon"), ("PRK", "iaea_statute"), ("RUS", "pmda")} <= keys


def test_every_new_row_cites_a_source_of_its_day():
    ev = load().events
    mine = ev[
        ev["treaty"].isin(["moon", "iaea_statute", "pmda", "start1", "sort"])
        & (ev["source_kind"] != "international organisation")
    ]
    assert len(mine) > 0
    assert mine["source"].str.startswith("http").all()
    dated = mine.dropna(subset=["date"])
    assert (dated["date"] <= dated["source_date"]).all()
