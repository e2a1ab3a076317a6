"""The warm-kernel pool: one worker thread per kernel, each kernel started and warmed once, then reused.

A worker reads tasks from one queue and puts results on another; the parent puts the tasks and reads the
results. Workers are created (and their kernels start booting) before the parent loads the data, so the two
overlap. A dead or timed-out kernel is restarted, and only the report it was running fails.

papermill, nbclient and jupyter_client are imported inside functions: importing this module stays cheap.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import queue
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .plan import Job, Result, one_line
from .zygote import Zygote, can_fork, fork_provisioner

__all__ = ["KERNEL", "Task", "WarmKernel", "Worker", "Pool"]

KERNEL = "python3"


@dataclass
class Task:
    """One report for a worker: the job, its notebook (shared, never edited: the worker parameterizes a copy)
    and what the page needs besides the executed notebook (handed to the worker's ``finish``)."""

    job: Job
    notebook: object  # nbformat.NotebookNode
    page: dict


#: ``finish(task, executed_notebook)``: what a worker does with a notebook once it ran (render and write it).
Finish = Callable[[Task, object], None]


class WarmKernel:
    """One kernel, warmed once and reused for every notebook; restarted if it dies."""

    # the modules every report uses, imported into the kernel's namespace (cheap in a forked kernel: loaded)
    IMPORTS = (
        "import io, analysis, analysis.plots, analysis.tables, analysis.params\n"
        "import matplotlib, matplotlib.pyplot, pandas\n"
    )
    # the kernel's own settings (IPython's): paid by every kernel, forked or not.
    # Figures are SVG with text as text (no rasterizing, no PNG encoding: about half the time and half the bytes
    # of a PNG), ids from a fixed salt and no date (the same report is the same page, on any worker); they are
    # already laid out (tight_layout), so the inline backend need not draw them twice to crop.
    SET_UP = IMPORTS + (
        "%matplotlib inline\n"
        "matplotlib.rcParams.update({'svg.fonttype': 'none', 'svg.hashsalt': 'treaty-exits'})\n"
        "%config InlineBackend.figure_formats = ['svg']\n"
        "%config InlineBackend.print_figure_kwargs = {'bbox_inches': None, 'metadata': {'Date': None}}\n"
        # matplotlib's own hook drew every open figure with Agg after each cell (a raster no page uses) before
        # the inline backend's drew it again as SVG: about a third of a figure's cost, gone
        "for _f in [f for f in get_ipython().events.callbacks['post_execute']\n"
        "           if getattr(f, '__name__', '') == '_draw_all_if_interactive']:\n"
        "    get_ipython().events.unregister('post_execute', _f)\n"
        # the kernel's logger sat at DEBUG (its handler drops what is below WARNING): a record made and dropped
        # four times a cell, 6 ms a report; warnings and errors are logged as before
        "get_ipython().kernel.log.setLevel('WARNING')\n"
    )
    # what is paid once per process (plain Python: the zygote runs it too, ``zygote``): the data, its status steps
    # and exit table, and one report's worth of figure and table (fonts, caches)
    WARM_CACHES = IMPORTS + (
        "_ds = analysis.load()\nanalysis.transitions(_ds)\nanalysis.withdrawals(_ds)\n"
        # to warm the caches only: a state the data draws badly fails its own report, not every kernel's warm-up
        "try:\n"
        "    _p = analysis.country_profile(_ds.states.index[0], ds=_ds)\n"
        "    analysis.plots.country_timeline(_p).savefig(io.BytesIO(), format='svg')\n"
        "    analysis.tables.status_dates(_p, _ds)._repr_html_()\n"
        "    del _p\n"
        "except Exception:\n"
        "    pass\n"
        "matplotlib.pyplot.close('all')\ndel _ds\n"
    )
    # the names a report may not remove (``CLEAN_UP`` drops every other)
    KEEP = "_treaty_exits_keep = set(globals()) | {'_treaty_exits_keep'}"
    # a kernel started the usual way warms itself; a forked one inherits the zygote's warm caches
    WARM_UP = SET_UP + WARM_CACHES + KEEP
    FORKED_SET_UP = SET_UP + KEEP
    # between reports: drop what the last notebook defined (cheaper than %reset, which also collects garbage):
    # its names, and what IPython kept of it: the output cache (Out, and _5, _12 ... for each result shown) and
    # the inputs (_i5 ...). Left alone, the cache held every table of every report (a kernel grew by ~80 MB over
    # 500 reports) and, at 1,000 entries, IPython printed a warning into the report that hit the limit.
    CLEAN_UP = (
        "import matplotlib.pyplot as _plt\n_plt.close('all')\nOut.clear()\n"
        "for _k in [k for k in list(globals()) if k not in _treaty_exits_keep]:\n"
        "    del globals()[_k]\n"
    )

    # every COLLECT_EVERY reports, a full garbage collection too: figures and frames hold reference cycles, which
    # Python's oldest generation collects rarely (a kernel's peak went from 247 MB after 116 reports to 297 MB
    # after 500, see benchmarks/results.md)
    COLLECT_EVERY = 25
    # and a fresh kernel every RESTART_EVERY reports: even so, a kernel still grew (392 MB after ~1,200 reports of
    # the full grid, 253 MB after the site's ~116); a new one costs one warm-up (~2-3 s) and bounds its memory:
    # every 60 reports the site's largest kernel peaked at 241 MB, in 67.9 s against 65.9 s (results.md)
    RESTART_EVERY = 60

    # no input history on disk: IPython wrote every cell of every report to its SQLite file (a thread's CPU, and
    # the builder's kernels shared one file with each other and with the user's own sessions)
    ARGUMENTS = ("--HistoryManager.enabled=False",)

    def __init__(self, cwd: Path, timeout: int, zygote: Zygote | None = None):
        self.cwd, self.timeout, self.zygote = cwd, timeout, zygote
        self.km = self.kc = None
        self.runs = 0

    async def start(self, while_booting: Callable[[], object] | None = None) -> None:
        """Start the kernel (forked from the zygote if there is one) and warm it up (imports, data, status steps);
        `while_booting()` runs meanwhile, in a thread of its own."""
        from jupyter_client.manager import AsyncKernelManager

        await self.stop()  # a half-started kernel from an earlier attempt
        self.km = AsyncKernelManager(kernel_name=KERNEL)
        if self.zygote is not None:
            self.km.provisioner = fork_provisioner(self.km, self.zygote)
        # the kernel's own start-up chatter (e.g. ipykernel's TCP warning) would break the progress bar
        launch = self.km.start_kernel(
            cwd=str(self.cwd), stderr=subprocess.DEVNULL, extra_arguments=list(self.ARGUMENTS)
        )
        # the kernel boots (a fork waits for the zygote's warm-up) while this process does `while_booting()`
        await asyncio.gather(launch, asyncio.to_thread(while_booting or (lambda: None)))
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=120)  # (it drains the shell channel: execute only after it)
        forked = getattr(self.km.provisioner, "forked", False)
        await self._run(self.FORKED_SET_UP if forked else self.WARM_UP, timeout=120)

    async def stop(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            with contextlib.suppress(Exception):  # already gone
                await self.km.shutdown_kernel(now=True)
        self.km = self.kc = None

    async def is_alive(self) -> bool:
        return self.km is not None and await self.km.is_alive()

    async def _run(self, code: str, timeout: float = 60):
        """Run the builder's own code (warm-up, clean-up) in the kernel; its failure raises, never passes silently
        (a warm-up that stopped half-way would leave every report slower, and a clean-up that failed would leak
        one report's names into the next)."""
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        while True:
            reply = await self.kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"kernel set-up failed: {content.get('ename')}: {content.get('evalue')}")
        return reply

    async def execute(self, nb) -> None:
        """Run every cell of `nb` (in place) in this kernel, then clean the namespace for the next one."""
        from nbclient import NotebookClient

        if not await self.is_alive():
            await self.start()
        client = NotebookClient(
            nb,
            km=self.km,
            kernel_name=KERNEL,
            timeout=self.timeout,
            allow_errors=False,
            resources={"metadata": {"path": str(self.cwd)}},
        )
        client.kc = self.kc  # reuse this kernel's channels; the client does not own (nor shut down) the kernel
        try:
            await client.async_execute()
        finally:
            if await self.is_alive():
                try:  # a clean namespace and no figure left over for the next report
                    self.runs += 1
                    collect = "import gc as _gc\n_gc.collect()\n" if self.runs % self.COLLECT_EVERY == 0 else ""
                    await self._run(self.CLEAN_UP + collect, timeout=30)
                    if self.runs % self.RESTART_EVERY == 0:
                        await self.start()
                except Exception:
                    await self.start()


