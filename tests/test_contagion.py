"""The contagion test: decisions as units, distinct states only, a seeded block permutation, the grid with Holm.

The small synthetic cases have answers known by hand: a state paired with itself never counts, and a joint
decision of four states counts once, however many of its states share a group with another decision's.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import analysis as a
from analysis import contagion
from analysis.decisions import decisions, joint_statements


def _setup(members: list[list[int]], treaties: list[str], days: list[str], n_states: int, pools=None):
    size = max(len(m) for m in members)
    padded = np.array([m + [-1] * (size - len(m)) for m in members], dtype=np.int64)
    table = pd.DataFrame(
        {"treaty": treaties, "day": pd.to_datetime(days), "states": [[f"S{k}" for k in m] for m in members]}
    )
    table["size"] = table["states"].map(len)
    pools = pools or [np.arange(n_states)] * len(members)
    return contagion._Setup(pd.DataFrame(), table, padded, pools, [f"S{k}" for k in range(n_states)])


def _masks(groups: list[int], n_decisions: int) -> np.ndarray:
    """The same group bits on every decision's day, plus the empty column for padding."""
    row = np.array([1 << g if g >= 0 else 0 for g in groups] + [0], dtype=np.int64)
    return np.tile(row, (n_decisions, 1))


def test_a_state_paired_with_itself_never_counts():
    setup = _setup([[0], [0]], ["t", "t"], ["2019-02-01", "2019-02-02"], 3)
    pairs = contagion._close_pairs(setup.table, 365)
    assert pairs.tolist() == [[0, 1]]
    assert contagion._statistic(setup.members[None], _masks([0, 0, 1], 2), pairs).tolist() == [0]


def test_a_joint_decision_counts_once_and_its_own_states_never_pair():
    # one decision of four states of group 0, then one state of group 0 alone a week later: one pair, not four
    setup = _setup([[0, 1, 2, 3], [4]], ["t", "t"], ["2023-11-07", "2023-11-14"], 6)
    masks = _masks([0, 0, 0, 0, 0, 1], 2)
    pairs = contagion._close_pairs(setup.table, 90)
    assert contagion._statistic(setup.members[None], masks, pairs).tolist() == [1]
    # the joint decision alone: no pair at all, whatever its states share
    alone = _setup([[0, 1, 2, 3], [5]], ["t", "t"], ["2023-11-07", "2023-11-14"], 6)
    assert contagion._statistic(alone.members[None], masks, contagion._close_pairs(alone.table, 90)).tolist() == [0]


def test_pairs_need_the_same_treaty_and_the_window():
    setup = _setup([[0], [1], [2]], ["t", "u", "t"], ["2020-01-01", "2020-01-02", "2020-12-31"], 3)
    assert contagion._close_pairs(setup.table, 90).tolist() == []
    assert contagion._close_pairs(setup.table, 365).tolist() == [[0, 2]]


def test_the_block_permutation_moves_decisions_whole_and_never_reuses_a_state_in_a_treaty():
    setup = _setup([[0, 1, 2], [3], [4, 5]], ["t", "t", "u"], ["2020-01-01", "2020-02-01", "2020-03-01"], 8)
    chosen = contagion._draw(setup, np.random.default_rng(3), 500)
    assert ((chosen >= 0).sum(axis=2) == setup.table["size"].to_numpy()).all()  # sizes kept
    same_treaty = np.concatenate([chosen[:, 0, :3], chosen[:, 1, :1]], axis=1)
    assert all(len(set(row)) == 4 for row in same_treaty.tolist())
    assert all(len(set(row)) == 2 for row in chosen[:, 2, :2].tolist())
    again = contagion._draw(setup, np.random.default_rng(3), 500)
    assert np.array_equal(chosen, again)
    # every state at risk gets drawn: the draw is not stuck on a few
    assert set(np.unique(chosen[:, 0, :3])) == set(range(8))


