"""Participation in the treaties the UN Secretary-General does not hold, from three non-UNTC sources.

Sources (read-only copies in ../shared/data; see data/README.md):

* UNODA per-state pages harvested mid-2018 (``treatydata.json``): every signature and deposit, one row per
  depositary (London, Moscow, Washington, Paris, The Hague, Budapest, Ottawa, ...).
* The UNODA-fed timeline of survivalscores.org as generated on 2026-08-22 (``timeline.html``): one dated
  sentence per action, one date per action type per state.
* The ICRC spreadsheet of states party to IHL treaties as of 2020-11-09 (``.xls``): the date a state became
  party, no signatures, no kind of instrument.

The parsers turn each into rows of the events schema (``build.EVENT_COLUMNS``); :func:`merge` applies the
merge rule (``MERGE_RULE``) and returns the events for the non-UN treaties plus a register of every place
where the sources disagree (``data/conflicts.csv``, checked by :func:`validate_conflicts`).

Imports only ``analysis.countries`` from the package, so the build can call it without a cycle.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path

from .countries import resolve_country

EVENT_COLUMNS = [
    "state",
    "treaty",
    "action",
    "date",
    "effective_date",
    "depositary",
    "source",
    "source_date",
    "source_kind",
    "ref",
    "note",
]
CONFLICT_COLUMNS = [
    "state",
    "treaty",
    "action",
    "source_a",
    "date_a",
    "source_b",
    "date_b",
    "days_apart",
    "chosen",
    "rule",
    "note",
]

#: Source labels (as used in conflicts.csv), their dates and addresses.
UNODA2018, TIMELINE, ICRC, UNTC = "unoda2018", "timeline2026", "icrc2020", "untc"
SOURCE_DATE = {UNODA2018: "2018-07-10", TIMELINE: "2026-08-22", ICRC: "2020-11-09"}
UNODA2018_SOURCE = "http://disarmament.un.org/treaties/"
UNODA2018_VIA = (
    "UNODA Treaties Database per-state page (disarmament.un.org/treaties/s/<state>) for '{name}', "
    "harvested mid-2018 and published as treatydata.json in github.com/ohnemax/treatyratification "
    "at commit 555020d324023db62da6fab4a798b803a985510a (2018-07-10)"
)
TIMELINE_SOURCE = "https://survivalscores.org/timeline.html"
TIMELINE_VIA = (
    "UNODA Treaties Database as rendered by survivalscores.org's timeline of 2026-08-22 (github.com/"
    "arthuredelstein/survivalscores.org, gh-pages branch, commit b7cc254a44bd6c459d4b5c200ee3e11e1cc9da32)"
    "; sentence: '{sentence}'"
)
ICRC_SOURCE = (
    "https://github.com/m-g-d-c/crba-etl/blob/4f426bc6c0de2a6d24ebb6a25b35634eb25ff1ea/data_in/"
    "data_raw_manually_extracted/machine_entered/S-168,%20S-169,%20S-170-IHL_and_other_related_Treaties.xls"
)
ICRC_VIA = (
    "ICRC, 'States party to IHL and other related treaties' as of 9 Nov 2020 (copy in m-g-d-c/crba-etl at the "
    "source address); date the state became party, kind of instrument not given"
)
SOURCE_KIND = "international organisation"

#: Treaties that go to events from these sources (the registry ids without a UNTC page).
NON_UN = (
    "npt",
    "bwc",
    "ptbt",
    "geneva_protocol",
    "outer_space",
    "seabed",
    "tlatelolco",
    "rarotonga",
    "bangkok",
    "pelindaba",
    "canwfz",
    "cfe",
    "open_skies",
)
#: UN-deposited treaties: parsed too, but only compared with the UNTC rows in the conflict register.
UN = ("enmod", "ccw", "cwc", "ctbt", "apmbc", "ccm", "att", "tpnw")

UNODA2018_TREATIES = {
    "Treaty on the Non-Proliferation of Nuclear Weapons (NPT)": "npt",
    "Biological Weapons Convention": "bwc",
    "Partial Test Ban Treaty": "ptbt",
    "1925 Geneva Protocol": "geneva_protocol",
    "Outer Space Treaty": "outer_space",
    "Sea-Bed Treaty": "seabed",
    "Treaty of Tlatelolco": "tlatelolco",
    "South Pacific Nuclear Free Zone Treaty": "rarotonga",
    "Bangkok Treaty": "bangkok",
    "Pelindaba Treaty": "pelindaba",
    "Treaty on a Nuclear-Weapon-Free Zone in Central Asia (CANWFZ)": "canwfz",
    "Treaty on Conventional Armed Forces in Europe (CFE)": "cfe",
    "Treaty on Open Skies": "open_skies",
    "Convention on Environmental Modification Techniques (ENMOD)": "enmod",
    "Convention on Certain Conventional Weapons": "ccw",
    "Chemical Weapons Convention": "cwc",
    "Comprehensive Nuclear-Test-Ban Treaty": "ctbt",
    "Anti-Personnel Mine Ban Convention": "apmbc",
    "Convention on Cluster Munitions": "ccm",
    "Arms Trade Treaty": "att",
    "Treaty on the Prohibition of Nuclear Weapons": "tpnw",
}
#: In the 2018 file but not in the registry: read past on purpose.
UNODA2018_NOT_IN_REGISTRY = frozenset(
    {
        "Antarctic Treaty",
        "Moon Treaty (Celestial Bodies)",
        "Kinshasa Convention",
        "Inter-American Convention on Firearms",
        "Inter-American Convention on Transparency",
        "International Convention for the Suppression of Acts of Nuclear Terrorism",
    }
)
#: Per-state summary fields the harvester computed (not treaties).
UNODA2018_SUMMARY = frozenset(
    {
        "signed",
        "ratified",
        "acceded",
        "signedandratified",
        "totaltreaties",
        "ratificationtime-mean",
        "ratificationtime-max",
        "ratificationtime-min",
        "ratificationtime-median",
    }
)
UNODA2018_ACTIONS = {
    "Signature": "signature",
    "Deposit of instruments of ratification": "ratification",
    "Deposit of instruments of accession": "accession",
    "Deposit of instruments of succession": "succession",
    "Deposit of instruments of acceptance": "acceptance",
    "Deposit of instruments of approval": "approval",
}
#: Rows UNODA shows on a successor state's page that are the predecessor's own acts: Serbia's page lists the
#: SFRY's PTBT signature (1963) and ratification (1964) and, like Montenegro's, its Outer Space signature (1967). The dataset keeps SFRY acts under YUG
#: (as the UNTC pages do) and FRY/Serbia-and-Montenegro acts under SRB (its continuator); USSR acts stay under
#: RUS as both UNODA and UNTC list them.
PREDECESSOR_BEFORE = {"SRB": ("YUG", "1992-04-27"), "MNE": ("YUG", "1992-04-27")}

TIMELINE_TREATIES = {
    "Non-Proliferation Treaty": "npt",
    "Biological Weapons Convention": "bwc",
    "Treaty for the Prohibition of Nuclear Weapons in Latin America and the Caribbean": "tlatelolco",
    "South Pacific Nuclear-Free Zone Treaty": "rarotonga",
    "Southeast Asian Nuclear-Weapon-Free Zone Treaty": "bangkok",
    "African Nuclear-Weapon-Free Zone Treaty": "pelindaba",
    "Central Asian Nuclear-Weapon-Free Zone Treaty": "canwfz",
    "Comprehensive Nuclear-Test-Ban Treaty": "ctbt",
    "Prohibition of Nuclear Weapons": "tpnw",
}
#: Not arms control: skipped.
TIMELINE_SKIP = frozenset(
    {
        "International Criminal Court",
        "ICC Crime of Aggression Amendment",
        "Paris Agreement on Climate",
        "Convention on Biological Diversity",
    }
)
TIMELINE_VERBS = {
    "signed": "signature",
    "ratified": "ratification",
    "acceded to": "accession",
    "succeeded to": "succession",
    "succeeded": "succession",
    "accepted": "acceptance",
    "approved": "approval",
    "withdrew from": "withdrawal",
}
_SENTENCE = re.compile(
    r"^(?P<state>.+?) (?P<verb>signed|ratified|acceded to|succeeded to|succeeded|accepted|"
    r"approved|withdrew from) the (?P<treaty>.+?)\.?$"
)
#: The depositary of the single-depositary treaties, as the 2018 UNODA pages name it.
SINGLE_DEPOSITARY = {
    "tlatelolco": "Mexico City",
    "rarotonga": "PIFS",
    "bangkok": "Bangkok",
    "pelindaba": "African Union",
    "canwfz": "Bishkek",
    "geneva_protocol": "Paris",
    "cfe": "The Hague",
}

ICRC_SHEET = "IHL and other related Treaties"
ICRC_COLUMNS = {
    "Geneva Gas Prot. 1925": "geneva_protocol",
    "BWC 1972": "bwc",
    "ENMOD Conv. 1976": "enmod",
    "CCW 1980": "ccw",
    "CWC 1993": "cwc",
    "AP Mine Ban Conv. 1997": "apmbc",
    "Cluster Munitions 2008": "ccm",
    "ATT 2013": "att",
    "TPNW 2017": "tpnw",
}

CONSENT = ("ratification", "accession", "acceptance", "approval", "succession", "consent", "definitive_signature")

MERGE_RULE = {
    "unoda2018": "UNODA per-state record (depositary-reported, one row per depositary) wins; every depositary's "
    "row is kept",
    "timeline_fills": "UNODA 2018 harvest lacks the action (skipped row or after July 2018): the 2026 UNODA "
    "timeline's row is added",
    "icrc_fills": "no UNODA source has a consent (Geneva Protocol only; the timeline does not cover it): the ICRC "
    "date becomes a 'consent' row",
    "icrc_not_used": "ICRC is a cross-check only: its date is never used where a UNODA source has the action",
    "left_out": "only one source has the action and a more recent UNODA source that covers the treaty lacks it: "
    "left out of events",
    "kept_unoda2018": "the newer source lacks an action the 2018 UNODA record has: the 2018 row is kept",
    "untc_wins": "UN-deposited treaty: the UNTC status page (the depositary) wins; compared here only",
}


class SourceFormatError(ValueError):
    """A source file does not have the shape its README describes."""


def _row(state, treaty, action, day, depositary, source, source_date, note, ref="") -> dict:
    return {
        "state": state,
        "treaty": treaty,
        "action": action,
        "date": day,
        "effective_date": "",
        "depositary": depositary,
        "source": source,
        "source_date": source_date,
        "source_kind": SOURCE_KIND,
        "ref": ref,
        "note": note,
    }


def _iso(value: str, where: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise SourceFormatError(f"{where}: {value!r} is not a date YYYY-MM-DD") from None


# ---- UNODA per-state pages, 2018 harvest -----------------------------------------------------------------


def parse_unoda2018(path: Path | str, resolve=resolve_country) -> list[dict]:
    """One events row per (state, treaty, action, depositary, date) in ``treatydata.json``.

    Registry treaties only (``UNODA2018_TREATIES``); the six treaties outside the registry are read past; any
    other treaty name is an error, so a changed file cannot drop rows silently.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SourceFormatError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise SourceFormatError(f"{path}: expected an object state name -> treaties, got {type(data).__name__}")
    rows, seen = [], set()
    for name, treaties in data.items():
        state = resolve(name)
        if not isinstance(treaties, dict):
            raise SourceFormatError(f"{path}: {name!r}: expected an object of treaties")
        for tname, rec in treaties.items():
            if tname in UNODA2018_SUMMARY or tname in UNODA2018_NOT_IN_REGISTRY:
                continue
            if tname not in UNODA2018_TREATIES:
                raise SourceFormatError(
                    f"{path}: {name!r}: unknown treaty {tname!r} (add it to "
                    f"UNODA2018_TREATIES or UNODA2018_NOT_IN_REGISTRY)"
                )
            tid = UNODA2018_TREATIES[tname]
            acts, places, dates = rec.get("actions", []), rec.get("places", []), rec.get("dates", [])
            if not len(acts) == len(places) == len(dates):
                raise SourceFormatError(f"{path}: {name!r}/{tname!r}: actions, places and dates differ in length")
            for act, place, d in zip(acts, places, dates):
                if act not in UNODA2018_ACTIONS:
                    raise SourceFormatError(f"{path}: {name!r}/{tname!r}: unknown action {act!r}")
                day = _iso(d, f"{path}: {name!r}/{tname!r}")
                who, note = state, UNODA2018_VIA.format(name=name)
                pred = PREDECESSOR_BEFORE.get(state)
                if pred and day < pred[1]:
                    who = pred[0]
                    note += (
                        f"; listed on {name}'s page but dated before {pred[1]}: an act of its predecessor "
                        f"{pred[0]}, recorded under {pred[0]}"
                    )
                key = (who, tid, UNODA2018_ACTIONS[act], day, place)
                if key in seen:  # the same action listed twice for one depositary
                    continue
                seen.add(key)
                rows.append(
                    _row(who, tid, UNODA2018_ACTIONS[act], day, place, UNODA2018_SOURCE, SOURCE_DATE[UNODA2018], note)
                )
    return rows


