"""Programmatic corruptions of the shipped data files, for the mutation suite (tests/test_mutations.py).

Each mutation changes one file the way a bad edit, a cut download or a broken tool would: cut, delete,
duplicate or swap rows, add or drop a field, rename a column, re-encode, empty a source, write bad or impossible
dates, broken order, bad codes, edited bytes, a tampered ``datapackage.json``. It says which line the error
message must name, and whether the row rules alone must catch it (``content``) or only the recorded checksums
can (a deleted row, an edited note: the data stay well formed, only the record says they changed).
Lines are edited as text, so the rest of the file stays byte-identical.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis.schema import CONSENT

BAD_DAYS = ("2024-13-01", "2024-02-30", "Dec 3, 2008", "03/12/2008")
DATE_COLUMNS = {
    "events.csv": ("date", "effective_date", "source_date", "date_earliest", "effective_latest"),
    "curated_events.csv": ("date", "effective_date", "source_date"),
    "treaties.csv": ("adopted", "opened_for_signature", "entry_into_force", "known_until"),
    "groups.csv": ("joined", "left"),
    "states.csv": ("until",),
    "untc_notes.csv": ("date", "effective_date", "source_date"),
    "conflicts.csv": ("date_a", "date_b"),
    "successions.csv": ("date",),
    "reasons.csv": ("date", "exit_date"),
    "attributions.csv": ("before", "source_date"),
    "corrections.csv": ("date", "source_date"),
    "lifetime_gaps.csv": ("ended", "resumed"),
    "step_gaps.csv": ("exit_date",),
}
BAD_CODES = {
    "events.csv": {"state": "XXX", "treaty": "foo", "action": "withdrew", "source_kind": "blog"},
    "curated_events.csv": {"state": "ltu", "treaty": "Ottawa", "action": "exit", "source_kind": "wiki"},
    "treaties.csv": {"id": "Bad-Id", "eif_rule": "sometimes", "coverage": "partial"},
    "clauses.csv": {
        "treaty": "ottawa",
        "notice_months": "six",
        "armed_conflict_clause": "yes",
        "reasons_required": "no",
    },
    "reasons.csv": {"state": "LT", "treaty": "Ottawa", "step": "tweet", "codes": "revenge", "exit_date": "2020-01-01"},
    "states.csv": {"iso3": "LT", "historical": "no"},
    "groups.csv": {"iso3": "ZZZ"},
    "untc_notes.csv": {"treaty": "nope", "states": "EST|QQQ", "number": "x1"},
    "conflicts.csv": {"state": "QQQ", "treaty": "bar", "rule": "coin_toss", "chosen": "wikipedia", "source_a": "blog"},
    "successions.csv": {"predecessor": "SU", "successor": "XXX", "kind": "merger"},
    "attributions.csv": {"listed_under": "YU", "performer": "ZZZ", "treaty": "treaty", "successor_succession": "yes"},
    "corrections.csv": {"state": "MH", "treaty": "raro", "corrected_action": "signed", "corrects": "wiki"},
    "lifetime_gaps.csv": {"iso3": "EE"},
    "step_gaps.csv": {"state": "LT", "treaty": "Ottawa", "link": "promulgation", "finding": "maybe"},
}
#: Files whose rows carry a key, so that a duplicated row is caught by the row rules alone.
KEYED = {"events.csv", "curated_events.csv", "treaties.csv", "states.csv", "untc_notes.csv", "conflicts.csv"}
KEYED |= {"lifetime_gaps.csv", "clauses.csv", "reasons.csv"}  # a duplicated gap overlaps itself
KEYED |= {"step_gaps.csv"}  # a link explained twice in the same words
#: A free-text column per file, where one edited byte breaks nothing but the checksum.
TEXT_COLUMN = {
    "events.csv": "note",
    "curated_events.csv": "note",
    "treaties.csv": "full_name",
    "clauses.csv": "terms",
    "reasons.csv": "note",
    "states.csv": "official_name",
    "groups.csv": "source",
    "untc_notes.csv": "text",
    "conflicts.csv": "note",
    "successions.csv": "note",
    "attributions.csv": "note",
    "corrections.csv": "note",
    "lifetime_gaps.csv": "note",
    "step_gaps.csv": "note",
}


@dataclass
class Mutation:
    """One corruption of one file: ``apply`` edits its lines; ``encoding`` re-saves it; ``package`` edits the
    descriptor instead. ``line`` is the line the message must name (None: any message naming the file)."""

    file: str
    label: str
    apply: Callable[[list[str]], list[str]] | None
    line: int | tuple[int, ...] | None
    content: bool = True
    encoding: str | None = None
    package: Callable[[dict], None] | None = None
    #: the file the message must name, when another file than the one corrupted tells the story
    reported_in: str | None = None

    @property
    def name(self) -> str:
        return f"{self.file}: {self.label}"

    def write(self, source: Path, target: Path, resign: bool) -> None:
        """The data folder ``target``: links to ``source``'s files, this one file corrupted; with ``resign``, the
        descriptor records the corrupted file's new checksums (so only the row rules can catch it)."""
        from analysis.integrity import file_record

        target.mkdir()
        for path in source.iterdir():
            if path.name not in (self.file, "datapackage.json"):
                (target / path.name).symlink_to(path)
        lines = read_lines(source / self.file)
        text = "\n".join(self.apply(lines) if self.apply else lines)
        (target / self.file).write_bytes(text.encode(self.encoding or "utf-8", "replace"))
        package = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
        if self.package:
            self.package(package)
        if resign:
            for resource in package["resources"]:
                if resource["path"] == self.file:
                    resource.update(file_record(target / self.file))
        (target / "datapackage.json").write_text(json.dumps(package, indent=2), encoding="utf-8")


