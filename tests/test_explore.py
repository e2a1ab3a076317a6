"""The explorer's computations and its widgets, driven from Python as the Lab drives them (widget.value = ...)."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis as a
from analysis import explore


@pytest.fixture(scope="module")
def explorer():
    return explore.Explorer("apmbc", ["LTU", "POL"])


@pytest.mark.parametrize("treaty, day", [("apmbc", "2025-12-26"), ("apmbc", "2025-12-27"), ("ccm", "2025-03-06"),
                                          ("npt", "1993-03-12"), ("cfe", "2023-11-07"), ("ccm", "1990-01-01")])  # fmt: skip
def test_party_count_is_the_number_of_parties(treaty, day):
    assert explore.party_count(treaty, day) == len(a.parties(treaty, on=day))


def test_record_span_runs_from_the_first_record_to_the_status_date():
    ds = a.load()
    first, last = explore.record_span("apmbc", ds)
    assert first == min(ds.treaties.loc["apmbc", "adopted"], ds.events.query("treaty == 'apmbc'")["date"].min())
    assert first.year == 1997
    assert last == pd.Timestamp(ds.status_date)


def test_search_finds_states_by_name_and_code():
    options = explore.state_options()
    assert ("Lithuania (LTU)", "LTU") in explore.search_states("lith", options)
    assert [code for _, code in explore.search_states("ltu", options)] == ["LTU"]
    assert explore.search_states("", options) == options
    assert explore.search_states("zzzz", options) == []


def test_exits_table_keeps_the_selection_and_the_day():
    by_day = explore.exits_table("apmbc", ("LTU", "POL", "NOR"), "2025-07-01")
    assert by_day["name"].tolist() == ["Lithuania"]  # Poland's notice came on 2025-08-20
    everyone = explore.exits_table("apmbc", (), "2026-02-03")
    assert set(everyone["name"]) >= {"Estonia", "Latvia", "Lithuania", "Finland", "Poland"}


def test_each_control_updates_the_views(explorer):
    ds = a.load()
    explorer.treaty.value = "ccm"
    assert explorer.selection.treaty == "ccm"
    assert f">{len(a.parties('ccm', on=ds.status_date))}</b>" in explorer.count.value
    assert "CCM: states bound" in explorer.curve.value
    day = pd.Timestamp("2024-10-01")
    explorer.slider.value = day.toordinal()
    assert explorer.picker.value == day.date() and explorer.selection.day == day
    assert f">{len(a.parties('ccm', on=day))}</b>" in explorer.count.value
    assert "Lithuania" in explorer.table.value and "2024-09-06" in explorer.table.value
    explorer.picker.value = pd.Timestamp("2015-01-01").date()
    assert explorer.slider.value == pd.Timestamp("2015-01-01").toordinal()
    assert "No exit" in explorer.table.value
    explorer.states.value = ("NOR",)
    assert "Norway" in explorer.timelines.value and "Lithuania" not in explorer.timelines.value


def test_search_keeps_the_selected_states(explorer):
    explorer.states.value = ("LTU",)
    explorer.search.value = "lat"
    codes = [code for _, code in explorer.states.options]
    assert codes[0] == "LTU" and "LVA" in codes and "POL" not in codes
    assert explorer.states.value == ("LTU",)
    explorer.search.value = ""


def test_the_day_stays_within_the_treaty_record(explorer):
    explorer.treaty.value = "apmbc"
    explorer.set(day="1950-01-01")
    first, _ = explore.record_span("apmbc")
    assert explorer.selection.day == first and explorer.slider.min == first.toordinal()
    explorer.treaty.value = "geneva_protocol"  # adopted 1925: the slider widens
    assert explorer.slider.min == explore.record_span("geneva_protocol")[0].toordinal()


def test_static_picture_for_a_plain_run(explorer):
    explorer.set(treaty="apmbc", states=("LTU",), day="2025-12-27")
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    html = bundle["text/html"]
    assert "<svg" in html and "te-party-count" in html and "Lithuania" in html
    assert bundle["text/plain"].endswith(f"{len(a.parties('apmbc', on='2025-12-27'))} states bound")


@pytest.mark.parametrize("treaty, day", [("apmbc", "2025-07-01"), ("npt", "1993-03-20"), ("ccm", "2012-02-02")])
def test_the_map_is_the_treaty_map_of_the_day(treaty, day):
    """Drawn once per stretch between change days, the explorer's map is still exactly the map of the day asked."""
    from analysis import maps

    ds = a.load()
    shown = explore._map_html(treaty, pd.Timestamp(day), ds)
    assert str(maps.treaty_map(treaty, on=pd.Timestamp(day), ds=ds)) in shown


def test_the_map_follows_the_day_across_a_change(explorer):
    explorer.set(treaty="ccm", states=("LTU",), day="2025-03-05")
    before = explorer.map.value
    explorer.set(day="2025-03-06")  # Lithuania's withdrawal from the CCM takes effect
    assert 'data-iso3="LTU" data-status="withdrawal pending"' in before
    assert 'data-iso3="LTU" data-status="withdrawn"' in explorer.map.value
