"""Broken versions of our own fixture pages (tests/fixtures), each the way a download or an edit goes wrong."""

from __future__ import annotations

import re

from conftest import FIXTURES

CCM = FIXTURES / "untc_ccm_excerpt.html"
APMBC = FIXTURES / "untc_apmbc_excerpt.html"


def text(path=CCM) -> str:
    return path.read_text(encoding="utf-8")


def without_row(page: str, name: str) -> str:
    """The page without the participants row of ``name`` (its header counts unchanged)."""
    row = re.compile(rf"<tr class=\"\w+\">\s*<td>{name}\b.*?</tr>", re.S)
    assert row.search(page), name
    return row.sub("", page, count=1)


def with_counts(page: str, signatories: int, parties: int) -> str:
    return re.sub(r"Signatories : \d+\. Parties : \d+", f"Signatories : {signatories}. Parties : {parties}", page)


def truncated(page: str, share: float = 0.9) -> str:
    return page[: int(len(page) * share)]


def emptied(page: str) -> str:
    """The status header over a participants table that holds only its header row."""
    head, _, rest = page.partition('<tr class="trBWhite">')
    return head + "</table>" + rest[rest.index("</table>") + len("</table>") :]


def without_notes(page: str) -> str:
    return re.sub(r"<table class=\"table\">.*?</table>", "", page, flags=re.S)


def with_cell(page: str, name: str, old: str, new: str) -> str:
    """One cell of ``name``'s row rewritten (``old`` → ``new``)."""
    row = re.search(rf"<td>{name}\b.*?</tr>", page, re.S)
    return page[: row.start()] + row.group(0).replace(old, new, 1) + page[row.end() :]


def without_cell(page: str, name: str) -> str:
    """``name``'s row with its last cell missing."""
    row = re.search(rf"<td>{name}\b.*?</tr>", page, re.S)
    cut = row.group(0).rsplit("<td>", 1)[0] + "</tr>"
    return page[: row.start()] + cut + page[row.end() :]


def renamed(page: str, name: str, new: str) -> str:
    return page.replace(f"<td>{name}<br>", f"<td>{new}<br>", 1)
