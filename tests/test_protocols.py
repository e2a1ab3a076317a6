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


# ---- the zone treaties' protocols: curated acts of the nuclear-weapon States ---------------------------------

ZONE_IDS = ["tlatelolco_p1", "tlatelolco_p2", "rarotonga_p1", "rarotonga_p2", "rarotonga_p3"]
ZONE_IDS += ["pelindaba_p1", "pelindaba_p2", "pelindaba_p3", "canwfz_p"]
NWS = {"CHN", "FRA", "GBR", "RUS", "USA"}


@pytest.fixture(scope="module")
def curated() -> pd.DataFrame:
    return pd.read_csv(DATA / "curated_events.csv", dtype=str, keep_default_na=False)


def test_zone_protocol_rows_are_curated_with_sources(curated, events):
    zone = curated[curated["treaty"].isin(ZONE_IDS)]
    assert set(zone["state"]) == NWS | {"SUN"}  # the USSR's own acts (Tlatelolco AP II, Rarotonga P2-P3)
    assert (zone["source"].str.startswith("http")).all() and (zone["note"].str.len() > 80).all()
    assert set(zone["source_kind"]) <= {"government", "depositary", "press", "international organisation"}
    # the built table holds exactly these rows for the protocols (no parser reads them)
    built = events[events["treaty"].isin(ZONE_IDS)]
    assert len(built) == len(zone) == 72
    # a press report carries a domestic step; a status-changing act only where the note names two independent reports
    press = zone[zone["source_kind"] == "press"]
    acts = press[press["action"] != "parliament_vote"]
    assert list(acts[["state", "treaty", "action"]].itertuples(index=False, name=None)) == [
        ("CHN", "rarotonga_p3", "signature"),
        ("FRA", "canwfz_p", "ratification"),
        ("CHN", "canwfz_p", "ratification"),
        ("RUS", "canwfz_p", "ratification"),
    ]
    assert acts["note"].str.contains("Two independent reports of the day|TWO INDEPENDENT (?:SOURCES|REPORTS)").all()
    # a press-sourced act known to the day is only the one with two reports of that day; the others are bounded
    assert (acts[acts["date"] != ""]["treaty"] == "rarotonga_p3").all()
    # a row known less precisely than a day has an empty date, its EDTF text, and a note that says so
    uncertain = zone[zone["date"] == ""]
    assert len(uncertain) == 25 and (uncertain["date_edtf"] != "").all()
    assert uncertain["note"].str.contains("NOT STATED|NOT DATED|ONE OF TWO DAYS").all()


def test_the_acts_of_the_nuclear_weapon_states(events):
    assert analysis.status("USA", "tlatelolco_p2", on="1971-05-11") == "signatory"
    assert analysis.status("USA", "tlatelolco_p2", on="1971-05-12") == "party"  # the US ratified AP II
    assert analysis.status("FRA", "tlatelolco_p1", on="1992-08-24") == "party"
    for n in "123":  # France and the United Kingdom ratified the three Rarotonga protocols; the US only signed
        assert analysis.status("FRA", f"rarotonga_p{n}", on="1996-09-20") == "party"
        assert analysis.status("GBR", f"rarotonga_p{n}", on="1997-09-19") == "party"
        assert analysis.status("GBR", f"rarotonga_p{n}", on="1997-09-18") != "party"
        assert analysis.status("USA", f"rarotonga_p{n}") == "signatory"
    for tid in ("pelindaba_p1", "pelindaba_p2"):  # Russia's deposit after its law of 2011 is not held (README)
        assert analysis.status("USA", tid) == "signatory" and analysis.status("RUS", tid) == "signatory"
    assert analysis.status("GBR", "canwfz_p", on="2015-01-30") == "party"  # in force for the UK that day
    assert analysis.status("USA", "canwfz_p") == "signatory"
    assert {st for st in NWS if analysis.status(st, "canwfz_p") == "party"} == NWS - {"USA"}
    assert set(analysis.signatories("canwfz_p", on="2014-05-06")) == NWS
    assert not set(analysis.signatories("canwfz_p", on="2014-05-05"))
    declarations = events[(events["action"] == "declaration") & events["treaty"].isin(ZONE_IDS)]
    assert {(r.state, r.treaty) for r in declarations.itertuples()} == {
        ("USA", "tlatelolco_p2"),
        ("RUS", "canwfz_p"),
        ("CHN", "tlatelolco_p2"),
        ("SUN", "tlatelolco_p2"),
        ("CHN", "rarotonga_p2"),
    }


