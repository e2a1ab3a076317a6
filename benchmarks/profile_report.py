"""Where one report's time goes: parameter injection, kernel execution per cell, figure rendering, HTML export
and writing, measured on warm kernels the way the batch builder runs them.

Each report runs in a warm kernel (``analysis.batch.pool.WarmKernel``, warmed as the builder warms it); the first
report of each kind is a warm-up and is not counted. Figure rendering is timed inside the kernel (matplotlib's
``print_figure``, which the inline backend calls once per figure at the end of a cell); it is part of the cell it
belongs to, so the table gives execution without it and the figures apart. The per-cell overhead is the time
the client spent around the cells (messages, output handling) beyond what the kernel reports.

Run by hand: ``.venv/bin/python benchmarks/profile_report.py [--n 6] [--no-write]``; appends a section to
``benchmarks/results.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import platform
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from analysis import config
from analysis.batch.plan import NOTEBOOK, plan
from analysis.batch.pool import WarmKernel
from analysis.batch.render import exporter, page_info, render_html, write_atomic
from analysis.dataset import load

RESULTS = Path(__file__).with_name("results.md")
COUNTRIES = ["LTU", "FIN", "USA", "RUS", "PRK", "FRA", "UKR", "IND", "VAT", "BRA", "POL", "DEU"]
TREATIES = ["apmbc", "ccm", "npt", "ctbt"]

#: run in the kernel after its warm-up: a clock around every figure the inline backend renders
FIGURE_CLOCK = """
import time as _time, matplotlib.backend_bases as _bb
_treaty_exits_figure_seconds = [0.0]
_treaty_exits_print_figure = _bb.FigureCanvasBase.print_figure
def _timed_print_figure(*args, **kwargs):
    _started = _time.perf_counter()
    try:
        return _treaty_exits_print_figure(*args, **kwargs)
    finally:
        _treaty_exits_figure_seconds[0] += _time.perf_counter() - _started
_bb.FigureCanvasBase.print_figure = _timed_print_figure
_treaty_exits_keep = set(globals()) | {"_treaty_exits_keep"}  # the clean-up between reports keeps the clock
"""
READ_CLOCK = (
    "import resource as _rs\n"
    "print(_treaty_exits_figure_seconds[0], _rs.getrusage(_rs.RUSAGE_SELF).ru_maxrss)\n"
    "_treaty_exits_figure_seconds[0] = 0.0"
)


def cell_seconds(cell) -> float:
    """The kernel's own time for one cell (nbclient's timing metadata: input received → reply sent)."""
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return 0.0
    return (datetime.fromisoformat(end.rstrip("Z")) - datetime.fromisoformat(start.rstrip("Z"))).total_seconds()


def cell_label(cell) -> str:
    first = next((line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")), "")
    return first.strip()[:60] or "(empty)"


async def kernel_output(kernel: WarmKernel, code: str, timeout: float = 30) -> str:
    """What ``code`` prints in the kernel (its stream output, until the kernel is idle again)."""
    msg_id = kernel.kc.execute(code, store_history=False)
    text = ""
    while True:
        msg = await kernel.kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            text += msg["content"]["text"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return text


async def read_clock(kernel: WarmKernel) -> tuple[float, int]:
    """Seconds of figure rendering since the last read, and the kernel's peak resident memory (kB)."""
    seconds, peak = (await kernel_output(kernel, READ_CLOCK)).split()
    return float(seconds), int(peak)


class Profile:
    """Seconds per phase and per cell, summed over the measured reports of one kind."""

    def __init__(self):
        self.phases: dict[str, list[float]] = defaultdict(list)
        self.cells: dict[int, list[float]] = defaultdict(list)
        self.labels: dict[int, str] = {}
        self.peak_kb = 0
        self.page_bytes: list[int] = []


