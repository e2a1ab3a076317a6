"""Report building, measured side by side in one run: the naive loop against the builder, the whole site, a grid
of states × days on the local pool and on a Dask LocalCluster(2), and the peak memory of each kernel.

Parts (``--parts``, default all):

- ``twenty``: 20 country reports. Naive: for each state the ``papermill`` CLI runs the notebook (a new process,
  a new kernel), then ``jupyter nbconvert --to html --no-input`` renders it. Builder: ``treaty-exits reports``
  (warm kernels), with its default ``--jobs`` and with ``--jobs 1``. Target: ≥ 12× the naive loop.
- ``site``: every state, every treaty and the overview. Target: ≤ 0.26 s a page, amortized.
- ``grid``: 200 states × 5 days (``--as-of 2022-01-01:2026-01-01:1Y``) on the local pool and on
  ``--executor dask --workers 2``, one after the other; the two sites are compared page by page. Target: Dask
  within 1.3× of the pool.
- ``fullgrid``: ``--all --as-of 2015-01-01:2026-01-01:1Y``: time, peak memory, disk.

Every run is timed from the command line, start-up included. A sampler reads the memory of the command's process
tree every 0.2 s (psutil): the peak of the whole tree and the peak of each kernel (target ≤ 250 MB). The load
average is recorded with every part: other work on the machine slows both sides of a comparison alike.

Run by hand: ``.venv/bin/python benchmarks/bench_reports.py [--parts twenty,site] [--n 20] [--no-write]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = Path(__file__).with_name("results.md")
sys.path.insert(0, str(REPO / "tools"))
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
GRID_DAYS = "2022-01-01:2026-01-01:1Y"
FULL_GRID_DAYS = "2015-01-01:2026-01-01:1Y"


@dataclass
class Run:
    seconds: float
    peak_tree_mb: float = 0.0  # the command and everything it started, summed, at its highest
    peak_kernel_mb: float = 0.0  # the largest single kernel (or Dask worker) at its highest
    load: str = ""


class MemorySampler(threading.Thread):
    """Resident memory of a process tree, sampled: the peak of the sum, and the peak of any one kernel."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.root, self.stop, self.tree, self.kernel = psutil.Process(pid), threading.Event(), 0, 0

    def run(self) -> None:
        while not self.stop.wait(0.2):
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for process in processes:
                try:
                    rss = process.memory_info().rss
                    cmd = " ".join(process.cmdline())
                except psutil.Error:
                    continue
                total += rss
                if "ipykernel" in cmd:
                    self.kernel = max(self.kernel, rss)
            self.tree = max(self.tree, total)


def load_average() -> str:
    return "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


def run_sampled(cmd: list[str], sampler_of, env: dict | None = None):
    """Run a command (its output discarded) with a thread sampling its process tree (``sampler_of(pid)``: a
    thread with a ``stop`` event); the wall seconds and the sampler. Exit 1 (a report failed, said in the index)
    is a run; anything else is a broken one."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO, env=env)
    sampler = sampler_of(process.pid)
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:3])} ... exited {code}")
    return seconds, sampler


def timed(cmd: list[str]) -> Run:
    """Run a command (its output discarded), timing it and sampling its memory."""
    load = load_average()
    seconds, sampler = run_sampled(cmd, MemorySampler)
    return Run(seconds, sampler.tree / 2**20, sampler.kernel / 2**20, load)


def naive(countries: list[str], out: Path) -> Run:
    """The papermill CLI then nbconvert, one report after the other."""
    nb = REPO / "notebooks" / "country_report.ipynb"
    load, started, peak = load_average(), time.perf_counter(), 0.0
    for country in countries:
        executed = out / f"{country}.ipynb"
        peak = max(
            peak,
            timed(
                [
                    str(BIN / "papermill"),
                    str(nb),
                    str(executed),
                    "-p",
                    "country",
                    country,
                    "-k",
                    "python3",
                    "--cwd",
                    str(nb.parent),
                    "--no-progress-bar",
                ]
            ).peak_kernel_mb,
        )
        timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
    return Run(time.perf_counter() - started, 0.0, peak, load)


def reports(out: Path, *args: str) -> Run:
    return timed([str(BIN / "treaty-exits"), "reports", "--out", str(out), *args])


def pages(folder: Path) -> tuple[int, float]:
    """Report pages (history pages and the index not counted) and the folder's size in MB."""
    files = [p for p in folder.rglob("*.html") if p.name not in ("index.html", "history.html")]
    return len(files), sum(p.stat().st_size for p in folder.rglob("*")) / 2**20


