"""Read a data file strictly, and record or check what it must contain: bytes, rows, SHA-256, line blocks.

A cited dataset must not change unseen. The writer records, for every file, its size, its number of rows, its
SHA-256 and the SHA-256 of each block of ``BLOCK_LINES`` lines in ``datapackage.json``; ``check_resource`` compares
a file with that record, so a file cut in half, a deleted row or one edited byte is reported with the file and
the lines where it changed. CSV is read strictly: UTF-8 only (a BOM is accepted), every row with as many fields
as the header, and any problem is one line ``'file, line N: ...'``, never a traceback. This module imports
nothing from ``analysis`` but the vocabulary: the writer and the validator both stand after it.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from .schema import DATE_COLUMNS, INTEGER_COLUMNS, is_iso_day
from .text import NotUtf8, utf8

__all__ = [
    "BLOCK_LINES",
    "CsvFileError",
    "Table",
    "read_text",
    "read_rows",
    "read_table",
    "file_record",
    "check_resource",
    "check_package",
    "descriptor_missing",
]

#: Lines per checksummed block (line 1, the header, is in the first block).
BLOCK_LINES = 100

_UTF16 = {codecs.BOM_UTF16_LE: "UTF-16 (little-endian)", codecs.BOM_UTF16_BE: "UTF-16 (big-endian)"}


class CsvFileError(ValueError):
    """A file that cannot be read as UTF-8 CSV; the message is one line naming the file and the line."""


def _encoding_name(raw: bytes) -> str:
    """A name for what a non-UTF-8 file probably is, for the error message (never used to decode it)."""
    if raw[:4] in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE):
        return "UTF-32"
    for bom, name in _UTF16.items():
        if raw.startswith(bom):
            return name
    if raw.count(b"\x00") > len(raw) // 4:
        return "UTF-16 without a byte-order mark"
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return "an 8-bit encoding other than UTF-8"
    return "Windows-1252 or Latin-1"


def read_text(path: Path) -> str:
    """The file's text: UTF-8, with or without a BOM; any other encoding is refused by name, in one line."""
    raw = Path(path).read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw[:2] in _UTF16 or raw[:4] in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE):
        raise CsvFileError(f"{path}, line 1: encoded as {_encoding_name(raw)}, not UTF-8; save it as UTF-8")
    try:
        return utf8(raw)
    except NotUtf8 as exc:
        raise CsvFileError(f"{path}, {exc}; the file looks like {_encoding_name(raw)}; save it as UTF-8") from None


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict]], list[str]]:
    """(header, [(line, row as a dict of strings)], errors): a row with the wrong number of fields is an error.

    ``line`` is the line the row ends on, as an editor shows it (line 1 is the header). A row that cannot be
    read is reported and left out; the caller reports the errors and does not go on as if the file were whole.
    """
    try:
        text = read_text(path)
    except CsvFileError as exc:
        return [], [], [str(exc)]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header, rows, errors = [], [], []
    try:
        header = next(reader, [])
        for fields in reader:
            if len(fields) != len(header):
                shown = "an empty line" if not fields else f"{len(fields)} fields"
                errors.append(f"{path}, line {reader.line_num}: {shown}, expected {len(header)} (the header's)")
                continue
            rows.append((reader.line_num, dict(zip(header, fields))))
    except csv.Error as exc:
        errors.append(f"{path}, line {reader.line_num}: not valid CSV ({exc})")
    if not header:
        errors.append(f"{path}, line 1: no header; the file is empty")
    return header, rows, errors


@dataclass(frozen=True)
class Table:
    """One CSV file as read: its path, header, rows (dicts of strings), their line numbers, reading errors."""

    path: Path
    columns: list[str]
    rows: list[dict]
    numbers: list[int] | None = None
    errors: tuple[str, ...] = ()

    @functools.cached_property
    def places(self) -> list[str]:
        """'file, line N' of every row, made once (every check names its rows this way)."""
        numbers = self.numbers or range(2, len(self.rows) + 2)
        return [f"{self.path}, line {number}" for number in numbers]

    def lines(self):
        """(where, row) for every row, where = 'file, line N' (the header is line 1)."""
        return zip(self.places, self.rows, strict=True)


def read_table(path: Path) -> Table:
    """Read one CSV file strictly as strings: a row with the wrong number of fields or a byte that is not UTF-8
    is kept in ``errors`` (one line each, with the file and line), never raised."""
    header, rows, errors = read_rows(path)
    return Table(path, header, [row for _, row in rows], [line for line, _ in rows], tuple(errors))


def _blocks(raw: bytes) -> list[str]:
    lines = raw.split(b"\n")
    return [
        hashlib.sha256(b"\n".join(lines[start : start + BLOCK_LINES])).hexdigest()[:16]
        for start in range(0, len(lines), BLOCK_LINES)
    ]


def file_record(path: Path) -> dict:
    """What ``datapackage.json`` records of a file: bytes, SHA-256, rows (without the header), line blocks."""
    raw = Path(path).read_bytes()
    _, rows, _ = read_rows(path)
    return {
        "bytes": len(raw),
        "hash": "sha256:" + hashlib.sha256(raw).hexdigest(),
        "rows": len(rows),
        "blocks": {"lines": BLOCK_LINES, "sha256": _blocks(raw)},
    }


