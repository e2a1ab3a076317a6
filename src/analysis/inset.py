"""Europe enlarged under the world maps (the treaty maps and the index map).

Why: most exits happened in Europe, which is a few hundred units wide on a 10,000-unit world map: the Baltic
states' exit marks overlapped. The panel repeats the world map's own shapes (an SVG ``<use>`` of its group, so the
index map's recolouring shows there too, with no second copy of the paths) in a nested SVG whose view box is
Europe, enlarged three times; a dashed frame on the world map shows what the panel enlarges.
"""

from __future__ import annotations

import hashlib

__all__ = ["EUROPE", "SCALE", "europe_panel", "group_id"]

#: Europe in the world map's coordinates (x, y, width, height): Iceland and Portugal to the Urals, Crete to the
#: North Cape.
EUROPE = (4250, 150, 1750, 1050)
#: How many times the panel enlarges it.
SCALE = 3
_LABEL = 130  # the label's line above the panel


def group_id(content: str) -> str:
    """An id for a map's group of shapes, from what it draws: two maps on one page that draw the same share it
    (either is the right one to repeat), and a map redrawn for another day with the same colours (the explorer)
    keeps it."""
    return "tx-w" + hashlib.sha1(content.encode("utf-8")).hexdigest()[:10]


def europe_panel(ref: str, top: int, width: int) -> tuple[str, int]:
    """The panel (markup) placed at ``top`` and centred in ``width``, and the height it takes.

    ``ref`` is the id of the world map's group of shapes; the dashed frame it draws on the world map is included.
    """
    x, y, w, h = EUROPE
    pw, ph = w * SCALE, h * SCALE
    left, box_top = (width - pw) // 2, top + _LABEL + 40
    return (
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="#555" stroke-width="1.2" '
        'stroke-dasharray="6 4"/>'
        f'<text x="{left}" y="{top + _LABEL}" font-size="110" font-family="sans-serif" fill="#222" stroke="none">'
        f"Europe, enlarged {SCALE} times (the dashed frame on the map)</text>"
        f'<svg class="tx-inset" x="{left}" y="{box_top}" width="{pw}" height="{ph}" viewBox="{x} {y} {w} {h}">'
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="#fff" stroke="none"/><use href="#{ref}"/></svg>'
        f'<rect x="{left}" y="{box_top}" width="{pw}" height="{ph}" fill="none" stroke="#555" stroke-width="1.2"/>'
    ), _LABEL + 40 + ph + 60
