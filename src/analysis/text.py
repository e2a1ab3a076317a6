"""Data strings made safe to place in the Markdown that the report pages render.

A report renders Markdown, and Markdown passes raw HTML through: a state or treaty name, a note or a source
holding ``<script>`` or ``onerror=`` would run in every reader's browser. Every data string that goes into
Markdown goes through ``md`` first: HTML's special characters become entities and link brackets are escaped, so
it shows as the text it is. (Tables are escaped by pandas; the index page by its template.)
"""

from __future__ import annotations

import html

__all__ = ["md"]


def md(value, quote: bool = False) -> str:
    """``value`` as literal text inside Markdown: ``<``, ``>`` and ``&`` (and quotes, if asked) as entities,
    ``[`` and ``]`` escaped."""
    return html.escape(str(value), quote=quote).replace("[", "\\[").replace("]", "\\]")
