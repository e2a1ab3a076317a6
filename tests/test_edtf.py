"""Dates known less precisely than a day (issue 19): the one EDTF parser, its words, and the validator's checks.

The ``edtf`` package is not installed (nor a dependency): ``analysis.dates`` reads the forms the dataset uses. The
first tests show it gives what ``edtf`` 5.0.2 gives for each form, minus its two traps (an open end that becomes a
day ten years away, "on or before" with an unknown start), which are asserted to stay open.
"""

import csv
import shutil
from datetime import date

import pytest
from conftest import DATA

from analysis.schema import BUILT_EVENT_COLUMNS, EdtfError, bounds_text, describe_edtf, parse_edtf
from analysis.sources.build import with_bounds
from analysis.validation import validate

D = date


@pytest.mark.parametrize(
    "text, kind, earliest, latest, candidates",
    [
        ("1979-03-06", "day", D(1979, 3, 6), D(1979, 3, 6), (D(1979, 3, 6),)),
        ("2024-03", "month", D(2024, 3, 1), D(2024, 3, 31), None),
        ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29), None),  # a leap February ends on the 29th
        ("1969", "year", D(1969, 1, 1), D(1969, 12, 31), None),
        ("[1972-04-10..1979-03-06]", "interval", D(1972, 4, 10), D(1979, 3, 6), None),
        ("[..1979-03-06]", "before", None, D(1979, 3, 6), None),  # the start stays open, the end stays known
        ("[2026-01-18..]", "after", D(2026, 1, 18), None, None),  # the end stays open: never a day 10 years on
        ("[2003-01-11,2003-04-10]", "set", D(2003, 1, 11), D(2003, 4, 10), (D(2003, 1, 11), D(2003, 4, 10))),
        ("[2024-03..2024-04]", "interval", D(2024, 3, 1), D(2024, 4, 30), None),  # months as the range's ends
        ("[1973-10-25,1974]", "set", D(1973, 10, 25), D(1974, 12, 31), None),  # a day or a year: not candidates
    ],
)
def test_each_form_gives_its_first_and_last_possible_day(text, kind, earliest, latest, candidates):
    value = parse_edtf(text)
    assert (value.kind, value.earliest, value.latest, value.candidates) == (kind, earliest, latest, candidates)
    assert value.exact == (kind == "day")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("[1979-03-06..1972-04-10]", "inverted"),
        ("[2003-04-10,2003-01-11]", "in order"),
        ("[2003-01-11,2003-01-11]", "in order"),
        ("[1980,..1979-03-06]", "in order"),  # an open range can only stand at its own end of the set
        ("1972-04-10/1979-03-06", "accepted forms"),  # an EDTF interval: a span, not one day within it
        ("1972-04-10/", "accepted forms"),  # the edtf package's trap: an empty end becomes ±10 years
        ("2024-02-30", "not a real"),
        ("2024-13", "not a real"),
        ("2024-3", "not a real"),
        ("2024-03?", "accepted forms"),
        ("197X", "accepted forms"),
        ("[1969]", "set of one"),
        ("[..]", "at least one end"),
        ("", "empty"),
        ("0000", "not a real"),
    ],
)
def test_what_is_not_an_accepted_form_is_refused_in_one_line(text, reason):
    with pytest.raises(EdtfError, match=reason) as caught:
        parse_edtf(text)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "text, words",
    [
        ("1979-03-06", "on 6 Mar 1979"),
        ("2024-03", "in Mar 2024"),
        ("1969", "in 1969"),
        ("[1972-04-10..1979-03-06]", "between 10 Apr 1972 and 6 Mar 1979"),
        ("[..1979-03-06]", "on or before 6 Mar 1979"),
        ("[2026-01-18..]", "on or after 18 Jan 2026"),
        ("[2003-01-11,2003-04-10]", "on 11 Jan 2003 or on 10 Apr 2003"),
        ("[1973-10-25,1974]", "on 25 Oct 1973 or in 1974"),
    ],
)
def test_a_date_in_words(text, words):
    assert describe_edtf(text) == words


