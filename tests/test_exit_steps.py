"""The exit audit (issue 20): every link of every exit's chain is dated by a row with its source or explained in
data/step_gaps.csv (not found, and where it was looked for; not applicable, and why), and the reports show it.

The completeness checks are tests: every exit since 2019 and every state of the 2025 Mine Ban Convention wave
has every link of its chain dated or explained, and every C.N. number a UNTC End Note cites for a withdrawal or a
suspension is the reference of a row.
"""

import re
import shutil

import pandas as pd
import pytest
from conftest import DATA

import analysis as a
from analysis import present
from analysis.chains import unmatched_gaps
from analysis.schema import EXIT_LINKS
from analysis.validation import validate


@pytest.fixture(scope="module")
def chains():
    return a.exit_steps()


def _chain(chains, state, treaty, day):
    return chains[(chains["state"] == state) & (chains["treaty"] == treaty) & (chains["exit_date"] == day)]


def test_every_link_of_every_exit_since_2019_is_dated_or_explained():
    recent = a.exit_steps(since="2019-01-01")
    assert recent["exit_date"].nunique() >= 10 and len(recent) >= 150
    unchecked = recent[recent["finding"] == "not checked"]
    assert unchecked.empty, unchecked[["state", "treaty", "exit_date", "link"]].to_string()


def test_each_exit_has_every_link_in_order_and_each_finding_says_what_it_should(chains):
    for _, chain in chains.groupby(["state", "treaty", "kind", "exit_date"]):
        links = list(dict.fromkeys(chain["link"]))
        assert links == list(EXIT_LINKS), links
    dated = chains[chains["finding"] == "dated"]
    assert (dated["date"].notna() ^ dated["date_edtf"].ne("")).all()  # a day, or an EDTF date, never both
    assert dated["source"].str.startswith("http").all()
    found_not = chains[chains["finding"] == "not found"]
    assert found_not["date"].isna().all() and found_not["looked_in"].str.len().gt(0).all()
    assert chains.loc[chains["finding"] == "not applicable", "note"].str.len().gt(0).all()


def test_every_state_of_the_2025_mine_ban_wave_has_every_link_of_its_chain(chains):
    wave = a.waves(window_days=120)
    wave = wave[(wave["treaty"] == "apmbc") & (wave["first_notice"] >= "2025-01-01")]
    assert len(wave) == 1
    states = wave.iloc[0]["states"]
    assert {"EST", "FIN", "LTU", "LVA", "POL"} <= set(states)
    for state in states:
        mine = chains[(chains["state"] == state) & (chains["treaty"] == "apmbc")]
        mine = mine[mine["exit_date"] >= "2025-01-01"]
        assert set(mine["link"]) == set(EXIT_LINKS), state
        assert not (mine["finding"] == "not checked").any(), mine[mine["finding"] == "not checked"]
        # the depositary's notice, its number and the effect are dated for every state of the wave
        for link in ("notice", "notice_ref", "effect"):
            assert (mine.loc[mine["link"] == link, "finding"] == "dated").all(), (state, link)


def test_every_cn_number_an_end_note_cites_for_a_withdrawal_or_a_suspension_is_a_rows_reference():
    notes = pd.read_csv(DATA / "untc_notes.csv", dtype=str, keep_default_na=False)
    exits = notes["kind"].isin(["withdrawal", "signature_withdrawal", "suspension", "withdrawal_suspended"])
    exits |= notes["text"].str.contains("withdr|suspen", case=False)
    cited = {
        re.sub(r"\s+", "", number).rstrip(".")
        for text in notes.loc[exits, "text"]
        for number in re.findall(r"C\.N\.\s?\d+\.\s?\d{4}\s?\.\s?TREATIES-[A-Z0-9.-]+", text)
    }
    assert len(cited) >= 6
    refs = set(a.load().events["ref"])
    assert cited - refs == set()


def test_every_explanation_names_an_exit_on_record():
    assert unmatched_gaps().empty
    assert len(a.load().step_gaps) >= 50


