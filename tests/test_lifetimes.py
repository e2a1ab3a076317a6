"""States that begin and end (issue 11): lifetimes, successions, carry-over and who performed each act.

On the shipped data (data/*.csv); every expected value below is read in a named source row of data/curated_events.csv,
data/attributions.csv or data/successions.csv, or follows from the succession rule in data/README.md.
"""

import csv

import pandas as pd
import pytest
from conftest import DATA

import analysis as a
from analysis.schema import CONSENT, STATUSES
from analysis.sources import attributions


@pytest.mark.parametrize(
    "country, treaty, on, expected",
    [
        ("CSK", "npt", "1980-01-01", "party"),  # UK depositary list: ratification London 1969-07-22
        ("DDR", "npt", "1980-01-01", "party"),  # Verdragenbank: in force for the GDR 1970-03-05
        ("CSK", "bwc", "1980-01-01", "party"),  # FCO memorandum (UK list): ratification London 1973-04-30
        ("YUG", "ptbt", "1964-01-20", "party"),  # Dziennik Ustaw 1964/39/261: London deposit 1964-01-15
        ("CSK", "bwc", "1974-01-01", "consent deposited"),  # the BWC entered into force on 1975-03-26
        ("YUG", "npt", "1980-01-01", "party"),  # US status list: ratification Washington 1970-03-04
        ("SUN", "npt", "1980-01-01", "party"),  # the USSR's own acts (listed under RUS by the depositaries)
        ("SUN", "npt", "2000-01-01", "ceased to exist"),
        ("RUS", "npt", "1980-01-01", "not yet a state"),
        ("RUS", "npt", "1991-12-26", "party"),  # continuation: no gap
        ("RUS", "inf", "1992-01-01", "party"),  # continuation before the 1992-01-13 note
        ("CZE", "npt", "1960-01-01", "not yet a state"),
        ("CZE", "enmod", "1993-01-02", "party"),  # succession notified 1993-02-22, bound from 1993-01-01
        ("CZE", "enmod", "1992-12-31", "not yet a state"),
        ("CSK", "enmod", "1992-12-31", "party"),
        ("SVK", "open_skies", "1992-12-30", "not yet a state"),  # the CSFR's acts are the CSFR's
        ("CSK", "open_skies", "1992-12-30", "consent deposited"),  # Open Skies in force only from 2002
        ("CSK", "cfe", "1992-12-01", "party"),  # verdragen.nl: ratification 1991-08-05, in force 1992-11-09
        ("CZE", "cfe", "1993-01-01", "party"),  # succession deposited 1996-12-11, effective 1993-01-01
        ("SCG", "npt", "2000-01-01", "party"),  # FRY's succession effective 1992-04-27
        ("SRB", "npt", "2010-01-01", "party"),  # continuation of Serbia and Montenegro
        ("SRB", "npt", "2000-01-01", "not yet a state"),
    ],
)
def test_status_across_successions(country, treaty, on, expected):
    assert a.status(country, treaty, on=on) == expected


def test_new_statuses_are_appended_and_documented():
    assert STATUSES[-1] == "not yet a state" and STATUSES.index("ceased to exist") == 10
    assert set(a.STATUS_DOC) == set(STATUSES)


def test_cfe_had_22_signatories_at_the_end_of_1990():
    signed = a.signatories("cfe", on="1991-01-01")
    assert len(signed) == 22
    assert "SUN" in signed and "CSK" in signed
    assert not {"ARM", "AZE", "BLR", "GEO", "KAZ", "MDA", "UKR", "RUS"} & set(signed)


def test_russia_keeps_the_ussr_signature_after_1991():
    assert "RUS" in a.signatories("npt", on="2020-01-01")
    assert "SUN" not in a.signatories("npt", on="2020-01-01")


def test_npt_count_of_1990_includes_the_vanished_states():
    parties = a.parties("npt", on="1990-01-01", basis="deposited")
    assert {"CSK", "DDR", "YUG", "SUN"} <= set(parties)
    assert "RUS" not in parties and "CZE" not in parties
    # every state counted existed that day
    table = a.status_table("1990-01-01", treaties=["npt"])
    alive = set(table.loc[~table.status.isin(["not yet a state", "ceased to exist"]), "state"])
    assert set(parties) <= alive


