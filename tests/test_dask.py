"""The Dask executor on a LocalCluster of 2 worker processes: the same pages as the local pool (byte for byte
beyond the stamps), written by the client; a report whose worker is lost is retried once elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from analysis import batch, config
from analysis.batch.executor import ExecutorChoice

sys.path.insert(0, str(ROOT / "tools"))
from compare_sites import compare

pytestmark = pytest.mark.slow

REPORTS = dict(countries=["LTU", "FIN", "Atlantis"], treaties=["ccm"])


def test_dask_pages_are_the_local_pools_byte_for_byte(tmp_path):
    local = batch.build_reports(**REPORTS, jobs=2, out=tmp_path / "local", progress=False)
    dask = batch.build_reports(
        **REPORTS, out=tmp_path / "dask", progress=False, executor=ExecutorChoice("dask", workers=2)
    )
    statuses = [(r.job.key, r.status) for r in dask.results]
    assert statuses == [(r.job.key, r.status) for r in local.results]
    assert statuses == [("LTU", "built"), ("FIN", "built"), ("Atlantis", "failed"), ("ccm", "built")]
    assert compare(tmp_path / "local", tmp_path / "dask") == []
    leftovers = [p.name for p in (tmp_path / "dask").rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []


def _notebooks_that_lose_a_worker(tmp_path: Path, marker: Path) -> Path:
    """Notebooks whose country report, the first time it runs for EST, kills the Dask worker process running it
    (the kernel's parent); the second time (the marker file exists) it runs normally."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in batch.NOTEBOOK.values():
        nb = nbformat.read(config.notebooks_dir() / name, as_version=4)
        if name == "country_report.ipynb":
            at = next(i for i, cell in enumerate(nb.cells) if "parameters" in cell.metadata.get("tags", []))
            code = (
                "import os, pathlib, signal\n"
                f"_marker = pathlib.Path({str(marker)!r})\n"
                "if country == 'EST' and not _marker.exists():\n"
                "    _marker.write_text(str(os.getppid()))\n"
                "    os.kill(os.getppid(), signal.SIGKILL)\n"
            )
            nb.cells.insert(at + 1, nbformat.v4.new_code_cell(code))
        nbformat.write(nb, folder / name)
    return folder


def test_a_lost_worker_fails_only_its_report_which_is_retried_elsewhere(tmp_path, monkeypatch):
    marker = tmp_path / "killed"
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", _notebooks_that_lose_a_worker(tmp_path, marker))
    result = batch.build_reports(
        countries=["LTU", "EST", "FIN"],
        out=tmp_path / "out",
        progress=False,
        executor=ExecutorChoice("dask", workers=2),
    )
    assert marker.exists(), "the first attempt did not run"
    assert [(r.job.key, r.status) for r in result.results] == [("LTU", "built"), ("EST", "built"), ("FIN", "built")]
    assert "Estonia (EST)" in (tmp_path / "out" / "countries" / "EST.html").read_text()
