"""The merge of the non-UN sources and the register of every place where they disagree (``conflicts.csv``).

Per state x treaty x kind of action (signature, consent, withdrawal), the precedence rule
(``schema.MERGE_RULE``) runs as named steps:

1. ``_unoda_and_timeline``: UNODA 2018 has the action: all its rows (every depositary) go to events, and a
   timeline date matching none of them is registered; UNODA 2018 lacks it: the timeline's row goes to events.
2. ``_cross_check_icrc``: the ICRC's day of becoming party against the first merged consent; only where no
   UNODA source covers the treaty (Geneva Protocol) does an ICRC row go to events.
3. ``compare_untc``: for the UN-deposited treaties the UNTC page wins; the others are only compared with it.
4. ``later_than_untc``: a timeline act in a UN-deposited treaty dated after the UNTC pages' date, of a kind the
   page does not hold for that state, goes to events flagged ``source_kind`` = ``later source`` (Tonga's CTBT
   and TPNW acts of 2026-07-07); the treaty's ``known_until`` stays the pages' date.

Which row came from which source is told by its ``source`` address, read from ``data/sources/<label>.json``.
"""

from __future__ import annotations

from pathlib import Path

from .. import config
from ..schema import CONSENT, LATER_SOURCE, UNODA2018, UNTC, days_apart
from ..schema import ICRC2020 as ICRC
from ..schema import TIMELINE2026 as TIMELINE
from .icrc import parse_icrc
from .meta import read_all
from .unoda import NON_UN, UN, parse_timeline, parse_unoda2018

Key = tuple[str, str, str]


def _kind(action: str) -> str:
    return "consent" if action in CONSENT else action


def _index(rows: list[dict], treaties) -> dict[Key, list[dict]]:
    out: dict[Key, list[dict]] = {}
    for row in rows:
        if row["treaty"] in treaties:
            out.setdefault((row["state"], row["treaty"], _kind(row["action"])), []).append(row)
    return out


def _conflict(key: Key, action, src_a, date_a, src_b, date_b, chosen, rule, note="") -> dict:
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


def _dates(rows: list[dict]) -> list[str]:
    return sorted({row["date"] for row in rows})


def _describe(rows: list[dict]) -> str:
    return "; ".join(
        f"{row['action']} {row['date']}" + (f" ({row['depositary']})" if row["depositary"] else "")
        for row in sorted(rows, key=lambda row: (row["date"], row["depositary"]))
    )


def _nearest(days: list[str], day: str) -> str:
    return min(days, key=lambda other: days_apart(other, day))


# ---- step 1: UNODA 2018 and the 2026 timeline ----------------------------------------------------------------


def _unoda_wins(key: Key, unoda: list[dict], timeline: list[dict], timeline_treaties: set) -> list[dict]:
    """UNODA 2018 has the action: register the timeline's other dates, or its silence on a consent."""
    unoda_days, described = _dates(unoda), f"UNODA 2018 rows: {_describe(unoda)}"
    out = [
        _conflict(
            key,
            row["action"],
            UNODA2018,
            _nearest(unoda_days, row["date"]),
            TIMELINE,
            row["date"],
            UNODA2018,
            "unoda2018",
            described,
        )
        for row in timeline
        if row["date"] not in unoda_days
    ]
    if not timeline and key[1] in timeline_treaties and key[2] != "signature":
        out.append(
            _conflict(
                key, unoda[0]["action"], UNODA2018, unoda_days[0], TIMELINE, "", UNODA2018, "kept_unoda2018", described
            )
        )
    return out


def _timeline_fills(key: Key, timeline: list[dict], harvest_day: str) -> list[dict]:
    """UNODA 2018 lacks the action: the timeline's rows go in; those dated before the harvest are registered."""
    note = "dated before the 2018 harvest: a row the harvester skipped or UNODA added later"
    return [
        _conflict(key, row["action"], UNODA2018, "", TIMELINE, row["date"], TIMELINE, "timeline_fills", note)
        for row in timeline
        if row["date"] <= harvest_day
    ]


