"""A refresh that cannot make things worse: build beside the data, check, compare, and swap only when all holds.

``treaty-exits refresh`` used to rebuild ``data/`` in place and validate afterwards, so a page cut short, a
page that lost a row, an empty table or a missing ``../shared`` folder replaced good rows with fewer. Now the
new pages are downloaded (each with a deadline, the whole with another), checked (whole, header counts equal to
the rows), built into a staging folder beside ``data/``, validated there and compared with the current data.
Only when every page is whole and agrees with itself, every source is there, the new data validate and no
action vanished without an End Note or C.N. that explains it (or ``accept_removals`` says a person accepts the
listed removals) is the staging folder swapped in, after a dated copy of the previous version is kept.
Otherwise ``RefreshRefused`` lists what blocked the swap and ``data/`` stays byte-identical.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .. import config
from ..integrity import read_table
from ..schema import is_iso_day, parse_day
from ..validation import validate
from .build import build, read_csv
from .endnotes import ParseError
from .pagecheck import bracket_problems, count_problems, date_problems
from .snapshots import download
from .untc import parse_page

__all__ = ["RefreshRefused", "RefreshResult", "refresh", "vanished_rows"]

_KEY = ("state", "treaty", "action", "date", "depositary")


class RefreshRefused(RuntimeError):
    """The new data would be worse or cannot be trusted; ``reasons`` lists each blocker in one line."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(f"refresh refused ({len(reasons)} problem(s)); the data folder is unchanged")


@dataclass
class RefreshResult:
    snapshot: Path
    previous: Path
    summary: list[str] = field(default_factory=list)


def _page_problems(html: Path, data_dir: Path, today: date) -> list[str]:
    """Every downloaded page parsed again: its header's counts against its rows, each bracketed row against an End
    Note read as its withdrawal, and its status date not after today."""
    problems = []
    for treaty in read_csv(data_dir / "treaties.csv"):
        if not treaty.get("untc_file"):
            continue
        path = html / treaty["untc_file"]
        if not path.exists():
            problems.append(f"{path}: the status page of {treaty['id']} was not downloaded")
            continue
        try:
            page = parse_page(path, mtdsg=treaty["mtdsg"])
            problems += count_problems(page) + bracket_problems(page) + date_problems(page, today)
        except ParseError as exc:
            problems.append(" ".join(str(exc).split()))
    return problems


def _keys(path: Path) -> dict[tuple, dict]:
    if not path.exists():  # no current data: nothing can vanish
        return {}
    table = read_table(path)
    return {tuple(row.get(column, "") for column in _KEY): row for row in table.rows}


def _explains(note: dict, key: tuple, remaining: set[tuple[str, str]]) -> bool:
    """Whether an End Note of the new pages is about this vanished action (state, treaty, action, day, ...): a
    signature withdrawn or cancelled explains that state's signature; a withdrawal or a succession explains the
    state's acts only when its whole row left the page; a C.N. explains the action whose day it names. Any
    other End Note of the same state explains nothing (a re-dated signature is no withdrawal)."""
    state, treaty, action, day = key[:4]
    if note["treaty"] != treaty or state not in note["states"].split("|"):
        return False
    if note["kind"] in ("signature_withdrawal", "signature_cancelled"):
        return action == "signature"
    if note["kind"] in ("withdrawal", "predecessor") and (state, treaty) not in remaining:
        return True
    return "C.N." in note.get("ref", "") and is_iso_day(day) and _day_words(day) in " ".join(note["text"].split())


def _day_words(day: str) -> str:
    """'3 December 2008', as an End Note writes a day."""
    return f"{parse_day(day):%-d %B %Y}"


def vanished_rows(current: Path, staged: Path) -> list[str]:
    """The actions of the current data that the new build lacks and no End Note or C.N. about that action explains."""
    before, after = _keys(current / "events.csv"), _keys(staged / "events.csv")
    notes = read_table(staged / "untc_notes.csv").rows if (staged / "untc_notes.csv").exists() else []
    remaining = {key[:2] for key in after}
    return [
        f"{key[0]}/{key[1]} {key[2]} of {key[3]} vanished and no End Note or C.N. about it explains it"
        for key in before
        if key not in after and not any(_explains(note, key, remaining) for note in notes)
    ]


def differences(current: Path, staged: Path, shown: int = 15) -> list[str]:
    """What the swap changes, per file and in a few example rows."""
    lines = []
    for name in ("events.csv", "untc_notes.csv", "conflicts.csv"):
        if not (staged / name).exists():
            continue
        before = (
            set(map(tuple, (r.values() for r in read_table(current / name).rows)))
            if (current / name).exists()
            else set()
        )
        after = set(map(tuple, (r.values() for r in read_table(staged / name).rows)))
        lines.append(
            f"{name}: {len(before)} → {len(after)} rows (+{len(after - before)} new, −{len(before - after)} gone)"
        )
        if name == "events.csv":
            lines += [f"  + {', '.join(row[:4])}" for row in sorted(after - before)[:shown]]
            lines += [f"  − {', '.join(row[:4])}" for row in sorted(before - after)[:shown]]
    return lines


def _stage(data_dir: Path) -> Path:
    staging = data_dir.with_name(f".{data_dir.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(data_dir, staging)
    return staging


def _swap(staging: Path, data_dir: Path) -> None:
    """Two renames on one file system: the old folder aside, the new one in; undone if the second fails."""
    old = data_dir.with_name(f".{data_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(data_dir, old)
    try:
        os.rename(staging, data_dir)
    except OSError:
        os.rename(old, data_dir)
        raise
    shutil.rmtree(old)


def _checked_build(html: Path, staging: Path, shared: Path | None, accept_removals: bool, data_dir: Path):
    """Build into the staging folder and list what would block the swap."""
    try:
        build(untc_dir=html, data_dir=staging, shared=shared)
    except (OSError, ValueError) as exc:
        return [" ".join(str(exc).split())]
    blocked = validate(staging)
    removals = vanished_rows(data_dir, staging)
    if removals and not accept_removals:
        blocked += removals + ["(re-run with --accept-removals to accept the removals listed above)"]
    return blocked


def refresh(
    out: Path | str,
    base_url: str = "https://treaties.un.org",
    data_dir: Path | str | None = None,
    shared: Path | str | None = None,
    accept_removals: bool = False,
    page_timeout: float = 60,
    total_timeout: float = 900,
    today: date | None = None,
) -> RefreshResult:
    """Download, check, build beside, validate, compare, keep a dated copy and swap; or refuse, changing nothing."""
    data_dir = config.data_dir(data_dir)
    deadline = time.monotonic() + total_timeout
    try:
        snapshot = download(out, base_url, data_dir, today, timeout=page_timeout, deadline=deadline)
    except ParseError as exc:
        raise RefreshRefused([" ".join(str(exc).split())]) from None
    blocked = _page_problems(snapshot / "raw_html", data_dir, today or date.today())
    if blocked:
        raise RefreshRefused(blocked)
    staging = _stage(data_dir)
    try:
        blocked = _checked_build(snapshot / "raw_html", staging, shared, accept_removals, data_dir)
        if blocked:
            raise RefreshRefused(blocked)
        summary = differences(data_dir, staging)
        previous = Path(out) / f"data-before-{datetime.now():%Y-%m-%dT%H%M%S}"
        shutil.copytree(data_dir, previous)
        _swap(staging, data_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RefreshResult(snapshot, previous, summary)
