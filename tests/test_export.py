"""Every export reads back equal to the frame it came from: CSV, Parquet, Stata (.dta, with its labels), Excel."""

import pandas as pd
import pytest
from typer.testing import CliRunner

import analysis
from analysis import codebook
from analysis.cli import app
from analysis.export import table
from analysis.schema import NO_RECORD


def _small(name, ds):
    """The spells whole; the panel for a few years (Excel and Stata of the whole panel take minutes)."""
    return table(name, start="2024-01-01", end="2025-12-31", ds=ds)


def _same(back: pd.DataFrame, frame: pd.DataFrame) -> None:
    """Equal values column by column: dates as days, codes as their text, numbers as floats."""
    assert list(back.columns) == list(frame.columns)
    assert len(back) == len(frame)
    for column in frame.columns:
        left, right = frame[column], back[column]
        if pd.api.types.is_datetime64_any_dtype(left):
            left, right = left.dt.strftime("%Y-%m-%d"), pd.to_datetime(right).dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_numeric_dtype(left) and not isinstance(left.dtype, pd.CategoricalDtype):
            left, right = left.astype("float64"), right.astype("float64")
        else:
            left, right = left.astype("str"), right.astype("str")
        pd.testing.assert_series_equal(
            left.reset_index(drop=True), right.reset_index(drop=True), check_names=False, check_dtype=False
        )


@pytest.mark.parametrize("what", ["spells", "panel"])
@pytest.mark.parametrize("fmt", ["csv", "parquet", "dta", "xlsx"])
def test_round_trip(tmp_path, ds, what, fmt):
    frame = _small(what, ds)
    path = analysis.export(what, tmp_path / f"{what}.{fmt}", start="2024-01-01", end="2025-12-31", ds=ds)
    if fmt == "csv":
        back = pd.read_csv(path, dtype={"state": str, "treaty": str}, keep_default_na=False, na_values=[""])
    elif fmt == "parquet":
        back = pd.read_parquet(path)
    elif fmt == "dta":
        back = pd.read_stata(path)
        back = back.astype({c: "int64" for c in codebook.value_labels(back.columns)}, errors="ignore")
    else:
        back = pd.read_excel(path, sheet_name="data", keep_default_na=False, na_values=[""])
    if fmt == "dta":
        for column in codebook.value_labels(frame.columns):  # 0/1 come back as their labels no/yes
            back[column] = back[column].astype(str).map({"no": 0, "yes": 1})
    if fmt in ("csv", "xlsx"):  # text read back: missing text is missing, not ''
        frame = frame.copy()
        for column in ("name", "cow_abb"):  # the join codes' text: '' where states.csv has none
            frame[column] = frame[column].replace("", None)
    _same(back, frame)


def test_events_round_trip_through_csv_parquet_and_stata(tmp_path, ds):
    frame = table("events", ds=ds)
    _same(pd.read_parquet(analysis.export("events", tmp_path / "e.parquet", ds=ds)), frame)
    stata = pd.read_stata(analysis.export("events", tmp_path / "e.dta", ds=ds))
    text = frame.copy()
    for column in ("ref", "note", "depositary"):  # Stata has no missing text: '' stands for it
        text[column] = text[column].fillna("")
    _same(stata, text)
    back = pd.read_csv(analysis.export("events", tmp_path / "e.csv", ds=ds), dtype=str, keep_default_na=False)
    assert back["note"].tolist() == frame["note"].fillna("").tolist()


def test_stata_file_carries_codebook_labels_and_versions(tmp_path, ds):
    path = analysis.export("panel", tmp_path / "p.dta", start="2024-01-01", end="2025-12-31", ds=ds)
    with pd.io.stata.StataReader(path) as reader:
        variables = reader.variable_labels()
        values = reader.value_labels()
        note = reader.data_label
    assert variables["exit"] == codebook.label("exit")
    assert variables["peers_left_nato"] == codebook.label("peers_left_nato")
    assert all(variables[c] for c in variables), [c for c in variables if not variables[c]]
    assert values["bound"] == {0: "no", 1: "yes"}
    assert set(values["status"].values()) <= {*analysis.STATUSES, NO_RECORD} and NO_RECORD in values["status"].values()
    assert analysis.__version__ in note and analysis.data_version(ds) in note


def test_cli_export_writes_the_panel(tmp_path):
    out = tmp_path / "panel.dta"
    result = CliRunner().invoke(
        app, ["export", "--panel", "Y", "--format", "dta", "-o", str(out), "--start", "2024-01-01"]
    )
    assert result.exit_code == 0, result.output
    assert len(pd.read_stata(out)) == len(analysis.event_panel("Y", start="2024-01-01"))


def test_bad_requests_are_one_line(tmp_path):
    runner = CliRunner()
    for args in (["export"], ["export", "--spells", "-o", str(tmp_path / "x.txt")], ["export", "--panel", "W"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
    with pytest.raises(ValueError, match="do not fit an Excel sheet"):
        analysis.export("panel", tmp_path / "p.xlsx", freq="D", start="2024-06-01", end="2025-12-31")