def test_no_act_before_its_author_exists_or_after_it_ended():
    ds = a.load()
    ev = ds.events.join(ds.states[["since", "until"]], on="state")
    early = ev[ev["since"].notna() & (ev["date"] < ev["since"])]
    late = ev[ev["until"].notna() & (ev["date"] >= ev["until"]) & ~ev["action"].isin(["termination", "note"])]
    assert early.empty, early[["state", "treaty", "action", "date"]].to_string()
    assert late.empty, late[["state", "treaty", "action", "date"]].to_string()


def test_no_successor_gap_after_dissolution_or_continuation():
    """A successor bound by succession or continuation is bound on its first day where its predecessor was."""
    ds = a.load()
    succ = ds.successions
    ev = ds.events
    for pred, new, day in zip(succ["predecessor"], succ["successor"], succ["date"]):
        for treaty in sorted(set(ev.loc[ev["state"] == new, "treaty"]) | {"npt"}):
            before = a.status(pred, treaty, on=day - pd.Timedelta(days=1), ds=ds)
            took = ev[(ev["state"] == new) & (ev["treaty"] == treaty) & (ev["action"] == "succession")]
            carried = succ[(succ["successor"] == new) & succ["kind"].isin(["continuation", "unification"])]
            if before == "party" and (len(took) or len(carried)):
                since = ds.states.loc[new, "since"]
                first = since if pd.notna(since) else day
                assert a.status(new, treaty, on=max(first, day), ds=ds) == "party", (pred, new, treaty)


def test_every_moved_act_names_its_rule():
    ds = a.load()
    moved = ds.events[ds.events["note"].str.contains("Listed under ", regex=False)]
    assert len(moved) > 0
    rules = attributions.read_rules(DATA / "attributions.csv")
    performers = {r["performer"] for r in rules}
    assert set(moved["state"]) <= performers


def test_attribution_rule_matching():
    rule = {"listed_under": "RUS", "treaty": "*", "action": "*", "date": "", "from": "", "before": "1991-12-26"}
    assert attributions.matches(rule, {"state": "RUS", "treaty": "npt", "action": "signature", "date": "1968-07-01"})
    assert not attributions.matches(rule, {"state": "RUS", "treaty": "npt", "action": "x", "date": "1991-12-26"})
    assert not attributions.matches(rule, {"state": "UKR", "treaty": "npt", "action": "x", "date": "1968-07-01"})