def _changed_lines(raw: bytes, resource: dict) -> str:
    """'lines A-B' of the first block that differs from the record (where to look for the change)."""
    recorded = (resource.get("blocks") or {}).get("sha256") or []
    for number, (now, then) in enumerate(zip(_blocks(raw), recorded)):
        if now != then:
            return f"lines {number * BLOCK_LINES + 1}-{(number + 1) * BLOCK_LINES}"
    return f"lines from {min(len(recorded), len(_blocks(raw))) * BLOCK_LINES + 1}" if recorded else "somewhere"


def check_resource(folder: Path, resource: dict, typed: bool = True, table: Table | None = None) -> list[str]:
    """One file against its record in ``datapackage.json``: present, header = schema, rows, size, SHA-256.

    ``typed`` also checks the date and integer fields (off for the files whose rows are checked in depth).
    """
    name = resource.get("path", "?")
    path = Path(folder) / name
    if not path.is_file():
        return [f"{path}: file not found, but datapackage.json lists it"]
    unrecorded = [key for key in ("hash", "rows") if key not in resource and (key == "hash" or name.endswith(".csv"))]
    if unrecorded:  # a record without its checksum or row count would check nothing
        return [f"{path}: datapackage.json records no {' and no '.join(unrecorded)} for it; rebuild the descriptor"]
    if resource.get("format", "csv") != "csv":
        return _check_other_file(path, resource)
    table = table or read_table(path)
    header, errors = table.columns, list(table.errors)
    rows = list(zip(table.numbers or [], table.rows))
    fields = [f.get("name") for f in resource.get("schema", {}).get("fields", [])]
    if fields and header and header != fields:
        errors.append(f"{path}, line 1: columns {header} differ from datapackage.json's schema {fields}")
    errors += _typed_values(path, rows, resource) if typed else []
    raw = path.read_bytes()
    if "rows" in resource and len(rows) != resource["rows"] and not errors:
        errors.append(f"{path}: {len(rows)} rows, datapackage.json says {resource['rows']} (a row added or deleted)")
    digest = "sha256:" + hashlib.sha256(raw).hexdigest()
    if resource.get("hash") and digest != resource["hash"]:
        errors.append(
            f"{path}, {_changed_lines(raw, resource)}: content differs from datapackage.json "
            f"({len(raw)} bytes, recorded {resource.get('bytes')}; SHA-256 {digest[7:19]}…, recorded "
            f"{resource['hash'][7:19]}…): the file was changed after it was built"
        )
    return errors


def _check_other_file(path: Path, resource: dict) -> list[str]:
    """A file that is not a table (the map outlines, JSON): its size and SHA-256, and that JSON parses."""
    raw = path.read_bytes()
    digest = "sha256:" + hashlib.sha256(raw).hexdigest()
    if resource.get("hash") and digest != resource["hash"]:
        return [
            f"{path}: content differs from datapackage.json ({len(raw)} bytes, recorded {resource.get('bytes')}; "
            f"SHA-256 {digest[7:19]}…, recorded {resource['hash'][7:19]}…): the file was changed after it was built"
        ]
    if resource.get("format") == "json":
        try:
            json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            return [f"{path}: not valid UTF-8 JSON ({' '.join(str(exc).split())})"]
    return []


def _typed_values(path: Path, rows: list[tuple[int, dict]], resource: dict) -> list[str]:
    """Every date field holds an ISO day and every integer field a whole number, as the schema types them."""
    errors = []
    for field in resource.get("schema", {}).get("fields", []):
        column, kind = field.get("name"), field.get("type")
        if kind == "date" or (kind is None and column in DATE_COLUMNS):
            bad = [(line, row[column]) for line, row in rows if row.get(column) and not is_iso_day(row[column])]
        elif kind == "integer" or (kind is None and column in INTEGER_COLUMNS):
            bad = [(line, row[column]) for line, row in rows if row.get(column) and not row[column].isdigit()]
        else:
            continue
        errors += [f"{path}, line {line}, column {column!r}: {value!r} is not a {kind}" for line, value in bad]
    return errors


def descriptor_missing(folder: Path) -> list[str]:
    """One line when the folder has no ``datapackage.json``: without it no checksum or row count can be checked,
    so the folder is refused rather than trusted (a deleted descriptor used to skip every integrity check)."""
    path = Path(folder) / "datapackage.json"
    if path.is_file():
        return []
    what = "is a folder, not a file" if path.exists() else "not found"
    return [
        f"{path}: {what}; without the descriptor no file's checksum or row count can be checked, so the "
        "folder is refused (rebuild it with `treaty-exits build-data`)"
    ]


def check_package(folder: Path, deep: frozenset = frozenset(), tables: dict | None = None) -> list[str]:
    """``datapackage.json`` against the files: each listed file present, its columns, rows, size and SHA-256.

    The files named in ``deep`` have their rows checked elsewhere; the others have their date and integer
    fields typed here.
    """
    path = folder / "datapackage.json"
    if missing := descriptor_missing(folder):
        return missing
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
        resources = package["resources"]
    except (ValueError, KeyError, TypeError) as exc:
        return [f"{path}: not a data package descriptor ({' '.join(str(exc).split())})"]
    errors = []
    for resource in resources:
        name = resource.get("path")
        errors += check_resource(folder, resource, name not in deep, (tables or {}).get(name))
    listed = {r.get("path") for r in resources}
    errors += [
        f"{p}: a data file that datapackage.json does not list"
        for p in sorted(folder.glob("*.csv"))
        if p.name not in listed
    ]
    return errors
