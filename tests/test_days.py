"""`--as-of` lists and ranges: ``batch.plan.parse_days``, each day read by the one day parser."""

from datetime import date

import pytest

from analysis.batch.plan import MAX_DAYS, parse_days
from analysis.schema import DayError


def test_a_list_is_sorted_and_each_day_named_once():
    assert parse_days("2025-01-01,2020-01-01, 2025-01-01") == [date(2020, 1, 1), date(2025, 1, 1)]


def test_a_single_day_is_a_list_of_one():
    assert parse_days("2024-02-29") == [date(2024, 2, 29)]


def test_a_yearly_range_includes_both_ends():
    days = parse_days("1995-01-01:2026-01-01:1Y")
    assert days[0] == date(1995, 1, 1) and days[-1] == date(2026, 1, 1)
    assert len(days) == 32
    assert all(d.month == 1 and d.day == 1 for d in days)


def test_a_range_stops_before_a_step_past_its_end():
    assert parse_days("2020-01-01:2021-12-31:1Y") == [date(2020, 1, 1), date(2021, 1, 1)]


def test_half_yearly_and_monthly_ranges():
    assert parse_days("2024-01-01:2025-01-01:6M") == [date(2024, 1, 1), date(2024, 7, 1), date(2025, 1, 1)]
    assert len(parse_days("2024-01-01:2024-12-01:1M")) == 12


def test_month_ends_are_counted_from_the_start_not_from_the_previous_day():
    assert parse_days("2023-01-31:2023-04-30:1M") == [
        date(2023, 1, 31),
        date(2023, 2, 28),
        date(2023, 3, 31),
        date(2023, 4, 30),
    ]


def test_a_daily_range_and_a_mixed_list():
    days = parse_days("2020-01-01:2020-01-03:1D,2019-06-30")
    assert days == [date(2019, 6, 30), date(2020, 1, 1), date(2020, 1, 2), date(2020, 1, 3)]


def test_dates_given_as_objects_pass_through():
    assert parse_days([date(2021, 5, 1), "2020-01-01"]) == [date(2020, 1, 1), date(2021, 5, 1)]


@pytest.mark.parametrize(
    "text, words",
    [
        ("01/12/2024", "is not a day"),
        ("2024", "is not a day"),
        ("2020-01-01:2025-01-01", "is not a range"),
        ("2020-01-01:2025-01-01:1Q", "the step '1Q'"),
        ("2020-01-01:2025-01-01:0Y", "the step '0Y'"),
        ("2025-01-01:2020-01-01:1Y", "ends before it starts"),
        (" , ", "names no day"),
        ("2020-01-01:2020-13-01:1M", "is not a day"),
    ],
)
def test_bad_input_is_one_line_naming_the_option(text, words):
    with pytest.raises(DayError) as err:
        parse_days(text, "--as-of")
    message = str(err.value)
    assert words in message and message.startswith("--as-of") and "\n" not in message


def test_too_many_days_are_refused():
    with pytest.raises(DayError, match="more than"):
        parse_days("1900-01-01:2100-01-01:1D", "--as-of")
    assert len(parse_days("1926-01-01:2026-01-01:1M")) == 1201 <= MAX_DAYS