# ---- UNODA-fed timeline, 2026-08-22 ------------------------------------------------------------------------


def _flag_iso2(flag: str) -> str:
    letters = [c for c in flag.strip() if 0x1F1E6 <= ord(c) <= 0x1F1FF]
    if len(letters) != 2:
        raise SourceFormatError(f"flag {flag!r} is not two regional-indicator letters")
    return "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in letters)


def parse_timeline(path: Path | str, resolve=resolve_country) -> list[dict]:
    """One events row per arms-control sentence of the timeline (``TIMELINE_TREATIES``).

    The state comes from the flag (ISO2, which tells the two Congos apart) and is checked against the name in
    the sentence; non-arms-control treaties (``TIMELINE_SKIP``) are skipped; anything else is an error.
    """
    import lxml.html

    path = Path(path)
    doc = lxml.html.parse(str(path)).getroot()
    trs = doc.xpath("//tr[td[@class='date']]")
    if not trs:
        raise SourceFormatError(f"{path}: no timeline rows (<tr> with a <td class='date'>)")
    rows = []
    for i, tr in enumerate(trs, start=1):
        where = f"{path}, timeline row {i}"
        day = _iso(tr.xpath("string(./td[@class='date'])").strip(), where)
        sentence = " ".join(tr.xpath("string(./td[last()])").split())
        m = _SENTENCE.match(sentence)
        if not m:
            raise SourceFormatError(f"{where}: sentence not understood: {sentence!r}")
        tname = m["treaty"]
        if tname in TIMELINE_SKIP:
            continue
        if tname not in TIMELINE_TREATIES:
            raise SourceFormatError(f"{where}: unknown treaty {tname!r} in {sentence!r}")
        iso2 = _flag_iso2(tr.xpath("string(./td[@class='flag'])"))
        state = resolve(iso2)
        by_name = resolve(m["state"])
        if by_name != state:
            raise SourceFormatError(f"{where}: flag {iso2} ({state}) and name {m['state']!r} ({by_name}) disagree")
        tid = TIMELINE_TREATIES[tname]
        note = TIMELINE_VIA.format(sentence=sentence)
        if m["verb"] == "withdrew from":
            note += "; 'withdrew from' is the page's wording: check the legal form (a revocation is not a withdrawal)"
        if tid not in SINGLE_DEPOSITARY:
            note += "; the page gives one date per action, not the depositary"
        rows.append(
            _row(
                state,
                tid,
                TIMELINE_VERBS[m["verb"]],
                day,
                SINGLE_DEPOSITARY.get(tid, ""),
                TIMELINE_SOURCE,
                SOURCE_DATE[TIMELINE],
                note,
            )
        )
    return rows


