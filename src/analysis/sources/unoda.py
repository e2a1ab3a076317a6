"""The UNODA Treaties Database, twice: the per-state pages harvested mid-2018 and the 2026-08-22 timeline.

* ``treatydata.json`` (harvest of 2018-07-10): every signature and deposit, one row per depositary (London,
  Moscow, Washington, Paris, The Hague, Budapest, Ottawa, ...).
* ``timeline.html`` (survivalscores.org's timeline, generated from UNODA data on 2026-08-22): one dated sentence
  per action, one date per action type per state.

Both become rows of the events schema (``schema.EVENT_COLUMNS``); the address, day and note template each row
carries come from the source's metadata file (``data/sources/<label>.json``, read by ``meta``). The merge of
these with the ICRC's dates is ``merge``'s job.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..countries import source_country
from ..schema import TIMELINE2026 as TIMELINE
from ..schema import UNODA2018, is_iso_day
from .meta import read_meta

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
    "moon",
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
    "Moon Treaty (Celestial Bodies)": "moon",
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


class SourceFormatError(ValueError):
    """A source file does not have the shape its README describes."""


def event_row(state, treaty, action, day, depositary, meta: dict, note: str) -> dict:
    """One events row stamped with the source's address and day from its metadata."""
    return {
        "state": state,
        "treaty": treaty,
        "action": action,
        "date": day,
        "effective_date": "",
        "depositary": depositary,
        "source": meta["path"],
        "source_date": meta["status_date"],
        "source_kind": SOURCE_KIND,
        "ref": "",
        "note": note,
    }


def iso_day(value: str, where: str) -> str:
    """The value itself when it is an ISO day (``schema.is_iso_day``), else one clear error naming the spot."""
    if not is_iso_day(value):
        raise SourceFormatError(f"{where}: {value!r} is not a date YYYY-MM-DD")
    return value


# ---- UNODA per-state pages, 2018 harvest -----------------------------------------------------------------


