"""Who performed each act: rows a source lists under one state, moved to the state that performed them.

The depositaries' and UNODA's pages list some acts under a state that did not exist when they were performed:
the USSR's acts under the Russian Federation, the USSR's CFE signature under seven of its successors, the CSFR's
Open Skies signature and ratification under Czechia and Slovakia, the SFRY's acts under Serbia and Montenegro.
`data/attributions.csv` says, rule by rule and with a source, which state performed them; the build applies it to
every parsed row (curated rows are written by hand for their author and pass through unchanged). Provenance is kept
as data: a moved row's note names the state it was listed under and the rule's source.
"""

from __future__ import annotations

from pathlib import Path

from ..schema import ATTRIBUTIONS_COLUMNS
from .merge_rows import read_rule_table

#: The key that makes two rows the same act (after a move, the same act listed under several successors is one).
ACT_KEY = ("state", "treaty", "action", "date", "depositary")


def read_rules(path: Path) -> list[dict]:
    """The rules of `data/attributions.csv` (none when the file is absent); a bad header is one clear error."""
    return read_rule_table(path, ATTRIBUTIONS_COLUMNS)


def matches(rule: dict, row: dict) -> bool:
    """Does the rule cover this row? `*` matches any treaty or action; `from`/`before` bound the row's date."""
    return (
        row["state"] == rule["listed_under"]
        and rule["treaty"] in ("*", row["treaty"])
        and rule["action"] in ("*", row["action"])
        and (not rule["date"] or row["date"] == rule["date"])
        and (not rule["from"] or row["date"] >= rule["from"])
        and (not rule["before"] or row["date"] < rule["before"])
    )


def _moved(row: dict, rule: dict) -> dict:
    note = f"Listed under {rule['listed_under']} by the source; performed by {rule['performer']} ({rule['source']})."
    return {**row, "state": rule["performer"], "note": f"{row.get('note', '')} {note}".strip()}


def _succession_row(row: dict, rule: dict, since: str) -> dict:
    """The successor's own standing after the act is moved: bound by succession from the date of succession."""
    return {
        **row,
        "action": "succession",
        "date": since,
        "effective_date": "",
        "depositary": "",
        "note": (
            f"FLAGGED: derived, no notification of succession found. The source lists the predecessor "
            f"{rule['performer']}'s acts under {rule['listed_under']} and lists it as a party; recorded as bound "
            f"by succession from the date of succession of States ({since}). Rule: data/attributions.csv."
        ),
    }


def apply(rows: list[dict], rules: list[dict], since: dict[str, str]) -> tuple[list[dict], dict[str, int]]:
    """Move every covered row to its performer, merge duplicates, add derived successions; returns counts."""
    out, seen, counts = [], set(), {"moved": 0, "merged": 0, "derived_successions": 0}
    derived: dict[tuple, dict] = {}
    for row in rows:
        rule = next((r for r in rules if matches(r, row)), None)
        if rule is not None:
            counts["moved"] += 1
            if rule["successor_succession"].lower() == "true":
                key = (row["state"], row["treaty"])
                derived.setdefault(key, _succession_row(row, rule, since[row["state"]]))
            row = _moved(row, rule)
        key = tuple(row.get(c, "") for c in ACT_KEY)
        if key in seen:
            counts["merged"] += 1
            continue
        seen.add(key)
        out.append(row)
    for row in derived.values():
        key = tuple(row.get(c, "") for c in ACT_KEY)
        if key not in seen:
            seen.add(key)
            out.append(row)
            counts["derived_successions"] += 1
    return out, counts
