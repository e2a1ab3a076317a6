"""Who leaves, and when: a discrete-time event-history logit of exits, bias-reduced (Firth) by default.

It reads the event-history panel of ``analysis.panels`` (one home for the panel); this module only chooses the
risk set, derives the covariates and fits. The risk set is every state × treaty × year in which the state was
bound by the treaty at the year's start and not already leaving it (no notice or suspension standing), in a
treaty that has a withdrawal clause with a notice period. The event is an exit that year, of the kinds chosen
(``EVENT_KINDS``: withdrawals, suspensions, withdrawal notices that never took effect); an exit of a kind left out
keeps its year in the risk set as a non-event and ends the pair's time at risk, as a competing exit would.

There are few events (tens, against tens of thousands of state-years) and categories close to separation, so the
default estimator is Firth's penalized likelihood (``analysis.firth``) with profile-likelihood intervals; the
plain maximum-likelihood logit (statsmodels) stays available as ``method="ml"``. Exits taken together are not
independent: ``clustered_table`` gives cluster-robust intervals by decision and by state.

The clause's features (``clauses.clause_features``: reasons required, armed-conflict deferral; the notice length is
in every fit) are constant within a treaty, so collinear with treaty dummies (nearly so with category dummies, a
handful of treaties each): ``by="clause"`` takes them *instead of* the treaty or category effects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .clauses import clause_features
from .dataset import Dataset, load
from .decisions import decisions
from .exits import withdrawals
from .firth import cluster_cov, firth_logit, profile_interval
from .panels import PEER_GROUPS, event_panel
from .schema import EXIT_STATUSES, parse_edtf

__all__ = ["EVENT_KINDS", "PEER_DEFINITIONS", "HazardFit", "risk_set", "fit_hazard", "clustered_table"]

#: Days in a month, to put notice periods given in days (CFE: 150 days) on the same scale as months.
DAYS_PER_MONTH = 365.25 / 12
#: The covariates of the logit besides the treaty-category dummies, in the order the table shows them.
COVARIATES = ("years_since_consent", "peers_left_prev", "notice_months")
COVARIATE_DOC = {
    "years_since_consent": "years since the state's first consent to the treaty",
    "peers_left_prev": "largest share of the state's peers (sub-region, NATO, EU) that left in the previous year",
    "notice_months": "the treaty's notice period, in months",
    "reasons_required": "the treaty's notice must state its reasons (or the extraordinary events)",
    "armed_conflict_deferral": "the treaty keeps a state at war bound until the conflict ends",
}
#: The clause's features besides the notice length, and what the logit's dummies are per (``by``; "clause": none).
CLAUSE_COVARIATES, EFFECTS = ("reasons_required", "armed_conflict_deferral"), ("category", "treaty", "clause")
#: The kinds of exit an event can be; a person chooses which count (all by default).
EVENT_KINDS = ("withdrawal", "suspension", "notice never in effect")
#: How "peers that left" is read: the largest share over the groups (any), one group, or the share by the year's
#: start instead of the share that left during the previous year (level).
PEER_DEFINITIONS = ("any", "subregion", "NATO", "EU", "level")


def _notice_months(ds: Dataset) -> pd.Series:
    """Each treaty's notice period in months (days converted); NaN where the treaty has no withdrawal clause."""
    t = ds.treaties
    months = t["notice_months"].astype("Float64")
    days = t["notice_days"].astype("Float64") / DAYS_PER_MONTH
    return months.fillna(days).astype("float64")


def _peers_left(panel: pd.DataFrame, peers: str = "any") -> pd.Series:
    """The share of peers that left during the previous period, the largest over the peer groups (0 if none).

    The panel gives each group's share that had left *by the start* of a period; the change from one period to
    the next is the share that left during the period before (``peers="level"`` keeps the share itself).
    """
    if peers not in PEER_DEFINITIONS:
        raise ValueError(f"peers must be one of {', '.join(PEER_DEFINITIONS)}, not {peers!r}")
    groups = PEER_GROUPS if peers in ("any", "level") else (peers,)
    shares = []
    for group in groups:
        column = panel[f"peers_left_{group.lower()}"]
        before = column.groupby([panel["state"], panel["treaty"]], observed=True).shift(1)
        shares.append(before if peers == "level" else (column - before).clip(lower=0))
    return pd.concat(shares, axis=1).max(axis=1).fillna(0.0)


