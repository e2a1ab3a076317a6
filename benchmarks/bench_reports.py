"""Report building: the naive way against the batch builder, on the same 20 country reports, in one run.

Naive: for each state, the `papermill` CLI runs the notebook (a new process and a new kernel each time), then
`jupyter nbconvert --to html --no-input` renders it. Builder: `treaty-exits reports --countries ...` (warm
kernels, one per worker, in-process HTML). Both are timed from the command line, start-up included. The builder
runs twice: with its default --jobs (the number of cores) and with --jobs 1 (the same single core the naive
loop uses).

Run by hand (not in CI): `python benchmarks/bench_reports.py [--n 20]`. Prints the times and appends a section to
benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COUNTRIES = [
    "LTU",
    "EST",
    "LVA",
    "FIN",
    "POL",
    "DEU",
    "FRA",
    "GBR",
    "USA",
    "RUS",
    "UKR",
    "PRK",
    "IND",
    "PAK",
    "ISR",
    "IRN",
    "BRA",
    "ZAF",
    "VAT",
    "PSE",
]


def run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)


def naive(countries: list[str], out: Path) -> float:
    nb = REPO / "notebooks" / "country_report.ipynb"
    t0 = time.perf_counter()
    for c in countries:
        executed = out / f"{c}.ipynb"
        run(
            [
                str(BIN / "papermill"),
                str(nb),
                str(executed),
                "-p",
                "country",
                c,
                "-k",
                "python3",
                "--cwd",
                str(nb.parent),
                "--no-progress-bar",
            ]
        )
        run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
    return time.perf_counter() - t0


def builder(countries: list[str], out: Path, jobs: int | None) -> float:
    cmd = [str(BIN / "treaty-exits"), "reports", "--countries", ",".join(countries), "--out", str(out)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    t0 = time.perf_counter()
    run(cmd)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20, help="number of country reports (default 20)")
    ap.add_argument("--no-write", action="store_true", help="do not append to benchmarks/results.md")
    a = ap.parse_args()
    countries = COUNTRIES[: a.n]
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for d in ("naive", "warm", "warm1"):
            (tmp / d).mkdir()
        t_naive = naive(countries, tmp / "naive")
        assert len(list((tmp / "naive").glob("*.html"))) == len(countries)
        t_warm = builder(countries, tmp / "warm", None)
        t_warm1 = builder(countries, tmp / "warm1", 1)
        assert len(list((tmp / "warm" / "countries").glob("*.html"))) == len(countries)
    n = len(countries)
    lines = [
        f"## Reports: naive papermill + nbconvert loop vs `treaty-exits reports` ({datetime.now():%Y-%m-%d %H:%M})",
        "",
        f"{n} country reports on {platform.machine()} with {cores} cores, Python {platform.python_version()}; "
        "times from the command line, start-up included.",
        "",
        "| way | total (s) | per report (s) | speed-up |",
        "|---|---:|---:|---:|",
        f"| naive: `papermill` CLI then `jupyter nbconvert --to html`, one by one | {t_naive:.1f} | "
        f"{t_naive / n:.2f} | 1.0× |",
        f"| builder, `--jobs {cores}` (default: one warm kernel per core) | {t_warm:.1f} | {t_warm / n:.2f} | "
        f"**{t_naive / t_warm:.1f}×** |",
        f"| builder, `--jobs 1` (one warm kernel) | {t_warm1:.1f} | {t_warm1 / n:.2f} | {t_naive / t_warm1:.1f}× |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not a.no_write:
        results = REPO / "benchmarks" / "results.md"
        prefix = "\n" if results.exists() and results.read_text().strip() else ""
        with results.open("a", encoding="utf-8") as fh:
            fh.write(prefix + text)
        print(f"appended to {results}")


if __name__ == "__main__":
    main()
