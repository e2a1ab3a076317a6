"""Reports across time: the dated plan, the history pages (changes in words), the index's dates, the CLI's
--as-of lists and ranges, --resume per (state, day), and reports that do not leak into each other (A, B, A)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from analysis import batch, load
from analysis.batch import history
from analysis.batch.plan import BuildResult, Result

DAYS = [date(2015, 1, 1), date(2020, 1, 1), date(2025, 1, 1)]


def test_a_list_of_days_plans_one_report_per_state_and_day_in_its_own_folder():
    jobs = batch.plan(countries=["LTU", "Atlantis"], treaties=["ccm"], overview=True, as_of=DAYS)
    dated = [(j.kind, j.key, j.day, j.path, j.params.get("as_of")) for j in jobs if j.day]
    assert dated[:3] == [
        ("country", "LTU", "2015-01-01", "countries/LTU/2015-01-01.html", "2015-01-01"),
        ("country", "LTU", "2020-01-01", "countries/LTU/2020-01-01.html", "2020-01-01"),
        ("country", "LTU", "2025-01-01", "countries/LTU/2025-01-01.html", "2025-01-01"),
    ]
    assert [j.path for j in jobs if j.kind == "treaty"][-1] == "treaties/ccm/2025-01-01.html"
    undated = [(j.kind, j.key, j.path) for j in jobs if not j.day]
    assert undated == [("country", "Atlantis", ""), ("overview", "overview", "overview.html")]
    assert len({j.ident for j in jobs}) == len(jobs)


def test_one_day_keeps_the_single_layout():
    (job,) = batch.plan(countries=["LTU"], as_of=[date(2020, 1, 1)])
    assert (job.path, job.day, job.params["as_of"]) == ("countries/LTU.html", None, "2020-01-01")


def test_a_day_after_the_data_in_a_range_is_refused_before_anything_runs():
    from analysis.params import ParameterError

    with pytest.raises(ParameterError, match="after the dataset's status date"):
        batch.plan(countries=["LTU"], as_of=[date(2020, 1, 1), date(2999, 1, 1)])


def test_changes_between_two_days_in_words():
    """Lithuania's cluster munitions exit (notice 2024-09-06, effect 2025-03-06) read from the data."""
    ds = load()
    statuses = history.statuses_by_day([date(2024, 1, 1), date(2024, 12, 1), date(2025, 6, 1)], ds)
    days = sorted(statuses)
    ccm = ds.treaties.loc["ccm", "full_name"]
    assert f"{ccm}: party → withdrawal pending" in history.changes(
        "country", "LTU", statuses[days[0]], statuses[days[1]], ds
    )
    assert f"{ccm}: withdrawal pending → withdrawn" in history.changes(
        "country", "LTU", statuses[days[1]], statuses[days[2]], ds
    )
    assert "Lithuania: withdrawal pending → withdrawn" in history.changes(
        "treaty", "ccm", statuses[days[1]], statuses[days[2]], ds
    )
    assert history.changes("country", "LTU", statuses[days[0]], statuses[days[0]], ds) == []


def test_history_page_and_index_from_results(tmp_path):
    ds = load()
    jobs = batch.plan(countries=["LTU"], as_of=DAYS, ds=ds)
    results = [Result(job, "built") for job in jobs[:2]] + [Result(jobs[2], "failed", "RuntimeError: boom")]
    assert history.write_history_pages(tmp_path, results, DAYS, ds) == ["countries/LTU/history.html"]
    page = (tmp_path / "countries" / "LTU" / "history.html").read_text()
    assert page.index('href="2015-01-01.html"') < page.index('href="2020-01-01.html"')
    assert "the first date" in page and "Arms Trade Treaty: consent deposited → party" in page
    assert "failed: RuntimeError: boom" in page and 'href="../../index.html"' in page
    index = batch.index_html(BuildResult(tmp_path, results), ds, DAYS[-1], days=DAYS)
    assert '<select id="day">' in index and "<option selected>2025-01-01</option>" in index
    assert 'href="countries/LTU/history.html"' in index
    assert index.count("<b>country LTU</b>") == 1  # the failed day, listed once among the failures


