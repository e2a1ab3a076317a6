"""Reports across time: a history page per state and per treaty, linking its dated reports in order and saying
in words what changed between consecutive dates.

A build with several ``--as-of`` days writes ``countries/LTU/2025-01-01.html`` (one report per day) and
``countries/LTU/history.html``; each dated report links to its history page. The changes are read from the status
engine (``status_table`` once per day, for every state and treaty): a status that differs between two dates is a
change, named with both statuses, e.g. "Convention on Cluster Munitions: party → withdrawn".
"""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import date

from .. import config
from ..schema import parse_day
from .plan import Result
from .render import write_atomic

__all__ = ["HISTORY_PAGE", "statuses_by_day", "changes", "history_pages", "write_history_pages"]

HISTORY_PAGE = "history.html"
HISTORY_TEMPLATE_DIR = config.TEMPLATES_DIR / "history"
#: more changes than this between two dates of a treaty are summed up, not listed one by one
MAX_LISTED = 25


def statuses_by_day(days: list[date], ds) -> dict[date, dict[tuple[str, str], str]]:
    """(state, treaty) → status on each day, for every state and treaty (a few ms a day)."""
    from ..status import status_table

    out = {}
    for day in days:
        table = status_table(day, ds=ds)
        out[day] = {(s, t): str(v) for s, t, v in table[["state", "treaty", "status"]].itertuples(index=False)}
    return out


def changes(kind: str, key: str, before: dict, after: dict, ds) -> list[str]:
    """What changed for one state (in each treaty) or one treaty (for each state) between two days, in words."""
    from ..countries import country_name

    if kind == "country":
        moved = [(t, before.get((key, t), "not signed"), after.get((key, t), "not signed")) for t in ds.treaties.index]
        return [f"{ds.treaties.loc[t, 'full_name']}: {old} → {new}" for t, old, new in moved if old != new]
    states = sorted({s for s, t in before.keys() | after.keys() if t == key})
    moved = [(s, before.get((s, key), "not signed"), after.get((s, key), "not signed")) for s in states]
    lines = [f"{country_name(s)}: {old} → {new}" for s, old, new in moved if old != new]
    if len(lines) > MAX_LISTED:
        counts = defaultdict(int)
        for _, old, new in moved:
            if old != new:
                counts[f"{old} → {new}"] += 1
        lines = [f"{n} states: {step}" for step, n in sorted(counts.items(), key=lambda item: -item[1])]
    return lines


def history_pages(results: list[Result], days: list[date], ds) -> dict[str, dict]:
    """The context of every history page, by its path: the dated reports of one state or treaty, in order,
    each with what changed since the previous date (and the status on the first date as the starting point)."""
    by_key: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for result in results:
        if result.job.day and not result.job.error:
            by_key[(result.job.kind, result.job.key)].append(result)
    if not by_key:
        return {}
    statuses = statuses_by_day(days, ds)
    pages = {}
    for (kind, key), dated in by_key.items():
        dated.sort(key=lambda r: r.job.day)
        rows, previous = [], None
        for result in dated:
            day = parse_day(result.job.day)
            changed = None if previous is None else changes(kind, key, statuses[previous], statuses[day], ds)
            rows.append({"result": result, "day": day, "changes": changed, "previous": previous})
            previous = day
        folder = dated[0].job.path.rsplit("/", 1)[0]
        pages[f"{folder}/{HISTORY_PAGE}"] = {"kind": kind, "key": key, "title": dated[0].job.title, "rows": rows}
    return pages


def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HISTORY_TEMPLATE_DIR),
        autoescape=False,  # every value goes through `esc`, as in the index
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["esc"] = html.escape
    return env


def write_history_pages(out, results: list[Result], days: list[date], ds) -> list[str]:
    """Write every history page (atomically); their paths, relative to `out`."""
    pages = history_pages(results, days, ds)
    template = _environment().get_template("history.html.j2")
    css = (config.TEMPLATES_DIR / "index" / "index.css").read_text(encoding="utf-8")
    for path, page in pages.items():
        context = dict(page, css=css, version=ds.version, status_date=ds.status_date)
        context["index"] = "../" * path.count("/") + "index.html"
        write_atomic(out / path, template.render(context))
    return sorted(pages)
