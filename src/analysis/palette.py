"""One palette for the statuses, shared by the figures, the maps, the badges and the index page.

Why one: a reader who learns on the index that orange means "withdrawal pending" must find the same orange on a
treaty's map and in a country's table. The colours are Okabe–Ito's categorical set (Okabe & Ito, "Color
Universal Design", 2008), chosen to stay distinct under the common colour-vision deficiencies. Colour never
carries meaning alone: badges print the status in words, figures and print-outs add a hatch per status, and
point plots a marker, so a greyscale print still tells the statuses apart.

Okabe–Ito has eight colours for eleven statuses; the rarest ones share a hue and differ by hatch
(``signature withdrawn`` and ``ratification revoked``), and the two states of "nothing" are greys
(``not signed`` light, ``not yet a state`` and ``ceased to exist`` darker, each hatched). This module imports only ``analysis.schema``.
"""

from __future__ import annotations

from .schema import NO_RECORD, STATUS_CODE, STATUS_SHORT, STATUSES

__all__ = [
    "LABELS",
    "LABEL_CODE",
    "OKABE_ITO",
    "STATUS_COLOR",
    "STATUS_HATCH",
    "STATUS_MARKER",
    "STATUS_TEXT_COLOR",
    "NO_DATA_COLOR",
    "status_color",
    "text_color",
    "badge_html",
    "legend_entries",
    "css_rules",
    "short_css",
]

#: Every label a reader sees: the statuses, then ``NO_RECORD`` (a treaty held only as curated events, no act on
#: record), which has its own colour, hatch, marker and code so that no page draws it as "not signed".
LABELS = (*STATUSES, NO_RECORD)
LABEL_CODE = {**STATUS_CODE, NO_RECORD: len(STATUSES)}
_SHORT = {**STATUS_SHORT, NO_RECORD: "?"}

#: The Okabe–Ito colours by their published names.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}

#: The fill of each status, everywhere.
STATUS_COLOR = {
    "not signed": "#E8E8E8",
    "signatory": OKABE_ITO["yellow"],
    "consent deposited": OKABE_ITO["sky blue"],
    "party": OKABE_ITO["blue"],
    "withdrawal pending": OKABE_ITO["orange"],
    "withdrawn": OKABE_ITO["vermillion"],
    "signature withdrawn": OKABE_ITO["reddish purple"],
    "ratification revoked": OKABE_ITO["reddish purple"],
    "suspended": OKABE_ITO["bluish green"],
    "terminated": OKABE_ITO["black"],
    "ceased to exist": "#9A9A9A",
    "not yet a state": "#CFCFCF",
    NO_RECORD: "#F3E9D2",
}
#: Hatches (matplotlib's notation; the maps draw the same as SVG patterns when printed).
STATUS_HATCH = {
    "withdrawal pending": "//",
    "withdrawn": "xxx",
    "signature withdrawn": "///",
    "ratification revoked": "\\\\\\",
    "suspended": "...",
    "terminated": "---",
    "ceased to exist": "++",
    "not yet a state": "||",
    NO_RECORD: "\\",
}
#: Markers for point plots, one per status.
STATUS_MARKER = {
    "not signed": ".",
    "signatory": "o",
    "consent deposited": "D",
    "party": "s",
    "withdrawal pending": "v",
    "withdrawn": "X",
    "signature withdrawn": "<",
    "ratification revoked": ">",
    "suspended": "P",
    "terminated": "*",
    "ceased to exist": "+",
    "not yet a state": "|",
    NO_RECORD: "1",
}
#: Shapes that are not states of the registry (territories, Antarctica): drawn, never coloured by status.
NO_DATA_COLOR = "#F7F7F7"


def _luminance(hex_color: str) -> float:
    """Relative luminance (WCAG 2), to pick a legible text colour on a fill."""
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_color(fill: str) -> str:
    """Black or white, whichever contrasts more with `fill`."""
    lum = _luminance(fill)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#FFFFFF"


#: The text colour on each status's badge.
STATUS_TEXT_COLOR = {status: text_color(color) for status, color in STATUS_COLOR.items()}


def status_color(status: str) -> str:
    """The fill of a status; an unknown status is an error, not a silent grey."""
    try:
        return STATUS_COLOR[status]
    except KeyError:
        raise KeyError(f"unknown status {status!r}; known: {', '.join(LABELS)}") from None


def badge_html(status: str, label: str | None = None) -> str:
    """A status as a coloured badge that also says it in words (colour is never the only carrier)."""
    from html import escape

    words = escape(label if label is not None else status)
    if status not in STATUS_COLOR:
        return f'<span class="tx-badge">{words}</span>'
    return f'<span class="tx-badge tx-s{LABEL_CODE[status]}">{words}</span>'


def legend_entries(statuses=None) -> list[dict]:
    """The legend's rows: status, code, short code, colour, text colour, hatch (or ""), in vocabulary order."""
    chosen = LABELS if statuses is None else [s for s in LABELS if s in set(statuses)]
    return [
        {
            "status": s,
            "code": LABEL_CODE[s],
            "short": _SHORT[s],
            "color": STATUS_COLOR[s],
            "text": STATUS_TEXT_COLOR[s],
            "hatch": STATUS_HATCH.get(s, ""),
        }
        for s in chosen
    ]


def css_rules() -> str:
    """CSS for the badges (``.tx-badge.tx-sN``), one rule per status code, from the palette."""
    rules = [
        ".tx-badge{display:inline-block;padding:0 .45em;border-radius:.6em;border:1px solid #555;"
        "font-size:.85em;line-height:1.45;white-space:nowrap}"
    ]
    rules += [f".tx-s{LABEL_CODE[s]}{{background:{STATUS_COLOR[s]};color:{STATUS_TEXT_COLOR[s]}}}" for s in LABELS]
    return "\n".join(rules)


def short_css() -> str:
    """CSS for the index's status cells and strips, by short code (``st-P``, ``st-W`` ...), from the palette."""
    rules = []
    for status, short in STATUS_SHORT.items():
        css = "st-" + ("NS" if short == "–" else short)
        rules.append(f".{css}{{background:{STATUS_COLOR[status]};color:{STATUS_TEXT_COLOR[status]}}}")
    return "\n".join(rules)
