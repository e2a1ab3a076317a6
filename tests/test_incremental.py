"""Incremental rebuilds (issue 24): a page's stamp hashes what the page reads, so that ``--resume`` after one row
changes rebuilds exactly the pages that show that row (and the index, always written), and nothing else.

The plan step only (``batch.run.stale``, no kernel): pages stamped from the data as it is are written to a folder,
one row or table is changed in memory, and the set of pages the plan would build again is compared with the set
computed here from the data, independently of the stamping code: the state's own page, the pages whose peer table
(``peers.peers``, what the page shows) lists the state, the page of the row's treaty, the overview and the
research pages.
"""

from __future__ import annotations

import dataclasses
import html
from datetime import date

import pandas as pd
import pytest

from analysis import config, params
from analysis.batch import inputs as inputs_module
from analysis.batch.plan import plan
from analysis.batch.run import stale
from analysis.peers import peers

TODAY = date(2026, 3, 1)


@pytest.fixture(scope="module")
def todo(ds):
    return plan(all_countries=True, treaties="all", overview=True, research=True, ds=ds)


@pytest.fixture
def site(tmp_path, ds, todo):
    """An output folder whose every page carries the stamp the data as it is gives (as a finished build leaves)."""
    _, wanted = stale(todo, ds, config.notebooks_dir(), tmp_path, resume=False, today=TODAY)
    for job, stamp in wanted:
        page = tmp_path / job.path
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f'<html><head><meta name="treaty-exits-stamp" content="{html.escape(stamp)}"></head></html>')
    return tmp_path


def _rebuilt(site, ds, todo, today=TODAY) -> set[str]:
    done, wanted = stale(todo, ds, config.notebooks_dir(), site, resume=True, today=today)
    assert all(result.status == "skipped" for result in done)
    return {job.path for job, _ in wanted}


def _curated_row(ds, state: str, treaty: str, action: str) -> int:
    """The position in events.csv of a row that comes from data/curated_events.csv."""
    curated = pd.read_csv(config.data_dir() / "curated_events.csv", dtype=str, keep_default_na=False)
    day = curated[(curated["state"] == state) & (curated["treaty"] == treaty) & (curated["action"] == action)]["date"]
    ev = ds.events
    match = ev.index[
        (ev["state"] == state) & (ev["treaty"] == treaty) & (ev["action"] == action) & (ev["date"] == day.iloc[0])
    ]
    assert len(match) == 1
    return match[0]


def test_nothing_changed_nothing_rebuilt(site, ds, todo):
    assert len(todo) > 230
    assert _rebuilt(site, ds, todo) == set()


def test_one_curated_row_of_lithuania_rebuilds_its_pages_and_no_other(site, ds, todo):
    row = _curated_row(ds, "LTU", "ccm", "parliament_vote")
    events = ds.events.copy()
    events.loc[row, "note"] = events.loc[row, "note"] + " (corrected)"
    changed = dataclasses.replace(ds, events=events)

    showing_ltu = set()
    for iso3 in ds.states.index:  # each country page's day, and the peers its table shows on it
        day = params.as_of(None, ds, country=iso3)
        if "LTU" in set(peers(iso3, on=day, ds=ds)["state"]):
            showing_ltu.add(f"countries/{iso3}.html")
    expected = showing_ltu | {
        "countries/LTU.html",
        "treaties/ccm.html",
        "overview.html",
        "research/exit_hazard.html",
        "research/contagion.html",
    }
    assert {"countries/EST.html", "countries/USA.html", "countries/FIN.html"} <= expected  # region, NATO, EU
    assert "countries/BRA.html" not in expected and "treaties/apmbc.html" not in expected
    assert _rebuilt(site, changed, todo) == expected


def test_global_tables_rebuild_the_pages_that_read_them(site, ds, todo):
    countries = {job.path for job in todo if job.kind == "country"}
    treaties = {job.path for job in todo if job.kind == "treaty"}
    whole = {"overview.html", "research/exit_hazard.html", "research/contagion.html"}

    groups = ds.groups.copy()
    groups.loc[groups.index[0], "source"] = "https://example.org/another-source"
    assert _rebuilt(site, dataclasses.replace(ds, groups=groups), todo) == countries | whole  # treaty pages: no

    treaties_table = ds.treaties.copy()
    treaties_table.loc["ccm", "full_name"] = treaties_table.loc["ccm", "full_name"] + "."
    assert _rebuilt(site, dataclasses.replace(ds, treaties=treaties_table), todo) == countries | treaties | whole

    assert _rebuilt(site, ds, todo, today=date(2026, 3, 2)) == treaties  # a treaty page gives its record's age


def test_the_package_and_the_notebook_are_inputs(site, ds, todo, monkeypatch, tmp_path_factory):
    monkeypatch.setattr(inputs_module, "package_hash", lambda: "9.9.9+0000000000")
    assert _rebuilt(site, ds, todo) == {job.path for job in todo}
    monkeypatch.undo()

    notebooks = tmp_path_factory.mktemp("notebooks")
    for path in config.notebooks_dir().glob("*.ipynb"):
        (notebooks / path.name).write_bytes(path.read_bytes())
    treaty_nb = notebooks / "treaty_report.ipynb"
    treaty_nb.write_text(treaty_nb.read_text(encoding="utf-8").replace("as of", "as at"), encoding="utf-8")
    _, wanted = stale(todo, ds, notebooks, site, resume=True, today=TODAY)
    assert {job.path for job, _ in wanted} == {job.path for job in todo if job.kind == "treaty"}


def test_a_resume_with_nothing_to_build_starts_no_kernel(tmp_path, ds, monkeypatch):
    from analysis.batch import run

    todo = plan(countries=["LTU", "EST"], treaties=["ccm"], ds=ds)
    _, wanted = stale(todo, ds, config.notebooks_dir(), tmp_path, resume=False)
    for job, stamp in wanted:
        (tmp_path / job.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / job.path).write_text(f'<meta name="treaty-exits-stamp" content="{html.escape(stamp)}">')

    def no_kernels(*args, **kwargs):
        raise AssertionError("an executor was opened with nothing to build")

    monkeypatch.setattr(run, "open_executor", no_kernels)
    result = run.build_reports(countries=["LTU", "EST"], treaties=["ccm"], out=tmp_path, resume=True, progress=False)
    assert [r.status for r in result.results] == ["skipped"] * 3
    assert 'href="countries/EST.html"' in (tmp_path / "index.html").read_text(encoding="utf-8")
