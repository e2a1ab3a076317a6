"""Reports that cannot be half-built or hijacked: the output folder is checked and locked before any kernel
starts, earlier reports stay in the index, --jobs fits the memory, paths come only from validated ids."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from analysis import batch
from analysis.batch import guard, manifest, run
from analysis.batch.plan import Job, _checked
from analysis.cli import app
from analysis.params import ParameterError

runner = CliRunner()


@pytest.fixture
def no_kernels(monkeypatch):
    """Any attempt to start an executor (the pool or Dask) fails the test: the refusals must come before the first
    kernel."""

    def refuse(*args, **kwargs):
        raise AssertionError("a kernel pool was started")

    monkeypatch.setattr(run, "open_executor", refuse)


def test_an_unwritable_out_is_refused_before_any_kernel_in_one_line(tmp_path, no_kernels):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = runner.invoke(app, ["reports", "-c", "LTU", "--out", str(blocker / "site")])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: --out") and "cannot write there" in line
    with pytest.raises(ParameterError, match="cannot write there"):
        batch.build_reports(countries=["LTU"], out=blocker, progress=False)


def test_a_second_build_into_the_same_folder_is_refused(tmp_path, no_kernels):
    with guard.BuildLock(tmp_path):
        result = runner.invoke(app, ["reports", "-c", "LTU", "--out", str(tmp_path)])
        assert result.exit_code == 2 and "another build (process" in result.output
        assert f"process {os.getpid()}" in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / guard.LOCK_NAME).exists()
    with guard.BuildLock(tmp_path):  # released: it can be taken again
        pass


def test_jobs_are_capped_by_the_memory_and_the_cap_is_said():
    assert guard.capped_jobs(8, memory_mb=450) == (
        2,
        "--jobs capped at 2 (asked 8): 450 MB of memory available, about 200 MB per kernel",
    )
    assert guard.capped_jobs(3, memory_mb=100)[0] == 1  # always at least one
    assert guard.capped_jobs(2, memory_mb=8000) == (2, None)
    assert guard.available_mb() is None or guard.available_mb() > 0


def test_page_paths_come_only_from_validated_ids():
    assert _checked(Job("country", "LTU", "Lithuania", {}, "countries/LTU.html")).error is None
    for bad in ("countries/../../x.html", "countries/ltu.html", "treaties/a b.html", "/etc/passwd"):
        job = _checked(Job("treaty", "x", "x", {}, bad))
        assert job.error and job.path == ""


def test_the_index_keeps_earlier_reports_and_ignores_a_hijacked_manifest(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "available_mb", lambda: 250)  # room for one kernel
    first = batch.build_reports(countries=["LTU"], jobs=2, out=tmp_path, progress=False)
    assert first.notes == []  # one report asked: one kernel, nothing to cap
    entries = json.loads((tmp_path / manifest.MANIFEST).read_text())["reports"]
    entries += [
        {"kind": "country", "key": "EVL", "title": "evil", "path": "../../outside.html", "status": "built"},
        {"kind": "country", "key": "FRA", "title": "France", "path": "countries/FRA.html", "status": "built"},
    ]
    (tmp_path / manifest.MANIFEST).write_text(json.dumps({"reports": entries}))
    second = batch.build_reports(countries=["USA"], treaties=["ccm"], jobs=2, out=tmp_path, progress=False)
    assert second.notes == ["--jobs capped at 1 (asked 2): 250 MB of memory available, about 200 MB per kernel"]
    index = (tmp_path / "index.html").read_text()
    assert 'href="countries/LTU.html"' in index and 'href="countries/USA.html"' in index
    assert 'href="treaties/ccm.html"' in index
    assert "outside.html" not in index and "countries/FRA.html" not in index  # no such page was built
    kept = [entry["key"] for entry in json.loads((tmp_path / manifest.MANIFEST).read_text())["reports"]]
    assert sorted(kept) == ["LTU", "USA", "ccm"]
    assert not (tmp_path / guard.LOCK_NAME).exists()


def test_a_relative_data_folder_is_resolved_against_the_callers_directory(tmp_path):
    (tmp_path / "mydata").mkdir()
    code = "from analysis import config; print(config.DATA_DIR); print(config.data_dir())"
    env = {**os.environ, "TREATY_EXITS_DATA": "mydata"}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str((tmp_path / "mydata").resolve())] * 2
