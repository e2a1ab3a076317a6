"""Do exits come in waves beyond chance? Observed clustering of exit notices against a permutation baseline.

The statistic counts the pairs of exits from the same treaty whose notices lie within ``window`` days of each
other and whose states share a group (sub-region, NATO, EU ...) on the day. The baseline keeps every exit's
treaty and day and hands it to a state drawn at random among those at risk that day (bound, not leaving; no
state drawn twice for one treaty), many times over. If exits spread between peers, the observed count stands
high in that distribution; the p-value is the share of permutations that reach it (counting the observed one).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .dataset import Dataset, load
from .exits import withdrawals
from .status import as_day, resolve_treaties, status_table

__all__ = ["GROUPINGS", "ContagionTest", "exit_notices", "contagion_test", "contagion_figure"]

#: How "the same group" is read: one or several memberships per state, compared by any overlap.
GROUPINGS = ("subregion", "region", "NATO", "EU", "alliance", "peers")
_GROUPING_DOC = {
    "subregion": "in the same UN M49 sub-region",
    "region": "in the same UN M49 region",
    "NATO": "both in NATO on the day",
    "EU": "both in the EU on the day",
    "alliance": "both in NATO or both in the EU on the day",
    "peers": "in the same sub-region, or both in NATO, or both in the EU on the day",
}


@dataclass
class ContagionTest:
    """The observed statistic, the permutation distribution, and the p-value, with what was tested."""

    observed: int
    permuted: np.ndarray
    p_value: float
    exits: pd.DataFrame
    window: int
    grouping: str

    pairs: pd.DataFrame | None = None

    @property
    def expected(self) -> float:
        return float(self.permuted.mean())

    @property
    def p_text(self) -> str:
        """The p-value as text; below 1/1000 it says so rather than printing zeros."""
        return "p < 0.001" if self.p_value < 0.001 else f"p = {self.p_value:.3f}"

    def sentence(self) -> str:
        """The result in one plain sentence."""
        return (
            f"{self.observed} pairs of exits from the same treaty within {self.window} days were by two states "
            f"{_GROUPING_DOC[self.grouping]}; random exits among the states at risk give {self.expected:.1f} "
            f"on average ({self.p_text}, {len(self.permuted)} permutations, {len(self.exits)} exits)."
        )


def exit_notices(treaties=None, since=None, kinds=("withdrawal", "suspension"), ds: Dataset | None = None):
    """The exit notices to test: one row per exit (state, treaty, day), from ``since`` on, in ``treaties``."""
    ds = ds or load()
    table = withdrawals(ds, on=ds.status_date)
    table = table[table["kind"].isin(kinds)]
    if treaties not in (None, "all"):
        wanted = resolve_treaties(treaties, ds)
        table = table[table["treaty"].isin(wanted)]
    if since is not None:
        table = table[table["notice_deposited"] >= as_day(since, "since")]
    # a suspension and a withdrawal of one pair on one day are one decision
    table = table.drop_duplicates(["state", "treaty", "notice_deposited"])
    return table[["state", "name", "treaty", "kind", "notice_deposited"]].sort_values("notice_deposited")


def _memberships(ds: Dataset, grouping: str, states: list[str], day: pd.Timestamp) -> np.ndarray:
    """One bit mask per state: the groups it belongs to on ``day`` under ``grouping`` (0: none)."""
    labels: dict[str, set[str]] = {state: set() for state in states}
    if grouping in ("subregion", "region", "peers"):
        column = "region" if grouping == "region" else "subregion"
        for state, value in ds.states[column].reindex(states).fillna("").items():
            if value:
                labels[state].add(value)
    if grouping in ("NATO", "EU", "alliance", "peers"):
        wanted = ("NATO", "EU") if grouping in ("alliance", "peers") else (grouping,)
        g = ds.groups
        on = g[g["group"].isin(wanted) & (g["joined"] <= day) & (g["left"].isna() | (g["left"] >= day))]
        for state, group in zip(on["iso3"], on["group"]):
            if state in labels:
                labels[state].add(group)
    return np.array([sum(1 << _bit(label) for label in labels[state]) for state in states], dtype=np.int64)


_BITS: dict[str, int] = {}


def _bit(label: str) -> int:
    """A stable bit per group label (fewer than 63 labels: sub-regions, regions, NATO, EU)."""
    return _BITS.setdefault(label, len(_BITS))


def _at_risk(ds: Dataset, exits: pd.DataFrame) -> list[list[str]]:
    """For each exit, the states bound by its treaty and not leaving it the day before the notice."""
    out = []
    for treaty, day in zip(exits["treaty"], exits["notice_deposited"]):
        table = status_table(day - pd.Timedelta(days=1), treaties=[treaty], ds=ds)
        out.append(sorted(table.loc[table["status"] == "party", "state"]))
    return out


def _close_pairs(exits: pd.DataFrame, window: int) -> np.ndarray:
    """Index pairs (i < j) of exits from the same treaty with notices at most ``window`` days apart."""
    days = exits["notice_deposited"].to_numpy().astype("datetime64[D]").astype(np.int64)
    treaty = exits["treaty"].to_numpy()
    i, j = np.triu_indices(len(exits), k=1)
    keep = (treaty[i] == treaty[j]) & (np.abs(days[i] - days[j]) <= window)
    return np.stack([i[keep], j[keep]], axis=1)


def _draw(candidates: list[np.ndarray], treaty: np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
    """For each permutation and exit, a candidate index; one treaty never gets the same state twice."""
    chosen = np.zeros((n, len(candidates)), dtype=np.int64)
    for k, options in enumerate(candidates):
        chosen[:, k] = options[rng.integers(0, len(options), n)]
        earlier = [m for m in range(k) if treaty[m] == treaty[k]]
        for _ in range(100):
            clash = np.zeros(n, dtype=bool)
            for m in earlier:
                clash |= chosen[:, m] == chosen[:, k]
            if not clash.any():
                break
            chosen[clash, k] = options[rng.integers(0, len(options), int(clash.sum()))]
    return chosen


def contagion_test(
    window: int = 365,
    grouping: str = "peers",
    treaties=None,
    since=None,
    n_permutations: int = 2000,
    seed: int = 1,
    ds: Dataset | None = None,
) -> ContagionTest:
    """Observed same-group pairs of exits within ``window`` days, against exits reassigned among states at risk."""
    ds = ds or load()
    if grouping not in GROUPINGS:
        raise ValueError(f"grouping must be one of {', '.join(GROUPINGS)}, not {grouping!r}")
    if int(window) < 0 or int(n_permutations) < 1:
        raise ValueError("window must be ≥ 0 days and n_permutations ≥ 1")
    exits = exit_notices(treaties, since, ds=ds).reset_index(drop=True)
    risk = _at_risk(ds, exits)
    # an exit by a state not bound the day before (none in the data so far) cannot be reassigned: left out
    inside = [state in pool for state, pool in zip(exits["state"], risk)]
    exits = exits[inside].reset_index(drop=True)
    risk = [pool for pool, keep in zip(risk, inside) if keep]
    if len(exits) < 2:
        raise ValueError(f"{len(exits)} exit(s) in this selection: at least two are needed to speak of a wave")
    everyone = sorted({state for pool in risk for state in pool})
    slot = {state: k for k, state in enumerate(everyone)}
    masks = np.stack([_memberships(ds, grouping, everyone, day) for day in exits["notice_deposited"]])
    pairs = _close_pairs(exits, int(window))

    def statistic(chosen: np.ndarray) -> np.ndarray:
        """Same-group close pairs per row of ``chosen`` (exits' states as slots)."""
        if len(pairs) == 0:
            return np.zeros(len(chosen), dtype=np.int64)
        left = masks[pairs[:, 0], chosen[:, pairs[:, 0]]]
        right = masks[pairs[:, 1], chosen[:, pairs[:, 1]]]
        return ((left & right) != 0).sum(axis=1)

    observed = int(statistic(np.array([[slot[s] for s in exits["state"]]]))[0])
    candidates = [np.array([slot[s] for s in pool]) for pool in risk]
    chosen = _draw(candidates, exits["treaty"].to_numpy(), np.random.default_rng(seed), int(n_permutations))
    permuted = statistic(chosen)
    p_value = (1 + int((permuted >= observed).sum())) / (1 + len(permuted))
    own = np.array([slot[s] for s in exits["state"]])
    same = (masks[pairs[:, 0], own[pairs[:, 0]]] & masks[pairs[:, 1], own[pairs[:, 1]]]) != 0 if len(pairs) else []
    return ContagionTest(observed, permuted, p_value, exits, int(window), grouping, _pair_table(exits, pairs, same))


def _pair_table(exits: pd.DataFrame, pairs: np.ndarray, same) -> pd.DataFrame:
    """The observed close pairs of exits that share a group: what the statistic counted."""
    rows = [
        {
            "treaty": exits.at[i, "treaty"],
            "first": exits.at[i, "name"],
            "first_notice": exits.at[i, "notice_deposited"].date(),
            "second": exits.at[j, "name"],
            "second_notice": exits.at[j, "notice_deposited"].date(),
            "days_apart": abs((exits.at[j, "notice_deposited"] - exits.at[i, "notice_deposited"]).days),
        }
        for (i, j), counted in zip(pairs, same)
        if counted
    ]
    columns = ["treaty", "first", "first_notice", "second", "second_notice", "days_apart"]
    return pd.DataFrame(rows, columns=columns)


def contagion_figure(test: ContagionTest):
    """The permutation distribution of the statistic as bars, and the observed count as a line."""

    fig, ax = plt.subplots(figsize=(8, 3.6))
    values, counts = np.unique(test.permuted, return_counts=True)
    ax.bar(values, counts / counts.sum(), width=0.8, color="#bfbfbf", edgecolor="black", label="random exits")
    ax.axvline(test.observed, color="black", lw=2, ls="--", label=f"observed: {test.observed}")
    ax.set_xlabel(f"same-group pairs of exits within {test.window} days ({test.grouping})")
    ax.set_ylabel("share of permutations")
    ax.set_title(test.p_text)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig
