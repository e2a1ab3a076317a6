"""When each step of a 20-report build happens (issue 24): the kernels' start and warm-up, the plan, the index's
data made during the build, each report, the index. One process, timestamps from its start.

Why: the wall time of the builder is not its CPU divided by the cores; this shows what waits on what (the
kernels' warm-up is the critical path). Run: ``.venv/bin/python benchmarks/timeline_reports.py [OUT]``; another
checkout's code side by side: ``PYTHONPATH=<checkout>/src`` before it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

T0 = time.perf_counter()


def mark(what: str) -> None:
    print(f"{time.perf_counter() - T0:6.2f} s  {what}", flush=True)


def _wrap(owner, name: str, before: str | None, after: str) -> None:
    """Replace ``owner.name`` by the same function with a mark before and after it (if the code has it: an older
    checkout, run side by side, may not)."""
    original = getattr(owner, name, None)
    if original is None:
        return

    def marked(*args, **kwargs):
        if before:
            mark(before)
        result = original(*args, **kwargs)
        mark(after)
        return result

    setattr(owner, name, marked)


def _wrap_kernel_start(pool) -> None:
    original = pool.WarmKernel.start

    async def start(self, *args, **kwargs):
        mark("a kernel starts")
        result = await original(self, *args, **kwargs)
        mark("a kernel is warm")
        return result

    pool.WarmKernel.start = start


def main(out: str) -> None:
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from bench_reports import COUNTRIES

    from analysis.batch import pool, run

    mark("imports; load average {:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg()))
    _wrap_kernel_start(pool)
    _wrap(run, "_planned", None, "planned (data, jobs, stamps)")
    _wrap(run, "prepare", "the index's data: start", "the index's data: done")
    _wrap(run, "index_html", "index: start", "index: done")
    record = run._Progress.record
    run._Progress.record = lambda self, result: (record(self, result), mark(f"report {len(self.results)} done"))
    run.build_reports(countries=COUNTRIES[:20], out=out, progress=False)
    mark("returned")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="timeline-"))
