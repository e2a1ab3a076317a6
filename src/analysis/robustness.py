"""Does the hazard model's answer survive other reasonable choices? One row per specification.

Why: with about twenty exits, one joint decision or one definition can carry a result. The table refits the
exit model (``analysis.models``) with: withdrawals only, and withdrawals and suspensions without the notice that
never took effect; each wave of exits (``analysis.exits.waves``) left out in turn; the other definitions of
"peers that left"; a dummy per treaty instead of per category, where an exit identifies one; the plain
maximum-likelihood logit; and a complementary log-log model, the discrete-time form of a proportional-hazards
(Cox) model, as a check on the link. Each row gives the events, the decisions they form, the events per
estimated term, and the peers' coefficient as a ratio with its model-based 95% interval and the interval
clustered by decision (Wald, from the Firth fit's sandwich; for the two maximum-likelihood checks, statsmodels'
own cluster-robust covariance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .dataset import Dataset, load
from .exits import waves
from .firth import cluster_cov
from .models import EVENT_KINDS, _design, decision_clusters, fit_hazard, risk_set
from .panels import event_panel

__all__ = ["robustness_table", "cloglog_check"]

_TERM = "peers_left_prev"
_Z = 1.959964


def cloglog_check(rows: pd.DataFrame, by: str = "category", link: str = "cloglog", clustered: bool = True):
    """The same design by maximum likelihood with a complementary log-log (or "logit") link, clustered by
    decision (statsmodels' cluster-robust covariance) or model-based."""
    import statsmodels.api as sm

    design, _, _ = _design(rows, by)
    links = {"cloglog": sm.families.links.CLogLog(), "logit": sm.families.links.Logit()}
    model = sm.GLM(rows["event"].astype(float), design, family=sm.families.Binomial(link=links[link]))
    if not clustered:
        return model.fit()
    return model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(decision_clusters(rows))[0]})


def _wave_rows(rows: pd.DataFrame, wave) -> pd.Series:
    """The risk-set rows of one wave's exits (its states, its treaty, the years from its first notice to its end)."""
    last = max(d for d in (wave.last_notice, wave.last_effect) if pd.notna(d))
    return (
        rows["state"].isin(wave.states)
        & (rows["treaty"] == wave.treaty)
        & rows["period"].dt.year.between(wave.first_notice.year, last.year)
        & (rows["event"] == 1)
    )


def _specifications(panel: pd.DataFrame, ds: Dataset):
    """(label, rows, fit options) for each specification, the rows built once per event and peer definition."""
    base = risk_set(ds=ds, panel=panel)
    yield "baseline: every exit kind, categories, Firth", base, {}
    yield "withdrawals only", risk_set(ds=ds, panel=panel, kinds=("withdrawal",)), {}
    yield (
        "withdrawals and suspensions (no notice that never took effect)",
        risk_set(ds=ds, panel=panel, kinds=EVENT_KINDS[:2]),
        {},
    )
    for wave in waves(kinds=("withdrawal", "suspension"), ds=ds).itertuples():
        label = f"without the {wave.treaty.upper()} wave of {wave.first_notice:%Y} ({', '.join(wave.states)})"
        yield label, base[~_wave_rows(base, wave)].reset_index(drop=True), {}
    for peers, words in (("subregion", "sub-region"), ("NATO", "NATO"), ("EU", "EU"), ("level", "by the year's start")):
        yield (
            f"peers: {words} only" if peers != "level" else f"peers: share left {words}",
            risk_set(ds=ds, panel=panel, peers=peers),
            {},
        )
    yield "a dummy per treaty with an exit", base, {"by": "treaty"}
    yield "plain logit (maximum likelihood)", base, {"method": "ml"}
    yield "complementary log-log (maximum likelihood)", base, {"cloglog": True}


def _row(label: str, rows: pd.DataFrame, options: dict) -> dict:
    by = options.get("by", "category")
    out = {"specification": label, "events": int(rows["event"].sum()), "state_years": len(rows)}
    out["decisions"] = rows.loc[rows["event"] == 1, "decision"].nunique()
    link = "cloglog" if options.get("cloglog") else "logit" if options.get("method") == "ml" else None
    if link:
        plain, robust = cloglog_check(rows, by, link, clustered=False), cloglog_check(rows, by, link)
        coef, terms = plain.params[_TERM], len(plain.params) - 1
        low, high = coef - _Z * plain.bse[_TERM], coef + _Z * plain.bse[_TERM]
        clustered = (coef - _Z * robust.bse[_TERM], coef + _Z * robust.bse[_TERM])
    else:
        fit = fit_hazard(rows, by=by, profile=False)
        coef, low, high = fit.table.loc[_TERM, ["coef", "ci_low", "ci_high"]]
        terms = len(fit.table) - 1
        position = list(fit.table.index).index(_TERM)
        se = np.sqrt(cluster_cov(fit.fit, decision_clusters(rows).to_numpy())[position, position])
        clustered = (coef - _Z * se, coef + _Z * se)
    out.update({"terms": terms, "events_per_term": out["events"] / terms, "peers_ratio": np.exp(coef)})
    out.update({"ci_low": np.exp(low), "ci_high": np.exp(high)})
    out.update({"ci_low_by_decision": np.exp(clustered[0]), "ci_high_by_decision": np.exp(clustered[1])})
    return out


def robustness_table(ds: Dataset | None = None, panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per specification: events, decisions, events per term, and the peers' ratio with its intervals."""
    ds = ds or load()
    panel = panel if panel is not None else event_panel(freq="Y", ds=ds)
    return pd.DataFrame([_row(label, rows, options) for label, rows, options in _specifications(panel, ds)])
