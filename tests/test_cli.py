"""The command line: one clear line for bad input, a status answer for good input."""

from typer.testing import CliRunner

from analysis.cli import app

runner = CliRunner()


def test_status_command():
    r = runner.invoke(app, ["status", "Lithuania", "ccm", "--on", "2024-12-01"])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == "withdrawal pending"


def test_unknown_country_is_one_line_with_suggestions():
    for bad in ("XYZ", "Atlantis"):
        r = runner.invoke(app, ["status", bad, "ccm"])
        assert r.exit_code == 2
        lines = [line for line in r.output.splitlines() if line.strip()]
        assert len(lines) == 1, r.output
        assert bad in lines[0] and "Did you mean" in lines[0]


def test_unknown_treaty_and_bad_date():
    assert "Unknown treaty" in runner.invoke(app, ["status", "LTU", "warsaw"]).output
    r = runner.invoke(app, ["status", "LTU", "ccm", "--on", "yesterday"])
    assert r.exit_code == 2 and "Not a date" in r.output
