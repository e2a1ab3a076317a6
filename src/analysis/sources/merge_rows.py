"""The rows of the merge: one state x treaty x kind of action as a key, and one row of ``conflicts.csv``.

Shared by the merge's steps (``merge``: UNODA and ICRC; ``merge_untc``: the UN-deposited treaties against the UNTC
pages; ``corrections``: a depositary's statement against a source's row), so each step builds its register rows
the same way.
"""

from __future__ import annotations

from ..schema import CONSENT, days_apart

Key = tuple[str, str, str]


def kind(action: str) -> str:
    return "consent" if action in CONSENT else action


def index(rows: list[dict], treaties) -> dict[Key, list[dict]]:
    out: dict[Key, list[dict]] = {}
    for row in rows:
        if row["treaty"] in treaties:
            out.setdefault((row["state"], row["treaty"], kind(row["action"])), []).append(row)
    return out


def conflict(key: Key, action, src_a, date_a, src_b, date_b, chosen, rule, note="") -> dict:
    state, treaty, _ = key
    return {
        "state": state,
        "treaty": treaty,
        "action": action,
        "source_a": src_a,
        "date_a": date_a,
        "source_b": src_b,
        "date_b": date_b,
        "days_apart": days_apart(date_a, date_b),
        "chosen": chosen,
        "rule": rule,
        "note": note,
    }


def dates(rows: list[dict]) -> list[str]:
    return sorted({row["date"] for row in rows})


def describe(rows: list[dict]) -> str:
    return "; ".join(
        f"{row['action']} {row['date']}" + (f" ({row['depositary']})" if row["depositary"] else "")
        for row in sorted(rows, key=lambda row: (row["date"], row["depositary"]))
    )


def nearest(days: list[str], day: str) -> str:
    return min(days, key=lambda other: days_apart(other, day))
