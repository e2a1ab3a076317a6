"""A country report for a state that no longer exists reads sensibly (issue 11, "Done when").

On the data's status date every status of Czechoslovakia or the USSR is only "ceased to exist", so the report is
drawn on the state's last day by default, says so, names the successors, and compares the state with the peers
that existed beside it that day (not with states that did not exist yet).
"""

from datetime import date

import pandas as pd
import pytest

import analysis
from analysis import lifetimes, maps, params


@pytest.mark.parametrize(("iso3", "last"), [("CSK", date(1992, 12, 31)), ("SUN", date(1991, 12, 25))])
def test_default_day_of_a_former_state_is_its_last_day(ds, iso3, last):
    assert params.as_of(None, ds, country=iso3) == last
    assert params.as_of("1985-06-01", ds, country=iso3) == date(1985, 6, 1)  # a given day is kept
    assert params.as_of(None, ds, country="LTU") == ds.status_date  # an existing state: the status date


def test_former_state_summary_names_its_last_day_and_successors(ds):
    profile = analysis.country_profile("CSK", on=params.as_of(None, ds, country="CSK"), ds=ds)
    assert profile.summary.startswith("Czechoslovakia existed until 31 December 1992")
    assert "this is its last day" in profile.summary
    assert "by dissolution on 1 January 1993, Czechia, Slovakia" in profile.summary
    statuses = profile.treaties.set_index("treaty")["status"]
    assert statuses["npt"] == "party" and statuses["cfe"] == "party"  # real statuses, not "ceased to exist"
    assert profile.bound == int(statuses.isin(analysis.schema.IN_FORCE).sum()) > 0


def test_continuation_is_named(ds):
    profile = analysis.country_profile("SUN", on="1991-12-25", ds=ds)
    assert "by continuation on 26 December 1991, Russia" in profile.summary
    assert "by dissolution on 26 December 1991, Armenia" in profile.summary


def test_peers_are_the_states_of_that_day(ds):
    table = analysis.peers("CSK", on="1992-12-31", ds=ds)
    assert table["state"].iloc[0] == "CSK"  # the state itself comes first
    assert not {"CZE", "SVK"} & set(table["state"])  # not yet states: nobody's peers
    assert {"POL", "HUN"} <= set(table["state"])
    alive = set(lifetimes.existing(ds, "1992-12-31"))
    assert set(table["state"]) <= alive


def test_existing_follows_since_and_until(ds):
    before, after = set(lifetimes.existing(ds, "1992-12-31")), set(lifetimes.existing(ds, "1993-01-01"))
    assert "CSK" in before and "CSK" not in after
    assert "CZE" not in before and "CZE" in after


def test_map_of_a_former_state_outlines_its_territory(ds):
    peer_map = maps.country_map("CSK", on="1992-12-31", ds=ds)
    assert peer_map.title.startswith("Czechoslovakia and its peers")
    assert "outlined: Czechoslovakia" in peer_map.svg
    row = peer_map.data.set_index("state").loc["CSK"]
    assert row["status"] in analysis.schema.STATUSES


def test_map_of_an_absorbed_state_says_it_has_no_outline(ds):
    peer_map = maps.country_map("DDR", on="1990-10-02", ds=ds)
    assert peer_map.title.startswith("German Democratic Republic and its peers")
    assert "not outlined: German Democratic Republic" in peer_map.svg


def test_successors_table(ds):
    links = lifetimes.successors("CSK", ds)
    assert list(links["successor"]) == ["CZE", "SVK"]
    assert (links["date"] == pd.Timestamp("1993-01-01")).all()
    assert links["source"].str.startswith("http").all()


def test_index_names_a_former_states_last_day(ds):
    from analysis.batch.index import _lifetime_note

    assert _lifetime_note("CSK", ds) == " (until 31 Dec 1992)"
    assert _lifetime_note("LTU", ds) == ""


def test_built_page_of_a_former_state_shows_its_last_day(tmp_path):
    """The whole path, as `make reports` runs it: the committed notebook, the builder, the page a reader opens."""
    import re

    from analysis import batch

    result = batch.build_reports(countries=["CSK"], jobs=1, out=tmp_path, progress=False)
    assert [r.status for r in result.results] == ["built"]
    text = re.sub(r"<[^>]+>", " ", (tmp_path / "countries" / "CSK.html").read_text(encoding="utf-8"))
    assert "Czechoslovakia (CSK), as of 31 December 1992" in text
    assert "this is its last day" in text and "by dissolution on 1 January 1993, Czechia, Slovakia" in text
    assert "ceased to exist" not in text.split("Timeline")[0].split("Status in every covered treaty")[1]


def test_timeline_of_a_former_state_stops_at_its_last_day(ds):
    import matplotlib.dates as mdates
    from matplotlib.collections import LineCollection

    from analysis import plots

    profile = analysis.country_profile("CSK", on="2000-01-01", ds=ds)
    assert profile.last_day == date(1992, 12, 31)
    fig = plots.country_timeline(profile)
    bound = next(c for c in fig.axes[0].collections if isinstance(c, LineCollection))
    ends = [max(seg[:, 0]) for seg in bound.get_segments()]
    assert max(mdates.num2date(x).date() for x in ends) == date(1992, 12, 31)


def test_index_row_of_a_former_state(tmp_path):
    """The index a reader opens lists Czechoslovakia with the day its page shows."""
    from analysis import batch

    batch.build_reports(countries=["CSK", "LTU"], jobs=1, out=tmp_path, progress=False)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<a href="countries/CSK.html">Czechoslovakia</a> (until 31 Dec 1992)' in index
    assert '<a href="countries/LTU.html">Lithuania</a></td>' in index
