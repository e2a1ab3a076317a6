"""How current each treaty's record is (issue 26): the day it stops, the source dated that day, the acts held after
it, its age on an injectable "today", and where the pages and the command line say so."""

from datetime import date

import pandas as pd
import pytest
from typer.testing import CliRunner

import analysis
from analysis import tables
from analysis.batch.index import _currency
from analysis.cli import app
from analysis.currency import STALE_DAYS, _named_list, _newest_source, currency, currency_facts
from analysis.schema import CONSENT

TODAY = "2026-12-06"


@pytest.fixture(scope="module")
def table(ds):
    return currency(TODAY, ds)


def test_one_row_per_treaty_with_its_record_end_and_age(ds, table):
    assert list(table.index) == list(ds.treaties.index)
    full = table[table["coverage"] == "full"]
    assert (full["known_until"] == ds.treaties.loc[full.index, "known_until"]).all()
    expected = (pd.Timestamp(TODAY) - full["known_until"]).dt.days
    assert (full["age_days"].astype(int) == expected).all()
    assert table.attrs["today"] == pd.Timestamp(TODAY)
    assert analysis.currency is currency


def test_every_known_until_names_its_source(table):
    """Done-when of issue 26: each treaty's record end is the status date of a named source."""
    full = table[table["coverage"] == "full"]
    assert full["source"].str.len().gt(0).all(), full.loc[full["source"] == "", "treaty"].tolist()
    assert (full["source_date"] == full["known_until"]).all()
    assert table.loc["ctbt", "source"].startswith("UN Treaty Collection")


def test_a_moved_record_end_names_the_list_it_rests_on_in_the_registry(ds, table):
    """CFE and Open Skies moved past the 2018 harvest on lists read by hand: the registry's source cell names them
    (its address with ``#known_until=<day>``) and the currency table gives it, not a row's source."""
    assert table.loc["cfe", "known_until"] == pd.Timestamp("2023-11-07")
    assert (
        table.loc["cfe", "source_address"]
        == "https://verdragen.nl/en/Treaty/Details/004285.html?expand-table=partijtabel"
    )
    assert table.loc["cfe", "source"].startswith("list read by hand: verdragen.nl")
    assert table.loc["open_skies", "source_address"].startswith("https://verdragenbank.overheid.nl/")
    other_day = ds.treaties.loc["cfe", "source"].replace("known_until=2023-11-07", "known_until=2023-11-08")
    assert _named_list(other_day, pd.Timestamp("2023-11-07")) is None  # a list of another day names nothing


def test_events_only_treaties_have_no_age_but_their_newest_source(table):
    for tid in ("inf", "abm", "new_start"):
        row = table.loc[tid]
        assert pd.isna(row["known_until"]) and pd.isna(row["age_days"]) and not row["stale"]
        assert row["source"]  # the newest curated row's address
    assert table.loc["new_start", "source_date"] == pd.Timestamp("2026-02-05")


def test_acts_after_the_record_are_counted_and_the_later_source_ones_flagged(table):
    ctbt = table.loc["ctbt"]
    assert (ctbt["acts_after"], ctbt["later_source_acts"]) == (2, 2)
    assert "TON ratification 2026-07-07 (later source)" in ctbt["acts_after_text"]
    assert table.loc["tpnw", "acts_after_text"] == "TON accession 2026-07-07 (later source)"
    # after the depositary's party table (2023-11-07): the Norwegian, Italian, Polish (not before 2024-03-29: its first
    # possible day), Turkish and Belarusian suspensions, not Belarus's vote and
    # law of May 2024 nor Kazakhstan's decree of 2025 (steps toward an exit are not acts)
    assert table.loc["cfe", "acts_after_text"] == (
        "NOR suspension 2023-11-27; ITA suspension 2023-11-28; POL suspension 2024-03-29; TUR suspension 2024-04-05; "
        "BLR suspension 2024-06-12"
    )
    assert table.loc["enmod", "acts_after"] == 0 and table.loc["enmod", "acts_after_text"] == ""


def test_today_is_injectable_and_the_year_threshold_is_exact(ds):
    end = ds.treaties.loc["ctbt", "known_until"]
    on_the_day = currency((end + pd.Timedelta(days=STALE_DAYS)).date(), ds).loc["ctbt"]
    day_after = currency((end + pd.Timedelta(days=STALE_DAYS + 1)).date().isoformat(), ds).loc["ctbt"]
    assert (on_the_day["age_days"], on_the_day["stale"]) == (STALE_DAYS, False)
    assert (day_after["age_days"], day_after["stale"]) == (STALE_DAYS + 1, True)
    assert currency(None, ds).attrs["today"] == pd.Timestamp(date.today())
    with pytest.raises(ValueError, match="is not a day"):
        currency("2026-13-01", ds)


