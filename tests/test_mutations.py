"""The mutation suite: every programmatic corruption of a data file is caught, naming the file and the line.

``tests/mutations.py`` draws the corruptions (cut, delete, duplicate, swap, fields added or dropped, columns
renamed, encodings, empty sources, bad and impossible dates, broken order, bad codes, edited bytes, a tampered
``datapackage.json``) across every data file. Each is written into a folder of links to the shipped files and
``validate`` must report it with a message that names the file and the line. A second pass records the corrupted
file's new checksums in the descriptor, as a careless rebuild would, and checks that the row rules alone still
catch every corruption that changes what a row says. The catch rates are printed (``pytest -s``).
"""

import re

import pytest
from conftest import DATA
from mutations import all_mutations

from analysis.validation import validate

MUTATIONS = all_mutations(DATA)


def names(message: str, file: str, line) -> bool:
    """True when the message names the file and (if given) the line (or one of the lines), or a block holding it."""
    if f"/{file}" not in message and not message.startswith(file):
        return False
    if line is None:
        return True
    if isinstance(line, tuple):
        return any(names(message, file, one) for one in line)
    if re.search(rf"\bline {line}\b(?!-)", message):
        return True
    return any(int(a) <= line <= int(b) for a, b in re.findall(r"\blines (\d+)-(\d+)", message))


def run(mutation, folder, resign: bool) -> list[str]:
    mutation.write(DATA, folder, resign)
    return validate(folder)


def test_the_clean_data_pass():
    assert validate(DATA) == []


def test_at_least_150_corruptions_across_every_data_file():
    files = {m.file for m in MUTATIONS}
    assert len(MUTATIONS) >= 150
    assert sum(m.content for m in MUTATIONS) >= 120
    assert files >= {p.name for p in DATA.glob("*.csv")}


def test_every_corruption_is_caught_naming_file_and_line(tmp_path):
    """Each corruption runs once: those that change what a row says with the checksums re-signed (the row rules
    alone must catch them; the shipped descriptor would only add errors), the others as shipped."""
    missed = []
    for number, mutation in enumerate(MUTATIONS):
        errors = run(mutation, tmp_path / f"m{number}", resign=mutation.content)
        if not any(names(e, mutation.reported_in or mutation.file, mutation.line) for e in errors):
            missed.append(f"{mutation.name} -> {errors[:3]}")
    content = sum(m.content for m in MUTATIONS)
    caught = len(MUTATIONS) - len(missed)
    print(
        f"\nmutation suite: {caught}/{len(MUTATIONS)} corruptions caught ({100 * caught / len(MUTATIONS):.1f} %); "
        f"{content} of them by the row rules alone (checksums re-signed), the rest by datapackage.json"
    )
    assert not missed, "\n".join(missed)


@pytest.mark.parametrize("encoding", ["utf-8-sig"])
def test_a_utf8_bom_is_accepted(tmp_path, encoding):
    folder = tmp_path / "bom"
    folder.mkdir()
    for path in DATA.iterdir():
        (folder / path.name).symlink_to(path)
    (folder / "groups.csv").unlink()
    (folder / "groups.csv").write_bytes((DATA / "groups.csv").read_text(encoding="utf-8").encode(encoding))
    errors = validate(folder)
    assert all("groups.csv" not in e or "content differs" in e for e in errors), errors
    assert not any("line 1:" in e for e in errors)


def test_an_edited_byte_in_the_map_outlines_is_caught(tmp_path):
    """The map outlines (JSON, not a table) are checked by size and SHA-256 against datapackage.json."""
    folder = tmp_path / "data"
    folder.mkdir()
    for path in DATA.iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    raw = bytearray((folder / "world_50m.json").read_bytes())
    raw[len(raw) // 2] = ord("0") if raw[len(raw) // 2] != ord("0") else ord("1")
    (folder / "world_50m.json").write_bytes(bytes(raw))
    errors = validate(folder)
    assert any("world_50m.json" in e and "differs from datapackage.json" in e for e in errors), errors
