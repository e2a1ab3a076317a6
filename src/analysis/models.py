"""Who leaves, and when: a discrete-time event-history logit of exits, and Kaplan–Meier curves of time to exit.

Both read the event-history panel and the status spells of ``analysis.panels`` (one home for the panel); this
module only chooses the risk set, derives the covariates and fits. statsmodels is imported inside the functions
so that ``import analysis`` stays light.

The risk set is every state × treaty × year in which the state was bound by the treaty at the year's start and
not already leaving it (no notice or suspension standing), in a treaty that has a withdrawal clause with a notice
period. The event is an exit: a withdrawal notice or a suspension deposited that year. There are few such events
in arms control (tens, against tens of thousands of state-years), so every estimate here is fragile; the
notebook says so in words, with the number of events of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .dataset import Dataset, load
from .panels import PEER_GROUPS, event_panel, spells
from .schema import DEPOSITED, EXIT_STATUSES

__all__ = ["HazardFit", "risk_set", "fit_hazard", "time_to_exit", "kaplan_meier", "km_figure", "coef_figure"]

#: Days in a month, to put notice periods given in days (CFE: 150 days) on the same scale as months.
DAYS_PER_MONTH = 365.25 / 12
#: The covariates of the logit besides the treaty-category dummies, in the order the table shows them.
COVARIATES = ("years_since_consent", "peers_left_prev", "notice_months")
COVARIATE_DOC = {
    "years_since_consent": "years since the state's first consent to the treaty",
    "peers_left_prev": "largest share of the state's peers (sub-region, NATO, EU) that left in the previous year",
    "notice_months": "the treaty's notice period, in months",
}


def _notice_months(ds: Dataset) -> pd.Series:
    """Each treaty's notice period in months (days converted); NaN where the treaty has no withdrawal clause."""
    t = ds.treaties
    months = t["notice_months"].astype("Float64")
    days = t["notice_days"].astype("Float64") / DAYS_PER_MONTH
    return months.fillna(days).astype("float64")


def _peers_left_previous(panel: pd.DataFrame) -> pd.Series:
    """The share of peers that left during the previous period, the largest over the peer groups (0 if none).

    The panel gives each group's share that had left *by the start* of a period; the change from one period to
    the next is the share that left during the period before.
    """
    shares = []
    for group in PEER_GROUPS:
        column = panel[f"peers_left_{group.lower()}"]
        before = column.groupby([panel["state"], panel["treaty"]], observed=True).shift(1)
        shares.append((column - before).clip(lower=0))
    return pd.concat(shares, axis=1).max(axis=1).fillna(0.0)


