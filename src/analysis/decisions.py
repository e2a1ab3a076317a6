"""Which exits were one decision: the unit a test of waves must count and move, and a model must cluster on.

Why: exits are not independent draws. The NATO allies that suspended the CFE Treaty on 7 November 2023 did so
together, and the Baltic states and Poland announced their Mine Ban exits in one joint statement; counted exit by
exit, one such decision becomes up to ten "pairs" of exits and a permutation that moves exits one at a time
breaks it apart, so the observed count is inflated and the p-value too small by construction.

The rule (``DECISION_RULE``, shown on the research pages): two exits from the same treaty are one decision when

1. they are by the same state and their notices lie at most ``SAME_STATE_DAYS`` apart (the United States
   suspended the INF Treaty on 1 February 2019 and gave notice of withdrawal the next day: one decision);
2. their notices were deposited on the same day (states acting together, as the CFE suspensions of 2023);
3. they were announced on the same day (the ``announced`` step of the curated record); or
4. their states are named in ``statement`` rows of the curated record for that treaty with the same day and the
   same source (a joint statement, as the Baltic–Polish one of 18 March 2025).

Decisions are the connected groups of this relation (if A joins B and B joins C, all three are one decision).
"""

from __future__ import annotations

import pandas as pd

from .dataset import Dataset, load

__all__ = ["SAME_STATE_DAYS", "DECISION_RULE", "decisions", "joint_statements"]

#: A state's successive exits from one treaty at most this many days apart are one decision.
SAME_STATE_DAYS = 30
#: The rule in one sentence, for the pages that use it.
DECISION_RULE = (
    "exits from the same treaty are one decision when they are by the same state within "
    f"{SAME_STATE_DAYS} days, were deposited on the same day, were announced on the same day, or their states "
    "issued a joint statement on the treaty (statement rows of the curated record with the same day and source)"
)


def joint_statements(ds: Dataset | None = None) -> pd.DataFrame:
    """The curated ``statement`` rows naming two or more states (same treaty, day and source): one id each."""
    ds = ds or load()
    rows = ds.events[ds.events["action"] == "statement"][["state", "treaty", "date", "source"]]
    sizes = rows.groupby(["treaty", "date", "source"])["state"].transform("nunique")
    joint = rows[sizes > 1].copy()
    joint["statement"] = joint.groupby(["treaty", "date", "source"]).ngroup()
    return joint.reset_index(drop=True)


def _find(parent: list[int], k: int) -> int:
    while parent[k] != k:
        parent[k] = parent[parent[k]]
        k = parent[k]
    return k


def _joined(a, b, statements: dict) -> bool:
    """Whether two exits (rows of the exits table) are one decision under the rule of this module."""
    if a.treaty != b.treaty:
        return False
    if a.state == b.state and abs((a.notice_deposited - b.notice_deposited).days) <= SAME_STATE_DAYS:
        return True
    if a.notice_deposited == b.notice_deposited:
        return True
    if pd.notna(a.announced) and a.announced == b.announced:
        return True
    shared = statements.get((a.state, a.treaty), set()) & statements.get((b.state, b.treaty), set())
    return bool(shared)


def decisions(exits: pd.DataFrame, ds: Dataset | None = None) -> pd.Series:
    """For each exit (rows with state, treaty, notice_deposited, announced), the number of its decision.

    Decisions are numbered 0, 1, ... in the order of their first notice; the result has the index of ``exits``.
    """
    ds = ds or load()
    joint = joint_statements(ds)
    statements: dict[tuple, set] = {}
    for state, treaty, number in zip(joint["state"], joint["treaty"], joint["statement"]):
        statements.setdefault((state, treaty), set()).add(number)
    rows = list(exits[["state", "treaty", "notice_deposited"]].assign(announced=_announced(exits)).itertuples())
    parent = list(range(len(rows)))
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            if _joined(rows[i], rows[j], statements):
                parent[_find(parent, i)] = _find(parent, j)
    roots = pd.Series([_find(parent, k) for k in range(len(rows))], index=exits.index)
    first = exits["notice_deposited"].groupby(roots).transform("min")
    order = pd.DataFrame({"first": first, "root": roots}).drop_duplicates("root").sort_values(["first", "root"])
    number = {root: k for k, root in enumerate(order["root"])}
    return roots.map(number).rename("decision")


def _announced(exits: pd.DataFrame) -> pd.Series:
    return exits["announced"] if "announced" in exits.columns else pd.Series(pd.NaT, index=exits.index)
