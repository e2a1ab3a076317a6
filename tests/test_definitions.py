"""Issue 11 items 4 and 5 and issue 10's gap, on the shipped data: acts known from a later source than the
depositary's record (flagged, with their source, ``known_until`` unchanged), counts that say which definition
they used (UNODA's 191 NPT parties reproduced and explained), projected and later-source cells in
``status_table`` and ``parties``, and a ``panel`` that starts at each treaty's opening for signature."""

import csv
import warnings

import pandas as pd
import pytest
from typer.testing import CliRunner

import analysis as a
from analysis import config
from analysis.cli import app
from analysis.counts import opening_days
from analysis.event_rules import later_sources_are_later
from analysis.integrity import read_table
from analysis.lookup import BeyondRecordWarning
from analysis.schema import EVENT_COLUMNS, LATER_SOURCE, SOURCE_KINDS
from analysis.sources.merge import later_than_untc
from analysis.tables import party_sentence

TIMELINE = "https://survivalscores.org/timeline.html"
runner = CliRunner()


def quietly(call, *args, **kwargs):
    """Days past a treaty's record warn; these tests check what the answer says instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BeyondRecordWarning)
        return call(*args, **kwargs)


# ---- currency: acts from a later source --------------------------------------------------------------------------


def test_tonga_acts_of_2026_07_07_are_in_events_flagged_with_the_timeline_as_source():
    ev = a.load().events
    tonga = ev[(ev["state"] == "TON") & ev["treaty"].isin(["ctbt", "tpnw"])]
    got = sorted(zip(tonga["treaty"], tonga["action"], tonga["date"].dt.strftime("%Y-%m-%d")))
    assert got == [
        ("ctbt", "ratification", "2026-07-07"),
        ("ctbt", "signature", "2026-07-07"),
        ("tpnw", "accession", "2026-07-07"),
    ]
    assert set(tonga["source_kind"]) == {LATER_SOURCE} and LATER_SOURCE in SOURCE_KINDS
    assert set(tonga["source"]) == {TIMELINE}
    assert set(tonga["source_date"].dt.strftime("%Y-%m-%d")) == {"2026-08-22"}
    assert tonga["note"].str.contains("status as at 2026-02-03").all()


def test_known_until_does_not_move_for_the_later_source():
    with (config.data_dir() / "treaties.csv").open(newline="", encoding="utf-8") as fh:
        until = {row["id"]: row["known_until"] for row in csv.DictReader(fh)}
    assert until["ctbt"] == until["tpnw"] == "2026-02-03"


def test_every_later_source_row_is_dated_after_its_treaty_record():
    ds = a.load()
    ev = ds.events[ds.events["source_kind"] == LATER_SOURCE]
    assert len(ev) >= 3
    assert (ev["date"] > ev["treaty"].map(ds.treaties["known_until"])).all()


def test_status_of_tonga_says_it_rests_on_a_later_source():
    assert a.status("TON", "tpnw", on="2026-02-03") == "not signed"
    answer = quietly(a.status, "TON", "tpnw", on="2026-08-01")
    assert answer == "consent deposited" and not answer.projected  # in force 90 days after the deposit
    assert "accession of 2026-07-07" in answer.later_source and TIMELINE in answer.later_source
    assert "later source" in answer.label and "2026-02-03" in answer.label
    assert quietly(a.status, "TON", "tpnw", on="2026-10-05") == "party"
    assert quietly(a.status, "TON", "tpnw", on="2026-10-04") == "consent deposited"
    assert quietly(a.status, "TON", "ctbt", on="2026-08-01") == "consent deposited"  # CTBT not in force


def test_the_merge_adds_only_later_acts_the_untc_page_lacks():
    def row(state, treaty, action, day, kind="international organisation", source_date="2026-08-22"):
        return dict(zip(EVENT_COLUMNS, [state, treaty, action, day, "", "", "", "", "x", source_date, kind, "", "n"]))

    untc = [row("AUT", "tpnw", "ratification", "2018-05-08", "depositary", "2026-02-03")]
    timeline = [
        row("TON", "tpnw", "accession", "2026-07-07"),  # later, the page lacks it: added
        row("AUT", "tpnw", "ratification", "2026-03-01"),  # later, but the page holds a consent: not added
        row("GHA", "tpnw", "ratification", "2025-09-26"),  # before the page's day: not added
        row("TON", "npt", "succession", "2026-07-07"),  # not UN-deposited: the merge's other steps handle it
    ]
    added = later_than_untc(untc, timeline)
    assert [(r["state"], r["treaty"], r["source_kind"]) for r in added] == [("TON", "tpnw", LATER_SOURCE)]
    assert "status as at 2026-02-03" in added[0]["note"]


def test_the_validator_refuses_a_later_source_row_inside_the_record(tmp_path):
    events, treaties = tmp_path / "events.csv", tmp_path / "treaties.csv"
    events.write_text(
        ",".join(EVENT_COLUMNS) + "\nTON,tpnw,accession,2025-07-07,,,,,x,2026-08-22,later source,,n\n"
        "TON,ctbt,signature,2026-07-07,,,,,x,2026-08-22,later source,,n\n",
        encoding="utf-8",
    )
    treaties.write_text("id,known_until\ntpnw,2026-02-03\nctbt,2026-02-03\n", encoding="utf-8")
    errors = later_sources_are_later(read_table(events), read_table(treaties))
    assert len(errors) == 1 and "line 2" in errors[0] and "known_until 2026-02-03" in errors[0]


# ---- issue 10's gap: status_table and parties mark what status() marks ---------------------------------------------


def test_status_table_marks_projected_and_later_source_cells_as_status_does():
    table = a.status_table("2026-08-01")
    flagged = table[table["projected"] | table["later_source"]]
    cells = {(r.state, r.treaty): (r.projected, r.later_source) for r in flagged.itertuples()}
    assert cells[("TON", "tpnw")] == (False, True)
    # Poland's APMBC effect is "not before 2026-02-20" (art. 20(3)'s condition): after the record it is uncertain,
    # not projected (the late reading keeps the record's status)
    pol = table[(table["state"] == "POL") & (table["treaty"] == "apmbc")].iloc[0]
    assert ("POL", "apmbc") not in cells and not pol["certain"] and "withdrawn" in pol["possible"]
    for (state, treaty), (projected, later) in cells.items():
        answer = quietly(a.status, state, treaty, on="2026-08-01")
        assert (answer.projected, answer.later_source is not None) == (projected, later), (state, treaty)
    inside = a.status_table("2026-02-03", treaties=["tpnw", "apmbc"])
    assert not inside["projected"].any() and not inside["later_source"].any()


def test_parties_carry_the_flags_past_the_record():
    with pytest.warns(BeyondRecordWarning, match="2026-02-03"):
        tpnw = a.parties("tpnw", on="2026-08-01", basis="deposited")
    assert "TON" in tpnw and tpnw.attrs["later_source"] == ["TON"] and tpnw.attrs["projected"] == []
    apmbc = quietly(a.parties, "apmbc", on="2026-08-01")
    assert "POL" not in apmbc and "POL" in apmbc.attrs["uncertain"]  # withdrawn or still pending after the record
    inside = a.parties("tpnw", on="2026-02-03")
    assert "TON" not in inside and inside.attrs["later_source"] == [] and inside.attrs["projected"] == []


# ---- counts that state their definition ----------------------------------------------------------------------------


def test_npt_counts_with_and_without_the_dprk():
    day = "2026-02-03"
    in_force, deposited = a.parties("npt", on=day), a.parties("npt", on=day, basis="deposited")
    assert len(in_force) == len(deposited) == 190 and "PRK" not in deposited and "PSE" in deposited
    with_dprk = a.parties("npt", on=day, basis="deposited", npt_dprk="include")
    assert set(with_dprk) - set(deposited) == {"PRK"}
    assert "in force:" in in_force.attrs["definition"] and "deposited:" in deposited.attrs["definition"]
    assert "DPRK is not counted from 2003-04-10" in in_force.attrs["definition"]
    assert "DPRK is counted although" in with_dprk.attrs["definition"]
    assert a.parties("npt", on="2002-12-31", npt_dprk="include") == a.parties("npt", on="2002-12-31")


def test_the_unoda_option_gives_191_for_the_right_reasons():
    unoda = a.parties("npt", on="2026-02-03", basis="unoda")
    assert len(unoda) == 191 and {"PRK", "PSE"} <= set(unoda)
    assert unoda.attrs["basis"] == "unoda"
    text = unoda.attrs["explanation"]
    assert "191 = this dataset's 190" in text and "DPRK" in text and "2003-01-10" in text
    assert "records no NPT withdrawal" in text and "Palestine" in text
    with pytest.raises(ValueError, match="NPT"):
        a.parties("apmbc", basis="unoda")
    with pytest.raises(ValueError, match="NPT only"):
        a.parties("apmbc", npt_dprk="include")
    with pytest.raises(ValueError, match="exclude"):
        a.parties("npt", npt_dprk="maybe")


def test_party_counts_say_what_they_counted_and_can_count_the_dprk():
    plain = a.party_counts("npt", freq="D", start="2026-02-01", end="2026-02-03")
    dprk = a.party_counts("npt", freq="D", start="2026-02-01", end="2026-02-03", npt_dprk="include")
    assert plain.loc["2026-02-03", "deposited"] == 190 and dprk.loc["2026-02-03", "deposited"] == 191
    assert dprk.loc["2026-02-03", "parties"] == len(a.parties("npt", on="2026-02-03", npt_dprk="include"))
    assert "DPRK is not counted" in plain.attrs["definition"] and "DPRK is counted" in dprk.attrs["definition"]
    ccm = a.party_counts("ccm", freq="Y", start="2020-01-01", end="2025-12-31")
    assert "in force" in ccm.attrs["definition"] and "DPRK" not in ccm.attrs["definition"]


def test_the_cli_and_the_treaty_report_print_the_definition():
    result = runner.invoke(app, ["parties", "npt", "--basis", "unoda"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("191 parties") and "definition:" in result.output and "DPRK" in result.output
    later = runner.invoke(app, ["parties", "tpnw", "--on", "2026-08-01"])
    assert later.exit_code == 0 and "known from a later source: TON" in later.output
    bad = runner.invoke(app, ["parties", "ccm", "--basis", "unoda"])
    assert bad.exit_code == 2 and "NPT" in bad.output
    assert "Counted: NPT parties on 2026-02-03, in force" in party_sentence("npt")
    assert "known from a later source: Tonga" in quietly(party_sentence, "tpnw", on=pd.Timestamp("2026-08-01"))


# ---- the panel starts where each treaty's record starts -------------------------------------------------------------


def test_panel_rows_begin_in_the_period_each_treaty_opened():
    ds = a.load()
    yearly = a.panel(freq="Y", end="2025-12-31", ds=ds)
    first = yearly.groupby("treaty", observed=True)["period"].min()
    opening = opening_days(ds)
    for tid, day in first.items():
        assert day == pd.Timestamp(opening[tid].year, 12, 31), tid
    assert first["tpnw"] == pd.Timestamp("2017-12-31") and first["geneva_protocol"] == pd.Timestamp("1925-12-31")
    assert first["ccw_p4"] == pd.Timestamp("1995-12-31")  # never opened for signature: its adoption
    assert first["npt"] == pd.Timestamp("1968-12-31")  # not 1977 any more
    daily = a.panel(freq="D", start="2017-09-15", end="2017-09-25", ds=ds)
    assert daily.loc[daily["treaty"] == "tpnw", "period"].min() == pd.Timestamp("2017-09-20")
    later = a.panel(freq="Y", start="2000-01-01", end="2005-12-31", ds=ds)
    assert later["period"].min() == pd.Timestamp("2000-12-31")


def test_the_country_report_names_acts_known_from_a_later_source():
    notes = a.country_profile("TON").notes  # on the status date, before the acts: said, not counted
    later = [note for note in notes if note.startswith("Known from a later source")]
    assert len(later) == 1 and "TPNW: accession of 7 July 2026" in later[0] and "3 February 2026" in later[0]
    assert a.country_profile("TON").treaties.set_index("treaty").loc["tpnw", "status"] == "not signed"
    assert not [note for note in a.country_profile("AUT").notes if "later source" in note]
