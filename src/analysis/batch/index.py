"""The site's ``index.html``: every report, and one row per state with its status in every treaty on the day.

The page is ``templates/index/index.html.j2``; its stylesheet and script (``index.css``, ``index.js`` beside it)
are inlined, so the site stays self-contained: sortable and filterable offline, with no other file to fetch.
"""

from __future__ import annotations

import html
import json
from datetime import date

from .. import config
from ..palette import short_css
from ..schema import NO_RECORD, STATUS_SHORT
from .plan import BuildResult, Result

__all__ = ["INDEX_TEMPLATE_DIR", "index_html", "prepare"]

#: The index page's template, stylesheet and script.
INDEX_TEMPLATE_DIR = config.TEMPLATES_DIR / "index"
#: The treaties whose status the index shows in columns of their own; the strip and the full matrix show all.
KEY_TREATIES = ("npt", "ctbt", "cwc", "bwc", "apmbc", "ccm", "att", "tpnw")


def _statuses(countries: list[Result], day: date, ds) -> dict[tuple[str, str], str]:
    """(state, treaty) → status on the day, for the states with a report."""
    from ..status import status_table, with_no_record

    known = [r.job.key for r in countries if not r.job.error]
    if not known:
        return {}
    table = with_no_record(status_table(day, countries=known, ds=ds), ds)
    return {(s, t): str(v) for s, t, v in table[["state", "treaty", "status"]].itertuples(index=False)}


def _exit_counts(day: date, ds) -> dict[str, int]:
    """How many exits each state had given notice of by the day."""
    from ..exits import withdrawals

    exits = withdrawals(ds, on=day)
    return exits[exits["notice_deposited"] <= str(day)].groupby("state").size().to_dict()


def _cells(iso3: str, statuses: dict, ds) -> list[dict]:
    """One state's status in every treaty (``NO_RECORD`` where a treaty is covered by curated events only)."""
    cells = []
    for tid in ds.treaties.index:
        status = statuses.get((iso3, tid), "not signed")
        short = STATUS_SHORT.get(status)
        cells.append(
            {
                "treaty": ds.treaties.loc[tid, "short_name"],
                "tid": tid,
                "status": status,
                "css": {None: "NR", "–": "NS"}.get(short, short),
                "key": tid in KEY_TREATIES,
                "text": short or "?",
            }
        )
    return cells


def _lifetime_note(iso3: str, ds) -> str:
    """' (until 31 Dec 1992)' after a former state's name: its report shows its last day, not the status date."""
    from ..lifetimes import last_day

    last = last_day(iso3, ds)
    return "" if last is None else f" (until {last:%-d %b %Y})"


def _state_row(result: Result, statuses: dict, exit_counts: dict, ds) -> dict:
    from ..status import IN_FORCE

    job = result.job
    if job.error:  # an unknown name: no state to describe
        return {"unknown": True, "code": job.key, "error": result.error, "colspan": 4 + len(ds.treaties)}
    state = ds.states.loc[job.key]
    cells = _cells(job.key, statuses, ds)
    failed = result.status == "failed"
    return {
        "unknown": False,
        "result": result,
        "code": job.key,
        "title": job.title,
        "lifetime": _lifetime_note(job.key, ds),
        "failed": failed,
        "css": "failed" if failed else "",
        "error": result.error,
        "region": state["region"],
        "subregion": state["subregion"],
        "bound": sum(cell["status"] in IN_FORCE for cell in cells),
        "exits": exit_counts.get(job.key, 0),
        "search": " ".join(f"{cell['tid']}:{cell['status']}" for cell in cells),
        "cells": cells,
    }


def _status_map(countries: list[Result], day: date, ds, data: dict | None = None) -> str:
    """The interactive status map; a state links to its report when the build made one (of a series across time,
    the latest day's). ``data``: the map's data, if ``prepare`` made it."""
    from ..statusmap import index_map

    linked = {r.job.key for r in countries if r.status != "failed" and not r.job.error}
    days = {r.job.day for r in countries if r.job.day}
    link = f"countries/{{iso3}}/{max(days)}.html" if days else "countries/{iso3}.html"
    return str(index_map("ccm", on=day, ds=ds, link=link, linked=linked, data=data))


def _currency(ds) -> tuple[date, list[dict]]:
    """Each treaty's record end, age today, acts after it and source (``currency.currency``), for the index."""
    import pandas as pd

    from ..currency import currency

    table = currency(ds=ds)
    rows = [
        {
            "short_name": r.short_name,
            "stops": "events only" if pd.isna(r.known_until) else f"{r.known_until:%Y-%m-%d}",
            "age": "" if pd.isna(r.age_years) else f"{r.age_years:.1f}" + (" (over a year)" if r.stale else ""),
            "acts": f"{r.acts_after}: {r.acts_after_text}" if r.acts_after else "none",
            "source": r.source,
        }
        for r in table.itertuples()
    ]
    return table.attrs["today"], rows


