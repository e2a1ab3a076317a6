"""The replication package: built, rerun in a fresh virtual environment, and every number equal.

The end-to-end test is slow (two notebook runs, about two minutes) and marked ``slow``; the suite runs it. To stay
offline and fast, its fresh environment is made with ``python -m venv --without-pip`` and borrows the running
environment's installed dependencies through a path file (and their ``share/jupyter`` through a link) instead of
installing ``requirements.lock`` from an index, which is what ``rerun.sh`` does by default. The package's own code
comes only from the replication folder (``code/src``): the rerun refuses to run when ``import analysis`` would load
another copy, and the borrowed path file does not load the editable install of the checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from typer.testing import CliRunner

import analysis as a
from analysis import replicate
from analysis.cli import app


def _fresh_venv(folder: Path) -> Path:
    """A new virtual environment whose only link to this one is a path file to its installed distributions."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(purelib) / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (folder / "share").mkdir(exist_ok=True)
    (folder / "share" / "jupyter").symlink_to(Path(sys.prefix) / "share" / "jupyter")  # nbconvert's templates
    return python


def _clean_env(python: Path) -> dict:
    drop = {"PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_PATH"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("TREATY_EXITS_")}
    return env | {"PYTHON": str(python)}


@pytest.mark.slow
def test_a_package_reruns_in_a_fresh_environment_with_every_number_equal(tmp_path):
    package = replicate.build(tmp_path / "package")
    manifest = json.loads((package / "MANIFEST.json").read_text())
    assert manifest["data_version"] == a.load().version and manifest["package_version"] == a.__version__
    assert replicate.check_data(package) == []
    readme = (package / "README.md").read_text()
    for section in ("## Data availability", "## Computational requirements", "## Instructions to replicators"):
        assert section in readme
    assert "| table `hazard-odds-ratios` | `code/notebooks/exit_hazard.ipynb` |" in readme
    tables = sorted(p.name for p in (package / "results" / "tables").glob("*.csv"))
    assert {"hazard-odds-ratios.csv", "hazard-robustness.csv", "contagion-grid.csv"} <= set(tables)
    import pandas as pd

    assert f"pandas=={pd.__version__}" in (package / "requirements.lock").read_text().splitlines()

    python = _fresh_venv(tmp_path / "venv")
    assert subprocess.run([str(python), "-c", "import analysis"], env=_clean_env(python)).returncode != 0
    rerun = tmp_path / "rerun"
    result = subprocess.run(
        ["sh", str(package / "rerun.sh"), str(rerun)], env=_clean_env(python), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().startswith("equal:")
    assert replicate.compare(package / "results", rerun) == []

    # the checks can fail: a changed number in a table and a changed data file are each found
    table = rerun / "tables" / "hazard-odds-ratios.csv"
    table.write_text(table.read_text().replace(",", ";", 1))
    assert replicate.compare(package / "results", rerun) == ["table hazard-odds-ratios.csv: differs"]
    events = package / "data" / "events.csv"
    events.write_text(events.read_text() + "\n")
    assert replicate.check_data(package) == ["data/events.csv: SHA-256 differs from CHECKSUMS.sha256"]


def test_replicate_refuses_a_folder_in_use_in_one_line(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(app, ["replicate", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not an empty folder" in result.output and "Traceback" not in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
