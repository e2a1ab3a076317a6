"""A damaged data folder is refused, never read (issue 25): no descriptor, a descriptor that records nothing, and
registers that disagree although every checksum was re-signed."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA

import analysis
from analysis.dataset import DataValidationError, load
from analysis.integrity import file_record
from analysis.validation import validate


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for path in DATA.iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    return folder


def _resign(folder: Path) -> None:
    """Record every file's new checksums, as a careless rebuild of the descriptor would."""
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        resource.update(file_record(folder / resource["path"]))
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")


def _drop_line(path: Path, test) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(line for line in lines if not test(line)), encoding="utf-8")


def _cli(*args, data: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, TREATY_EXITS_DATA=str(data), PYTHONPATH=str(Path(analysis.__file__).parents[1]))
    return subprocess.run(
        [sys.executable, "-m", "analysis.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_no_descriptor_is_refused_in_one_line_and_status_does_not_answer(tmp_path):
    """Finding 1: without datapackage.json, validate said ok and `status LTU ccm` answered 'party' once the
    withdrawal row was deleted too."""
    folder = _copy(tmp_path)
    (folder / "datapackage.json").unlink()
    _drop_line(folder / "events.csv", lambda line: line.startswith("LTU,ccm,withdrawal,"))
    errors = validate(folder)
    assert len(errors) == 1 and "datapackage.json: not found" in errors[0], errors
    with pytest.raises(DataValidationError):
        load(folder)
    done = _cli("status", "LTU", "ccm", data=folder)
    assert done.returncode != 0 and "party" not in done.stdout, done.stdout
    assert "datapackage.json" in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    done = _cli("validate", "--data-dir", str(folder), data=folder)
    assert done.returncode == 1 and "datapackage.json: not found" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_descriptor_that_is_a_folder_or_records_no_checksum_is_refused(tmp_path):
    folder = _copy(tmp_path)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    del package["resources"][0]["hash"]
    del package["resources"][1]["rows"]
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    errors = validate(folder)
    assert any("records no hash" in e for e in errors) and any("records no rows" in e for e in errors), errors
    (folder / "datapackage.json").unlink()
    (folder / "datapackage.json").mkdir()
    assert validate(folder) == [
        f"{folder / 'datapackage.json'}: is a folder, not a file; without the descriptor "
        "no file's checksum or row count can be checked, so the folder is refused (rebuild "
        "it with `treaty-exits build-data`)"
    ]


def test_a_resigned_folder_without_the_withdrawal_its_end_note_records_is_refused(tmp_path):
    """Finding 2: the End Note (and the bracketed rows) remain; the withdrawal row is gone, checksums re-signed."""
    folder = _copy(tmp_path)
    _drop_line(folder / "events.csv", lambda line: line.startswith("LTU,ccm,withdrawal,"))
    _resign(folder)
    errors = validate(folder)
    assert any("untc_notes.csv" in e and "withdrawal by LTU" in e for e in errors), errors
    assert any("brackets LTU's row in ccm" in e for e in errors), errors


def test_resigned_groups_with_a_misspelt_group_or_left_before_joined_are_refused(tmp_path):
    """Finding 2: `Nato` for `NATO` made Poland leave NATO in the panel; a `left` before `joined` passed."""
    folder = _copy(tmp_path)
    text = (folder / "groups.csv").read_text(encoding="utf-8")
    text = text.replace("NATO,POL,", "Nato,POL,", 1)
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("EU,POL,"))
    cells = lines[at].split(",")
    cells[3] = "2000-01-01"  # before Poland joined the EU (2004)
    lines[at] = ",".join(cells)
    (folder / "groups.csv").write_text("\n".join(lines), encoding="utf-8")
    _resign(folder)
    errors = validate(folder)
    assert any("'Nato' is not one of NATO, EU" in e for e in errors), errors
    assert any("2000-01-01 is before the day it joined" in e for e in errors), errors


def test_resigned_control_characters_and_empty_outlines_are_refused(tmp_path):
    """Finding 2: a NUL in a name made `status Lithuania ccm` answer 'Unknown country'; an empty map-outline
    file made the reports fail with a traceback."""
    folder = _copy(tmp_path)
    states = (folder / "states.csv").read_text(encoding="utf-8")
    (folder / "states.csv").write_text(states.replace(",Lithuania,", ",Lith\x00uania,", 1), encoding="utf-8")
    (folder / "world_50m.json").write_text("", encoding="utf-8")
    _resign(folder)
    errors = validate(folder)
    assert any("states.csv" in e and "column 'name': a control character (0x0)" in e for e in errors), errors
    assert any("world_50m.json: not map outlines" in e for e in errors), errors


def test_a_source_dated_in_the_future_is_refused(tmp_path):
    """A page dated 2099 made the data version '2099-01-01+...'."""
    folder = _copy(tmp_path)
    text = (folder / "untc_notes.csv").read_text(encoding="utf-8")
    (folder / "untc_notes.csv").write_text(text.replace(",2026-02-03\n", ",2099-01-01\n", 1), encoding="utf-8")
    _resign(folder)
    errors = validate(folder)
    assert any("untc_notes.csv, line" in e and "2099-01-01 is after today" in e for e in errors), errors


def test_an_end_note_matches_a_row_known_within_bounds():
    """A withdrawal known only within bounds (EDTF; ``date`` empty) holds the End Note's day if its bounds do."""
    from analysis.integrity import Table
    from analysis.validation_cross import notes_have_events

    note = {"treaty": "ccm", "kind": "withdrawal", "states": "LTU", "date": "2024-09-06", "number": "3"}
    notes = Table(Path("untc_notes.csv"), list(note), [note])

    def events(first, last):
        row = {"state": "LTU", "treaty": "ccm", "action": "withdrawal", "date": ""}
        row |= {"date_earliest": first, "date_latest": last}
        return Table(Path("events.csv"), list(row), [row])

    assert notes_have_events(notes, events("2024-09-01", "2024-09-30")) == []
    assert len(notes_have_events(notes, events("2024-10-01", "2024-10-31"))) == 1