def test_the_acts_known_within_bounds_read_as_each_reading():
    """Issue 20: the acts a government source bounds but does not date (EDTF rows) read as every reading allows."""

    def label(state, tid, on):
        return analysis.status(state, tid, on=on).label

    # "Other nuclear weapon States that have ratified Protocol II are France, the PRC and the UK" (24 May 1978)
    assert label("FRA", "tlatelolco_p2", "1975-01-01").startswith("party or signatory")
    assert label("FRA", "tlatelolco_p2", "1978-05-24") == "party"
    assert label("GBR", "tlatelolco_p2", "1970-01-01").startswith("party or signatory or not signed")
    assert label("GBR", "tlatelolco_p2", "1967-01-01") == "not signed"  # before the Protocol opened
    # China: signed 21 Aug 1973 (day), deposited in June 1974 (month)
    assert label("CHN", "tlatelolco_p2", "1973-08-20") == "not signed"
    assert label("CHN", "tlatelolco_p2", "1973-08-21") == "signatory"
    assert label("CHN", "tlatelolco_p2", "1974-06-15").startswith("party or signatory")
    assert label("CHN", "tlatelolco_p2", "1974-07-01") == "party"
    # the UK signed the Rarotonga protocols "in March 1996"; the USSR's P2 ratification is one of two days
    assert label("GBR", "rarotonga_p1", "1996-03-15").startswith("signatory or not signed")
    assert label("GBR", "rarotonga_p1", "1996-04-01") == "signatory"
    assert "21 Mar 1988 or on 21 Apr 1988" in label("SUN", "rarotonga_p2", "1988-04-01")
    assert label("SUN", "rarotonga_p2", "1988-04-21") == "party"
    assert analysis.status("RUS", "rarotonga_p2", on="2000-01-01") == "party"  # Russia continues the USSR
    # Pelindaba: the UK "has signed" by 2 Jul 1996 (and ratified by 26 Mar 2002, read below); China signed in April
    # 1996 and deposited in October 1997
    assert label("GBR", "pelindaba_p1", "1996-05-01").startswith("party or signatory or not signed")
    assert label("GBR", "pelindaba_p1", "1996-07-03").startswith("party or signatory:")  # signed by then, for sure
    assert label("CHN", "pelindaba_p2", "1996-05-01") == "signatory"
    assert label("CHN", "pelindaba_p2", "1997-10-15").startswith("party or signatory")
    assert label("CHN", "pelindaba_p2", "1997-11-01") == "party"


def test_the_acts_added_within_bounds_read_as_each_reading():
    """The acts the first pass left out (data/README.md, "The acts known within bounds"): each reads as its bounds say."""

    def label(state, tid, on):
        return analysis.status(state, tid, on=on).label

    # the UK "signed and ratified both the additional protocols" to Tlatelolco (HC written answer, 11 Jun 1990)
    assert label("GBR", "tlatelolco_p1", "1967-02-13") == "not signed"
    assert label("GBR", "tlatelolco_p1", "1980-01-01").startswith("party or signatory or not signed")
    assert label("GBR", "tlatelolco_p1", "1990-06-11") == "party"
    # the UK ratified the Pelindaba protocols by 26 Mar 2002 (HC written answer); it had signed by 2 Jul 1996
    assert label("GBR", "pelindaba_p2", "1996-07-03").startswith("party or signatory:")
    assert "between 11 Apr 1996 and 26 Mar 2002" in label("GBR", "pelindaba_p2", "2001-06-01")
    assert label("GBR", "pelindaba_p1", "2002-03-26") == "party"
    # CANWFZ: France by 13 Apr 2015; Russia after the Duma's vote of 10 Apr 2015; China not before 24 Jun 2015
    assert label("FRA", "canwfz_p", "2015-04-12").startswith("party or signatory")
    assert label("FRA", "canwfz_p", "2015-04-13") == "party"
    assert label("RUS", "canwfz_p", "2015-04-09") == "signatory"
    assert label("RUS", "canwfz_p", "2015-04-10").startswith("party or signatory")
    assert label("CHN", "canwfz_p", "2015-06-23") == "signatory"
    assert "between 24 Jun 2015 and 22 Sep 2023" in label("CHN", "canwfz_p", "2019-01-01")
    assert label("CHN", "canwfz_p", "2023-09-22") == label("RUS", "canwfz_p", "2023-09-22") == "party"


def test_a_declaration_or_a_law_changes_no_status():
    assert analysis.status("RUS", "pelindaba_p1", on="2011-03-21") == "signatory"  # the 2011 law, not a deposit
    assert analysis.status("RUS", "canwfz_p", on="2014-05-06") == "signatory"


def test_zone_protocol_names_resolve():
    assert resolve_treaty("Rarotonga Protocol 2") == "rarotonga_p2"
    assert resolve_treaty("Rarotonga Protocol II") == "rarotonga_p2"
    assert resolve_treaty("Pelindaba Protocol 1") == "pelindaba_p1"
    assert resolve_treaty("Tlatelolco Additional Protocol II") == "tlatelolco_p2"
    assert resolve_treaty("CANWFZ Protocol") == "canwfz_p"
    # the treaties keep their names, and a protocol number alone names no single instrument
    assert [resolve_treaty(n) for n in ("Tlatelolco", "Rarotonga", "Pelindaba", "CANWFZ", "Semipalatinsk")] == [
        "tlatelolco",
        "rarotonga",
        "pelindaba",
        "canwfz",
        "canwfz",
    ]
    for name in ("Protocol I", "Protocol 2", "Protocol III"):
        with pytest.raises(UnknownTreatyError, match="Ambiguous") as info:
            resolve_treaty(name)
        assert "ccw_p" in str(info.value) and "pelindaba_p" in str(info.value)


def test_the_facts_table_does_not_call_an_unrecorded_entry_into_force_not_in_force():
    from analysis.tables import treaty_facts

    assert treaty_facts("rarotonga_p2").loc["entry into force"].iloc[0] == "not recorded"
    assert treaty_facts("ctbt").loc["entry into force"].iloc[0] == "not in force"
    assert treaty_facts("ccw_p3").loc["entry into force"].iloc[0] == "1983-12-02"