# ---- ICRC spreadsheet, 2020-11-09 -------------------------------------------------------------------------


def _icrc_date(cell, datemode: int, where: str) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        return datetime(*xlrd.xldate_as_tuple(cell.value, datemode)[:3]).date().isoformat()
    if cell.ctype == xlrd.XL_CELL_TEXT:
        m = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", cell.value.strip())
        if m:
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
    raise SourceFormatError(f"{where}: {cell.value!r} is not a date (Excel date or dd.mm.yyyy)")


def parse_icrc(path: Path | str, resolve=resolve_country) -> list[dict]:
    """One ``consent`` row per state and arms-control column (``ICRC_COLUMNS``) holding a date.

    The spreadsheet gives the day the state became party, not the instrument: the action is ``consent``.
    """
    import xlrd

    path = Path(path)
    book = xlrd.open_workbook(str(path))
    if ICRC_SHEET not in book.sheet_names():
        raise SourceFormatError(f"{path}: no sheet {ICRC_SHEET!r} (has {book.sheet_names()})")
    sh = book.sheet_by_name(ICRC_SHEET)
    header = [str(sh.cell_value(1, c)).strip() for c in range(sh.ncols)]
    cols = {c: ICRC_COLUMNS[h] for c, h in enumerate(header) if h in ICRC_COLUMNS}
    missing = set(ICRC_COLUMNS) - {header[c] for c in cols}
    if missing:
        raise SourceFormatError(f"{path}: header row 2 lacks column(s) {sorted(missing)}")
    rows = []
    for r in range(2, sh.nrows):
        name = str(sh.cell_value(r, 0)).strip()
        if not name or name == "Total":
            if name == "Total":
                break
            continue
        state = resolve(name)
        for c, tid in cols.items():
            cell = sh.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_EMPTY or (cell.ctype == xlrd.XL_CELL_TEXT and not cell.value.strip()):
                continue
            day = _icrc_date(cell, book.datemode, f"{path}, sheet {ICRC_SHEET!r}, row {r + 1}, {header[c]!r}")
            rows.append(
                _row(
                    state,
                    tid,
                    "consent",
                    day,
                    SINGLE_DEPOSITARY.get(tid, ""),
                    ICRC_SOURCE,
                    SOURCE_DATE[ICRC],
                    f"{ICRC_VIA}; row '{name}', column '{header[c]}'",
                )
            )
    return rows


