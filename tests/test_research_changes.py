"""What changed since 0.3.0: the baseline is what git holds of that release, and the comparison counts right."""

import importlib.util
import json
import subprocess

import pandas as pd
import pytest
from conftest import ROOT

from analysis import changes, contagion, models
from analysis.findings import p_text, ratio

spec = importlib.util.spec_from_file_location("research_baseline", ROOT / "tools" / "research_baseline.py")
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)

HISTORY = (
    subprocess.run(["git", "cat-file", "-e", f"{tool.COMMIT}^{{commit}}"], cwd=ROOT, capture_output=True).returncode
    == 0
)
needs_history = pytest.mark.skipif(
    not HISTORY, reason=f"commit {tool.COMMIT[:7]} (0.3.0) is not in this clone's history"
)


@pytest.fixture(scope="module")
def hazard_run(ds):
    rows = models.risk_set(ds=ds)
    return rows, models.fit_hazard(rows)


@needs_history
def test_the_tool_rebuilds_the_committed_baseline_from_git():
    assert tool.text(tool.build()) == tool.OUT.read_text(encoding="utf-8")
    assert tool.main(["--check"]) == 0


@needs_history
def test_the_text_and_html_readers_of_a_table_agree():
    nb = json.loads(tool.git_show(tool.HAZARD))
    cell = tool._cell(nb, "fit.table")
    plain, html = tool.plain_table(tool._output(cell, "text/plain")), tool.table(cell)
    assert list(plain.columns) == list(html.columns) and list(plain.index) == list(html.index)
    assert (plain.astype(float) - html.astype(float)).abs().max().max() == 0


@needs_history
def test_the_tool_refuses_a_claim_the_old_source_contradicts(monkeypatch):
    wrong = ("hazard", "Firth's penalized likelihood", lambda src: "firth" in src["src/analysis/models.py"].lower())
    monkeypatch.setattr(tool, "METHOD_THEN", [wrong])
    with pytest.raises(SystemExit, match="contradicts"):
        tool.method()


def test_the_baseline_is_read_from_the_package_and_names_its_provenance():
    base = changes.baseline()
    assert base["provenance"]["commit"] == tool.COMMIT and base["provenance"]["command"] == tool.COMMAND
    assert base["hazard"]["events"] == len(base["hazard"]["exits"])
    assert base["contagion"]["exits_tested"] == len(base["contagion"]["exits"])
    with pytest.raises(ValueError, match="no research baseline for release '9.9'; known: 0.3.0"):
        changes.baseline("9.9")
    with pytest.raises(ValueError, match="either rows and fit"):
        changes.since_release()


def test_the_cfe_allies_suspensions_recorded_since_are_added(ds, hazard_run):
    rows, fit = hazard_run
    base = changes.baseline()
    then = {(e["state"], e["treaty"], e["year"]) for e in base["hazard"]["exits"]}
    events = rows[(rows["event"] == 1) & (rows["treaty"] == "cfe") & (rows["period"].dt.year == 2023)]
    new = [s for s in events["state"] if (s, "cfe", 2023) not in then]
    assert new, "the record has CFE suspensions of 2023 that 0.3.0 did not count"
    added = changes.since_release(rows=rows, fit=fit, ds=ds).exits
    added = added[(added["Change"] == "added") & (added["Treaty"] == "CFE") & (added["Year"] == 2023)]
    assert sorted(added["State"]) == sorted(ds.states.loc[new, "name"])
    assert set(added["Kind"]) == {"suspension"}
    assert added["Why"].str.startswith("an act recorded since 0.3.0: suspension").all()


