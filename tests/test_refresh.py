"""A refresh against pages served on loopback that are truncated, thinned, emptied, slow, erroring, short or not
UTF-8, or without the ../shared sources, leaves the data folder byte-identical and exits non-zero with a reason;
a good refresh swaps the new data in and keeps a dated copy of the previous version."""

import contextlib
import http.server
import shutil
import threading
import time
from typing import ClassVar

import pytest
from conftest import ROOT, SHARED, SHARED_REASON
from minidata import make_mini_data
from pagevariants import APMBC, CCM, emptied, text, truncated, with_cell, with_counts, without_row
from typer.testing import CliRunner

import analysis as a
from analysis import config
from analysis.cli import app
from analysis.sources.fetch import FetchError
from analysis.sources.refresh import RefreshRefused, refresh

runner = CliRunner()


class _Pages(http.server.BaseHTTPRequestHandler):
    """Serves each chapter XXVI number's page as ``behaviour`` says: bytes, an HTTP error, a trickle, a short read."""

    pages: ClassVar[dict] = {}

    def do_GET(self):
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the refresh gave up on the page
            self._answer()

    def _answer(self):
        from urllib.parse import parse_qs, urlparse

        number = parse_qs(urlparse(self.path).query).get("mtdsg_no", [""])[0]
        kind, body = self.pages.get(number, ("error", 404))
        if kind == "error":
            self.send_error(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body) * (2 if kind == "short" else 1)))
        self.end_headers()
        if kind in ("trickle", "drip"):  # one byte every 20 s, or every half second
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(20 if kind == "trickle" else 0.5)
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    servers = []

    def start(pages: dict) -> str:
        handler = type("Handler", (_Pages,), {"pages": pages})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _whole():
    return {"XXVI-6": ("ok", CCM.read_bytes()), "XXVI-5": ("ok", APMBC.read_bytes())}


def _with_ccm(kind, body):
    return {**_whole(), "XXVI-6": (kind, body)}


