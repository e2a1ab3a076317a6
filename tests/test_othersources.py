"""The UNODA/ICRC sources for the treaties the UN does not hold: parsers, merge rule, conflict register, counts.

The first half runs on small excerpts in tests/fixtures (rows copied unchanged from the real files); the second
half (marked `shared`) runs on the real files in ../shared/data and on the built data/ and is skipped with a
reason when ../shared is absent.
"""

from __future__ import annotations

import csv
import json
import re

import pandas as pd
import pytest
import xlrd
from conftest import DATA, FIXTURES, SHARED

from analysis.schema import (
    CONFLICT_COLUMNS,
    CONSENT,
    EDTF_COLUMNS,
    EVENT_COLUMNS,
    ICRC2020,
    TIMELINE2026,
    UNODA2018,
)
from analysis.sources import attributions, icrc, unoda
from analysis.sources.corrections import read_corrections
from analysis.sources.merge import merge, source_paths
from analysis.sources.meta import read_meta
from analysis.validation import validate_conflicts

needs_shared = pytest.mark.skipif(
    not SHARED.exists(), reason=f"{SHARED} not found: the UNODA/ICRC source files live in ../shared (read only)"
)
#: The source addresses every parsed row carries, read from the sources' metadata files (data/sources/).
UNODA2018_SOURCE = read_meta("unoda2018")["path"]
TIMELINE_SOURCE = read_meta("timeline2026")["path"]
ICRC_SOURCE = read_meta("icrc2020")["path"]
UNODA_JSON = FIXTURES / "unoda_states_2018_excerpt.json"
TIMELINE_HTML = FIXTURES / "timeline_excerpt.html"
#: The depositaries' corrections the build applies (merge step 5).
CORRECTIONS = read_corrections(DATA / "corrections.csv")


def _by(rows, state, treaty, action=None):
    return sorted(
        (
            r
            for r in rows
            if r["state"] == state and r["treaty"] == treaty and (action is None or r["action"] == action)
        ),
        key=lambda r: (r["date"], r["depositary"]),
    )


# ---- parsers on the fixtures ---------------------------------------------------------------------------


def test_unoda2018_keeps_every_depositary_row():
    rows = unoda.parse_unoda2018(UNODA_JSON)
    fra = _by(rows, "FRA", "npt")
    assert [(r["action"], r["date"], r["depositary"]) for r in fra] == [
        ("accession", "1992-08-02", "Moscow"),
        ("accession", "1992-08-03", "London"),
        ("accession", "1992-08-03", "Washington"),
    ]
    assert {r["depositary"] for r in _by(rows, "FRA", "bwc")} == {"London", "Moscow", "Washington"}
    r = fra[0]
    assert r["source"] == UNODA2018_SOURCE and r["source_date"] == "2018-07-10"
    assert r["source_kind"] == "international organisation"
    assert "ohnemax/treatyratification" in r["note"] and "'France'" in r["note"]
    assert list(r) == [c for c in EVENT_COLUMNS if c not in EDTF_COLUMNS]  # a parsed row is an exact day


def test_unoda2018_reads_past_other_treaties_and_summaries():
    rows = unoda.parse_unoda2018(UNODA_JSON)
    assert {r["treaty"] for r in rows} <= set(unoda.NON_UN) | set(unoda.UN)
    assert not _by(rows, "FRA", "pelindaba")  # France's page: zone treaties only through protocols (skipped)
    assert [(r["action"], r["date"]) for r in _by(rows, "KAZ", "canwfz")] == [
        ("signature", "2006-09-08"),
        ("ratification", "2009-02-19"),
    ]
    assert _by(rows, "CIV", "geneva_protocol")[0]["date"] == "1970-07-27"  # "C&ocirc;te d'Ivoire"


def test_unoda2018_sfry_rows_on_serbias_page_go_to_yug():
    rows = unoda.parse_unoda2018(UNODA_JSON)
    assert [(r["action"], r["date"]) for r in _by(rows, "YUG", "ptbt")] == [
        ("signature", "1963-08-08"),
        ("ratification", "1964-01-31"),
    ]
    assert [(r["action"], r["date"]) for r in _by(rows, "SRB", "ptbt")] == [("succession", "2006-06-03")]
    assert "predecessor YUG" in _by(rows, "YUG", "ptbt")[0]["note"]


