"""Which reports to build, with which parameters, and what each was built from (the stamp ``--resume`` reads).

Nothing here runs a notebook: the plan is made in the parent process while the workers' kernels boot.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import config

__all__ = [
    "NOTEBOOK",
    "RESEARCH",
    "notebook_of",
    "SAFE_PATH",
    "Job",
    "Result",
    "BuildResult",
    "one_line",
    "split_list",
    "plan",
    "expected_count",
    "notebook_hash",
    "stamp",
    "read_stamp",
]

#: The notebook behind each kind of report, in ``config.notebooks_dir()``.
NOTEBOOK = {
    "country": "country_report.ipynb",
    "treaty": "treaty_report.ipynb",
    "overview": "withdrawals_overview.ipynb",
}
#: The research notebooks (``--research``): each one report with its defaults, key → (notebook, title).
RESEARCH = {
    "exit_hazard": ("exit_hazard.ipynb", "Who leaves, and when (exit hazard)"),
    "contagion": ("contagion.ipynb", "Do exits come in waves beyond chance?"),
}
#: The only page paths a build writes: ids are ISO3 codes and treaty slugs, validated with the data.
SAFE_PATH = re.compile(r"(countries/[A-Z]{3}|treaties/[a-z0-9_]+|overview|research/(?:exit_hazard|contagion))\.html")
#: Stands for "every state" / "every treaty" before the data is loaded (see ``expected_count``).
_MANY = 10**6


@dataclass
class Job:
    kind: str  # country | treaty | overview | research
    key: str  # ISO3, treaty id, "overview", a research notebook's key
    title: str
    params: dict
    path: str  # relative to the output folder
    error: str | None = None  # failed before running (e.g. unknown country)


@dataclass
class Result:
    job: Job
    status: str  # built | skipped | failed
    error: str = ""
    seconds: float = 0.0


@dataclass
class BuildResult:
    out: Path
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # e.g. --jobs capped by the memory

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status == "failed"]

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)


def one_line(exc: BaseException) -> str:
    """An exception as one line: 'Name: message' (for a failed cell, the cell's own exception)."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if isinstance(exc, CellExecutionError) and getattr(exc, "ename", None):
        name, msg = exc.ename, exc.evalue or ""
    elif isinstance(exc, CellTimeoutError):
        name, msg = "Timeout", str(exc).splitlines()[0] if str(exc) else "a cell ran too long"
    elif isinstance(exc, DeadKernelError):
        name, msg = "KernelDied", str(exc)
    else:
        name, msg = type(exc).__name__, str(exc)
    msg = re.sub(r"\x1b\[[0-9;]*m", "", msg)  # ANSI colours
    msg = " ".join(msg.split())
    return f"{name}: {msg}" if msg else name


def split_list(values) -> list[str]:
    """['LTU,EST', 'FIN'] → ['LTU', 'EST', 'FIN'] (repeatable options and comma lists alike)."""
    out = []
    if isinstance(values, str):
        values = [values]
    for value in values or []:
        out += [item.strip() for item in str(value).split(",") if item.strip()]
    return out


def _wants_all(names: list[str]) -> bool:
    return any(name.lower() == "all" for name in names)


def notebook_of(job: Job) -> str:
    """The notebook file a job runs."""
    return RESEARCH[job.key][0] if job.kind == "research" else NOTEBOOK[job.kind]


def expected_count(countries, all_countries, treaties, overview, research: bool = False) -> int:
    """How many reports were asked for, known before the data is loaded (to start that many kernels at most)."""
    treaty_names = split_list(treaties)
    if all_countries or _wants_all(treaty_names):
        return _MANY
    return len(split_list(countries)) + len(treaty_names) + bool(overview) + len(RESEARCH) * bool(research)


def _checked(job: Job) -> Job:
    """A job whose page path is not one a validated id makes is failed, never written anywhere."""
    if not SAFE_PATH.fullmatch(job.path):
        return Job(job.kind, job.key, job.key, {}, "", error=f"{job.key!r} is not a valid id for a page's file name")
    return job


def _country_jobs(names, on: str | None) -> list[Job]:
    from .. import params
    from ..countries import country_name

    jobs = []
    for raw in names:
        try:
            iso3 = params.country(raw)
        except params.UnknownCountryError as exc:
            jobs.append(Job("country", raw, raw, {}, "", error=one_line(exc)))
            continue
        jobs.append(
            _checked(Job("country", iso3, country_name(iso3), {"country": iso3, "as_of": on}, f"countries/{iso3}.html"))
        )
    return jobs


def _treaty_jobs(names, on: str | None, ds) -> list[Job]:
    from .. import params

    jobs = []
    for raw in names:
        try:
            tid = params.treaty(raw, ds)
        except params.UnknownTreatyError as exc:
            jobs.append(Job("treaty", raw, raw, {}, "", error=one_line(exc)))
            continue
        title = ds.treaties.loc[tid, "short_name"]
        jobs.append(_checked(Job("treaty", tid, title, {"treaty": tid, "as_of": on}, f"treaties/{tid}.html")))
    return jobs


def plan(
    countries=None,
    all_countries=False,
    treaties=None,
    overview=False,
    as_of: date | None = None,
    ds=None,
    research: bool = False,
) -> list[Job]:
    """The reports to build, each once. Unknown countries or treaties become failed jobs (one line each), not an
    abort; a day after the data's status date raises ``params.ParameterError``."""
    from .. import params
    from ..dataset import load

    ds = ds or load()
    on = None if as_of is None else params.as_of(as_of, ds).isoformat()
    country_names = list(ds.states.index) if all_countries else split_list(countries)
    treaty_names = split_list(treaties)
    if _wants_all(treaty_names):
        treaty_names = list(ds.treaties.index)
    jobs = _country_jobs(country_names, on) + _treaty_jobs(treaty_names, on, ds)
    if overview:
        jobs.append(Job("overview", "overview", "Withdrawals overview", {}, "overview.html"))
    if research:
        jobs += [Job("research", key, title, {}, f"research/{key}.html") for key, (_, title) in RESEARCH.items()]
    unique = {(job.kind, job.key): job for job in reversed(jobs)}  # the first of duplicates wins ...
    return [job for job in jobs if unique[(job.kind, job.key)] is job]  # ... in the order asked


def notebook_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _template_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted((config.TEMPLATES_DIR / config.REPORT_TEMPLATE).rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def stamp(job: Job, version: str, nb_hash: str) -> str:
    """What a report was built from: data version, notebook hash, template, parameters."""
    return f"{version}|{nb_hash}|{_template_hash()}|{json.dumps(job.params, sort_keys=True)}"


# nbconvert re-serializes the page (attribute order, quotes): find the tag, then its content attribute
_STAMP_TAG = re.compile(r"<meta\b[^>]*\bname=[\"']treaty-exits-stamp[\"'][^>]*>")
_CONTENT = re.compile(r"\bcontent=(\"([^\"]*)\"|'([^']*)')")


def read_stamp(path: Path) -> str | None:
    """The stamp of a page built earlier (None if there is no page or no stamp)."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    tag = _STAMP_TAG.search(head)
    found = _CONTENT.search(tag.group(0)) if tag else None
    if not found:
        return None
    return html.unescape(found.group(2) if found.group(2) is not None else found.group(3))