def _latest(results: list[Result]) -> list[Result]:
    """One result per report: of a series across time, the latest day's (the others are on its history page); a
    single-day report of the same state or treaty is listed too."""
    latest: dict[tuple[str, str, bool], Result] = {}
    for result in results:
        key = (result.job.kind, result.job.key, bool(result.job.day))
        if key not in latest or (result.job.day or "") > (latest[key].job.day or ""):
            latest[key] = result
    return list(latest.values())


def prepare(ds, day) -> dict:
    """What the index shows that depends on the data and the day only, not on which reports were built: the
    recent exits and those in progress, the treaties by category, the currency table, the map's data (about 1.5 s
    of CPU). The builder makes it while the kernels build the reports, so that the index, written after the last
    report, waits for none of it; ``index_html(..., prepared=)`` takes it, and makes it itself without."""
    from .. import frontpage
    from ..statusmap import index_map_data

    day = day or ds.status_date
    return {
        "day": day,
        "recent": frontpage.recent_exits(day, ds),
        "in_progress": frontpage.exits_in_progress(day, ds),
        "categories": frontpage.treaties_by_category(day, ds),
        "currency": _currency(ds),
        "map": index_map_data(day, ds),
    }


def _front(shown: list[Result], day: date, ds, prepared: dict) -> dict:
    """What the front page opens on (``analysis.frontpage``), and the built pages its names link to."""
    from .. import frontpage

    pages = {(r.job.kind, r.job.key): r.job.path for r in shown if r.status != "failed" and not r.job.error}
    recent = prepared["recent"]
    return {
        "recent": recent[: frontpage.RECENT_SHOWN],  # the map stays near the top; the rest are counted
        "recent_more": len(recent[frontpage.RECENT_SHOWN :]),
        "recent_years": frontpage.RECENT_YEARS,
        "in_progress": prepared["in_progress"],
        "categories": prepared["categories"],
        "country_pages": {key: path for (kind, key), path in pages.items() if kind == "country"},
        "treaty_pages": {key: path for (kind, key), path in pages.items() if kind == "treaty"},
    }


def _context(result: BuildResult, ds, day: date, days: list[date], prepared: dict) -> dict:
    shown = _latest(result.results)
    countries = [r for r in shown if r.job.kind == "country"]
    statuses, exit_counts = _statuses(countries, day, ds), _exit_counts(day, ds)
    today, currency = prepared["currency"]
    return _front(shown, day, ds, prepared) | {
        "today": today,
        "currency": currency,
        "css": (INDEX_TEMPLATE_DIR / "index.css").read_text(encoding="utf-8") + short_css(),
        "status_map": _status_map(countries, day, ds, prepared["map"]),
        "key_treaties": [ds.treaties.loc[t, "short_name"] for t in ds.treaties.index if t in KEY_TREATIES],
        "js": (INDEX_TEMPLATE_DIR / "index.js").read_text(encoding="utf-8"),
        "day": day,
        "version": ds.version,
        "status_date": ds.status_date,
        "sources": list(ds.sources),
        "seconds": result.seconds,
        "built": result.count("built"),
        "skipped": result.count("skipped"),
        "failed": result.failed,
        "others": [r for r in shown if r.job.kind != "country"],
        "days": [d.isoformat() for d in days],
        "states": [_state_row(r, statuses, exit_counts, ds) for r in countries],
        "regions": sorted({ds.states.loc[r.job.key, "region"] for r in countries if not r.job.error} - {""}),
        "treaties": [(row.short_name, row.full_name) for row in ds.treaties.itertuples()],
        "legend": [(code, status, "NS" if code == "–" else code) for status, code in STATUS_SHORT.items()],
        # the full matrix's cells carry a code only; the page's script names treaty and status on hover
        "codes": json.dumps({code: status for status, code in STATUS_SHORT.items()} | {"?": NO_RECORD}),
    }


def _environment():
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(INDEX_TEMPLATE_DIR),
        autoescape=True,  # every value is escaped, even one the template forgot to pass through `esc`
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["esc"] = lambda value: Markup(html.escape(str(value)))  # html.escape, as the report pages' text
    return env


def index_html(
    result: BuildResult, ds, as_of: date | None = None, days: list[date] | None = None, prepared: dict | None = None
) -> str:
    """The index page: every report, each state's key statuses; sortable and filterable without a network.

    For reports across time (`days`), each state and treaty is shown on the latest day, with a link to its
    history page, and a choice of date that points every report link at that day's report. ``prepared``:
    ``prepare(ds, day)`` made earlier for the same day (used only if its day is this one)."""
    day = as_of or ds.status_date
    if not prepared or prepared["day"] != day:
        prepared = prepare(ds, day)
    return _environment().get_template("index.html.j2").render(_context(result, ds, day, days or [], prepared))
