"""Readers see what the record does not know exactly (issue 19, item 5): dates in words, † on uncertain status
cells with the reason beneath, the hatch on a map, the band on the participation curve, and the explorer too."""

from __future__ import annotations

import base64
import re

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import analysis as a
from analysis import doubt, explore, maps, plots, present, statusmap, tables
from analysis.mapmarks import UNCERTAIN_LEGEND

pytestmark = pytest.mark.filterwarnings("ignore::analysis.status.BeyondRecordWarning")


def _csv(markup: str, name: str) -> str:
    """The CSV a page's "download CSV" link holds."""
    tag = re.search(rf'download="{name}\.csv" href="data:text/csv;charset=utf-8;base64,([^"]*)"', markup)
    return base64.b64decode(tag.group(1)).decode("utf-8")


def test_the_gdr_page_says_its_bounded_dates_in_words(ds):
    profile = a.country_profile("DDR", on="1990-10-02", ds=ds)
    shown = tables.status_dates(profile, ds)
    assert shown.loc["bwc", "consent"] == "between 10 Apr 1972 and 6 Mar 1979 (consent)"
    # in force from the treaty's entry into force (early reading) to the UK's answer (late): never one day
    assert shown.loc["bwc", "in force"] == "between 26 Mar 1975 and 6 Mar 1979"
    assert shown.loc["ptbt", "signed"] == "between 8 Aug 1963 and 15 Aug 1963"
    assert shown.loc["geneva_protocol", "consent"].startswith("between 5 Oct 1949 and 6 Mar 1979")
    assert shown.loc["npt", "consent"] == "1970-03-05 (consent)"  # a day stays a day
    page = str(present.table(shown, "status-dates"))
    assert "between 10 Apr 1972 and 6 Mar 1979" in page and "1979-03-06" not in page
    # the sources under the page: the row in words, not "NaT" nor a guessed day
    sources = str(present.sources(present.rows_of(ds, states=["DDR"], on=profile.on), ds))
    assert "DDR · BWC · consent between 10 Apr 1972 and 6 Mar 1979" in sources and "NaT" not in sources


def test_an_uncertain_status_is_marked_with_its_reason_and_its_csv_columns(ds):
    profile = a.country_profile("YUG", on="1978-01-01", ds=ds)
    shown = tables.status_dates(profile, ds)
    assert not shown.loc["bwc", "certain"] and shown.loc["bwc", "possible"] == "party or not signed"
    # the treaties the SFRY could be party to (the "not open" and "no record" labels are no badges of their own)
    page = str(present.table(shown.loc[["bwc", "npt", "ptbt", "seabed", "outer_space"]], "status-dates"))
    row = re.search(r"<tr><td>bwc</td>.*?</tr>", page).group(0)
    assert row.count('class="tx-badge"') == 2 and "<sup>†</sup>" in row  # party or not signed †
    note = re.search(r'<p class="tx-uncertain-note"[^>]*>(.*?)</p>', page).group(1)
    assert "BWC: the consent is dated between 25 Oct 1973 and 31 Dec 1980" in note
    csv = pd.read_csv(pd.io.common.StringIO(_csv(page, "status-dates")), keep_default_na=False)
    bwc = csv[csv["Code"] == "bwc"].iloc[0]
    assert (bwc["Status"], bwc["Certain"], bwc["Possible"]) == ("not signed", False, "party or not signed")
    assert "Certain" not in re.search(r"<thead>.*?</thead>", page).group(0)  # the page marks, the CSV says


def test_a_table_with_nothing_uncertain_is_as_it_was(ds):
    profile = a.country_profile("LTU", ds=ds)
    shown = tables.status_dates(profile, ds)
    assert shown["certain"].all()
    page = str(present.table(shown, "status-dates"))
    assert "†" not in page and "tx-uncertain-note" not in page
    assert _csv(page, "status-dates").splitlines()[0].split(",")[-1] == "Coverage"  # no certain/possible/because


def test_the_bwc_curve_draws_the_band_between_the_lower_and_the_upper_count(ds):
    low, high = a.parties("bwc", on="1980-01-01", ds=ds).attrs["bounds"]
    assert low < high
    counts = a.party_counts("bwc", end="1990-01-01", ds=ds)
    fig = plots.participation_curve("bwc", end="1990-01-01", ds=ds)
    ax = fig.axes[0]
    bands = [c for c in ax.collections if c.get_label() == plots.UNCERTAIN_BAND]
    assert len(bands) == 1 and UNCERTAIN_BAND_IN_LEGEND(ax)
    ys = {round(y) for path in bands[0].get_paths() for _, y in path.vertices}
    spread = counts[counts["lower"] < counts["upper"]]
    assert max(ys) == spread["upper"].max() and ys <= set(counts["lower"]) | set(counts["upper"])
    xs = [x for path in bands[0].get_paths() for x, _ in path.vertices]
    first, last = matplotlib.dates.num2date(min(xs)), matplotlib.dates.num2date(max(xs))
    assert first.year >= 1972 and last.year <= 1981  # the GDR's and the SFRY's bounded consents, nothing later
    sentence = tables.party_sentence("bwc", pd.Timestamp("1980-01-01"), ds)
    assert sentence.count(f"up to {high} (") == 1 and "from 26 March 1975 to 1 January 1980" in sentence  # the band


