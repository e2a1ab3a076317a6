"""The front page a reader opens (issue 23): the as-of day and data version, the recent exits and the exits in
progress with their steps, the map, the treaties by category; the build's own status in a section of its own."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

import analysis
from analysis import batch, frontpage

ON = "2026-02-03"


def test_exits_in_progress_are_notified_or_voted_not_in_effect(ds):
    rows = {(r["state"], r["treaty"]): r for r in frontpage.exits_in_progress(ON, ds)}
    pol = rows[("POL", "apmbc")]  # notice 2025-08-20, effect on or after 2026-02-20 (art. 20(3))
    assert pol["stage"] == "notified, effect on or after 20 Feb 2026"
    assert pol["steps"][0] == "announcement 2025-03-18" and "notice 2025-08-20" in pol["steps"]
    assert ("LTU", "apmbc") not in rows  # in effect since 2025-12-27
    assert ("RUS", "inf") not in rows  # its 2019 votes: the treaty has ended since
    assert ("CHN", "canwfz_p") not in rows  # a vote to ratify is no step out
    assert all(r["steps"] for r in rows.values())


def test_recent_exits_newest_first_with_their_steps(ds):
    recent = frontpage.recent_exits(ON, ds)
    days = [r["steps"] for r in recent]
    assert all(days)
    ltu = next(r for r in recent if (r["state"], r["treaty"]) == ("LTU", "apmbc"))
    assert ltu["stage"] == "in effect" and "effect 2025-12-27" in ltu["steps"]
    assert all(r["stage"] != "pending" for r in recent)
    assert recent[0]["state"] == "RUS" and recent[0]["treaty"] == "pmda"  # notice of 2025-11-06


def test_treaties_by_category_count_parties_signatories_and_exits(ds):
    rows = {t["tid"]: t for _, ts in frontpage.treaties_by_category(ON, ds) for t in ts}
    assert set(rows) == set(ds.treaties.index)
    assert rows["apmbc"]["parties"] == len(analysis.parties("apmbc", on=ON, basis="in_force"))
    assert rows["apmbc"]["exits"] >= 5 and rows["inf"]["events_only"]
    signed_only = analysis.status_table(ON, treaties=["ccm"])["status"].astype(str).eq("signatory").sum()
    assert rows["ccm"]["signatories"] == signed_only < len(analysis.signatories("ccm", on=ON))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("front")
    result = batch.build_reports(countries=["LTU", "POL"], treaties=["apmbc"], jobs=1, out=out, progress=False)
    assert not result.failed
    return out


def test_the_index_opens_on_the_exits_and_the_map(site, ds):
    page = lxml.html.fromstring((site / "index.html").read_text(encoding="utf-8"))
    heads = [h.get("id") for h in page.xpath("//h2")]
    assert heads[:3] == ["recent", "in-progress", "map"] and heads[-1] == "build"
    meta = page.xpath("//p[@class='meta']")[0].text_content()
    assert "As of 3 February 2026" in meta and ds.version in meta
    progress = page.xpath("//table[@id='exits-in-progress']//tr[td]")
    pol = next(tr for tr in progress if "Poland" in tr.text_content())
    assert pol.xpath(".//a/@href")[0] == "countries/POL.html" and "notice 2025-08-20" in pol.text_content()
    assert page.xpath("//table[@id='treaty-table']//a[@href='treaties/apmbc.html']")
    build = page.xpath("//h2[@id='build']/following-sibling::p")[0].text_content()
    assert "3 built" in build  # the build's status: at the end, not at the top
    assert "built" not in page.xpath("//p[@class='meta']")[0].text_content()