def test_lithuanias_ccm_chain_holds_the_decision_and_says_where_the_promulgation_was_looked_for(chains):
    ltu = _chain(chains, "LTU", "ccm", "2024-09-06").set_index("link")
    assert ltu.loc["decision", "date"] == pd.Timestamp("2024-07-03")
    assert ltu.loc["vote", "date"] == pd.Timestamp("2024-07-18")
    assert ltu.loc["law", "finding"] == "not found" and "e-tar.lt" in ltu.loc["law", "looked_in"]
    assert ltu.loc["notice_ref", "ref"] == "C.N.347.2024.TREATIES-XXVI-6"


def test_russias_ctbt_notice_is_its_own_row_beside_the_law(chains):
    rus = _chain(chains, "RUS", "ctbt", "2023-11-02").set_index("link")
    assert rus.loc["law", "date"] == pd.Timestamp("2023-11-02")
    assert rus.loc["notice", "date"] == pd.Timestamp("2023-11-03")  # the day UNODA records
    assert rus.loc["notice_ref", "finding"] == "not found"
    assert "untc-status-2026-02-03" in rus.loc["notice_ref", "looked_in"]
    row = a.load().events.query("state == 'RUS' and treaty == 'ctbt' and action == 'communication'")
    assert list(row["date"]) == [pd.Timestamp("2023-11-03")]


def test_a_law_after_a_suspension_belongs_to_it_not_to_the_treatys_end(chains):
    suspension = _chain(chains, "RUS", "inf", "2019-03-04").set_index("link")
    assert suspension.loc["law", "date"] == pd.Timestamp("2019-07-03")
    end = _chain(chains, "RUS", "inf", "2019-08-02")
    assert set(end.loc[end["link"] != "effect", "finding"]) == {"not applicable"}


def test_filters_resolve_names_and_days():
    ltu = a.exit_steps(state="Lithuania", treaty="Ottawa")
    assert set(ltu["state"]) == {"LTU"} and set(ltu["treaty"]) == {"apmbc"}
    assert a.exit_steps(since="2025-07-01")["exit_date"].min() >= pd.Timestamp("2025-07-01")
    with pytest.raises(a.DayError):
        a.exit_steps(since="2025-07")


def test_the_report_table_leaves_out_what_had_not_happened_on_its_day():
    before = str(present.exit_chains(state="LTU", on="2024-10-01"))
    assert "2024-07-18" in before and "C.N.347.2024" in before  # the vote and the notice of 6 Sep 2024
    assert "2025-03-06" in before  # the effect of an exit still pending, as the exits table shows it
    assert "APMBC" not in before  # the APMBC exit came later
    assert "APMBC" in str(present.exit_chains(state="LTU"))
    revoked = str(present.exit_chains(state="RUS", treaty="ctbt", on="2023-11-02"))
    assert "2023-11-02" in revoked and "notice to the depositary" not in revoked  # the notice followed a day later
    assert "notice to the depositary" in str(present.exit_chains(state="RUS", treaty="ctbt", on="2023-11-03"))
    assert "No exit" in str(present.exit_chains(state="LTU", on="2024-08-01"))  # no notice yet
    assert present.exit_chains(state="CHE").summary == "[no exit on record]"
    assert "Not yet looked for" in str(present.exit_chains(state="PRK"))  # the 1993 and 2003 NPT notices: not audited


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("link", "promulgation", "column 'link': 'promulgation', expected one of"),
        ("finding", "maybe", "column 'finding': 'maybe', expected one of"),
        ("exit_date", "2024-09", "column 'exit_date': '2024-09' is not a date YYYY-MM-DD"),
        ("looked_in", "", "column 'looked_in': empty; a link not found says where it was looked for"),
    ],
)
def test_the_validator_names_the_line_of_a_bad_explanation(tmp_path, column, value, message):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("world_50m.json"))
    gaps = pd.read_csv(DATA / "step_gaps.csv", dtype=str, keep_default_na=False)
    line = int(gaps.index[gaps["finding"] == "not found"][0])
    gaps.loc[line, column] = value
    gaps.to_csv(data / "step_gaps.csv", index=False, lineterminator="\n")
    assert any(f"step_gaps.csv, line {line + 2}, {message}" in e for e in validate(data))


