"""Where the reports run: an executor takes tasks and hands back one result per task, as each finishes.

Two executors share this shape (``submit(task)``, ``collect()``, a context manager that stops the workers):

- the local warm-kernel pool (``pool.Pool``, the default): one thread and one kernel per worker on this machine;
  each worker renders and writes its own pages;
- a Dask cluster (``cluster.DaskExecutor``): ``--scheduler tcp://HOST:PORT`` joins a running cluster,
  ``--executor dask --workers N`` starts a ``LocalCluster``; each Dask worker keeps one warm kernel and returns
  the rendered page, which this process writes.

The checks around a build (the output folder, a lock, a memory cap on ``--jobs``) belong to the run, not to an
executor: both executors get the same tasks and produce the same pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol

from .guard import check_scheduler
from .plan import Result
from .pool import Pool, Task
from .render import PageWriter

__all__ = ["Executor", "ExecutorChoice", "executor_options", "open_executor", "EXECUTORS"]

EXECUTORS = ("local", "dask")


class Executor(Protocol):
    def submit(self, task: Task) -> None: ...

    def collect(self) -> Iterator[Result]: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, exc_type, exc, tb) -> None: ...


@dataclass(frozen=True)
class ExecutorChoice:
    """What the command line asked for: ``local`` (default) or ``dask``; a scheduler address implies ``dask``."""

    kind: str = "local"
    workers: int | None = None  # dask: the LocalCluster's worker processes (default: the pool's size)
    scheduler: str | None = None  # dask: a running cluster's scheduler, tcp://HOST:PORT

    def __post_init__(self):
        if self.kind not in EXECUTORS:
            raise ValueError(f"--executor must be one of {', '.join(EXECUTORS)}, not {self.kind!r}")
        if self.scheduler and self.kind != "dask":
            object.__setattr__(self, "kind", "dask")
        if self.workers is not None and self.workers < 1:
            raise ValueError(f"--workers must be 1 or more, not {self.workers}")


def executor_options(kind: str, workers: int | None, scheduler: str | None) -> dict:
    """The command line's executor options as keyword arguments of ``build_reports``: {} for the default (the local
    pool), else ``{"executor": ExecutorChoice(...)}``; options that do not fit raise ValueError (one line)."""
    if kind == "local" and workers is None and scheduler is None:
        return {}
    if workers is not None and kind != "dask" and not scheduler:
        raise ValueError("--workers is for --executor dask (the local pool takes --jobs)")
    if scheduler:
        check_scheduler(scheduler)  # before anything starts, in one line
    return {"executor": ExecutorChoice(kind, workers, scheduler)}


def open_executor(choice: ExecutorChoice | None, size: int, cwd: Path, timeout: int, out: Path) -> Executor:
    """Start the executor asked for; its workers boot while the caller goes on (loads the data, plans)."""
    choice = choice or ExecutorChoice()
    if choice.kind == "local":
        return Pool(size, cwd=cwd, timeout=timeout, setup=partial(PageWriter, out))
    from .cluster import DaskExecutor  # distributed is imported only when asked for

    return DaskExecutor(out, cwd, timeout, workers=choice.workers or size, scheduler=choice.scheduler)