def _unoda_and_timeline(unoda2018: list[dict], timeline: list[dict], metas: dict) -> tuple[list[dict], list[dict]]:
    events, conflicts = [], []
    by_unoda, by_timeline = _index(unoda2018, NON_UN), _index(timeline, NON_UN)
    timeline_treaties = {row["treaty"] for row in timeline}
    for key in sorted(set(by_unoda) | set(by_timeline)):
        unoda_rows, timeline_rows = by_unoda.get(key, []), by_timeline.get(key, [])
        if unoda_rows:
            events += unoda_rows
            conflicts += _unoda_wins(key, unoda_rows, timeline_rows, timeline_treaties)
        else:
            events += timeline_rows
            conflicts += _timeline_fills(key, timeline_rows, metas[UNODA2018]["status_date"])
    return events, conflicts


# ---- step 2: the ICRC's dates as a cross-check -----------------------------------------------------------------


def _unoda_label(row: dict, metas: dict) -> str:
    return UNODA2018 if row["source"] == metas[UNODA2018]["path"] else TIMELINE


def _icrc_against(key: Key, icrc: list[dict], merged: list[dict], metas: dict) -> list[dict]:
    """Both have a consent: an ICRC day that is none of the merged days is registered, never used."""
    first = min(merged, key=lambda row: row["date"])
    label = _unoda_label(first, metas)
    return [
        _conflict(
            key,
            first["action"],
            label,
            first["date"],
            ICRC,
            row["date"],
            label,
            "icrc_not_used",
            f"{label} rows: {_describe(merged)}",
        )
        for row in icrc
        if row["date"] not in _dates(merged)
    ]


def _icrc_only(key: Key, icrc: list[dict], timeline_treaties: set, harvest_day: str) -> tuple[list, list]:
    """Only the ICRC has a consent: it fills a treaty the timeline does not cover, else it is left out."""
    events, conflicts = [], []
    for row in icrc:
        if key[1] in timeline_treaties:
            note = "UNODA (2018 and 2026) lists no consent for this state"
            conflicts.append(_conflict(key, "consent", TIMELINE, "", ICRC, row["date"], "none", "left_out", note))
            continue
        events.append(row)
        note = "the 2018 harvest has no consent for this state" + (
            " (after the harvest)" if row["date"] > harvest_day else ""
        )
        conflicts.append(_conflict(key, "consent", UNODA2018, "", ICRC, row["date"], ICRC, "icrc_fills", note))
    return events, conflicts


def _icrc_lacks(key: Key, merged: list[dict], metas: dict) -> list[dict]:
    """A UNODA consent dated before the ICRC's day that the ICRC lacks: kept, registered."""
    first = min(merged, key=lambda row: row["date"])
    if first["date"] > metas[ICRC]["status_date"]:
        return []
    label = _unoda_label(first, metas)
    rule = "kept_unoda2018" if label == UNODA2018 else "timeline_fills"
    note = f"ICRC lists no date; {label} rows: {_describe(merged)}"
    return [_conflict(key, first["action"], label, first["date"], ICRC, "", label, rule, note)]


def _cross_check_icrc(events: list[dict], icrc: list[dict], timeline: list[dict], metas: dict) -> tuple[list, list]:
    """The ICRC's day of becoming party against the first consent of the merged rows (step 2)."""
    by_icrc, merged = _index(icrc, NON_UN), _index(events, NON_UN)
    icrc_treaties = {row["treaty"] for row in icrc}
    timeline_treaties = {row["treaty"] for row in timeline}
    keys = set(by_icrc) | {key for key in merged if key[1] in icrc_treaties and key[2] == "consent"}
    added, conflicts = [], []
    for key in sorted(keys):
        icrc_rows, merged_rows = by_icrc.get(key, []), merged.get(key, [])
        if icrc_rows and merged_rows:
            conflicts += _icrc_against(key, icrc_rows, merged_rows, metas)
        elif icrc_rows:
            more, found = _icrc_only(key, icrc_rows, timeline_treaties, metas[UNODA2018]["status_date"])
            added += more
            conflicts += found
        else:
            conflicts += _icrc_lacks(key, merged_rows, metas)
    return added, conflicts


