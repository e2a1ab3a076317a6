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
    assert set(exits["state"]) == {"EST", "LVA", "LTU", "FIN", "POL"}


def test_exit_lags_are_consistent():
    w = tables.exits_since("2024-01-01", on="2026-02-03")
    lags = tables.exit_lags(w)
    ltu = lags[(lags["state"] == "LTU") & (lags["treaty"] == "CCM")].iloc[0]
    assert ltu["deposit → effect"] == 181
    assert ltu["first step → deposit"] == (pd.Timestamp("2024-09-06") - pd.Timestamp("2024-07-18")).days
    assert (lags["first step → effect"].dropna() >= lags["deposit → effect"].dropna()).all()
