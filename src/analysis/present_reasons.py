"""The reasons states stated for their exits, as a page shows them: each exit, its codes, and its quotes with
their step, day and source link (data/reasons.csv).

Why a module of its own: ``present`` holds the pages' tables and sources; the quotes are prose, escaped with
``text.md`` like every data string placed in Markdown, and linked with ``present.source_label``'s words.
"""

from __future__ import annotations

import re

import pandas as pd

from .dataset import Dataset, load
from .present import source_label
from .schema import EXIT_KIND_TEXT, describe_edtf
from .text import md

__all__ = ["exit_reasons"]


def _link(source: str) -> str:
    """A source as a Markdown link (an http(s) address), or as plain text."""
    label = md(source_label(source))
    if not re.match(r"https?://\S+$", source):
        return label
    address = source.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
    return f"[{label}]({address})"


def _reason_line(row) -> str:
    """One quote (or the note that none was stated) with its step, day and source link."""
    day = f"{row.date:%d %B %Y}" if pd.notna(row.date) else describe_edtf(row.date_edtf)
    step = row.step.replace("_", " ")
    if not row.quote:
        said = "no reason found" if row.codes == "not_found" else "no reason stated"
        return f"  - {said} ({step}, {day}); looked for in {_link(row.source)} and as the note says"
    english = f" (in English: “{md(row.translation)}”)" if row.translation else ""
    return f"  - “{md(row.quote)}”{english} ({step}, {day}; {_link(row.source)})"


def exit_reasons(exits: pd.DataFrame, ds: Dataset | None = None) -> str:
    """Markdown: for each exit of ``exits`` (a ``withdrawals`` table), the reasons the state stated, quoted, with
    their codes and source links (data/reasons.csv); an exit without a row says so."""
    ds = ds or load()
    if not len(exits):
        return "No exit is on record, so no reasons either."
    rows = ds.reasons
    lines = []
    for exit in exits.itertuples(index=False):
        mine = rows[(rows["state"] == exit.state) & (rows["treaty"] == exit.treaty)
                    & (rows["exit_date"] == exit.notice_deposited)]  # fmt: skip
        head = f"- **{md(exit.name)} · {md(exit.treaty_name)}** ({EXIT_KIND_TEXT.get(exit.kind, exit.kind)}, "
        head += f"{exit.notice_deposited:%d %B %Y})"
        if not len(mine):
            lines.append(head + ": no reasons on record yet.")
            continue
        codes = [c for c in dict.fromkeys("|".join(mine["codes"]).split("|")) if c not in ("none_stated", "not_found")]
        lines.append(
            head + (f": {', '.join(c.replace('_', ' ') for c in codes)}" if codes else ": no reason on record")
        )
        lines += [_reason_line(r) for r in mine.itertuples(index=False)]
    return "\n".join(lines)
