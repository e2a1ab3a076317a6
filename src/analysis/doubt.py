"""How a page shows what the record does not know exactly: a date in words, a status marked † with its reason.

Why a module of its own: the tables (``analysis.tables``) and the page's table markup (``analysis.present``) each
need the same three rules, and a reader must find them the same everywhere:

- a date the sources give less precisely than a day is said in words ("between 10 Apr 1972 and 6 Mar 1979", "on
  11 Jan 2003 or on 10 Apr 2003"; ``schema.describe_edtf``), never as the day the engine reads it at;
- a status that depends on how an uncertain date is read shows the statuses the readings allow, marked †
  ("party or not signed †"), and a footnote under the table says why (``Status.because``);
- the CSV under such a table carries the ``certain``, ``possible`` and ``because`` columns; a table where every
  status is certain drops them, so that a page with nothing uncertain is exactly what it was.
"""

from __future__ import annotations

import html

import pandas as pd

from .countries import country_name
from .counts import party_counts
from .lookup import record_end_said_in_words
from .schema import describe_day, describe_edtf, parse_edtf
from .status import status
from .text import md

__all__ = [
    "MARK",
    "COLUMNS",
    "when",
    "between",
    "effect_edtf",
    "count_doubts",
    "uncertain_columns",
    "split",
    "marked_statuses",
]

#: The marker on a cell whose status depends on the reading of an uncertain date.
MARK = "†"
#: The columns a table gives for its uncertain cells (raw names; a page shows them as "Certain", ...).
COLUMNS = ("certain", "possible", "because")
_SHOWN = tuple(name.capitalize() for name in COLUMNS)


def when(day, edtf="") -> str:
    """An act's date as a page shows it: ``YYYY-MM-DD``, or in words when the source gives less than the day."""
    if isinstance(edtf, str) and edtf:
        value = parse_edtf(edtf)
        return value.earliest.isoformat() if value.exact else describe_edtf(edtf)
    return "" if day is None or pd.isna(day) else pd.Timestamp(day).strftime("%Y-%m-%d")


def between(early, late) -> str:
    """A day that depends on the readings (entry into force after an uncertain consent), from the early reading's
    day to the late one's: ``YYYY-MM-DD`` where they agree, else in words."""
    if pd.isna(early) or (pd.notna(late) and early == late):
        return when(late)
    first = describe_day(pd.Timestamp(early).date())
    return (
        f"between {first} and {describe_day(pd.Timestamp(late).date())}"
        if pd.notna(late)
        else f"on or after {first}, or not yet"
    )


def effect_edtf(r) -> str:
    """An exit's effect (a ``withdrawals()`` row) as the sources give it: its own text, else the notice's when the act takes effect on its
    own day (a suspension without a later effect: "on or after 29 Mar 2024" for both; a withdrawal has its own)."""
    own, notice = getattr(r, "effective_edtf", ""), getattr(r, "notice_edtf", "")
    return own or (notice if r.kind != "withdrawal" and r.effective == r.notice_deposited else "")


def uncertain_columns(table: pd.DataFrame, day, ds) -> pd.DataFrame:
    """For rows of a ``status_table`` (``state``, ``treaty``, ``certain``, ``possible``), on its index:
    ``certain``, ``possible`` and, where the readings differ, ``because`` and ``label`` in words (``status()``;
    "party or not signed: the consent is dated between 25 Oct 1973 and 31 Dec 1980")."""
    out = table[["certain", "possible"]].astype({"certain": bool, "possible": str})
    out["because"], out["label"] = "", ""
    for row in out.index[~out["certain"]]:
        with record_end_said_in_words():  # a day past the record: the page says so where it shows the status
            answer = status(table.at[row, "state"], table.at[row, "treaty"], on=day, ds=ds)
        out.loc[row, ["because", "label"]] = [answer.because or "", answer.label]
    return out


def split(shown: pd.DataFrame, key: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """A table as people see it (``present.for_people``) → what the page shows, what its CSV holds, the footnote.

    The page drops the three columns and writes, in each uncertain row's "Status", the possible statuses and †;
    the footnote names the row (by its `key` column, default its name, treaty or state) and says why. Where every status is
    certain, both drop the columns and there is no footnote.
    """
    present = [c for c in _SHOWN if c in shown.columns]
    if "Certain" not in present:
        return shown, shown, ""
    unsure = ~shown["Certain"].isin(["True", "1"])
    if not unsure.any():
        plain = shown.drop(columns=present)
        return plain, plain, ""
    page = shown.drop(columns=present)
    if "Status" in page.columns and "Possible" in present:
        page.loc[unsure, "Status"] = shown.loc[unsure, "Possible"] + f" {MARK}"
    key = key or next((c for c in ("Name", "Treaty", "State") if c in page.columns), page.columns[0])
    why = shown["Because"] if "Because" in present else pd.Series("", index=shown.index)
    reasons = "; ".join(f"{k}: {w}" if w else str(k) for k, w in zip(page.loc[unsure, key], why[unsure]))
    note = (
        f'<p class="tx-uncertain-note" style="margin:.2em 0;font-size:.85em">{MARK} The status depends on how an '
        f"uncertain date is read: the sources bound the date, they do not give the day ({html.escape(reasons)}).</p>"
    )
    return page, shown, note


def marked_statuses(value: str) -> tuple[list[str], bool]:
    """A status cell's statuses and whether it carries the mark: "party or not signed †" → both, True."""
    marked = value.endswith(f" {MARK}")
    text = value.removesuffix(f" {MARK}")
    return (text.split(" or ") if marked else [text]), marked


def count_doubts(tid: str, day, bound: pd.DataFrame, ds) -> str:
    """What the count of parties does not know, in words, for the sentence under the participation curve: on the
    day, the most states the readings allow beside the list (``parties``' bounds), and the days the curve's band
    covers. Empty where every date that matters is known to the day."""
    low, high = bound.attrs["bounds"]
    text = ""
    if low < high:  # the list holds the states bound in every reading; the others, by name
        who = ", ".join(map(country_name, bound.attrs["uncertain"]))
        text += f" Read the other way, the uncertain dates allow up to {high} ({md(who)}: the sources bound the day)."
    counts = party_counts(tid, end=day, ds=ds)
    spread = counts[counts["lower"] < counts["upper"]]
    if len(spread):
        most = int((spread["upper"] - spread["lower"]).max())
        text += (
            f" On some days from {spread.index[0]:%-d %B %Y} to {spread.index[-1]:%-d %B %Y} the sources leave the "
            f"count open by up to {most} state{'s' * (most > 1)} (the shaded band): they bound the dates of some "
            "acts, not the day."
        )
    return text
