"""The mark a map draws over a state whose status depends on how an uncertain date is read.

Why a mark over the fill, not a colour of its own: the fill still says the status the engine answers (the late
reading, ``analysis.status``), and the hatch on top says "or another one": a reader sees both, and the shape's
``<title>`` gives the statuses the readings allow and why ("party or not signed: the consent is dated between
25 Oct 1973 and 31 Dec 1980"). The hatch is black on transparent, so it reads over any status colour and in a
greyscale print. Kept apart from ``analysis.maps`` (which calls it) so that the maps' drawing stays one concern.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from .doubt import MARK, uncertain_columns
from .schema import NO_RECORD
from .status import status_table
from .uncertainty import affected

__all__ = ["UNCERTAIN_LEGEND", "uncertain_marks", "state_uncertainty", "off_map_lines", "index_marks"]

#: The legend's words for the hatch (the participation curve's band says the same).
UNCERTAIN_LEGEND = "uncertain (sources bound the date)"


#: The legend's swatch: the hatch drawn as lines (a pattern would follow a zoomed map's legend scale).
_SWATCH = "M0 {f}L{f} 0M0 {h}L{h} 0M{h} {f}L{f} {h}"


def _pattern(scale: float = 1.0) -> str:
    """The hatch, at a zoomed map's `scale` (its width over the world's), so that it looks the same on screen."""
    size, width = 70 * scale, 14 * scale
    q = size / 4  # the corners of the tile: the lines run on into the next tile without a gap
    return (
        f'<defs><pattern id="tx-uncertain" patternUnits="userSpaceOnUse" width="{size:g}" height="{size:g}">'
        f'<path d="M0 {size:g}L{size:g} 0M{-q:g} {q:g}L{q:g} {-q:g}M{size - q:g} {size + q:g}L{size + q:g} {size - q:g}" '
        f'stroke="#000" stroke-width="{width:g}"/>'
        "</pattern></defs>"
    )


def state_uncertainty(states, tid: str, day, ds, found: pd.DataFrame | None = None, shown=None) -> pd.DataFrame:
    """Per state (the index): ``certain``, ``possible``, ``because`` and ``label`` (``doubt.uncertain_columns``).
    ``found`` is the day's ``status_table`` for the treaty if the caller has it (a state without a row there is
    certainly not signed); else only the states with an uncertain act in the treaty are looked up, and the others
    keep the status the map ``shown`` (a list beside `states`) gives them, certainly."""
    states = list(states)
    if found is None:
        unsure = {state for state, _ in affected(ds, tid)}  # (once, not once per state: 10 ms a map)
        shaky = [s for s in states if s in unsure]
        found = status_table(day, countries=shaky, treaties=[tid], ds=ds) if shaky else None
    rows = pd.DataFrame(columns=["state", "certain", "possible"]) if found is None else found
    rows = rows.reset_index() if "state" not in rows.columns else rows
    table = rows.set_index("state").reindex(states)
    table = table.assign(state=table.index, treaty=tid, certain=table["certain"].fillna(True).astype(bool))
    fallback = pd.Series(list(shown) if shown is not None else ["not signed"] * len(states), index=table.index)
    table["possible"] = table["possible"].astype(object).fillna(fallback)
    return uncertain_columns(table, day, ds).rename_axis("state")


def uncertain_marks(drawn: pd.DataFrame, outlines: dict, font: int, scale: float = 1.0) -> tuple[str, list[str]]:
    """The hatch over each drawn state whose ``certain`` is False, and the legend item; ``("", [])`` when there
    is none, so that a map with nothing uncertain is drawn exactly as before.

    ``drawn`` has ``state``, ``certain`` and ``label`` (the words for the shape's title); ``outlines`` maps a
    state to its shape (``d``).
    """
    shaky = drawn[~drawn["certain"].astype(bool)]
    if not len(shaky):
        return "", []
    paths = "".join(
        f'<path d="{outlines[r.state]["d"]}" data-uncertain="{r.state}"><title>{escape(r.label)}</title></path>'
        for r in shaky.itertuples()
    )
    marks = f'{_pattern(scale)}<g class="tx-uncertain" fill="url(#tx-uncertain)" stroke="none">{paths}</g>'
    legend = (
        f'<rect width="{font}" height="{font}" fill="#fff" stroke="#333" stroke-width="8"/>'
        f'<path d="{_SWATCH.format(f=font, h=font // 2)}" stroke="#000" stroke-width="14"/>'
        f'<text x="{font + 50}" y="{font - 20}" data-legend="uncertain">{UNCERTAIN_LEGEND} ({len(shaky)})</text>'
    )
    return marks, [legend]


def off_map_lines(table: pd.DataFrame) -> list[str]:
    """The legend's lines for the states with a status but no outline on the day (the GDR beside the FRG): one
    each, with the statuses the readings allow and † where the status depends on the reading."""
    nothing = ["not signed", NO_RECORD, "not yet a state", "ceased to exist"]
    gone = table[~table["on_map"] & (~table["status"].isin(nothing) | ~table["certain"])]
    return [
        f"not on the map: {r.name} ({r.status if r.certain else f'{r.possible} {MARK}'})" for r in gone.itertuples()
    ]


def index_marks(uncertain: dict, shapes: dict, font: int) -> tuple[str, list[str]]:
    """The index map's hatch: one hidden path per state whose status in some treaty depends on the reading in some
    year (``statusmap.index_map_data``'s ``uncertain``); the page's script shows it where the chosen treaty and
    year call for it and counts it in the legend. ``("", [])`` when no state ever needs it."""
    states = sorted({iso3 for per_treaty in uncertain.values() for iso3 in per_treaty if iso3 in shapes})
    if not states:
        return "", []
    paths = "".join(f'<path d="{shapes[s]["d"]}" data-uncertain="{s}" display="none"/>' for s in states)
    marks = f'{_pattern()}<g class="tx-uncertain" fill="url(#tx-uncertain)" stroke="none">{paths}</g>'
    legend = (
        f'<rect width="{font}" height="{font}" fill="#fff" stroke="#333" stroke-width="8"/>'
        f'<path d="{_SWATCH.format(f=font, h=font // 2)}" stroke="#000" stroke-width="14"/>'
        f'<text x="{font + 50}" y="{font - 20}" data-uncertain-legend="">{UNCERTAIN_LEGEND} (0)</text>'
    )
    return marks, [legend]