def fields(line: str) -> list[str]:
    return next(csv.reader([line]))


def joined(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


def set_cells(line_no: int, header: list[str], changes: dict) -> Callable[[list[str]], list[str]]:
    def apply(lines):
        values = fields(lines[line_no - 1])
        for column, value in changes.items():
            values[header.index(column)] = value
        return lines[: line_no - 1] + [joined(values)] + lines[line_no:]

    return apply


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _rows(lines, header):
    """(line number, row dict) for every data line."""
    return [(n, dict(zip(header, fields(text)))) for n, text in enumerate(lines[1:], start=2) if text]


def _pick(rng, rows, test=lambda row: True):
    chosen = [n for n, row in rows if test(row)]
    return rng.choice(chosen) if chosen else None


def structural(file, lines, header, rng) -> list[Mutation]:
    """Cut, delete, duplicate, swap, add or drop a field, rename a column, encodings, an empty source."""
    rows = _rows(lines, header)
    last = len(rows) + 1
    k = rng.randint(2, last - 1) if len(rows) > 1 else 2
    out = [
        Mutation(file, "cut in half", lambda ls: _cut(ls), None, content=False),
        Mutation(file, f"line {k} deleted", lambda ls, k=k: ls[: k - 1] + ls[k:], k, content=False),
        Mutation(file, f"line {k} duplicated", lambda ls, k=k: ls[:k] + [ls[k - 1]] + ls[k:], k + 1, file in KEYED),
        Mutation(file, f"line {k}: a field added", lambda ls, k=k: _edit(ls, k, lambda t: t + ",extra"), k),
        Mutation(file, f"line {k}: last field dropped", lambda ls, k=k: _edit(ls, k, _drop_last), k),
        Mutation(
            file, "header: a column renamed", lambda ls: [ls[0].replace(header[1], header[1] + "x", 1)] + ls[1:], 1
        ),
    ]
    if len(rows) > 1:  # a file of one row (corrections.csv) has no pair of rows to swap or to put a line between
        out.append(Mutation(file, f"lines {k}, {k + 1} swapped", lambda ls, k=k: _swap(ls, k), k, content=False))
        out.append(Mutation(file, "line 3: a blank line inserted", lambda ls: ls[:2] + [""] + ls[2:], 3))
    non_ascii = next(
        (n for n, t in enumerate(lines, start=1) if max(t.encode("cp1252", "replace"), default=0) > 127), None
    )
    if non_ascii:
        out.append(Mutation(file, "saved as Windows-1252", None, non_ascii, encoding="cp1252"))
    out.append(Mutation(file, "saved as UTF-16", None, 1, encoding="utf-16"))
    if "source" in header:
        n = _pick(rng, rows, lambda r: r["source"])
        out.append(Mutation(file, f"line {n}: source emptied", set_cells(n, header, {"source": ""}), n))
    column = TEXT_COLUMN[file]
    n = _pick(rng, rows, lambda r: len(r[column]) > 3)
    out.append(Mutation(file, f"line {n}: one byte of {column!r} edited", _byte_edit(n, header, column), n, False))
    return out


def _cut(lines):
    text = "\n".join(lines)
    middle = len(text) // 2
    while text[middle - 1] == "\n" or text[middle] == "\n":
        middle += 1
    return text[:middle].split("\n")


def _swap(lines, k):
    lines = list(lines)
    lines[k - 1], lines[k] = lines[k], lines[k - 1]
    return lines


def _edit(lines, k, change):
    return lines[: k - 1] + [change(lines[k - 1])] + lines[k:]


def _drop_last(text):
    return joined(fields(text)[:-1])


def _byte_edit(n, header, column):
    def apply(lines):
        values = fields(lines[n - 1])
        value = values[header.index(column)]
        values[header.index(column)] = value[:2] + ("X" if value[2] != "X" else "Y") + value[3:]
        return lines[: n - 1] + [joined(values)] + lines[n:]

    return apply


def bad_values(file, lines, header, rng) -> list[Mutation]:
    """Every date column with dates that are no days, every code column with codes nobody knows."""
    rows = _rows(lines, header)
    out = []
    for column in DATE_COLUMNS.get(file, ()):
        for bad in BAD_DAYS:
            n = _pick(rng, rows, lambda r, c=column: r[c])
            if n:
                out.append(Mutation(file, f"line {n}: {column} = {bad!r}", set_cells(n, header, {column: bad}), n))
    for column, bad in BAD_CODES.get(file, {}).items():
        n = _pick(rng, rows, lambda r, c=column: r[c])
        out.append(Mutation(file, f"line {n}: {column} = {bad!r}", set_cells(n, header, {column: bad}), n))
    return out


def impossible_events(file, lines, header, rng) -> list[Mutation]:
    """Well-formed rows that cannot be true: before the treaty, after the source, out of order, no consent."""
    rows = _rows(lines, header)
    by_key = {}
    for n, row in rows:
        by_key.setdefault((row["state"], row["treaty"]), []).append((n, row))
    out = []
    n = _pick(rng, rows, lambda r: r["action"] == "signature")
    out.append(Mutation(file, f"line {n}: signed in 1850", set_cells(n, header, {"date": "1850-01-01"}), n))
    n = _pick(rng, rows, lambda r: r["source_date"] and r["date"] and not r["effective_date"])
    if n:
        out.append(Mutation(file, f"line {n}: act after its source", set_cells(n, header, {"date": "2026-12-30"}), n))
    n = _pick(rng, rows, lambda r: r["effective_date"] and r["date"] > "1900")
    if n:
        out.append(
            Mutation(file, f"line {n}: effect before act", set_cells(n, header, {"effective_date": "1899-01-01"}), n)
        )
    pairs = [
        (sig, con)
        for pair in by_key.values()
        for sig in pair
        if sig[1]["action"] == "signature"
        for con in pair
        if con[1]["action"] in ("ratification", "accession") and con[1]["date"] > sig[1]["date"]
    ]
    if pairs:
        (n_sig, _), (n_con, con) = rng.choice(pairs)
        later = f"{int(con['date'][:4]) + 1}{con['date'][4:8]}01"
        fix = {"date": later, "source_date": ""}
        out.append(
            Mutation(file, f"line {n_sig}: signature after consent", set_cells(n_sig, header, fix), (n_sig, n_con))
        )
    # the Holy See stands in for a state without consent, so only treaties it never consented to qualify
    holy_see = {r["treaty"] for _, r in rows if r["state"] == "VAT" and r["action"] in CONSENT}
    exits = [n for n, r in rows if r["action"] == "withdrawal" and r["treaty"] not in holy_see]
    if exits:
        n = rng.choice(exits)
        out.append(
            Mutation(
                file, f"line {n}: withdrawal by a state without consent", set_cells(n, header, {"state": "VAT"}), n
            )
        )
    n = _pick(rng, rows, lambda r: r["date"] > "2000" and r["treaty"] not in ("inf", "abm", "new_start"))
    if n:
        out.append(
            Mutation(file, f"line {n}: act by the Soviet Union after 1991", set_cells(n, header, {"state": "SUN"}), n)
        )
    return out


#: States that ceased to exist within the record (states.csv ``until``): a bound after 2030 is outside their life.
GONE = ("DDR", "CSK", "YUG", "SUN", "YMD", "YEM", "SCG")


def _dated(day_column: str, text: str, header: list[str]) -> dict:
    """The cells of a row whose ``day_column`` becomes the EDTF ``text``: the day emptied, the text written, and
    in events.csv the bounds the build would derive (so that only the rule under test can object)."""
    from analysis.schema import EdtfError, bounds_text

    edtf = "date_edtf" if day_column == "date" else "effective_date_edtf"
    cells = {day_column: "", edtf: text}
    first, last = (
        ("date_earliest", "date_latest") if day_column == "date" else ("effective_earliest", "effective_latest")
    )
    if first in header:
        try:
            cells[first], cells[last] = bounds_text("", text)
        except EdtfError:
            cells[first] = cells[last] = ""
    return cells


def uncertain_dates(file, lines, header, rng) -> list[Mutation]:
    """Dates known less precisely than a day, written wrong (issue 19): malformed EDTF, an inverted range, a day
    beside uncertain text, bounds outside the state's life or before the treaty opened, a bound as built edited."""
    rows = _rows(lines, header)
    dated = lambda r: r["date"] > "1960" and r["source_date"] >= r["date"]  # noqa: E731
    out = []
    for label, text in (("malformed EDTF", "{d}/2030"), ("inverted range", "[{d}..1950-01-01]")):
        n = _pick(rng, rows, dated)
        day = dict(rows[n - 2][1])["date"]
        out.append(
            Mutation(file, f"line {n}: {label}", set_cells(n, header, _dated("date", text.format(d=day), header)), n)
        )
    n = _pick(rng, rows, dated)
    day = rows[n - 2][1]["date"]
    out.append(
        Mutation(file, f"line {n}: a day beside uncertain text", set_cells(n, header, {"date_edtf": f"[..{day}]"}), n)
    )
    n = _pick(rng, rows, lambda r: r["effective_date"] > r["date"] > "1960")
    if n:
        effect = rows[n - 2][1]["effective_date"]
        cells = _dated("effective_date", f"[{effect}..1950-01-01]", header)
        out.append(Mutation(file, f"line {n}: inverted effect range", set_cells(n, header, cells), n))
    n = _pick(rng, rows, lambda r: r["state"] in GONE and dated(r))
    if n:
        cells = _dated("date", f"[{rows[n - 2][1]['date']}..2030-01-01]", header)
        out.append(Mutation(file, f"line {n}: a bound after the state ceased to exist", set_cells(n, header, cells), n))
    n = _pick(rng, rows, dated)
    cells = _dated("date", f"[1850-01-01..{rows[n - 2][1]['date']}]", header)
    out.append(Mutation(file, f"line {n}: a bound before the treaty opened", set_cells(n, header, cells), n))
    if "date_latest" in header:
        n = _pick(rng, rows, dated)
        out.append(
            Mutation(file, f"line {n}: date_latest edited", set_cells(n, header, {"date_latest": "2031-01-01"}), n)
        )
    return out


def cross_file(data: Path, rng) -> list[Mutation]:
    """Corruptions only another file (or the vocabulary) shows: the rows stay well formed and are re-signed."""
    events, groups = read_lines(data / "events.csv"), read_lines(data / "groups.csv")
    e_head, g_head, notes = fields(events[0]), fields(groups[0]), read_lines(data / "untc_notes.csv")
    n_head = fields(notes[0])
    noted = {(r["states"], r["treaty"], r["date"]): n for n, r in _rows(notes, n_head) if r["kind"] == "withdrawal"}
    out = []
    for n, row in _rows(events, e_head):
        note_line = noted.get((row["state"], row["treaty"], row["date"]))
        if row["action"] == "withdrawal" and note_line:
            drop = lambda ls, n=n: ls[: n - 1] + ls[n:]  # noqa: E731
            label = f"line {n}: {row['state']}'s withdrawal from {row['treaty']} deleted, its End Note kept"
            out.append(Mutation("events.csv", label, drop, note_line, reported_in="untc_notes.csv"))
    g_rows = _rows(groups, g_head)
    n = _pick(rng, g_rows, lambda r: r["group"] == "NATO")
    out.append(Mutation("groups.csv", f"line {n}: 'NATO' spelled 'Nato'", set_cells(n, g_head, {"group": "Nato"}), n))
    n = _pick(rng, g_rows, lambda r: r["joined"] > "1950")
    out.append(Mutation("groups.csv", f"line {n}: left before joined", set_cells(n, g_head, {"left": "1950-01-01"}), n))
    rows = _rows(events, e_head)
    n = _pick(rng, rows, lambda r: r["note"])
    nul = set_cells(n, e_head, {"note": "a NUL\x00 in the note"})
    out.append(Mutation("events.csv", f"line {n}: a NUL byte in the note", nul, n))
    n = _pick(rng, rows, lambda r: r["source_date"] and not r["effective_date"])
    future = set_cells(n, e_head, {"source_date": "2099-01-01"})
    out.append(Mutation("events.csv", f"line {n}: a source dated 2099", future, n))
    states = read_lines(data / "states.csv")
    s_head = fields(states[0])
    n = _pick(rng, _rows(states, s_head), lambda r: r["iso3"] == "LTU")
    out.append(
        Mutation("states.csv", f"line {n}: a NUL byte in the name", set_cells(n, s_head, {"name": "Lith\x00uania"}), n)
    )
    out.append(Mutation("world_50m.json", "map outlines emptied", lambda ls: [""], None))
    out.append(
        Mutation("world_50m.json", "map outlines without shapes", lambda ls: ['{"viewBox": [0, 0, 1, 1]}'], None)
    )
    return out


def package_mutations(package: dict) -> list[Mutation]:
    """A tampered descriptor: recorded hash, rows or schema changed, a file unlisted."""
    out = []
    for index, resource in enumerate(package["resources"]):
        name = resource["path"]
        out.append(
            Mutation(name, "datapackage.json: hash altered", None, None, False, package=_set(index, "hash", "0" * 64))
        )
        if "rows" in resource:  # a table (the map outlines are JSON: size and hash only)
            rows = resource["rows"]
            out.append(
                Mutation(
                    name, "datapackage.json: rows altered", None, None, False, package=_set(index, "rows", rows + 1)
                )
            )
    first = package["resources"][0]["path"]
    out.append(Mutation(first, "datapackage.json: a field renamed", None, 1, False, package=_rename_field))
    out.append(Mutation(first, "datapackage.json: the file unlisted", None, None, False, package=_unlist))
    return out


def _set(index, key, value):
    return lambda package: package["resources"][index].__setitem__(key, value)


def _rename_field(package):
    package["resources"][0]["schema"]["fields"][0]["name"] = "renamed"


def _unlist(package):
    package["resources"].pop(0)


def all_mutations(data: Path, seed: int = 20261127) -> list[Mutation]:
    """Every mutation of every data file, drawn with a fixed seed (the same rows on every run)."""
    rng = random.Random(seed)
    out = []
    for path in sorted(data.glob("*.csv")):
        lines = read_lines(path)
        header = fields(lines[0])
        out += structural(path.name, lines, header, rng)
        out += bad_values(path.name, lines, header, rng)
        if path.name in ("events.csv", "curated_events.csv"):
            out += impossible_events(path.name, lines, header, rng)
            out += uncertain_dates(path.name, lines, header, rng)
    out += cross_file(data, rng)
    return out + package_mutations(json.loads((data / "datapackage.json").read_text(encoding="utf-8")))
