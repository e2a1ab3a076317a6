"""Step 5 of the merge: a depositary's statement corrects the kind of an act a source lists (``data/corrections.csv``).

A secondary source can date an act rightly and name it wrongly: the UNODA timeline says the Marshall Islands
"acceded to" the Rarotonga Treaty on 3 March 2025, the Pacific Islands Forum Secretariat (the depositary) says it
signed. A row of ``corrections.csv`` names the act (state, treaty, action, day, and the label of the source whose
row it corrects), the kind the depositary gives, and the statement's source. The merge changes the row's action,
says so in the row's note (the row keeps the address it came from, so its provenance stays whole), and registers
the disagreement in ``conflicts.csv`` (rule ``depositary_corrects``). A correction that matches no row is an
error: a source that changes must not silently undo a correction, nor a correction silently stop applying.
"""

from __future__ import annotations

from pathlib import Path

from ..schema import ACTIONS, CONFLICT_SOURCES, CONSENT, CORRECTION_COLUMNS, CORRECTIONS, is_iso_day
from .merge_rows import conflict, kind, read_rule_table

#: The labels of the sources whose rows a correction may name (the raw sources; not the corrections themselves).
CORRECTABLE = CONFLICT_SOURCES - {CORRECTIONS}


def row_problem(row: dict) -> str:
    """What is wrong with one rule, or "" (the build and ``link_rules.correction_rows`` ask the same)."""
    for column in ("action", "corrected_action"):
        if row[column] not in ACTIONS:
            return f"column {column!r}: {row[column]!r} is not an action of the vocabulary"
    if row["corrects"] not in CORRECTABLE:
        return f"column 'corrects': {row['corrects']!r}, expected one of {', '.join(sorted(CORRECTABLE))}"
    for column in ("date", "source_date"):
        if not is_iso_day(row[column]):
            return f"column {column!r}: {row[column]!r} is not a date YYYY-MM-DD"
    if row["action"] == row["corrected_action"]:
        return f"corrected_action equals action ({row['action']}); not a correction"
    if not row["source"]:
        return "column 'source': empty; a correction names the depositary's statement"
    return ""


def read_corrections(path: Path) -> list[dict]:
    """The rules of ``data/corrections.csv`` (none when the file is absent); a bad row is one clear error."""
    rules = read_rule_table(path, CORRECTION_COLUMNS)
    for line, rule in enumerate(rules, start=2):
        problem = row_problem(rule)
        if problem:
            raise ValueError(f"{path}, line {line}: {problem}")
    return rules


def _matches(rule: dict, row: dict, label: str) -> bool:
    return label == rule["corrects"] and all(row[c] == rule[c] for c in ("state", "treaty", "action", "date"))


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _corrected(row: dict, rule: dict) -> dict:
    """The row with the depositary's kind; a consent's day of effect does not belong to a signature."""
    note = (
        f"CORRECTED: the source lists {_a(row['action'])}; the depositary reports {_a(rule['corrected_action'])} "
        f"({rule['source']}, {rule['source_date']}). Rule: data/corrections.csv."
    )
    effect = row.get("effective_date", "") if rule["corrected_action"] in CONSENT else ""
    return {
        **row,
        "action": rule["corrected_action"],
        "effective_date": effect,
        "note": f"{row.get('note', '')} {note}".strip(),
    }


def _register(row: dict, rule: dict, label: str) -> dict:
    """The conflict row: the depositary has no such act (its date empty), the source's day; the depositary wins."""
    note = (
        f"the depositary reports {_a(rule['corrected_action'])} on this day, not {_a(row['action'])} "
        f"({rule['source']}; data/corrections.csv)"
    )
    key = (row["state"], row["treaty"], kind(row["action"]))
    return conflict(key, row["action"], CORRECTIONS, "", label, row["date"], CORRECTIONS, "depositary_corrects", note)


def apply_corrections(
    events: list[dict], rules: list[dict], metas: dict, where: str = "data/corrections.csv"
) -> tuple[list[dict], list[dict]]:
    """Correct the rows the rules name; returns the events and the conflict rows. Raises if a rule matches none
    (``where``: the file the rules were read from, for the message)."""
    label_of = {meta["path"]: label for label, meta in metas.items()}
    out, conflicts, used = [], [], set()
    for row in events:
        label = label_of.get(row["source"], "")
        number = next((n for n, rule in enumerate(rules) if _matches(rule, row, label)), None)
        if number is None:
            out.append(row)
            continue
        used.add(number)
        out.append(_corrected(row, rules[number]))
        conflicts.append(_register(row, rules[number], label))
    for number, rule in enumerate(rules):
        if number not in used:
            act = ",".join(rule[c] for c in ("state", "treaty", "action", "date"))
            raise ValueError(
                f"{where}, line {number + 2}: no {rule['corrects']} row {act} to correct "
                "(has the source changed? check the correction and remove it if it no longer applies)"
            )
    return out, conflicts
