"""``build_reports``: one run of the batch, as its steps (papermill's ``execute_notebook`` is the model).

start the pool → resolve the jobs → run them (each worker writes its pages) → write the index → the result.
The pool's kernels start first, so they boot and warm up while this process loads the data, resolves the jobs
and reads the notebooks.
"""

from __future__ import annotations

import contextlib
import sys
import time
from datetime import date
from pathlib import Path

from .. import config
from ..schema import parse_day
from . import manifest
from .executor import Executor, ExecutorChoice, open_executor
from .guard import BuildLock, capped_jobs, default_jobs, writable_out
from .history import write_history_pages
from .index import index_html, prepare
from .inputs import Inputs
from .manifest import merged_results
from .plan import (
    NOTEBOOK,
    RESEARCH,
    BuildResult,
    Job,
    Result,
    expected_count,
    notebook_hash,
    notebook_of,
    plan,
    read_stamp,
    stamp,
)
from .pool import KERNEL, Task
from .render import page_info, write_atomic
from .zygote import can_fork

__all__ = ["build_reports", "refresh_notebooks", "stale"]


def build_reports(
    countries=None,
    all_countries: bool = False,
    treaties=None,
    overview: bool = False,
    as_of: date | list[date] | None = None,
    jobs: int | None = None,
    out: Path | str = "reports",
    resume: bool = False,
    progress: bool = True,
    timeout: int = 600,
    notebooks_dir: Path | str | None = None,
    research: bool = False,
    executor: ExecutorChoice | None = None,
) -> BuildResult:
    """Build the reports into `out` and write `out/index.html`. Never raises for one report's failure.

    `executor` says where the reports run (default: the local warm-kernel pool; see ``executor``).
    `as_of` is a day (parsed at the edge, by ``schema.parse_day``); None means the data's status date. A list of
    days (``plan.parse_days``) builds one report per state or treaty and day, in the dated layout
    (``countries/LTU/2025-01-01.html``) with a history page each (``history``). A day after the status date,
    nothing to build, an output folder that cannot be written or that another build holds raise
    ``params.ParameterError`` before any report runs. ``jobs`` (default: ``guard.default_jobs``) is capped by the
    memory (``guard.capped_jobs``); the index lists this build's reports and those built earlier into ``out``
    (``manifest``).
    """
    started = time.perf_counter()
    out, nb_dir = writable_out(out), config.notebooks_dir(notebooks_dir)  # before any kernel starts
    manifest.check(out)
    days = len(as_of) if isinstance(as_of, (list, tuple)) else 1  # a report per key and day
    wanted = expected_count(countries, all_countries, treaties, overview, research) * days
    local = executor is None or executor.kind == "local"
    size, note = capped_jobs(max(1, min(jobs or default_jobs(local, can_fork()), wanted)))
    asked = (countries, all_countries, treaties, overview, as_of, research)
    with BuildLock(out):
        planned = None
        if resume:  # the plan first: as many kernels as pages to build, and none when every page is up to date
            planned = _planned(asked, nb_dir, out, resume)
            size = min(size, len(planned[2][1]))
        with open_executor(executor, size, nb_dir, timeout, out) if size else contextlib.nullcontext() as pool:
            ds, todo, pending = planned or _planned(asked, nb_dir, out, resume)  # kernels boot meanwhile
            dated = sorted({parse_day(job.day) for job in todo if job.day})
            day, prepared = dated[-1] if dated else as_of, {}
            # the index's data-only part is made while the kernels boot and build (this process waits on them)
            results = _run(pool, pending, ds, nb_dir, progress, lambda: prepared.update(prepare(ds, day)))
        order = {job.ident: i for i, job in enumerate(todo)}
        results.sort(key=lambda r: order[r.job.ident])
        if dated:
            write_history_pages(out, results, dated, ds)
        result = BuildResult(out, results, time.perf_counter() - started, [note] if note else [])
        listed = BuildResult(out, merged_results(out, results, ds), result.seconds)  # earlier reports stay listed
        write_atomic(out / "index.html", index_html(listed, ds, day, days=dated, prepared=prepared))
    return result