class Worker:
    """One thread's loop: boot a kernel, then take tasks from `tasks` until a None, one result each."""

    def __init__(
        self,
        tasks: queue.Queue,
        results: queue.Queue,
        cwd: Path,
        timeout: int,
        setup: Callable[[], Finish],
        zygote: Zygote | None = None,
    ):
        self.tasks, self.results = tasks, results
        self.kernel = WarmKernel(cwd, timeout, zygote)
        self.setup, self.finish = setup, None
        self.ready = False  # the kernel started and warmed

    def run(self) -> None:
        """The thread's body: its own event loop, for its own kernel."""
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        try:
            await self.boot()
            while (task := await asyncio.to_thread(self.tasks.get)) is not None:
                self.results.put(await self.build(task))
        finally:
            await self.kernel.stop()

    async def boot(self) -> None:
        """Start and warm the kernel; a failure here is not fatal (the next task retries and fails with it)."""
        try:
            await self._start_kernel()
        except Exception:  # retried for the next task, which then fails with the reason
            self.ready = False

    async def _start_kernel(self) -> None:
        """Start the kernel, and meanwhile set up ``finish`` (nbconvert's exporter: ~0.7 s of templates)."""
        await self.kernel.start(self._set_up_finish)
        self.ready = True

    def _set_up_finish(self) -> None:
        self.finish = self.finish or self.setup()

    async def build(self, task: Task) -> Result:
        """Parameterize a copy of the notebook, run it, finish it; any failure is this report's only."""
        from papermill.parameterize import parameterize_notebook

        started = time.perf_counter()
        try:
            if not self.ready:
                await self._start_kernel()
            self._set_up_finish()
            nb = parameterize_notebook(copy.deepcopy(task.notebook), dict(task.job.params), report_mode=False)
            await self.kernel.execute(nb)
            self.finish(task, nb)
            return Result(task.job, "built", seconds=time.perf_counter() - started)
        except Exception as exc:
            await self._recover(exc)
            return Result(task.job, "failed", one_line(exc), time.perf_counter() - started)

    async def _recover(self, exc: Exception) -> None:
        """After a dead kernel or a timeout, a fresh kernel for the next report."""
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        if isinstance(exc, (DeadKernelError, CellTimeoutError)) or (
            self.kernel.km is not None and not await self.kernel.is_alive()
        ):
            try:
                await self.kernel.start()
            except Exception:
                self.ready = False


