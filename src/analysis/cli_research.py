"""The research side of ``treaty-exits``: the notebooks and the replication package.

Why a module of its own: ``cli`` holds the data, status and report commands and had reached the size cap; these
commands share nothing with them but the way they fail (``cli_common.fail``). ``cli`` adds them to its app.
"""

from __future__ import annotations

from pathlib import Path

import typer

from .cli_common import fail

__all__ = ["commands"]

commands = typer.Typer(add_completion=False)


@commands.command()
def notebooks(copy: Path | None = typer.Option(None, "--copy", help="copy the report notebooks into this folder")):
    """Where the report notebooks are; with --copy, editable copies of them in a folder of your choice."""
    import shutil

    from . import config

    found = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
    if not found:
        fail(f"no notebooks in {config.NOTEBOOKS_DIR}")
    if copy is None:
        typer.echo("\n".join(str(path) for path in found))
        return
    copy.mkdir(parents=True, exist_ok=True)
    for path in found:
        if (copy / path.name).exists():
            fail(f"{copy / path.name} exists: choose an empty folder (nothing was overwritten)")
    for path in found:
        shutil.copy2(path, copy / path.name)
    typer.echo(f"copied {len(found)} notebooks to {copy}")


@commands.command()
def replicate(out: Path = typer.Argument(..., help="a new (or empty) folder for the replication package")):
    """Write a replication package: the exact data, code, environment lock, the research notebooks executed (HTML,
    tables as CSV), a README after the AEA Data Editor's template, and rerun.sh, which reruns and compares."""
    from .replicate import build

    try:
        folder = build(out)
    except (ValueError, OSError, RuntimeError) as exc:
        fail(" ".join(str(exc).split()))
    typer.echo(f"wrote {folder}; rerun it with: sh {folder / 'rerun.sh'}")