def UNCERTAIN_BAND_IN_LEGEND(ax) -> bool:
    return plots.UNCERTAIN_BAND in [t.get_text() for t in ax.get_legend().get_texts()]


def test_a_curve_with_every_date_known_has_no_band(ds):
    fig = plots.participation_curve("ccm", ds=ds)
    assert not any(c.get_label() == plots.UNCERTAIN_BAND for c in fig.axes[0].collections)
    assert not UNCERTAIN_BAND_IN_LEGEND(fig.axes[0])


def test_the_map_hatches_a_state_whose_status_depends_on_the_reading(ds):
    world = maps.treaty_map("bwc", on="1978-01-01", ds=ds)
    svg = str(world)
    hatched = re.findall(r'data-uncertain="(\w+)"><title>([^<]*)</title>', svg)
    assert hatched == [("YUG", "party or not signed: the consent is dated between 25 Oct 1973 and 31 Dec 1980")]
    assert f"{UNCERTAIN_LEGEND} (1)" in svg and 'id="tx-uncertain"' in svg
    assert "not on the map: German Democratic Republic (party or not signed †)" in svg  # no outline of its own
    row = world.data.set_index("state").loc["YUG"]
    assert (row["status"], row["certain"], row["possible"]) == ("not signed", False, "party or not signed")
    assert "tx-uncertain" not in str(maps.treaty_map("bwc", ds=ds))  # today every BWC date that matters is known
    assert 'data-uncertain="POL"' in str(maps.treaty_map("cfe", ds=ds))  # suspended on or after 29 Mar 2024
    assert 'data-uncertain="YUG"' in str(maps.country_map("YUG", "bwc", on="1978-01-01", ds=ds))


def test_the_exits_say_the_dprk_and_polish_dates_in_words_and_ukraine_s_notice(ds):
    prk = tables.exit_sentences(a.country_profile("PRK", ds=ds).exits)
    assert "notice deposited 2003-01-10, effect on 11 Jan 2003 or on 10 Apr 2003 (disputed)" in prk
    pol = a.country_profile("POL", ds=ds)
    steps = tables.exit_steps(pol.exits[pol.exits["treaty"] == "cfe"]).iloc[0]
    assert steps["deposit (notice)"] == steps["effect"] == "on or after 29 Mar 2024"
    assert tables.status_dates(pol, ds).loc["cfe", "possible"] == "suspended or party"
    ukr = a.country_profile("UKR", ds=ds)
    assert tables.status_dates(ukr, ds).loc["apmbc", "status"] == "suspended"  # a badge, and counted as bound
    said = "APMBC (Ottawa): suspended by its notice of 2025-07-18, which the depositary's status page"
    assert any(note.startswith(said) and "does not record" in note for note in ukr.notes)
    chains = str(present.exit_chains(ds, state="PRK"))
    assert "on 11 Jan 2003 or on 10 Apr 2003" in chains and "[2003-01-11,2003-04-10]" not in chains
    # a withdrawal's own exact effect stays a day even when its notice is bounded (Russia's PMDA, 2025)
    rus = tables.exit_steps(a.withdrawals(ds).query("state == 'RUS' and treaty == 'pmda' and kind == 'withdrawal'"))
    assert (
        rus.iloc[0]["deposit (notice)"] == "between 27 Oct 2025 and 6 Nov 2025"
        and rus.iloc[0]["effect"] == "2025-11-06"
    )


def test_the_explorer_shows_the_bounds_the_band_the_hatch_and_the_words(ds):
    day = pd.Timestamp("1978-01-01")
    low, high = explore.party_bounds("bwc", day, ds)
    assert (low, high) == tuple(a.parties("bwc", on=day, ds=ds).attrs["bounds"]) and low < high
    count = explore._count_html("bwc", day, ds)
    assert f'<b class="te-count">{low}</b>' in count and f"between {low} and {high}" in count
    assert 'class="te-band"' in explore.curve_svg("bwc", day, ds)
    assert 'class="te-band"' not in explore.curve_svg("ccm", day, ds)
    assert 'data-uncertain="YUG"' in explore._map_html("bwc", day, ds)
    table = explore._table_html(explore.exits_table("npt", ("PRK",), ds.status_date, ds))
    assert "on 11 Jan 2003 or on 10 Apr 2003" in table and "notice_edtf" not in table


