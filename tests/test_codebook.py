"""The codebook documents every column of every data file and every export, and is what the data generates now."""

import csv
import json

from conftest import ROOT
from typer.testing import CliRunner

from analysis import codebook, config
from analysis.cli import app
from analysis.export import table
from analysis.schema import STATUSES


def _data_columns() -> dict[str, list[str]]:
    columns = {}
    for path in sorted(config.DATA_DIR.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            columns[path.name] = next(csv.reader(fh))
    return columns


def test_every_data_column_has_a_label():
    missing = {f"{name}:{c}" for name, cols in _data_columns().items() for c in cols if not codebook.label(c)}
    assert not missing, f"add these to analysis.labels.FIELDS: {sorted(missing)}"


def test_every_export_column_has_a_label():
    for what in ("events", "spells", "panel"):
        frame = table(what, start="2025-01-01", end="2025-12-31")
        assert [c for c in frame.columns if not codebook.label(c)] == [], what
    for columns in codebook.EXPORT_COLUMNS.values():
        assert all(codebook.label(c) for c in columns)


def test_labels_fit_stata():
    assert all(0 < len(text) <= 80 for text in codebook.FIELDS.values())


def test_codebook_file_is_current():
    assert codebook.is_current(ROOT / "docs" / "codebook.md"), "docs/codebook.md is stale: run `treaty-exits codebook`"


def test_codebook_covers_files_statuses_coverage_succession_and_conflicts():
    text = (ROOT / "docs" / "codebook.md").read_text()
    descriptor = json.loads((config.DATA_DIR / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        assert f"### `{resource['path']}`" in text
    for status in STATUSES:
        assert f"| `{status}` |" in text
    assert "| `ccm` | CCM | full | 2026-02-03 |" in text
    assert "| `SUN` | `RUS` | continuation | 1991-12-26 |" in text
    assert "| `untc_wins` |" in text
    assert "**undocumented**" not in text


def test_codebook_check_command_says_stale(tmp_path):
    stale = tmp_path / "codebook.md"
    stale.write_text("# Codebook\n")
    result = CliRunner().invoke(app, ["codebook", "--check", "-o", str(stale)])
    assert result.exit_code == 1 and "stale" in result.output
    result = CliRunner().invoke(app, ["codebook", "-o", str(stale)])
    assert result.exit_code == 0 and codebook.is_current(stale)


def test_frictionless_validates_the_data_package():
    import frictionless  # in the test extras: the real validator, not a re-implementation

    report = frictionless.validate(str(config.DATA_DIR / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]
