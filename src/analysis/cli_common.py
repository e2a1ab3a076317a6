"""What every part of the ``treaty-exits`` command line shares: how a command fails, in one line.

Why a module of its own: the commands are split by concern (``cli`` for the data, statuses and reports,
``cli_research`` for the notebooks and the replication package), and each must fail the same way: one line on
standard error starting with "error:", exit code 2 for bad input, no traceback.
"""

from __future__ import annotations

import typer

__all__ = ["fail"]


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
