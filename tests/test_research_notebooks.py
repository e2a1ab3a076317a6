"""The explorer and the research notebooks run under papermill with other parameters, and refuse bad ones in one
line. They run in the project's kernel named in their metadata ("treaty-exits", registered by ``make setup``)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOKS

import analysis as a

pytestmark = pytest.mark.slow


def _run(name: str, tmp_path: Path, **parameters):
    import papermill as pm

    out = tmp_path / name
    pm.execute_notebook(str(NOTEBOOKS / name), str(out), parameters=parameters, progress_bar=False, cwd=str(NOTEBOOKS))
    return nbformat.read(out, as_version=4)


def _texts(nb) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts += [str(v) for k, v in output.get("data", {}).items() if k.startswith("text/")]
    return "\n".join(parts)


def test_explorer_with_another_selection_shows_it_statically(tmp_path):
    nb = _run("explore.ipynb", tmp_path, treaty="npt", states=["PRK", "USA"], day="2003-04-10")
    text = _texts(nb)
    expected = len(a.parties("npt", on="2003-04-10"))
    assert f'<b class="te-count">{expected}</b> states bound by NPT on 10 April 2003' in text
    assert "Korea" in text and "2003-01-10" in text  # the DPRK's notice in the exits table
    assert "Error" not in text


def test_exit_hazard_since_2000_counts_only_those_years(tmp_path):
    nb = _run("exit_hazard.ipynb", tmp_path, since="2000-01-01")
    from analysis import models

    rows = models.risk_set(since="2000-01-01")
    assert f"**{int(rows['event'].sum())} exits** in {len(rows):,} state-years" in _texts(nb)


def test_contagion_with_other_parameters(tmp_path):
    nb = _run(
        "contagion.ipynb",
        tmp_path,
        window=90,
        grouping="EU",
        treaties="apmbc,ccm",
        since="2020-01-01",
        n_permutations=200,
    )
    from analysis import contagion

    test = contagion.contagion_test(90, "EU", ["apmbc", "ccm"], "2020-01-01", 200, 1)
    assert test.sentence() in _texts(nb)


@pytest.mark.parametrize(
    "name, parameters, error",
    [
        ("contagion.ipynb", {"grouping": "planet"}, "ValueError"),
        ("contagion.ipynb", {"treaties": "atlantis"}, "UnknownTreatyError"),
        ("exit_hazard.ipynb", {"since": "2001-02-30"}, "ParameterError"),
        ("explore.ipynb", {"states": ["Atlantis"]}, "UnknownCountryError"),
    ],
)
def test_bad_parameters_fail_in_one_line(tmp_path, name, parameters, error):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as exc:
        _run(name, tmp_path, **parameters)
    assert exc.value.ename == error and "\n" not in exc.value.evalue


def test_the_site_builds_the_research_notebooks_and_lists_them(tmp_path):
    from analysis import batch, models

    assert [(j.kind, j.key, j.path) for j in batch.plan(research=True)] == [
        ("research", "exit_hazard", "research/exit_hazard.html"),
        ("research", "contagion", "research/contagion.html"),
    ]
    result = batch.build_reports(research=True, jobs=2, out=tmp_path, progress=False)
    assert [(r.job.key, r.error) for r in result.failed] == []
    index = (tmp_path / "index.html").read_text()
    assert 'href="research/exit_hazard.html"' in index and 'href="research/contagion.html"' in index
    page = (tmp_path / "research" / "exit_hazard.html").read_text()
    events = int(models.risk_set()["event"].sum())
    assert f"{events} exits</strong>" in page and 'href="../index.html"' in page


def test_research_pages_stay_listed_after_a_later_build(tmp_path):
    """The index lists what earlier builds wrote; a country built later keeps the research pages listed."""
    from analysis import batch

    first = batch.build_reports(research=True, jobs=1, out=tmp_path, progress=False)
    assert not first.failed
    batch.build_reports(countries=["LTU"], jobs=1, out=tmp_path, progress=False)
    index = (tmp_path / "index.html").read_text()
    assert 'href="research/contagion.html"' in index and 'href="countries/LTU.html"' in index