def _years(days: pd.Series, edtf: pd.Series) -> list[set]:
    """Each exit's possible years of a day: the day's (late reading) and, for a day known less precisely, its
    first possible one's (early reading)."""
    out = []
    for day, text in zip(days, edtf):
        years = {day.year} if pd.notna(day) else set()
        first = parse_edtf(text).earliest if isinstance(text, str) and text else None
        out.append(years | ({first.year} if first else set()))
    return out


def _exit_keys(ds: Dataset) -> dict[tuple, tuple[str, int]]:
    """(state, treaty, year of notice or effect, in either reading) → (kind of exit, its decision number)."""
    table = withdrawals(ds, on=ds.status_date)
    table = table[table["kind"].isin(("withdrawal", "suspension"))].reset_index(drop=True)
    table["decision"] = decisions(table, ds)
    kind = table["kind"].where(~((table["kind"] == "withdrawal") & (table["status"] == "suspended")), EVENT_KINDS[2])
    keys: dict[tuple, tuple[str, int]] = {}
    for column, edtf in (("effective", "effective_edtf"), ("notice_deposited", "notice_edtf")):  # notices win
        texts = table[edtf] if edtf in table.columns else pd.Series("", index=table.index)
        for state, treaty, years, what, number in zip(
            table["state"], table["treaty"], _years(table[column], texts), kind, table["decision"]
        ):
            for year in years:
                keys[(state, treaty, year)] = (what, int(number))
    return keys


def risk_set(
    since=None, ds: Dataset | None = None, panel=None, kinds=EVENT_KINDS, peers: str = "any", reading: str = "late"
) -> pd.DataFrame:
    """The state × treaty × year rows at risk of an exit, with the event (0/1), its kind and decision, and the
    model's covariates. ``since`` keeps the years from that day on (the covariates are computed on the whole panel
    first, so a lagged share is never cut off); ``panel``: an ``event_panel(freq="Y")`` already built; ``reading``:
    "late" (every date known less precisely than a day at its last possible day) or "early" (at its first)."""
    ds = ds or load()
    unknown = sorted(set(kinds) - set(EVENT_KINDS))
    if unknown or not kinds:
        raise ValueError(f"event kinds must be some of {', '.join(EVENT_KINDS)}, not {unknown or 'none'}")
    panel = panel if panel is not None else event_panel(freq="Y", ds=ds, reading=reading)
    panel = panel.sort_values(["state", "treaty", "period"]).reset_index(drop=True)
    panel["peers_left_prev"] = _peers_left(panel, peers)
    status_at_start = panel.groupby(["state", "treaty"], observed=True)["status"].shift(1).astype("str")
    notice = panel["treaty"].astype("str").map(_notice_months(ds))
    keep = (panel["at_risk"] == 1) & ~status_at_start.isin(EXIT_STATUSES) & notice.notna()
    if since is not None:
        keep &= panel["period"] >= pd.Timestamp(since)
    out = panel.loc[keep, ["state", "treaty", "period", "years_since_consent", "peers_left_prev"]].copy()
    out["treaty"] = out["treaty"].astype("str")
    exited = (panel.loc[keep, "exit"] > 0).to_numpy()
    keys = _exit_keys(ds)
    found = [keys.get((s, t, p.year), ("", -1)) for s, t, p in zip(out["state"], out["treaty"], out["period"])]
    out["exit_kind"] = [kind if hit else "" for (kind, _), hit in zip(found, exited)]
    out["decision"] = [number if hit else -1 for (_, number), hit in zip(found, exited)]
    out["event"] = (exited & out["exit_kind"].isin(kinds)).astype(int)
    out["notice_months"] = notice[keep]
    out["category"] = out["treaty"].map(ds.treaties["category"])
    features = clause_features(ds)
    for name in CLAUSE_COVARIATES:  # 1/0, NaN where the flag was not read
        out[name] = out["treaty"].map(features[name].astype("Float64")).astype(float)
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
    method: str = "firth"
    decisions: int = 0
    fit: object = None  # the FirthFit, for clustered intervals
    left_out: list[str] = field(default_factory=list)  # treaties whose clause flags were not read (by="clause")
    kept: object = None  # the rows fitted, where some were left out

    @property
    def events_per_parameter(self) -> float:
        """Events per estimated term besides the constant (ten or more is the usual rule of thumb)."""
        return self.events / max(len(self.table) - 1, 1)