def test_the_figures_then_and_now_are_the_baseline_and_the_fit(ds, hazard_run):
    rows, fit = hazard_run
    base = changes.baseline()["hazard"]
    result = changes.since_release(rows=rows, fit=fit, ds=ds)
    numbers = result.numbers.set_index("Figure")
    assert numbers.loc["Exits (events)"].tolist() == [base["events"], fit.events]
    assert numbers.loc["State-years at risk"].tolist() == [f"{base['state_years']:,}", f"{fit.rows:,}"]
    assert numbers.loc["Decisions (exits taken together count once)", "Now"] == fit.decisions
    peers = numbers.loc[next(f for f in numbers.index if "peers" in f)]
    term = fit.table.loc["peers_left_prev"]
    assert peers["Now"].startswith(f"{ratio(term['odds_ratio'])} ({ratio(term['or_low'])}–")
    assert peers["0.3.0"].startswith(ratio(base["terms"]["peers_left_prev"]["odds_ratio"]))
    counts = result.exits["Change"].value_counts()
    assert counts.get("added", 0) - counts.get("removed", 0) == fit.events - base["events"]
    assert "maximum-likelihood" in result.summary and "Firth" in result.summary
    kind = result.exits[result.exits["Change"] == "kind changed"]  # the DPRK's 1993 notice, suspended in June 1993
    assert kind[["State", "Year", "Kind", "Why"]].values.tolist() == [
        ["North Korea", 1993, "notice never in effect", "counted as withdrawal in 0.3.0"]
    ]


def test_an_exit_not_counted_now_is_listed_as_removed_with_why(ds, hazard_run):
    rows, fit = hazard_run
    rows = rows.copy()
    rows.loc[(rows["state"] == "PRK") & (rows["treaty"] == "npt") & (rows["period"].dt.year == 2003), "event"] = 0
    table = changes.since_release(rows=rows, fit=fit, ds=ds).exits
    removed = table[table["Change"] == "removed"]
    assert removed[["State", "Treaty", "Year", "Kind"]].values.tolist() == [["North Korea", "NPT", 2003, "withdrawal"]]
    assert removed["Why"].iloc[0].startswith("in the record (") and "not counted in 2003 now" in removed["Why"].iloc[0]


def test_the_contagion_figures_then_and_now(ds):
    test = contagion.contagion_test(since=pd.Timestamp("1990-01-01"), n_permutations=50, seed=1, ds=ds)
    base = changes.baseline()["contagion"]
    result = changes.since_release(test=test, ds=ds)
    numbers = result.numbers.set_index("Figure")
    assert numbers.loc["p-value"].tolist() == [base["p_text"], p_text(test.p_value)]
    assert numbers.loc["Exits tested"].tolist() == [base["exits_tested"], len(test.exits)]
    assert numbers.loc["Observed pairs (of exits then, of decisions now)", "Now"] == test.observed
    counts = result.exits["Change"].value_counts()
    assert counts.get("added", 0) - counts.get("removed", 0) == len(test.exits) - base["exits_tested"]
    moon = result.exits[result.exits["Treaty"] == "Moon Agreement"]
    assert moon["Why"].str.startswith("a new instrument in the record (Moon Agreement)").all() and len(moon) == 1


def test_an_exit_whose_date_moved_says_so(ds, hazard_run, monkeypatch):
    """A baseline whose record dated Belarus's CFE suspension a year earlier: the exit now is "date moved"."""
    rows, fit = hazard_run
    base = json.loads(json.dumps(changes.baseline()))
    for act in base["record"]["acts"]:
        if (act["state"], act["treaty"], act["action"]) == ("BLR", "cfe", "suspension"):
            act["date"], act["effective_date"] = "2022-06-12", ""
    base["hazard"]["exits"] = [e for e in base["hazard"]["exits"] if (e["state"], e["treaty"]) != ("BLR", "cfe")]
    monkeypatch.setattr(changes, "baseline", lambda release="0.3.0": base)
    table = changes.since_release(rows=rows, fit=fit, ds=ds).exits
    moved = table[(table["State"] == "Belarus") & (table["Treaty"] == "CFE")]
    assert moved["Change"].tolist() == ["added"]
    assert moved["Why"].iloc[0].startswith("date moved: 0.3.0 had suspension of 2022-06-12; now suspension of 2024")