def test_cli_reads_a_range_once_and_hands_the_days_over(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from analysis.cli import app

    seen = {}

    def record_the_call(countries, all_countries, treaties, overview, as_of, jobs, out, resume, **where):
        seen.update(as_of=as_of, where=where)
        return BuildResult(out=out)

    monkeypatch.setattr(batch, "build_reports", record_the_call)
    res = CliRunner().invoke(app, ["reports", "-c", "LTU", "--as-of", "2015-01-01:2017-01-01:1Y", "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert seen == {"as_of": [date(2015, 1, 1), date(2016, 1, 1), date(2017, 1, 1)], "where": {"research": False}}
    res = CliRunner().invoke(app, ["reports", "-c", "LTU", "--as-of", "2015-01-01:2017-01-01", "-o", str(tmp_path)])
    assert res.exit_code == 2 and "is not a range" in res.output and len(res.output.strip().splitlines()) == 1
    res = CliRunner().invoke(app, ["reports", "-c", "LTU", "--workers", "2", "-o", str(tmp_path)])
    assert res.exit_code == 2 and "--workers is for --executor dask" in res.output
    from analysis.batch import executor

    monkeypatch.setattr(executor, "check_scheduler", lambda address: None)  # no cluster here: the choice is tested
    res = CliRunner().invoke(app, ["reports", "-c", "LTU", "--scheduler", "tcp://10.0.0.1:8786", "-o", str(tmp_path)])
    assert res.exit_code == 0 and seen["where"]["executor"].kind == "dask"


@pytest.mark.slow
def test_dated_build_history_and_resume_per_state_and_day(tmp_path):
    out = tmp_path / "site"
    days = DAYS[1:]
    first = batch.build_reports(countries=["LTU"], treaties=["ccm"], as_of=days, jobs=2, out=out, progress=False)
    assert [(r.job.key, r.job.day, r.status) for r in first.results] == [
        ("LTU", "2020-01-01", "built"),
        ("LTU", "2025-01-01", "built"),
        ("ccm", "2020-01-01", "built"),
        ("ccm", "2025-01-01", "built"),
    ]
    latest = (out / "countries" / "LTU" / "2025-01-01.html").read_text()
    assert 'href="history.html"' in latest and 'href="../../index.html"' in latest
    assert "as of 01 January 2025" in latest
    text = re.sub(r"<[^>]+>", " ", (out / "countries" / "LTU" / "history.html").read_text())
    assert "Convention on Cluster Munitions: party → withdrawal pending" in text
    assert (out / "treaties" / "ccm" / "history.html").is_file()
    # one more day: the two built before are skipped, only the new (state, day) pairs run
    more = batch.build_reports(
        countries=["LTU"], treaties=["ccm"], as_of=DAYS, jobs=2, out=out, resume=True, progress=False
    )
    assert {(r.job.key, r.job.day): r.status for r in more.results} == {
        ("LTU", "2015-01-01"): "built",
        ("LTU", "2020-01-01"): "skipped",
        ("LTU", "2025-01-01"): "skipped",
        ("ccm", "2015-01-01"): "built",
        ("ccm", "2020-01-01"): "skipped",
        ("ccm", "2025-01-01"): "skipped",
    }
    assert "2015-01-01.html" in (out / "countries" / "LTU" / "history.html").read_text()


@pytest.mark.slow
def test_no_state_leaks_from_one_report_into_the_next(tmp_path):
    """A, B, A in one warm kernel: the two A pages are the same, byte for byte; B's differs."""
    from dataclasses import replace

    from papermill.iorw import load_notebook_node

    from analysis import config
    from analysis.batch.pool import Pool, Task
    from analysis.batch.render import PageWriter, page_info

    ds = load()
    notebook = load_notebook_node(str(config.notebooks_dir() / "country_report.ipynb"))
    ltu, usa = batch.plan(countries=["LTU", "USA"], ds=ds)
    runs = [
        replace(ltu, path="first/LTU.html"),
        replace(usa, path="between/USA.html"),
        replace(ltu, path="again/LTU.html"),
    ]
    with Pool(1, cwd=config.notebooks_dir(), timeout=600, setup=lambda: PageWriter(tmp_path)) as pool:
        for job in runs:  # one worker takes them in this order
            pool.submit(Task(job, notebook, page_info(ds, job, "same stamp")))
        assert [r.status for r in pool.collect()] == ["built"] * 3
    first, again = (tmp_path / "first" / "LTU.html").read_text(), (tmp_path / "again" / "LTU.html").read_text()
    assert first == again
    assert "Lithuania (LTU)" in first and "United States" in (tmp_path / "between" / "USA.html").read_text()


@pytest.mark.slow
def test_the_kernel_keeps_nothing_of_a_report_after_it():
    """Names, shown results (Out, _5 ...) and inputs (_i5 ...) are gone after each report; the clean-up's own
    failure would raise. (IPython's output cache once held every table and, at 1,000 entries, printed a warning
    into the report that hit the limit.)"""
    import asyncio

    import nbformat

    from analysis import config
    from analysis.batch.pool import WarmKernel

    check = (
        "assert not Out, Out\n"
        "assert 'leak' not in globals()\n"
        "left = [k for k in globals() if k.startswith('_') and k.lstrip('_i').isdigit()]\n"
        "assert not left, left\n"
        "del left"
    )

    async def two_reports():
        kernel = WarmKernel(config.notebooks_dir(), timeout=120)
        await kernel.start()
        try:
            for _ in range(2):
                cells = [nbformat.v4.new_code_cell("leak = list(range(10))\nleak"), nbformat.v4.new_code_cell("42")]
                nb = nbformat.v4.new_notebook(cells=cells)
                await kernel.execute(nb)
                assert nb.cells[1].outputs[0]["data"]["text/plain"] == "42"
                await kernel._run(check)
        finally:
            await kernel.stop()

    asyncio.run(two_reports())


@pytest.mark.slow
def test_a_kernel_is_replaced_after_its_quota_of_reports():
    """RESTART_EVERY bounds a kernel's memory over a long grid: the third report runs in a new kernel."""
    import asyncio

    import nbformat

    from analysis import config
    from analysis.batch.pool import WarmKernel

    async def three_reports():
        kernel = WarmKernel(config.notebooks_dir(), timeout=120)
        kernel.RESTART_EVERY = 2
        await kernel.start()
        pids = []
        try:
            for _ in range(3):
                nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\nos.getpid()")])
                await kernel.execute(nb)
                pids.append(nb.cells[0].outputs[0]["data"]["text/plain"])
        finally:
            await kernel.stop()
        return pids

    first, second, third = asyncio.run(three_reports())
    assert first == second != third


def test_the_accessibility_pass_leaves_script_text_alone():
    """Alt text and keyboard focus are added to the page's markup, never inside a script (a map's JSON data)."""
    from analysis.batch.render import _accessible

    page = (
        '<div class="jp-RenderedImage jp-OutputArea-output "><img src="a.png"></div>'
        '<script type="application/json">{"name":"Lithuania <img src=x>"}</script><img alt="kept" src="b.png">'
    )
    out = _accessible(page)
    assert '<img alt="Figure" src="a.png">' in out and 'jp-OutputArea-output " tabindex="0">' in out
    assert '{"name":"Lithuania <img src=x>"}' in out and '<img alt="kept" src="b.png">' in out
