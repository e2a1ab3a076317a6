"""A small dataset built from the test fixtures: the package's own pipeline without ../shared."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from conftest import FIXTURES, ROOT, SHARED, SHARED_REASON  # noqa: F401 (re-exported for the tests)

PAGES = {"ccm": "untc_ccm_excerpt.html", "apmbc": "untc_apmbc_excerpt.html"}


def make_mini_data(target: Path, curated: list[dict] | None = None) -> Path:
    """Copy the real registry and clause rows of CCM and APMBC and the states registry, point them at the fixture pages,
    and build events.csv with the package's own builder."""
    from analysis.sources.build import build

    target.mkdir(parents=True, exist_ok=True)
    with (ROOT / "data" / "treaties.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = [dict(r, untc_file=PAGES[r["id"]]) for r in reader if r["id"] in PAGES]
        cols = reader.fieldnames
    with (target / "treaties.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with (ROOT / "data" / "clauses.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        clauses, clause_cols = [r for r in reader if r["treaty"] in PAGES], reader.fieldnames
    with (target / "clauses.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=clause_cols, lineterminator="\n")
        w.writeheader()
        w.writerows(clauses)
    for name in ("states.csv", "groups.csv"):
        shutil.copy(ROOT / "data" / name, target / name)
    shutil.copytree(ROOT / "data" / "sources", target / "sources", dirs_exist_ok=True)  # provenance of raw sources
    if curated:
        from analysis.schema import EVENT_COLUMNS
        from analysis.sources.build import write_csv

        write_csv(target / "curated_events.csv", EVENT_COLUMNS, curated)
    build(untc_dir=FIXTURES, data_dir=target)
    return target