def test_unoda2018_unknown_treaty_or_action_is_an_error(tmp_path):
    data = json.loads(UNODA_JSON.read_text(encoding="utf-8"))
    data["France"]["Some New Treaty"] = {"actions": [], "places": [], "dates": []}
    bad = tmp_path / "t.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(unoda.SourceFormatError, match="unknown treaty 'Some New Treaty'"):
        unoda.parse_unoda2018(bad)
    data = json.loads(UNODA_JSON.read_text(encoding="utf-8"))
    data["France"]["Biological Weapons Convention"]["actions"][0] = "Deposit of a note"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(unoda.SourceFormatError, match="unknown action 'Deposit of a note'"):
        unoda.parse_unoda2018(bad)


def test_timeline_parses_flags_verbs_and_skips_non_arms_control():
    rows = unoda.parse_timeline(TIMELINE_HTML)
    got = {(r["state"], r["treaty"], r["action"], r["date"]) for r in rows}
    assert got == {
        ("MHL", "rarotonga", "accession", "2025-03-03"),
        ("RUS", "ctbt", "withdrawal", "2023-11-03"),
        ("CAF", "bwc", "ratification", "2018-09-25"),
        ("NIU", "bwc", "accession", "2018-06-14"),
        ("MNE", "npt", "succession", "2006-12-12"),  # "Montenegro succeeded the Non-Proliferation Treaty."
        ("COG", "pelindaba", "signature", "1997-01-27"),
        ("COD", "pelindaba", "signature", "1996-04-11"),
    }
    assert not any(r["treaty"] == "icc" for r in rows)  # Chad / ICC row skipped
    by = {(r["state"], r["treaty"]): r for r in rows}
    assert by[("MHL", "rarotonga")]["depositary"] == "PIFS"
    assert by[("NIU", "bwc")]["depositary"] == ""  # the page does not say which depositary
    assert "revocation is not a withdrawal" in by[("RUS", "ctbt")]["note"]
    assert by[("CAF", "bwc")]["source"] == TIMELINE_SOURCE and by[("CAF", "bwc")]["source_date"] == "2026-08-22"


def test_timeline_flag_and_name_must_agree(tmp_path):
    html = TIMELINE_HTML.read_text(encoding="utf-8").replace(
        "Niue acceded to the Biological", "Nauru acceded to the Biological"
    )
    bad = tmp_path / "t.html"
    bad.write_text(html, encoding="utf-8")
    with pytest.raises(unoda.SourceFormatError, match="flag NU .* disagree"):
        unoda.parse_timeline(bad)


def test_icrc_cells():
    assert icrc._icrc_date(xlrd.sheet.Cell(xlrd.XL_CELL_DATE, 31755.0), 0, "x") == "1986-12-09"
    assert icrc._icrc_date(xlrd.sheet.Cell(xlrd.XL_CELL_TEXT, "09.08.2017"), 0, "x") == "2017-08-09"
    assert icrc._icrc_date(xlrd.sheet.Cell(xlrd.XL_CELL_TEXT, "19/03/2014"), 0, "x") == "2014-03-19"
    with pytest.raises(unoda.SourceFormatError, match="not a date"):
        icrc._icrc_date(xlrd.sheet.Cell(xlrd.XL_CELL_TEXT, "yes"), 0, "x")


# ---- merge rule on the fixtures --------------------------------------------------------------------------


def _icrc(state, treaty, day):
    return unoda.event_row(
        state, treaty, "consent", day, unoda.SINGLE_DEPOSITARY.get(treaty, ""), read_meta("icrc2020"), "test"
    )