def test_successions_file_is_sourced_and_known():
    ds = a.load()
    with (DATA / "successions.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["source"].startswith("http") for r in rows)
    assert {r["kind"] for r in rows} <= {"continuation", "dissolution", "separation", "absorption", "unification"}
    assert {r["predecessor"] for r in rows} | {r["successor"] for r in rows} <= set(ds.states.index)


def test_npt_count_of_january_1990_matches_the_uk_government_figure():
    """HC Deb 29 January 1990 vol 166 cc15-6W (Mr Waldegrave): 139 states recognised by the UK had ratified or
    acceded to the NPT, "in addition, Taiwan and North Korea". The registry holds no Taiwan, so the deposited count
    is 139 + the DPRK. The Lords answer of 26 July 1990 lists the CSFR and the GDR among the parties."""
    parties = a.parties("npt", on="1990-01-29", basis="deposited")
    assert len(parties) == 140
    assert {"PRK", "CSK", "DDR", "YUG", "SUN"} <= set(parties)


# ---- the vanished states' own record (issue 11) ----------------------------------------------------------------

#: The states that ended before 1993 and whose record the issue asks for.
VANISHED = ("CSK", "DDR", "YUG", "YMD")
#: Treaties no vanished state could join: bilateral US-USSR/Russia treaties and regional zones outside their region.
NOT_OPEN_TO_THEM = {
    "inf": "bilateral USA-USSR",
    "abm": "bilateral USA-USSR",
    "new_start": "bilateral USA-Russia",
    "start1": "bilateral USA-USSR (with the USSR's successors)",
    "sort": "bilateral USA-Russia",
    "pmda": "bilateral USA-Russia",
    "tlatelolco": "Latin American zone",
    "rarotonga": "South Pacific zone",
    "bangkok": "South-East Asian zone",
    "pelindaba": "African zone",
    "canwfz": "Central Asian zone",
    # the zone treaties' protocols: open to the nuclear-weapon States (Protocol I: to states with territories there)
    **{tid: "nuclear-weapon States' protocol" for tid in ("tlatelolco_p1", "tlatelolco_p2")},
    **{f"rarotonga_p{n}": "nuclear-weapon States' protocol" for n in "123"},
}
#: ... and the Cold War blocs' treaties, open for signature to the NATO and Warsaw Treaty states (and the USSR's
#: successors) only: the SFRY belonged to neither bloc (the CFE preamble lists the 22 states that signed).
NOT_OPEN_TO = {"YUG": {"cfe": "NATO and Warsaw Treaty states only", "open_skies": "NATO and Warsaw Treaty states only"}}
UNODA = "disarmament.un.org"
UNTC = "treaties.un.org"
#: The predecessors' CCW ratifications, which carried their acceptance of Protocols I-III (End Notes 1, 3, 4).
CCW_DAYS = {"CSK": "1982-08-31", "DDR": "1982-07-20", "YUG": "1983-05-24"}
#: (state, treaty) -> the state's first consent as the cited source gives it: (action, date, depositaries, source
#: text found in the row's source or note), or a string saying why the dataset holds no consent.
CONSENTS = {
    ("CSK", "geneva_protocol"): ("consent", "1938-08-16", {"Paris"}, "crba-etl"),  # ICRC 2020; 173/1938 Sb.
    ("CSK", "ptbt"): ("ratification", "1963-10-14", {"London", "Moscow"}, "90/1963 Sb."),
    ("CSK", "outer_space"): ("ratification", "1967-05-11", {""}, "ACDA status table"),
    ("CSK", "npt"): ("ratification", "1969-07-22", {"London", "Moscow", "Washington"}, "Depositary Status List"),
    ("CSK", "seabed"): ("ratification", "1972-01-11", {"London", "Moscow", "Washington"}, "62/1974 Sb."),
    ("CSK", "bwc"): ("ratification", "1973-04-30", {"London", "Moscow", "Washington"}, "96/1975 Sb."),
    ("CSK", "enmod"): ("ratification", "1978-05-12", {"UN"}, UNTC),
    ("CSK", "ccw"): ("ratification", "1982-08-31", {"UN"}, UNTC),
    ("CSK", "cfe"): ("ratification", "1991-08-05", {"The Hague"}, "verdragen.nl"),
    ("CSK", "open_skies"): ("ratification", "1992-12-21", {"Budapest", "Ottawa"}, UNODA),
    ("DDR", "geneva_protocol"): (
        "consent",
        "[1949-10-05..1979-03-06]",
        {""},
        "written-answers/1979/mar/06",
    ),  # HL Deb vol 399 c169WA
    ("DDR", "ptbt"): ("consent", "[1963-08-08..1972-12-31]", {""}, "Deutschland/DDR 335/1972"),  # Austria's RIS
    ("DDR", "outer_space"): "UNCONFIRMED: no dated act found",
    ("DDR", "npt"): ("consent", "1970-03-05", {""}, "Verdragenbank"),
    ("DDR", "seabed"): ("consent", "[1971-02-11..1972-12-31]", {""}, "Deutschland/DDR 370/1972"),  # Austria's RIS
    ("DDR", "bwc"): (
        "consent",
        "[1972-04-10..1979-03-06]",
        {""},
        "written-answers/1979/mar/06",
    ),  # a party by 6 Mar 1979
    ("DDR", "enmod"): ("ratification", "1978-05-25", {"UN"}, UNTC),
    ("DDR", "ccw"): ("ratification", "1982-07-20", {"UN"}, UNTC),
    ("YUG", "geneva_protocol"): ("consent", "[1925-06-17..1962-12-31]", {""}, "Jugoslawien 121/1962"),  # RIS
    ("YUG", "ptbt"): ("ratification", "1964-01-15", {"London"}, "Dziennik Ustaw 1964"),
    ("YUG", "outer_space"): "UNCONFIRMED ratification: only the 1967-01-27 signatures (UNODA) are held",
    ("YUG", "npt"): ("ratification", "1970-03-04", {"Washington"}, "US State Department"),
    ("YUG", "seabed"): ("ratification", "1973-10-25", {""}, "sea_bed/serbia"),  # UNODA, Serbia's page
    ("YUG", "bwc"): ("consent", "[1973-10-25..1980-12-31]", {""}, "customary-ihl"),  # NTI's day vs the 1974 decree
    ("YUG", "enmod"): "none: the UN depositary's page and End Notes record no act of the SFRY",
    ("YUG", "ccw"): ("ratification", "1983-05-24", {"UN"}, UNTC),
    ("YMD", "enmod"): ("accession", "1979-06-12", {"UN"}, UNTC),
    ("YMD", "ccw"): "none: the UN depositary's page and End Notes record no act of Democratic Yemen",
    # CCW Protocols I-III: the End Notes say the three accepted all three with their ratification (issue 20)
    **{(st, f"ccw_p{n}"): ("ratification", day, {"UN"}, UNTC) for st, day in CCW_DAYS.items() for n in "123"},
    **{
        ("YMD", f"ccw_p{n}"): "none: the UN depositary's page and End Notes record no act of Democratic Yemen"
        for n in "123"
    },
    ("YMD", "geneva_protocol"): ("consent", "[1967-11-30..1989-08-08]", {""}, "BGBl. Nr. 412/1989"),  # Austria
    ("YMD", "ptbt"): ("accession", "1979-06-01", {"Moscow"}, UNODA),  # moved from YEM: attributions.csv (RIS)
    ("YMD", "outer_space"): ("accession", "1979-06-01", {"Moscow"}, UNODA),  # moved from YEM: attributions.csv
    ("YMD", "npt"): "UNCONFIRMED which Yemen ratified in 1986 and 1989 (held under YEM)",
    ("YMD", "seabed"): ("ratification", "1979-06-01", {"Moscow"}, UNODA),  # moved from YEM: attributions.csv
    ("YMD", "bwc"): "UNCONFIRMED which Yemen ratified on 1979-06-01 (held under YEM)",
    ("CSK", "moon"): "none: the UN depositary's page (XXIV-2) lists no act of Czechoslovakia",
    ("CSK", "iaea_statute"): "not held: coverage 'events', only the DPRK's record of the IAEA Statute is kept",
    ("DDR", "moon"): "none: the UN depositary's page (XXIV-2) lists no act of the GDR",
    ("DDR", "iaea_statute"): "not held: coverage 'events', only the DPRK's record of the IAEA Statute is kept",
    ("YUG", "moon"): "none: the UN depositary's page (XXIV-2) lists no act of the SFRY",
    ("YUG", "iaea_statute"): "not held: coverage 'events', only the DPRK's record of the IAEA Statute is kept",
    ("YMD", "moon"): "none: the UN depositary's page (XXIV-2) lists no act of Democratic Yemen",
    ("YMD", "iaea_statute"): "not held: coverage 'events', only the DPRK's record of the IAEA Statute is kept",
}


def _open_while_it_existed(ds, state: str) -> set[str]:
    """Treaties adopted or opened before the state ended, less those it could never join."""
    until = ds.states.loc[state, "until"]
    first = ds.treaties["opened_for_signature"].fillna(ds.treaties["adopted"])
    closed = set(NOT_OPEN_TO_THEM) | set(NOT_OPEN_TO.get(state, {}))
    return {t for t, day in first.items() if pd.notna(day) and day < until} - closed


def test_the_consent_table_covers_every_treaty_open_to_each_vanished_state():
    ds = a.load()
    for state in VANISHED:
        expected = {t for s, t in CONSENTS if s == state}
        assert expected == _open_while_it_existed(ds, state), state


@pytest.mark.parametrize("state, treaty", sorted(CONSENTS), ids=lambda value: str(value))
def test_every_vanished_states_consent_is_the_one_its_source_gives(state, treaty):
    """The first consent held for the state, with its depositaries and source; or none, for the stated reason."""
    events = a.load().events
    rows = events[(events["state"] == state) & (events["treaty"] == treaty) & events["action"].isin(CONSENT)]
    expected = CONSENTS[(state, treaty)]
    if isinstance(expected, str):
        assert rows.empty, f"{state}/{treaty} now has a consent: update the table ({expected})"
        return
    action, day, depositaries, cited = expected
    first = rows[rows["date_earliest"] == rows["date_earliest"].min()]  # an uncertain act: by its first possible day
    said = {
        edtf if isinstance(edtf, str) and edtf else str(d.date()) for edtf, d in zip(first["date_edtf"], first["date"])
    }
    assert set(first["action"]) == {action} and said == {day}
    assert set(first["depositary"].fillna("")) == depositaries
    assert first["source"].str.len().gt(0).all()
    assert first.apply(lambda row: cited in f"{row['source']} {row['note']}", axis=1).any()


@pytest.mark.parametrize(
    "state, treaty",
    [
        ("CSK", "npt"),  # UK depositary list and Sb. 61/1974: ratification 1969-07-22
        ("DDR", "npt"),  # Verdragenbank: in force for the GDR 1970-03-05
        ("YUG", "npt"),  # US State Department list: ratification 1970-03-04
        ("CSK", "bwc"),  # FCO memorandum (HC 407) and Sb. 96/1975: ratification 1973-04-30
        ("DDR", "bwc"),  # HL Deb 06 March 1979: a party by then, so in every reading before 1980
        ("CSK", "geneva_protocol"),  # ICRC 2020: 1938-08-16
        ("YUG", "seabed"),  # UNODA (Serbia's page): ratification 1973-10-25
        ("DDR", "ptbt"),  # Austria's notice BGBl. 335/1972: a party by the end of 1972
        ("DDR", "seabed"),  # Austria's promulgation BGBl. 370/1972: a party by the end of 1972
        ("YUG", "geneva_protocol"),  # Austria's notice BGBl. 121/1962: a party by the end of 1962
    ],
)
def test_czechoslovakia_the_gdr_and_yugoslavia_were_parties_in_1980(state, treaty):
    assert a.status(state, treaty, on="1980-01-01") == "party"


def test_the_gdr_is_a_ptbt_party_from_austria_s_notice_of_1972():
    """Its Moscow signature (HC Deb 13 Nov 1963) and a consent bounded by Austria's notice of 1972 (data/README.md)."""
    assert a.status("DDR", "ptbt", on="1980-01-01") == "party"
    assert a.status("DDR", "ptbt", on="1963-07-01") == "not signed"
    readme = " ".join((DATA / "README.md").read_text(encoding="utf-8").split())
    assert "the GDR is a PTBT **party by the end of 1972**" in readme


#: Every Yemeni act before unification (1990-05-22): who holds it, the source it names, and why.
YEMENI_ACTS = [
    (
        "enmod",
        "signature",
        "1977-05-18",
        "UN",
        "YEM",
        UNTC,
        "the UN page's 'Yemen' row; Democratic Yemen is End Note 8",
    ),
    ("enmod", "ratification", "1977-07-20", "UN", "YEM", UNTC, "as above: not Democratic Yemen's act"),
    ("enmod", "accession", "1979-06-12", "UN", "YMD", UNTC, "End Note 8 names Democratic Yemen"),
    ("npt", "signature", "1968-09-23", "Moscow", "YEM", UNODA, "UNCONFIRMED: no source names the Yemen"),
    ("npt", "ratification", "1986-05-14", "London", "YEM", UNODA, "UNCONFIRMED: no source names the Yemen"),
    ("npt", "ratification", "1989-01-26", "Moscow", "YEM", UNODA, "UNCONFIRMED: no source names the Yemen"),
    ("bwc", "signature", "1972-04-26", "Moscow", "YEM", UNODA, "UNCONFIRMED: no source names the Yemen"),
    ("bwc", "signature", "1972-05-10", "London", "YEM", UNODA, "UNCONFIRMED: no source names the Yemen"),
    ("bwc", "ratification", "1979-06-01", "Moscow", "YEM", UNODA, "UNCONFIRMED: no source names the Yemen"),
    ("ptbt", "accession", "1979-06-01", "Moscow", "YMD", UNODA, "Austria's RIS names only Jemen/DVR a party"),
    ("outer_space", "accession", "1979-06-01", "Moscow", "YMD", UNODA, "the FCDO's Moscow list names only the PDRY"),
    ("seabed", "signature", "1971-02-23", "Moscow", "YEM", UNODA, "UNCONFIRMED: no source names the Yemen"),
    ("seabed", "ratification", "1979-06-01", "Moscow", "YMD", UNODA, "Austria's RIS names only Jemen/DVR a party"),
    ("geneva_protocol", "accession", "1986-12-09", "Paris", "YEM", UNODA, "UNCONFIRMED: no source names the Yemen"),
]


@pytest.mark.parametrize("treaty, action, day, depositary, holder, cited, why", YEMENI_ACTS)
def test_each_yemeni_act_is_held_once_by_the_yemen_its_source_names(
    treaty, action, day, depositary, holder, cited, why
):
    """A row moves from YEM to YMD only where a source names Democratic Yemen (data/README.md); never on inference."""
    events = a.load().events
    same = (events["treaty"] == treaty) & (events["action"] == action) & (events["date"] == day)
    rows = events[same & (events["depositary"] == depositary) & events["state"].isin(["YEM", "YMD"])]
    assert list(rows["state"]) == [holder], why
    assert cited in rows["source"].iloc[0]


def test_every_yemeni_act_before_unification_is_in_the_table():
    events = a.load().events
    early = events[events["state"].isin(["YEM", "YMD"]) & (events["date"] < "1990-05-22")]
    held = {(r.treaty, r.action, str(r.date.date()), r.depositary) for r in early.itertuples()}
    assert held == {act[:4] for act in YEMENI_ACTS}
