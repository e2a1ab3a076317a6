"""`treaty-exits` command line: build and check the data, ask a status, build the reports."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import typer

from .cli_data import fail as _fail
from .cli_data import register
from .cli_research import register as register_research

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Arms-control treaty participation and exits: data, checks and reports.",
)


def _print_versions(asked: bool) -> None:
    if asked:
        from .about import versions

        typer.echo(versions())
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_print_versions, help="print the package and data versions"
    ),
):
    """Arms-control treaty participation and exits: data, checks and reports."""


register(app)  # validate, build-data, diff-snapshots, refresh, codebook (cli_data.py)


@app.command()
def status(
    country: str,
    treaty: str,
    on: str | None = typer.Option(None, help="day YYYY-MM-DD (default: the dataset's status date)"),
):
    """Print the status of COUNTRY in TREATY on a day; a day past the treaty's record is marked as projected."""
    import warnings

    from .status import BeyondRecordWarning
    from .status import status as status_of

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", BeyondRecordWarning)
            answer = status_of(country, treaty, on=on)
    except ValueError as exc:  # an unknown country, treaty or day
        _fail(" ".join(str(exc).split()))
    for warning in caught:
        if issubclass(warning.category, BeyondRecordWarning):
            typer.echo(f"warning: {warning.message}", err=True)
    typer.echo(answer.label)


@app.command()
def parties(
    treaty: str,
    on: str | None = typer.Option(None, help="day YYYY-MM-DD (default: the dataset's status date)"),
    basis: str = typer.Option("in_force", help="in_force, deposited, or unoda (the NPT count UNODA publishes)"),
    npt_dprk: str = typer.Option("exclude", help="NPT only: exclude or include the DPRK after its withdrawal"),
):
    """Count the parties of TREATY on a day and say which definition the count used."""
    from .counts import parties_text

    try:
        typer.echo(parties_text(treaty, on, basis, npt_dprk))
    except ValueError as exc:  # an unknown treaty or day, a basis or npt_dprk not offered
        _fail(" ".join(str(exc).split()))


@app.command()
def exits(
    since: str | None = typer.Option(None, help="only exits taking effect on or after YYYY-MM-DD"),
    country: str | None = typer.Option(None, help="only this state"),
    csv: Path | None = typer.Option(None, help="write every column to this CSV file"),
):
    """List the exits (withdrawals, signatures withdrawn, ratifications revoked, suspensions) with their timing."""
    from .config import outside_data
    from .countries import UnknownCountryError, resolve_country
    from .exits import exits_since, withdrawals

    try:
        csv = csv and outside_data(csv, "--csv")
        w = exits_since(since) if since is not None else withdrawals()
        if country:
            w = w[w["state"] == resolve_country(country)]
    except (UnknownCountryError, ValueError) as exc:
        _fail(str(exc))
    if csv:
        w.to_csv(csv, index=False)
        return typer.echo(f"wrote {len(w)} exits to {csv}")
    cols = "state treaty_name kind announced notice_deposited effective notice_required notice_given_days status"
    typer.echo(w[cols.split()].to_string(index=False) if len(w) else "no exits")


@app.command()
def currency(
    today: str | None = typer.Option(None, help="the day to age the records on, YYYY-MM-DD (default: today)"),
    csv: Path | None = typer.Option(None, help="write every column to this CSV file"),
):
    """How current each treaty's record is: the day it stops, the source dated that day, the acts held after
    it (those from a later source flagged) and its age; records over a year old are marked OLD."""
    from .currency import currency as table

    try:
        rows = table(today)
    except ValueError as exc:  # a day that is not a day
        _fail(" ".join(str(exc).split()))
    if csv:
        rows.to_csv(csv, index=False)
        typer.echo(f"wrote {len(rows)} treaties to {csv}")
        return
    sources = list(dict.fromkeys(s for s in rows["source"] if s))
    shown = rows.assign(
        record_stops=rows["known_until"].dt.strftime("%Y-%m-%d").fillna("(events only)"),
        age=[f"{y:.1f} y" if y == y else "" for y in rows["age_years"]],
        acts_after=[
            f"{n} ({k} later source)" if k else str(n) for n, k in zip(rows["acts_after"], rows["later_source_acts"])
        ],
        old=rows["stale"].map({True: "OLD", False: ""}),
        source=[f"[{sources.index(s) + 1}]" if s else "" for s in rows["source"]],
    )
    typer.echo(f"How current each treaty's record is, on {rows.attrs['today']:%Y-%m-%d}:")
    typer.echo(shown[["short_name", "record_stops", "age", "old", "acts_after", "source"]].to_string(index=False))
    typer.echo("\n".join(f"[{i}] {s}" for i, s in enumerate(sources, 1)))


AS_OF_HELP = "status day YYYY-MM-DD (default: the data's status date), or several, one report each: a list "
AS_OF_HELP += "2020-01-01,2025-01-01 or a range 1995-01-01:2026-01-01:1Y (steps 1Y, 6M, 1M ...)"


