"""The research pages' tables, for people: labelled in words, rounded, intervals as "low–high", no index column.

Why: the exit-hazard and contagion pages are read by people who do not read pandas; their tables must look like
the report pages' (``present.table`` shows them, with a "download CSV" link holding the rows shown). Each function
here turns one result of ``models``, ``robustness``, ``survival`` or ``contagion`` into such a frame; the
numbers are formatted here, once, so that the page, its CSV and the replication package say the same thing.
"""

from __future__ import annotations

import math

import pandas as pd

from .contagion import GROUPING_DOC, ContagionTest
from .dataset import Dataset, load
from .models import COVARIATE_DOC, HazardFit, clustered_table

__all__ = [
    "ratio", "interval", "coefficients", "robustness", "model_exits", "contagion_grid", "contagion_pairs",
    "contagion_decisions", "by_reading", "caveat",
]  # fmt: skip


def ratio(value: float) -> str:
    """An odds or hazard ratio in a form a reader takes in: 128, 1.04, 0.000024; "∞" when unbounded."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if math.isinf(value):
        return "∞"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if value >= 0.01 else f"{value:.2g}"


def interval(low: float, high: float) -> str:
    return f"{ratio(low)}–{ratio(high)}"


def p_text(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _term(term: str, reference: str) -> str:
    if term == "const":
        return "constant (baseline odds)"
    if term.startswith(("category: ", "treaty: ")):
        kind, level = term.split(": ", 1)
        shown = str.upper if kind == "treaty" else str
        return f"{kind}: {shown(level)} (against {shown(reference)})"
    return COVARIATE_DOC.get(term, term)


def coefficients(fit: HazardFit, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per term: odds ratio, its 95% interval (profile), and clustered by decision and by state."""
    table = fit.table
    out = pd.DataFrame(
        {"Term": [_term(t, fit.reference) for t in table.index], "Odds ratio": table["odds_ratio"].map(ratio)}
    )
    what = "profile likelihood" if fit.method == "firth" else "Wald"
    out[f"95% interval ({what})"] = [interval(lo, hi) for lo, hi in zip(table["or_low"], table["or_high"])]
    if rows is not None and fit.fit is not None:
        clustered = clustered_table(fit, rows)
        for by in ("decision", "state"):
            count = int(clustered[f"clusters_by_{by}"].iloc[0])
            low, high = clustered[f"or_low_by_{by}"], clustered[f"or_high_by_{by}"]
            out[f"95% interval, clustered by {by} ({count:,} clusters)"] = [interval(a, b) for a, b in zip(low, high)]
    out["p-value"] = table["p_value"].map(p_text).to_numpy()
    return out.reset_index(drop=True)


def robustness(table: pd.DataFrame) -> pd.DataFrame:
    """The robustness table of ``robustness.robustness_table`` as shown."""
    return pd.DataFrame(
        {
            "Specification": table["specification"],
            "Exits": table["events"],
            "Decisions": table["decisions"],
            "State-years": table["state_years"].map("{:,}".format),
            "Events per term": table["events_per_term"].map("{:.1f}".format),
            "Peers' ratio": table["peers_ratio"].map(ratio),
            "95% interval": [interval(a, b) for a, b in zip(table["ci_low"], table["ci_high"])],
            "95% interval, clustered by decision": [
                interval(a, b) for a, b in zip(table["ci_low_by_decision"], table["ci_high_by_decision"])
            ],
        }
    )


def model_exits(rows: pd.DataFrame, ds: Dataset | None = None) -> pd.DataFrame:
    """The exits the model counts: one row per event with its state, treaty, year, kind, decision, covariates."""
    ds = ds or load()
    events = rows[rows["event"] == 1]
    return pd.DataFrame(
        {
            "State": events["state"].map(ds.states["name"]).fillna(events["state"]),
            "Treaty": events["treaty"].map(ds.treaties["short_name"]).fillna(events["treaty"]),
            "Year": events["period"].dt.year,
            "Kind": events["exit_kind"],
            "Decision": events["decision"] + 1,
            "Years since consent": events["years_since_consent"].map("{:.1f}".format),
            "Peers that left the year before": events["peers_left_prev"].map("{:.0%}".format),
        }
    ).sort_values(["Year", "Treaty", "State"], ignore_index=True)