def test_a_vote_known_only_within_a_range_of_days_dates_its_link_by_its_edtf(chains):
    blr = _chain(chains, "BLR", "cfe", "2024-06-12")
    votes = blr[blr["link"] == "vote"]
    assert list(votes["date_edtf"]) == ["[2024-04-01..2024-04-17]", ""]  # the lower house, then the upper house
    assert votes["date"].isna().tolist() == [True, False]
    assert "between 1 Apr 2024 and 17 Apr 2024" in str(present.exit_chains(state="BLR"))  # the page: in words


def test_an_act_known_only_within_a_range_keeps_its_edtf_for_the_effect_and_never_a_guessed_day():
    """A suspension not dated to the day (Poland's CFE act, 'not before 29 Mar 2024', arrives with issue 19's
    rows): the chain keys it by its earliest day, but its notice and effect show the EDTF text, no day."""
    from analysis import chains as c

    act = pd.DataFrame(
        [{"state": "POL", "treaty": "cfe", "action": "suspension", "date": pd.Timestamp("2024-03-29"),
          "effective_date": pd.NaT, "date_edtf": "[2024-03-29..]", "effective_date_edtf": "",
          "source": "https://example.org/x", "source_kind": "depositary", "ref": "", "note": ""}]
    )  # fmt: skip
    row = next(act.itertuples(index=False))
    links = c._links(row, [], row.date, "x")  # no domestic step
    for link in ("notice", "effect"):
        (dated,) = links[link]
        assert pd.isna(dated["date"]) and dated["date_edtf"] == "[2024-03-29..]", link


def test_the_steps_known_within_bounds_date_their_links_and_keep_what_is_still_missing(chains):
    """Issue 20: steps the sources bound but do not date (Russia's Open Skies resolution, 4 or 5 May 2021 at the
    latest; Lithuania's presidential signature in the week of 12-18 May 2025; Poland's Senate vote on the CFE law)
    date their links by EDTF, while the register still says what else is missing (the submission, the law)."""
    expected = {
        ("RUS", "open_skies", "2021-06-18", "decision"): "[2021-01-15..2021-05-05]",
        ("LTU", "apmbc", "2025-06-27", "decision"): "[2025-05-12..2025-05-18]",
        ("POL", "cfe", "2024-03-29", "vote"): "[2024-03-07..2024-03-28]",
    }
    for (state, treaty, day, link), edtf in expected.items():
        mine = _chain(chains, state, treaty, day)
        mine = mine[mine["link"] == link]
        dated = mine[mine["finding"] == "dated"]
        assert edtf in set(dated["date_edtf"]), (state, link)
        assert dated.loc[dated["date_edtf"] == edtf, "date"].isna().all()  # never a guessed day
    ltu = _chain(chains, "LTU", "apmbc", "2025-06-27").set_index("link")
    assert ltu.loc["law", "finding"] == "not found" and "e-tar.lt" in ltu.loc["law", "looked_in"]
    gbr = _chain(chains, "GBR", "cfe", "2023-11-07")
    notice = gbr[gbr["link"] == "notice"]
    assert "dated" in set(notice["finding"]) and (notice["date"].dropna() == pd.Timestamp("2023-11-07")).all()


def test_one_states_or_one_treatys_chains_equal_the_whole_tables_rows():
    """A page computes only its own state's or treaty's chains (``chains._chains`` chooses whole pairs first): the
    result must be exactly the rows of the whole table, for every state and treaty with an exit."""
    from analysis import chains

    ds = a.load()
    whole = chains.exit_steps(ds)
    for column in ("state", "treaty"):
        for value in sorted(set(whole[column])):
            alone = chains.exit_steps(ds, **{column: value})
            pd.testing.assert_frame_equal(alone, whole[whole[column] == value].reset_index(drop=True))
