"""The report notebooks on the hard cases: no actions at all, former states, PRK, RUS, USA, UKR, the Holy See,
the State of Palestine, and a country that does not exist (one clear line)."""

from __future__ import annotations

import pytest
from conftest import NOTEBOOKS
from minidata import make_mini_data

from analysis import batch, config, load


def _no_action_state() -> str:
    ds = load()
    quiet = sorted(set(ds.states.index) - set(ds.events["state"]))
    return quiet[0] if quiet else ""


EDGE = ["CSK", "SUN", "PRK", "RUS", "USA", "UKR", "VAT", "PSE"]


@pytest.fixture(scope="module")
def edge_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("edge")
    quiet = _no_action_state()
    res = batch.build_reports(
        countries=EDGE + ([quiet] if quiet else []), treaties=["npt", "new_start"], jobs=2, out=out, progress=False
    )
    return out, res, quiet


@pytest.mark.slow
def test_edge_cases_all_build(edge_build):
    out, res, quiet = edge_build
    assert [(r.job.key, r.error) for r in res.failed] == []
    for code in EDGE + ([quiet] if quiet else []):
        page = (out / "countries" / f"{code}.html").read_text()
        assert f"({code}), as of" in page and "Status in every covered treaty" in page


@pytest.mark.slow
@pytest.mark.parametrize(
    "code, expected",
    [
        ("VAT", "Holy See"),
        ("PSE", "Palestine"),
        ("CSK", "ceased to exist"),
        ("SUN", "ceased to exist"),
        ("PRK", "NPT"),
        ("USA", "ABM Treaty"),
        ("RUS", "CTBT"),
        ("UKR", "Ukraine"),
    ],
)
def test_edge_case_content(edge_build, code, expected):
    out, _, _ = edge_build
    assert expected in (out / "countries" / f"{code}.html").read_text()


@pytest.mark.slow
def test_state_without_any_action(tmp_path, monkeypatch):
    """Every state of the shipped data has an action on record, so the case is built on the fixture dataset
    (CCM and APMBC excerpts), where most states have none."""
    data = make_mini_data(tmp_path / "data")
    ds = load(data)
    quiet = sorted(set(ds.states.index[~ds.states["historical"]]) - set(ds.events["state"]))[0]
    monkeypatch.setenv("TREATY_EXITS_DATA", str(data))  # the kernels read it when they start
    monkeypatch.setattr(config, "DATA_DIR", data)
    res = batch.build_reports(countries=[quiet], jobs=1, out=tmp_path / "site", progress=False)
    assert [(r.job.key, r.error) for r in res.failed] == []
    page = (tmp_path / "site" / "countries" / f"{quiet}.html").read_text()
    assert "has no treaty action on record" in page
    assert "No exit (withdrawal" in page


@pytest.mark.slow
def test_prk_withdrawal_is_shown_with_its_notice(edge_build):
    out, _, _ = edge_build
    page = (out / "countries" / "PRK.html").read_text()
    assert "2003-01-10" in page  # the 2003 notice
    assert "3 months" in page  # art. X: three months' notice


@pytest.mark.slow
def test_bad_country_fails_in_one_clear_line(tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as exc:
        pm.execute_notebook(
            str(NOTEBOOKS / "country_report.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"country": "Atlantis"},
            kernel_name="python3",
            progress_bar=False,
            cwd=str(NOTEBOOKS),
        )
    assert exc.value.ename == "UnknownCountryError"
    assert exc.value.evalue.startswith("Unknown country 'Atlantis'. Did you mean:")
    # %xmode Minimal: the notebook shows the error line and no traceback frames
    import nbformat

    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert len(errors) == 1
    lines = [ln for ln in "\n".join(errors[0].traceback).splitlines() if ln.strip()]
    assert len(lines) == 1 and "Unknown country 'Atlantis'" in lines[0]


@pytest.mark.slow
def test_bad_treaty_and_date_fail_in_one_line(tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as exc:
        pm.execute_notebook(
            str(NOTEBOOKS / "treaty_report.ipynb"),
            str(tmp_path / "t.ipynb"),
            parameters={"treaty": "Treaty of Atlantis", "as_of": "2001-02-30"},
            kernel_name="python3",
            progress_bar=False,
            cwd=str(NOTEBOOKS),
        )
    assert exc.value.ename == "UnknownTreatyError" and "\n" not in exc.value.evalue


def test_notebooks_are_thin_and_parameterized():
    import nbformat

    for name, first in (
        ("country_report.ipynb", 'country: str = "LTU"'),
        ("treaty_report.ipynb", 'treaty: str = "apmbc"'),
        ("withdrawals_overview.ipynb", 'since: str = "1990-01-01"'),
        ("explore.ipynb", 'treaty: str = "apmbc"'),
        ("exit_hazard.ipynb", "since: str | None = None"),
        ("contagion.ipynb", "window: int = 365"),
    ):
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        # the project's kernel (make setup / make lab register it): the Lab opens them without asking
        assert nb.metadata.kernelspec.name == "treaty-exits"
        assert nb.metadata.kernelspec.display_name == "treaty-exits (Python)"
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1 and first in tagged[0].source and "#" in tagged[0].source
        assert any("%xmode Minimal" in c.source for c in nb.cells[: nb.cells.index(tagged[0])])
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        assert all(len(s.splitlines()) <= 12 for s in code), "logic belongs in the analysis module"
        assert not any("def " in s or "class " in s for s in code)
        # committed executed with the defaults (nbval compares these outputs)
        assert sum(bool(c.get("outputs")) for c in nb.cells if c.cell_type == "code") >= (1 if "explore" in name else 4)