def test_bounds_text_is_the_day_itself_for_an_exact_row_and_open_ends_stay_empty():
    assert bounds_text("1993-03-12", "") == ("1993-03-12", "1993-03-12")
    assert bounds_text("", "") == ("", "")
    assert bounds_text("", "[..1979-03-06]") == ("", "1979-03-06")
    assert bounds_text("", "[2026-01-18..]") == ("2026-01-18", "")


# ---- the validator, on a copy of the shipped data with hand-kept rows added -------------------------------------

ROW = {
    "state": "DDR",
    "treaty": "bwc",
    "action": "ratification",
    "date": "",
    "effective_date": "",
    "date_edtf": "[1972-04-10..1979-03-06]",
    "effective_date_edtf": "",
    "depositary": "London",
    "source": "https://example.org/fixture",
    "source_date": "1979-03-06",
    "source_kind": "government",
    "ref": "",
    "note": "test fixture",
}


def _errors_for(tmp_path, *rows) -> list[str]:
    """The errors the validator gives for rows added to curated_events.csv and (as built) to events.csv."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("world_50m.json"))
    lines = []
    for name, made in (("curated_events.csv", dict), ("events.csv", with_bounds)):
        with (data / name).open("a", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=BUILT_EVENT_COLUMNS, extrasaction="ignore", lineterminator="\n")
            start = sum(1 for _ in (data / name).open(encoding="utf-8"))
            writer.writerows(made(row) for row in rows)
        lines += [f"{data / name}, line {start + n + 1}" for n in range(len(rows))]
    return [e for e in validate(data) if any(e.startswith(line + ",") or e == line for line in lines)]


def test_an_uncertain_row_with_date_empty_is_valid(tmp_path):
    assert _errors_for(tmp_path, ROW) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"date_edtf": "1972/1979"}, "column 'date_edtf': date '1972/1979' is not one of the accepted forms"),
        ({"date_edtf": "[1979-03-06..1972-04-10]"}, "the range is inverted"),
        ({"date": "1975-01-01"}, "column 'date': '1975-01-01', but date_edtf"),
        ({"date_edtf": "1975-01-01"}, "column 'date': '' disagrees with date_edtf '1975-01-01'"),
        ({"date_edtf": "[1989-01-01..1991-03-06]", "source_date": "1991-03-06"}, "DDR ceased to exist on 1990-10-03"),
        ({"date_edtf": "[1970-01-01..1979-03-06]"}, "is before bwc was adopted or opened for signature"),
        ({"date_edtf": "[1980-01-01..1981-01-01]"}, "is after the source's date 1979-03-06"),
        ({"effective_date_edtf": "[..1972-01-01]"}, "the effect's last possible day 1972-01-01 is before"),
    ],
)
def test_the_validator_refuses_a_bad_uncertain_date(tmp_path, change, expected):
    errors = _errors_for(tmp_path, ROW | change)
    assert any(expected in e for e in errors), errors


def test_events_bounds_must_be_what_the_build_derives(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("world_50m.json"))
    text = (
        (data / "events.csv")
        .read_text(encoding="utf-8")
        .replace("RUS,abm,succession,1992-01-13,,,,1992-01-13,", "RUS,abm,succession,1992-01-13,,,,1992-01-12,", 1)
    )
    (data / "events.csv").write_text(text, encoding="utf-8")
    assert any(
        "column 'date_earliest': '1992-01-12', but the row's date gives '1992-01-13'" in e for e in validate(data)
    )


def test_an_exit_after_a_consent_known_only_as_on_or_before_a_day_is_possible(tmp_path):
    # Democratic Yemen: no BWC consent of its own in the shipped data (the GDR's is a shipped row since issue 19)
    consent = ROW | {"state": "YMD", "date_edtf": "[..1979-03-06]"}
    exit_ = consent | {"action": "withdrawal", "date": "1980-01-01", "date_edtf": "", "source_date": "1980-01-01"}
    assert not [e for e in _errors_for(tmp_path / "a", consent, exit_) if "consent to be bound" in e]
    alone = [e for e in _errors_for(tmp_path / "b", exit_) if "consent to be bound" in e]
    assert len(alone) == 1 and "YMD/bwc withdrawal on 1980-01-01 has no consent" in alone[0]
