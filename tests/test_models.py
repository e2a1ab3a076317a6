"""The research models: the exit logit's risk set and fit, the Kaplan–Meier times (contagion: test_contagion.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis as a
from analysis import models


@pytest.fixture(scope="module")
def rows():
    return models.risk_set()


def test_every_event_in_the_risk_set_is_an_exit_on_record(rows):
    exits = a.withdrawals()
    exits = exits[exits["kind"].isin(["withdrawal", "suspension"])]
    on_record = {(s, t, d.year) for s, t, d in zip(exits["state"], exits["treaty"], exits["notice_deposited"])}
    on_record |= {(s, t, d.year) for s, t, d in zip(exits["state"], exits["treaty"], exits["effective"]) if pd.notna(d)}
    events = rows[rows["event"] == 1]
    assert len(events) >= 10
    for r in events.itertuples():
        assert (r.state, r.treaty, r.period.year) in on_record
        start = pd.Timestamp(r.period.year, 1, 1) - pd.Timedelta(days=1)
        assert a.status(r.state, r.treaty, on=start) == "party", (r.state, r.treaty, r.period)


def test_the_risk_set_holds_only_treaties_with_a_notice_period_and_bound_states(rows):
    ds = a.load()
    assert rows["notice_months"].gt(0).all()
    assert "enmod" not in set(rows["treaty"])  # no withdrawal clause
    sample = rows.sample(40, random_state=3)
    for r in sample.itertuples():
        start = pd.Timestamp(r.period.year, 1, 1) - pd.Timedelta(days=1)
        assert a.status(r.state, r.treaty, on=start, ds=ds) == "party"


def test_the_lithuanian_ccm_exit_is_one_event_with_its_peers_share():
    rows = models.risk_set(since="2024-01-01")
    ltu = rows[(rows["state"] == "LTU") & (rows["treaty"] == "ccm")]
    assert ltu["event"].tolist() == [1]  # 2024; by 2025 it is leaving, no longer at risk
    assert ltu["peers_left_prev"].between(0, 1).all()


def test_fit_recovers_a_known_effect_on_simulated_rows():
    rng = np.random.default_rng(5)
    n = 20000
    x = rng.normal(size=n)
    event = (rng.random(n) < 1 / (1 + np.exp(-(-4 + 1.0 * x)))).astype(int)
    rows = pd.DataFrame(
        {
            "state": rng.choice(["AAA", "BBB", "CCC"], n),
            "treaty": "t",
            "period": pd.Timestamp("2000-12-31"),
            "years_since_consent": rng.uniform(0, 30, n),
            "peers_left_prev": x,
            "notice_months": rng.choice([3.0, 6.0, 12.0], n),
            "category": "one",
            "event": event,
        }
    )
    fit = models.fit_hazard(rows)
    row = fit.table.loc["peers_left_prev"]
    assert row["ci_low"] < 1.0 < row["ci_high"]  # the true coefficient
    assert row["ci_low"] > 0.5
    assert abs(fit.table.loc["years_since_consent", "coef"]) < 0.05
    assert fit.events == event.sum() and fit.rows == n


def test_fit_on_the_data_counts_its_events_and_pools_categories_without_exits(rows):
    fit = models.fit_hazard(rows)
    assert fit.events == rows["event"].sum()
    assert fit.pairs == rows[["state", "treaty"]].drop_duplicates().shape[0]
    table = fit.table
    assert set(models.COVARIATES) <= set(table.index)
    assert (table["ci_low"] <= table["coef"]).all() and (table["coef"] <= table["ci_high"]).all()
    no_exit = rows.groupby("category")["event"].sum().loc[lambda s: s == 0].index
    assert sorted(no_exit) == fit.pooled
    assert not any(f"category: {c}" in table.index for c in fit.pooled)


def test_no_event_is_refused_with_one_line(rows):
    with pytest.raises(ValueError, match="no exit"):
        models.fit_hazard(rows.assign(event=0))


def test_time_to_exit_for_lithuania_and_a_state_that_stayed():
    durations = models.time_to_exit()
    ltu = durations[(durations["state"] == "LTU") & (durations["treaty"] == "ccm")].iloc[0]
    consent = a.load().events.query("state == 'LTU' and treaty == 'ccm' and action == 'ratification'")["date"].min()
    assert ltu["event"] == 1 and ltu["consent"] == consent
    assert ltu["years"] == pytest.approx((ltu["exit"] - consent).days / 365.25)
    stayed = durations[(durations["state"] == "NOR") & (durations["treaty"] == "ccm")].iloc[0]
    assert stayed["event"] == 0
    assert stayed["years"] == pytest.approx((pd.Timestamp(a.load().status_date) - stayed["consent"]).days / 365.25)


def test_kaplan_meier_matches_a_hand_computation():
    durations = pd.DataFrame({"years": [1.0, 2.0, 2.0, 3.0], "event": [1, 0, 1, 1], "category": "x"})
    curve = models.kaplan_meier(durations).set_index("years")["survival"]
    assert curve.loc[1.0] == pytest.approx(3 / 4)
    assert curve.loc[2.0] == pytest.approx(3 / 4 * 2 / 3)  # three at risk at 2 years, one exit
    assert curve.loc[3.0] == pytest.approx(0.0)


def test_kaplan_meier_on_the_data_falls_and_keeps_its_interval():
    curves = models.kaplan_meier(models.time_to_exit())
    for _, curve in curves.groupby("category"):
        assert curve["survival"].is_monotonic_decreasing
        assert ((curve["ci_low"] <= curve["survival"] + 1e-12) & (curve["survival"] <= curve["ci_high"] + 1e-12)).all()
