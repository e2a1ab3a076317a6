"""Build ``data/events.csv`` (and the End Notes and conflicts registers, ``datapackage.json``) from the sources.

This is the only writer of the generated files; ``make data`` runs it. Reading and validating is ``dataset``'s
job. Paths come from ``config``, column lists from ``schema``, the raw sources' provenance from
``data/sources/<label>.json`` (``meta``).
"""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path

from .. import config
from ..countries import source_country
from ..integrity import file_record
from ..schema import (
    BUILT_EVENT_COLUMNS,
    CONFLICT_COLUMNS,
    DATE_COLUMNS,
    INTEGER_COLUMNS,
    NOTE_COLUMNS,
    EdtfError,
    bounds_text,
)
from . import attributions
from .endnotes import ParseError
from .merge import available, missing_sources, other_source_events
from .meta import PARSER_KEYS, read_all
from .pagecheck import bracket_problems, count_problems
from .unoda import NON_UN
from .untc import page_events, parse_page
from .untc_protocols import protocol_events


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    """Write to a temporary file and move it into place, so a failed build never leaves half a file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="raise", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    tmp.replace(path)


def untc_events(
    untc_dir: Path | str | None = None, data_dir: Path | str | None = None
) -> tuple[list[dict], list[dict]]:
    """Events and End Notes of every UN-deposited treaty in the registry whose page is in ``untc_dir``."""
    untc_dir = Path(untc_dir) if untc_dir is not None else config.untc_dir()
    events, notes = [], []
    registry = read_csv(config.data_dir(data_dir) / "treaties.csv")
    for treaty in registry:
        if not treaty.get("untc_file"):
            continue
        page_path = untc_dir / treaty["untc_file"]
        if not page_path.exists():
            raise FileNotFoundError(f"{page_path}: status page of {treaty['id']} not found")
        page = parse_page(page_path, mtdsg=treaty["mtdsg"])
        problems = count_problems(page) + bracket_problems(page)
        if problems:
            raise ParseError("; ".join(problems))
        page_rows, page_notes = page_events(page, source_country)
        events += [dict(row, treaty=treaty["id"]) for row in page_rows]
        events += protocol_events(page, source_country, [row["id"] for row in registry])
        notes += [dict(note, treaty=treaty["id"]) for note in page_notes]
    return events, notes


def sort_key(event: dict):
    """Rows in treaty, state and day order; a row known less precisely sorts by its first possible day (or, when
    that is open, its last), after an exact row of the same day."""
    day = event["date"] or event.get("date_earliest") or event.get("date_latest", "")
    return (event["treaty"], event["state"], day, event["date"] == "", event["action"], event.get("depositary", ""))


def with_bounds(event: dict) -> dict:
    """A row with its derived bounds: each date's first and last possible day, from its EDTF text or its day
    (the parsed depositary rows have no EDTF text: they stay exact days)."""
    try:
        date_first, date_last = bounds_text(event["date"], event.get("date_edtf", ""))
        effect_first, effect_last = bounds_text(event.get("effective_date", ""), event.get("effective_date_edtf", ""))
    except EdtfError:  # left empty: the validator names the row and what is accepted
        date_first = date_last = effect_first = effect_last = ""
    return dict(
        event,
        date_earliest=date_first,
        date_latest=date_last,
        effective_earliest=effect_first,
        effective_latest=effect_last,
    )


def build(
    untc_dir: Path | str | None = None, data_dir: Path | str | None = None, shared: Path | str | None = None
) -> dict:
    """Regenerate events.csv, untc_notes.csv, conflicts.csv and datapackage.json; returns counts for the log.

    The non-UN treaties come from the UNODA/ICRC sources in ``shared`` (``merge``) when they are there.
    """
    data_dir, shared = config.data_dir(data_dir), config.shared_dir(shared)
    events, notes = untc_events(untc_dir, data_dir)
    others, conflicts = [], None
    ids = {treaty["id"] for treaty in read_csv(data_dir / "treaties.csv")}
    if ids & set(NON_UN) and not available(shared):
        raise FileNotFoundError(
            f"{shared}: the UNODA/ICRC source files are missing ({', '.join(sorted(missing_sources(shared)))}); the "
            f"build needs them for {', '.join(sorted(ids & set(NON_UN)))} and refuses to drop their events"
        )
    if ids & set(NON_UN):
        others, conflicts = other_source_events(shared, untc=events, data_dir=data_dir)
        others = [row for row in others if row["treaty"] in ids]
        conflicts = [row for row in conflicts if row["treaty"] in ids]
    curated_path = data_dir / "curated_events.csv"
    curated = read_csv(curated_path) if curated_path.exists() else []
    since = {state["iso3"]: state.get("since", "") for state in read_csv(data_dir / "states.csv")}
    rules = attributions.read_rules(data_dir / "attributions.csv")
    parsed, moves = attributions.apply(events + others, rules, since)
    rows = [with_bounds(row) for row in parsed + curated]
    write_csv(data_dir / "events.csv", BUILT_EVENT_COLUMNS, sorted(rows, key=sort_key))
    if conflicts is not None:
        write_csv(data_dir / "conflicts.csv", CONFLICT_COLUMNS, conflicts)
    notes = sorted(notes, key=lambda note: (note["treaty"], int(note["number"])))
    write_csv(data_dir / "untc_notes.csv", NOTE_COLUMNS, notes)
    write_datapackage(data_dir, shared)
    return {
        "untc_events": len(events),
        "curated_events": len(curated),
        **{f"attribution_{key}": value for key, value in moves.items()},
        "unoda_icrc_events": len(others),
        "conflicts": len(conflicts) if conflicts is not None else 0,
        "untc_notes": len(notes),
        "unclassified_notes": sum(note["kind"] == "note" for note in notes),
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _resource(path: Path, info: dict) -> dict:
    """One CSV file's entry: its fields with their types, its origin and its checksum."""
    with path.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    fields = [{"name": column, "type": info.get("types", {}).get(column, _guess_type(column))} for column in header]
    return {
        "name": path.stem,
        "profile": "tabular-data-resource",
        "path": path.name,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        **file_record(path),
        "description": info.get("description", ""),
        "sources": info.get("sources", []),
        "schema": {"fields": fields},
    }


