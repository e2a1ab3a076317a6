"""Figures: each returns its Figure, says what it shows in its title, and paints only with the statuses' palette."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgba

import analysis as a
from analysis import plots
from analysis.palette import STATUS_COLOR


def _colours(fig):
    """Every colour any artist of the figure paints with."""
    out = []
    for ax in fig.axes:
        for line in ax.get_lines():
            out += [line.get_color(), line.get_markerfacecolor(), line.get_markeredgecolor()]
        for patch in ax.patches:
            out += [patch.get_facecolor(), patch.get_edgecolor()]
        for im in ax.images:
            cmap = im.get_cmap()
            out += [cmap(i) for i in range(cmap.N)]
    return [to_rgba(c) for c in out if c is not None and not (isinstance(c, str) and c == "none")]


PALETTE = {to_rgba(c)[:3] for c in STATUS_COLOR.values()}


def _assert_palette(fig):
    """Every colour is a grey (axes, ink) or one of the palette's; and the palette is actually used."""
    used = set()
    for r, g, b, alpha in _colours(fig):
        if alpha == 0:  # not painted
            continue
        grey = abs(r - g) < 1e-6 and abs(g - b) < 1e-6
        assert grey or (r, g, b) in PALETTE, (r, g, b)
        used |= {(r, g, b)} & PALETTE - {(r, r, r)}
    assert used, "no palette colour in the figure"


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_country_timeline():
    fig = plots.country_timeline(a.country_profile("LTU", on="2026-02-03"))
    ax = fig.axes[0]
    assert "Lithuania" in ax.get_title()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "CCM" in labels and "APMBC (Ottawa)" in labels
    _assert_palette(fig)


def test_participation_curve_marks_exits():
    fig = plots.participation_curve("apmbc", start="1997-01-01", end="2026-02-03")
    ax = fig.axes[0]
    assert "APMBC" in ax.get_title()
    notes = {t.get_text() for t in ax.texts}
    assert {"EST", "LVA", "LTU", "FIN"} <= notes
    _assert_palette(fig)


def test_exits_swimlane():
    fig = plots.exits_swimlane(since="2024-01-01")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any(label.startswith("LTU") and "CCM" in label for label in labels)
    assert "since 2024-01-01" in fig.axes[0].get_title()
    _assert_palette(fig)