def part_twenty(tmp: Path, n: int) -> list[str]:
    countries = COUNTRIES[:n]
    (tmp / "naive").mkdir()
    slow = naive(countries, tmp / "naive")
    warm = reports(tmp / "warm", "--countries", ",".join(countries))
    one = reports(tmp / "warm1", "--countries", ",".join(countries), "--jobs", "1")
    cores = os.cpu_count()
    return [
        f"### {n} country reports: naive loop vs the builder (target ≥ 12×)",
        "",
        "| way | total (s) | per report (s) | speed-up | load average (1/5/15 min) at its start |",
        "|---|---:|---:|---:|---|",
        f"| naive: `papermill` CLI then `jupyter nbconvert --to html`, one by one | {slow.seconds:.1f} | "
        f"{slow.seconds / n:.2f} | 1.0× | {slow.load} |",
        f"| builder, `--jobs {cores}` (default) | {warm.seconds:.1f} | {warm.seconds / n:.2f} | "
        f"**{slow.seconds / warm.seconds:.1f}×** | {warm.load} |",
        f"| builder, `--jobs 1` | {one.seconds:.1f} | {one.seconds / n:.2f} | {slow.seconds / one.seconds:.1f}× | "
        f"{one.load} |",
        "",
        f"Peak resident memory of one kernel: naive {slow.peak_kernel_mb:.0f} MB, builder "
        f"{warm.peak_kernel_mb:.0f} MB (target ≤ 250 MB).",
        "",
    ]


def part_site(tmp: Path) -> list[str]:
    run = reports(tmp / "site", "--all", "--treaties", "all", "--overview")
    count, size = pages(tmp / "site")
    return [
        "### The whole site (every state, every treaty, the overview; target ≤ 0.26 s a page)",
        "",
        f"{count} pages in {run.seconds:.1f} s: **{run.seconds / count:.3f} s a page**, amortized; {size:.0f} MB on "
        f"disk; peak memory {run.peak_tree_mb:.0f} MB for the whole process tree, {run.peak_kernel_mb:.0f} MB for "
        f"the largest kernel. Load average at the start: {run.load}.",
        "",
    ]


def part_grid(tmp: Path) -> list[str]:
    from compare_sites import compare

    from analysis import load

    states = ",".join(load().states.index[:200])
    local = reports(tmp / "grid-local", "--countries", states, "--as-of", GRID_DAYS)
    dask = reports(
        tmp / "grid-dask", "--countries", states, "--as-of", GRID_DAYS, "--executor", "dask", "--workers", "2"
    )
    count, size = pages(tmp / "grid-local")
    differ = compare(tmp / "grid-local", tmp / "grid-dask")
    return [
        f"### 200 states × 5 days (`--as-of {GRID_DAYS}`): local pool vs Dask LocalCluster(2) (target ≤ 1.3×)",
        "",
        "| executor | total (s) | per report (s) | vs the pool | peak memory, tree (MB) | largest kernel (MB) | load "
        "average at its start |",
        "|---|---:|---:|---:|---:|---:|---|",
        f"| local pool, `--jobs {os.cpu_count()}` | {local.seconds:.1f} | {local.seconds / count:.3f} | 1.00× | "
        f"{local.peak_tree_mb:.0f} | {local.peak_kernel_mb:.0f} | {local.load} |",
        f"| `--executor dask --workers 2` | {dask.seconds:.1f} | {dask.seconds / count:.3f} | "
        f"**{dask.seconds / local.seconds:.2f}×** | {dask.peak_tree_mb:.0f} | {dask.peak_kernel_mb:.0f} | {dask.load} |",
        "",
        f"{count} report pages each ({size:.0f} MB); pages that differ beyond the stamps: {len(differ)}.",
        "",
    ]


def part_fullgrid(tmp: Path) -> list[str]:
    run = reports(tmp / "full", "--all", "--as-of", FULL_GRID_DAYS)
    count, size = pages(tmp / "full")
    return [
        f"### The full grid: `--all --as-of {FULL_GRID_DAYS}`",
        "",
        f"{count} reports in {run.seconds:.0f} s ({run.seconds / count:.3f} s a report); {size:.0f} MB on disk; peak "
        f"memory {run.peak_tree_mb:.0f} MB for the whole process tree, {run.peak_kernel_mb:.0f} MB for the largest "
        f"kernel. Load average at the start: {run.load}.",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="twenty,site,grid,fullgrid", help="which parts, comma-separated")
    parser.add_argument("--n", type=int, default=20, help="country reports in part 'twenty' (default 20)")
    parser.add_argument("--no-write", action="store_true", help="do not append to benchmarks/results.md")
    args = parser.parse_args()
    parts = [part.strip() for part in args.parts.split(",") if part.strip()]
    lines = [
        f"## Reports ({datetime.now():%Y-%m-%d %H:%M})",
        "",
        f"{platform.machine()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB, Python "
        f"{platform.python_version()}; times from the command line, start-up included. Load average at the start: "
        f"{load_average()} (other work shares the cores).",
        "",
    ]
    write("\n" + "\n".join(lines), args.no_write)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for part in parts:
            section = PARTS[part](tmp, args.n)
            write("\n".join(section), args.no_write)  # each part as it ends: a long run keeps what it measured
    write(f"Load average at the end: {load_average()}.\n", args.no_write)


PARTS = {
    "twenty": part_twenty,
    "site": lambda tmp, n: part_site(tmp),
    "grid": lambda tmp, n: part_grid(tmp),
    "fullgrid": lambda tmp, n: part_fullgrid(tmp),
}


def write(text: str, dry_run: bool) -> None:
    print(text, flush=True)
    if not dry_run:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
