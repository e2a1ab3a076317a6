"""The Dask executor: reports run on the workers of a Dask cluster, pages are written here.

Each Dask worker gets one warm kernel for its lifetime (``KernelPlugin``, a worker plugin registered with the
cluster, so workers that join or restart later get one too). A task runs one report in that kernel, renders the
page with the worker's own exporter and returns it; this process writes every page atomically and keeps the
index. A report that fails, or whose worker is lost, is submitted once more, preferably to another worker; only
that report fails if the second attempt fails too.

Workers need the package installed (the same version: the task is ``analysis.batch.cluster.run_report``) and
the notebooks and data at the paths this process names. This module is imported only when Dask is asked for.
``docs/scaling.md`` shows a cluster on several machines.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin

from .. import config
from ..dataset import load
from .guard import check_scheduler
from .plan import Job, Result, one_line
from .pool import Task, Worker
from .render import exporter, render_html, write_page

__all__ = ["DaskExecutor", "KernelPlugin", "run_report", "PLUGIN_NAME"]

PLUGIN_NAME = "treaty-exits-kernel"


class PageRenderer:
    """A kernel worker's ``finish`` step on a Dask worker: render the page and keep it to be returned."""

    def __init__(self):
        self.exporter = exporter()
        self.page: str | None = None

    def __call__(self, task: Task, nb) -> None:
        self.page = render_html(nb, f"{task.job.title} · treaty-exits", task.page, self.exporter)

    def take(self) -> str | None:
        page, self.page = self.page, None
        return page


class KernelPlugin(WorkerPlugin):
    """One warm kernel per Dask worker, started when the worker starts and stopped when it stops.

    The kernel is driven from an event loop of its own (a thread), never from the worker's loop, which must stay
    free for the scheduler's heartbeats. Reports run one at a time (a lock), whatever the worker's thread count.
    """

    name = PLUGIN_NAME

    def __init__(self, cwd: str, timeout: int):
        self.cwd, self.timeout = cwd, timeout

    def setup(self, worker=None) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="treaty-exits-kernel", daemon=True).start()
        self.renderer = PageRenderer()
        # the client's notebook folder, or this machine's own where that path does not exist here
        cwd = Path(self.cwd) if Path(self.cwd).is_dir() else config.notebooks_dir()
        self.kernel_worker = Worker(None, None, cwd, self.timeout, setup=lambda: self.renderer)
        self.version: str | None = None  # of the data this worker's kernel reads, looked up at the first report
        self.lock = threading.Lock()
        self.booting = asyncio.run_coroutine_threadsafe(self.kernel_worker.boot(), self.loop)

    def teardown(self, worker=None) -> None:
        stopping = asyncio.run_coroutine_threadsafe(self.kernel_worker.kernel.stop(), self.loop)
        try:
            stopping.result(timeout=30)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)

    def build(self, task: Task) -> tuple[Result, str | None]:
        """Run one report in this worker's kernel: its result, and its page when it was built. A worker whose data
        is not the client's (another version) builds nothing: its pages would carry the wrong version."""
        with self.lock:
            self.version = self.version or load().version
            if self.version != task.page["version"]:
                error = f"DataMismatch: this worker has data {self.version}, the build {task.page['version']}"
                return Result(task.job, "failed", error), None
            self.booting.result()
            result = asyncio.run_coroutine_threadsafe(self.kernel_worker.build(task), self.loop).result()
            return result, self.renderer.take()


def run_report(job: Job, page: dict, notebook) -> tuple[Result, str | None, str]:
    """The Dask task: one report in the worker's warm kernel → (result, page or None, the worker's address)."""
    from distributed import get_worker

    worker = get_worker()
    result, html = worker.plugins[PLUGIN_NAME].build(Task(job, notebook, page))
    return result, html, worker.address


class DaskExecutor:
    """Reports on a Dask cluster: joins ``scheduler`` (tcp://HOST:PORT), or starts a LocalCluster of `workers`
    processes, one thread each. Use as a context manager; leaving it closes what it started."""

    def __init__(self, out: Path, cwd: Path, timeout: int, workers: int = 2, scheduler: str | None = None):
        import dask
        from distributed import Client, LocalCluster, as_completed

        self.out, self.cluster = Path(out), None
        if scheduler:
            check_scheduler(scheduler)  # one line within seconds, not a long wait or a traceback
            self.client = Client(scheduler)
        else:
            # a worker lost while running a report fails that task at once; the retry below sends it elsewhere
            with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
                self.cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self.client = Client(self.cluster)
        self.client.register_plugin(KernelPlugin(str(cwd), timeout), name=PLUGIN_NAME)
        self.running = as_completed()
        self.attempts: dict = {}  # future → (task, attempt number)
        self.notebooks: dict[int, object] = {}  # id(notebook) → the notebook, scattered to every worker once

    def _notebook(self, notebook):
        key = id(notebook)
        if key not in self.notebooks:
            self.notebooks[key] = self.client.scatter(notebook, broadcast=True)
        return self.notebooks[key]

    def submit(self, task: Task, attempt: int = 1, avoid: str | None = None) -> None:
        """Send one report to the cluster; a second attempt prefers any worker but the one that failed it."""
        where = {}
        if avoid:  # (asking the scheduler for its workers is a round trip: only for a retry)
            others = [address for address in self.client.scheduler_info()["workers"] if address != avoid]
            if others:  # a preference: if the others are gone, any worker will do
                where = {"workers": others, "allow_other_workers": True}
        notebook = self._notebook(task.notebook)
        future = self.client.submit(run_report, task.job, task.page, notebook, pure=False, **where)
        self.attempts[future] = (task, attempt)
        self.running.add(future)

    def collect(self) -> Iterator[Result]:
        """Every task's result as it finishes; a page is written here as soon as it arrives."""
        for future in self.running:
            task, attempt = self.attempts.pop(future)
            result, page, where = self._outcome(future, task)
            future.release()
            if result.status == "failed" and attempt == 1:
                self.submit(task, attempt=2, avoid=where)
                continue
            if page is not None:
                try:
                    write_page(self.out / task.job.path, page)  # the page and the CSV files it links
                except OSError as exc:
                    result = Result(task.job, "failed", one_line(exc), result.seconds)
            yield result

    def _outcome(self, future, task: Task) -> tuple[Result, str | None, str | None]:
        """The task's (result, page, worker); a lost worker or a task error is a failed result."""
        try:
            return future.result()
        except Exception as exc:  # KilledWorker, a lost connection, an error outside the kernel
            return Result(task.job, "failed", one_line(exc)), None, None

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        for future in list(self.attempts):
            future.cancel()
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
