"""A depositary's statement corrects the kind of a source's row (merge step 5, ``data/corrections.csv``; issue 26).

The UNODA timeline says the Marshall Islands "acceded to" the Rarotonga Treaty on 2025-03-03; the Pacific Islands
Forum Secretariat, the depositary, received its instrument of signature. The build keeps the row as a signature,
says so in its note, and registers the disagreement; the party count of Rarotonga no longer rises on that day.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest import DATA, SHARED, SHARED_REASON, write_rows
from typer.testing import CliRunner

from analysis.cli import app
from analysis.link_rules import correction_rows
from analysis.schema import CONFLICT_COLUMNS, CORRECTION_COLUMNS, CORRECTIONS, TIMELINE2026
from analysis.sources.corrections import apply_corrections, read_corrections
from analysis.validation import read_table, validate_conflicts

TIMELINE = "https://timeline.example/timeline.html"
METAS = {TIMELINE2026: {"path": TIMELINE}, "unoda2018": {"path": "https://unoda.example/2018.json"}}
RULE = {
    "state": "MHL",
    "treaty": "rarotonga",
    "action": "accession",
    "date": "2025-03-03",
    "corrects": TIMELINE2026,
    "corrected_action": "signature",
    "source": "https://depositary.example/statement",
    "source_date": "2025-04-11",
    "note": "the depositary's words",
}


def _row(**changes) -> dict:
    row = {
        "state": "MHL",
        "treaty": "rarotonga",
        "action": "accession",
        "date": "2025-03-03",
        "effective_date": "2025-03-03",
        "depositary": "PIFS",
        "source": TIMELINE,
        "note": "sentence: 'acceded to'",
    }
    return {**row, **changes}


# ---- the rule on small rows -----------------------------------------------------------------------------------


def test_a_correction_changes_the_kind_notes_it_and_registers_it(tmp_path):
    other = _row(state="FJI", date="1985-10-04")
    events, conflicts = apply_corrections([_row(), other], [RULE], METAS)
    corrected = events[0]
    assert corrected["action"] == "signature" and corrected["date"] == "2025-03-03"
    assert corrected["effective_date"] == ""  # a signature takes no effect as a consent does
    assert corrected["source"] == TIMELINE  # the row keeps the address it came from
    assert "CORRECTED: the source lists an accession" in corrected["note"] and RULE["source"] in corrected["note"]
    assert events[1] == other
    [conflict] = conflicts
    assert (conflict["source_a"], conflict["date_a"], conflict["source_b"], conflict["date_b"]) == (
        CORRECTIONS,
        "",
        TIMELINE2026,
        "2025-03-03",
    )
    assert conflict["chosen"] == CORRECTIONS and conflict["rule"] == "depositary_corrects"
    path = tmp_path / "conflicts.csv"
    write_rows(path, conflicts, CONFLICT_COLUMNS)
    assert validate_conflicts(path, {"rarotonga"}, {"MHL"}) == []


def test_a_correction_names_the_source_it_corrects():
    """The same act from another source (here UNODA 2018) is not the timeline's row: left alone, and then the rule
    matches nothing, which is an error rather than a silent no-op."""
    row = _row(source=METAS["unoda2018"]["path"])
    with pytest.raises(ValueError, match=r"corrections.csv, line 2: no timeline2026 row MHL,rarotonga,accession"):
        apply_corrections([row], [RULE], METAS)


@pytest.mark.parametrize(
    "change,message",
    [
        ({"corrected_action": "signed"}, "column 'corrected_action': 'signed' is not an action"),
        ({"corrects": "wikipedia"}, "column 'corrects': 'wikipedia', expected one of icrc2020"),
        ({"date": "3 March 2025"}, "column 'date': '3 March 2025' is not a date"),
        ({"corrected_action": "accession"}, "corrected_action equals action"),
        ({"source": ""}, "column 'source': empty"),
    ],
)
def test_a_bad_correction_is_one_clear_line(tmp_path, change, message):
    path = tmp_path / "corrections.csv"
    write_rows(path, [{**RULE, **change}], CORRECTION_COLUMNS)
    with pytest.raises(ValueError, match=f"corrections.csv, line 2: {message}"):
        read_corrections(path)
    errors = correction_rows(read_table(path), {"MHL"}, {"rarotonga"})
    assert len(errors) == 1 and message in errors[0]


def test_a_correction_of_an_unknown_state_or_treaty_is_caught(tmp_path):
    path = tmp_path / "corrections.csv"
    write_rows(path, [{**RULE, "state": "XXX", "treaty": "raro"}], CORRECTION_COLUMNS)
    errors = "\n".join(correction_rows(read_table(path), {"MHL"}, {"rarotonga"}))
    assert "column 'state': 'XXX'" in errors and "column 'treaty': 'raro'" in errors
    write_rows(path, [{k: v for k, v in RULE.items() if k != "note"}], CORRECTION_COLUMNS[:-1])
    with pytest.raises(ValueError, match="line 1: missing column"):
        read_corrections(path)


# ---- the built data -------------------------------------------------------------------------------------------


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def test_the_marshall_islands_signed_the_rarotonga_treaty():
    import analysis as a

    events = _csv("events.csv")
    mhl = events[(events.state == "MHL") & (events.treaty == "rarotonga")]
    assert list(mhl.action) == ["signature"] and list(mhl.date) == ["2025-03-03"]
    assert a.status("MHL", "rarotonga", on="2025-06-01") == "signatory"
    assert a.status("MHL", "rarotonga", on="2025-03-02") == "not signed"


def test_the_correction_is_registered():
    conflicts = _csv("conflicts.csv")
    row = conflicts[(conflicts.state == "MHL") & (conflicts.treaty == "rarotonga")]
    assert len(row) == 1 and row.iloc[0]["rule"] == "depositary_corrects"
    assert (row.iloc[0]["source_b"], row.iloc[0]["date_b"], row.iloc[0]["chosen"]) == (
        TIMELINE2026,
        "2025-03-03",
        CORRECTIONS,
    )
    assert row.iloc[0]["action"] == "accession"


def test_rarotongas_party_count_does_not_rise_on_2025_03_03():
    """Before the correction the count rose by one that day (the timeline lists 14 parties in 2026); now it stays."""
    import analysis as a

    before, on = (set(a.parties("rarotonga", on=day, basis="deposited")) for day in ("2025-03-02", "2025-03-03"))
    assert before == on and "MHL" not in on
    assert len(a.parties("rarotonga", on="2026-08-22", basis="deposited")) == 13


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.exists(), reason=SHARED_REASON)
def test_the_build_stops_on_a_correction_that_matches_nothing_with_one_line(tmp_path):
    """A source that changes must not silently undo a correction: the build refuses, naming the file and line."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    path = folder / "corrections.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("accession,2025-03-03", "ratification,2025-03-03"))
    result = CliRunner().invoke(app, ["build-data", "--data-dir", str(folder)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert f"{path}, line 2: no timeline2026 row MHL,rarotonga,ratification,2025-03-03 to correct" in result.output