def contagion_grid(grid: pd.DataFrame) -> pd.DataFrame:
    """The grid of windows × groupings with raw and Holm-adjusted p-values."""
    out = pd.DataFrame(
        {
            "Window (days)": grid["window_days"],
            "Same group": grid["grouping"].map(GROUPING_DOC),
            "Observed pairs": grid["observed_pairs"],
            "Expected pairs": grid["expected_pairs"].map("{:.1f}".format),
            "p-value": grid["p_value"].map(p_text),
            "p-value, Holm (across the grid)": grid["p_holm"].map(p_text),
        }
    )
    if "reading" in grid.columns:
        out.insert(0, "Reading", grid["reading"])
    return out


def contagion_pairs(test: ContagionTest) -> pd.DataFrame:
    """The decision pairs the statistic counted, and the decisions tested, each in words."""
    pairs = test.pairs.rename(
        columns={
            "first": "First decision by",
            "first_notice": "First notice",
            "second": "Second decision by",
            "second_notice": "Its first notice",
            "days_apart": "Days apart",
        }
    )
    return pairs.assign(treaty=pairs["treaty"].str.upper()).rename(columns={"treaty": "Treaty"})


def contagion_decisions(test: ContagionTest) -> pd.DataFrame:
    table = test.decisions
    return pd.DataFrame(
        {
            "Decision": table["decision"] + 1,
            "Treaty": table["treaty"].str.upper(),
            "First notice": table["day"].dt.strftime("%Y-%m-%d"),
            "States": table["states"],
            "Number of states": table["size"],
        }
    )


def by_reading(fits: dict) -> pd.DataFrame:
    """One row per reading of the dates: the exits and the peers' odds ratio with its interval (Firth fits)."""
    rows = []
    for which, fit in fits.items():
        term = fit.table.loc["peers_left_prev"]
        rows.append(
            {
                "Reading of uncertain dates": which,
                "Exits": fit.events,
                "Decisions": fit.decisions,
                "Peers' odds ratio": ratio(term["odds_ratio"]),
                "95% interval": interval(term["or_low"], term["or_high"]),
            }
        )
    return pd.DataFrame(rows)


def caveat(fit: HazardFit) -> str:
    """How far the fit can be trusted, in plain words, with the counts of this run."""
    together = (
        f" Exits also come in decisions taken together ({'; '.join(fit.clusters)}): {fit.events} exits are "
        f"{fit.decisions} decisions, so the intervals clustered by decision and by state below are the ones to read."
        if fit.clusters
        else ""
    )
    pooled = (
        f" Categories without a single exit ({', '.join(fit.pooled)}) are pooled with {fit.reference}."
        if fit.pooled
        else ""
    )
    if fit.left_out:
        pooled += f" Left out, their clause not read: {', '.join(fit.left_out)}."
    method = (
        "Firth's penalized likelihood keeps every estimate finite and reduces the small-sample bias; it does not "
        "create information the record lacks."
        if fit.method == "firth"
        else "Plain maximum likelihood: with so few events its estimates are biased away from zero."
    )
    return (
        f"Only {fit.events} exits in {fit.rows:,} state-years at risk ({fit.pairs:,} state–treaty pairs), by "
        f"{fit.states_with_events} states: {fit.events_per_parameter:.1f} events per estimated term, where ten or "
        f"more is the usual rule of thumb. {method}{together} Read the odds ratios as a description of this record, "
        f"not as effects that would hold elsewhere.{pooled}"
    )
