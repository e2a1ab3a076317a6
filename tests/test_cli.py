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
    assert r.exit_code == 2 and "is not a day" in r.output


def test_exits_command(tmp_path):
    r = runner.invoke(app, ["exits", "--since", "2025-01-01", "--country", "Lithuania"])
    assert r.exit_code == 0, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 3  # header + CCM + APMBC
    assert "2024-09-06" in r.output and "2025-03-06" in r.output and "2025-12-27" in r.output
    out = tmp_path / "exits.csv"
    r = runner.invoke(app, ["exits", "--csv", str(out)])
    assert r.exit_code == 0 and out.read_text().startswith("state,name,treaty")
    assert runner.invoke(app, ["exits", "--country", "Atlantis"]).exit_code == 2
