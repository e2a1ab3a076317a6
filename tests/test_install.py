"""What an installed copy does differently: where it finds its files, and the commands that need a checkout.

The wheel itself is built, installed into a fresh venv and run from a temporary folder by .ci/wheel-check
(`make wheel-check`, run by CI); these tests cover the same decisions inside the test run.
"""

import importlib

import pytest
from typer.testing import CliRunner

from analysis import config
from analysis.cli import app

runner = CliRunner()


def test_an_installed_copy_reads_the_folders_shipped_in_the_package(monkeypatch):
    monkeypatch.setattr(config, "IN_CHECKOUT", False)
    assert config._in_checkout_or_shipped("data", "_data") == config.PACKAGE_DIR / "_data"
    assert config._in_checkout_or_shipped("CITATION.cff", "_meta", "CITATION.cff") == (
        config.PACKAGE_DIR / "_meta" / "CITATION.cff"
    )
    monkeypatch.setattr(config, "IN_CHECKOUT", True)
    assert config._in_checkout_or_shipped("data", "_data") == config.REPO_ROOT / "data"


def test_treaty_exits_data_still_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("TREATY_EXITS_DATA", str(tmp_path))
    try:
        reloaded = importlib.reload(config)
        assert tmp_path.resolve() == reloaded.DATA_DIR
    finally:
        monkeypatch.delenv("TREATY_EXITS_DATA")
        importlib.reload(config)
    assert config.DATA_DIR == config.REPO_ROOT / "data"


@pytest.mark.parametrize("command", ["build-data", "refresh"])
def test_build_data_and_refresh_outside_a_checkout_say_what_they_need(monkeypatch, command):
    monkeypatch.setattr(config, "IN_CHECKOUT", False)
    result = runner.invoke(app, [command])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "checkout" in lines[0] and "../shared" in lines[0]


def test_notebooks_copy_puts_editable_copies_and_never_overwrites(tmp_path):
    target = tmp_path / "mine"
    result = runner.invoke(app, ["notebooks", "--copy", str(target)])
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in target.glob("*.ipynb"))
    assert names == sorted(path.name for path in config.NOTEBOOKS_DIR.glob("*.ipynb")) and names
    (target / names[0]).write_text("{}")
    again = runner.invoke(app, ["notebooks", "--copy", str(target)])
    assert again.exit_code == 2 and "exists" in again.output
    assert (target / names[0]).read_text() == "{}"  # nothing was overwritten


def test_notebooks_without_copy_lists_them():
    result = runner.invoke(app, ["notebooks"])
    assert result.exit_code == 0
    assert "country_report.ipynb" in result.output