async def profile_one(kernel, job, notebook, ds, html_exporter, out: Path, profile: Profile | None) -> None:
    from nbclient import NotebookClient
    from papermill.parameterize import parameterize_notebook

    clock = time.perf_counter
    started = clock()
    nb = parameterize_notebook(copy.deepcopy(notebook), dict(job.params), report_mode=False)
    injected = clock()
    client = NotebookClient(nb, km=kernel.km, kernel_name="python3", timeout=600, record_timing=True)
    client.kc = kernel.kc
    await client.async_execute()
    executed = clock()
    await kernel._run(kernel.CLEAN_UP)
    cleaned = clock()
    figures, peak = await read_clock(kernel)
    page = page_info(ds, job, "profile")
    text = render_html(nb, job.title, page, html_exporter)
    rendered = clock()
    write_atomic(out / job.path, text)
    written = clock()
    if profile is None:
        return
    kernel_cells = [cell_seconds(cell) for cell in nb.cells]
    for number, (cell, seconds) in enumerate(zip(nb.cells, kernel_cells)):
        if cell.cell_type == "code":
            profile.cells[number].append(seconds)
            profile.labels[number] = cell_label(cell)
    in_cells = sum(kernel_cells)
    profile.phases["parameter injection (copy + papermill)"].append(injected - started)
    profile.phases["kernel execution, without figures"].append(in_cells - figures)
    profile.phases["figure rendering (inline backend, SVG)"].append(figures)
    profile.phases["per-cell overhead (client, messages)"].append(executed - started - (injected - started) - in_cells)
    profile.phases["namespace clean-up"].append(cleaned - executed)
    profile.phases["HTML export (nbconvert)"].append(rendered - cleaned)
    profile.phases["writing (atomic)"].append(written - rendered)
    profile.peak_kb = max(profile.peak_kb, peak)
    profile.page_bytes.append(len(text.encode()))


async def profile_kind(kind: str, keys: list[str], ds, out: Path) -> Profile:
    from papermill.iorw import load_notebook_node

    jobs = plan(countries=keys if kind == "country" else None, treaties=keys if kind == "treaty" else None, ds=ds)
    notebook = load_notebook_node(str(config.notebooks_dir() / NOTEBOOK[kind]))
    kernel = WarmKernel(config.notebooks_dir(), timeout=600)
    html_exporter = exporter()
    await kernel.start()
    await kernel._run(FIGURE_CLOCK)
    profile = Profile()
    try:
        for number, job in enumerate(jobs):
            await profile_one(kernel, job, notebook, ds, html_exporter, out, profile if number else None)
    finally:
        await kernel.stop()
    return profile


def report(kind: str, profile: Profile) -> list[str]:
    total = sum(statistics.mean(v) for v in profile.phases.values())
    n = len(next(iter(profile.phases.values())))
    lines = [
        f"### One {kind} report ({n} reports after a warm-up, mean)",
        "",
        "| phase | ms | share |",
        "|---|---:|---:|",
    ]
    for name, values in profile.phases.items():
        mean = statistics.mean(values)
        lines.append(f"| {name} | {mean * 1000:.0f} | {mean / total:.0%} |")
    lines += [
        f"| **total** | **{total * 1000:.0f}** | |",
        "",
        f"Kernel peak resident memory {profile.peak_kb / 1024:.0f} MB; page size "
        f"{statistics.mean(profile.page_bytes) / 1024:.0f} KB. Per cell (kernel time, figures included):",
        "",
        "| cell | first line | ms |",
        "|---:|---|---:|",
    ]
    for number, values in sorted(profile.cells.items()):
        lines.append(f"| {number} | `{profile.labels[number]}` | {statistics.mean(values) * 1000:.0f} |")
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=6, help="country reports measured (after one warm-up)")
    parser.add_argument("--no-write", action="store_true", help="do not append to benchmarks/results.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    ds = load()
    with tempfile.TemporaryDirectory() as tmp:
        countries = asyncio.run(profile_kind("country", COUNTRIES[: args.n + 1], ds, Path(tmp)))
        treaties = asyncio.run(profile_kind("treaty", TREATIES, ds, Path(tmp)))
    lines = [
        f"## Profile of one report ({datetime.now():%Y-%m-%d %H:%M})",
        "",
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; one warm kernel, "
        f"run alone; load average {load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end "
        "(other work shares the cores).",
        "",
        *report("country", countries),
        *report("treaty", treaties),
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)


if __name__ == "__main__":
    main()