def test_merge_rule():
    u = unoda.parse_unoda2018(UNODA_JSON)
    t = unoda.parse_timeline(TIMELINE_HTML)
    # a timeline date that disagrees with the 2018 record: France's NPT accession one day off
    t.append(dict(t[0], state="FRA", treaty="npt", action="accession", date="1992-08-05", depositary=""))
    icrc = [
        _icrc("CIV", "geneva_protocol", "1970-07-27"),  # agrees
        _icrc("FRA", "bwc", "1984-10-27"),  # disagrees: cross-check only
        _icrc("ARM", "geneva_protocol", "2018-03-13"),  # no UNODA source: fills
        _icrc("AUT", "bwc", "1973-08-10"),
    ]  # no UNODA row though BWC is on the timeline
    events, conflicts = merge(u, t, icrc)
    keys = {(e["state"], e["treaty"], e["action"], e["date"], e["depositary"]) for e in events}
    assert ("FRA", "npt", "accession", "1992-08-02", "Moscow") in keys
    assert not any(e["state"] == "FRA" and e["date"] == "1992-08-05" for e in events)
    assert ("CAF", "bwc", "ratification", "2018-09-25", "") in keys  # timeline fills
    assert ("ARM", "geneva_protocol", "consent", "2018-03-13", "Paris") in keys  # ICRC fills
    assert not any(e["state"] == "AUT" for e in events)
    assert not any(e["treaty"] in unoda.UN for e in events)  # UN treaties never go to events from here
    c = {(r["state"], r["treaty"], r["source_b"]): r for r in conflicts}
    assert c[("FRA", "npt", TIMELINE2026)]["chosen"] == UNODA2018
    assert (
        c[("FRA", "npt", TIMELINE2026)]["date_a"] == "1992-08-03" and c[("FRA", "npt", TIMELINE2026)]["days_apart"] == 2
    )
    assert c[("FRA", "bwc", ICRC2020)]["rule"] == "icrc_not_used" and c[("FRA", "bwc", ICRC2020)]["days_apart"] == 30
    assert c[("ARM", "geneva_protocol", ICRC2020)]["chosen"] == ICRC2020
    assert c[("AUT", "bwc", ICRC2020)]["chosen"] == "none" and c[("AUT", "bwc", ICRC2020)]["rule"] == "left_out"
    assert c[("NIU", "bwc", TIMELINE2026)]["rule"] == "timeline_fills"  # dated before the 2018 harvest
    assert ("CAF", "bwc", TIMELINE2026) not in c  # after the harvest: not a disagreement
    assert ("CIV", "geneva_protocol", ICRC2020) not in c
    # Kazakhstan's NPT: the 2018 record has it and the timeline does not: kept and registered
    assert c[("KAZ", "npt", TIMELINE2026)]["rule"] == "kept_unoda2018"


def test_status_engine_takes_the_first_deposit_of_any_depositary():
    from analysis.status import pair_transitions

    fra = [r for r in unoda.parse_unoda2018(UNODA_JSON) if r["state"] == "FRA" and r["treaty"] == "npt"]
    df = pd.DataFrame(fra)
    df["date"] = pd.to_datetime(df["date"])
    df["effective_date"] = pd.NaT
    from analysis.dataset import load

    treaty = load().treaties.loc["npt"]  # the registry row (eif_rule on_deposit)
    steps = pair_transitions(df, treaty)
    assert steps == [(pd.Timestamp("1992-08-02").date(), "party")]


# ---- conflict register validation ------------------------------------------------------------------------


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=CONFLICT_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_validate_conflicts_accepts_the_merge_output_and_catches_errors(tmp_path):
    _, conflicts = merge(
        unoda.parse_unoda2018(UNODA_JSON), unoda.parse_timeline(TIMELINE_HTML), [_icrc("FRA", "bwc", "1984-10-27")]
    )
    p = tmp_path / "conflicts.csv"
    _write(p, conflicts)
    assert conflicts and validate_conflicts(p) == []
    bad = [
        dict(conflicts[0], days_apart="7", rule="because", chosen="wikipedia", date_a="1984-13-01"),
        dict(conflicts[0], date_a="", date_b=""),
        conflicts[0],
        conflicts[0],
    ]
    _write(p, bad)
    errors = "\n".join(validate_conflicts(p, treaty_ids={"npt"}, state_codes={"FRA"}))
    for expected in (
        "column 'date_a': '1984-13-01' is not a date",
        "column 'rule': 'because'",
        "column 'chosen': 'wikipedia'",
        "both dates empty",
        "line 5: duplicate of line 4",
        "column 'treaty': 'bwc'",
    ):
        assert expected in errors
    assert validate_conflicts(tmp_path / "missing.csv") == [f"{tmp_path / 'missing.csv'}: file not found"]


