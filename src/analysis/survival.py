"""How long states stay: time from consent to exit, Kaplan–Meier curves with Greenwood intervals.

Why a module of its own: the survival view reads the status spells, not the yearly risk set of ``analysis.models``,
and it is the page's descriptive check on the model. A curve's interval is Greenwood's variance on the log(−log)
scale (it stays inside 0–1); statsmodels is imported inside the functions so that ``import analysis`` stays light.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .dataset import Dataset, load
from .panels import spells
from .schema import DEPOSITED, EXIT_STATUSES

__all__ = ["time_to_exit", "kaplan_meier", "km_figure", "km_summary"]


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
        ax.fill_between(curve["years"], curve["ci_low"], curve["ci_high"], step="post", color="grey", alpha=0.15, lw=0)
    ax.set_xlabel("years since consent")
    ax.set_ylabel("share not (yet) left")
    ax.set_ylim(min(0.9, curves["ci_low"].min() - 0.02), 1.005)
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    ax.set_title("Kaplan–Meier: time from consent to exit, by treaty category (shaded: 95% interval, Greenwood)")
    fig.tight_layout()
    return fig


def km_summary(curves: pd.DataFrame, durations: pd.DataFrame, at=(10, 20, 30), by: str = "category") -> pd.DataFrame:
    """Per group: pairs, exits, and the share not (yet) left after ``at`` years with its 95% interval, as text."""
    rows = []
    for group, curve in curves.groupby(by):
        pairs = durations[durations[by] == group]
        row = {by: group, "pairs": len(pairs), "exits": int(pairs["event"].sum())}
        for years in at:
            last = curve[curve["years"] <= years].iloc[-1]
            seen = pairs["years"].max() >= years
            row[f"still_in_after_{years}_years"] = (
                f"{last['survival']:.3f} ({last['ci_low']:.3f}–{last['ci_high']:.3f})" if seen else "not observed"
            )
        rows.append(row)
    return pd.DataFrame(rows)