# ---- merge -------------------------------------------------------------------------------------------------


def _kind(action: str) -> str:
    return "consent" if action in CONSENT else action


def _days(a: str, b: str) -> int | str:
    if not a or not b:
        return ""
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def _index(rows: list[dict], treaties) -> dict[tuple[str, str, str], list[dict]]:
    out: dict[tuple[str, str, str], list[dict]] = {}
    for r in rows:
        if r["treaty"] in treaties:
            out.setdefault((r["state"], r["treaty"], _kind(r["action"])), []).append(r)
    return out


def _conflict(state, treaty, action, src_a, date_a, src_b, date_b, chosen, rule, note="") -> dict:
    return {
        "state": state,
        "treaty": treaty,
        "action": action,
        "source_a": src_a,
        "date_a": date_a,
        "source_b": src_b,
        "date_b": date_b,
        "days_apart": _days(date_a, date_b),
        "chosen": chosen,
        "rule": rule,
        "note": note,
    }


def _dates(rows: list[dict]) -> list[str]:
    return sorted({r["date"] for r in rows})


def _describe(rows: list[dict]) -> str:
    return "; ".join(
        f"{r['action']} {r['date']}" + (f" ({r['depositary']})" if r["depositary"] else "")
        for r in sorted(rows, key=lambda r: (r["date"], r["depositary"]))
    )