def _design(rows: pd.DataFrame, by: str = "category") -> tuple[pd.DataFrame, str, list[str]]:
    """Covariates plus one dummy per treaty category (or treaty, ``by="treaty"``) that had an exit, or, with
    ``by="clause"``, the clause's features and no dummy (they would be collinear with treaty dummies).

    With plain maximum likelihood a category without a single exit has no finite coefficient (separation), so it
    joins the reference group, the category with the most state-years among those with exits; the fit names both.
    Firth's estimate would be finite, but with no event it says nothing, so the rule is the same for both.
    """
    if by == "clause":
        design = rows[list(COVARIATES + CLAUSE_COVARIATES)].astype(float)
        design.insert(0, "const", 1.0)
        return design, "", []
    with_events = rows.groupby(by)["event"].sum()
    have = sorted(with_events[with_events > 0].index)
    pooled = sorted(set(with_events.index) - set(have))
    reference = rows[rows[by].isin(have)][by].value_counts().idxmax() if have else ""
    design = rows[list(COVARIATES)].astype(float).copy()
    for level in have:
        if level != reference:
            design[f"{by}: {level}"] = (rows[by] == level).astype(float)
    design.insert(0, "const", 1.0)
    return design, reference, pooled


def _estimate(design: pd.DataFrame, event: pd.Series, method: str, profile: bool):
    """Coefficients, standard errors, 95% intervals and p-values; the Firth fit (or None) for later use."""
    import statsmodels.api as sm
    from scipy import stats

    if method == "ml":
        result = sm.Logit(event.astype(float), design).fit(disp=False, maxiter=200)
        interval = result.conf_int(alpha=0.05).to_numpy()
        ok = bool(result.mle_retvals.get("converged", True))
        return result.params.to_numpy(), result.bse.to_numpy(), interval, result.pvalues.to_numpy(), ok, None
    fit = firth_logit(design.to_numpy(), event.to_numpy())
    interval = np.array([profile_interval(fit, j) for j in range(len(fit.params))]) if profile else fit.wald_interval()
    p_values = 2 * stats.norm.sf(np.abs(fit.params / fit.bse))
    return fit.params, fit.bse, interval, p_values, fit.converged, fit


def _with_clause_read(rows: pd.DataFrame, by: str) -> tuple[pd.DataFrame, list[str], object]:
    """The rows to fit: with ``by="clause"``, those whose treaty has its clause flags read; the treaties left out
    and the index of the rows kept (None when all are)."""
    if by not in EFFECTS:
        raise ValueError(f"by must be one of {', '.join(EFFECTS)}, not {by!r}")
    if by != "clause":
        return rows, [], None
    if missing := [c for c in CLAUSE_COVARIATES if c not in rows.columns]:
        raise ValueError(f"by='clause' needs the clause columns of risk_set(), missing: {', '.join(missing)}")
    unread = rows[list(CLAUSE_COVARIATES)].isna().any(axis=1)
    kept = rows.index[~unread] if unread.any() else None
    return rows[~unread], sorted(rows.loc[unread, "treaty"].unique()), kept


