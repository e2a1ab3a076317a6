"""The research models: the exit logit's risk set and fit (Firth by default, validated on a published example),
its clustered intervals and robustness table, the Kaplan–Meier times, the readings (contagion: test_contagion.py)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES

import analysis as a
from analysis import findings, models, survival


@pytest.fixture(scope="module")
def rows():
    return models.risk_set()


@pytest.fixture(scope="module")
def fitted(rows):
    """The default fit (Firth, profile intervals), once for the tests that read it."""
    return models.fit_hazard(rows)


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


def test_fit_on_the_data_counts_its_events_and_pools_categories_without_exits(rows, fitted):
    fit = fitted
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
    durations = survival.time_to_exit()
    ltu = durations[(durations["state"] == "LTU") & (durations["treaty"] == "ccm")].iloc[0]
    consent = a.load().events.query("state == 'LTU' and treaty == 'ccm' and action == 'ratification'")["date"].min()
    assert ltu["event"] == 1 and ltu["consent"] == consent
    assert ltu["years"] == pytest.approx((ltu["exit"] - consent).days / 365.25)
    stayed = durations[(durations["state"] == "NOR") & (durations["treaty"] == "ccm")].iloc[0]
    assert stayed["event"] == 0
    assert stayed["years"] == pytest.approx((pd.Timestamp(a.load().status_date) - stayed["consent"]).days / 365.25)


def test_kaplan_meier_matches_a_hand_computation():
    durations = pd.DataFrame({"years": [1.0, 2.0, 2.0, 3.0], "event": [1, 0, 1, 1], "category": "x"})
    curve = survival.kaplan_meier(durations).set_index("years")["survival"]
    assert curve.loc[1.0] == pytest.approx(3 / 4)
    assert curve.loc[2.0] == pytest.approx(3 / 4 * 2 / 3)  # three at risk at 2 years, one exit
    assert curve.loc[3.0] == pytest.approx(0.0)


def test_kaplan_meier_on_the_data_falls_and_keeps_its_interval():
    curves = survival.kaplan_meier(survival.time_to_exit())
    for _, curve in curves.groupby("category"):
        assert curve["survival"].is_monotonic_decreasing
        assert ((curve["ci_low"] <= curve["survival"] + 1e-12) & (curve["survival"] <= curve["ci_high"] + 1e-12)).all()


# ---- Firth's penalized likelihood, validated on Heinze and Schemper's endometrial data ----------------------------

#: brglm2's README (ikosmidis/brglm2, README.md at d897ed2b): mean bias reduction of HG ~ NV + PI + EH, logit link,
#: which for the logit is Firth's penalized likelihood; estimate and standard error (tests/fixtures/endometrial.md).
PUBLISHED = {
    "const": (3.77456, 1.48869),
    "NV": (2.92927, 1.55076),
    "PI": (-0.03475, 0.03958),
    "EH": (-2.60416, 0.77602),
}


@pytest.fixture(scope="module")
def endometrial():
    path = FIXTURES / "endometrial.csv"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == "82e05a85e35b53398e694b6e11bc608a6c77443a491cb8fcc1e9462ae2a16389"  # as in endometrial.md
    data = pd.read_csv(path)
    assert len(data) == 79 and list(data.columns) == ["NV", "PI", "EH", "HG"]
    return data


def _endometrial_fit(data):
    from analysis.firth import firth_logit

    design = np.column_stack([np.ones(len(data)), data["NV"], data["PI"], data["EH"]])
    return firth_logit(design, data["HG"])


def test_the_data_are_quasi_separated_in_nv(endometrial):
    assert endometrial.loc[endometrial["NV"] == 1, "HG"].eq(1).all()  # why plain ML has no finite NV estimate


def test_firth_matches_the_published_estimates_to_three_decimals(endometrial):
    fit = _endometrial_fit(endometrial)
    assert fit.converged
    for k, (estimate, std_err) in enumerate(PUBLISHED.values()):
        assert round(fit.params[k], 3) == round(estimate, 3)
        assert round(fit.bse[k], 3) == round(std_err, 3)


def test_the_profile_interval_is_where_the_penalized_likelihood_drops_by_the_chi2_quantile(endometrial):
    from scipy import stats

    from analysis.firth import _profile, profile_interval

    fit = _endometrial_fit(endometrial)
    low, high = profile_interval(fit, 1)  # NV: finite on both sides, asymmetric, unlike the Wald interval
    assert 0 < low < fit.params[1] < high < 20
    assert high - fit.params[1] > fit.params[1] - low
    for bound in (low, high):
        assert _profile(fit, 1, bound)[0] == pytest.approx(stats.chi2.ppf(0.95, 1), abs=1e-3)


def test_the_cluster_sandwich_agrees_with_statsmodels_where_firth_and_ml_coincide():
    import statsmodels.api as sm

    from analysis.firth import cluster_cov, firth_logit

    rng = np.random.default_rng(11)
    n = 6000
    groups = rng.integers(0, 150, n)
    x = rng.normal(size=n) + rng.normal(size=150)[groups]
    y = (rng.random(n) < 1 / (1 + np.exp(-(-1 + 0.8 * x)))).astype(float)
    design = np.column_stack([np.ones(n), x])
    fit = firth_logit(design, y)
    ours = np.sqrt(np.diag(cluster_cov(fit, groups)))
    theirs = sm.Logit(y, design).fit(disp=False, cov_type="cluster", cov_kwds={"groups": groups}).bse
    assert ours == pytest.approx(theirs, rel=0.01)
    assert not np.allclose(ours, fit.bse, rtol=0.05)  # clustering matters here: the groups share a shock


def test_the_estimator_refuses_bad_input_in_one_line():
    from analysis.firth import firth_logit

    with pytest.raises(ValueError, match="must be 0 or 1"):
        firth_logit(np.ones((3, 1)), [0, 2, 1])
    with pytest.raises(ValueError, match="must match"):
        firth_logit(np.ones((3, 1)), [0, 1])


# ---- the exit model: event kinds, decisions, clusters, robustness ---------------------------------------------------


def test_each_event_has_its_kind_and_decision_and_a_kind_left_out_stays_at_risk(rows):
    events = rows[rows["event"] == 1]
    assert set(events["exit_kind"]) == set(models.EVENT_KINDS) and (events["decision"] >= 0).all()
    prk = events[(events["state"] == "PRK") & (events["period"].dt.year == 1993)]
    assert prk["exit_kind"].tolist() == ["notice never in effect"]
    only = models.risk_set(kinds=("withdrawal",))
    assert len(only) == len(rows)  # the same rows at risk
    assert set(only.loc[only["event"] == 1, "exit_kind"]) == {"withdrawal"}
    assert only["event"].sum() == (events["exit_kind"] == "withdrawal").sum()
    with pytest.raises(ValueError, match="event kinds must be some of"):
        models.risk_set(kinds=("defection",))


def test_a_joint_decision_is_one_cluster_even_across_two_years(rows):
    clusters = models.decision_clusters(rows)
    cfe = rows[(rows["treaty"] == "cfe") & (rows["event"] == 1) & rows["state"].isin(["CAN", "CZE", "DNK", "USA"])]
    assert cfe["period"].dt.year.nunique() == 2  # Canada's suspension took effect in 2024
    assert set(clusters[cfe.index]) == {"cfe-2023"}


def test_the_default_fit_is_firth_with_clustered_intervals(rows, fitted):
    fit = fitted
    assert fit.method == "firth" and fit.converged
    assert fit.events == rows["event"].sum() and fit.decisions < fit.events
    assert fit.events_per_parameter == pytest.approx(fit.events / (len(fit.table) - 1))
    table = models.clustered_table(fit, rows)
    assert table["clusters_by_state"].iloc[0] == rows["state"].nunique()
    assert table["clusters_by_decision"].iloc[0] == models.decision_clusters(rows).nunique()
    assert np.isfinite(table.to_numpy()).all()
    assert (table["or_low_by_decision"] < table["odds_ratio"]).all()
    ml = models.fit_hazard(rows, method="ml")
    assert ml.method == "ml" and list(ml.table.index) == list(fit.table.index)
    with pytest.raises(ValueError, match="method must be"):
        models.fit_hazard(rows, method="bayes")


def test_the_robustness_table_has_each_specification_and_its_counts():
    from analysis.robustness import robustness_table

    table = robustness_table().set_index("specification")
    base = table.iloc[0]
    assert base["events"] == models.risk_set()["event"].sum() and base["events_per_term"] == base["events"] / 5
    assert table.loc["withdrawals only", "events"] < base["events"]
    rows = models.risk_set()
    wave = int(((rows["treaty"] == "apmbc") & (rows["event"] == 1)).sum())  # the 2025 APMBC exits (6 with Ukraine's)
    assert table.filter(like="without the APMBC wave", axis=0)["events"].iloc[0] == base["events"] - wave
    assert {"a dummy per treaty with an exit", "complementary log-log (maximum likelihood)"} <= set(table.index)
    assert (table["ci_low"] <= table["peers_ratio"]).all() and (table["peers_ratio"] <= table["ci_high"]).all()


def test_kaplan_meier_summary_reads_the_curve_with_its_interval():
    durations = survival.time_to_exit()
    curves = survival.kaplan_meier(durations)
    summary = survival.km_summary(curves, durations).set_index("category")
    assert summary["exits"].sum() == durations["event"].sum()
    assert summary["still_in_after_10_years"].str.fullmatch(r"\d\.\d{3} \(\d\.\d{3}–\d\.\d{3}\)|not observed").all()


def test_the_early_reading_keeps_every_exit_and_a_bad_reading_is_refused(rows):
    early = models.risk_set(reading="early")
    late_exits = set(map(tuple, rows.loc[rows["event"] == 1, ["state", "treaty"]].values))
    early_exits = set(map(tuple, early.loc[early["event"] == 1, ["state", "treaty"]].values))
    # every exit of the late reading is an exit in the early one; the early reading adds only the exits whose day
    # the record leaves open (Poland's CFE suspension, not before 29 Mar 2024)
    assert late_exits <= early_exits and early_exits - late_exits == {("POL", "cfe")}
    assert (early.loc[early["event"] == 1, "exit_kind"] != "").all()
    with pytest.raises(ValueError, match="reading"):
        models.risk_set(reading="middle")


# ---- the withdrawal clause as covariates (issue 21) ------------------------------------------------------------------


def test_the_clause_features_enter_the_design_instead_of_treaty_effects_and_the_fit_runs(rows):
    """Each row carries its treaty's clause flags; ``by="clause"`` puts them in the design with no treaty or
    category dummy (they would be collinear with a dummy per treaty), leaves out the rows whose flags were not
    read, and fits; the clustered intervals follow the rows kept."""
    first = rows.groupby("treaty")[list(models.CLAUSE_COVARIATES)].first()
    assert first.loc["ccm"].tolist() == [1.0, 1.0] and first.loc["npt"].tolist() == [1.0, 0.0]
    assert first.loc["open_skies"].tolist() == [0.0, 0.0]
    read = rows.dropna(subset=list(models.CLAUSE_COVARIATES))
    design, reference, pooled = models._design(read, by="clause")
    assert (reference, pooled) == ("", [])
    assert list(design.columns) == ["const", *models.COVARIATES, *models.CLAUSE_COVARIATES]
    assert np.linalg.matrix_rank(design.to_numpy()) == design.shape[1]  # identified without treaty effects
    # with a dummy for every treaty (fixed effects) the flags are linear in the dummies: why they come instead
    effects = pd.get_dummies(read["treaty"], dtype=float)
    treaty_effects = pd.concat([effects, read[list(models.CLAUSE_COVARIATES)]], axis=1).to_numpy()
    assert np.linalg.matrix_rank(treaty_effects) == effects.shape[1] < treaty_effects.shape[1]
    fit = models.fit_hazard(rows, by="clause", profile=False)
    assert fit.converged and set(models.CLAUSE_COVARIATES) <= set(fit.table.index)
    assert np.isfinite(fit.table[["coef", "ci_low", "ci_high"]].to_numpy()).all()
    assert fit.left_out == sorted(set(rows["treaty"]) - set(read["treaty"])) and fit.rows == len(read)
    assert fit.events == read["event"].sum() and (fit.reference, fit.pooled) == ("", [])
    clustered = models.clustered_table(fit, rows)
    assert clustered["clusters_by_state"].iloc[0] == read["state"].nunique()
    assert "Left out, their clause not read" in findings.caveat(fit)


def test_a_wrong_effects_choice_or_a_risk_set_without_the_clause_is_refused_in_one_line(rows):
    with pytest.raises(ValueError, match="by must be one of category, treaty, clause, not 'country'"):
        models.fit_hazard(rows, by="country")
    with pytest.raises(ValueError, match="missing: reasons_required"):
        models.fit_hazard(rows.drop(columns=["reasons_required"]), by="clause")
