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
from ..schema import DayError, add_months, parse_day

__all__ = [
    "parse_days",
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
SAFE_PATH = re.compile(
    r"((countries/[A-Z]{3}|treaties/[a-z0-9_]+)(/\d{4}-\d{2}-\d{2})?|overview|research/(?:exit_hazard|contagion))\.html"
)
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
    day: str | None = None  # a report of a series across time (``countries/LTU/2025-01-01.html``); None: single

    @property
    def ident(self) -> tuple[str, str, str]:
        """What names one report in a build: kind, key and (for a series across time) the day."""
        return (self.kind, self.key, self.day or "")


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
    as_of: date | list | None = None,
    ds=None,
    research: bool = False,
) -> list[Job]:
    """The reports to build, each once. Unknown countries or treaties become failed jobs (one line each), not an
    abort; a day after the data's status date raises ``params.ParameterError``.

    `as_of` is one day (or None: the status date), giving ``countries/LTU.html``; or a list of days (from
    ``plan.parse_days``), giving one report per state or treaty and day, ``countries/LTU/2025-01-01.html``
    (see ``dated``). A list of one day is one day.
    """
    from .. import params
    from ..dataset import load

    ds = ds or load()
    days = list(as_of) if isinstance(as_of, (list, tuple)) else None
    if days is not None and len(days) == 1:
        as_of, days = days[0], None
    on = None if as_of is None or days is not None else params.as_of(as_of, ds).isoformat()
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
    jobs = [job for job in jobs if unique[(job.kind, job.key)] is job]  # ... in the order asked
    return jobs if days is None else dated(jobs, days, ds)


def dated(jobs: list[Job], days: list[date], ds) -> list[Job]:
    """Each state's and treaty's report once per day, in its own folder; a day after the data's status date
    raises before anything runs. Failed names stay one entry; the overview (a period, not a day) stays single."""
    from .. import params

    checked = [params.as_of(day, ds).isoformat() for day in days]
    out = []
    for job in jobs:
        if job.error or job.kind not in ("country", "treaty"):
            out.append(job)
            continue
        folder = job.path.removesuffix(".html")
        for day in checked:
            out.append(Job(job.kind, job.key, job.title, {**job.params, "as_of": day}, f"{folder}/{day}.html", day=day))
    return out


def notebook_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _template_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted((config.TEMPLATES_DIR / config.REPORT_TEMPLATE).rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def stamp(job: Job, inputs: str, nb_hash: str) -> str:
    """What a report was built from: the hash of its inputs (``inputs.Inputs.of``: the package, the rows and
    tables it reads, its day), the notebook's hash, the template's, the parameters."""
    return f"inputs {inputs}|{nb_hash}|{_template_hash()}|{json.dumps(job.params, sort_keys=True)}"


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


# ---- several days: --as-of lists and ranges (each day read by schema.parse_day, the one day parser) ----------

_DAY_STEP = re.compile(r"([1-9]\d{0,2})([YMD])")
_DAY_STEP_MONTHS = {"Y": 12, "M": 1}
ACCEPTED_DAYS_LIST = "days YYYY-MM-DD separated by commas, or a range START:END:STEP with STEP like 1Y, 6M, 1M or 7D"
#: The most days one list or range may name (a monthly range over a century is 1,200).
MAX_DAYS = 5000


def _day_range(text: str, name: str) -> list[date]:
    """``START:END:STEP`` → START, START + STEP, START + 2 STEP ... up to END inclusive.

    Each day is START plus k steps (never the previous day plus one step), so 31 January + 1M, 2M ... gives
    28/29 February, 31 March, 30 April, not a drift to the 28th.
    """
    parts = text.split(":")
    if len(parts) != 3:
        raise DayError(f"{name} {text!r} is not a range; give {ACCEPTED_DAYS_LIST}")
    start, end = parse_day(parts[0], name), parse_day(parts[1], name)
    step = _DAY_STEP.fullmatch(parts[2].strip().upper())
    if step is None:
        raise DayError(f"{name} {text!r}: the step {parts[2]!r} is not one; give {ACCEPTED_DAYS_LIST}")
    if end < start:
        raise DayError(f"{name} {text!r}: the range ends before it starts")
    count, unit = int(step.group(1)), step.group(2)
    days, k = [], 0
    while (day := _step_from(start, k * count, unit)) <= end:
        days.append(day)
        k += 1
        if k > MAX_DAYS:
            raise DayError(f"{name} {text!r} names more than {MAX_DAYS} days; take a longer step")
    return days


def _step_from(start: date, steps: int, unit: str) -> date:
    if unit == "D":
        return date.fromordinal(start.toordinal() + steps)
    return add_months(start, steps * _DAY_STEP_MONTHS[unit])


def parse_days(value, name: str = "as_of") -> list[date]:
    """Several days from one option: a list ``2020-01-01,2025-01-01``, a range ``1995-01-01:2026-01-01:1Y``
    (steps ``NY``, ``NM``, ``ND``), or both mixed; each day read by ``parse_day``. Sorted, each day once.

    A list of days or dates is accepted as it is. Anything else is one line naming what is accepted.
    """
    items = value if isinstance(value, (list, tuple)) else [value]
    days: set[date] = set()
    for item in items:
        if not isinstance(item, str):
            days.add(parse_day(item, name))
            continue
        for part in (piece.strip() for piece in item.split(",")):
            if not part:
                continue
            days.update(_day_range(part, name) if ":" in part else [parse_day(part, name)])
    if not days:
        raise DayError(f"{name} {value!r} names no day; give {ACCEPTED_DAYS_LIST}")
    if len(days) > MAX_DAYS:
        raise DayError(f"{name} names {len(days)} days, more than {MAX_DAYS}")
    return sorted(days)