def fit_hazard(rows: pd.DataFrame, method: str = "firth", by: str = "category", profile: bool = True) -> HazardFit:
    """Fit the discrete-time logit of an exit in a year on the risk set of ``risk_set()``.

    ``method``: "firth" (penalized likelihood, profile intervals; the default) or "ml" (plain logit, Wald
    intervals). ``by``: dummies per treaty "category" or per "treaty" (treaty effects where an exit identifies one).
    ``by="clause"``: the clause's features (``CLAUSE_COVARIATES``) instead of those dummies, on the rows whose
    treaty has them read (the others are left out, and named in ``left_out``).
    ``profile=False``: Wald intervals for the Firth fit too (the profile costs a dozen refits per term).
    """
    if method not in ("firth", "ml"):
        raise ValueError(f"method must be 'firth' or 'ml', not {method!r}")
    rows, left_out, kept = _with_clause_read(rows, by)
    if rows["event"].sum() == 0:
        raise ValueError("no exit in the risk set: there is nothing to model (widen `since` or the treaty set)")
    design, reference, pooled = _design(rows, by)
    params, se, interval, p_values, converged, fit = _estimate(design, rows["event"], method, profile)
    table = pd.DataFrame(
        {"coef": params, "std_err": se, "ci_low": interval[:, 0], "ci_high": interval[:, 1]}, index=design.columns
    )
    table["odds_ratio"], table["or_low"], table["or_high"] = (
        np.exp(params),
        np.exp(interval[:, 0]),
        np.exp(interval[:, 1]),
    )
    table["p_value"] = p_values
    table.index.name = "term"
    events = rows[rows["event"] == 1]
    return HazardFit(
        table=table,
        events=len(events),
        rows=len(rows),
        pairs=rows[["state", "treaty"]].drop_duplicates().shape[0],
        states_with_events=events["state"].nunique(),
        reference=reference,
        pooled=pooled,
        converged=converged,
        clusters=_clusters(rows),
        method=method,
        decisions=events["decision"].nunique() if "decision" in rows.columns else len(events),
        fit=fit,
        left_out=left_out,
        kept=kept,
    )


def decision_clusters(rows: pd.DataFrame) -> pd.Series:
    """Each row's cluster "by decision": its treaty-year, with every row of one exit decision in the cluster of
    the decision's first treaty-year (Canada's CFE suspension of the 7 November 2023 decision took effect in 2024
    and joins the allies' 2023 cluster), so that a joint decision is never split between clusters."""
    label = rows["treaty"].astype(str) + "-" + rows["period"].dt.year.astype(str)
    if "decision" in rows.columns:
        mine = rows["decision"] >= 0
        first = label[mine].groupby(rows.loc[mine, "decision"]).transform("min")
        label = label.where(~mine, first)
    return label


def clustered_table(fit: HazardFit, rows: pd.DataFrame) -> pd.DataFrame:
    """Odds ratios with three 95% intervals: model-based (profile), clustered by decision, clustered by state."""
    if fit.fit is None:
        raise ValueError("clustered intervals are computed for the Firth fit (method='firth')")
    rows = rows.loc[fit.kept] if fit.kept is not None else rows
    out = fit.table[["odds_ratio", "or_low", "or_high"]].copy()
    for name, labels in (("decision", decision_clusters(rows)), ("state", rows["state"])):
        se = np.sqrt(np.diag(cluster_cov(fit.fit, labels.to_numpy())))
        coef = fit.table["coef"].to_numpy()
        out[f"or_low_by_{name}"] = np.exp(coef - 1.959964 * se)
        out[f"or_high_by_{name}"] = np.exp(coef + 1.959964 * se)
        out[f"clusters_by_{name}"] = labels.nunique()
    return out


def _clusters(rows: pd.DataFrame) -> list[str]:
    """The treaty-years with more than one exit, largest first ("5 from APMBC in 2025")."""
    events = rows[rows["event"] == 1]
    sizes = events.groupby([events["treaty"].astype("str"), events["period"].dt.year]).size()
    sizes = sizes[sizes > 1].sort_values(ascending=False, kind="stable")
    return [f"{count} from {treaty.upper()} in {year}" for (treaty, year), count in sizes.items()]


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
    what = "Firth, profile-likelihood" if fit.method == "firth" else "maximum likelihood, Wald"
    ax.set_xlabel(f"odds ratio of an exit in a year (95% interval, {what})")
    fig.tight_layout()
    return fig


def fit_readings(
    since=None, kinds: str = "withdrawal,suspension,notice never in effect", reading: str = "both", ds=None
) -> tuple[dict, dict]:
    """One risk set and one fit per reading of the uncertain dates (``reading``: "both", "late" or "early"), in
    the order of ``uncertainty.READINGS``: the research page shows the first in full and compares them all, so
    that a result that rests on where an uncertain date falls says so. ``kinds`` is the notebook's comma-separated
    parameter of which exits count as events."""
    from .uncertainty import READINGS

    ds = ds or load()
    chosen = tuple(k.strip() for k in kinds.split(",") if k.strip())
    which = list(READINGS) if reading == "both" else [reading]
    risk = {name: risk_set(since=since, ds=ds, kinds=chosen, reading=name) for name in which}
    return risk, {name: fit_hazard(rows) for name, rows in risk.items()}
