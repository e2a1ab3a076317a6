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
from analysis.currency import STALE_DAYS, _newest_source, currency, currency_facts

TODAY = "2026-12-06"


@pytest.fixture(scope="module")
def ds():
    return analysis.load()


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
    cfe = table.loc["cfe", "acts_after_text"]
    assert "RUS withdrawal 2023-06-09" in cfe
    assert "parliament_vote" not in cfe and "statement" not in cfe  # the steps toward an exit are not acts
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
    old = tables.treaty_facts("cfe", ds).iloc[:, 0]
    assert "more than a year old" in old["warning"]
    assert old["record from"].startswith("UNODA Treaties Database") and "10 July 2018" in old["record from"]
    assert old["acts held after the record's end"].startswith("7: RUS withdrawal 2023-06-09")
    fresh = currency_facts("ctbt", ds, today="2026-03-01")
    assert "warning" not in fresh
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
