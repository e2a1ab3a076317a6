"""Build `data/events.csv` (and the End Notes register) from the depositary's pages plus the curated table.

This is the only writer of the generated files; `make data` runs it. Reading and validating is `dataset`'s job.
"""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path

from . import othersources
from .config import DATA_DIR
from .countries import resolve_country
from .untc import page_events, parse_page

EVENT_COLUMNS = [
    "state",
    "treaty",
    "action",
    "date",
    "effective_date",
    "depositary",
    "source",
    "source_date",
    "source_kind",
    "ref",
    "note",
]
#: Columns that hold ISO dates, in any data file (the descriptor types them; `dataset` parses them).
DATE_COLUMNS = frozenset(
    {
        "date",
        "effective_date",
        "source_date",
        "adopted",
        "opened_for_signature",
        "entry_into_force",
        "known_until",
        "joined",
        "left",
        "until",
    }
)
NOTE_COLUMNS = ["treaty", "number", "kind", "states", "date", "effective_date", "ref", "text", "source", "source_date"]
#: Where ../shared keeps the depositary pages (read only; never copied into the repository).
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
UNTC_DIR = SHARED / "untc-status-2026-02-03" / "raw_html"


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    """Write to a temporary file and move it into place, so a failed build never leaves half a file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, extrasaction="raise", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in columns})
    tmp.replace(path)


def untc_events(untc_dir: Path = UNTC_DIR, data_dir: Path = DATA_DIR) -> tuple[list[dict], list[dict]]:
    """Events and End Notes of every UN-deposited treaty in the registry whose page is in `untc_dir`."""
    events, notes = [], []
    for t in read_csv(data_dir / "treaties.csv"):
        if not t.get("untc_file"):
            continue
        page_path = untc_dir / t["untc_file"]
        if not page_path.exists():
            raise FileNotFoundError(f"{page_path}: status page of {t['id']} not found")
        page = parse_page(page_path, mtdsg=t["mtdsg"])
        ev, nt = page_events(page, resolve_country)
        events += [dict(e, treaty=t["id"]) for e in ev]
        notes += [dict(n, treaty=t["id"]) for n in nt]
    return events, notes


def sort_key(e: dict):
    return (e["treaty"], e["state"], e["date"], e["action"], e.get("depositary", ""))


def build(untc_dir: Path = UNTC_DIR, data_dir: Path = DATA_DIR, shared: Path = SHARED) -> dict:
    """Regenerate events.csv, untc_notes.csv, conflicts.csv and datapackage.json; returns counts for the log.

    The non-UN treaties come from the UNODA/ICRC sources in `shared` (othersources.merge) when they are there.
    """
    events, notes = untc_events(untc_dir, data_dir)
    others, conflicts = [], None
    ids = {t["id"] for t in read_csv(data_dir / "treaties.csv")}
    if othersources.available(shared) and ids & set(othersources.NON_UN):
        others, conflicts = othersources.other_source_events(shared, untc=events)
        others = [e for e in others if e["treaty"] in ids]
        conflicts = [c for c in conflicts if c["treaty"] in ids]
    curated_path = data_dir / "curated_events.csv"
    curated = read_csv(curated_path) if curated_path.exists() else []
    rows = sorted(events + others + curated, key=sort_key)
    write_csv(data_dir / "events.csv", EVENT_COLUMNS, rows)
    if conflicts is not None:
        write_csv(data_dir / "conflicts.csv", othersources.CONFLICT_COLUMNS, conflicts)
    write_csv(data_dir / "untc_notes.csv", NOTE_COLUMNS, sorted(notes, key=lambda n: (n["treaty"], int(n["number"]))))
    write_datapackage(data_dir, shared)
    return {
        "untc_events": len(events),
        "curated_events": len(curated),
        "unoda_icrc_events": len(others),
        "conflicts": len(conflicts) if conflicts is not None else 0,
        "untc_notes": len(notes),
        "unclassified_notes": sum(n["kind"] == "note" for n in notes),
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_datapackage(data_dir: Path = DATA_DIR, shared: Path = SHARED) -> None:
    """Frictionless descriptor: fields, origin and checksum of every file, so a reader can check what they hold."""
    meta_path = data_dir / "provenance.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {"resources": {}}
    resources = []
    for path in sorted(data_dir.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        info = meta["resources"].get(path.stem, {})
        fields = [{"name": c, "type": info.get("types", {}).get(c, _guess_type(c))} for c in header]
        resources.append(
            {
                "name": path.stem,
                "path": path.name,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": "sha256:" + sha256(path),
                "bytes": path.stat().st_size,
                "description": info.get("description", ""),
                "sources": info.get("sources", []),
                "schema": {"fields": fields},
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": "treaty-exits",
        "title": "Arms-control treaty participation and exits, with sources",
        "version": meta.get("version", ""),
        "created": meta.get("created", date.today().isoformat()),
        "licenses": meta.get("licenses", []),
        "sources": [_with_checksum(s, shared) for s in meta.get("sources", [])],
        "resources": resources,
    }
    tmp = data_dir / "datapackage.json.tmp"
    tmp.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(data_dir / "datapackage.json")


def _with_checksum(source: dict, shared: Path = SHARED) -> dict:
    """Add the SHA-256 of the local copy of a source (one hash over its files, in name order) when it is here."""
    out = {k: v for k, v in source.items() if k != "local"}
    local = shared / source["local"] if source.get("local") else None
    if local is not None and local.exists():
        files = sorted(p for p in local.rglob("*") if p.is_file()) if local.is_dir() else [local]
        h = hashlib.sha256()
        for p in files:
            h.update(p.relative_to(local).as_posix().encode() + b"\0" + p.read_bytes())
        out["hash"] = "sha256:" + h.hexdigest()
        out["files"] = len(files)
    return out


def _guess_type(column: str) -> str:
    if column in DATE_COLUMNS:
        return "date"
    if column in ("number", "m49", "notice_months", "notice_days"):
        return "integer"
    return "string"
