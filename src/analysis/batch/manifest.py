"""The reports an output folder holds, across builds: ``manifest.json``, from which the index is written.

A build of one country into a folder that already holds others must not drop them from the index. Each build
adds its results to the manifest (a report built again replaces its entry); entries whose page is gone are
dropped, and so are failures of earlier builds. Every path read back is checked against the shape only the
planner makes (``countries/<ISO3>.html``...), so an edited manifest cannot point the index anywhere else.
"""

from __future__ import annotations

import json
from pathlib import Path

from .plan import RESEARCH, SAFE_PATH, Job, Result
from .render import write_atomic

__all__ = ["MANIFEST", "merged_results"]

MANIFEST = "manifest.json"


def _entry(result: Result) -> dict:
    job = result.job
    entry = {"kind": job.kind, "key": job.key, "title": job.title, "path": job.path, "status": result.status}
    return entry | ({"day": job.day} if job.day else {})  # a report of a series across time


def _earlier(out: Path) -> list[Result]:
    """The reports of earlier builds whose pages are still there (a damaged manifest counts as empty)."""
    try:
        entries = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("reports", [])
    except (OSError, ValueError, AttributeError):
        return []
    kept = []
    for entry in entries if isinstance(entries, list) else []:
        path = str(entry.get("path", "")) if isinstance(entry, dict) else ""
        if SAFE_PATH.fullmatch(path) and (out / path).is_file() and entry.get("status") != "failed":
            day = path.rsplit("/", 1)[-1].removesuffix(".html") if path.count("/") == 2 else None
            job = Job(str(entry["kind"]), str(entry["key"]), str(entry.get("title", "")), {}, path, day=day)
            kept.append(Result(job, "skipped"))
    return kept


def _known(result: Result, ds) -> bool:
    job = result.job
    return (
        (job.kind == "country" and job.key in ds.states.index)
        or (job.kind == "treaty" and job.key in ds.treaties.index)
        or (job.kind == "overview" and job.key == "overview")
        or (job.kind == "research" and job.key in RESEARCH)
    )


def merged_results(out: Path, results: list[Result], ds) -> list[Result]:
    """This build's results, then the earlier reports it did not touch (of states and treaties the data still
    hold); written back to the manifest."""
    mine = {(r.job.kind, r.job.key) for r in results}
    merged = results + [r for r in _earlier(out) if (r.job.kind, r.job.key) not in mine and _known(r, ds)]
    keep = [_entry(r) for r in merged if r.status != "failed" or r.job.path]
    write_atomic(out / MANIFEST, json.dumps({"reports": keep}, indent=1, ensure_ascii=False) + "\n")
    return merged
