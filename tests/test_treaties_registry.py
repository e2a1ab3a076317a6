"""Checks on data/treaties.csv, the treaty registry (pandas + the csv only)."""

import re

import pandas as pd
import pytest
from conftest import DATA, MIRRORS, mirror_hosts

CSV = DATA / "treaties.csv"

COLUMNS = [
    "id",
    "short_name",
    "full_name",
    "category",
    "adopted",
    "opened_for_signature",
    "entry_into_force",
    "depositary",
    "mtdsg",
    "untc_file",
    "eif_rule",
    "eif_rule_text",
    "coverage",
    "known_until",
    "aliases",
    "source",
]
DATE_COLUMNS = ["adopted", "opened_for_signature", "entry_into_force", "known_until"]
CATEGORIES = {"nuclear", "chemical/biological", "conventional", "transparency/arms limitation"}
UN_IDS = {
    "enmod": "XXVI-1",
    "ccw": "XXVI-2",
    "ccw_p4": "XXVI-2-a",
    "ccw_p2a": "XXVI-2-b",
    "ccw_art1": "XXVI-2-c",
    "ccw_p5": "XXVI-2-d",
    "cwc": "XXVI-3",
    "ctbt": "XXVI-4",
    "apmbc": "XXVI-5",
    "ccm": "XXVI-6",
    "att": "XXVI-8",
    "tpnw": "XXVI-9",
}
OTHER_IDS = {
    "npt",
    "bwc",
    "ptbt",
    "geneva_protocol",
    "outer_space",
    "seabed",
    "tlatelolco",
    "rarotonga",
    "bangkok",
    "pelindaba",
    "canwfz",
    "cfe",
    "open_skies",
    "inf",
    "abm",
    "new_start",
    "start1",
    "sort",
    "pmda",
    "iaea_statute",
}
#: CCW Protocols I–III: UN-deposited, read from the Convention's page (its "x" table), no page of their own.
CCW_PROTOCOL_IDS = {"ccw_p1", "ccw_p2", "ccw_p3"}
#: The zone treaties' protocols for the nuclear-weapon States: curated rows only (coverage 'events').
ZONE_PROTOCOL_IDS = {f"tlatelolco_p{n}" for n in "12"} | {
    f"{z}_p{n}" for z in ("rarotonga", "pelindaba") for n in "123"
}
ZONE_PROTOCOL_IDS |= {"canwfz_p"}
#: Deposited with the UN Secretary-General but without a status page in ../shared (chapter XXIV, not XXVI):
#: the participation rows come from the UNODA 2018 harvest (data/README.md).
UN_WITHOUT_PAGE = {"moon": "XXIV-2"}
#: Withdrawal clauses that set no notice period (the notice takes effect when given): the text says so.
NO_PERIOD = {"iaea_statute"}
EIF_RULE = re.compile(r"^(on_deposit|not_in_force|days:[1-9]\d*|months:[1-9]\d*|first_of_month:[1-9]\d*)$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def reg() -> pd.DataFrame:
    return pd.read_csv(CSV, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def clauses(reg) -> pd.DataFrame:
    """The registry with its clauses (data/clauses.csv, the notice rule's one home), one row per treaty."""
    table = pd.read_csv(DATA / "clauses.csv", dtype=str, keep_default_na=False)
    assert sorted(table["treaty"]) == sorted(reg["id"])
    return reg.merge(table, left_on="id", right_on="treaty", validate="one_to_one")


def test_header_exact(reg):
    assert list(reg.columns) == COLUMNS


def test_ids_unique_and_complete(reg):
    assert reg["id"].is_unique
    assert set(reg["id"]) == set(UN_IDS) | OTHER_IDS | set(UN_WITHOUT_PAGE) | CCW_PROTOCOL_IDS | ZONE_PROTOCOL_IDS


def test_required_cells_present(reg):
    for col in ["id", "short_name", "full_name", "category", "depositary", "coverage", "source"]:
        empty = reg.loc[reg[col].str.strip() == "", "id"].tolist()
        assert not empty, f"{col} empty for {empty}"


def test_category_vocabulary(reg):
    assert set(reg["category"]) <= CATEGORIES


def test_dates_iso_and_ordered(reg):
    for col in DATE_COLUMNS:
        for tid, val in zip(reg["id"], reg[col]):
            if val:
                assert ISO_DATE.match(val), f"{tid}.{col}={val!r}"
                pd.Timestamp(val)  # a real calendar date
    for _, r in reg.iterrows():
        a, o, e = r["adopted"], r["opened_for_signature"], r["entry_into_force"]
        if a and e:
            assert a <= e, r["id"]
        if a and o:
            assert a <= o, r["id"]
        if o and e:
            assert o <= e, r["id"]


def test_eif_rule_vocabulary(reg):
    for tid, rule, text in zip(reg["id"], reg["eif_rule"], reg["eif_rule_text"]):
        if rule:
            assert EIF_RULE.match(rule), f"{tid}: {rule!r}"
        else:
            # an empty rule means "not confirmed": the text must say why
            assert text.strip(), f"{tid}: empty eif_rule without explanation"
    ctbt = reg.set_index("id").loc["ctbt"]
    assert ctbt["eif_rule"] == "not_in_force" and ctbt["entry_into_force"] == ""
    # a treaty in force has no not_in_force rule
    in_force = reg[reg["entry_into_force"] != ""]
    assert not (in_force["eif_rule"] == "not_in_force").any()


def test_notice_periods(clauses):
    for _, r in clauses.iterrows():
        months, days = r["notice_months"], r["notice_days"]
        for v in (months, days):
            if v:
                assert v.isdigit() and int(v) > 0, r["id"]
        if r["withdrawal_article"] and r["id"] in NO_PERIOD:
            assert not months and not days and "no notice period" in r["terms"], r["id"]
        elif r["withdrawal_article"]:
            assert bool(months) != bool(days), f"{r['id']}: exactly one notice period expected"
            assert r["armed_conflict_clause"] in {"true", "false"}, r["id"]
        else:
            assert not months and not days, r["id"]
            assert r["armed_conflict_clause"] == "", r["id"]


def test_un_rows(reg):
    idx = reg.set_index("id")
    for tid, mtdsg in UN_IDS.items():
        r = idx.loc[tid]
        assert r["mtdsg"] == mtdsg
        assert r["depositary"] == "UN Secretary-General"
        assert r["untc_file"].endswith(".html")
        assert r["coverage"] == "full" and r["known_until"] == "2026-02-03"
        assert f"mtdsg_no={mtdsg}&" in r["source"], tid
    assert idx.loc["apmbc", "untc_file"] == "ottawa.html"
    for tid, mtdsg in UN_WITHOUT_PAGE.items():
        r = idx.loc[tid]
        assert r["depositary"] == "UN Secretary-General" and r["mtdsg"] == mtdsg and r["untc_file"] == ""
        assert r["coverage"] == "full" and r["known_until"] == "2018-07-10", tid
    for tid in OTHER_IDS:
        r = idx.loc[tid]
        assert r["mtdsg"] == "" and r["untc_file"] == ""
        # the status date of the newest per-state source; none for the treaties held only as curated events
        assert (r["known_until"] == "") == (r["coverage"] == "events"), tid


def test_ccw_protocol_rows(reg):
    """Read from the CCW's page (no page, no MTDSG number of their own, so 'XXVI-2' still names the CCW)."""
    idx = reg.set_index("id")
    for tid in CCW_PROTOCOL_IDS:
        r = idx.loc[tid]
        assert r["mtdsg"] == "" and r["untc_file"] == "", tid
        assert r["depositary"] == "UN Secretary-General" and "mtdsg_no=XXVI-2&" in r["source"], tid
        assert (r["coverage"], r["known_until"], r["entry_into_force"]) == ("full", "2026-02-03", "1983-12-02"), tid
        assert r["eif_rule"] == idx.loc["ccw", "eif_rule"], tid


def test_coverage(reg):
    idx = reg.set_index("id")
    assert set(reg["coverage"]) <= {"full", "events"}
    events_only = {"inf", "abm", "new_start", "start1", "sort", "pmda", "iaea_statute"} | ZONE_PROTOCOL_IDS
    assert set(idx.index[idx["coverage"] == "events"]) == events_only
    for tid in ZONE_PROTOCOL_IDS:
        assert idx.loc[tid, "known_until"] == "" and idx.loc[tid, "mtdsg"] == "", tid


def test_every_row_has_source_urls(reg):
    for tid, src in zip(reg["id"], reg["source"]):
        parts = [p.strip() for p in src.split(" ; ")]
        assert parts and all(p.startswith(("http://", "https://")) for p in parts), tid


def test_known_clauses(clauses):
    idx = clauses.set_index("id")
    assert (idx.loc["ccm", "notice_months"], idx.loc["ccm", "eif_rule"]) == ("6", "first_of_month:6")
    assert idx.loc["cwc", "notice_days"] == "90" and idx.loc["cwc", "eif_rule"] == "days:30"
    assert idx.loc["npt", "notice_months"] == "3"
    assert idx.loc["att", "notice_days"] == "90" and idx.loc["att", "eif_rule"] == "days:90"
    assert idx.loc["tpnw", "notice_months"] == "12"
    for tid in ["ccw", "ccw_p4", "ccw_p2a", "ccw_art1", "ccw_p5", "apmbc", "ccm", "tpnw"]:
        assert idx.loc[tid, "armed_conflict_clause"] == "true", tid


def test_clauses_of_the_instruments_added_for_issue_20(clauses):
    idx = clauses.set_index("id")
    assert (idx.loc["moon", "withdrawal_article"], idx.loc["moon", "notice_months"]) == ("art. 20", "12")
    assert (idx.loc["start1", "notice_months"], idx.loc["sort", "notice_months"]) == ("6", "3")
    # the PMDA has no withdrawal clause: Russia's exits rest on a fundamental change of circumstances
    assert idx.loc["pmda", "withdrawal_article"] == "" and "No withdrawal" in idx.loc["pmda", "terms"]
    assert idx.loc["iaea_statute", "depositary"] == "Government of the United States of America"


#: Registry source cells still allowed to name a mirror, each documented in data/README.md ("source still a
#: mirror"): none since every mirror cell was replaced (2026-12). A new mirror must be added here, and documented,
#: or the test below fails.
DOCUMENTED_MIRRORS: dict[str, set[str]] = {}


def test_no_registry_source_rests_on_a_mirror(reg):
    """Mirrors and aggregators are not sources: a registry cell names the depositary, an official text or two
    independent reliable sources, never docslib, scribd, vdocuments and the like (conftest.MIRRORS)."""
    found = {tid: set(mirror_hosts(src)) for tid, src in zip(reg["id"], reg["source"]) if mirror_hosts(src)}
    assert found == DOCUMENTED_MIRRORS
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for tid, hosts in DOCUMENTED_MIRRORS.items():
        assert all(f"source still a mirror: {h}" in readme for h in hosts), tid


def test_the_mirror_check_knows_the_hosts_it_replaced():
    """The matcher itself: the hosts the registry named before they were replaced are caught, by a whole label of
    the host name; official hosts and names that merely contain a label are not."""
    removed = [
        "https://docslib.org/doc/1339010/x",
        "https://www.scribd.com/document/488912104/inf-treaty-pdf",
        "https://wikimili.com/en/African_Nuclear-Weapon-Free_Zone_Treaty",
        "http://what-when-how.com/Tutorial/x.html",
        "https://vdocuments.us/x.html",
        "https://vdocuments.net/x.html",
        "https://fdocuments.us/document/x.html",
        "https://paperzz.com/doc/7992136/x",
        "https://private.bibliboba.com/books/x/p/66",
        "https://totalwonkerr.net/2009/03/24/central-asia-nwfz/",
        "https://lawinsider.com/contracts/tagged/x",
        "https://admi.net/jo/19921018/MAEJ9230053D.html",
        "https://legal.tricoteuses.fr/articles/JORFARTI000027180698",
    ]
    assert [len(mirror_hosts(u)) for u in removed] == [1] * len(removed)
    assert set(MIRRORS) >= {"docslib", "scribd", "vdocuments", "paperzz", "bibliboba", "totalwonkerr"}
    kept = "https://wetten.overheid.nl/BWBV0004367 ; https://www.administration.gov/x ; https://disarmament.unoda.org/"
    assert mirror_hosts(kept) == []
