"""The index's interactive status map: every state linked to its report, recoloured in the page by treaty and year.

Why the data rides in the page: the site must work from ``file://`` with no server, so the map carries, as JSON,
each state's status code per treaty on the day and the year-end codes where they change (a few tens of KB for
every treaty of the registry), and a few lines of inline JavaScript (``templates/maps/status_map.js``, no library) recolour the
shapes. Hovering or focusing a state shows its name and status; clicking opens its report.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

import pandas as pd

from .config import TEMPLATES_DIR
from .countries import country_name
from .dataset import Dataset, load
from .inset import europe_panel, group_id
from .lifetimes import existing
from .mapmarks import index_marks
from .maps import _FONT, MAP_BOTTOM, Map, _legend, _others, _shape, _svg, world
from .palette import LABELS, STATUS_COLOR
from .schema import NO_RECORD
from .status import as_day, resolve_treaty, status_table, transitions, with_no_record
from .text import script_json
from .uncertainty import affected, certain_grid

__all__ = ["index_map", "index_map_data", "map_script"]


def index_map_data(on=None, ds: Dataset | None = None) -> dict:
    """What the index map's script needs: per treaty, each state's status code on the day and at each year's end.

    ``codes[treaty]`` is one base-36 character per state (the order of ``states``); ``history[treaty][iso3]``
    lists ``[year, code]`` where the year-end status changed, so any year is a look-up, not a recomputation.
    """
    ds = ds or load()
    day = as_day(on if on is not None else ds.status_date)
    states = [s for s in existing(ds, day) if s in world().shapes]
    table = with_no_record(status_table(day, countries=states, ds=ds), ds)
    table["code"] = table["status"].cat.codes
    wide = table.pivot(index="state", columns="treaty", values="code").reindex(states)
    return {
        "day": day.date().isoformat(),
        "states": states,
        "names": [country_name(s) for s in states],
        "treaties": [{"id": t, "name": ds.treaties.loc[t, "short_name"]} for t in ds.treaties.index],
        "codes": {t: "".join(_base36(c) for c in wide[t]) for t in ds.treaties.index},
        "history": _year_history(set(states), day, ds),
        "uncertain": _uncertain_years(set(states), day, ds),
        "statuses": list(LABELS),
        "colors": [STATUS_COLOR[s] for s in LABELS],
        "noRecord": LABELS.index(NO_RECORD),  # a pair without any act: the same label in every year
    }


def _base36(code: int) -> str:
    return "0123456789abcdefghijklmnopqrstuvwxyz"[int(code)]


def _uncertain_years(states: set[str], day: pd.Timestamp, ds: Dataset) -> dict:
    """Per treaty and state, the years at whose end the status depends on how an uncertain date is read (the day's
    own year: on the day), so that the script hatches the state where the year slider shows such a year."""
    pairs = [(s, t) for s, t in affected(ds) if s in states]
    years = list(range(1900, day.year))
    days = pd.DatetimeIndex([pd.Timestamp(y, 12, 31) for y in years] + [day]).to_numpy()
    out: dict = {}
    for (iso3, tid), sure in zip(pairs, certain_grid(ds, pairs, days)):
        unsure = [y for y, ok in zip([*years, day.year], sure) if not ok]
        if unsure:
            out.setdefault(tid, {})[iso3] = unsure
    return out


def _year_history(states: set[str], day: pd.Timestamp, ds: Dataset) -> dict:
    """Per treaty and state, the year-end status codes where they change (steps after the day left out)."""
    tr = transitions(ds)
    tr = tr[tr["state"].isin(states) & (tr["date"] <= day)]
    last = pd.DataFrame(
        {"treaty": tr["treaty"], "state": tr["state"], "year": tr["date"].dt.year, "code": tr["status"].cat.codes}
    ).drop_duplicates(["treaty", "state", "year"], keep="last")
    # sorted by pair (stable: each pair's years stay in order), then read as plain lists: a pandas group per
    # (treaty, state) cost ~0.1 ms, 3,000 groups an index
    last = last.sort_values(["treaty", "state"], kind="stable")
    out: dict = {}
    for tid, iso3, year, code in zip(*(last[c].tolist() for c in ("treaty", "state", "year", "code"))):
        out.setdefault(tid, {}).setdefault(iso3, []).append([int(year), int(code)])
    return out


def index_map(
    treaty: str = "ccm",
    on=None,
    ds: Dataset | None = None,
    link: str = "countries/{iso3}.html",
    linked: set[str] | None = None,
    data: dict | None = None,
) -> Map:
    """The interactive map: every state linked to its report, coloured for `treaty`; the page's script recolours.

    The markup carries its controls, its data (``<script type="application/json" class="tx-map-data">``) and
    the recolouring script (``templates/maps/status_map.js``), so it works wherever it is pasted, from file://.
    ``data``: ``index_map_data(on, ds)`` if the caller made it already (the builder does, while kernels work).
    """
    ds = ds or load()
    data = data if data is not None else index_map_data(on, ds)
    tid = resolve_treaty(treaty, ds)
    codes = data["codes"][tid]
    geo = world()
    shapes = "".join(
        _shape(
            iso3,
            geo.shapes[iso3],
            LABELS[int(code, 36)],
            f"{name}: {LABELS[int(code, 36)]}",
            link.format(iso3=iso3) if linked is None or iso3 in linked else None,  # only to a built report
        )
        for iso3, name, code in zip(data["states"], data["names"], codes)
    )
    title = f"Status of every state in the {ds.treaties.loc[tid, 'short_name']} on {data['day']}"
    counts = pd.Series([LABELS[int(c, 36)] for c in codes]).value_counts().to_dict()
    used = {LABELS[int(c, 36)] for per_treaty in data["codes"].values() for c in per_treaty} | {
        LABELS[code] for per_state in data["history"].values() for steps in per_state.values() for _, code in steps
    }
    hatch, extras = index_marks(data["uncertain"], geo.shapes, _FONT)  # shown by the script, year by year
    ref = group_id("index" + shapes)
    panel, below = europe_panel(ref, MAP_BOTTOM, geo.view_box[2])  # Europe enlarged, under the world
    legend, height = _legend(
        {s: counts.get(s, 0) for s in LABELS}, MAP_BOTTOM + below, 0, geo.view_box[2], extras, used
    )
    body = (
        f'<g id="{ref}">{_others(geo.shapes, set(data["states"]))}<g class="tx-shapes">{shapes}</g>{hatch}</g>' + panel
    )
    svg = _svg((0, 0, geo.view_box[2], MAP_BOTTOM + below + height), body + legend, title, "tx-index-map")
    payload = script_json(data)  # <!--, <script and </script in a name cannot break the element
    table = pd.DataFrame(
        {"state": data["states"], "name": data["names"], "status": [LABELS[int(c, 36)] for c in codes]}
    )
    markup = (
        f'<div class="tx-index-map-box">{_controls(data, tid)}{svg}'
        f'<p class="tx-map-info" aria-live="polite">Hover or focus a state for its status; click it for its report.</p>'
        f'<script type="application/json" class="tx-map-data">{payload}</script>'
        f"<script>{map_script()}</script></div>"
    )
    return Map(markup, table, title)


def _controls(data: dict, tid: str) -> str:
    """The treaty selector and the year slider (status at each year's end; the last step is the data's day)."""
    chosen = ' selected="selected"'
    options = "".join(
        f'<option value="{t["id"]}"{chosen if t["id"] == tid else ""}>{escape(t["name"])}</option>'
        for t in data["treaties"]
    )
    years = [y for per_state in data["history"].values() for steps in per_state.values() for y, _ in steps]
    first, last = min(years, default=int(data["day"][:4])), int(data["day"][:4])
    return (
        '<form class="tx-map-controls" onsubmit="return false">'
        f'<label>Treaty <select class="tx-map-treaty">{options}</select></label> '
        f'<label>Year <input class="tx-map-year" type="range" min="{first}" max="{last}" value="{last}"></label> '
        f'<output class="tx-map-year-out">as of {data["day"]}</output></form>'
    )


@lru_cache(maxsize=1)
def map_script() -> str:
    """The index map's recolouring script (a few lines, no library), shipped in the package's templates."""
    return (TEMPLATES_DIR / "maps" / "status_map.js").read_text(encoding="utf-8")