def _read_harvest(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SourceFormatError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise SourceFormatError(f"{path}: expected an object state name -> treaties, got {type(data).__name__}")
    return data


def _harvest_treaty(where: str, treaty_name: str) -> str | None:
    """The registry id of a treaty name in the harvest; None for one read past on purpose; else an error."""
    if treaty_name in UNODA2018_SUMMARY or treaty_name in UNODA2018_NOT_IN_REGISTRY:
        return None
    if treaty_name not in UNODA2018_TREATIES:
        raise SourceFormatError(
            f"{where}: unknown treaty {treaty_name!r} (add it to UNODA2018_TREATIES or UNODA2018_NOT_IN_REGISTRY)"
        )
    return UNODA2018_TREATIES[treaty_name]


def _harvest_actor(state: str, day: str, name: str, meta: dict) -> tuple[str, str]:
    """Who acted and the row's note: a predecessor's act listed on a successor's page goes to the predecessor."""
    note = meta["row_note"].format(name=name)
    predecessor = PREDECESSOR_BEFORE.get(state)
    if predecessor and day < predecessor[1]:
        code, until = predecessor
        note += f"; listed on {name}'s page but dated before {until}: an act of its predecessor {code}, recorded under {code}"
        return code, note
    return state, note


def _harvest_rows(name: str, state: str, treaty_id: str, record: dict, where: str, meta: dict) -> list[dict]:
    acts, places, days = record.get("actions", []), record.get("places", []), record.get("dates", [])
    if not len(acts) == len(places) == len(days):
        raise SourceFormatError(f"{where}: actions, places and dates differ in length")
    rows = []
    for act, place, raw_day in zip(acts, places, days):
        if act not in UNODA2018_ACTIONS:
            raise SourceFormatError(f"{where}: unknown action {act!r}")
        day = iso_day(raw_day, where)
        actor, note = _harvest_actor(state, day, name, meta)
        rows.append(event_row(actor, treaty_id, UNODA2018_ACTIONS[act], day, place, meta, note))
    return rows


def parse_unoda2018(path: Path | str, resolve=source_country, meta: dict | None = None) -> list[dict]:
    """One events row per (state, treaty, action, depositary, date) in ``treatydata.json``.

    Registry treaties only (``UNODA2018_TREATIES``); the five treaties outside the registry are read past; any
    other treaty name is an error, so a changed file cannot drop rows silently. ``meta`` defaults to
    ``data/sources/unoda2018.json``.
    """
    path = Path(path)
    meta = meta or read_meta(UNODA2018)
    rows, seen = [], set()
    for name, treaties in _read_harvest(path).items():
        state = resolve(name)
        if not isinstance(treaties, dict):
            raise SourceFormatError(f"{path}: {name!r}: expected an object of treaties")
        for treaty_name, record in treaties.items():
            treaty_id = _harvest_treaty(f"{path}: {name!r}", treaty_name)
            if treaty_id is None:
                continue
            for row in _harvest_rows(name, state, treaty_id, record, f"{path}: {name!r}/{treaty_name!r}", meta):
                key = (row["state"], treaty_id, row["action"], row["date"], row["depositary"])
                if key not in seen:  # the same action listed twice for one depositary
                    seen.add(key)
                    rows.append(row)
    return rows


# ---- UNODA-fed timeline, 2026-08-22 ------------------------------------------------------------------------


def _flag_iso2(flag: str) -> str:
    letters = [char for char in flag.strip() if 0x1F1E6 <= ord(char) <= 0x1F1FF]
    if len(letters) != 2:
        raise SourceFormatError(f"flag {flag!r} is not two regional-indicator letters")
    return "".join(chr(ord(char) - 0x1F1E6 + ord("A")) for char in letters)


def _timeline_state(row, sentence_state: str, where: str, resolve) -> str:
    """The state from the row's flag (ISO2 tells the two Congos apart), checked against the sentence's name."""
    iso2 = _flag_iso2(row.xpath("string(./td[@class='flag'])"))
    state = resolve(iso2)
    by_name = resolve(sentence_state)
    if by_name != state:
        raise SourceFormatError(f"{where}: flag {iso2} ({state}) and name {sentence_state!r} ({by_name}) disagree")
    return state


def _timeline_row(row, where: str, resolve, meta: dict) -> dict | None:
    day = iso_day(row.xpath("string(./td[@class='date'])").strip(), where)
    sentence = " ".join(row.xpath("string(./td[last()])").split())
    match = _SENTENCE.match(sentence)
    if not match:
        raise SourceFormatError(f"{where}: sentence not understood: {sentence!r}")
    treaty_name = match["treaty"]
    if treaty_name in TIMELINE_SKIP:
        return None
    if treaty_name not in TIMELINE_TREATIES:
        raise SourceFormatError(f"{where}: unknown treaty {treaty_name!r} in {sentence!r}")
    state = _timeline_state(row, match["state"], where, resolve)
    treaty_id = TIMELINE_TREATIES[treaty_name]
    note = meta["row_note"].format(sentence=sentence)
    if match["verb"] == "withdrew from":
        note += "; 'withdrew from' is the page's wording: check the legal form (a revocation is not a withdrawal)"
    if treaty_id not in SINGLE_DEPOSITARY:
        note += "; the page gives one date per action, not the depositary"
    action = TIMELINE_VERBS[match["verb"]]
    return event_row(state, treaty_id, action, day, SINGLE_DEPOSITARY.get(treaty_id, ""), meta, note)


def parse_timeline(path: Path | str, resolve=source_country, meta: dict | None = None) -> list[dict]:
    """One events row per arms-control sentence of the timeline (``TIMELINE_TREATIES``).

    Non-arms-control treaties (``TIMELINE_SKIP``) are skipped; anything else not understood is an error.
    ``meta`` defaults to ``data/sources/timeline2026.json``.
    """
    import lxml.html

    path = Path(path)
    meta = meta or read_meta(TIMELINE)
    table_rows = lxml.html.parse(str(path)).getroot().xpath("//tr[td[@class='date']]")
    if not table_rows:
        raise SourceFormatError(f"{path}: no timeline rows (<tr> with a <td class='date'>)")
    rows = []
    for number, table_row in enumerate(table_rows, start=1):
        row = _timeline_row(table_row, f"{path}, timeline row {number}", resolve, meta)
        if row is not None:
            rows.append(row)
    return rows