class Pool:
    """`size` workers, started on creation. Use as a context manager: leaving it stops and joins them."""

    def __init__(self, size: int, cwd: Path, timeout: int, setup: Callable[[], Finish]):
        self.tasks: queue.Queue = queue.Queue()
        self.results: queue.Queue = queue.Queue()
        # first of all, the process the kernels are forked from: it warms up while the rest starts
        self.zygote = Zygote(cwd, WarmKernel.WARM_CACHES) if can_fork() else None
        self.workers = [Worker(self.tasks, self.results, cwd, timeout, setup, self.zygote) for _ in range(size)]
        self.threads = [
            threading.Thread(target=worker.run, name=f"report-worker-{i}", daemon=True)
            for i, worker in enumerate(self.workers)
        ]
        self.submitted = 0
        for thread in self.threads:
            thread.start()

    def submit(self, task: Task) -> None:
        self.tasks.put(task)
        self.submitted += 1

    def collect(self) -> Iterator[Result]:
        """Every submitted task's result, as each finishes."""
        for _ in range(self.submitted):
            yield self._next_result()

    def _next_result(self) -> Result:
        while True:
            try:
                return self.results.get(timeout=1)
            except queue.Empty:
                if not any(thread.is_alive() for thread in self.threads):  # never wait for a worker that died
                    raise RuntimeError("every report worker stopped before its reports were done") from None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:  # do not start reports nobody will wait for
            with contextlib.suppress(queue.Empty):
                while True:
                    self.tasks.get_nowait()
        for _ in self.threads:
            self.tasks.put(None)  # one stop signal per worker, after the last task
        for thread in self.threads:
            thread.join()
        if self.zygote is not None:  # after the workers stopped their kernels
            self.zygote.close()