# ---- the real files and the built data -----------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    paths = source_paths(SHARED)
    return {
        k: (
            unoda.parse_unoda2018 if k == UNODA2018 else unoda.parse_timeline if k == TIMELINE2026 else icrc.parse_icrc
        )(p)
        for k, p in paths.items()
    }


def _gone(on):
    """States that had ceased to exist by `on` (states.csv `until`): YUG holds the SFRY rows of Serbia's page."""
    s = pd.read_csv(DATA / "states.csv", dtype=str, keep_default_na=False)
    return set(s.loc[(s["until"] != "") & (s["until"] <= on), "iso3"])


def _consenting(rows, treaty, on):
    return {r["state"] for r in rows if r["treaty"] == treaty and r["action"] in CONSENT and r["date"] <= on} - _gone(
        on
    )


#: Party counts the sources imply (their READMEs); the harvest's own rows reproduce them exactly.
HARVEST_2018 = {
    "npt": 191,
    "bwc": 180,
    "ptbt": 125,
    "geneva_protocol": 140,
    "outer_space": 106,
    "seabed": 94,
    "cfe": 30,
    "open_skies": 34,
    "tlatelolco": 33,
    "rarotonga": 13,
    "bangkok": 10,
    "pelindaba": 40,
    "canwfz": 5,
}
TIMELINE_2026 = {"npt": 191, "bwc": 189, "pelindaba": 43, "rarotonga": 14, "tlatelolco": 33, "bangkok": 10, "canwfz": 5}


@pytest.mark.shared
@needs_shared
def test_raw_sources_reproduce_their_readme_counts(real):
    for treaty, n in HARVEST_2018.items():
        assert len(_consenting(real[UNODA2018], treaty, "2018-07-10")) == n, treaty
    for treaty, n in TIMELINE_2026.items():
        assert len(_consenting(real[TIMELINE2026], treaty, "2026-08-22")) == n, treaty
    assert len(_consenting(real[ICRC2020], "geneva_protocol", "2020-11-09")) == 145
    assert len(_consenting(real[ICRC2020], "bwc", "2020-11-09")) == 183


#: Counts through the status engine on the built data (basis 'deposited'), with every difference named:
#: NPT: the DPRK's 2003 withdrawal (curated_events.csv) took effect 2003-04-10; UNODA still lists it.
#: Geneva Protocol 2018: ARM (2018-03-13) and PSE (2018-01-19) are ICRC rows the harvest lacks (icrc_fills).
#: BWC 2018: NIU's accession of 2018-06-14 comes from the timeline (the harvest lacks it; timeline_fills).
#: Rarotonga 2026: the timeline's MHL "accession" of 2025-03-03 is a signature with the depositary (corrections.csv).
#: Outer Space 2018: ARM's (2018-03-28), BRN's (1984-01-18) and DMA's (1978-11-08) accessions are curated rows from
#: the Dutch treaty database that the harvest lacks (issue 26).
EXPECTED = [
    ("npt", "2018-07-10", 191, set(), {"PRK"}),
    ("ptbt", "2018-07-10", 125, set(), set()),
    ("geneva_protocol", "2018-07-10", 140, {"ARM", "PSE"}, set()),
    ("outer_space", "2018-07-10", 106, {"ARM", "BRN", "DMA"}, set()),
    ("seabed", "2018-07-10", 94, set(), set()),
    ("cfe", "2018-07-10", 30, set(), set()),
    ("open_skies", "2018-07-10", 34, set(), set()),
    ("tlatelolco", "2018-07-10", 33, set(), set()),
    ("bangkok", "2018-07-10", 10, set(), set()),
    ("canwfz", "2018-07-10", 5, set(), set()),
    ("rarotonga", "2018-07-10", 13, set(), set()),
    ("pelindaba", "2018-07-10", 40, set(), set()),
    ("bwc", "2018-07-10", 180, {"NIU"}, set()),
    ("npt", "2026-08-22", 191, set(), {"PRK"}),
    ("bwc", "2026-08-22", 189, set(), set()),
    ("pelindaba", "2026-08-22", 43, set(), set()),
    ("rarotonga", "2026-08-22", 14, set(), {"MHL"}),
    ("tlatelolco", "2026-08-22", 33, set(), set()),
    ("bangkok", "2026-08-22", 10, set(), set()),
    ("canwfz", "2026-08-22", 5, set(), set()),
]


