"""API functions that take states or treaties read names and codes as everywhere else, or refuse (issue 25,
finding 6): a selection never comes back silently empty."""

import pytest

import analysis
from analysis import explore
from analysis.countries import UnknownCountryError
from analysis.present import rows_of
from analysis.status import UnknownTreatyError


@pytest.mark.parametrize("states", ["LTU", ["Lithuania"], ("lt",), ["LTU"]])
def test_exits_table_reads_names_and_codes(states):
    table = explore.exits_table("ccm", states, "2025-03-06")
    assert list(table["name"]) == ["Lithuania"], table


@pytest.mark.parametrize("states", [["Atlantis"], [3], 3])
def test_exits_table_refuses_what_is_no_state(states):
    with pytest.raises(UnknownCountryError):
        explore.exits_table("ccm", states, "2025-03-06")


def test_status_table_takes_one_state_or_treaty_as_a_string():
    table = analysis.status_table("2025-03-06", countries="Lithuania", treaties="Convention on Cluster Munitions")
    assert table[["state", "treaty", "status"]].astype(str).values.tolist() == [["LTU", "ccm", "withdrawn"]]
    with pytest.raises(UnknownTreatyError):
        analysis.status_table("2025-03-06", countries=["LTU"], treaties=["Warsaw Pact"])


def test_the_rows_a_page_rests_on_read_names_too():
    ds = analysis.load()
    by_name = rows_of(ds, states=["Lithuania"], treaties=["Convention on Cluster Munitions"])
    assert len(by_name) and by_name.equals(rows_of(ds, states=["LTU"], treaties=["ccm"]))
