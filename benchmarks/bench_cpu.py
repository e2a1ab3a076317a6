"""CPU seconds per page beside wall time (issue 24): wall-clock figures move with the machine's other work, CPU
seconds much less, so each run here records both, with the load average before and after.

Parts (``--parts``, default ``profile,twenty,site,incremental``):

- ``profile`` (``profile_cpu.py``): one report's CPU by stage, in this process and in one warm kernel, the way
  the builder runs it: start-up, each cell in the kernel, figures, messages, export, writing, the index.
- ``twenty``: 20 country reports, the naive loop (``papermill`` CLI, then ``jupyter nbconvert``, per report) and
  ``treaty-exits reports`` side by side (target ≥ 12× in wall time).
- ``site``: every state, every treaty, the overview: CPU a page, start-up included (target ≤ 0.5 s), and wall
  time a page (target ≤ 0.26 s at load below 1).
- ``incremental``: on the site just built, ``--resume`` with nothing changed (the start-up), then after one
  curated row of Lithuania changes (a copy of the data folder, rebuilt with ``build-data``; the command reads
  it through ``TREATY_EXITS_DATA``): what it builds and what it costs.

CPU of a command: ``resource.getrusage(RUSAGE_CHILDREN)`` before and after (user + system of the command and of
every process it started and waited for: its kernels); the kernels' share from psutil, read every 0.2 s (a
lower bound: the last fraction of a second of each is not seen).

Run by hand: ``.venv/bin/python benchmarks/bench_cpu.py [--parts site] [--no-write]``; appends to results.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
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
sys.path.insert(0, str(Path(__file__).parent))
from bench_reports import COUNTRIES, naive, pages, run_sampled  # noqa: E402
from profile_cpu import load_average, part_profile  # noqa: E402


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Run:
    wall: float
    cpu: float  # the command and everything it started, user + system
    kernels: float  # of which the kernels (psutil, sampled)
    load_before: str
    load_after: str


class KernelClock(threading.Thread):
    """The CPU seconds of every kernel under a process, last seen (kernels come and go: each pid's last value)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.root, self.stop, self.seen = psutil.Process(pid), threading.Event(), {}

    def run(self) -> None:
        while not self.stop.wait(0.2):
            try:
                children = self.root.children(recursive=True)
            except psutil.NoSuchProcess:
                return
            for process in children:
                try:
                    command = " ".join(process.cmdline())
                    # a kernel started by jupyter_client, or forked by the zygote (the zygote's warm-up counts too)
                    if "ipykernel" in command or "analysis.batch.zygote" in command:
                        times = process.cpu_times()
                        self.seen[process.pid] = times.user + times.system
                except psutil.Error:
                    continue


def measured(cmd: list[str], env: dict | None = None) -> Run:
    """Run a command (output discarded): wall time, CPU of its whole tree, the kernels' share, the load."""
    load_before, cpu_before = load_average(), _children_cpu()
    wall, clock = run_sampled(cmd, KernelClock, env)
    return Run(wall, _children_cpu() - cpu_before, sum(clock.seen.values()), load_before, load_average())


def reports(out: Path, *args: str, env: dict | None = None) -> Run:
    return measured([str(BIN / "treaty-exits"), "reports", "--out", str(out), *args], env)


def row(name: str, run: Run, count: int) -> str:
    return (
        f"| {name} | {count} | {run.wall:.1f} | {run.wall / count:.3f} | {run.cpu:.1f} | **{run.cpu / count:.3f}** | "
        f"{run.kernels:.1f} | {run.cpu - run.kernels:.1f} | {run.load_before} | {run.load_after} |"
    )


HEAD = [
    "| run | pages | wall (s) | wall a page (s) | CPU (s) | CPU a page (s) | of which kernels (s) | builder and the "
    "rest (s) | load before | load after |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
]


# ---- the command line, side by side ------------------------------------------------------------------------


def _workers() -> str:
    """The builder's default workers on this machine, in words (``guard.default_jobs``)."""
    from analysis.batch.guard import default_jobs
    from analysis.batch.zygote import can_fork

    forked = can_fork()
    how = "forked from one warm process" if forked else "each started and warmed"
    return f"{default_jobs(True, forked)} kernels, {how}"


def part_twenty(tmp: Path) -> list[str]:
    countries = COUNTRIES[:20]
    (tmp / "naive").mkdir()
    load_before, cpu_before, started = load_average(), _children_cpu(), time.perf_counter()
    naive(countries, tmp / "naive")
    slow = Run(time.perf_counter() - started, _children_cpu() - cpu_before, 0.0, load_before, load_average())
    warm = reports(tmp / "warm", "--countries", ",".join(countries))
    return [
        "### 20 country reports: the naive loop and the builder, side by side (target ≥ 12× in wall time)",
        "",
        *HEAD,
        row("naive: `papermill` CLI, then `jupyter nbconvert`, one by one (kernels not split out)", slow, 20),
        row(f"`treaty-exits reports` (default `--jobs`: {_workers()})", warm, 20),
        "",
        f"Speed-up in wall time **{slow.wall / warm.wall:.1f}×**, in CPU **{slow.cpu / warm.cpu:.1f}×**.",
        "",
    ]


SITE = ("--all", "--treaties", "all", "--overview")


def part_site(tmp: Path) -> list[str]:
    run = reports(tmp / "site", *SITE)
    count, size = pages(tmp / "site")
    return [
        "### The whole site (every state, every treaty, the overview; targets ≤ 0.5 s of CPU a page, ≤ 0.26 s of "
        "wall time a page at load below 1)",
        "",
        *HEAD,
        row("`treaty-exits reports --all --treaties all --overview`", run, count),
        "",
        f"{size:.0f} MB on disk.",
        "",
    ]


def _changed_data(tmp: Path) -> Path:
    """A copy of the data folder in which one curated row of Lithuania says one thing more, rebuilt."""
    from analysis import config

    data = tmp / "data"
    shutil.copytree(config.data_dir(), data)
    curated = data / "curated_events.csv"
    lines = curated.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("LTU,ccm,parliament_vote,"))
    lines[at] = lines[at].rstrip("\n").rstrip('"') + ' (benchmark: one row changed)"\n'
    curated.write_text("".join(lines), encoding="utf-8")
    subprocess.run(
        [str(BIN / "treaty-exits"), "build-data", "--data-dir", str(data)],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )
    return data


