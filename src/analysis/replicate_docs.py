"""The replication package's README (after the AEA Data Editor's template) and its rerun script.

Why a module of its own: the words a data editor reads are long and change for other reasons than the code that
copies and runs; ``analysis.replicate`` builds the folder and calls these two functions last, when every file they
describe exists. The README's lists (data files, tables and figures, the cell that makes each) are read off the
package itself, so they cannot drift from it.
"""

from __future__ import annotations

import json
import platform
import re
from pathlib import Path

from .batch.plan import RESEARCH
from .dataset import Dataset

__all__ = ["readme", "rerun_script"]

RERUN = """#!/bin/sh
# Rerun every result of this replication package and check that every number comes out equal.
# Usage:  sh rerun.sh [OUT]        (OUT: where the new results go; default ./rerun)
# By default it makes a virtual environment in ./venv and installs requirements.lock into it (network or a pip
# cache needed); PYTHON=/path/to/python sh rerun.sh uses an environment you made yourself instead.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-"$HERE/rerun"}
if [ -z "${PYTHON:-}" ]; then
  python3 -m venv "$HERE/venv"
  "$HERE/venv/bin/python" -m pip install --quiet -r "$HERE/requirements.lock"
  PYTHON="$HERE/venv/bin/python"
fi
export PYTHONPATH="$HERE/code/src" TREATY_EXITS_DATA="$HERE/data"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0
exec "$PYTHON" -m analysis.replicate rerun "$HERE" "$OUT"
"""


def rerun_script() -> str:
    return RERUN


def _data_rows(package: Path) -> list[str]:
    resources = json.loads((package / "data" / "datapackage.json").read_text())["resources"]
    rows = ["| file | rows | description | provided |", "|---|---|---|---|"]
    for r in resources:
        description = " ".join(str(r.get("description", "")).split())[:160]
        rows.append(f"| `data/{r['path']}` | {r.get('rows', '')} | {description} | yes |")
    return rows


def _sources(package: Path) -> list[str]:
    meta = json.loads((package / "data" / "datapackage.json").read_text())
    lines = []
    for s in meta.get("sources", []):
        via = f"; obtained via {s['via']}" if s.get("via") else ""
        lines.append(
            f"- **{s['title']}** ({s.get('producer', '')}), {s.get('path', '')}, status date {s.get('status_date', '')}, "
            f"accessed {s.get('accessed', '')}{via}. Licence: {s.get('licence', 'not stated')}."
        )
    licences = "; ".join(f"{x.get('name')} ({x.get('title', '')})" for x in meta.get("licenses", []))
    return [*lines, "", f"Licence of the derived tables: {licences}."]


def _outputs(package: Path) -> list[str]:
    """Each table and figure of the executed notebooks, with the cell that makes it and the file that holds it."""
    rows = ["| output | program | cell | file |", "|---|---|---|---|"]
    for notebook, _ in RESEARCH.values():
        cells = json.loads((package / "results" / "notebooks" / notebook).read_text())["cells"]
        page = f"results/html/{notebook.replace('.ipynb', '.html')}"
        for number, cell in enumerate(cells, 1):
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                text = "".join(data.get("text/plain", ""))
                table = re.match(r"\[table ([\w-]+):", text)
                if table:
                    name = table.group(1)
                    rows.append(
                        f"| table `{name}` | `code/notebooks/{notebook}` | {number} | `results/tables/{name}.csv`, {page} |"
                    )
                elif "image/png" in data:
                    rows.append(f"| figure | `code/notebooks/{notebook}` | {number} | {page} (embedded) |")
    return rows


def readme(package: Path, ds: Dataset, version: str) -> str:
    """The README: data availability, computational requirements, instructions, and which code makes what."""
    parts = [
        *_availability(package, ds, version),
        *_requirements(package, version),
        *_instructions(),
        "## List of tables and programs",
        "",
        *_outputs(package),
        "",
        *_references(),
    ]
    return "\n".join(parts)


