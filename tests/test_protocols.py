"""CCW Protocols I–III (from the "x" table of the CCW status page) and the zone treaties' protocols.

The parser tests run on the real page in ../shared (skipped with a reason when it is absent) and on small pages
written here; the data tests read the built data/ and the curated rows.
"""

from __future__ import annotations

import re

import lxml.html
import pandas as pd
import pytest
import xlrd
from conftest import DATA, SHARED, SHARED_REASON

import analysis
from analysis.countries import source_country
from analysis.lookup import UnknownTreatyError, resolve_treaty
from analysis.sources.endnotes import ParseError
from analysis.sources.untc import parse_page
from analysis.sources.untc_protocols import parse_protocol_table, protocol_events

CCW_PAGE = SHARED / "untc-status-2026-02-03" / "raw_html" / "ccw.html"
ICRC_XLS = SHARED / "icrc-ihl-2020-11-09" / "ihl_and_other_related_treaties.xls"
needs_shared = pytest.mark.skipif(not CCW_PAGE.exists(), reason=SHARED_REASON)
PROTOCOLS = ("ccw_p1", "ccw_p2", "ccw_p3")
#: The "x" marks per column of the page's table, counted by hand on the saved page (2026-02-03).
MARKS = {"ccw_p1": 121, "ccw_p2": 96, "ccw_p3": 117}


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return pd.read_csv(DATA / "events.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def page_rows():
    page = parse_page(CCW_PAGE, mtdsg="XXVI-2")
    return page, protocol_events(page, source_country, PROTOCOLS)


def _naive_marks(path) -> dict[str, int]:
    """An independent count: the cells of the protocols table whose text starts with an x."""
    doc = lxml.html.parse(str(path)).getroot()
    for table in doc.xpath("//table"):
        rows = table.xpath("./tr|./tbody/tr")
        header = [" ".join(c.text_content().split()) for c in rows[0].xpath("./td|./th")] if rows else []
        if header[:2] == ["Participant", "Protocol I"]:
            cells = [[c.text_content().strip() for c in row.xpath("./td|./th")] for row in rows[1:]]
            return {tid: sum(row[i + 1][:1] in ("x", "X") for row in cells) for i, tid in enumerate(PROTOCOLS)}
    raise AssertionError("no protocols table")


@needs_shared
def test_marks_per_protocol_equal_the_page(page_rows):
    _, rows = page_rows
    assert _naive_marks(CCW_PAGE) == MARKS
    table = parse_protocol_table(CCW_PAGE)
    assert len(table) == 126
    assert {tid: sum(tid in row.accepted for row in table) for tid in PROTOCOLS} == MARKS
    listed = [row for row in rows if not row["note"].startswith("End Note")]
    assert {tid: sum(row["treaty"] == tid for row in listed) for tid in PROTOCOLS} == MARKS


@needs_shared
def test_later_acceptances_keep_their_own_day(page_rows):
    _, rows = page_rows
    later = sorted((r["state"], r["treaty"], r["action"], r["date"]) for r in rows if r["action"] == "consent")
    assert later == [("FRA", "ccw_p3", "consent", "2002-07-18"), ("USA", "ccw_p3", "consent", "2009-01-21")]


@needs_shared
def test_acceptance_with_the_convention_mirrors_its_instrument(page_rows):
    page, rows = page_rows
    consent = {source_country(p.name): p.consent for p in page.participants if p.consent}
    for row in rows:
        if row["action"] != "consent" and not row["note"].startswith("End Note"):
            assert row["date"] == consent[row["state"]].date.isoformat(), row
    hrv = [r for r in rows if r["state"] == "HRV"]
    assert {r["action"] for r in hrv} == {"succession"} and len(hrv) == 3


@needs_shared
def test_predecessors_from_their_end_notes(page_rows):
    _, rows = page_rows
    notes = {(r["state"], r["date"]) for r in rows if r["note"].startswith("End Note")}
    assert notes == {("YUG", "1983-05-24"), ("CSK", "1982-08-31"), ("DDR", "1982-07-20")}


@needs_shared
def test_only_cameroon_and_the_dominican_republic_accepted_none(page_rows):
    page, rows = page_rows
    parties = {source_country(p.name) for p in page.participants if p.consent}
    assert parties - {r["state"] for r in rows} == {"CMR", "DOM"}


@needs_shared
@pytest.mark.skipif(not ICRC_XLS.exists(), reason=SHARED_REASON)
def test_the_icrc_sheet_of_2020_agrees_on_every_state(page_rows):
    """A second source: the ICRC's columns 'CCW Prot. I/II/III 1980' name the same protocols for every state."""
    _, rows = page_rows
    sheet = xlrd.open_workbook(str(ICRC_XLS)).sheet_by_name("IHL and other related Treaties")
    header = [re.sub(r"\s+", " ", str(sheet.cell_value(1, c))).strip() for c in range(sheet.ncols)]
    columns = {header.index(f"CCW Prot. {n} 1980"): tid for n, tid in zip(("I", "II", "III"), PROTOCOLS)}
    icrc = {}
    for line in range(2, sheet.nrows):
        name = str(sheet.cell_value(line, 0)).strip()
        if name == "Total":
            break
        if name:
            icrc[source_country(name)] = {t for c, t in columns.items() if str(sheet.cell_value(line, c)).strip()}
    ours: dict[str, set] = {}
    for row in rows:
        if row["date"] <= "2020-11-09" and not row["note"].startswith("End Note"):
            ours.setdefault(row["state"], set()).add(row["treaty"])
    differ = {s for s in set(ours) | set(icrc) if ours.get(s, set()) != icrc.get(s, set())}
    assert not differ, differ


def test_a_cell_that_is_not_an_x_is_one_clear_error(tmp_path):
    page = tmp_path / "ccw.html"
    page.write_text(
        "<html><body><table><tr><td>Participant</td><td>Protocol I</td><td>Protocol II</td><td>Protocol III</td>"
        "</tr><tr><td>Albania</td><td>x</td><td>y</td><td>x</td></tr></table></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(ParseError, match=r"row 2 \(Albania\), 'Protocol II': 'y'") as info:
        parse_protocol_table(page)
    assert "\n" not in str(info.value)
    page.write_text("<html><body><table><tr><td>Participant</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(ParseError, match="no table"):
        parse_protocol_table(page)


def test_built_rows_and_statuses(events):
    counts = events[events["treaty"].isin(PROTOCOLS)].groupby("treaty").size().to_dict()
    assert counts == {tid: MARKS[tid] + 3 for tid in PROTOCOLS}  # + YUG, CSK, DDR from their End Notes
    assert analysis.status("USA", "ccw_p3", on="2009-01-20") == "not signed"
    assert analysis.status("USA", "ccw_p3", on="2009-07-21") == "party"  # art. 5(4): six months later
    assert analysis.status("USA", "ccw_p1", on="1995-09-24") == "party"
    assert analysis.status("MCO", "ccw_p3", on="2026-02-03") == "not signed"
    assert analysis.status("HRV", "ccw_p1", on="1992-01-01") == analysis.status("HRV", "ccw", on="1992-01-01")
    day = "2026-02-03"
    ccw = set(analysis.parties("ccw", on=day))
    for tid in PROTOCOLS:
        assert set(analysis.parties(tid, on=day)) <= ccw
    assert [len(analysis.parties(tid, on=day, basis="deposited")) for tid in PROTOCOLS] == [121, 96, 117]


def test_names_resolve_without_surprise():
    assert resolve_treaty("CCW Protocol III") == "ccw_p3"
    assert resolve_treaty("ccw protocol 3") == "ccw_p3"
    assert resolve_treaty("Incendiary Weapons Protocol") == "ccw_p3"
    assert resolve_treaty("CCW Protocol II") == "ccw_p2"
    assert resolve_treaty("Amended Protocol II") == "ccw_p2a"
    with pytest.raises(UnknownTreatyError, match="Ambiguous"):
        resolve_treaty("Protocol II")
