"""The dates issue 19 adds to the data, each as its source bounds it (data/README.md, "Uncertain dates").

On the shipped data: every row added or changed for issue 19 holds the day or the EDTF text its source supports,
names that source, and leaves the day empty where the source says less than a day; the statuses the issue's "Done
when" names are read through the engine with the readings those rows allow; the Outer Space accession of 1979-06-01
is Democratic Yemen's and the other Moscow deposits of that day stay unattributed.
"""

import csv
from datetime import date

import pytest
from conftest import DATA

import analysis as a
from analysis.schema import parse_edtf

UNODA = "disarmament.un.org"
HANSARD_1979 = "historic-hansard/written-answers/1979/mar/06"

#: (state, treaty, action, depositary) -> (date, date_edtf, effective_date_edtf, text in the source address,
#: source_kind): every curated row issue 19 added or changed, as data/README.md lists it.
ROWS = {
    ("DDR", "bwc", "consent", ""): ("", "[1972-04-10..1979-03-06]", "", HANSARD_1979, "government"),
    ("DDR", "geneva_protocol", "consent", ""): ("", "[1949-10-05..1979-03-06]", "", HANSARD_1979, "government"),
    ("DDR", "ptbt", "signature", "Moscow"): ("", "[1963-08-08..1963-08-15]", "", "1963/nov/13", "government"),
    ("YUG", "bwc", "consent", ""): ("", "[1973-10-25..1980-12-31]", "", "customary-ihl", "international organisation"),
    ("YUG", "seabed", "signature", ""): ("1971-03-02", "", "", "sea_bed/serbia", "international organisation"),
    ("YUG", "seabed", "ratification", ""): ("1973-10-25", "", "", "sea_bed/serbia", "international organisation"),
    ("CSK", "geneva_protocol", "consent", "Paris"): ("1938-08-16", "", "", "crba-etl", "international organisation"),
    ("PRK", "npt", "withdrawal", ""): (
        "2003-01-10",
        "",
        "[2003-01-11,2003-04-10]",
        "news.un.org",
        "international organisation",
    ),
    ("UKR", "apmbc", "suspension", ""): ("2025-07-18", "", "", "hrw.org", "press"),
    ("POL", "cfe", "announcement", ""): ("2023-11-07", "", "", "gov.pl", "government"),
    ("POL", "cfe", "parliament_vote", ""): ("2024-03-07", "", "", "rbc.ua", "press"),
    ("POL", "cfe", "law", ""): ("2024-03-28", "", "", "tass.com", "press"),
    ("POL", "cfe", "suspension", ""): ("", "[2024-03-29..]", "", "dorzeczy.pl", "press"),
}


def _curated() -> list[dict]:
    with (DATA / "curated_events.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _row(state, treaty, action, depositary, day=None) -> dict:
    rows = [
        r
        for r in _curated()
        if (r["state"], r["treaty"], r["action"], r["depositary"]) == (state, treaty, action, depositary)
        and (day is None or r["date"] == day)
    ]
    assert len(rows) == 1, (state, treaty, action, depositary, day, len(rows))
    return rows[0]


@pytest.mark.parametrize("key", sorted(ROWS), ids=lambda key: "-".join(filter(None, key)))
def test_each_issue_19_row_holds_what_its_source_supports(key):
    day, edtf, effect_edtf, cited, kind = ROWS[key]
    row = _row(*key, day=day)
    assert (row["date"], row["date_edtf"], row["effective_date_edtf"]) == (day, edtf, effect_edtf)
    assert cited in row["source"] and row["source_kind"] == kind
    assert row["source_date"] and len(row["note"]) > 200  # the note quotes the source and says why this precision
    first = parse_edtf(edtf).earliest.isoformat() if edtf else day
    assert first <= row["source_date"]  # the source reports an act it could have seen


def test_a_row_known_less_than_a_day_leaves_the_day_empty():
    """No reader can take a guessed day for a known one: an uncertain date's day column is empty, everywhere."""
    wrong = [
        (r["state"], r["treaty"], r["action"], column)
        for r in _curated()
        for column, text in (("date", r["date_edtf"]), ("effective_date", r["effective_date_edtf"]))
        if text and not parse_edtf(text).exact and r[column]
    ]
    assert wrong == []


def test_the_dprk_2003_effect_is_one_of_two_days():
    row = _row("PRK", "npt", "withdrawal", "", day="2003-01-10")
    assert row["effective_date"] == ""
    assert parse_edtf(row["effective_date_edtf"]).candidates == (date(2003, 1, 11), date(2003, 4, 10))
    assert "2003-01-11" in row["note"] and "nonproliferation.org" in row["note"]  # the DPRK's claim, the CNS view


def test_the_finnish_decision_is_the_friday_a_source_names():
    """Reports say "on Friday"; Verkkouutiset names 4 Jul 2025, so main's row keeps that day (merge of i19data)."""
    row = _row("FIN", "apmbc", "decree", "", day="2025-07-04")
    vote = _row("FIN", "apmbc", "parliament_vote", "")["date"]
    assert date.fromisoformat(row["date"]).weekday() == 4  # Friday, as Siltanews says
    assert vote < row["date"] < "2025-07-10"  # after the vote, before the UN notification (UNTC)
    assert "4. heinäkuuta 2025" in row["note"] and "siltanews" in row["note"]


def test_the_disputed_yugoslav_bwc_day_is_registered_in_the_row_and_the_readme():
    row = _row("YUG", "bwc", "consent", "")
    assert "25 Oct 1973" in row["note"] and "43 of 1974" in row["note"]
    readme = " ".join((DATA / "README.md").read_text(encoding="utf-8").split())
    assert "`YUG,bwc,consent`" in readme and "Disagreement registered here and in the row's note" in readme


def test_ukraine_s_suspension_is_held_though_the_depositary_page_does_not_show_it():
    events = a.load().events
    row = _row("UKR", "apmbc", "suspension", "")
    assert "DISAGREEMENT WITH THE DEPOSITARY PAGE" in row["note"] and "art. 62" in row["note"]
    untc = events[(events["state"] == "UKR") & (events["treaty"] == "apmbc") & (events["source_kind"] == "depositary")]
    assert set(untc["action"]) == {"signature", "ratification"}  # the UNTC page of 2026-02-03 holds no such act


# ---- which Yemen made the Moscow deposits of 1 June 1979 ---------------------------------------------------


def test_the_outer_space_accession_of_1979_is_democratic_yemens():
    events = a.load().events
    ost = events[(events["treaty"] == "outer_space") & events["state"].isin(["YEM", "YMD"])]
    assert [(r.state, str(r.date.date()), r.depositary) for r in ost.itertuples()] == [("YMD", "1979-06-01", "Moscow")]
    assert "uk-treaties" in ost["note"].iloc[0] and UNODA in ost["source"].iloc[0]  # the FCDO record, the rule's source


@pytest.mark.parametrize("treaty, action", [("ptbt", "accession"), ("bwc", "ratification"), ("seabed", "ratification")])
def test_the_other_moscow_deposits_of_that_day_stay_with_the_source_s_yemen(treaty, action):
    """No source names the state for these: they stay as UNODA lists them, and data/README.md says so."""
    events = a.load().events
    same = events[(events["treaty"] == treaty) & (events["action"] == action) & (events["date"] == "1979-06-01")]
    assert list(same["state"]) == ["YEM"]
    readme = " ".join((DATA / "README.md").read_text(encoding="utf-8").split())
    assert (
        "Sea-Bed deposits of 1979-06-01 in Moscow: UNCONFIRMED, left under `YEM`; no source names the state" in readme
    )
