"""A former state's page (issue 23): its timeline spans its acts (Czechoslovakia's since 1963, no arrows-only
chart), and a treaty opened after it ceased to exist reads "not open while it existed", said once, never "not
signed"."""

from __future__ import annotations

from datetime import date

import lxml.html
import matplotlib.dates as mdates
import pytest

import analysis
from analysis import batch, plots
from analysis.peers import NOT_OPEN, not_open


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    out = tmp_path_factory.mktemp("csk")
    result = batch.build_reports(countries=["CSK"], jobs=1, out=out, progress=False)
    assert [r.status for r in result.results] == ["built"]
    return lxml.html.fromstring((out / "countries" / "CSK.html").read_text(encoding="utf-8"))


def _rows(page, name: str) -> dict[str, list[str]]:
    table = page.xpath(f'//table[@data-name="{name}"]')[0]
    rows = [[c.text_content().strip() for c in tr.xpath("./td|./th")] for tr in table.xpath(".//tbody/tr")]
    return {row[0]: row for row in rows}


def test_treaties_opened_after_it_ended_are_not_open(ds):
    late = set(not_open("CSK", ds))
    assert {"cwc", "ctbt", "apmbc", "tpnw", "new_start"} <= late and not late & {"npt", "cfe", "open_skies"}
    assert not len(not_open("LTU", ds))  # a living state: none


def test_the_page_says_not_open_never_not_signed(page, ds):
    late = set(not_open("CSK", ds))
    status = _rows(page, "status-dates")
    assert all(status[tid][2] == NOT_OPEN for tid in late)
    assert status["npt"][2] == "party"
    overview = _rows(page, "peers")
    for tid in late:
        assert overview[ds.treaties.loc[tid, "short_name"]][1] == NOT_OPEN
    text = page.text_content()
    assert text.count("Opened for signature only after Czechoslovakia ceased to exist") == 1  # said once


def test_the_timeline_spans_its_acts_since_1963(page, ds):
    assert "earlier acts" not in page.text_content()
    profile = analysis.country_profile("CSK", on=date(1992, 12, 31), ds=ds)
    left, right = (mdates.num2date(x).date() for x in plots.country_timeline(profile).axes[0].get_xlim())
    assert left <= date(1963, 8, 8) < date(1992, 12, 31) <= right  # PTBT signed 8 August 1963
