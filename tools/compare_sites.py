"""Compare two report sites page by page (and the CSV files beside them), ignoring only what changes per build.

    .venv/bin/python tools/compare_sites.py OLD NEW

Ignored: the ``treaty-exits-stamp`` meta tag (what a page was built from) and the index's build time
("built in N s"). Everything else must be byte-identical. Prints each page that differs (or exists on one side
only) with its first differing line, then a summary; exits 1 if any page differs, 2 for a missing folder.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

STAMP = re.compile(r"<meta\b[^>]*\bname=[\"']treaty-exits-stamp[\"'][^>]*>")
BUILD_TIME = re.compile(r"built in\n\d+ s by")


def normalized(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return BUILD_TIME.sub("built in\n# s by", STAMP.sub('<meta name="treaty-exits-stamp">', text))


def first_difference(old: str, new: str) -> str:
    for number, (a, b) in enumerate(zip(old.splitlines(), new.splitlines()), start=1):
        if a != b:
            return f"line {number}: {a[:120]!r} != {b[:120]!r}"
    return f"one side is longer ({len(old.splitlines())} vs {len(new.splitlines())} lines)"


def pages(root: Path) -> set[str]:
    """Every page and every CSV file beside a page (the data behind its tables)."""
    return {str(path.relative_to(root)) for pattern in ("*.html", "*.csv") for path in root.rglob(pattern)}


def compare(old_root: Path, new_root: Path) -> list[str]:
    """One line per page that differs beyond the stamps."""
    old_pages, new_pages = pages(old_root), pages(new_root)
    problems = [f"{name}: only in {old_root}" for name in sorted(old_pages - new_pages)]
    problems += [f"{name}: only in {new_root}" for name in sorted(new_pages - old_pages)]
    for name in sorted(old_pages & new_pages):
        old, new = normalized(old_root / name), normalized(new_root / name)
        if old != new:
            problems.append(f"{name}: {first_difference(old, new)}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    old_root, new_root = (Path(arg) for arg in argv)
    for root in (old_root, new_root):
        if not root.is_dir():
            print(f"error: {root} is not a folder", file=sys.stderr)
            return 2
    problems = compare(old_root, new_root)
    for line in problems:
        print(line)
    total = len(pages(old_root) | pages(new_root))
    print(f"{total} pages compared, {len(problems)} differ beyond the stamps")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
