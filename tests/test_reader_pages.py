"""The HTML pages speak to readers (issue 23): a cell tagged ``notebook-only`` ("change the parameters below ...
and run all cells") stays in JupyterLab and is left out of every page the batch renders."""

from __future__ import annotations

import re

import nbformat
import pytest

from analysis import config
from analysis.batch.render import NOTEBOOK_ONLY, exporter, render_html

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
TO_NOTEBOOK_USERS = re.compile(r"run (all|the) cells|change the parameters", re.IGNORECASE)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_instructions_for_notebook_users_sit_in_notebook_only_cells(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and TO_NOTEBOOK_USERS.search(cell.source):
            assert NOTEBOOK_ONLY in cell.metadata.get("tags", []), (path.name, cell.source[:80])


@pytest.fixture(scope="module")
def html_exporter():
    return exporter()


@pytest.mark.parametrize("name", ["country_report.ipynb", "explore.ipynb"])
def test_no_page_tells_its_reader_to_run_cells(name, html_exporter):
    nb = nbformat.read(config.NOTEBOOKS_DIR / name, as_version=4)
    assert any(NOTEBOOK_ONLY in c.metadata.get("tags", []) for c in nb.cells)  # the note is in the notebook
    page = {"version": "x", "status_date": "2026-01-01", "sources": [], "stamp": "", "index": "index.html"}
    page |= {"title": name, "history": None}
    html = render_html(nb, name, page, html_exporter)
    assert "<h1" in html or "<h2" in html  # a page was rendered
    assert not TO_NOTEBOOK_USERS.search(html)
    assert "without re-running a cell" not in html


def test_figures_are_inline_svg_with_their_text_as_text(html_exporter):
    """A figure's words (title, axis labels, legend) are text in the page, not drawn paths or a picture."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig, ax = plt.subplots()
        ax.set_title("Lithuania: years bound")
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        plt.close(fig)
    nb = nbformat.v4.new_notebook()
    output = nbformat.v4.new_output("display_data", data={"image/svg+xml": buffer.getvalue(), "text/plain": "<Figure>"})
    nb.cells.append(nbformat.v4.new_code_cell("fig", outputs=[output]))
    page = {"version": "x", "status_date": "2026-01-01", "sources": [], "stamp": "", "index": "index.html"}
    html = render_html(nb, "figure", page | {"title": "figure", "history": None}, html_exporter)
    opening = 'data-mime-type="image/svg+xml">'
    svg = html[html.index(opening) + len(opening) :]
    assert svg.lstrip().startswith("<svg") and "<?xml" not in svg[: svg.index("</svg>")]
    assert svg.index("<svg") < svg.index("Lithuania: years bound") < svg.index("</svg>")