def risk_set(since=None, ds: Dataset | None = None, panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """The state × treaty × year rows at risk of an exit, with the event (0/1) and the model's covariates.

    ``since`` keeps the years from that day on (the covariates are computed on the whole panel first, so a
    lagged share is never cut off). ``panel``: an ``event_panel(freq="Y")`` already built (else it is built).
    """
    ds = ds or load()
    panel = panel if panel is not None else event_panel(freq="Y", ds=ds)
    panel = panel.sort_values(["state", "treaty", "period"]).reset_index(drop=True)
    panel["peers_left_prev"] = _peers_left_previous(panel)
    status_at_start = panel.groupby(["state", "treaty"], observed=True)["status"].shift(1).astype("str")
    leaving = status_at_start.isin(EXIT_STATUSES)
    notice = panel["treaty"].astype("str").map(_notice_months(ds))
    keep = (panel["at_risk"] == 1) & ~leaving & notice.notna()
    if since is not None:
        keep &= panel["period"] >= pd.Timestamp(since)
    out = panel.loc[keep, ["state", "treaty", "period", "years_since_consent", "peers_left_prev"]].copy()
    out["event"] = (panel.loc[keep, "exit"] > 0).astype(int)
    out["notice_months"] = notice[keep]
    out["category"] = out["treaty"].astype("str").map(ds.treaties["category"])
    out["years_since_consent"] = out["years_since_consent"].fillna(0.0)
    return out.reset_index(drop=True)


@dataclass
class HazardFit:
    """A fitted exit logit: the coefficient table (odds ratios with 95% intervals) and what it was fitted on."""

    table: pd.DataFrame
    events: int
    rows: int
    pairs: int
    states_with_events: int
    reference: str
    pooled: list[str] = field(default_factory=list)
    converged: bool = True
    pseudo_r2: float = float("nan")
    clusters: list[str] = field(default_factory=list)


def _design(rows: pd.DataFrame) -> tuple[pd.DataFrame, str, list[str]]:
    """Covariates plus one dummy per treaty category that had an exit; the others are pooled in the reference.

    A category without a single exit would have no finite coefficient (perfect separation), so it joins the
    reference group, the category with the most state-years among those with exits; the fit names both.
    """
    with_events = rows.groupby("category")["event"].sum()
    have = sorted(with_events[with_events > 0].index)
    pooled = sorted(set(with_events.index) - set(have))
    reference = rows[rows["category"].isin(have)]["category"].value_counts().idxmax() if have else ""
    design = rows[list(COVARIATES)].astype(float).copy()
    for category in have:
        if category != reference:
            design[f"category: {category}"] = (rows["category"] == category).astype(float)
    design.insert(0, "const", 1.0)
    return design, reference, pooled


def fit_hazard(rows: pd.DataFrame) -> HazardFit:
    """Fit the discrete-time logit of an exit in a year on the risk set of ``risk_set()``."""
    import statsmodels.api as sm

    if rows["event"].sum() == 0:
        raise ValueError("no exit in the risk set: there is nothing to model (widen `since` or the treaty set)")
    design, reference, pooled = _design(rows)
    result = sm.Logit(rows["event"].astype(float), design).fit(disp=False, maxiter=200)
    interval = result.conf_int(alpha=0.05)
    table = pd.DataFrame(
        {
            "coef": result.params,
            "std_err": result.bse,
            "ci_low": interval[0],
            "ci_high": interval[1],
            "odds_ratio": np.exp(result.params),
            "or_low": np.exp(interval[0]),
            "or_high": np.exp(interval[1]),
            "p_value": result.pvalues,
        }
    )
    table.index.name = "term"
    return HazardFit(
        table=table,
        events=int(rows["event"].sum()),
        rows=len(rows),
        pairs=rows[["state", "treaty"]].drop_duplicates().shape[0],
        states_with_events=rows.loc[rows["event"] == 1, "state"].nunique(),
        reference=reference,
        pooled=pooled,
        converged=bool(result.mle_retvals.get("converged", True)),
        pseudo_r2=float(result.prsquared),
        clusters=_clusters(rows),
    )


def _clusters(rows: pd.DataFrame) -> list[str]:
    """The treaty-years with more than one exit, largest first ("5 from APMBC in 2025")."""
    events = rows[rows["event"] == 1]
    sizes = events.groupby([events["treaty"].astype("str"), events["period"].dt.year]).size()
    sizes = sizes[sizes > 1].sort_values(ascending=False, kind="stable")
    return [f"{count} from {treaty.upper()} in {year}" for (treaty, year), count in sizes.items()]


def _first_after(spell_rows: pd.DataFrame, mask: pd.Series, after: pd.Series) -> pd.Series:
    """Per pair, the start of the first spell matching ``mask`` that begins after the pair's day ``after``."""
    later = spell_rows[mask & (spell_rows["start_day"] > spell_rows["pair"].map(after))]
    return later.groupby("pair")["start_day"].min()


def time_to_exit(ds: Dataset | None = None) -> pd.DataFrame:
    """One row per state × treaty that ever deposited its consent: years from consent to its first exit.

    ``event`` is 1 where an exit (notice or suspension) followed; else the time runs to the day the state
    stopped being bound for another reason (the treaty ended, the state ceased to exist) or to the dataset's
    status date, and the row is right-censored.
    """
    ds = ds or load()
    table = spells(ds)
    table["pair"] = table["state"].astype("str") + "|" + table["treaty"].astype("str")
    status = table["status"].astype("str")
    consented = table[status.isin(DEPOSITED) & ~status.isin(EXIT_STATUSES)].groupby("pair")["start_day"].min()
    table = table[table["pair"].isin(consented.index)]
    status = table["status"].astype("str")
    exited = _first_after(table, status.isin(EXIT_STATUSES), consented)
    ended = _first_after(table, ~status.isin(DEPOSITED), consented)
    out = pd.DataFrame({"consent": consented})
    out["exit"] = exited.reindex(out.index)
    out["censor"] = ended.reindex(out.index).fillna(pd.Timestamp(ds.status_date))
    out["event"] = out["exit"].notna() & (out["exit"] <= out["censor"])
    stop = out["exit"].where(out["event"], out["censor"])
    out["years"] = (stop - out["consent"]).dt.days / 365.25
    out[["state", "treaty"]] = out.index.to_series().str.split("|", expand=True).to_numpy()
    out["category"] = out["treaty"].map(ds.treaties["category"])
    out["event"] = out["event"].astype(int)
    return out.reset_index(drop=True)[["state", "treaty", "category", "consent", "exit", "years", "event"]]


def _loglog_interval(survival: np.ndarray, se: np.ndarray, z: float = 1.959964) -> tuple[np.ndarray, np.ndarray]:
    """The 95% interval of a survival curve on the log(-log) scale (it stays inside 0–1, unlike the plain one)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        log_log = np.log(-np.log(survival))
        spread = z * se / np.abs(survival * np.log(survival))
        low, high = np.exp(-np.exp(log_log + spread)), np.exp(-np.exp(log_log - spread))
    one = survival >= 1.0
    return np.where(one, 1.0, low), np.where(one, 1.0, high)


def kaplan_meier(durations: pd.DataFrame, by: str = "category") -> pd.DataFrame:
    """Kaplan–Meier estimate of staying in (no exit) by group: the survival curve with its 95% interval."""
    from statsmodels.duration.survfunc import SurvfuncRight

    frames = []
    for group, rows in durations.groupby(by):
        fit = SurvfuncRight(rows["years"].clip(lower=0).to_numpy(), rows["event"].to_numpy())
        low, high = _loglog_interval(fit.surv_prob, fit.surv_prob_se)
        start = pd.DataFrame({by: [group], "years": [0.0], "survival": [1.0], "ci_low": [1.0], "ci_high": [1.0]})
        curve = pd.DataFrame(
            {by: group, "years": fit.surv_times, "survival": fit.surv_prob, "ci_low": low, "ci_high": high}
        )
        curve["at_risk"] = fit.n_risk
        curve["events"] = fit.n_events
        frames += [start, curve]
    return pd.concat(frames, ignore_index=True)


def km_figure(curves: pd.DataFrame, durations: pd.DataFrame, by: str = "category"):
    """Step curves of the share still in, per group, with the number of pairs and exits in the legend."""

    fig, ax = plt.subplots(figsize=(9, 4.5))
    for (group, curve), style in zip(curves.groupby(by), ("-", "--", "-.", ":", (0, (5, 1)), (0, (1, 3)))):
        rows = durations[durations[by] == group]
        label = f"{group} ({len(rows)} consents, {int(rows['event'].sum())} exits)"
        ax.step(curve["years"], curve["survival"], where="post", ls=style, color="black", label=label)
    ax.set_xlabel("years since consent")
    ax.set_ylabel("share not (yet) left")
    ax.set_ylim(min(0.9, curves["survival"].min() - 0.02), 1.005)
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    ax.set_title("Kaplan–Meier: time from consent to exit, by treaty category")
    fig.tight_layout()
    return fig


def coef_figure(fit: HazardFit):
    """Odds ratios with their 95% intervals on a log scale (the constant left out)."""

    table = fit.table.drop(index="const", errors="ignore")
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(table) + 1.2))
    y = np.arange(len(table))[::-1]
    ax.hlines(y, table["or_low"], table["or_high"], color="black")
    ax.plot(table["odds_ratio"], y, "o", color="black")
    ax.axvline(1, color="grey", ls=":")
    ax.set_xscale("log")
    ax.set_yticks(y, table.index)
    ax.set_xlabel("odds ratio of an exit in a year (95% interval)")
    fig.tight_layout()
    return fig


def caveat(fit: HazardFit) -> str:
    """How far the fit can be trusted, in plain words, with the counts of this run."""
    per_term = fit.events / max(len(fit.table) - 1, 1)
    together = (
        f" Exits also come in decisions taken together ({'; '.join(fit.clusters)}), so the rows are not "
        "independent and the intervals are too narrow."
        if fit.clusters
        else ""
    )
    pooled = (
        f" Categories without a single exit ({', '.join(fit.pooled)}) are pooled with {fit.reference}."
        if fit.pooled
        else ""
    )
    return (
        f"Only {fit.events} exits in {fit.rows:,} state-years at risk ({fit.pairs:,} state–treaty pairs), by "
        f"{fit.states_with_events} states: about {per_term:.1f} events per estimated term, where ten or more is the "
        f"usual rule of thumb.{together} Read the "
        f"odds ratios as a description of this record, not as effects that would hold elsewhere.{pooled}"
    )