def test_a_source_is_named_from_the_treatys_rows_when_no_raw_source_has_that_date(ds):
    """A list curated row by row (no raw-source file) still names its source: the rows dated known_until."""
    end = ds.treaties.loc["ptbt", "known_until"]
    name, address, day = _newest_source("ptbt", end, ds, provenance=[])
    assert "disarmament.un.org" in name and address == name and day == end
    assert _newest_source("ptbt", pd.Timestamp("1999-01-01"), ds, provenance=[]) == ("", "", pd.NaT)


def test_the_treaty_page_facts_say_how_current_the_record_is(ds):
    old = tables.treaty_facts("ptbt", ds).iloc[:, 0]
    assert old["more than a year old"].startswith("yes: the record stops on 10 July 2018")
    assert old["record from"].startswith("UNODA Treaties Database") and "10 July 2018" in old["record from"]
    assert old["acts held after the record's end"] == "none"
    cfe = tables.treaty_facts("cfe", ds).iloc[:, 0]
    assert "verdragen.nl" in cfe["record from"] and "7 November 2023" in cfe["record from"]
    assert cfe["acts held after the record's end"].startswith("5: NOR suspension 2023-11-27; ITA suspension 2023-11-28")
    fresh = currency_facts("ctbt", ds, today="2026-03-01")
    assert fresh["more than a year old"] == "no"
    assert list(fresh)[1:] == list(currency_facts("ptbt", ds, today="2026-03-01"))[1:]  # same lines: fixed size
    assert fresh["age of the record on 1 March 2026"] == "26 days"
    assert currency_facts("inf", ds)["newest source"].endswith("(2019-08-02)")


def test_the_index_lists_every_treaty_with_its_currency(ds):
    today, rows = _currency(ds)
    assert len(rows) == len(ds.treaties) and today == pd.Timestamp(date.today())
    ptbt = next(r for r in rows if r["short_name"] == "PTBT")
    assert ptbt["stops"] == f"{ds.treaties.loc['ptbt', 'known_until']:%Y-%m-%d}"
    inf = next(r for r in rows if r["short_name"] == "INF Treaty")
    assert (inf["stops"], inf["age"]) == ("events only", "")


def test_cli_prints_the_table_marks_old_records_and_refuses_a_bad_day(tmp_path, ds):
    runner = CliRunner()
    r = runner.invoke(app, ["currency", "--today", TODAY])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    stale = {t for t, s in zip(ds.treaties["short_name"], currency(TODAY, ds)["stale"]) if s}
    for short in stale:
        assert "OLD" in next(line for line in lines if line.strip().startswith(short))
    assert "OLD" not in next(line for line in lines if line.strip().startswith("CTBT"))
    assert any(line.startswith("[1] UN Treaty Collection") for line in lines)
    bad = runner.invoke(app, ["currency", "--today", "someday"])
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1 and "is not a day" in bad.output
    out = tmp_path / "currency.csv"
    assert runner.invoke(app, ["currency", "--csv", str(out)]).exit_code == 0
    assert pd.read_csv(out)["treaty"].tolist() == list(ds.treaties.index)


# The lists the moved record ends rest on, as read (day-month-year there): every consent they give, by state.
# CFE: the depositary's party table (verdragen.nl 004285, 29 rows, Armenia to Ukraine: the stored copy stops
# before the United Kingdom's and the United States'). Open Skies: the Netherlands Treaty Database's party table
# (004920_p; Sweden's row is past the stored copy); "VG" (continued) rows of Czechia and Slovakia carry the CSFR's
# date.
CFE_TABLE = {
    "ARM": "1992-10-12", "AZE": "1992-07-09", "BLR": "1992-10-30", "BEL": "1991-12-17", "BGR": "1991-11-12",
    "CAN": "1991-11-22", "CZE": "1996-12-11", "CSK": "1991-08-05", "DNK": "1991-12-30", "FRA": "1992-03-24",
    "GEO": "1992-07-06", "DEU": "1991-12-23", "GRC": "1992-07-08", "HUN": "1991-11-04", "ISL": "1991-12-24",
    "ITA": "1992-04-22", "KAZ": "1992-10-30", "LUX": "1992-01-22", "MDA": "1992-07-06", "NLD": "1991-11-08",
    "NOR": "1991-11-29", "POL": "1991-11-26", "PRT": "1992-08-14", "ROU": "1992-04-21", "RUS": "1992-09-03",
    "SVK": "1996-10-22", "ESP": "1992-06-01", "TUR": "1992-07-08", "UKR": "1992-07-09",
}  # fmt: skip
OPEN_SKIES_TABLE = {
    "BLR": "2001-11-02", "BEL": "1995-06-28", "BIH": "2003-08-21", "BGR": "1994-04-15", "CAN": "1992-07-21",
    "DNK": "1993-01-21", "DEU": "1994-01-27", "EST": "2005-03-24", "FIN": "2002-12-12", "FRA": "1993-07-30",
    "GEO": "1998-08-31", "GRC": "1993-09-09", "HUN": "1993-08-11", "ISL": "1994-08-25", "ITA": "1994-10-28",
    "HRV": "2004-11-02", "LVA": "2002-12-13", "LTU": "2005-05-09", "LUX": "1995-06-28", "NLD": "1995-06-28",
    "NOR": "1993-07-14", "UKR": "2000-04-20", "POL": "1995-05-17", "PRT": "1994-11-22", "ROU": "1994-06-05",
    "RUS": "2001-11-02", "ESP": "1993-11-18", "CSK": "1992-12-21", "TUR": "1994-11-30", "GBR": "1993-12-08",
    "USA": "1993-12-03",
}  # fmt: skip
#: Where the list and the record disagree (data/README.md, "Currency"): Slovenia's Open Skies accession, 2004-09-25
#: in the Dutch table, 2004-07-27 with both depositaries in UNODA's 2018 record (kept: UNODA is the depositaries').
OPEN_SKIES_DISAGREE = {"SVN": ("2004-09-25", "2004-07-27")}


