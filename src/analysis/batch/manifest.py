"""The reports an output folder holds, across builds: ``manifest.json``, from which the index is written.

A build of one country into a folder that already holds others must not drop them from the index. The reports
listed are the pages found in the folder (a report built again replaces its entry; a single-day report and a
series across time of the same state are two entries), so neither the order of the builds nor a damaged or
edited manifest can hide one; the manifest gives their titles. Only paths of the shape the planner makes count
(``countries/<ISO3>.html``...), so no file can point the index anywhere else.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..countries import country_name
from ..params import ParameterError
from .plan import RESEARCH, SAFE_PATH, Job, Result
from .render import write_atomic

__all__ = ["MANIFEST", "merged_results", "check"]

#: Where report pages lie in an output folder (``plan.SAFE_PATH`` says which names count).
_PAGES = (
    "countries/*.html",
    "countries/*/*.html",
    "treaties/*.html",
    "treaties/*/*.html",
    "overview.html",
    "research/*.html",
)

MANIFEST = "manifest.json"


def _entry(result: Result) -> dict:
    job = result.job
    entry = {"kind": job.kind, "key": job.key, "title": job.title, "path": job.path, "status": result.status}
    return entry | ({"day": job.day} if job.day else {})  # a report of a series across time


def _shape(path: str) -> tuple[str, str, str | None] | None:
    """(kind, key, day) of a page path the planner makes (``countries/LTU/2025-01-01.html``); None otherwise."""
    if not SAFE_PATH.fullmatch(path):
        return None
    parts = path.removesuffix(".html").split("/")
    if parts == ["overview"]:
        return "overview", "overview", None
    kind = {"countries": "country", "treaties": "treaty", "research": "research"}[parts[0]]
    return kind, parts[1], parts[2] if len(parts) == 3 else None


def _titles(out: Path) -> dict[str, str]:
    """Page path → title, from the manifest as far as it can be read (a damaged one gives none)."""
    try:
        entries = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("reports", [])
    except (OSError, ValueError, AttributeError):
        return {}
    entries = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    return {str(e.get("path")): str(e["title"]) for e in entries if isinstance(e.get("title"), str)}


def _title(kind: str, key: str, ds) -> str:
    if kind == "country":
        return country_name(key)
    if kind == "treaty":
        return str(ds.treaties.loc[key, "short_name"])
    return RESEARCH[key][1] if kind == "research" else "Withdrawals overview"


def _earlier(out: Path, ds) -> list[Result]:
    """Every report page the folder holds, found on disk (so no order of builds and no damaged or edited manifest
    can hide one), with its title from the manifest when it has one. Only paths of the planner's shape count."""
    titles, kept = _titles(out), []
    for pattern in _PAGES:
        for page in sorted(out.glob(pattern)):
            path = page.relative_to(out).as_posix()
            shape = _shape(path)
            if shape and page.is_file() and _known(*shape[:2], ds):
                kind, key, day = shape
                title = titles.get(path) or _title(kind, key, ds)
                kept.append(Result(Job(kind, key, title, {}, path, day=day), "skipped"))
    return kept


def check(out: Path) -> None:
    """Before any kernel starts: a ``manifest.json`` that is not a file (a folder, say) cannot be rewritten at the
    end of the build, so the build is refused now, in one line, rather than after the pages are written."""
    path = Path(out) / MANIFEST
    if (path.exists() or path.is_symlink()) and not path.is_file():
        raise ParameterError(
            f"--out {out}: {MANIFEST} is not a file (the list of the reports the folder holds); move it away, "
            "it is rebuilt from the pages"
        )


def _known(kind: str, key: str, ds) -> bool:
    return (
        (kind == "country" and key in ds.states.index)
        or (kind == "treaty" and key in ds.treaties.index)
        or (kind == "overview" and key == "overview")
        or (kind == "research" and key in RESEARCH)
    )


def merged_results(out: Path, results: list[Result], ds) -> list[Result]:
    """This build's results, then the earlier reports it did not touch (of states and treaties the data still
    hold); written back to the manifest."""
    mine = {r.job.path for r in results}  # a single-day report and a series of the same state are both kept
    merged = results + [r for r in _earlier(out, ds) if r.job.path not in mine]
    keep = [_entry(r) for r in merged if r.status != "failed" or r.job.path]
    write_atomic(out / MANIFEST, json.dumps({"reports": keep}, indent=1, ensure_ascii=False) + "\n")
    return merged
