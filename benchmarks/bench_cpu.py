"""CPU seconds per page beside wall time (issue 24): wall-clock figures move with the machine's other work, CPU
seconds much less, so each run here records both, with the load average before and after.

Parts (``--parts``, default ``profile,twenty,site,incremental``):

- ``profile``: one report's CPU by stage, in this process and in one warm kernel, the way the builder runs it:
  start-up (this process's imports and data; a kernel's boot and warm-up), parameter injection, each cell in the
  kernel (``time.process_time`` around it, its figures and maps included), figure rendering apart, the
  client's side of the cells (messages), the namespace clean-up, the HTML export, the writing, and the index of
  the whole site.
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
import ast
import asyncio
import copy
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
from bench_reports import COUNTRIES, naive, pages  # noqa: E402

#: in the kernel, after its warm-up: CPU seconds of each cell (process_time, figures included) and of figures
CPU_CLOCK = """
import time as _time, matplotlib.backend_bases as _bb
_tx_cells, _tx_figures, _tx_start = [], [0.0], [0.0]
def _tx_pre(info):
    _tx_start[0] = _time.process_time()
def _tx_post(result):  # by the cell's text: %%capture runs its body as a cell of its own, inside the cell
    if not result.info.raw_cell.startswith("print(repr((list(_tx_cells)"):  # not the reading itself
        _tx_cells.append((result.info.raw_cell, _time.process_time() - _tx_start[0]))
get_ipython().events.register("pre_run_cell", _tx_pre)
get_ipython().events.register("post_run_cell", _tx_post)
_tx_print_figure = _bb.FigureCanvasBase.print_figure
def _tx_timed_print_figure(*args, **kwargs):
    _started = _time.process_time()
    try:
        return _tx_print_figure(*args, **kwargs)
    finally:
        _tx_figures[0] += _time.process_time() - _started
_bb.FigureCanvasBase.print_figure = _tx_timed_print_figure
_treaty_exits_keep = set(globals()) | {"_treaty_exits_keep"}
"""
READ_CPU = "print(repr((list(_tx_cells), _tx_figures[0])))\n_tx_cells.clear()\n_tx_figures[0] = 0.0"


def load_average() -> str:
    return "{:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg())


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
                    if "ipykernel" in " ".join(process.cmdline()):
                        times = process.cpu_times()
                        self.seen[process.pid] = times.user + times.system
                except psutil.Error:
                    continue


def measured(cmd: list[str], env: dict | None = None) -> Run:
    """Run a command (output discarded): wall time, CPU of its whole tree, the kernels' share, the load."""
    load_before, cpu_before, started = load_average(), _children_cpu(), time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO, env=env)
    clock = KernelClock(process.pid)
    clock.start()
    code = process.wait()
    wall = time.perf_counter() - started
    clock.stop.set()
    clock.join()
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:3])} ... exited {code}")
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


# ---- profile: one report's CPU by stage ---------------------------------------------------------------------