def _mtimes(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*.html") if p.name not in ("index.html", "history.html")}


def part_incremental(tmp: Path) -> list[str]:
    site = tmp / "site"
    if not site.exists():
        part_site(tmp)
    before = _mtimes(site)
    nothing = reports(site, *SITE, "--resume")
    unchanged = sum(before[p] != t for p, t in _mtimes(site).items())
    env = dict(os.environ, TREATY_EXITS_DATA=str(_changed_data(tmp)))
    before = _mtimes(site)
    one_row = reports(site, *SITE, "--resume", env=env)
    built = sorted(p.relative_to(site).as_posix() for p, t in _mtimes(site).items() if before.get(p) != t)
    return [
        "### Rebuilds with `--resume` on the site just built",
        "",
        "| run | pages built | wall (s) | CPU (s) | of which kernels (s) | load before | load after |",
        "|---|---:|---:|---:|---:|---|---|",
        f"| nothing changed | {unchanged} | {nothing.wall:.1f} | {nothing.cpu:.1f} | {nothing.kernels:.1f} | "
        f"{nothing.load_before} | {nothing.load_after} |",
        f"| one curated row of Lithuania changed (CCM parliament vote's note) | {len(built)} | {one_row.wall:.1f} | "
        f"{one_row.cpu:.1f} | {one_row.kernels:.1f} | {one_row.load_before} | {one_row.load_after} |",
        "",
        f"Pages built again: {', '.join(built)}.",
        "",
    ]


PARTS = {"profile": part_profile, "twenty": part_twenty, "site": part_site, "incremental": part_incremental}


def write(text: str, dry_run: bool) -> None:
    print(text, flush=True)
    if not dry_run:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="profile,twenty,site,incremental", help="which parts, comma-separated")
    parser.add_argument("--no-write", action="store_true", help="do not append to benchmarks/results.md")
    parser.add_argument("--keep", type=Path, help="build into this (new) folder and keep it, e.g. for compare_sites")
    args = parser.parse_args()
    head = (
        f"## CPU a page ({datetime.now():%Y-%m-%d %H:%M}, `benchmarks/bench_cpu.py --parts {args.parts}`)\n\n"
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average at the "
        f"start {load_average()} (other work shares the cores). CPU = user + system of the command and every "
        "process it started.\n"
    )
    write("\n" + head, args.no_write)
    if args.keep:
        args.keep.mkdir(parents=True)  # a new folder: nothing of an earlier run is counted
    with tempfile.TemporaryDirectory() as folder:
        for part in (p.strip() for p in args.parts.split(",") if p.strip()):
            write("\n".join(PARTS[part](args.keep or Path(folder))), args.no_write)
    write(f"Load average at the end: {load_average()}.\n", args.no_write)


if __name__ == "__main__":
    main()
