"""What a report computes once per dataset and keeps (issue 24: CPU a page) must give what a fresh computation
gives, and a caller that changes what it got must not change what the next caller gets."""

import importlib

import pandas as pd

import analysis as a
from analysis import chains, exits, present
from analysis.batch.render import exporter

# (the package exports functions under these modules' names)
counts, peers = (importlib.import_module(f"analysis.{name}") for name in ("counts", "peers"))


def test_withdrawals_on_two_days_as_computed_afresh_and_not_changed_by_a_caller():
    ds = a.load()
    first = a.withdrawals(ds, on="2024-12-31")
    first.loc[:, "status"] = "changed by a caller"
    first.loc[:, "reason_codes"] = "changed by a caller"
    later = a.withdrawals(ds, on="2025-06-30")
    exits._coded_exit_table.cache_clear()
    pd.testing.assert_frame_equal(later, a.withdrawals(ds, on="2025-06-30"))
    # the day decides what is pending: Lithuania's CCM exit took effect on 2025-03-06
    ltu = (later["state"] == "LTU") & (later["treaty"] == "ccm")
    assert a.withdrawals(ds, on="2025-01-31").loc[ltu, "status"].item() == "pending"
    assert later.loc[ltu, "status"].item() == "in effect"
    assert set(later["status"]) <= {"in effect", "pending", "disputed", "suspended"}


def test_party_counts_kept_but_each_caller_gets_its_own_copy():
    ds = a.load()
    mine = counts.party_counts("npt", end="2020-01-01", ds=ds)
    mine["parties"] = -1
    mine.attrs["definition"] = "changed by a caller"
    again = counts.party_counts("npt", end="2020-01-01", ds=ds)
    assert (again["parties"] >= 0).all() and again["parties"].iloc[-1] > 100  # (none before it entered into force)
    assert again.attrs["definition"] != "changed by a caller"
    counts._party_counts.cache_clear()
    pd.testing.assert_frame_equal(again, counts.party_counts("npt", end="2020-01-01", ds=ds))


def test_a_states_status_steps_are_the_rows_of_the_step_table():
    ds = a.load()
    steps = a.transitions(ds)
    for iso3 in ("LTU", "SUN", "RUS", "XXX"):
        pd.testing.assert_frame_equal(peers._transitions_of(iso3, ds), steps[steps["state"] == iso3])


def test_sources_list_each_row_under_its_source():
    ds = a.load()
    rows = present.rows_of(ds, states=["LTU"])
    markup = present.sources(rows, ds).markup
    assert markup.count("<li>LTU · ") == len(rows)  # each row once, in words, treaty by its short name
    assert "LTU · CCM · withdrawal" in markup


def test_exit_chains_link_rows_read_from_their_columns():
    table = chains._chains(a.load())
    dated = table[table["finding"] == "dated"]
    assert len(dated) and dated["source"].astype(bool).all()  # a dated link names its source
    assert set(table["finding"]) >= {"dated", "not found"}


def test_the_exporter_converts_the_same_markdown_to_the_same_html_each_time():
    html = exporter()
    context = {"cell": {}, "resources": {"metadata": {"path": ""}}}
    once = html.markdown2html(context, "### Timeline\n\nOne *row* per treaty.")
    assert "<em>row</em>" in once and html.markdown2html(context, "### Timeline\n\nOne *row* per treaty.") == once
    assert html.optimistic_validation  # the notebook is validated once, after the last preprocessor
