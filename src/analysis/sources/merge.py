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
5. ``apply_corrections``: a depositary's statement, kept by hand in ``data/corrections.csv``, corrects the kind
   of a source's row (the Marshall Islands' Rarotonga signature of 2025-03-03, an accession on the timeline).

Steps 3 and 4 live in ``merge_untc``, step 5 in ``corrections``, the rows they share in ``merge_rows``.

Which row came from which source is told by its ``source`` address, read from ``data/sources/<label>.json``.
"""

from __future__ import annotations

from pathlib import Path

from .. import config
from ..schema import ICRC2020 as ICRC
from ..schema import TIMELINE2026 as TIMELINE
from ..schema import UNODA2018
from .corrections import apply_corrections, read_corrections
from .icrc import parse_icrc
from .merge_rows import Key, conflict, dates, describe, index, nearest
from .merge_untc import compare_untc, later_than_untc
from .meta import read_all
from .unoda import NON_UN, parse_timeline, parse_unoda2018

# ---- step 1: UNODA 2018 and the 2026 timeline ----------------------------------------------------------------


def _unoda_wins(key: Key, unoda: list[dict], timeline: list[dict], timeline_treaties: set) -> list[dict]:
    """UNODA 2018 has the action: register the timeline's other dates, or its silence on a consent."""
    unoda_days, described = dates(unoda), f"UNODA 2018 rows: {describe(unoda)}"
    out = [
        conflict(
            key,
            row["action"],
            UNODA2018,
            nearest(unoda_days, row["date"]),
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
            conflict(
                key, unoda[0]["action"], UNODA2018, unoda_days[0], TIMELINE, "", UNODA2018, "kept_unoda2018", described
            )
        )
    return out


def _timeline_fills(key: Key, timeline: list[dict], harvest_day: str) -> list[dict]:
    """UNODA 2018 lacks the action: the timeline's rows go in; those dated before the harvest are registered."""
    note = "dated before the 2018 harvest: a row the harvester skipped or UNODA added later"
    return [
        conflict(key, row["action"], UNODA2018, "", TIMELINE, row["date"], TIMELINE, "timeline_fills", note)
        for row in timeline
        if row["date"] <= harvest_day
    ]


def _unoda_and_timeline(unoda2018: list[dict], timeline: list[dict], metas: dict) -> tuple[list[dict], list[dict]]:
    events, conflicts = [], []
    by_unoda, by_timeline = index(unoda2018, NON_UN), index(timeline, NON_UN)
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
        conflict(
            key,
            first["action"],
            label,
            first["date"],
            ICRC,
            row["date"],
            label,
            "icrc_not_used",
            f"{label} rows: {describe(merged)}",
        )
        for row in icrc
        if row["date"] not in dates(merged)
    ]


def _icrc_only(key: Key, icrc: list[dict], timeline_treaties: set, harvest_day: str) -> tuple[list, list]:
    """Only the ICRC has a consent: it fills a treaty the timeline does not cover, else it is left out."""
    events, conflicts = [], []
    for row in icrc:
        if key[1] in timeline_treaties:
            note = "UNODA (2018 and 2026) lists no consent for this state"
            conflicts.append(conflict(key, "consent", TIMELINE, "", ICRC, row["date"], "none", "left_out", note))
            continue
        events.append(row)
        note = "the 2018 harvest has no consent for this state" + (
            " (after the harvest)" if row["date"] > harvest_day else ""
        )
        conflicts.append(conflict(key, "consent", UNODA2018, "", ICRC, row["date"], ICRC, "icrc_fills", note))
    return events, conflicts


def _icrc_lacks(key: Key, merged: list[dict], metas: dict) -> list[dict]:
    """A UNODA consent dated before the ICRC's day that the ICRC lacks: kept, registered."""
    first = min(merged, key=lambda row: row["date"])
    if first["date"] > metas[ICRC]["status_date"]:
        return []
    label = _unoda_label(first, metas)
    rule = "kept_unoda2018" if label == UNODA2018 else "timeline_fills"
    note = f"ICRC lists no date; {label} rows: {describe(merged)}"
    return [conflict(key, first["action"], label, first["date"], ICRC, "", label, rule, note)]


def _cross_check_icrc(events: list[dict], icrc: list[dict], timeline: list[dict], metas: dict) -> tuple[list, list]:
    """The ICRC's day of becoming party against the first consent of the merged rows (step 2)."""
    by_icrc, merged = index(icrc, NON_UN), index(events, NON_UN)
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
    corrections: list[dict] | None = None,
    corrections_file: str = "data/corrections.csv",
) -> tuple[list[dict], list[dict]]:
    """Events for the non-UN treaties and the disagreement register (see ``schema.MERGE_RULE`` and above).

    With ``untc`` (the UNTC events), the three sources are also compared with the UN-deposited treaties' UNTC
    rows (UNTC wins; nothing is added to events). ``metas`` defaults to ``data/sources/*.json``;
    ``corrections`` (the rules of ``data/corrections.csv``, step 5) to none.
    """
    metas = metas or read_all()
    events, conflicts = _unoda_and_timeline(unoda2018, timeline, metas)
    added, icrc_conflicts = _cross_check_icrc(events, icrc, timeline, metas)
    events, conflicts = events + added, conflicts + icrc_conflicts
    if untc is not None:
        conflicts += compare_untc(untc, unoda2018, timeline, icrc, metas=metas)
        events += later_than_untc(untc, timeline)
    events, corrected = apply_corrections(events, corrections or [], metas, corrections_file)
    conflicts += corrected
    conflicts.sort(key=lambda row: (row["treaty"], row["state"], row["action"], row["source_b"], row["date_b"]))
    return events, conflicts


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
    corrections_path = config.data_dir(data_dir) / "corrections.csv"
    corrections = read_corrections(corrections_path)
    return merge(
        parse_unoda2018(paths[UNODA2018], meta=metas[UNODA2018]),
        parse_timeline(paths[TIMELINE], meta=metas[TIMELINE]),
        parse_icrc(paths[ICRC], meta=metas[ICRC]),
        untc,
        metas=metas,
        corrections=corrections,
        corrections_file=str(corrections_path),
    )