@app.command()
def reports(
    countries: list[str] | None = typer.Option(
        None, "--countries", "-c", help="states (ISO3 or names); repeat the option or give a comma list"
    ),
    all_countries: bool = typer.Option(False, "--all", help="a report for every state in the registry"),
    treaties: list[str] | None = typer.Option(
        None, "--treaties", "-t", help="treaty ids (repeat or comma list), or 'all'"
    ),
    overview: bool = typer.Option(False, "--overview/--no-overview", help="also build the withdrawals overview"),
    research: bool = typer.Option(
        False, "--research/--no-research", help="also build the research notebooks (exit hazard, contagion)"
    ),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    jobs: int = typer.Option(
        0, "--jobs", "-j", help="parallel workers, one warm kernel each (default: cores, plus one forked kernel)"
    ),
    out: Path = typer.Option(Path("reports"), "--out", "-o", help="output folder"),
    resume: bool = typer.Option(
        False, "--resume", help="build only the reports whose inputs changed (rows, tables, day, notebook, package)"
    ),
    executor: str = typer.Option("local", "--executor", help="where reports run: local (warm kernels) or dask"),
    workers: int | None = typer.Option(None, "--workers", help="dask: worker processes of the LocalCluster started"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="dask: join a cluster, tcp://HOST:PORT"),
):
    """Build the country, treaty and overview reports as offline HTML, plus an index.html.

    Exit code 0 when every report was built, 1 when one failed (the others are still built), 2 for bad options.
    """
    from .batch.executor import executor_options
    from .params import ParameterError

    if not (countries or all_countries or treaties or overview or research):
        _fail("nothing to build: give --countries, --all, --treaties, --overview or --research")
    if jobs < 0:
        _fail(f"--jobs must be 1 or more, not {jobs}")
    day = _days_option(as_of, "--as-of")
    try:
        where = executor_options(executor, workers, scheduler)  # checked before anything starts
    except ValueError as exc:
        _fail(str(exc))
    from .batch import build_reports  # papermill and nbconvert load inside it, when a report is asked for

    try:
        result = build_reports(
            countries, all_countries, treaties, overview, day, jobs or None, out, resume, research=research, **where
        )
    except ParameterError as exc:  # a day after the data's status date; checked before any report runs
        _fail(str(exc))
    typer.echo(
        f"{result.count('built')} built, {result.count('skipped')} up to date, {len(result.failed)} failed in "
        f"{result.seconds:.1f} s → {out / 'index.html'}"
    )
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    for failed in result.failed:
        typer.echo(f"failed: {failed.job.kind} {failed.job.key}: {failed.error}", err=True)
    if result.failed:
        raise typer.Exit(1)


def _days_option(value: str | None, option: str) -> date | list[date] | None:
    """``--as-of``: one day as a date (``countries/LTU.html``), several as a sorted list (``LTU/2025-01-01.html``)."""
    from .batch.plan import parse_days
    from .schema import DayError

    if value is None:
        return None
    try:
        days = parse_days(value, option)
    except DayError as exc:
        _fail(str(exc))
    return days[0] if len(days) == 1 else days


@app.command()
def export(
    panel: str | None = typer.Option(None, "--panel", help="the state × treaty × period panel: Y, M or D"),
    spells: bool = typer.Option(False, "--spells", help="the status spells"),
    events: bool = typer.Option(False, "--events", help="the events as they are"),
    exits: bool = typer.Option(False, "--exits", help="one row per exit, with its reason codes"),
    reasons: bool = typer.Option(False, "--reasons", help="the stated reasons, coded and quoted"),
    out: Path | None = typer.Option(None, "--out", "-o", help="file to write (its suffix gives the format)"),
    format: str | None = typer.Option(None, "--format", "-f", help="csv, parquet, dta (Stata) or xlsx"),
    start: str | None = typer.Option(None, help="the panel's first day YYYY-MM-DD"),
    end: str | None = typer.Option(None, help="the panel's last day YYYY-MM-DD"),
):
    """Write the events, spells, panel, exits or reasons as CSV, Parquet, Stata .dta (labelled) or Excel."""
    from .export import export as write

    pairs = (("panel", panel), ("spells", spells), ("events", events), ("exits", exits), ("reasons", reasons))
    chosen = [name for name, on in pairs if on]
    if len(chosen) != 1:
        _fail("say what to export: one of --panel Y|M|D, --spells, --events, --exits, --reasons")
    try:
        path = write(chosen[0], out, format=format, freq=panel or "Y", start=start, end=end)
    except (ValueError, OSError) as exc:
        _fail(str(exc))
    typer.echo(f"wrote {path}")


@app.command()
def cite(style: str = typer.Option("text", help="text, apa or bibtex")):
    """How to cite the dataset and the package, with the data version in use."""
    from .about import cite as citation

    try:
        typer.echo(citation(style))
    except ValueError as exc:
        _fail(str(exc))


@app.command()
def notebooks(copy: Path | None = typer.Option(None, "--copy", help="copy the report notebooks into this folder")):
    """Where the report notebooks are; with --copy, editable copies of them in a folder of your choice."""
    from . import config

    found = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
    if not found:
        _fail(f"no notebooks in {config.NOTEBOOKS_DIR}")
    if copy is None:
        return typer.echo("\n".join(str(path) for path in found))
    try:
        config.copy_notebooks(copy)
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    typer.echo(f"copied {len(found)} notebooks to {copy}")


register_research(app)  # replicate (cli_research.py)


def main() -> None:
    """The command line. Its process ends as soon as the command has: the exit handlers run and the output is
    flushed, but the interpreter does not then take apart, object by object, a heap that held the data, its
    tables and the report builder's state (0.3-0.4 s after a 20-report build, for memory the system frees at
    once anyway)."""
    try:
        app(prog_name="treaty-exits")
        code = 0
    except SystemExit as end:
        code = end.code
    _exit_now(code)


def _exit_now(code) -> None:
    """``sys.exit(code)``'s meaning (None is 0, a text is printed and is 1), without the interpreter's teardown."""
    import atexit
    import contextlib
    import os

    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (| head) or stream
            stream.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    sys.exit(main())