@pytest.mark.shared
@needs_shared
@pytest.mark.parametrize("treaty,on,source_count,added,removed", EXPECTED, ids=[f"{e[0]}@{e[1]}" for e in EXPECTED])
def test_party_counts_through_the_status_engine(real, treaty, on, source_count, added, removed):
    from analysis import parties

    got = set(parties(treaty, on=on, basis="deposited"))
    source = real[UNODA2018] if on == "2018-07-10" else real[TIMELINE2026]
    listed = _consenting(source, treaty, on)
    assert len(listed) == source_count
    assert got - listed == added and listed - got == removed
    assert len(got) == source_count + len(added) - len(removed)


@pytest.mark.shared
@needs_shared
def test_statuses():
    from analysis import status

    assert status("PRK", "npt", on="1990-01-01") == "party"
    assert status("FRA", "npt", on="1992-08-02") == "party"  # first deposit (Moscow), the others a day later
    assert status("FRA", "npt", on="1992-08-01") == "not signed"
    assert status("KAZ", "canwfz", on="2009-03-21") == "party"


@pytest.mark.shared
@needs_shared
@pytest.mark.parametrize(
    "country,treaty,on",
    [("PRK", "npt", "2004-01-01"), ("USA", "open_skies", "2021-01-01"), ("RUS", "cfe", "2024-01-01")],
)
def test_curated_exits_on_top_of_the_unoda_rows(country, treaty, on):
    """Needs the curated withdrawals in data/curated_events.csv (written by another step of the build)."""
    from analysis import status

    assert status(country, treaty, on=on) == "withdrawn"


def _events():
    return pd.read_csv(DATA / "events.csv", dtype=str, keep_default_na=False)


@pytest.mark.shared
@needs_shared
def test_france_and_kazakhstan_records():
    ev = _events()

    def first(state, treaty):
        rows = ev[
            (ev.state == state)
            & (ev.treaty == treaty)
            & ev.action.isin(CONSENT)
            & (ev.source_kind == "international organisation")
        ]
        return rows.date.min(), set(rows.depositary)

    assert first("FRA", "npt") == ("1992-08-02", {"London", "Moscow", "Washington"})
    assert first("FRA", "bwc") == ("1984-09-27", {"London", "Moscow", "Washington"})
    assert first("KAZ", "npt") == ("1994-02-14", {"London", "Moscow", "Washington"})
    assert first("KAZ", "bwc")[0] == "2007-06-15"
    assert first("KAZ", "canwfz") == ("2009-02-19", {"Bishkek"})
    # France is a party to the zone treaties' protocols only; the harvest skipped protocol rows, so the
    # France record has no zone-treaty rows (no date is invented for them)
    assert ev[(ev.state == "FRA") & ev.treaty.isin(["tlatelolco", "rarotonga", "pelindaba", "bangkok", "canwfz"])].empty


@pytest.mark.shared
@needs_shared
def test_built_events_follow_the_merge(real):
    ev = _events()
    # the timeline's acts in UN-deposited treaties after the UNTC pages are flagged 'later source' (merge step 4)
    later = ev[ev.source_kind == "later source"]
    assert set(later.treaty) <= set(unoda.UN) and (later.source == TIMELINE_SOURCE).all()
    mine = ev[ev.source.isin([UNODA2018_SOURCE, TIMELINE_SOURCE, ICRC_SOURCE]) & (ev.source_kind != "later source")]
    # a hand-kept row may cite the same table (the ICRC's date for Czechoslovakia's Geneva Protocol consent): not merged
    curated = pd.read_csv(DATA / "curated_events.csv", dtype=str, keep_default_na=False)
    hand = set(zip(curated.state, curated.treaty, curated.action, curated.source))
    mine = mine[[key not in hand for key in zip(mine.state, mine.treaty, mine.action, mine.source)]]
    assert set(mine.treaty) == set(unoda.NON_UN)
    assert (mine.source_kind == "international organisation").all()
    dates = {UNODA2018_SOURCE: "2018-07-10", TIMELINE_SOURCE: "2026-08-22", ICRC_SOURCE: "2020-11-09"}
    assert (mine.source.map(dates) == mine.source_date).all()
    merged, _ = merge(real[UNODA2018], real[TIMELINE2026], real[ICRC2020], corrections=CORRECTIONS)
    # the build moves acts to their performers (data/attributions.csv): duplicates merge, derived successions appear
    states = pd.read_csv(DATA / "states.csv", dtype=str, keep_default_na=False)
    rules = attributions.read_rules(DATA / "attributions.csv")
    events, counts = attributions.apply(merged, rules, dict(zip(states.iso3, states.since)))
    assert len(mine) == len(events) == len(merged) - counts["merged"] + counts["derived_successions"]
    # every UNODA 2018 row of a non-UN treaty is in events, once per act
    listed = [r for r in real[UNODA2018] if r["treaty"] in unoda.NON_UN]
    derived = sum(r["action"] == "succession" and "FLAGGED: derived" in r["note"] for r in events)
    assert len(mine[mine.source == UNODA2018_SOURCE]) == len(listed) - counts["merged"] + derived


