"""The tables the report notebooks show (nbval compares their rendering; these check their content)."""

import pandas as pd

import analysis as a
from analysis import tables


def test_status_dates_for_lithuania():
    ds = a.load()
    p = a.country_profile("LTU", ds.status_date, ds=ds)
    table = tables.status_dates(p, ds)
    assert list(table.index) == list(ds.treaties.index)
    assert {"signed", "consent", "in force", "exit notice", "exit effect", "coverage"} <= set(table.columns)
    ccm = table.loc["ccm"]
    assert ccm["status"] == "withdrawn"
    assert (ccm["in force"], ccm["exit notice"], ccm["exit effect"]) == ("2011-09-01", "2024-09-06", "2025-03-06")
    assert table.loc["inf", "coverage"].startswith("curated")


def test_exit_steps_and_notice_verdict():
    p = a.country_profile("LTU", "2026-02-03")
    steps = tables.exit_steps(p.exits)
    assert len(steps) == len(p.exits) == 2
    assert set(steps["notice"]) == {"respected"}
    assert "Dataset version" in tables.provenance() and a.load().version in tables.provenance()


def test_treaty_tables_add_up():
    ds = a.load()
    by_region = tables.parties_by_region("apmbc", on="2026-02-03", ds=ds)
    bound = len(a.parties("apmbc", on="2026-02-03", ds=ds))
    assert by_region.loc["all", "bound"] == by_region.drop("all")["bound"].sum() == bound
    never = tables.never_ratified("ctbt", on="2026-02-03", ds=ds)
    assert "United States" in set(never["name"]) and "Lithuania" not in set(never["name"])
    exits = tables.treaty_exits("apmbc", on="2026-02-03", ds=ds)
    # the five withdrawals, and Ukraine's notice suspending the Convention (18 Jul 2025; an exit of kind suspension)
    assert set(exits["state"]) == {"EST", "LVA", "LTU", "FIN", "POL", "UKR"}


def test_exit_lags_are_consistent():
    w = a.exits_since("2024-01-01", on="2026-02-03")
    lags = tables.exit_lags(w)
    ltu = lags[(lags["state"] == "LTU") & (lags["treaty"] == "CCM")].iloc[0]
    assert ltu["deposit → effect"] == 181
    # the first step is the President's office backing withdrawal (2024-07-01), before the Seimas vote (2024-07-18)
    assert ltu["first step → deposit"] == (pd.Timestamp("2024-09-06") - pd.Timestamp("2024-07-01")).days
    both = lags[["first step → effect", "deposit → effect"]].dropna()  # a lag resting on an uncertain date is empty
    assert len(both) >= 10 and (both["first step → effect"] >= both["deposit → effect"]).all()
    pol = lags[(lags["state"] == "POL") & (lags["treaty"] == "CFE")].iloc[0]  # suspended on or after 29 Mar 2024
    assert pol["deposit (notice)"] == "on or after 29 Mar 2024" and pd.isna(pol["first step → deposit"])


def test_france_and_kazakhstan_reports_list_npt_bwc_and_zone_treaties_with_dates():
    ds = a.load()
    fra = tables.status_dates(a.country_profile("FRA", ds.status_date, ds=ds), ds)
    assert fra.loc["npt", "consent"] == "1992-08-02 (accession)"  # the first of its three deposits (Moscow)
    assert fra.loc["bwc", "consent"] == "1984-09-27 (accession)"
    assert {"tlatelolco", "rarotonga", "bangkok", "pelindaba", "canwfz"} <= set(fra.index)
    kaz = tables.status_dates(a.country_profile("KAZ", ds.status_date, ds=ds), ds)
    assert kaz.loc["npt", "consent"] == "1994-02-14 (accession)"
    assert (kaz.loc["canwfz", "signed"], kaz.loc["canwfz", "in force"]) == ("2006-09-08", "2009-03-21")
    assert kaz.loc["canwfz", "coverage"] == "full, to 2026-08-22"


def test_a_treaty_page_says_its_record_end_in_words_not_as_a_warning():
    """A warning printed in a kernel lands on the page with the path of the code; the sentence says it instead."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = tables.party_sentence("ptbt")
    assert "The record stops on 10 July 2018" in text
