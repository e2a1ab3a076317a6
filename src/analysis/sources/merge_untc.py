"""Steps 3 and 4 of the merge: the UN-deposited treaties' rows of the other sources against the UNTC pages.

3. ``compare_untc``: for the UN-deposited treaties the UNTC page (the depositary) wins; the other sources are only
   compared with it, and every disagreement is a row of ``conflicts.csv``.
4. ``later_than_untc``: a timeline act in a UN-deposited treaty dated after the UNTC pages' date, of a kind the page
   does not hold for that state, goes to events flagged ``later source``.
"""

from __future__ import annotations

from ..schema import ICRC2020 as ICRC
from ..schema import LATER_SOURCE, UNODA2018, UNTC
from ..schema import TIMELINE2026 as TIMELINE
from .merge_rows import Key, conflict, dates, describe, index, nearest
from .meta import read_all
from .unoda import UN


def _against_untc(key: Key, untc: list[dict], other: list[dict], label: str, label_day: str) -> list[dict]:
    """One state x treaty x kind: the other source's dates against the UNTC page's (UNTC wins)."""
    if untc and other:
        untc_days, described = dates(untc), f"UNTC rows: {describe(untc)}"
        return [
            conflict(
                key,
                row["action"],
                UNTC,
                nearest(untc_days, row["date"]),
                label,
                row["date"],
                UNTC,
                "untc_wins",
                described,
            )
            for row in other
            if row["date"] not in untc_days
        ]
    if other:
        note = "the UNTC page has no such action for this state"
        return [conflict(key, row["action"], UNTC, "", label, row["date"], "none", "untc_wins", note) for row in other]
    first = min(untc, key=lambda row: row["date"])
    if first["date"] > label_day:
        return []
    note = f"{label} has no such action"
    return [conflict(key, first["action"], UNTC, first["date"], label, "", UNTC, "untc_wins", note)]


def compare_untc(untc: list[dict], *others: list[dict], metas: dict | None = None) -> list[dict]:
    """Register where UNODA/ICRC rows for a UN-deposited treaty disagree with the UNTC page (UNTC wins).

    Compared by kind of action (signature, consent, withdrawal); a source lacking an action the other has is
    registered only when the action is dated before that source's own date (actions after the UNTC pages' date
    are not compared).
    """
    metas = metas or read_all()
    label_of = {metas[label]["path"]: label for label in (UNODA2018, TIMELINE, ICRC)}
    depositary, as_at = _untc_as_at(untc)
    base = index(depositary, UN)
    out = []
    for rows in others:
        if not rows:
            continue
        label = label_of[rows[0]["source"]]
        other = index(rows, UN)
        kinds, covered = {key[2] for key in other}, {key[1] for key in other}
        for key in sorted(set(base) | set(other)):
            if key[1] not in covered or key[2] not in kinds:
                continue
            base_rows = base.get(key, [])
            other_rows = [
                row for row in other.get(key, []) if row["date"] <= as_at
            ]  # later than the page: not compared
            if base_rows or other_rows:
                out += _against_untc(key, base_rows, other_rows, label, metas[label]["status_date"])
    return out


def _untc_as_at(untc: list[dict]) -> tuple[list[dict], str]:
    """The UNTC pages' depositary rows and the day they were read ("status as at")."""
    depositary = [row for row in untc if row.get("source_kind") == "depositary"]
    return depositary, max((row["source_date"] for row in depositary if row.get("source_date")), default="9999-12-31")


def later_than_untc(untc: list[dict], timeline: list[dict]) -> list[dict]:
    """Step 4: the timeline's acts in UN-deposited treaties dated after the UNTC pages, of a kind the page lacks for
    that state: events rows with ``source_kind`` ``later source`` and a note saying what they are later than."""
    depositary, as_at = _untc_as_at(untc)
    held = set(index(depositary, UN))
    note = (
        f"; dated after the UNTC status page (status as at {as_at}, the treaty's known_until), which does not "
        "list it: known from this later source only"
    )
    return [
        dict(row, source_kind=LATER_SOURCE, note=row["note"] + note)
        for key, rows in sorted(index(timeline, UN).items())
        if key not in held
        for row in rows
        if row["date"] > as_at
    ]
