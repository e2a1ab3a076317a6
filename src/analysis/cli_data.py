"""`treaty-exits` commands that keep the data: build it from the raw sources, validate it, refresh it from the
live depositary pages, compare snapshots, write the codebook. Kept apart from the questions people ask of the
data (cli.py) so each module stays one concern; ``register`` adds them to the one ``treaty-exits`` app."""

from __future__ import annotations

from pathlib import Path

import typer


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def needs_checkout(command: str, given: bool) -> None:
    """build-data and refresh rewrite data/ from ../shared: an installed copy has neither, so say so in one line."""
    from . import config

    if not config.IN_CHECKOUT and not given:
        fail(
            f"{command} rewrites data/ from the raw sources: run it in a checkout of treaty-exits with ../shared "
            "beside it (or give --data-dir and set TREATY_EXITS_SHARED); this is an installed copy"
        )


def validate(data_dir: Path | None = typer.Option(None, help="folder with the CSV files (default: data/)")):
    """Check every data file: schema, codes, dates and their order, notice periods, sources, duplicates."""
    from .config import DATA_DIR
    from .dataset import validate as run

    errors = run(d := data_dir or DATA_DIR)
    if len(errors) > 1:
        typer.echo("\n".join(errors), err=True)
    if errors:  # one error (a folder without its descriptor, say) is one line
        fail(errors[0] if len(errors) == 1 else f"{len(errors)} error(s) in {d}", 1)
    typer.echo(f"ok: {d} is valid")


def build_data(
    untc_dir: Path | None = typer.Option(None, help="folder of UNTC status pages (*.html)"),
    data_dir: Path | None = typer.Option(None, help="folder with the CSV files (default: data/)"),
):
    """Regenerate data/events.csv (and the notes register, datapackage.json) from the sources."""
    from . import config

    needs_checkout("build-data", data_dir is not None)
    from .sources.build import build

    pages = untc_dir or config.untc_dir()
    if not pages.exists():
        fail(f"{pages} not found: the depositary pages are read from ../shared (see data/README.md)")
    try:
        counts = build(pages, config.data_dir(data_dir))
    except (FileNotFoundError, ValueError) as exc:  # a hand-kept table the build reads (corrections, attributions)
        fail(str(exc))
    typer.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))


def diff_snapshots(
    old: Path = typer.Argument(..., help="older snapshot: folder of 2014 CSVs or of HTML pages"),
    new: Path = typer.Argument(..., help="newer snapshot folder"),
):
    """List what changed between two status snapshots, including actions that vanished without a note."""
    from .sources.snapshots import diff

    try:
        changes = diff(old, new)
    except (FileNotFoundError, ValueError) as exc:
        fail(str(exc))
    typer.echo("no differences" if changes.empty else changes.to_string(index=False))


def refresh(
    out: Path = typer.Option(Path("snapshots"), help="folder that receives the dated pages and the previous data"),
    base_url: str = typer.Option("https://treaties.un.org", help="where the status pages are served"),
    rebuild: bool = typer.Option(True, help="rebuild data/ from the new pages (else only download them)"),
    data_dir: Path | None = typer.Option(None, help="folder with the CSV files (default: data/)"),
    shared_dir: Path | None = typer.Option(None, help="folder of the UNODA/ICRC sources (default: ../shared/data)"),
    accept_removals: bool = typer.Option(False, help="accept the listed actions that vanished without a note"),
    page_timeout: float = typer.Option(60, help="seconds each page may take to arrive whole"),
    total_timeout: float = typer.Option(900, help="seconds the whole download may take"),
):
    """Download the live UNTC status pages and swap in the rebuilt data only if nothing got worse.

    The pages are checked (whole, header counts equal to the rows), the data are built beside data/, validated
    and compared; any problem refuses the swap, lists why and leaves data/ byte-identical.
    """
    import time

    from . import config
    from .sources.fetch import FetchError
    from .sources.refresh import RefreshRefused
    from .sources.refresh import refresh as run

    needs_checkout("refresh", data_dir is not None)
    from .sources.snapshots import download

    try:
        if not rebuild:
            deadline = time.monotonic() + total_timeout
            folder = download(out, base_url, config.data_dir(data_dir), timeout=page_timeout, deadline=deadline)
            typer.echo(f"saved pages in {folder}")
            return
        result = run(out, base_url, data_dir, shared_dir, accept_removals, page_timeout, total_timeout)
    except RefreshRefused as exc:
        for reason in exc.reasons:
            typer.echo(reason, err=True)
        fail(str(exc), 1)
    except (FetchError, OSError, ValueError) as exc:
        fail(f"refresh stopped, the data folder is unchanged: {' '.join(str(exc).split())}", 1)
    typer.echo(f"saved pages in {result.snapshot}; previous data kept in {result.previous}")
    for line in result.summary:
        typer.echo(line)
    typer.echo(f"ok: {config.data_dir(data_dir)} is valid")


def codebook(
    check: bool = typer.Option(False, help="only say whether docs/codebook.md is up to date"),
    out: Path | None = typer.Option(None, "--out", "-o", help="file to write (default: docs/codebook.md)"),
):
    """Regenerate the codebook from the schema and datapackage.json (or check that it is current)."""
    from . import codebook as book

    if check:
        if not book.is_current(out):
            fail("the codebook is stale: run `treaty-exits codebook`", 1)
        typer.echo("ok: the codebook is current")
        return
    try:
        typer.echo(f"wrote {book.write(out)}")
    except (OSError, ValueError) as exc:  # a path inside the data folder, say
        fail(str(exc))


def register(app: typer.Typer) -> None:
    """Add the data-keeping commands to the app (in the order `--help` lists them)."""
    app.command()(validate)
    app.command("build-data")(build_data)
    app.command("diff-snapshots")(diff_snapshots)
    app.command()(refresh)
    app.command()(codebook)