def merge(
    unoda2018: list[dict], timeline: list[dict], icrc: list[dict], untc: list[dict] | None = None
) -> tuple[list[dict], list[dict]]:
    """Events for the non-UN treaties and the disagreement register (see ``MERGE_RULE``).

    Per state x treaty x kind of action (signature, consent, withdrawal):

    1. UNODA 2018 has it: all its rows (every depositary) go to events. The timeline's date, when it matches
       none of them, and the ICRC date, when it is not the first consent, are registered as conflicts.
    2. UNODA 2018 lacks it and the timeline has it: the timeline row goes to events (registered).
    3. Only ICRC has a consent: for a treaty the timeline does not cover (Geneva Protocol), the ICRC row goes to
       events (registered); for one it covers (BWC), UNODA 2026 does not list the state, so it stays out.
    4. UNODA 2018 has a consent that a later source covering the treaty lacks: kept, registered.

    With ``untc`` (the UNTC events), the three sources are also compared with the UN-deposited treaties' UNTC
    rows (UNTC wins; nothing is added to events).
    """
    events: list[dict] = []
    conflicts: list[dict] = []
    u = _index(unoda2018, NON_UN)
    t = _index(timeline, NON_UN)
    c = _index(icrc, NON_UN)
    timeline_treaties = {r["treaty"] for r in timeline}
    for key in sorted(set(u) | set(t)):
        state, treaty, kind = key
        urows, trows = u.get(key, []), t.get(key, [])
        if urows:
            events += urows
            udates = _dates(urows)
            for tr in trows:
                if tr["date"] not in udates:
                    near = min(udates, key=lambda d: _days(d, tr["date"]))
                    conflicts.append(
                        _conflict(
                            state,
                            treaty,
                            tr["action"],
                            UNODA2018,
                            near,
                            TIMELINE,
                            tr["date"],
                            UNODA2018,
                            "unoda2018",
                            f"UNODA 2018 rows: {_describe(urows)}",
                        )
                    )
            if not trows and treaty in timeline_treaties and kind != "signature":
                conflicts.append(
                    _conflict(
                        state,
                        treaty,
                        urows[0]["action"],
                        UNODA2018,
                        udates[0],
                        TIMELINE,
                        "",
                        UNODA2018,
                        "kept_unoda2018",
                        f"UNODA 2018 rows: {_describe(urows)}",
                    )
                )
        else:
            events += trows
            for tr in trows:
                if tr["date"] <= SOURCE_DATE[UNODA2018]:
                    conflicts.append(
                        _conflict(
                            state,
                            treaty,
                            tr["action"],
                            UNODA2018,
                            "",
                            TIMELINE,
                            tr["date"],
                            TIMELINE,
                            "timeline_fills",
                            "dated before the 2018 harvest: a row the harvester skipped or UNODA added later",
                        )
                    )
    # ICRC: the day a state became party, against the first consent of the merged rows
    merged = _index(events, NON_UN)
    for key in sorted(set(c) | {k for k in merged if k[1] in {r["treaty"] for r in icrc} and k[2] == "consent"}):
        state, treaty, kind = key
        crows, mrows = c.get(key, []), merged.get(key, [])
        if crows and mrows:
            first = min(mrows, key=lambda r: r["date"])
            src = UNODA2018 if first["source"] == UNODA2018_SOURCE else TIMELINE
            for cr in crows:
                if cr["date"] not in _dates(mrows):
                    conflicts.append(
                        _conflict(
                            state,
                            treaty,
                            first["action"],
                            src,
                            first["date"],
                            ICRC,
                            cr["date"],
                            src,
                            "icrc_not_used",
                            f"{src} rows: {_describe(mrows)}",
                        )
                    )
        elif crows:
            for cr in crows:
                if treaty in timeline_treaties:
                    conflicts.append(
                        _conflict(
                            state,
                            treaty,
                            "consent",
                            TIMELINE,
                            "",
                            ICRC,
                            cr["date"],
                            "none",
                            "left_out",
                            "UNODA (2018 and 2026) lists no consent for this state",
                        )
                    )
                else:
                    events.append(cr)
                    conflicts.append(
                        _conflict(
                            state,
                            treaty,
                            "consent",
                            UNODA2018,
                            "",
                            ICRC,
                            cr["date"],
                            ICRC,
                            "icrc_fills",
                            "the 2018 harvest has no consent for this state"
                            + (" (after the harvest)" if cr["date"] > SOURCE_DATE[UNODA2018] else ""),
                        )
                    )
        else:  # a UNODA consent before the ICRC's date that ICRC lacks
            first = min(mrows, key=lambda r: r["date"])
            if first["date"] <= SOURCE_DATE[ICRC]:
                src = UNODA2018 if first["source"] == UNODA2018_SOURCE else TIMELINE
                conflicts.append(
                    _conflict(
                        state,
                        treaty,
                        first["action"],
                        src,
                        first["date"],
                        ICRC,
                        "",
                        src,
                        "kept_unoda2018" if src == UNODA2018 else "timeline_fills",
                        f"ICRC lists no date; {src} rows: {_describe(mrows)}",
                    )
                )
    if untc is not None:
        conflicts += compare_untc(untc, unoda2018, timeline, icrc)
    conflicts.sort(key=lambda r: (r["treaty"], r["state"], r["action"], r["source_b"], r["date_b"]))
    return events, conflicts


