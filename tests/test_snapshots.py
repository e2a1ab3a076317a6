"""Snapshot diff (2014 scrape vs 2026 pages) and the refresh command against pages served on loopback."""

import functools
import http.server
import threading
from datetime import date
from typing import ClassVar

import pandas as pd
import pytest
from conftest import FIXTURES, SHARED, SHARED_REASON
from minidata import make_mini_data

import analysis as a
from analysis import config
from analysis.sources.snapshots import count_2014, diff, download

OLD = config.source_dir("untc2014", SHARED)
NEW = config.source_dir("untc", SHARED)
needs_shared = pytest.mark.skipif(not OLD.exists() or not NEW.exists(), reason=SHARED_REASON)


@needs_shared
@pytest.mark.shared
def test_2014_counts_are_reproduced_by_the_dataset():
    counts = count_2014(OLD)
    assert len(counts) == 11  # every 2014 table of a registry treaty (XXVI-7 is not covered)
    for r in counts.itertuples():
        assert len(a.parties(r.treaty, on=r.as_of, basis="deposited")) == r.parties, r.treaty
        assert len(a.signatories(r.treaty, on=r.as_of)) == r.signatories, r.treaty
        counts = a.party_counts(r.treaty, freq="D", end=r.as_of).loc[pd.Timestamp(r.as_of)]
        assert (counts["deposited"], counts["signed"]) == (r.parties, r.signatories), r.treaty


@needs_shared
@pytest.mark.shared
def test_every_difference_between_snapshots_is_explained_by_an_event():
    changes = diff(OLD, NEW)
    ev = a.load().events
    assert (changes["change"] == "removed without a note").sum() == 1  # Russia's CTBT ratification
    for r in changes.itertuples():
        mine = ev[(ev["state"] == r.state) & (ev["treaty"] == r.treaty)]
        if r.change == "added":
            day = r.new.split()[0]
            assert (mine["date"] == day).any(), r
        elif r.change.startswith("bracketed"):
            assert (mine["action"] == "withdrawal").any(), r
        elif r.change == "removed without a note":
            assert mine["action"].isin(["ratification_revocation", "signature_withdrawal"]).any(), r
        else:
            pytest.fail(f"unexplained change: {r}")


def _serve(folder):
    handler = functools.partial(_PageHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _PageHandler(http.server.SimpleHTTPRequestHandler):
    """Serves Pages/ViewDetails.aspx?mtdsg_no=XXVI-N from the fixture pages, as the depositary's site would."""

    pages: ClassVar[dict] = {"XXVI-6": "untc_ccm_excerpt.html", "XXVI-5": "untc_apmbc_excerpt.html"}

    def do_GET(self):
        from urllib.parse import parse_qs, urlparse

        q = parse_qs(urlparse(self.path).query)
        name = self.pages.get(q.get("mtdsg_no", [""])[0])
        if not name:
            self.send_error(404)
            return
        body = (FIXTURES / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_refresh_downloads_into_a_dated_folder_and_rebuilds(tmp_path):
    d = make_mini_data(tmp_path / "data")
    server = _serve(FIXTURES)
    try:
        folder = download(
            tmp_path / "snapshots",
            base_url=f"http://127.0.0.1:{server.server_port}",
            data_dir=d,
            today=date(2026, 11, 27),
        )
    finally:
        server.shutdown()
    assert folder.name == "untc-status-2026-11-27"
    assert sorted(p.name for p in (folder / "raw_html").iterdir()) == [
        "untc_apmbc_excerpt.html",
        "untc_ccm_excerpt.html",
    ]
    from analysis.sources.build import build

    build(untc_dir=folder / "raw_html", data_dir=d)
    assert a.status("LTU", "ccm", on="2025-03-06", ds=a.load(d)) == "withdrawn"


def test_refresh_fails_cleanly_when_the_server_is_down(tmp_path):
    d = make_mini_data(tmp_path / "data")
    server = _serve(FIXTURES)
    port = server.server_port
    server.shutdown()
    server.server_close()
    with pytest.raises(OSError):
        download(tmp_path / "snapshots", base_url=f"http://127.0.0.1:{port}", data_dir=d, timeout=5)
    assert not list((tmp_path / "snapshots").rglob("*.html"))


def test_diff_of_a_snapshot_with_itself_is_empty_and_a_missing_one_is_an_error(tmp_path):
    d = make_mini_data(tmp_path / "data")
    assert diff(FIXTURES, FIXTURES, data_dir=d).empty
    with pytest.raises(FileNotFoundError, match="snapshot folder not found"):
        diff(tmp_path / "nowhere", FIXTURES, data_dir=d)


def test_refresh_command_end_to_end(tmp_path):
    from typer.testing import CliRunner

    from analysis.cli import app

    d = make_mini_data(tmp_path / "data")
    (d / "events.csv").unlink()  # rebuilt from the downloaded pages
    server = _serve(FIXTURES)
    try:
        res = CliRunner().invoke(
            app,
            [
                "refresh",
                "--out",
                str(tmp_path / "snap"),
                "--base-url",
                f"http://127.0.0.1:{server.server_port}",
                "--data-dir",
                str(d),
            ],
        )
    finally:
        server.shutdown()
    assert res.exit_code == 0, res.output
    assert "saved pages in" in res.output and "is valid" in res.output
    pol = a.status("POL", "apmbc", on="2026-02-20", ds=a.load(d))  # effect "subject to the condition" of art. 20(3)
    assert "withdrawn" in pol.possible and not pol.certain
