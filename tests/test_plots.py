"""Figures: each returns its Figure, says what it shows in its title, and reads in greyscale."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgba

import analysis as a
from analysis import plots


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


def _assert_grey(fig):
    for r, g, b, alpha in _colours(fig):
        if alpha == 0:  # not painted
            continue
        assert abs(r - g) < 1e-6 and abs(g - b) < 1e-6, (r, g, b)


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
    _assert_grey(fig)


def test_participation_curve_marks_exits():
    fig = plots.participation_curve("apmbc", start="1997-01-01", end="2026-02-03")
    ax = fig.axes[0]
    assert "APMBC" in ax.get_title()
    notes = {t.get_text() for t in ax.texts}
    assert {"EST", "LVA", "LTU", "FIN"} <= notes
    _assert_grey(fig)


def test_exits_swimlane():
    fig = plots.exits_swimlane(since="2024-01-01")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any(label.startswith("LTU") and "CCM" in label for label in labels)
    assert "since 2024-01-01" in fig.axes[0].get_title()
    _assert_grey(fig)
