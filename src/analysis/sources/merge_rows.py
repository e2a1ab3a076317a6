"""The rows of the merge: one state x treaty x kind of action as a key, one row of ``conflicts.csv``, and the
hand-kept rule tables the steps read (``attributions.csv``, ``corrections.csv``).

Shared by the merge's steps (``merge``: UNODA and ICRC; ``merge_untc``: the UN-deposited treaties against the UNTC
pages; ``corrections``: a depositary's statement against a source's row), so each step builds its register rows
the same way.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..schema import CONSENT, days_apart

Key = tuple[str, str, str]


def read_rule_table(path: Path, columns) -> list[dict]:
    """The rows of a hand-kept rule table (none when the file is absent); a missing column is one clear error."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}, line 1: missing column(s) {', '.join(missing)}")
        return list(reader)


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