def test_a_date_in_words_never_shows_a_day_the_source_does_not_give():
    assert doubt.when(pd.Timestamp("1979-03-06"), "[1972-04-10..1979-03-06]") == "between 10 Apr 1972 and 6 Mar 1979"
    assert doubt.when(pd.NaT, "[2024-03-29..]") == "on or after 29 Mar 2024"
    assert doubt.when(pd.Timestamp("2003-01-10"), "") == "2003-01-10"
    assert doubt.when(pd.NaT, "2003-01-10") == "2003-01-10"  # EDTF text of one day is that day
    assert doubt.between(pd.Timestamp("1975-03-26"), pd.NaT) == "on or after 26 Mar 1975, or not yet"


def test_the_index_map_hatches_a_state_for_the_treaty_and_the_years_its_status_is_uncertain(ds):
    data = statusmap.index_map_data(ds=ds)
    assert data["uncertain"]["cfe"]["POL"][0] == 2024 and data["uncertain"]["cfe"]["POL"][-1] == ds.status_date.year
    assert all(iso3 in data["states"] for per_treaty in data["uncertain"].values() for iso3 in per_treaty)
    markup = str(statusmap.index_map("cfe", ds=ds))
    assert '<path d="' in markup and 'data-uncertain="POL" display="none"' in markup  # the script shows it
    assert "data-uncertain-legend" in markup and "unsure(tid, iso3, y)" in statusmap.map_script()


def test_the_country_timeline_draws_the_span_a_bounded_act_may_lie_in(ds):
    gdr = plots.country_timeline(a.country_profile("DDR", on="1990-10-02", ds=ds), start=None).axes[0]
    assert plots.UNCERTAIN_BAND in [t.get_text() for t in gdr.get_legend().get_texts()]
    dotted = [c for c in gdr.collections if c.get_linestyle()[0][1] is not None]  # the spans' dotted lines
    starts = {round(matplotlib.dates.num2date(s[0][0]).year) for c in dotted for s in c.get_segments()}
    assert 1972 in starts  # the GDR's BWC consent: from the treaty's opening (10 Apr 1972) to the UK's answer
    ltu = plots.country_timeline(a.country_profile("LTU", ds=ds)).axes[0]
    assert plots.UNCERTAIN_BAND not in [t.get_text() for t in ltu.get_legend().get_texts()]


def test_a_domestic_step_known_within_days_is_said_in_words_in_its_place(ds):
    steps = a.country_profile("BLR", ds=ds).steps
    cfe = steps[steps["treaty"] == "cfe"]
    # the lower house's vote (Lenta.ru: by 17 Apr 2024), between the statement and the upper house's vote
    assert cfe["date"].tolist()[:3] == ["2023-10-30", "between 1 Apr 2024 and 17 Apr 2024", "2024-05-06"]
    assert (
        a.domestic_steps("BLR", ds=ds).query("treaty == 'cfe'")["date_edtf"].tolist()[1] == "[2024-04-01..2024-04-17]"
    )
    # every step known to the day: a datetime column, as before (Lithuania's presidential signature now has a week)
    assert str(a.country_profile("EST", ds=ds).steps["date"].dtype).startswith("datetime64")


def test_the_swimlane_draws_the_span_of_a_bounded_notice_or_effect(ds):
    lanes = plots.exits_swimlane(a.exits_since("2024-01-01", ds=ds), ds=ds).axes[0]
    assert plots.UNCERTAIN_BAND in [t.get_text() for t in lanes.get_legend().get_texts()]  # Poland's CFE suspension
    lithuania = a.exits_since("2024-01-01", ds=ds).query("state == 'LTU'")
    plain = plots.exits_swimlane(lithuania, ds=ds).axes[0]
    assert plots.UNCERTAIN_BAND not in [t.get_text() for t in plain.get_legend().get_texts()]


def test_the_explorer_s_timelines_hatch_the_stretch_a_reading_leaves_open(ds):
    last = pd.Timestamp(ds.status_date)
    spans = explore.unsure_spans("bwc", "YUG", last, ds)
    # from the earliest day the SFRY's consent may have been deposited to the last (25 Oct 1973 – 31 Dec 1980)
    assert spans[0][0] == pd.Timestamp("1973-10-25") and spans[-1][1] == pd.Timestamp("1980-12-31")
    svg = explore.timelines_svg("bwc", ("YUG", "FRA"), last, ds)
    assert svg.count('class="te-unsure"') == len(spans) and "hatched: uncertain" in svg
    assert "te-unsure" not in explore.timelines_svg("ccm", ("LTU",), last, ds)