@pytest.mark.parametrize("tid, listed", [("cfe", CFE_TABLE), ("open_skies", OPEN_SKIES_TABLE)])
def test_the_lists_behind_the_moved_record_ends_agree_with_the_record(ds, tid, listed):
    ev = ds.events[(ds.events["treaty"] == tid) & ds.events["action"].isin(CONSENT)]
    held = {(s, f"{d:%Y-%m-%d}") for s, d in zip(ev["state"], ev["date"])}
    assert sorted((s, d) for s, d in listed.items() if (s, d) not in held) == []
    assert {s for s, _ in held} - set(listed) == ({"GBR", "USA"} if tid == "cfe" else {"SWE", "SVN", "CZE", "SVK"})


def test_the_one_disagreement_with_the_open_skies_list_is_kept_as_the_depositaries_reported_it(ds):
    ev = ds.events.query("state == 'SVN' and treaty == 'open_skies' and action == 'accession'")
    assert {f"{d:%Y-%m-%d}" for d in ev["date"]} == {OPEN_SKIES_DISAGREE["SVN"][1]}
    assert set(ev["depositary"]) == {"Budapest", "Ottawa"}


#: The Dutch treaty database's Outer Space Treaty party table, as far as the stored copy goes (Afghanistan to El
#: Salvador in Dutch order): each state's consent. Cuba's date there (1977-06-30) differs from UNODA's 1977-06-03,
#: which is kept (data/README.md); Bolivia, Botswana, Burundi, the CAR and the DRC have signatures only.
OST_TABLE = {
    "AFG": "1988-03-17", "DZA": "1992-01-27", "ATG": "1989-01-26", "ARG": "1969-03-26", "ARM": "2018-03-28",
    "AUS": "1967-10-10", "AZE": "2015-09-09", "BHS": "1976-08-11", "BGD": "1986-01-17", "BRB": "1968-09-12",
    "BLR": "1967-10-31", "BEL": "1973-03-30", "BEN": "1986-06-19", "BIH": "2020-09-29", "BRA": "1969-03-05",
    "BRN": "1984-01-18", "BGR": "1967-03-28", "BFA": "1968-06-18", "CAN": "1967-10-10", "CHL": "1981-10-08",
    "CHN": "1983-12-30", "COL": "2024-03-21", "CYP": "1972-07-05", "DNK": "1967-10-10", "DMA": "1978-11-08",
    "DOM": "1968-11-21", "DEU": "1971-02-10", "ECU": "1969-03-07", "EGY": "1967-10-10", "SLV": "1969-01-15",
}  # fmt: skip


def test_the_dutch_outer_space_table_agrees_with_the_record_but_for_cuba(ds):
    ev = ds.events[(ds.events["treaty"] == "outer_space") & ds.events["action"].isin(CONSENT)]
    held = {(s, f"{d:%Y-%m-%d}") for s, d in zip(ev["state"], ev["date"])}
    assert sorted((s, d) for s, d in OST_TABLE.items() if (s, d) not in held) == []
    assert {d for s, d in held if s == "CUB"} == {"1977-06-03"}  # the table: 1977-06-30
    later = {s for s, d in held if d > "2018-07-10"}
    assert {"BIH", "COL", "LVA"} <= later
    assert {
        s: currency("2026-12-06", ds).loc["outer_space", "acts_after_text"].count(s) for s in later
    } == dict.fromkeys(later, 1)


def test_timor_lestes_bangkok_accession_is_held_as_not_before_its_handover():
    """Issue 26: the instrument was handed over on 2025-10-25; the depositary's receipt is not reported, so the
    deposit is 'on or after' that day and the status says both readings."""
    s = analysis.status("TLS", "bangkok", on="2026-01-01")
    assert s == "not signed" and not s.certain and set(s.possible) == {"party", "not signed"}
    assert "on or after 25 Oct 2025" in s.label
    assert analysis.status("TLS", "bangkok", on="2025-10-24").certain