async def _kernel_cpu(kernel) -> tuple[list[float], float]:
    """The CPU seconds of each cell run since the last read, and of the figures rendered in them."""
    msg_id = kernel.kc.execute(READ_CPU, store_history=False)
    text = ""
    while True:
        msg = await kernel.kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            text += msg["content"]["text"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    cells, figures = ast.literal_eval(text.strip())
    return cells, figures


def _process_cpu(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


async def _profile_one(kernel, job, notebook, ds, html_exporter, out: Path) -> dict:
    from nbclient import NotebookClient
    from papermill.parameterize import parameterize_notebook

    from analysis.batch.render import page_info, render_html, write_page

    clock, stages = time.process_time, {}
    await _kernel_cpu(kernel)  # reset the kernel's clocks
    started = clock()
    nb = parameterize_notebook(copy.deepcopy(notebook), dict(job.params), report_mode=False)
    stages["parameter injection (this process)"] = clock() - started
    client = NotebookClient(nb, km=kernel.km, kernel_name="python3", timeout=600)
    client.kc = kernel.kc
    pid = kernel.km.provisioner.pid
    started, kernel_before = clock(), _process_cpu(pid)
    await client.async_execute()
    stages["the cells' messages (this process, nbclient)"] = clock() - started
    cells, figures = await _kernel_cpu(kernel)
    stages["kernel, outside the cells (messages, IPython)"] = (
        _process_cpu(pid) - kernel_before - sum(seconds for _, seconds in cells)
    )
    before = _process_cpu(kernel.km.provisioner.pid)
    await kernel._run(kernel.CLEAN_UP)
    stages["namespace clean-up (kernel)"] = _process_cpu(kernel.km.provisioner.pid) - before
    started = clock()
    text = render_html(nb, job.title, page_info(ds, job, "profile"), html_exporter)
    stages["HTML export (this process)"] = clock() - started
    started = clock()
    write_page(out / job.path, text)
    stages["writing, CSV files included (this process)"] = clock() - started
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    labels = [_label(cell) for cell in code]
    by_text = dict(cells)  # the outer cell comes last, after the body %%capture ran
    return {
        "stages": stages,
        "cells": {label: by_text.get(c.source, 0.0) for label, c in zip(labels, code)},
        "figures": figures,
    }


def _label(cell) -> str:
    first = next((line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")), "")
    return first.strip()[:60] or "(empty)"


async def _profile_kind(kind: str, keys: list[str], ds, out: Path) -> tuple[list[dict], float]:
    from papermill.iorw import load_notebook_node

    from analysis import config
    from analysis.batch.plan import NOTEBOOK, plan
    from analysis.batch.pool import WarmKernel
    from analysis.batch.render import exporter

    jobs = plan(countries=keys if kind == "country" else None, treaties=keys if kind == "treaty" else None, ds=ds)
    notebook = load_notebook_node(str(config.notebooks_dir() / NOTEBOOK[kind]))
    kernel = WarmKernel(config.notebooks_dir(), timeout=600)
    html_exporter = exporter()
    await kernel.start()
    boot = _process_cpu(kernel.km.provisioner.pid)  # the kernel's start and warm-up
    await kernel._run(CPU_CLOCK)
    try:
        runs = [await _profile_one(kernel, job, notebook, ds, html_exporter, out) for job in jobs]
    finally:
        await kernel.stop()
    return runs[1:], boot  # the first is a warm-up


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def _profile_table(kind: str, runs: list[dict]) -> list[str]:
    cells = {label: _mean(run["cells"].get(label, 0.0) for run in runs) for label in runs[0]["cells"]}
    figures = _mean(run["figures"] for run in runs)
    stages = {name: _mean(run["stages"][name] for run in runs) for name in runs[0]["stages"]}
    total = sum(cells.values()) + sum(stages.values())
    lines = [
        f"**One {kind} report** (mean of {len(runs)} after a warm-up): **{total:.3f} s of CPU**",
        "",
        "| stage | CPU (s) | share |",
        "|---|---:|---:|",
    ]
    for label, seconds in cells.items():
        lines.append(f"| cell `{label}` (kernel) | {seconds:.3f} | {seconds / total:.0%} |")
    lines.append(
        f"| … of which figures rendered (inline backend, SVG; inside the cells above) | {figures:.3f} | "
        f"{figures / total:.0%} |"
    )
    for name, seconds in stages.items():
        lines.append(f"| {name} | {seconds:.3f} | {seconds / total:.0%} |")
    return lines + [""]


def part_profile(tmp: Path) -> list[str]:
    started = time.process_time()
    from analysis import load
    from analysis.batch import BuildResult, Result, index_html, plan

    ds = load()
    start_up = time.process_time() - started
    load_before = load_average()
    countries, boot_c = asyncio.run(_profile_kind("country", ["FRA", "LTU", "USA", "PRK", "BRA", "IND"], ds, tmp))
    treaties, boot_t = asyncio.run(_profile_kind("treaty", ["ctbt", "ccm", "npt", "apmbc"], ds, tmp))
    jobs = plan(all_countries=True, treaties="all", overview=True, ds=ds)
    started = time.process_time()
    index_html(BuildResult(tmp, [Result(job, "built") for job in jobs]), ds, None)
    index = time.process_time() - started
    return [
        "### Profile: CPU seconds by stage",
        "",
        f"Load average {load_before} at the start, {load_average()} at the end. Start-up: this process's imports "
        f"and the data, {start_up:.2f} s; a kernel's boot and warm-up, {boot_c:.2f} s and {boot_t:.2f} s (one per "
        f"worker); the index of {len(jobs)} reports, {index:.2f} s.",
        "",
        *_profile_table("country", countries),
        *_profile_table("treaty", treaties),
    ]


# ---- the command line, side by side ------------------------------------------------------------------------


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
        row(f"`treaty-exits reports`, `--jobs {os.cpu_count()}`", warm, 20),
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