def _planned(asked: tuple, nb_dir: Path, out: Path, resume: bool):
    """The data, the jobs asked for, and which of them to build (``stale``); nothing to build is refused."""
    from .. import params
    from ..dataset import load

    countries, all_countries, treaties, overview, as_of, research = asked
    ds = load()
    todo = plan(countries, all_countries, treaties, overview, as_of, ds, research=research)
    if not todo:
        raise params.ParameterError("nothing to build: give --countries, --all, --treaties, --overview or --research")
    return ds, todo, stale(todo, ds, nb_dir, out, resume)


def _run(pool: Executor | None, pending: tuple, ds, nb_dir: Path, progress: bool, meanwhile=None) -> list[Result]:
    """Hand every job that needs building to the pool; the others are failed (unknown name) or up to date.
    ``meanwhile()`` runs once the jobs are handed over, while the kernels work (not when nothing is built)."""
    from papermill.iorw import load_notebook_node

    done, wanted = pending
    notebooks = {name: load_notebook_node(str(nb_dir / name)) for name in {notebook_of(job) for job, _ in wanted}}
    progress_bar = _Progress(len(done) + len(wanted), progress)
    for result in done:
        progress_bar.record(result)
    for job, job_stamp in wanted:
        pool.submit(Task(job, notebooks[notebook_of(job)], page_info(ds, job, job_stamp)))
    if wanted and meanwhile is not None:
        meanwhile()
    for result in pool.collect() if wanted else ():
        progress_bar.record(result)
    progress_bar.close()
    return progress_bar.results


def stale(
    todo: list[Job], ds, nb_dir: Path, out: Path, resume: bool, today: date | None = None
) -> tuple[list[Result], list[tuple[Job, str]]]:
    """The plan's last step, no kernel involved: the jobs to build, each with its stamp (``plan.stamp`` over
    ``inputs.Inputs.of``), and the results of the others: failed before running (an unknown name), or, with
    `resume`, skipped because the page in `out` carries the same stamp (none of its inputs changed)."""
    hashes = {name: notebook_hash(nb_dir / name) for name in {notebook_of(job) for job in todo if not job.error}}
    inputs = Inputs(ds, today)
    done, wanted = [], []
    for job in todo:
        if job.error:
            done.append(Result(job, "failed", job.error))
            continue
        job_stamp = stamp(job, inputs.of(job), hashes[notebook_of(job)])
        if resume and read_stamp(out / job.path) == job_stamp:
            done.append(Result(job, "skipped"))
        else:
            wanted.append((job, job_stamp))
    return done, wanted


class _Progress:
    """The results so far, on a progress bar (stderr); each failure also as one line above it."""

    def __init__(self, total: int, enabled: bool):
        from tqdm import tqdm

        self.results: list[Result] = []
        self.bar = tqdm(total=total, unit="report", disable=not enabled, file=sys.stderr, dynamic_ncols=True)

    def record(self, result: Result) -> None:
        self.results.append(result)
        self.bar.update(1)
        if result.status == "failed":
            self.bar.write(f"failed: {result.job.kind} {result.job.key}: {result.error}", file=sys.stderr)

    def close(self) -> None:
        self.bar.close()


def refresh_notebooks(names=None, notebooks_dir: Path | str | None = None) -> list[Path]:
    """Re-execute the committed notebooks in place with their default parameters (what nbval compares).

    Run after the data changes: ``python -m analysis.batch`` (no timing metadata is written, so the diff shows
    only what the data changed).
    """
    import nbformat
    from nbclient import NotebookClient

    folder = config.notebooks_dir(notebooks_dir)
    done = []
    for name in names or [*NOTEBOOK.values(), *(notebook for notebook, _ in RESEARCH.values()), "explore.ipynb"]:
        path = folder / name
        nb = nbformat.read(path, as_version=4)
        NotebookClient(
            nb, kernel_name=KERNEL, timeout=600, record_timing=False, resources={"metadata": {"path": str(folder)}}
        ).execute()
        _without_widget_views(nb)
        nbformat.write(nb, path)
        done.append(path)
    return done


def _without_widget_views(nb) -> None:
    """Drop the live widgets from the outputs: opened without their kernel, the Lab would show "Error displaying
    widget"; the static picture beside them (text/html) stays, and is what nbval, the site and the Lab show."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