def _fingerprint(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def data(tmp_path):
    return make_mini_data(tmp_path / "data")


def _refused(tmp_path, data, url, **options) -> list[str]:
    before = _fingerprint(data)
    with pytest.raises((RefreshRefused, FetchError)) as caught:
        refresh(tmp_path / "snap", url, data_dir=data, page_timeout=3, total_timeout=30, **options)
    assert _fingerprint(data) == before, "the data folder changed"
    assert not data.with_name(".data.staging").exists()
    return getattr(caught.value, "reasons", [str(caught.value)])


CCM_PAGE = text(CCM)
BROKEN = {
    "truncated at 90 %": truncated(CCM_PAGE, 0.9),
    "thinned (Japan's row gone)": without_row(CCM_PAGE, "Japan"),
    "thinned (Lithuania's row gone)": without_row(CCM_PAGE, "Lithuania"),
    "emptied (header over an empty table)": emptied(CCM_PAGE),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_page_is_refused_and_the_data_stay_byte_identical(tmp_path, data, serve, case):
    reasons = _refused(tmp_path, data, serve(_with_ccm("ok", BROKEN[case].encode())))
    assert reasons and all(CCM.name in reason for reason in reasons), reasons


def test_a_consistent_page_that_lost_a_row_is_refused_unless_the_removal_is_accepted(tmp_path, data, serve):
    page = with_counts(without_row(CCM_PAGE, "Japan"), 3, 3).encode()
    url = serve(_with_ccm("ok", page))
    reasons = _refused(tmp_path, data, url)
    assert any("JPN/ccm signature of 2008-12-03 vanished" in r for r in reasons), reasons
    assert any("--accept-removals" in r for r in reasons)
    result = refresh(tmp_path / "snap2", url, data_dir=data, accept_removals=True, page_timeout=3)
    assert "JPN" not in set(a.load(data).events.query("treaty == 'ccm'")["state"])
    assert (result.previous / "events.csv").read_text().count("JPN,ccm,") == 2
    assert any(line.startswith("events.csv:") and "−2 gone" in line for line in result.summary), result.summary


@pytest.mark.parametrize(
    "kind, body, expected",
    [
        ("error", 500, "HTTP 500"),
        ("short", CCM.read_bytes(), "short read"),
        ("ok", CCM_PAGE.replace("“", "\x93").encode("latin-1", "replace"), "not UTF-8"),
        ("trickle", CCM.read_bytes(), "within 3 s"),
        ("drip", CCM.read_bytes(), "not complete before its deadline"),
    ],
)
def test_a_bad_download_is_one_line_naming_the_page(tmp_path, data, serve, kind, body, expected):
    started = time.monotonic()
    (reason,) = _refused(tmp_path, data, serve(_with_ccm(kind, body)))
    assert time.monotonic() - started < 15, "a trickling server must not hang the refresh"
    assert (expected in reason or "deadline" in reason) and "XXVI-6 (ccm)" in reason and "\n" not in reason


def test_the_cli_refuses_with_the_reasons_and_a_non_zero_exit(tmp_path, data, serve):
    url = serve(_with_ccm("ok", emptied(CCM_PAGE).encode()))
    before = _fingerprint(data)
    args = ["refresh", "--out", str(tmp_path / "snap"), "--base-url", url, "--data-dir", str(data)]
    result = runner.invoke(app, [*args, "--page-timeout", "3"])
    assert result.exit_code == 1 and "header says Parties : 4, but the rows give 0" in result.output
    assert "refresh refused" in result.output and _fingerprint(data) == before
    result = runner.invoke(app, [*args, "--page-timeout", "3"], catch_exceptions=False)
    url = serve(_with_ccm("error", 503))
    result = runner.invoke(app, ["refresh", "--out", str(tmp_path / "s2"), "--base-url", url, "--data-dir", str(data)])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1 and "HTTP 503" in result.output


def test_a_good_refresh_swaps_and_keeps_a_dated_copy(tmp_path, data, serve):
    before = _fingerprint(data)
    result = refresh(tmp_path / "snap", serve(_whole()), data_dir=data, page_timeout=3)
    assert result.previous.name.startswith("data-before-") and _fingerprint(result.previous) == before
    assert a.validate(data) == [] and a.status("LTU", "ccm", on="2025-03-06", ds=a.load(data)) == "withdrawn"
    assert any(line.startswith("events.csv:") for line in result.summary)


@pytest.mark.skipif(not config.untc_dir(SHARED).exists(), reason=SHARED_REASON)
def test_without_the_shared_sources_the_refresh_is_refused(tmp_path, serve):
    """The full registry needs the UNODA/ICRC files; with ../shared absent the refresh refuses, data intact."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    pages = {}
    for row in a.load(data).treaties.itertuples():
        if row.untc_file:
            pages[row.mtdsg] = ("ok", (config.untc_dir(SHARED) / row.untc_file).read_bytes())
    (tmp_path / "empty").mkdir()
    reasons = _refused(tmp_path, data, serve(pages), shared=tmp_path / "empty")
    assert any("UNODA/ICRC source files are missing" in r and "npt" in r for r in reasons), reasons


def test_a_redated_action_is_not_explained_by_another_end_note_of_the_state(tmp_path, data, serve):
    """Issue 25: Lithuania's signature re-dated was accepted because Lithuania has a (withdrawal) End Note."""
    page = with_cell(CCM_PAGE, "Lithuania", "3 Dec", "4 Dec").encode()
    reasons = _refused(tmp_path, data, serve(_with_ccm("ok", page)))
    assert any("LTU/ccm signature of 2008-12-03 vanished" in r for r in reasons), reasons


def test_a_bracketed_row_whose_end_note_the_parser_cannot_read_is_refused(tmp_path, data, serve):
    """Issue 25: the page counts Lithuania out (brackets, consistent header) but its End Note no longer reads as a
    withdrawal: the data would have kept Lithuania a party."""
    page = CCM_PAGE.replace("deposited with the Secretary-General a notification of withdrawal", "wrote", 1)
    reasons = _refused(tmp_path, data, serve(_with_ccm("ok", page.encode())))
    assert any("(Lithuania) is in brackets" in r and "no End Note of it reads as a withdrawal" in r for r in reasons)


def test_a_page_dated_after_today_is_refused(tmp_path, data, serve):
    """Issue 25: a page dated 2099 was accepted and the data version became 2099-01-01+..."""
    page = CCM_PAGE.replace("STATUS AS AT : 03-02-2026", "STATUS AS AT : 01-01-2099", 1)
    reasons = _refused(tmp_path, data, serve(_with_ccm("ok", page.encode())))
    assert any("status as at 2099-01-01, after today" in r for r in reasons), reasons
