"""Curated rows worth citing (issue 11), on the shipped data/curated_events.csv.

A row that changes a status needs a primary source (depositary, government, international organisation) or a second
independent source named in its note; every row gives its source's date; no row cites an encyclopedia or a mirror;
the domestic steps found for the exits are held, each dated as its source says (data/README.md, "Sourcing").
"""

import csv
from urllib.parse import urlparse

import pytest
from conftest import DATA

from analysis.schema import STEP_ACTIONS, is_iso_day

#: Actions that record no act towards a treaty: domestic steps and notes the status engine does not read.
NO_STATUS = set(STEP_ACTIONS) | {"note", "declaration", "communication"}
#: Hosts that copy or summarise others' documents; a row may name them in its note as the copy read, never as source.
MIRRORS = (
    "wikipedia.org",
    "wikisource.org",
    "survivalscores.org",
    "pages.dev",
    "testvray.online",
    "ho1.us",
    "oko-planet.su",
    "studylib.net",
    "studylib.es",
    "dokumen.tips",
    "wikileaks.org",
)
#: The rows still citing a copy of an official document because the issuer's own page was not found; each names the
#: document and the copy in its note (data/README.md, "Copies of official documents still cited"). A new row citing
#: one of these hosts fails the test below; a row that gets the original drops out of this list.
COPY_EXCEPTIONS = {
    ("YUG", "npt", "signature", "1968-07-10"): "dokumen.tips",  # US State Department NPT status list (Washington)
    ("YUG", "npt", "ratification", "1970-03-04"): "dokumen.tips",  # the same list
    ("SUN", "tlatelolco_p2", "ratification", "[1978-05-18..1979-12-15]"): "wikileaks.org",  # telegram STATE 323008
}
SECOND = "Second independent source"


def _curated() -> list[tuple[int, dict]]:
    with (DATA / "curated_events.csv").open(newline="", encoding="utf-8") as fh:
        return list(enumerate(csv.DictReader(fh), start=2))


def test_every_curated_row_dates_its_source():
    undated = [(line, row["state"], row["treaty"], row["action"]) for line, row in _curated() if not row["source_date"]]
    assert undated == []
    assert all(is_iso_day(row["source_date"]) for _, row in _curated())


def test_every_status_changing_row_has_a_primary_or_a_second_source():
    thin = [
        (line, row["state"], row["treaty"], row["action"], row["date"])
        for line, row in _curated()
        if row["action"] not in NO_STATUS and row["source_kind"] == "press" and SECOND not in row["note"]
    ]
    assert thin == []


def test_the_rule_sees_press_rows_that_change_a_status():
    """The check above is not empty: status-changing rows resting on press items exist and name their second source."""
    press = [row for _, row in _curated() if row["action"] not in NO_STATUS and row["source_kind"] == "press"]
    assert len(press) >= 5
    assert all(SECOND in row["note"] for row in press)


def _key(row: dict) -> tuple[str, str, str, str]:
    return row["state"], row["treaty"], row["action"], row["date"] or row["date_edtf"]


def _cites_a_mirror(rows: list[dict]) -> list[tuple[tuple[str, str, str, str], str]]:
    """The rows whose source is on a mirror's host (subdomains included) and not a listed exception."""
    hosts = [(_key(row), urlparse(row["source"]).netloc) for row in rows]
    return [
        (key, host)
        for key, host in hosts
        if host.endswith(MIRRORS) and not host.endswith(COPY_EXCEPTIONS.get(key, "-"))
    ]


def test_no_curated_row_cites_an_encyclopedia_or_a_mirror():
    assert _cites_a_mirror([row for _, row in _curated()]) == []


def test_each_copy_exception_is_still_needed_and_says_it_is_a_copy():
    """An exception that no row uses any more is stale; an excepted row must say in its note that it cites a copy."""
    rows = {_key(row): row for _, row in _curated()}
    for key, host in COPY_EXCEPTIONS.items():
        assert key in rows, key
        assert urlparse(rows[key]["source"]).netloc.endswith(host), key
        assert "copy" in rows[key]["note"], key


def test_a_new_row_citing_a_copy_host_is_caught():
    """Only the listed row may cite its listed host: another act, or another copy host, fails."""
    base = {"state": "SUN", "treaty": "tlatelolco_p2", "date": "", "date_edtf": "[1978-05-18..1979-12-15]"}
    wikileaks = "https://search.wikileaks.org/plusd/cables/1979STATE323008_e.html"
    rows = [
        {**base, "action": "ratification", "source": wikileaks},  # the listed exception
        {**base, "action": "ratification", "source": "https://studylib.net/doc/1"},  # listed act, other copy host
        {**base, "action": "signature", "date": "1978-05-18", "source": wikileaks},  # another act
        {**base, "action": "law", "source": "https://oko-planet.su/politik/1.html"},
    ]
    assert [host for _, host in _cites_a_mirror(rows)] == ["studylib.net", "search.wikileaks.org", "oko-planet.su"]


@pytest.mark.parametrize(
    "state, treaty, action, date, effective",
    [
        ("RUS", "inf", "parliament_vote", "2019-06-18", ""),  # Rossiyskaya Gazeta 18.06.2019
        ("RUS", "inf", "parliament_vote", "2019-06-26", ""),  # RTVI: '26 июня Совет Федерации одобрил'
        ("RUS", "open_skies", "law", "2021-06-07", "2021-06-18"),  # MFA: 158-FZ 'вступили в силу' 18 June
        ("UKR", "apmbc", "law", "2025-07-15", ""),  # Zelensky's post, TASS 15 Jul 2025
        ("FIN", "apmbc", "decree", "2025-05-28", ""),  # government proposal approved 'on Wednesday'
        ("EST", "apmbc", "decree", "2025-04-24", ""),  # government approves the draft act
        ("RUS", "ctbt", "parliament_vote", "2000-04-21", ""),  # law 72-FZ: adopted by the Duma
        ("RUS", "ctbt", "parliament_vote", "2000-05-17", ""),  # law 72-FZ: approved by the Federation Council
    ],
)
def test_documented_domestic_steps_are_held(state, treaty, action, date, effective):
    rows = [
        row
        for _, row in _curated()
        if (row["state"], row["treaty"], row["action"], row["date"]) == (state, treaty, action, date)
    ]
    assert len(rows) == 1
    assert rows[0]["effective_date"] == effective
    assert rows[0]["source_date"] >= date