def _availability(package: Path, ds: Dataset, version: str) -> list[str]:
    return [
        "# Replication package: treaty-exits research results",
        "",
        "## Overview",
        "",
        f"The code in this package reproduces the two research pages of treaty-exits {version}: *Who leaves, and "
        "when* (a discrete-time exit hazard model, Firth's penalized logit, robustness checks, Kaplan–Meier curves) and "
        "*Do exits come in waves beyond chance?* (a decision-level permutation test of exits by peers). One script, "
        "`rerun.sh`, reruns both notebooks and checks that every table and every printed number comes out equal.",
        "",
        "## Data availability and provenance statements",
        "",
        "### Statement about rights",
        "",
        "- [x] I certify that the author(s) of the manuscript have legitimate access to and permission to use the data.",
        "- [x] I certify that the author(s) have documented permission to redistribute/publish the data contained "
        "within this replication package (the derived tables are CC-BY-4.0; every row names its public source).",
        "",
        "### Summary of availability",
        "",
        "- [x] All data **are** publicly available and included in this package (`data/`).",
        "",
        "### Details on each data source",
        "",
        f"Data version **{ds.version}** (status date {ds.status_date:%Y-%m-%d}; the part after `+` hashes the files "
        "that decide a status). `data/CHECKSUMS.sha256` gives the SHA-256 of every data file; `data/README.md` says "
        "where every row comes from and what is disputed or left out. The raw sources the tables are built from:",
        "",
        *_sources(package),
        "",
        "### Dataset list",
        "",
        *_data_rows(package),
        "",
    ]


def _requirements(package: Path, version: str) -> list[str]:
    lock = (package / "requirements.lock").read_text().splitlines()
    key = {n.split("==")[0].lower(): n for n in lock}
    main = ", ".join(key[k] for k in ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "nbclient") if k in key)
    return [
        "## Computational requirements",
        "",
        "### Software requirements",
        "",
        f"- Python {platform.python_version()} (any 3.11 or later is expected to work; the results were made with this one).",
        f"- The packages in `requirements.lock`, every one pinned (main ones: {main}); `rerun.sh` installs them.",
        "- The analysis code is this package's own: `code/src/analysis` (treaty-exits " + version + ").",
        "",
        "### Controlled randomness",
        "",
        "- The permutation tests use numpy's seeded generator: the seed is the notebook parameter `seed` (1), in "
        "`code/notebooks/contagion.ipynb`, cell 3. Nothing else is random.",
        "- Every run sets one BLAS thread (`OMP_NUM_THREADS=1` and the like) so that sums are taken in the same order.",
        "",
        "### Memory, runtime and storage",
        "",
        "Both notebooks run in a few minutes on a laptop (2 cores, 4 GB of memory are enough); the package takes about "
        "10 MB.",
        "",
    ]


def _instructions() -> list[str]:
    return [
        "## Description of programs/code",
        "",
        "- `code/notebooks/exit_hazard.ipynb`: the exit hazard page (calls `analysis.models`, `analysis.firth`, "
        "`analysis.robustness`, `analysis.survival`).",
        "- `code/notebooks/contagion.ipynb`: the contagion page (calls `analysis.contagion`, `analysis.decisions`).",
        "- `code/src/analysis/replicate.py`: runs the notebooks, writes `results/`, compares two runs.",
        "- `rerun.sh`: the one script to run.",
        "",
        "## Instructions to replicators",
        "",
        "1. In this folder: `sh rerun.sh` (creates `venv/`, installs `requirements.lock`, reruns, compares).",
        "   With an environment of your own: `PYTHON=/path/to/python sh rerun.sh`.",
        "2. It prints `equal` and exits with 0 when every table (byte for byte) and every printed number of the "
        "notebooks equals the ones in `results/`; otherwise it lists each difference and exits with 1.",
        "3. The new results are in `rerun/` (the same layout as `results/`).",
        "",
    ]


def _references() -> list[str]:
    return [
        "## References",
        "",
        "- Firth, D. (1993). Bias reduction of maximum likelihood estimates. *Biometrika* 80(1), 27–38.",
        "- Heinze, G. and Schemper, M. (2002). A solution to the problem of separation in logistic regression. "
        "*Statistics in Medicine* 21, 2409–2419.",
        "- Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian Journal of "
        "Statistics* 6(2), 65–70.",
        "- Data: see `code/CITATION.cff` and the sources above.",
        "",
    ]
