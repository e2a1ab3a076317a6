"""Do exits come in waves beyond chance? Observed clustering of exit decisions against a block permutation.

The unit is a decision (``analysis.decisions``: exits taken together count once). The statistic counts the pairs
of decisions to leave the same treaty whose first notices lie within ``window`` days of each other and that join
two *distinct* states sharing a group (sub-region, NATO, EU ...) on the day: a state is never its own peer, and
the states of one decision are never counted as a pair. The baseline is a block permutation: every decision keeps
its treaty, its day and its number of states, and is handed as a whole to as many distinct states drawn at random
among those at risk that day (bound the day before, no state drawn twice for one treaty), many times over, from a
seeded generator. If exits spread between peers, the observed count stands high in that distribution; the p-value
is the share of permutations that reach it, counting the observed one. ``contagion_grid`` runs several windows and
groupings and adds Holm's adjustment across the grid beside the raw p-values.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .dataset import Dataset, load
from .decisions import decisions
from .exits import withdrawals
from .schema import parse_edtf
from .status import as_day, resolve_treaties, status_table
from .uncertainty import READINGS

__all__ = ["GROUPINGS", "ContagionTest", "exit_notices", "contagion_test", "contagion_grid", "contagion_figure"]

#: How "the same group" is read: one or several memberships per state, compared by any overlap.
GROUPINGS = ("subregion", "region", "NATO", "EU", "alliance", "peers")
GROUPING_DOC = {
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
    decisions: pd.DataFrame | None = None

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
            f"{self.observed} pairs of decisions to leave the same treaty within {self.window} days joined two "
            f"distinct states {GROUPING_DOC[self.grouping]}; decisions moved as wholes among the states at risk "
            f"give {self.expected:.1f} on average ({self.p_text}, {len(self.permuted)} permutations, "
            f"{len(self.decisions)} decisions from {len(self.exits)} exits)."
        )


def _read_notice(table: pd.DataFrame, reading: str) -> pd.DataFrame:
    """Each notice's day in the reading: its first possible day (early); its last one, or left out when the sources
    give it no last day (late)."""
    parsed = [parse_edtf(t) if isinstance(t, str) and t else None for t in table["notice_edtf"]]
    if reading == "late":
        return table[[p is None or p.latest is not None for p in parsed]]
    first = pd.to_datetime(pd.Series([p.earliest if p else None for p in parsed], index=table.index))
    return table.assign(notice_deposited=first.fillna(table["notice_deposited"]))


def exit_notices(
    treaties=None, since=None, kinds=("withdrawal", "suspension"), ds: Dataset | None = None, reading="late"
):
    """The exit notices to test: one row per exit (state, treaty, day), from ``since`` on, in ``treaties``.

    ``reading``: a notice known less precisely than a day is placed at its last possible day ("late", as every
    table of the package places it) or at its first ("early"); who was at risk is read in the late reading. A
    notice with no last possible day ("not before 29 Mar 2024": Poland's CFE suspension) is not yet given in the
    late reading, as the status engine and the hazard model's panel read it, and given on its first day in the
    early one: the two analyses count the same exits in each reading.
    """
    ds = ds or load()
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, not {reading!r}")
    table = withdrawals(ds, on=ds.status_date)
    if "notice_edtf" in table.columns:
        table = _read_notice(table, reading)
    table = table[table["kind"].isin(kinds)]
    if treaties not in (None, "all"):
        wanted = resolve_treaties(treaties, ds)
        table = table[table["treaty"].isin(wanted)]
    if since is not None:
        table = table[table["notice_deposited"] >= as_day(since, "since")]
    table = table.drop_duplicates(["state", "treaty", "notice_deposited"])
    columns = ["state", "name", "treaty", "kind", "announced", "notice_deposited"]
    return table[columns].sort_values(["notice_deposited", "state"])


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


@dataclass
class _Setup:
    """What every cell of a grid shares: the exits, their decisions, who was at risk, and the states as slots."""

    exits: pd.DataFrame
    table: pd.DataFrame  # one row per decision: treaty, day, states (at risk), size
    members: np.ndarray  # decisions × largest size, slots of the states (-1: none)
    pools: list[np.ndarray]
    everyone: list[str]


def _prepare(treaties, since, ds: Dataset, reading: str = "late") -> _Setup:
    """Exits grouped into decisions; each decision keeps the states that were bound the day before its day."""
    exits = exit_notices(treaties, since, ds=ds, reading=reading).reset_index(drop=True)
    exits["decision"] = decisions(exits, ds)
    rows, pools = [], []
    for number, group in exits.groupby("decision", sort=True):
        day = group["notice_deposited"].min()
        table = status_table(day - pd.Timedelta(days=1), treaties=[group["treaty"].iloc[0]], ds=ds)
        pool = sorted(table.loc[table["status"] == "party", "state"])
        # a state not bound the day before (Russia's CFE withdrawal of 2023, suspended since 2007) is not at risk:
        # it cannot be moved, and it is left out of its decision (a decision left empty is left out)
        states = [s for s in dict.fromkeys(group["state"]) if s in pool]
        if states:
            rows.append({"decision": number, "treaty": group["treaty"].iloc[0], "day": day, "states": states})
            pools.append(pool)
    table = pd.DataFrame(rows, columns=["decision", "treaty", "day", "states"])
    if len(table) < 2:
        raise ValueError(f"{len(table)} exit decision(s) in this selection: at least two are needed for a wave")
    table["size"] = table["states"].map(len)
    exits = exits[exits["decision"].isin(table["decision"])].reset_index(drop=True)
    everyone = sorted({state for pool in pools for state in pool})
    slot = {state: k for k, state in enumerate(everyone)}
    members = np.full((len(table), int(table["size"].max())), -1, dtype=np.int64)
    for k, states in enumerate(table["states"]):
        members[k, : len(states)] = [slot[s] for s in states]
    return _Setup(exits, table, members, [np.array([slot[s] for s in p]) for p in pools], everyone)


def _draw(setup: _Setup, rng: np.random.Generator, n: int) -> np.ndarray:
    """Permutations × decisions × size: each decision handed whole to distinct states at risk, none twice a treaty."""
    chosen = np.full((n, *setup.members.shape), -1, dtype=np.int64)
    used = {treaty: np.zeros((n, len(setup.everyone)), dtype=bool) for treaty in set(setup.table["treaty"])}
    for k, (treaty, size) in enumerate(zip(setup.table["treaty"], setup.table["size"])):
        pool = setup.pools[k]
        keys = rng.random((n, len(pool)))
        keys[used[treaty][:, pool]] = 2.0  # taken by an earlier decision in this treaty: drawn last, never if avoidable
        picked = pool[np.argsort(keys, axis=1, kind="stable")[:, :size]]
        chosen[:, k, :size] = picked
        np.put_along_axis(used[treaty], picked, True, axis=1)
    return chosen


def _statistic(chosen: np.ndarray, masks: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Per permutation, the close decision pairs joining two distinct states that share a group."""
    total = np.zeros(len(chosen), dtype=np.int64)
    for i, j in pairs:
        left, right = chosen[:, i, :], chosen[:, j, :]
        share = (masks[i][left][:, :, None] & masks[j][right][:, None, :]) != 0  # slot -1 has the empty mask
        distinct = left[:, :, None] != right[:, None, :]
        total += (share & distinct).any(axis=(1, 2))
    return total


def _close_pairs(table: pd.DataFrame, window: int) -> np.ndarray:
    """Index pairs (i < j) of decisions in the same treaty with first notices at most ``window`` days apart."""
    days = table["day"].to_numpy().astype("datetime64[D]").astype(np.int64)
    treaty = table["treaty"].to_numpy()
    i, j = np.triu_indices(len(table), k=1)
    keep = (treaty[i] == treaty[j]) & (np.abs(days[i] - days[j]) <= window)
    return np.stack([i[keep], j[keep]], axis=1)


def _masks(setup: _Setup, grouping: str, ds: Dataset) -> np.ndarray:
    """Decisions × (states + 1): each state's groups on the decision's day; the extra last column is empty."""
    rows = [_memberships(ds, grouping, setup.everyone, day) for day in setup.table["day"]]
    return np.hstack([np.stack(rows), np.zeros((len(rows), 1), dtype=np.int64)])


def _check(window, grouping, n_permutations) -> None:
    if grouping not in GROUPINGS:
        raise ValueError(f"grouping must be one of {', '.join(GROUPINGS)}, not {grouping!r}")
    if int(window) < 0 or int(n_permutations) < 1:
        raise ValueError("window must be ≥ 0 days and n_permutations ≥ 1")


def _run(setup: _Setup, window: int, grouping: str, n: int, seed: int, ds: Dataset) -> ContagionTest:
    masks, pairs = _masks(setup, grouping, ds), _close_pairs(setup.table, int(window))
    observed_members = setup.members[None, :, :]
    observed = int(_statistic(observed_members, masks, pairs)[0])
    permuted = _statistic(_draw(setup, np.random.default_rng(seed), int(n)), masks, pairs)
    p_value = (1 + int((permuted >= observed).sum())) / (1 + len(permuted))
    linked = [bool(_statistic(observed_members, masks, pair[None, :])[0]) for pair in pairs]
    pair_table = _pair_table(setup.table, ds, pairs[linked] if len(pairs) else pairs)
    shown = setup.table.assign(states=setup.table["states"].map(", ".join))
    return ContagionTest(observed, permuted, p_value, setup.exits, int(window), grouping, pair_table, shown)


def contagion_test(
    window: int = 365,
    grouping: str = "peers",
    treaties=None,
    since=None,
    n_permutations: int = 2000,
    seed: int = 1,
    ds: Dataset | None = None,
    reading: str = "late",
) -> ContagionTest:
    """Observed same-group pairs of exit decisions within ``window`` days, against decisions moved as wholes."""
    ds = ds or load()
    _check(window, grouping, n_permutations)
    return _run(_prepare(treaties, since, ds, reading), int(window), grouping, int(n_permutations), int(seed), ds)


def contagion_grid(
    windows=(90, 180, 365),
    groupings=("subregion", "region", "NATO", "EU"),
    treaties=None,
    since=None,
    n_permutations: int = 2000,
    seed: int = 1,
    ds: Dataset | None = None,
    reading: str = "late",
) -> pd.DataFrame:
    """Every window × grouping, with raw p-values and Holm's adjustment across the grid (one row per test).

    The tests share their data (nested windows, overlapping groups), so they are not independent; Holm's step-down
    adjustment holds the chance of any false rejection at the level under any dependence, at the cost of power.
    """
    from statsmodels.stats.multitest import multipletests

    ds = ds or load()
    for window in windows:
        for grouping in groupings:
            _check(window, grouping, n_permutations)
    setup = _prepare(treaties, since, ds, reading)
    rows = []
    for window in windows:
        for grouping in groupings:
            test = _run(setup, int(window), grouping, int(n_permutations), int(seed), ds)
            rows.append((int(window), grouping, test.observed, test.expected, test.p_value))
    grid = pd.DataFrame(rows, columns=["window_days", "grouping", "observed_pairs", "expected_pairs", "p_value"])
    grid["p_holm"] = multipletests(grid["p_value"], method="holm")[1]
    return grid


def _pair_table(table: pd.DataFrame, ds: Dataset, pairs: np.ndarray) -> pd.DataFrame:
    """The observed close decision pairs that join two distinct states of one group: what the statistic counted."""
    names = ds.states["name"] if "name" in ds.states.columns else pd.Series(dtype=str)

    def who(k: int) -> str:
        return ", ".join(str(names.get(s, s)) for s in table.at[k, "states"])

    rows = [
        {
            "treaty": table.at[i, "treaty"],
            "first": who(i),
            "first_notice": table.at[i, "day"].date(),
            "second": who(j),
            "second_notice": table.at[j, "day"].date(),
            "days_apart": abs((table.at[j, "day"] - table.at[i, "day"]).days),
        }
        for i, j in pairs
    ]
    columns = ["treaty", "first", "first_notice", "second", "second_notice", "days_apart"]
    return pd.DataFrame(rows, columns=columns)


def contagion_figure(test: ContagionTest):
    """The permutation distribution of the statistic as bars, and the observed count as a line."""

    fig, ax = plt.subplots(figsize=(8, 3.6))
    values, counts = np.unique(test.permuted, return_counts=True)
    ax.bar(values, counts / counts.sum(), width=0.8, color="#bfbfbf", edgecolor="black", label="random decisions")
    ax.axvline(test.observed, color="black", lw=2, ls="--", label=f"observed: {test.observed}")
    ax.set_xlabel(f"same-group pairs of exit decisions within {test.window} days ({test.grouping})")
    ax.set_ylabel("share of permutations")
    ax.set_title(test.p_text)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig
