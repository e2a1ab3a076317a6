"""Maps of who is in and who left, as inline SVG: a treaty's world and a state among its peers.

Why SVG in the page: the report site must work offline and from ``file://``; an SVG pasted into the HTML needs
no library, no tile server and no request, scales for print, and each shape can carry its name and status in a
``<title>`` (hover, screen readers) and ``data-iso3`` / ``data-status`` attributes (tests, the index's script).
The outlines come from ``data/world_50m.json`` (built by ``tools/geo/build_geometry.py`` from Natural Earth),
the colours from ``analysis.palette``, the statuses from ``analysis.status``. The index's interactive map is
``analysis.statusmap``, built from the same pieces.

Each function returns a ``Map``: the SVG markup (``str(m)``; a notebook displays it as HTML) and ``m.data``,
the rows the map shows (state, name, status, ...), which the reports offer as a CSV beside the figure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

import pandas as pd

from . import lifetimes
from .config import geometry_file
from .countries import country_name, resolve_country
from .dataset import Dataset, load
from .exits import withdrawals
from .inset import europe_panel, group_id
from .mapmarks import off_map_lines, state_uncertainty, uncertain_marks
from .palette import LABELS, NO_DATA_COLOR, STATUS_COLOR, legend_entries
from .peers import peers
from .status import as_day, resolve_treaty, status_table, with_no_record

__all__ = ["World", "Map", "world", "treaty_map", "country_map", "focus_treaty", "map_css"]

#: The maps stop at 58° S: Antarctica is no state, and the space goes to the legend.
MAP_BOTTOM = 4400
#: Legend rows, in grid units (the world is 10 000 wide).
_ROW, _FONT, _COLUMNS = 190, 140, 3


@dataclass(frozen=True)
class World:
    """The outlines: per ISO3 code a path, a box, a label point and whether it needs a dot; and their source."""

    view_box: tuple[int, int, int, int]
    shapes: dict[str, dict]
    source: dict


@lru_cache(maxsize=2)
def _read_world(path: str, stamp: int) -> World:
    content = json.loads(Path(path).read_text(encoding="utf-8"))
    return World(tuple(content["viewBox"]), content["shapes"], content["source"])


def world(path: Path | str | None = None) -> World:
    """The geometry file (default ``data/world_50m.json``), read once per process and re-read when it changes."""
    file = Path(path) if path is not None else geometry_file()
    if not file.exists():
        raise FileNotFoundError(f"{file} not found: run tools/geo/build_geometry.py (needs ../shared/data)")
    return _read_world(str(file.resolve()), file.stat().st_mtime_ns)


class Map:
    """An SVG map and the table of what it shows; displays itself in a notebook, prints as its markup."""

    def __init__(self, svg: str, data: pd.DataFrame, title: str):
        self.svg, self.data, self.title = svg, data, title

    def __str__(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        return f"<Map {self.title!r}: {len(self.data)} states>"

    def _repr_html_(self) -> str:
        return self.svg


# ---- drawing ---------------------------------------------------------------------------------------------------


def _shape(iso3: str, shape: dict, status: str, label: str, link: str | None = None, extra: str = "") -> str:
    """One state's shape: its path (and a dot if tiny), filled by status, named in a ``<title>``."""
    dot = f'<circle cx="{shape["pt"][0]}" cy="{shape["pt"][1]}" r="28"/>' if shape.get("dot") else ""
    attrs = f'data-iso3="{iso3}" data-status="{escape(status)}" fill="{STATUS_COLOR[status]}"{extra}'
    body = f'<title>{escape(label)}</title><path d="{shape["d"]}"/>{dot}'
    if link:
        return f'<a href="{escape(link)}" {attrs} aria-label="{escape(label)}">{body}</a>'
    return f"<g {attrs}>{body}</g>"


def _others(shapes: dict, drawn: set[str], keep=lambda shape: True) -> str:
    """Territories and other shapes that are no state of the registry: one pale path (one element, not dozens),
    never coloured by status."""
    d = "".join(s["d"] for key, s in shapes.items() if key not in drawn and key != "ATA" and keep(s))
    title = "not a state of the data on this day (a territory, or a state not yet or no longer in existence)"
    return f'<path class="tx-other" d="{d}" fill="{NO_DATA_COLOR}"><title>{title}</title></path>' if d else ""


def _hatches() -> str:
    """SVG patterns for the hatched statuses; the page's print stylesheet swaps them in for greyscale print."""
    lines = {"xxx": "M0 0L40 40M40 0L0 40", "++": "M20 0V40M0 20H40", "---": "M0 20H40", "...": "M18 18h4v4h-4z"}
    out = []
    for entry in legend_entries():
        if entry["hatch"]:
            d = lines.get(entry["hatch"], "M0 40L40 0" if "/" in entry["hatch"] else "M0 0L40 40")
            out.append(
                f'<pattern id="tx-h{entry["code"]}" patternUnits="userSpaceOnUse" width="40" height="40">'
                f'<rect width="40" height="40" fill="{entry["color"]}"/><path d="{d}" stroke="#000" stroke-width="5"/>'
                "</pattern>"
            )
    return "<defs>" + "".join(out) + "</defs>"


def map_css() -> str:
    """Hover and focus outlines, and the print rule that swaps hatch patterns in for the hatched statuses."""
    hatched = "".join(
        f'.tx-map [data-status="{e["status"]}"]{{fill:url(#tx-h{e["code"]})}}' for e in legend_entries() if e["hatch"]
    )
    return (
        ".tx-map [data-iso3]:hover,.tx-map [data-iso3]:focus{stroke:#000;stroke-width:2}"
        ".tx-map a[data-iso3]{cursor:pointer}.tx-map a:focus{outline:none}"
        f"@media print{{{hatched}}}"
    )


def _legend(counts: dict[str, int], top: int, left: int, width: int, extras: list[str], shown=None) -> tuple[str, int]:
    """Swatch, status in words and count, in columns under the map; returns the markup and its height.

    `shown` lists the statuses to include (default: those with a count); the index map lists every status any
    treaty uses, so that its script can update the counts when the treaty changes.
    """
    items = [
        f'<rect width="{_FONT}" height="{_FONT}" fill="{e["color"]}" stroke="#333" stroke-width="8"/>'
        f'<text x="{_FONT + 50}" y="{_FONT - 20}" data-legend="{e["status"]}">{escape(e["status"])} ({counts[e["status"]]})</text>'
        for e in legend_entries(shown if shown is not None else [s for s, n in counts.items() if n])
    ] + extras
    col_width = width // _COLUMNS
    rows = -(-len(items) // _COLUMNS)
    placed = [
        f'<g transform="translate({left + (n // rows) * col_width + 60},{top + (n % rows) * _ROW + 60})">{item}</g>'
        for n, item in enumerate(items)
    ]
    return f'<g class="tx-legend" font-size="{_FONT}" font-family="sans-serif">{"".join(placed)}</g>', rows * _ROW + 120


def _exit_mark(shape: dict, label: str) -> str:
    x, y = shape["pt"]
    return (
        f'<g class="tx-exit" transform="translate({x},{y})"><title>{escape(label)}</title>'
        '<circle r="55" fill="#fff" stroke="#000" stroke-width="14"/><path d="M-30-30L30 30M30-30L-30 30"/></g>'
    )


_EXIT_LEGEND = (
    f'<g transform="translate({_FONT // 2},{_FONT // 2})"><circle r="55" fill="#fff" stroke="#000" stroke-width="14"/>'
    '<path d="M-30-30L30 30M30-30L-30 30" stroke="#000" stroke-width="14"/></g>'
    f'<text x="{_FONT + 50}" y="{_FONT - 20}">exit: notice given</text>'
)


def _svg(view: tuple[int, int, int, int], body: str, title: str, css_class: str) -> str:
    x, y, w, h = view
    return (
        f'<svg class="tx-map {css_class}" xmlns="http://www.w3.org/2000/svg" viewBox="{x} {y} {w} {h}" role="img" '
        f'aria-label="{escape(title)}" style="width:100%;height:auto;max-width:60rem" stroke="#fff" '
        f'stroke-width="0.6" vector-effect="non-scaling-stroke"><title>{escape(title)}</title>{_hatches()}<style>{map_css()}</style>'
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="#fff" stroke="none"/>{body}</svg>'
    )


# ---- what is drawn ---------------------------------------------------------------------------------------------


def _statuses(tid: str, day: pd.Timestamp, ds: Dataset) -> pd.DataFrame:
    """Every registry state's status in one treaty on the day (without a row: not signed, or NO_RECORD), whether
    every reading of the uncertain dates gives it (``certain``) and the statuses they allow (``possible``)."""
    found = status_table(day, treaties=[tid], ds=ds).set_index("state")
    out = pd.DataFrame({"state": ds.states.index.to_numpy(), "name": ds.states["name"].to_numpy(), "treaty": tid})
    out["status"] = found["status"].astype(str).reindex(out["state"]).fillna("not signed").to_numpy()
    out = with_no_record(out, ds).drop(columns="treaty")
    return out.join(state_uncertainty(out["state"], tid, day, ds, found, shown=out["status"]), on="state")


def _treaty_exits(tid: str, day: pd.Timestamp, ds: Dataset) -> pd.DataFrame:
    w = withdrawals(ds)
    return w[(w["treaty"] == tid) & (w["notice_deposited"] <= day)]


def treaty_map(treaty: str, on=None, ds: Dataset | None = None, link: str | None = None) -> Map:
    """The world on one day, each state coloured by its status in the treaty, exits marked, with a legend.

    A state that existed on the day but has no present-day shape is drawn, where the map allows, on the shapes
    of its successors that did not exist yet (Czechoslovakia before 1993 on Czechia and Slovakia); the others
    (and states that no longer exist) are listed under the legend with their status. ``link`` (e.g.
    ``"../countries/{iso3}.html"``) makes each state a link.
    """
    ds = ds or load()
    tid, day = resolve_treaty(treaty, ds), as_day(on if on is not None else ds.status_date)
    geo = world()
    table = _statuses(tid, day, ds)
    outlines, used = day_shapes(ds, day)
    table["on_map"] = table["state"].isin(list(outlines))
    exits = _treaty_exits(tid, day, ds)
    last_notice = exits.groupby("state")["notice_deposited"].max()
    # reindex, not map: pandas cannot map through an empty datetime series (a treaty nobody left)
    table["exit_notice"] = pd.Series(last_notice.reindex(table["state"]).to_numpy(), index=table.index).dt.date
    drawn = table[table["on_map"]]
    shapes = "".join(
        _shape(
            r.state,
            outlines[r.state],
            r.status,
            f"{outlines[r.state].get('label', r.name)}: {r.status}",
            link and link.format(iso3=r.state),
        )
        for r in drawn.itertuples()
    )
    marks = "".join(
        _exit_mark(outlines[r.state], f"{r.name}: notice of exit {r.exit_notice}")
        for r in drawn[drawn["exit_notice"].notna()].itertuples()
    )
    hatch, extras = uncertain_marks(drawn, outlines, _FONT)
    name = ds.treaties.loc[tid, "short_name"]
    title = f"{name}: status of every state on {day:%d %B %Y}"
    counts = drawn["status"].value_counts().to_dict()
    extras += [_EXIT_LEGEND] if marks else []
    extras += [_text_item(line) for line in off_map_lines(table)]  # one line each: none runs off the map
    view, ref = (0, 0, geo.view_box[2], MAP_BOTTOM), group_id(shapes + marks)
    panel, below = europe_panel(ref, MAP_BOTTOM, view[2])  # Europe enlarged, under the world
    legend, height = _legend({s: counts.get(s, 0) for s in LABELS}, MAP_BOTTOM + below, 0, view[2], extras)
    body = f'<g id="{ref}">{_others(geo.shapes, used)}{shapes}{hatch}<g stroke="#000" stroke-width="14">{marks}</g></g>'
    svg = _svg((0, 0, view[2], MAP_BOTTOM + below + height), body + panel + legend, title, "tx-treaty-map")
    return Map(svg, table.drop(columns=["on_map", "label"]).reset_index(drop=True), title)


def day_shapes(ds: Dataset, day: pd.Timestamp) -> tuple[dict[str, dict], set[str]]:
    """The outline of every state that existed on the day, and the present-day shapes they use.

    A state with a shape of its own uses it; a vanished state uses its successors' shapes (following successors
    that vanished too) as long as none of them existed yet, so that no territory is drawn twice; its outline
    lists them as ``parts``.
    """
    geo = world()
    existing = set(lifetimes.existing(ds, day))
    outlines = {s: geo.shapes[s] for s in existing if s in geo.shapes}
    for state in existing - set(outlines):
        parts = _successor_shapes(state, ds, existing, geo.shapes)
        if parts:
            names = ", ".join(geo.shapes[k]["name"] for k in parts)
            outlines[state] = {
                "d": "".join(geo.shapes[k]["d"] for k in parts),
                "pt": geo.shapes[parts[0]]["pt"],
                "label": f"{ds.states.loc[state, 'name']} (today {names})",
                "parts": parts,
            }
    used = {k for s, outline in outlines.items() for k in outline.get("parts", [s])}
    return outlines, used


def _successor_shapes(state: str, ds: Dataset, existing: set[str], shapes: dict, depth: int = 0) -> list[str]:
    """The present-day shapes that cover a vanished state: its successors' (recursively), if none existed yet."""
    listed = ds.states.loc[state, "predecessor_of"] if state in ds.states.index else ""
    # a successor that already exists on the day is drawn as itself (Ukraine beside the USSR, Yemen for both Yemens)
    successors = [s for s in str(listed if pd.notna(listed) else "").split("|") if s and s not in existing]
    if depth > 3:
        return []
    keys: list[str] = []
    for successor in successors:
        keys += [successor] if successor in shapes else _successor_shapes(successor, ds, existing, shapes, depth + 1)
    return keys


def _text_item(text: str) -> str:
    return f'<text y="{_FONT - 20}">{escape(text)}</text>'


def focus_treaty(iso3: str, ds: Dataset) -> str:
    """The treaty a state left most recently; if it left none, the treaty in which it acted last."""
    w = withdrawals(ds)
    own = w[w["state"] == iso3].sort_values("notice_deposited")
    if len(own):
        return str(own["treaty"].iloc[-1])
    ev = ds.events[ds.events["state"] == iso3].sort_values("date")
    return str(ev["treaty"].iloc[-1]) if len(ev) else str(ds.treaties.index[0])


def _crop(boxes: list[list[int]], full: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """A view around the boxes, with a margin, at least 2 000 units wide and not taller than the world."""
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    pad = max(x1 - x0, y1 - y0) * 0.06 + 60
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    if x1 - x0 < 2000:
        x0, x1 = (x0 + x1) / 2 - 1000, (x0 + x1) / 2 + 1000
    if y1 - y0 < 1100:
        y0, y1 = (y0 + y1) / 2 - 550, (y0 + y1) / 2 + 550
    return int(max(x0, 0)), int(max(y0, 0)), int(min(x1, full[2]) - max(x0, 0)), int(min(y1, MAP_BOTTOM) - max(y0, 0))


def _overlaps(box: list[int], view: tuple[int, int, int, int]) -> bool:
    return box[2] >= view[0] and box[0] <= view[0] + view[2] and box[3] >= view[1] and box[1] <= view[1] + view[3]


def country_map(
    country: str, treaty: str | None = None, on=None, ds: Dataset | None = None, peer_table: pd.DataFrame | None = None
) -> Map:
    """The state and its peers (M49 subregion, NATO, EU on the day), coloured by status in one treaty.

    The treaty is the one given, else the one the state left most recently (else the one it acted in last).
    The state itself is outlined; states that are not peers are drawn pale for orientation. ``peer_table``
    takes the table ``exits.peers`` made for the same state and day (a report has it already: no second pass).
    """
    ds = ds or load()
    day = as_day(on if on is not None else ds.status_date)
    table = peer_table if peer_table is not None else peers(country, on=day, ds=ds)
    iso3 = resolve_country(country)
    tid = resolve_treaty(treaty, ds) if treaty is not None else focus_treaty(iso3, ds)
    geo = world()
    outlines, _ = day_shapes(ds, day)  # a vanished state is drawn on its successors' present-day shapes
    data = table[["state", "name", "relation"]].copy()
    data.columns.name = None
    data["status"] = table[tid].astype(str).to_numpy() if len(table) else []
    data = data[[s in outlines for s in data["state"]]].reset_index(drop=True)
    data = data.join(state_uncertainty(data["state"], tid, day, ds, shown=data["status"]), on="state")
    drawn = {k for s in data["state"] for k in outlines[s].get("parts", [s])}  # present-day shapes in use
    view = _crop([geo.shapes[k]["box"] for k in drawn] or [[0, 0, 10000, MAP_BOTTOM]], geo.view_box)
    label = lambda r: f"{outlines[r.state].get('label', r.name)} ({r.relation}): {r.status}"  # noqa: E731
    shapes = "".join(_shape(r.state, outlines[r.state], r.status, label(r)) for r in data.itertuples())
    outline = (
        f'<path d="{outlines[iso3]["d"]}" fill="none" stroke="#000" stroke-width="2.4"/>' if iso3 in outlines else ""
    )
    name = ds.treaties.loc[tid, "short_name"]
    title = f"{country_name(iso3)} and its peers: status in the {name} on {day:%d %B %Y}"
    counts = data["status"].value_counts().to_dict()
    scale = max(view[2] / geo.view_box[2], 0.2)
    own = "outlined: {}" if iso3 in outlines else "not outlined: {} (no outline of its own on this day's map)"
    hatch, extras = uncertain_marks(data, outlines, _FONT, scale)
    extras += [_text_item(own.format(country_name(iso3))), _text_item("pale: not a peer")]
    legend, height = _legend(
        {s: counts.get(s, 0) for s in LABELS}, view[1] + view[3], view[0], int(view[2] / scale), extras
    )
    keep = lambda s: _overlaps(s["box"], view)  # noqa: E731
    body = _others(geo.shapes, drawn, keep) + shapes + hatch + outline + _scaled(legend, scale, view)
    svg = _svg((view[0], view[1], view[2], view[3] + int(height * scale)), body, title, "tx-country-map")
    data = data.drop(columns="label")
    data.insert(3, "treaty", name)
    return Map(svg, data, title)


def _scaled(legend: str, scale: float, view: tuple[int, int, int, int]) -> str:
    """The legend drawn at the zoomed map's scale, so its text keeps the size it has on the world map."""
    x, y = view[0], view[1] + view[3]
    return f'<g transform="translate({x},{y}) scale({scale:.3f}) translate({-x},{-y})">{legend}</g>'
