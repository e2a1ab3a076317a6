"""Validation and loading: the shipped data passes; broken rows are caught with file, line and column."""

import csv
import shutil

import pytest
from conftest import ROOT
from minidata import make_mini_data

import analysis
from analysis.dataset import DataValidationError, load, validate


def test_shipped_data_is_valid():
    assert validate(ROOT / "data") == []


def test_every_shipped_row_names_its_source():
    for name in ("events.csv", "treaties.csv", "states.csv", "groups.csv", "curated_events.csv", "untc_notes.csv"):
        with (ROOT / "data" / name).open(newline="", encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh), start=2):
                assert row["source"].strip(), f"{name}, line {i}: no source"


def test_norway_stays_norway():
    ds = load()
    assert ds.states.loc["NOR", "iso2"] == "NO"
    assert ds.states.loc["NAM", "iso2"] == "NA"
    assert analysis.resolve_country("NO") == "NOR"


def test_load_is_cached_and_versioned():
    a, b = load(), load()
    assert a is b
    assert a.version.startswith(a.status_date.isoformat())


def _append(path, row: dict):
    with path.open(newline="", encoding="utf-8") as fh:
        cols = next(csv.reader(fh))
        n = sum(1 for _ in fh) + 1
    with path.open("a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, fieldnames=cols, lineterminator="\n").writerow({c: row.get(c, "") for c in cols})
    return n + 1  # the line number of the new row


GOOD = dict(
    state="LTU",
    treaty="ccm",
    action="statement",
    date="2024-07-18",
    source="https://example.org/x",
    source_date="2024-07-18",
    source_kind="government",
)


@pytest.mark.parametrize(
    "change, column, expected",
    [
        (dict(state="XYZ"), "state", "not an ISO3 code"),
        (dict(treaty="warsaw"), "treaty", "not a treaty id"),
        (dict(source=""), "source", "every row names its source"),
        (dict(date="2024-13-01"), "date", "not a date"),
        (dict(action="left"), "action", "not in the vocabulary"),
        (dict(source_kind="blog"), "source_kind", "expected one of"),
        (
            dict(action="withdrawal", date="2024-09-06", effective_date="2024-09-01"),
            "effective_date",
            "before the date",
        ),
        (
            dict(action="withdrawal", date="2024-10-06", effective_date="2025-03-06"),
            "effective_date",
            "plus the clause's period gives 2025-04-06",
        ),
    ],
)
def test_broken_rows_are_caught_with_their_line(tmp_path, change, column, expected):
    d = make_mini_data(tmp_path / "data")
    assert validate(d) == []
    line = _append(d / "events.csv", {**GOOD, **change})
    errors = validate(d)
    assert errors, "the broken row was not caught"
    hit = [e for e in errors if f"line {line}" in e and f"column '{column}'" in e and expected in e]
    assert hit, errors


def test_impossible_date_order_is_caught(tmp_path):
    d = make_mini_data(tmp_path / "data")
    # Japan accepted the CCM on 2009-07-14; a signature after that is out of order
    line = _append(
        d / "events.csv",
        {**GOOD, "state": "JPN", "action": "withdrawal", "date": "2009-01-02", "effective_date": "2009-07-02"},
    )
    errors = validate(d)
    assert any(f"line {line}" in e and "precedes" in e for e in errors), errors


def test_duplicates_are_caught(tmp_path):
    d = make_mini_data(tmp_path / "data")
    _append(d / "events.csv", GOOD)
    line = _append(d / "events.csv", GOOD)
    assert any(f"line {line}: duplicate" in e for e in validate(d))


def test_load_refuses_bad_data(tmp_path):
    d = make_mini_data(tmp_path / "data")
    _append(d / "events.csv", {**GOOD, "state": "ATL"})
    with pytest.raises(DataValidationError, match="ATL"):
        load(d)


def test_cli_validate_reports_the_line(tmp_path):
    from typer.testing import CliRunner

    from analysis.cli import app

    d = make_mini_data(tmp_path / "data")
    ok = CliRunner().invoke(app, ["validate", "--data-dir", str(d)])
    assert ok.exit_code == 0, ok.output
    line = _append(d / "events.csv", {**GOOD, "treaty": "warsaw"})
    bad = CliRunner().invoke(app, ["validate", "--data-dir", str(d)])
    assert bad.exit_code == 1
    assert f"line {line}, column 'treaty'" in bad.output


def test_treaty_registry_missing_column(tmp_path):
    d = make_mini_data(tmp_path / "data")
    shutil.copy(d / "treaties.csv", tmp_path / "t.csv")
    text = (d / "treaties.csv").read_text().replace(",eif_rule,", ",rule,", 1)
    (d / "treaties.csv").write_text(text)
    assert any("missing column 'eif_rule'" in e for e in validate(d))


def test_a_curated_row_without_its_sources_date_is_caught(tmp_path):
    """Every hand-kept row gives its source's date; the error names the file, the line and the column."""
    d = make_mini_data(tmp_path / "data", curated=[{**GOOD, "action": "parliament_vote", "source_date": ""}])
    errors = validate(d)
    expected = f"{d / 'curated_events.csv'}, line 2, column 'source_date': empty"
    assert any(e.startswith(expected) for e in errors), errors
    dated = make_mini_data(tmp_path / "dated", curated=[{**GOOD, "action": "parliament_vote"}])
    assert validate(dated) == []