def _exits(rows):
    frame = pd.DataFrame(rows, columns=["state", "treaty", "notice_deposited", "announced"])
    for column in ("notice_deposited", "announced"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def test_the_decision_rule_on_a_small_example():
    exits = _exits(
        [
            ("USA", "inf", "2019-02-01", None),  # suspension, then notice the next day: one decision
            ("USA", "inf", "2019-02-02", None),
            ("RUS", "inf", "2019-03-04", "2019-02-02"),  # its own decision
            ("CAN", "cfe", "2023-11-07", None),  # deposited the same day: one decision
            ("CZE", "cfe", "2023-11-07", None),
            ("ITA", "cfe", "2023-11-28", None),  # later: its own decision
            ("EST", "apmbc", "2025-06-27", None),  # joint statement of 18 March 2025 in the curated record
            ("POL", "apmbc", "2025-08-20", None),
            ("FIN", "apmbc", "2025-07-10", "2025-04-01"),
            ("NOR", "apmbc", "2025-07-11", "2025-04-01"),  # announced the same day as FIN (made up): joined
        ]
    )
    number = decisions(exits)
    groups = sorted(sorted(exits.loc[number == k, "state"]) for k in number.unique())
    assert groups == sorted([["USA", "USA"], ["RUS"], ["CAN", "CZE"], ["ITA"], ["EST", "POL"], ["FIN", "NOR"]])
    assert number.tolist()[:3] == [0, 0, 1]


def test_the_joint_statements_come_from_the_curated_record():
    joint = joint_statements()
    baltic = joint[(joint["treaty"] == "apmbc") & (joint["date"] == pd.Timestamp("2025-03-18"))]
    assert sorted(baltic["state"]) == ["EST", "LTU", "LVA", "POL"] and baltic["statement"].nunique() == 1


def test_on_the_data_no_counted_pair_joins_a_state_with_itself():
    test = contagion.contagion_test(window=365, grouping="peers", n_permutations=200)
    assert len(test.pairs) == test.observed > 0
    for row in test.pairs.itertuples():
        assert not (row.first == row.second and "," not in row.first), row
    cfe = test.decisions[(test.decisions["treaty"] == "cfe") & (test.decisions["day"] == "2023-11-07")]
    assert len(cfe) == 1 and {"CAN", "CZE", "DNK", "USA"} <= set(cfe["states"].iloc[0].split(", "))  # one decision
    assert len(test.decisions) < len(test.exits)


def _count_by_hand(test, column: str) -> int:
    """Decision pairs within the window whose distinct states share the column's value (sub-region, region)."""
    states = a.load().states
    table, count = test.decisions, 0
    for i, j in itertools.combinations(range(len(table)), 2):
        first, second = table.iloc[i], table.iloc[j]
        if first["treaty"] != second["treaty"] or abs((first["day"] - second["day"]).days) > test.window:
            continue
        count += any(
            s != t and states.loc[s, column] == states.loc[t, column]
            for s in first["states"].split(", ")
            for t in second["states"].split(", ")
        )
    return count


@pytest.mark.parametrize("grouping", ["subregion", "region"])
def test_the_observed_count_matches_a_count_by_hand(grouping):
    test = contagion.contagion_test(window=365, grouping=grouping, n_permutations=50)
    assert test.observed == _count_by_hand(test, grouping)


def test_reproducible_and_the_p_value_counts_the_permutations():
    first = contagion.contagion_test(grouping="NATO", n_permutations=300, seed=7)
    again = contagion.contagion_test(grouping="NATO", n_permutations=300, seed=7)
    other = contagion.contagion_test(grouping="NATO", n_permutations=300, seed=8)
    assert np.array_equal(first.permuted, again.permuted) and not np.array_equal(first.permuted, other.permuted)
    assert first.p_value == (1 + (first.permuted >= first.observed).sum()) / 301


def test_the_grid_reports_raw_and_holm_p_values():
    grid = contagion.contagion_grid(windows=(90, 365), groupings=("NATO", "EU"), n_permutations=200)
    assert grid[["window_days", "grouping"]].values.tolist() == [[90, "NATO"], [90, "EU"], [365, "NATO"], [365, "EU"]]
    assert (grid["p_holm"] >= grid["p_value"]).all() and (grid["p_holm"] <= 1).all()
    smallest = grid["p_value"].idxmin()
    assert grid.at[smallest, "p_holm"] == pytest.approx(min(1.0, 4 * grid.at[smallest, "p_value"]))
    single = contagion.contagion_test(window=365, grouping="EU", n_permutations=200)
    assert grid.iloc[3]["observed_pairs"] == single.observed and grid.iloc[3]["p_value"] == single.p_value


def test_bad_parameters_are_refused_in_one_line():
    with pytest.raises(ValueError, match="grouping must be one of"):
        contagion.contagion_test(grouping="planet")
    with pytest.raises(ValueError, match="at least two"):
        contagion.contagion_test(treaties="ccm")
    with pytest.raises(ValueError, match="grouping must be one of"):
        contagion.contagion_grid(groupings=("NATO", "planet"))
    with pytest.raises(ValueError, match="reading must be one of"):
        contagion.contagion_test(reading="middle")


def test_the_pages_tables_are_for_people():
    from analysis import findings

    test = contagion.contagion_test(window=365, grouping="NATO", n_permutations=100)
    grid = contagion.contagion_grid(windows=(365,), groupings=("NATO",), n_permutations=100)
    shown = findings.contagion_grid(grid)
    assert (
        list(shown.columns)[:2] == ["Window (days)", "Same group"]
        and shown["Same group"][0] == "both in NATO on the day"
    )
    assert shown["p-value"][0] == f"{grid['p_value'][0]:.3f}"
    decisions_shown = findings.contagion_decisions(test)
    assert decisions_shown["Decision"].is_monotonic_increasing and decisions_shown["Decision"].min() == 1
    assert "Treaty" in findings.contagion_pairs(test).columns


def test_both_analyses_count_the_same_exits_in_each_reading():
    """A notice with no last possible day (Poland's CFE suspension, "not before 29 Mar 2024") is not yet given in
    the late reading, in the contagion test as in the hazard model's risk set, and given on its first day in the
    early one: in each reading the two count the same states' CFE exits of 2023-24 (the model dates an exit by
    the year its status changes, the test by its notice, so the states are compared, not the days)."""
    from analysis.models import risk_set

    for reading in ("late", "early"):
        notices = contagion.exit_notices(treaties="cfe", since="2023-01-01", reading=reading)
        risk = risk_set(since="2023-01-01", reading=reading)
        events = risk[(risk["treaty"] == "cfe") & (risk["event"] == 1) & (risk["period"].dt.year <= 2024)]
        # Russia's withdrawal of 2023 follows its 2007 suspension: not at risk in the model, left out of the test too
        assert set(notices["state"]) - {"RUS"} == set(events["state"])
        assert ("POL" in set(notices["state"])) is (reading == "early")