@pytest.mark.shared
@needs_shared
def test_conflicts_file_is_valid_and_current(real):
    from analysis.sources.build import untc_events

    treaties = pd.read_csv(DATA / "treaties.csv", dtype=str, keep_default_na=False)
    states = pd.read_csv(DATA / "states.csv", dtype=str, keep_default_na=False)
    assert validate_conflicts(DATA / "conflicts.csv", set(treaties.id), set(states.iso3)) == []
    untc, _ = untc_events()
    _, conflicts = merge(real[UNODA2018], real[TIMELINE2026], real[ICRC2020], untc, corrections=CORRECTIONS)
    with (DATA / "conflicts.csv").open(newline="", encoding="utf-8") as fh:
        on_disk = list(csv.DictReader(fh))
    assert on_disk == [{k: str(v) for k, v in r.items()} for r in conflicts]
    worst = max(on_disk, key=lambda r: int(r["days_apart"] or 0))
    assert (worst["state"], worst["treaty"], worst["date_b"]) == ("SVK", "geneva_protocol", "1938-08-16")


@pytest.mark.shared
@needs_shared
def test_known_until():
    t = pd.read_csv(DATA / "treaties.csv", dtype=str, keep_default_na=False).set_index("id")
    for tid in unoda.NON_UN:
        expected = (
            "2026-08-22"
            if tid in set(unoda.TIMELINE_TREATIES.values())
            else "2020-11-09"
            if tid == "geneva_protocol"
            else "2018-07-10"
        )
        # a record moved past its raw source rests on a list read by hand, which the source cell marks with
        # '#known_until=<day>' (issue 26: CFE and Open Skies, data/README.md "How current each record is")
        moved = re.findall(r"#known_until=(\d{4}-\d{2}-\d{2})", t.loc[tid, "source"])
        assert t.loc[tid, "known_until"] == (moved[0] if moved else expected), tid
        assert not moved or moved[0] > expected, tid
        assert t.loc[tid, "coverage"] == "full"


# ---- provenance kept as data (data/sources/<label>.json) ----------------------------------------------------


def test_parsers_stamp_rows_with_the_metadata_they_are_given():
    meta = dict(read_meta("unoda2018"), path="https://example.org/unoda", status_date="2018-07-11")
    rows = unoda.parse_unoda2018(UNODA_JSON, meta=meta)
    assert rows and {(r["source"], r["source_date"]) for r in rows} == {("https://example.org/unoda", "2018-07-11")}


def test_datapackage_lists_each_source_metadata_file_once():
    from analysis.sources.meta import LABELS, PARSER_KEYS

    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    listed = [source["path"] for source in package["sources"]]
    for label in LABELS:
        meta = read_meta(label)
        assert listed.count(meta["path"]) == 1, label
        entry = package["sources"][listed.index(meta["path"])]
        assert not PARSER_KEYS & set(entry), f"{label}: parser-only keys leaked into datapackage.json"
        assert entry["status_date"] == meta["status_date"]
    provenance = json.loads((DATA / "provenance.json").read_text(encoding="utf-8"))
    assert not {source["path"] for source in provenance["sources"]} & {read_meta(label)["path"] for label in LABELS}


def test_a_missing_metadata_file_is_one_clear_error(tmp_path):
    from analysis.sources.meta import MetadataError

    with pytest.raises(MetadataError, match=r"icrc2020\.json: metadata of source 'icrc2020' not found"):
        read_meta("icrc2020", tmp_path)
