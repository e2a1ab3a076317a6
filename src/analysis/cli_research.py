"""`treaty-exits replicate`: the replication package of the research results.

Kept apart from the questions people ask of the data (cli.py) and the data-keeping commands (cli_data.py), so
each module stays one concern; ``register`` adds it to the one ``treaty-exits`` app.
"""

from __future__ import annotations

from pathlib import Path

import typer

from .cli_data import fail


def replicate(out: Path = typer.Argument(..., help="a new (or empty) folder for the replication package")):
    """Write a replication package: the exact data, code, environment lock, the research notebooks executed (HTML,
    tables as CSV), a README after the AEA Data Editor's template, and rerun.sh, which reruns and compares."""
    from .replicate import build

    try:
        folder = build(out)
    except (ValueError, OSError, RuntimeError) as exc:
        fail(" ".join(str(exc).split()))
    typer.echo(f"wrote {folder}; rerun it with: sh {folder / 'rerun.sh'}")


def register(app: typer.Typer) -> None:
    """Add the research commands to the app."""
    app.command()(replicate)
