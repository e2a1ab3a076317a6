"""`export` and every other command check their arguments against the data (issue 25, finding 4): nothing but
build-data and refresh writes into the data folder, ranges are checked, rows past the record are flagged and
spreadsheet cells cannot hold live formulas."""

import base64
import dataclasses
import os
import re

import openpyxl
import pandas as pd
import pytest
from conftest import DATA
from typer.testing import CliRunner

import analysis
from analysis import config
from analysis.cli import app
from analysis.export import export
from analysis.present import csv_link

runner = CliRunner()


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A copy of the data as the configured data folder (a command that wrote into it harms only the copy)."""
    folder = tmp_path / "data"
    folder.mkdir()
    for path in DATA.iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(config, "DATA_DIR", folder)
    return folder


def _one_line_refusal(result, *words):
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2 and len(lines) == 1, result.output
    assert all(word in lines[0] for word in words), lines[0]


def test_no_export_overwrites_the_data_through_a_path_a_link_or_a_hard_link(data, tmp_path):
    before = (data / "events.csv").read_bytes()
    (tmp_path / "link").symlink_to(data)
    os.link(data / "events.csv", tmp_path / "hard.csv")
    for target in (data / "events.csv", tmp_path / "link" / "events.csv", data / ".." / "data" / "new.csv"):
        _one_line_refusal(runner.invoke(app, ["export", "--spells", "-o", str(target)]), "inside the data folder")
    _one_line_refusal(runner.invoke(app, ["export", "--events", "-o", str(tmp_path / "hard.csv")]), "data folder")
    assert (data / "events.csv").read_bytes() == before
    assert not (data / "new.csv").exists()


def test_the_other_commands_that_write_refuse_the_data_folder(data):
    before = sorted(p.name for p in data.iterdir())
    _one_line_refusal(runner.invoke(app, ["exits", "--csv", str(data / "events.csv")]), "--csv", "data folder")
    _one_line_refusal(runner.invoke(app, ["codebook", "-o", str(data / "codebook.md")]), "--out", "data folder")
    _one_line_refusal(runner.invoke(app, ["notebooks", "--copy", str(data / "nb")]), "--copy", "data folder")
    from analysis.batch.guard import writable_out
    from analysis.params import ParameterError

    with pytest.raises(ParameterError, match="inside the data folder"):
        writable_out(data / "site")
    assert sorted(p.name for p in data.iterdir()) == before


def test_an_inverted_or_oversized_range_is_one_line(tmp_path):
    out = str(tmp_path / "p.csv")
    result = runner.invoke(app, ["export", "--panel", "Y", "--start", "2025-01-01", "--end", "2020-01-01", "-o", out])
    _one_line_refusal(result, "2025-01-01 is after the end 2020-01-01")
    _one_line_refusal(runner.invoke(app, ["export", "--panel", "D", "-o", out]), "rows", "start and an end")
    assert not (tmp_path / "p.csv").exists()


def test_rows_past_the_record_are_flagged():
    frame = analysis.event_panel(freq="Y", start="2024-01-01", end="2099-01-01")
    known = analysis.load().treaties["known_until"]
    last = frame[frame["period"] == pd.Timestamp("2099-01-01")]
    assert len(last) and last["projected"].eq(1).all()
    limit = frame["treaty"].astype(str).map(known).fillna(pd.Timestamp(analysis.load().status_date))
    assert frame["projected"].eq((frame["period"] > limit).astype(int)).all()
    assert frame.loc[frame["period"] == pd.Timestamp("2024-12-31"), "projected"].value_counts().get(0, 0) > 100


def test_excel_and_the_reports_csv_hold_no_live_formula(tmp_path):
    ds = analysis.load()
    events = ds.events.copy()
    events.loc[events.index[0], "note"] = '=HYPERLINK("http://example.org","x")'
    events.loc[events.index[1], "note"] = "@SUM(1+1)"
    mine = dataclasses.replace(ds, events=events)
    path = export("events", tmp_path / "events.xlsx", ds=mine)
    sheet = openpyxl.load_workbook(path)["data"]
    column = [cell.value for cell in sheet[1]].index("note") + 1
    cells = [sheet.cell(row=r, column=column) for r in (2, 3)]
    assert [c.data_type for c in cells] == ["s", "s"]
    assert [c.value for c in cells] == ['\'=HYPERLINK("http://example.org","x")', "'@SUM(1+1)"]
    shown = pd.DataFrame({"note": ["=1+1", "-12", "plain"], "n": [-1, 2, 3]})
    link = str(csv_link(shown, "x"))
    text = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]*)", link)[1]).decode()
    assert text.splitlines()[1:] == ["'=1+1,-1", "-12,2", "plain,3"]


def test_the_api_panels_check_their_ranges_too():
    """The same rule (lookup.check_span) for counts.panel and party_counts as for the exported panel."""
    for call in (
        lambda: analysis.panel("Y", start="2025-01-01", end="2020-01-01"),
        lambda: analysis.party_counts("ccm", start="2025-01-01", end="2020-01-01"),
        lambda: analysis.event_panel("M", start="2025-01-01", end="2020-01-01"),
    ):
        with pytest.raises(ValueError, match="2025-01-01 is after the end 2020-01-01"):
            call()
    with pytest.raises(ValueError, match="more than 15,000,000 rows"):
        analysis.panel("D")
