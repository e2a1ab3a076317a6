"""A report page: the executed notebook as one offline HTML page (nbconvert, template ``treaty_exits``), written
atomically.

The page has no code, no parameters cell, images embedded as data URIs, no CDN; its footer names the data
version, status date and sources, and a ``treaty-exits-stamp`` meta tag records what it was built from. The data
behind each table and figure ("download CSV", a ``data:`` link in the notebook) is written as a file into a
folder beside the page (``countries/LTU_data/exits.csv``), so that pages stay small and still work offline when
their folder is copied.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from .. import config
from ..present import extract_csv_links
from .plan import Job

#: The tag of a notebook cell that speaks to notebook users ("change the parameters below ... and run all cells"):
#: it stays in JupyterLab and is left out of every HTML page, which speaks to readers.
NOTEBOOK_ONLY = "notebook-only"

__all__ = ["exporter", "render_html", "page_info", "write_atomic", "write_page", "PageWriter"]


#: script and style blocks (left as they are: their text is data, e.g. a map's JSON), an image without alt text,
#: an output area
_MARKUP = re.compile(
    r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>)"
    r"|<img(?![^>]*\balt=)"
    r'|<div class="([^"]*\bjp-OutputArea-output\b[^"]*)"',
    re.S | re.I,
)


def _accessible(page: str) -> str:
    """What nbconvert's HTMLExporter adds by re-parsing the whole page with BeautifulSoup (an alt text on every
    image, outputs reachable by the keyboard), done in one pass of a regular expression that skips the text of
    scripts and styles, as a parser would."""

    def fix(found: re.Match) -> str:
        if found.group(1):
            return found.group(1)
        if found.group(2):
            return f'<div class="{found.group(2)}" tabindex="0"'
        return '<img alt="Figure"'

    return _MARKUP.sub(fix, page)


def _exporter_class():
    """HTMLExporter without its last step: re-parsing and re-serializing the finished page with BeautifulSoup
    took about 60% of the export (the page carries 260 KB of inline CSS); ``_accessible`` does what it added."""
    from jinja2 import pass_context
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name"))
            self.register_filter(
                "highlight_code", self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            )
            resources = self._init_resources(resources)
            types = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
            self.register_filter("filter_data_type", types)
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _accessible(page), resources

        @pass_context
        def markdown2html(self, context, source):
            """The same text gives the same HTML: a report's markdown cells are its notebook's, the same on every
            page, so each is converted once per exporter, not once per page (a cell with attachments, whose
            images the HTML embeds, is converted each time)."""
            if context.get("cell", {}).get("attachments"):
                return super().markdown2html(context, source)
            key = (source, context.get("resources", {}).get("metadata", {}).get("path", ""))
            seen = self.__dict__.setdefault("_markdown_seen", {})  # this exporter's own (one per worker)
            html = seen.get(key)
            if html is None:
                if len(seen) >= 512:  # a page's own markdown outputs are new each time: keep the cache small
                    seen.clear()
                html = seen[key] = super().markdown2html(context, source)
            return html

    return ReportExporter


def exporter():
    """nbconvert's HTML exporter with the ``treaty_exits`` template (slow to build: make one per worker)."""
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {"injected-parameters", "parameters", "remove-cell", NOTEBOOK_ONLY}
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.extra_template_basedirs = [str(config.TEMPLATES_DIR)]
    c.HTMLExporter.template_name = config.REPORT_TEMPLATE
    # the notebook is validated once, after the last preprocessor, not after each of the 12 (17 ms a page)
    c.HTMLExporter.optimistic_validation = True
    return _exporter_class()(config=c)


def render_html(nb, title: str, page: dict, html_exporter=None) -> str:
    """The executed notebook as one offline HTML page (no code, no CDN, images embedded)."""
    html_exporter = html_exporter or exporter()
    body, _ = html_exporter.from_notebook_node(nb, resources={"metadata": {"name": title}, "treaty_exits": page})
    return body


def page_info(ds, job: Job, stamp_text: str) -> dict:
    """What the template shows besides the notebook: provenance, the stamp, the way back to the index."""
    return {
        "version": ds.version,
        "status_date": ds.status_date.isoformat(),
        "sources": list(ds.sources),
        "stamp": stamp_text,
        "index": "../" * job.path.count("/") + "index.html",
        "title": job.title,
        "history": "history.html" if job.day else None,  # a report of a series links to the series' page
    }


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then move it into place (never a half-written report)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_page(path: Path, page: str) -> None:
    """The page and the CSV files its links name, each written atomically; the CSVs first, so that a page never
    links to a file not yet there. CSVs of an earlier build that the page no longer names are removed."""
    folder = f"{path.stem}_data"
    page, files = extract_csv_links(page, folder)
    for name, content in files.items():
        write_atomic(path.parent / folder / name, content.decode("utf-8"))
    stale = path.parent / folder
    for old in stale.glob("*.csv") if stale.is_dir() else []:
        if old.name not in files:
            old.unlink()
    write_atomic(path, page)


class PageWriter:
    """A worker's ``finish`` step: render an executed report with this worker's own exporter, write it to `out`."""

    def __init__(self, out: Path):
        self.out = out
        self.exporter = exporter()

    def __call__(self, task, nb) -> None:
        job = task.job
        write_page(self.out / job.path, render_html(nb, f"{job.title} · treaty-exits", task.page, self.exporter))
