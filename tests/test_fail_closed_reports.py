"""Reports fail closed (issue 25, finding 5): the index lists every report the folder holds whatever the order of
the builds, a scheduler that is none is refused in one line within seconds, a damaged manifest is refused or
rebuilt from the pages before any kernel starts, and the map's JSON data block survives any state name. No test
here starts a kernel."""

from __future__ import annotations

import http.server
import json
import re
import threading
import time

import pytest
from typer.testing import CliRunner

import analysis
from analysis import statusmap
from analysis.batch import guard, manifest, run
from analysis.batch.index import index_html
from analysis.batch.plan import BuildResult, Job, Result
from analysis.cli import app
from analysis.params import ParameterError

runner = CliRunner()


@pytest.fixture
def no_kernels(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a kernel pool was started")

    monkeypatch.setattr(run, "open_executor", refuse)


def _page(out, path: str) -> None:
    (out / path).parent.mkdir(parents=True, exist_ok=True)
    (out / path).write_text("<html></html>")


def _single() -> list[Result]:
    return [Result(Job("country", "LTU", "Lithuania", {}, "countries/LTU.html"), "built")]


def _series(days) -> list[Result]:
    return [
        Result(Job("country", "LTU", "Lithuania", {}, f"countries/LTU/{day}.html", day=day), "built") for day in days
    ]


@pytest.mark.parametrize("first_dated", [True, False])
def test_the_index_lists_a_series_and_the_single_day_report_in_either_order(tmp_path, first_dated):
    ds = analysis.load()
    days = ["2024-01-01", "2025-01-01"]
    builds = [_series(days), _single()] if first_dated else [_single(), _series(days)]
    for results in builds:
        for result in results:
            _page(tmp_path, result.job.path)
        listed = manifest.merged_results(tmp_path, results, ds)
    paths = sorted(r.job.path for r in listed)
    assert paths == ["countries/LTU.html", "countries/LTU/2024-01-01.html", "countries/LTU/2025-01-01.html"]
    index = index_html(BuildResult(tmp_path, listed, 0.0), ds)
    assert 'href="countries/LTU.html"' in index and 'href="countries/LTU/2025-01-01.html"' in index


def test_a_manifest_entry_without_its_kind_is_rebuilt_from_the_pages(tmp_path):
    ds = analysis.load()
    _page(tmp_path, "countries/POL.html")
    _page(tmp_path, "treaties/ccm.html")
    entries = [{"key": "POL", "title": "Poland", "path": "countries/POL.html"}, {"path": 3}, "junk"]
    (tmp_path / manifest.MANIFEST).write_text(json.dumps({"reports": entries}))
    _page(tmp_path, "countries/LTU.html")
    listed = manifest.merged_results(tmp_path, _single(), ds)
    assert sorted((r.job.kind, r.job.key, r.job.title) for r in listed) == [
        ("country", "LTU", "Lithuania"),
        ("country", "POL", "Poland"),
        ("treaty", "ccm", "CCM"),
    ]
    (tmp_path / manifest.MANIFEST).write_text("{not json")
    assert len(manifest.merged_results(tmp_path, _single(), ds)) == 3


def test_a_manifest_that_is_a_folder_is_refused_before_any_kernel(tmp_path, no_kernels):
    (tmp_path / manifest.MANIFEST).mkdir()
    result = runner.invoke(app, ["reports", "-c", "LTU", "--out", str(tmp_path)])
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2 and len(lines) == 1 and "manifest.json is not a file" in lines[0], result.output
    with pytest.raises(ParameterError, match="manifest.json is not a file"):
        analysis.batch.build_reports(countries=["LTU"], out=tmp_path, progress=False)


class _Http(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Http)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_scheduler_that_is_none_is_refused_in_one_line_within_seconds(http_server, no_kernels, monkeypatch):
    monkeypatch.setattr(guard, "SCHEDULER_TIMEOUT", 1.0)
    for address, words in (
        ("tcp://127.0.0.1:1", "cannot connect"),
        ("notanaddress", "not a scheduler address"),
        (http_server, "no Dask scheduler greeted within 1 s"),
    ):
        started = time.monotonic()
        result = runner.invoke(app, ["reports", "-c", "LTU", "--scheduler", address, "--out", "unused"])
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert result.exit_code == 2 and len(lines) == 1 and words in lines[0], (address, result.output)
        assert time.monotonic() - started < 5, address


def test_the_index_map_data_block_survives_a_hostile_state_name(monkeypatch):
    hostile = "Estonia<!--<script>"
    monkeypatch.setattr(statusmap, "country_name", lambda code: hostile if code == "EST" else code)
    markup = str(statusmap.index_map("ccm"))
    block = re.search(r'<script type="application/json" class="tx-map-data">(.*?)</script>', markup, re.S)[1]
    assert "<!--" not in block and "<script" not in block.lower()
    assert hostile in json.loads(block)["names"]


def test_a_real_dask_scheduler_passes_the_check():
    """The check must not refuse what it guards: a scheduler (no workers needed) greets at once."""
    import asyncio

    from distributed import Scheduler

    async def probe():
        async with Scheduler(port=0, dashboard_address=None) as scheduler:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, guard.check_scheduler, scheduler.address, 5.0)
            await loop.run_in_executor(None, guard.check_scheduler, scheduler.address.removeprefix("tcp://"), 5.0)

    asyncio.run(probe())