def compare_untc(untc: list[dict], *others: list[dict]) -> list[dict]:
    """Register where UNODA/ICRC rows for a UN-deposited treaty disagree with the UNTC page (UNTC wins).

    Compared by kind of action (signature, consent, withdrawal); a source lacking an action the other has is
    registered only when the action is dated before that source's own date (actions after the UNTC pages' date
    are not compared).
    """
    depositary = [r for r in untc if r.get("source_kind") == "depositary"]
    base = _index(depositary, UN)
    as_at = max((r["source_date"] for r in depositary if r.get("source_date")), default="9999-12-31")
    out = []
    for rows in others:
        if not rows:
            continue
        label = {UNODA2018_SOURCE: UNODA2018, TIMELINE_SOURCE: TIMELINE, ICRC_SOURCE: ICRC}[rows[0]["source"]]
        other = _index(rows, UN)
        kinds = {k[2] for k in other}
        covered = {k[1] for k in other}
        for key in sorted(set(base) | set(other)):
            state, treaty, kind = key
            if treaty not in covered or kind not in kinds:
                continue
            brows = base.get(key, [])
            orows = [o for o in other.get(key, []) if o["date"] <= as_at]  # later than the UNTC page: not a conflict
            if not brows and not orows:
                continue
            if brows and orows:
                for o in orows:
                    if o["date"] not in _dates(brows):
                        near = min(_dates(brows), key=lambda d: _days(d, o["date"]))
                        out.append(
                            _conflict(
                                state,
                                treaty,
                                o["action"],
                                UNTC,
                                near,
                                label,
                                o["date"],
                                UNTC,
                                "untc_wins",
                                f"UNTC rows: {_describe(brows)}",
                            )
                        )
            elif orows:
                for o in orows:
                    out.append(
                        _conflict(
                            state,
                            treaty,
                            o["action"],
                            UNTC,
                            "",
                            label,
                            o["date"],
                            "none",
                            "untc_wins",
                            "the UNTC page has no such action for this state",
                        )
                    )
            else:
                first = min(brows, key=lambda r: r["date"])
                if first["date"] <= SOURCE_DATE[label]:
                    out.append(
                        _conflict(
                            state,
                            treaty,
                            first["action"],
                            UNTC,
                            first["date"],
                            label,
                            "",
                            UNTC,
                            "untc_wins",
                            f"{label} has no such action",
                        )
                    )
    return out


