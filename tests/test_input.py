"""Input read exactly once, one way: days, names and the record's end, in the API and the CLI.

A question typed slightly wrong must be refused in one line, never answered as if it meant something else:
ambiguous days and names are refused (with candidates), the default day is the dataset's status date, and a day
past a treaty's record is answered with a warning and a status marked as projected.
"""

import csv
import warnings
from datetime import date

import pytest
from minidata import make_mini_data
from typer.testing import CliRunner

import analysis as a
from analysis.cli import app
from analysis.dataset import load
from analysis.lookup import BeyondRecordWarning, UnknownTreatyError, resolve_treaty
from analysis.schema import DayError
from analysis.sources.build import write_datapackage

runner = CliRunner()
BAD_DAYS = ["01/12/2024", "2024", "2024-12", "", "2024-02-30", "Dec 3, 2008"]


@pytest.mark.parametrize("bad", BAD_DAYS)
def test_the_api_refuses_every_day_that_is_not_one_day(bad):
    with pytest.raises(DayError, match="is not a day"):
        a.status("LTU", "ccm", on=bad)
    with pytest.raises(DayError):
        a.parties("ccm", on=bad)
    with pytest.raises(DayError):
        a.exits_since(bad)


@pytest.mark.parametrize("bad", BAD_DAYS)
@pytest.mark.parametrize("command", [["status", "LTU", "ccm", "--on"], ["exits", "--since"]])
def test_the_cli_refuses_every_day_in_one_line(command, bad):
    result = runner.invoke(app, [*command, bad])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "is not a day" in lines[0]


def test_a_date_object_is_a_day():
    assert a.status("LTU", "ccm", on=date(2025, 3, 6)) == "withdrawn"


def test_the_default_day_is_the_status_date_not_today():
    ds = load()
    assert a.status_table().equals(a.status_table(ds.status_date))
    # Poland's Mine Ban Convention withdrawal takes effect on 2026-02-20, after the status date 2026-02-03
    assert ds.status_date == date(2026, 2, 3)
    assert a.status("POL", "apmbc") == "withdrawal pending"
    assert "POL" in a.parties("apmbc")


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_names_are_refused(name):
    with pytest.raises(a.UnknownCountryError, match="Empty"):
        a.status(name, "ccm")
    with pytest.raises(UnknownTreatyError, match="Empty"):
        a.status("LTU", name)


@pytest.mark.parametrize(
    "name, candidates",
    [("Congo", ["COD", "COG"]), ("Korea", ["KOR", "PRK"]), ("Guinea", ["GIN", "GNB", "GNQ", "PNG"])],
)
def test_ambiguous_state_names_list_the_candidates(name, candidates):
    with pytest.raises(a.UnknownCountryError, match="Ambiguous") as caught:
        a.resolve_country(name)
    assert all(f"({code})" in str(caught.value) for code in candidates)
    result = runner.invoke(app, ["status", name, "npt"])
    assert result.exit_code == 2 and "Ambiguous" in result.output and len(result.output.strip().splitlines()) == 1


def test_full_names_and_codes_of_the_ambiguous_states_still_resolve():
    assert a.resolve_country("Republic of the Congo") == "COG"
    assert a.resolve_country("Democratic Republic of the Congo") == "COD"
    assert a.resolve_country("South Korea") == "KOR" and a.resolve_country("GIN") == "GIN"
    assert a.resolve_country("AND") == "AND"  # Andorra's code is not the word 'and'


@pytest.mark.parametrize(
    "name, tid",
    [
        ("Mine Ban Convention", "apmbc"),
        ("Ottawa", "apmbc"),
        ("cluster munitions", "ccm"),
        ("Partial Test Ban", "ptbt"),
        ("Comprehensive Test Ban Treaty", "ctbt"),
        ("ccw_p4", "ccw_p4"),
        ("CCW Protocol IV", "ccw_p4"),
    ],
)
def test_common_treaty_names_resolve(name, tid):
    assert resolve_treaty(name) == tid


def test_burma_is_myanmar():
    assert a.resolve_country("Burma") == "MMR"


def test_test_ban_alone_is_ambiguous_and_lists_both():
    with pytest.raises(UnknownTreatyError, match="Ambiguous") as caught:
        resolve_treaty("Test Ban")
    assert "(ptbt)" in str(caught.value) and "(ctbt)" in str(caught.value)


def test_a_treaty_with_curated_events_only_says_no_record():
    assert a.status("FRA", "inf") == "no record (events only)"
    assert a.status("USA", "inf", on="2019-09-01") == "withdrawn"
    result = runner.invoke(app, ["status", "FRA", "inf"])
    assert result.exit_code == 0 and result.output.strip() == "no record (events only)"


