"""Text as the package reads and writes it: bytes decoded as UTF-8 with the bad byte located, and data strings
made safe to place in the Markdown that the report pages render.

A report renders Markdown, and Markdown passes raw HTML through: a state or treaty name, a note or a source
holding ``<script>`` or ``onerror=`` would run in every reader's browser. Every data string that goes into
Markdown goes through ``md`` first: HTML's special characters become entities and link brackets are escaped, so
it shows as the text it is. (Tables are escaped by pandas; the index page by its template.)
"""

from __future__ import annotations

import html
import json

__all__ = ["md", "script_json", "utf8", "NotUtf8"]


def md(value, quote: bool = False) -> str:
    """``value`` as literal text inside Markdown: ``<``, ``>`` and ``&`` (and quotes, if asked) as entities,
    ``[`` and ``]`` escaped."""
    return html.escape(str(value), quote=quote).replace("[", "\\[").replace("]", "\\]")


def script_json(data) -> str:
    """``data`` as JSON safe inside a page's ``<script>`` element: ``<``, ``>`` and ``&`` as ``\\u`` escapes.

    Escaping ``</`` alone is not enough: ``<!--`` followed by ``<script`` in a string (a state named
    ``Estonia<!--<script>``) switches the HTML parser into a state in which the next ``</script>`` does not
    close the element, and the page's data and controls break. ``JSON.parse`` reads the escapes back as the
    characters they stand for."""
    text = json.dumps(data, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class NotUtf8(ValueError):
    """Bytes that are not UTF-8, with where: the 1-based line and the first bad byte (each reader words its error)."""

    def __init__(self, line: int, byte: int):
        super().__init__(f"line {line}: byte 0x{byte:02x} is not UTF-8")
        self.line, self.byte = line, byte


def utf8(raw: bytes) -> str:
    """The bytes decoded as UTF-8; otherwise ``NotUtf8`` naming the line and the byte (one decoder for the data
    files and the depositary pages, which differ only in what they tell the reader)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8(raw[: exc.start].count(b"\n") + 1, raw[exc.start]) from None