def source_list(data_dir: Path | str | None = None, shared: Path | str | None = None) -> list[dict]:
    """The descriptor's sources: every raw source's metadata file, then the others ``provenance.json`` lists."""
    data_dir = config.data_dir(data_dir)
    raw = [
        {key: value for key, value in meta.items() if key not in PARSER_KEYS} for meta in read_all(data_dir).values()
    ]
    meta_path = data_dir / "provenance.json"
    extra = json.loads(meta_path.read_text(encoding="utf-8")).get("sources", []) if meta_path.exists() else []
    return [_with_checksum(source, config.shared_dir(shared)) for source in raw + extra]


def write_datapackage(data_dir: Path | str | None = None, shared: Path | str | None = None) -> None:
    """Frictionless descriptor: fields, origin and checksum of every file, so a reader can check what they hold."""
    data_dir = config.data_dir(data_dir)
    meta_path = data_dir / "provenance.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {"resources": {}}
    resources = [_resource(path, meta["resources"].get(path.stem, {})) for path in sorted(data_dir.glob("*.csv"))]
    resources += [geometry_resource(path) for path in sorted(data_dir.glob("world_*.json"))]
    package = {
        "profile": "data-package",  # tables and one JSON file (the map outlines)
        "name": "treaty-exits",
        "title": "Arms-control treaty participation and exits, with sources",
        "version": meta.get("version", ""),
        "created": _datetime(meta.get("created", date.today().isoformat())),
        "licenses": meta.get("licenses", []),
        "sources": source_list(data_dir, shared),
        "resources": resources,
    }
    tmp = data_dir / "datapackage.json.tmp"
    tmp.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(data_dir / "datapackage.json")


def _datetime(day: str) -> str:
    """The descriptor's ``created`` is a datetime (the Data Package spec); provenance.json gives a day."""
    return day if "T" in day else f"{day}T00:00:00Z"


def geometry_resource(path: Path) -> dict:
    """A map geometry file (``tools/geo/build_geometry.py``) as a resource: checksum, size, and its source with
    the input's hash, both read from the file itself, so the descriptor never disagrees with what ships."""
    content = json.loads(path.read_text(encoding="utf-8"))
    source = dict(content["source"])
    input_hash = source.pop("sha256")
    return {
        "name": path.stem,
        "path": path.name,
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
        "hash": "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest(),
        "bytes": path.stat().st_size,
        "description": content.get("description", ""),
        "sources": [source | {"hash": "sha256:" + input_hash}],
    }


def _with_checksum(source: dict, shared: Path) -> dict:
    """Add the SHA-256 of the local copy of a source (one hash over its files, in name order) when it is here."""
    out = {key: value for key, value in source.items() if key != "local"}
    local = shared / source["local"] if source.get("local") else None
    if local is not None and local.exists():
        files = sorted(path for path in local.rglob("*") if path.is_file()) if local.is_dir() else [local]
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.relative_to(local).as_posix().encode() + b"\0" + path.read_bytes())
        out["hash"] = "sha256:" + digest.hexdigest()
        out["files"] = len(files)
    return out


def _guess_type(column: str) -> str:
    if column in DATE_COLUMNS:
        return "date"
    if column in INTEGER_COLUMNS:
        return "integer"
    return "string"