def other_source_events(shared: Path, untc: list[dict] | None = None) -> tuple[list[dict], list[dict]]:
    """Parse the three sources under ``shared`` (build.SHARED) and merge them; raises if a file is missing."""
    paths = source_paths(shared)
    for p in paths.values():
        if not p.exists():
            raise FileNotFoundError(f"{p}: source file not found (see its README.md in {p.parent})")
    return merge(parse_unoda2018(paths[UNODA2018]), parse_timeline(paths[TIMELINE]), parse_icrc(paths[ICRC]), untc)


def source_paths(shared: Path) -> dict[str, Path]:
    shared = Path(shared)
    return {
        UNODA2018: shared / "unoda-states-2018" / "treatydata.json",
        TIMELINE: shared / "unoda-timeline-2026-08-22" / "timeline.html",
        ICRC: shared / "icrc-ihl-2020-11-09" / "ihl_and_other_related_treaties.xls",
    }


def available(shared: Path) -> bool:
    """True when all three source files are present."""
    return all(p.exists() for p in source_paths(shared).values())


# ---- the register's validation -----------------------------------------------------------------------------

_SOURCES = frozenset({UNODA2018, TIMELINE, ICRC, UNTC})


def validate_conflicts(path: Path | str, treaty_ids=None, state_codes=None) -> list[str]:
    """Every problem in ``conflicts.csv``, as 'file, line N, column C: ...' (empty list when all is well).

    Checks the columns, ISO3 codes and treaty ids (when given), the dates, that ``days_apart`` is the
    difference of the two dates, that at least one date is given and the two differ, that ``chosen`` is one of
    the two sources or 'none' and ``rule`` is a key of ``MERGE_RULE``, and that rows are unique.
    """
    path = Path(path)
    if not path.exists():
        return [f"{path}: file not found"]
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        cols, rows = list(reader.fieldnames or []), list(reader)
    errors = [f"{path}, line 1: missing column {c!r}" for c in CONFLICT_COLUMNS if c not in cols]
    if errors:
        return errors
    seen: dict[tuple, int] = {}
    for i, r in enumerate(rows, start=2):
        where = f"{path}, line {i}"
        if state_codes is not None and r["state"] not in state_codes:
            errors.append(f"{where}, column 'state': {r['state']!r} is not an ISO3 code of states.csv")
        if treaty_ids is not None and r["treaty"] not in treaty_ids:
            errors.append(f"{where}, column 'treaty': {r['treaty']!r} is not a treaty id of treaties.csv")
        for c in ("source_a", "source_b"):
            if r[c] not in _SOURCES:
                errors.append(f"{where}, column {c!r}: {r[c]!r}, expected one of {', '.join(sorted(_SOURCES))}")
        ok = True
        for c in ("date_a", "date_b"):
            if r[c]:
                try:
                    date.fromisoformat(r[c])
                    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[c]):
                        raise ValueError
                except ValueError:
                    errors.append(f"{where}, column {c!r}: {r[c]!r} is not a date YYYY-MM-DD")
                    ok = False
        if not r["date_a"] and not r["date_b"]:
            errors.append(f"{where}: both dates empty; a conflict needs at least one")
        elif ok and r["date_a"] == r["date_b"]:
            errors.append(f"{where}: date_a and date_b are equal ({r['date_a']}); not a disagreement")
        elif ok:
            expected = str(_days(r["date_a"], r["date_b"]))
            if r["days_apart"] != expected:
                errors.append(f"{where}, column 'days_apart': {r['days_apart']!r}, expected {expected!r}")
        if r["chosen"] not in (r["source_a"], r["source_b"], "none"):
            errors.append(f"{where}, column 'chosen': {r['chosen']!r} is neither source_a, source_b nor 'none'")
        if r["rule"] not in MERGE_RULE:
            errors.append(f"{where}, column 'rule': {r['rule']!r} is not a rule of othersources.MERGE_RULE")
        key = tuple(r[c] for c in CONFLICT_COLUMNS[:7])
        if key in seen:
            errors.append(f"{where}: duplicate of line {seen[key]}")
        seen.setdefault(key, i)
    return errors
