"""The batch builder: parameters, failures that do not stop the others, atomic files, --resume, the index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from analysis import batch, config, params
from analysis.batch.inputs import Inputs
from analysis.countries import UnknownCountryError
from analysis.status import UnknownTreatyError

# ---- parameters: one clear line -------------------------------------------------------------------


def test_unknown_country_is_one_line_with_suggestions():
    with pytest.raises(UnknownCountryError) as exc:
        params.country("Atlantis")
    msg = str(exc.value)
    assert "\n" not in msg and msg.startswith("Unknown country 'Atlantis'.") and "Did you mean" in msg


def test_unknown_treaty_is_one_line():
    with pytest.raises(UnknownTreatyError) as exc:
        params.treaty("otawa")
    assert "\n" not in str(exc.value) and "Unknown treaty 'otawa'" in str(exc.value)


def test_dates():
    ds = reports_ds()
    assert params.as_of(None, ds) == ds.status_date
    assert params.as_of("2001-01-01", ds).isoformat() == "2001-01-01"
    for bad in ("2001-13-01", "yesterday", 20010101):
        with pytest.raises(params.ParameterError, match="as_of") as exc:
            params.as_of(bad, ds)
        assert "\n" not in str(exc.value)
    with pytest.raises(params.ParameterError, match="after the dataset's status date"):
        params.as_of("2999-01-01", ds)
    assert params.country("Holy See") == "VAT" and params.country("State of Palestine") == "PSE"


def reports_ds():
    from analysis import load

    return load()


def test_plan_keeps_going_past_unknown_names():
    jobs = batch.plan(countries=["LTU,Atlantis", "estonia"], treaties=["apmbc", "nope"], overview=True)
    by = {(j.kind, j.key): j for j in jobs}
    assert by[("country", "LTU")].params == {"country": "LTU", "as_of": None}
    assert by[("country", "EST")].path == "countries/EST.html"
    assert by[("country", "Atlantis")].error.startswith("UnknownCountryError: Unknown country 'Atlantis'")
    assert by[("treaty", "nope")].error.startswith("UnknownTreatyError")
    assert ("overview", "overview") in by
    assert len(batch.plan(treaties=["all"])) == len(reports_ds().treaties)


def test_write_atomic_leaves_nothing_half_written(tmp_path):
    target = tmp_path / "countries" / "X.html"
    with pytest.raises(TypeError):
        batch.write_atomic(target, None)  # fails while writing
    assert not target.exists() and list(target.parent.iterdir()) == []
    batch.write_atomic(target, "<html>ok</html>")
    assert target.read_text() == "<html>ok</html>" and len(list(target.parent.iterdir())) == 1


# ---- the batch ------------------------------------------------------------------------------------


def _failing_notebooks(tmp_path: Path, fail_for: str) -> Path:
    """A copy of the notebooks whose country report fails (in a cell, as a real bug would) for one state."""
    d = tmp_path / "notebooks"
    d.mkdir()
    for name in batch.NOTEBOOK.values():
        nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
        if name == "country_report.ipynb":
            at = next(i for i, c in enumerate(nb.cells) if "country_profile(" in c.source) + 1
            nb.cells.insert(
                at,
                nbformat.v4.new_code_cell(
                    f'if iso3 == "{fail_for}":\n    raise RuntimeError("simulated failure for {fail_for}")'
                ),
            )
        nbformat.write(nb, d / name)
    return d


@pytest.mark.slow
def test_batch_one_failure_does_not_stop_the_others(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from analysis.cli import app

    nb_dir = _failing_notebooks(tmp_path, "EST")
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", nb_dir)  # the builder looks it up at call time
    out = tmp_path / "out"
    (out / "countries").mkdir(parents=True)
    res = CliRunner().invoke(
        app,
        ["reports", "--countries", "LTU,EST", "-c", "Atlantis", "--treaties", "ccm", "--jobs", "2", "--out", str(out)],
    )
    assert res.exit_code == 1, res.output
    assert "simulated failure for EST" in res.output and "Unknown country 'Atlantis'" in res.output

    assert (out / "countries" / "LTU.html").is_file() and (out / "treaties" / "ccm.html").is_file()
    assert not (out / "countries" / "EST.html").exists()
    assert [p.name for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"] == []
    index = (out / "index.html").read_text()
    assert "RuntimeError: simulated failure for EST" in index
    assert "Unknown country &#x27;Atlantis&#x27;" in index
    assert 'href="countries/LTU.html"' in index and 'href="treaties/ccm.html"' in index

    page = (out / "countries" / "LTU.html").read_text()
    ds = reports_ds()
    assert "Lithuania (LTU)" in page and ds.version in page and ds.status_date.isoformat() in page
    assert "simulated failure" not in page  # the injected check is code: not shown, and it did not fire
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", page), "a network resource"
    assert "injected-parameters" not in page and "country = " not in page  # no code, no parameters cell
    assert page.count('data-mime-type="image/svg+xml"') >= 1  # the timeline, an inline SVG
    # the seed facts, as a reader sees them (computed from the parsed depositary page, not typed in)
    text = re.sub(r"<[^>]+>", " ", page)
    assert re.search(r"CCM.{0,200}2024-09-06.{0,60}2025-03-06", text, re.S), "Lithuania's CCM exit"
    assert re.search(r"APMBC.{0,200}2025-06-27.{0,60}2025-12-27", text, re.S), "Lithuania's APMBC exit"
    assert "6 months" in text

    # --resume: up-to-date reports are skipped, the failed one is retried, a changed notebook rebuilds
    stamp = batch.read_stamp(out / "countries" / "LTU.html")  # what the page reads, not the whole dataset
    assert stamp and stamp.startswith(f"inputs {Inputs(ds).of(batch.plan(countries=['LTU'], ds=ds)[0])}|")
    mtime = (out / "countries" / "LTU.html").stat().st_mtime_ns
    again = batch.build_reports(countries=["LTU", "EST"], jobs=1, out=out, resume=True, progress=False)
    assert {r.job.key: r.status for r in again.results} == {"LTU": "skipped", "EST": "failed"}
    assert (out / "countries" / "LTU.html").stat().st_mtime_ns == mtime
    nb = nbformat.read(nb_dir / "country_report.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A new closing remark."))
    nbformat.write(nb, nb_dir / "country_report.ipynb")
    third = batch.build_reports(countries=["LTU"], jobs=1, out=out, resume=True, progress=False)
    assert [r.status for r in third.results] == ["built"]
    assert "A new closing remark." in (out / "countries" / "LTU.html").read_text()


def test_cli_rejects_bad_options_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from analysis.cli import app

    res = CliRunner().invoke(app, ["reports", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "nothing to build" in res.output
    res = CliRunner().invoke(app, ["reports", "-c", "LTU", "--as-of", "03/02/2026", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "--as-of '03/02/2026' is not a day" in res.output
    assert len(res.output.strip().splitlines()) == 1
    res = CliRunner().invoke(app, ["reports", "-c", "LTU", "--jobs", "-1", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "--jobs must be 1 or more" in res.output
    assert not any(tmp_path.iterdir())


def test_cli_parses_the_day_once_and_refuses_days_after_the_data(tmp_path, monkeypatch):
    """--as-of reaches the builder as a date (parsed at the edge); a day after the status date exits 2."""
    from datetime import date

    from typer.testing import CliRunner

    from analysis.cli import app

    res = CliRunner().invoke(app, ["reports", "-c", "LTU", "--as-of", "2999-01-01", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "after the dataset's status date" in res.output
    assert not any(tmp_path.iterdir())  # refused before any report ran

    seen = {}

    def record_the_call(countries, all_countries, treaties, overview, as_of, jobs, out, resume, research=False):
        seen.update(countries=countries, as_of=as_of, jobs=jobs)
        return batch.BuildResult(out=out)

    monkeypatch.setattr(batch, "build_reports", record_the_call)
    res = CliRunner().invoke(app, ["reports", "-c", "LTU", "--as-of", "2020-01-01", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert seen == {"countries": ["LTU"], "as_of": date(2020, 1, 1), "jobs": None}


def test_plan_takes_a_day():
    from datetime import date

    jobs = batch.plan(countries=["LTU"], treaties=["ccm", "ccm"], as_of=date(2020, 1, 1))
    assert [(j.kind, j.key, j.params) for j in jobs] == [
        ("country", "LTU", {"country": "LTU", "as_of": "2020-01-01"}),
        ("treaty", "ccm", {"treaty": "ccm", "as_of": "2020-01-01"}),
    ]
    with pytest.raises(params.ParameterError, match="after the dataset's status date"):
        batch.plan(countries=["LTU"], as_of=date(2999, 1, 1))


def test_reports_is_a_deprecated_alias_of_batch():
    import importlib
    import sys

    sys.modules.pop("analysis.reports", None)
    with pytest.warns(DeprecationWarning, match="analysis.batch"):
        reports = importlib.import_module("analysis.reports")
    assert reports.build_reports is batch.build_reports and reports.plan is batch.plan


def test_cli_import_stays_light():
    import subprocess
    import sys

    code = (
        "import sys, analysis.cli; heavy = [m for m in ('papermill', 'nbconvert', 'nbclient', 'matplotlib') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.replace("'", '"')) == []


@pytest.mark.slow
def test_a_figure_is_drawn_once_as_svg_and_never_with_agg():
    """matplotlib's own post-execute hook drew every open figure with Agg (a raster no page uses) before the
    inline backend drew it as SVG; the warm-up removes it, so a report's figure costs one drawing, not two."""
    import asyncio

    from analysis.batch.pool import WarmKernel

    count = (
        "import matplotlib, matplotlib.backends.backend_agg as _agg\n"
        "matplotlib._tx_agg_draws = []\n"
        "_tx_draw = _agg.FigureCanvasAgg.draw\n"
        "def _tx_counted(self, *args, **kwargs):\n"
        "    matplotlib._tx_agg_draws.append(1)\n"
        "    return _tx_draw(self, *args, **kwargs)\n"
        "_agg.FigureCanvasAgg.draw = _tx_counted\n"
    )

    async def one_figure():
        kernel = WarmKernel(config.notebooks_dir(), timeout=120)
        await kernel.start()
        try:
            await kernel._run(count)
            cell = nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nNone")
            nb = nbformat.v4.new_notebook(cells=[cell])
            await kernel.execute(nb)
            assert any("image/svg+xml" in out.get("data", {}) for out in nb.cells[0].outputs)
            await kernel._run("import matplotlib\nassert matplotlib._tx_agg_draws == [], matplotlib._tx_agg_draws")
        finally:
            await kernel.stop()

    asyncio.run(one_figure())