def test_a_day_past_the_record_warns_naming_the_day_it_stops():
    with pytest.warns(BeyondRecordWarning, match="2018-07-10"):
        answer = a.status("USA", "ptbt", on="2025-01-01")
    assert answer == "party" and not answer.projected
    with warnings.catch_warnings():
        warnings.simplefilter("error", BeyondRecordWarning)
        a.status("USA", "ptbt", on="2018-07-10")  # the record's last day: no warning
    result = runner.invoke(app, ["status", "USA", "ptbt", "--on", "2025-01-01"])
    assert result.exit_code == 0 and "record stops" in result.output and "2018-07-10" in result.output


@pytest.fixture(scope="module")
def short_record(tmp_path_factory):
    """The fixture pages' data with the Mine Ban Convention's record stopping on 2025-09-01, while Estonia's
    withdrawal (notified 2025-06-27) was pending; it takes effect on 2025-12-27, after the record's end."""
    folder = make_mini_data(tmp_path_factory.mktemp("short"))
    path = folder / "treaties.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows, columns = list(reader), reader.fieldnames
    for row in rows:
        if row["id"] == "apmbc":
            row["known_until"] = "2025-09-01"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    write_datapackage(folder)
    return load(folder)


def test_a_pending_withdrawal_past_the_record_is_labelled_projected(short_record):
    with pytest.warns(BeyondRecordWarning, match="2025-09-01"):
        answer = a.status("EST", "apmbc", on="2026-01-15", ds=short_record)
    assert answer == "withdrawn" and answer.projected
    assert answer.at_record_end == "withdrawal pending"
    assert "projected" in answer.label and "2025-09-01" in answer.label
    inside = a.status("EST", "apmbc", on="2025-08-01", ds=short_record)
    assert inside == "withdrawal pending" and not inside.projected and inside.label == "withdrawal pending"


def test_the_report_table_labels_a_projected_status(short_record):
    with warnings.catch_warnings():
        warnings.simplefilter("error", BeyondRecordWarning)  # the report says it in the status, not as a warning
        profile = a.country_profile("EST", on="2026-01-15", ds=short_record)
    shown = profile.treaties.set_index("treaty").loc["apmbc", "status"]
    assert shown.startswith("withdrawn (projected: the record stops on 2025-09-01")
    inside = a.country_profile("EST", on="2025-08-01", ds=short_record).treaties.set_index("treaty")
    assert inside.loc["apmbc", "status"] == "withdrawal pending"


# ---- names resolve without surprise (issue 20) ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, tid",
    [
        ("moon", "moon"),
        ("Moon Treaty", "moon"),
        ("XXIV-2", "moon"),
        ("Outer Space", "outer_space"),
        ("START I", "start1"),
        ("New START", "new_start"),
        ("Moscow Treaty", "sort"),
        ("Plutonium Management and Disposition Agreement", "pmda"),
        ("IAEA Statute", "iaea_statute"),
        ("Sea-Bed Treaty", "seabed"),
    ],
)
def test_the_new_instruments_resolve_by_their_names(name, tid):
    assert resolve_treaty(name) == tid


def test_start_alone_is_ambiguous_and_lists_both():
    with pytest.raises(UnknownTreatyError, match="Ambiguous") as caught:
        resolve_treaty("START")
    assert "(start1)" in str(caught.value) and "(new_start)" in str(caught.value)


def test_words_shared_by_two_full_titles_are_ambiguous():
    with pytest.raises(UnknownTreatyError, match="Ambiguous") as caught:
        resolve_treaty("celestial bodies")
    assert "(moon)" in str(caught.value) and "(outer_space)" in str(caught.value)


def test_words_found_only_inside_a_full_title_are_refused_naming_the_treaty():
    with pytest.raises(UnknownTreatyError, match="only appear in the full title") as caught:
        resolve_treaty("including the Moon")
    assert "(outer_space)" in str(caught.value)


def test_every_name_and_alias_of_the_registry_resolves_to_its_own_treaty():
    """No short name or alias is taken for another treaty: each one typed alone gives back its own id."""
    treaties = load().treaties
    for tid, row in treaties.iterrows():
        names = [row["short_name"], *(row["aliases"].split("|") if isinstance(row["aliases"], str) else [])]
        for name in filter(None, names):
            assert resolve_treaty(name) == tid, (name, tid)


def test_the_cli_answers_moon_with_the_moon_agreement():
    with pytest.warns(BeyondRecordWarning):
        assert a.status("SAU", "moon", on="2024-01-05") == "withdrawn"
    result = runner.invoke(app, ["status", "SAU", "moon", "--on", "2024-01-05"])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 0 and any(line.startswith("withdrawn (known from a later source") for line in lines)
    result = runner.invoke(app, ["status", "SAU", "START"])
    assert result.exit_code == 2 and "Ambiguous" in result.output and len(result.output.strip().splitlines()) == 1
