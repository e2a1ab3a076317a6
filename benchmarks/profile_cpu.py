"""One report's CPU seconds by stage (issue 24), the ``profile`` part of ``bench_cpu.py``: in this process and in
one warm kernel, the way the builder runs them: start-up (imports and data; a kernel's boot and warm-up),
parameter injection, each cell in the kernel (``time.process_time`` between IPython's ``pre_run_cell`` and
``post_run_cell``, its figures and maps included), figure rendering apart, the kernel outside the cells, the
client's side of the cells (messages), the namespace clean-up, the HTML export, the writing, and the index.

Run through ``bench_cpu.py --parts profile``.
"""

from __future__ import annotations

import ast
import asyncio
import copy
import os
import time
from pathlib import Path

import psutil
from profile_report import kernel_output  # the same folder (bench_cpu.py puts it on the path)


def load_average() -> str:
    return "{:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg())


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


async def _kernel_cpu(kernel) -> tuple[list[float], float]:
    """The CPU seconds of each cell run since the last read, and of the figures rendered in them."""
    cells, figures = ast.literal_eval((await kernel_output(kernel, READ_CPU, timeout=60)).strip())
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
    from analysis.batch.zygote import Zygote, can_fork

    jobs = plan(countries=keys if kind == "country" else None, treaties=keys if kind == "treaty" else None, ds=ds)
    notebook = load_notebook_node(str(config.notebooks_dir() / NOTEBOOK[kind]))
    # as the builder starts its kernels: forked from a zygote when this system forks (``batch.zygote``)
    zygote = Zygote(config.notebooks_dir(), WarmKernel.WARM_CACHES) if can_fork() else None
    kernel = WarmKernel(config.notebooks_dir(), timeout=600, zygote=zygote)
    html_exporter = exporter()
    await kernel.start()
    boot = _process_cpu(kernel.km.provisioner.pid)  # the kernel's start and warm-up (a fork's: since the fork)
    warm = _process_cpu(zygote.process.pid) if zygote else 0.0  # the zygote's warm-up: once a build
    await kernel._run(CPU_CLOCK)
    try:
        runs = [await _profile_one(kernel, job, notebook, ds, html_exporter, out) for job in jobs]
    finally:
        await kernel.stop()
        if zygote:
            zygote.close()
    return runs[1:], boot, warm  # the first is a warm-up


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
    countries, boot_c, warm_c = asyncio.run(
        _profile_kind("country", ["FRA", "LTU", "USA", "PRK", "BRA", "IND"], ds, tmp)
    )
    treaties, boot_t, warm_t = asyncio.run(_profile_kind("treaty", ["ctbt", "ccm", "npt", "apmbc"], ds, tmp))
    jobs = plan(all_countries=True, treaties="all", overview=True, ds=ds)
    started = time.process_time()
    index_html(BuildResult(tmp, [Result(job, "built") for job in jobs]), ds, None)
    index = time.process_time() - started
    return [
        "### Profile: CPU seconds by stage",
        "",
        f"Load average {load_before} at the start, {load_average()} at the end. Start-up: this process's imports "
        f"and the data, {start_up:.2f} s; the zygote's warm-up (imports, data, tables, one figure: once a build), "
        f"{warm_c:.2f} s and {warm_t:.2f} s; a kernel's start and set-up (forked from it: one per worker), "
        f"{boot_c:.2f} s and {boot_t:.2f} s; the index of {len(jobs)} reports, {index:.2f} s.",
        "",
        *_profile_table("country", countries),
        *_profile_table("treaty", treaties),
    ]