def merge(
    unoda2018: list[dict],
    timeline: list[dict],
    icrc: list[dict],
    untc: list[dict] | None = None,
    metas: dict | None = None,
) -> tuple[list[dict], list[dict]]:
    """Events for the non-UN treaties and the disagreement register (see ``schema.MERGE_RULE`` and above).

    With ``untc`` (the UNTC events), the three sources are also compared with the UN-deposited treaties' UNTC
    rows (UNTC wins; nothing is added to events). ``metas`` defaults to ``data/sources/*.json``.
    """
    metas = metas or read_all()
    events, conflicts = _unoda_and_timeline(unoda2018, timeline, metas)
    added, icrc_conflicts = _cross_check_icrc(events, icrc, timeline, metas)
    events, conflicts = events + added, conflicts + icrc_conflicts
    if untc is not None:
        conflicts += compare_untc(untc, unoda2018, timeline, icrc, metas=metas)
        events += later_than_untc(untc, timeline)
    conflicts.sort(key=lambda row: (row["treaty"], row["state"], row["action"], row["source_b"], row["date_b"]))
    return events, conflicts


# ---- step 3: the UN-deposited treaties against the UNTC pages --------------------------------------------------


def _against_untc(key: Key, untc: list[dict], other: list[dict], label: str, label_day: str) -> list[dict]:
    """One state x treaty x kind: the other source's dates against the UNTC page's (UNTC wins)."""
    if untc and other:
        untc_days, described = _dates(untc), f"UNTC rows: {_describe(untc)}"
        return [
            _conflict(
                key,
                row["action"],
                UNTC,
                _nearest(untc_days, row["date"]),
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
        return [_conflict(key, row["action"], UNTC, "", label, row["date"], "none", "untc_wins", note) for row in other]
    first = min(untc, key=lambda row: row["date"])
    if first["date"] > label_day:
        return []
    note = f"{label} has no such action"
    return [_conflict(key, first["action"], UNTC, first["date"], label, "", UNTC, "untc_wins", note)]


def compare_untc(untc: list[dict], *others: list[dict], metas: dict | None = None) -> list[dict]:
    """Register where UNODA/ICRC rows for a UN-deposited treaty disagree with the UNTC page (UNTC wins).

    Compared by kind of action (signature, consent, withdrawal); a source lacking an action the other has is
    registered only when the action is dated before that source's own date (actions after the UNTC pages' date
    are not compared).
    """
    metas = metas or read_all()
    label_of = {metas[label]["path"]: label for label in (UNODA2018, TIMELINE, ICRC)}
    depositary, as_at = _untc_as_at(untc)
    base = _index(depositary, UN)
    out = []
    for rows in others:
        if not rows:
            continue
        label = label_of[rows[0]["source"]]
        other = _index(rows, UN)
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
    held = set(_index(depositary, UN))
    note = (
        f"; dated after the UNTC status page (status as at {as_at}, the treaty's known_until), which does not "
        "list it: known from this later source only"
    )
    return [
        dict(row, source_kind=LATER_SOURCE, note=row["note"] + note)
        for key, rows in sorted(_index(timeline, UN).items())
        if key not in held
        for row in rows
        if row["date"] > as_at
    ]


# ---- the three files ---------------------------------------------------------------------------------------------


def source_paths(shared: Path | str | None = None) -> dict[str, Path]:
    """The file each non-UN parser reads, inside its folder of the shared sources (``config.source_dir``)."""
    return {
        UNODA2018: config.source_dir(UNODA2018, shared) / "treatydata.json",
        TIMELINE: config.source_dir(TIMELINE, shared) / "timeline.html",
        ICRC: config.source_dir(ICRC, shared) / "ihl_and_other_related_treaties.xls",
    }


def available(shared: Path | str | None = None) -> bool:
    """True when all three source files are present."""
    return not missing_sources(shared)


def missing_sources(shared: Path | str | None = None) -> list[str]:
    """The source files that are not where the build looks for them."""
    return [str(path) for path in source_paths(shared).values() if not path.exists()]


def other_source_events(
    shared: Path | str | None = None, untc: list[dict] | None = None, data_dir: Path | str | None = None
) -> tuple[list[dict], list[dict]]:
    """Parse the three sources under ``shared`` and merge them; raises if a file is missing."""
    paths = source_paths(shared)
    for path in paths.values():
        if not path.exists():
            raise FileNotFoundError(f"{path}: source file not found (see its README.md in {path.parent})")
    metas = read_all(data_dir)
    return merge(
        parse_unoda2018(paths[UNODA2018], meta=metas[UNODA2018]),
        parse_timeline(paths[TIMELINE], meta=metas[TIMELINE]),
        parse_icrc(paths[ICRC], meta=metas[ICRC]),
        untc,
        metas=metas,
    )
