"""How the reports show things to people: tables, the data behind them, sources as links, and how to cite.

Why a module of its own: the report pages are read and shared by journalists and analysts, not by pandas users.
A table here has no index column, labels in words, dates that do not wrap, statuses as coloured badges that
also say the status in words, and scrolls inside its box when wide. Under every table and figure sits a
"download CSV" link holding exactly the rows shown; in a notebook it is a ``data:`` link (works anywhere), and
the batch builder turns it into a file beside the page (``extract_csv_links``) so that pages stay small and the
folder can be copied and opened offline. Everything is styled inline, so a page needs no stylesheet to read.
"""

from __future__ import annotations

import base64
import html
import re
from urllib.parse import urlparse

import pandas as pd

from .about import __version__, cite, data_version
from .chains import exit_steps
from .countries import resolve_countries
from .counts import party_counts
from .dataset import Dataset, load
from .doubt import MARK, marked_statuses, split, when
from .export import neutralised
from .lookup import act_day
from .palette import STATUS_COLOR, STATUS_TEXT_COLOR
from .schema import CONSENT, EXIT_KIND_TEXT, SOURCE_KINDS
from .status import as_day, resolve_treaties

__all__ = [
    "Html",
    "table",
    "csv_link",
    "extract_csv_links",
    "source_label",
    "sources",
    "citation",
    "rows_of",
    "participation_steps",
    "exit_chains",
    "LABELS",
]

#: Column labels in words, for the raw names the analysis tables use.
LABELS = {
    "id": "Code",
    "state": "State",
    "iso3": "ISO3",
    "name": "Name",
    "treaty": "Treaty",
    "treaty_name": "Treaty",
    "kind": "Kind",
    "announced": "Announced",
    "parliament_vote": "Parliament vote",
    "notice_deposited": "Notice deposited",
    "effective": "In effect",
    "first_notice": "First notice",
    "last_notice": "Last notice",
    "last_effect": "Last effect",
    "states": "States",
    "size": "States (number)",
    "group": "Group",
    "relation": "Relation",
    "exit_notice": "Exit notice",
}
#: A "download CSV" link as the notebook writes it (nbconvert may reorder a tag's attributes: match any order).
_CSV_TAG = re.compile(r'<a class="tx-csv"[^>]*>')
_CSV_NAME = re.compile(r'download="([\w.-]+\.csv)"')
_CSV_DATA = re.compile(r'href="data:text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]*)"')
_STATUS_WORDS = set(STATUS_COLOR)  # every label with a colour: the statuses and "no record (events only)"


class Html:
    """Markup a notebook displays as HTML; its plain-text form is a one-line summary (what nbval compares)."""

    def __init__(self, markup: str, summary: str):
        self.markup, self.summary = markup, summary

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.summary


def _label(column) -> str:
    text = str(column)
    return LABELS.get(text, text.replace("_", " ")[:1].upper() + text.replace("_", " ")[1:])


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as shown: a named index becomes a column, labels in words, days as YYYY-MM-DD, no NaN."""
    out = frame.reset_index() if any(n is not None for n in frame.index.names) else frame.reset_index(drop=True)
    out.columns = [_label(c) for c in out.columns]
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.strftime("%Y-%m-%d").fillna("")
        else:
            out[column] = [_cell_text(v) for v in values.astype(object)]
    return out


def _cell_text(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, list | tuple | set):
        return ", ".join(str(v) for v in value)
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def badge(status: str) -> str:
    """A status as a coloured badge with its words (inline style: no stylesheet needed)."""
    if status not in STATUS_COLOR:
        return html.escape(status)
    return (
        f'<span class="tx-badge" data-status="{status}" style="background:{STATUS_COLOR[status]};'
        f"color:{STATUS_TEXT_COLOR[status]};padding:0 .45em;border-radius:.6em;border:1px solid #555;"
        f'white-space:nowrap">{html.escape(status)}</span>'
    )


def _cell(value: str, column_is_status: bool) -> str:
    if column_is_status:  # a status the readings of an uncertain date leave open: each possible one, and †
        statuses, marked = marked_statuses(value)
        return f"<td>{' or '.join(map(badge, statuses))}{f'<sup>{MARK}</sup>' * marked}</td>"
    if re.fullmatch(r"https?://\S+", value):  # a source: a link with a readable label (the CSV keeps the address)
        return f'<td><a href="{html.escape(value)}" rel="noopener">{html.escape(source_label(value))}</a></td>'
    nowrap = ' style="white-space:nowrap"' if re.fullmatch(r"\d{4}-\d{2}-\d{2}( \(.*\))?", value) else ""
    return f"<td{nowrap}>{html.escape(value)}</td>"


def _is_status_column(values: pd.Series) -> bool:
    present = {s for v in set(values) - {""} for s in marked_statuses(v)[0]}
    return bool(present) and len(present & _STATUS_WORDS) >= max(1, len(present) - 1)


def csv_link(frame: pd.DataFrame, name: str, what: str = "the rows shown") -> Html:
    """A "download CSV" link holding `frame` (as shown: labels in words, no index) under a table or figure."""
    shown = frame if list(frame.columns) == [_label(c) for c in frame.columns] else for_people(frame)
    shown = split(shown)[1]  # the certain/possible/because columns only where a status is uncertain
    if not re.fullmatch(r"[\w-]+", name):
        raise ValueError(f"CSV name {name!r}: use letters, digits, '-' and '_' only")
    csv = neutralised(shown).to_csv(index=False, lineterminator="\n")  # opened in spreadsheets: no live formula
    data = base64.b64encode(csv.encode("utf-8")).decode("ascii")
    markup = (
        f'<p class="tx-csv-line" style="margin:.2em 0 1em;font-size:.85em"><a class="tx-csv" download="{name}.csv" '
        f'href="data:text/csv;charset=utf-8;base64,{data}" data-rows="{len(shown)}">download CSV</a> '
        f"({len(shown)} rows: {html.escape(what)})</p>"
    )
    return Html(markup, f"[CSV {name}.csv: {len(shown)} rows]")


def table(frame: pd.DataFrame, name: str, caption: str | None = None) -> Html:
    """A table for people, in a box that scrolls when wide, with its "download CSV" link underneath."""
    shown, full, note = split(for_people(frame))
    status_columns = [_is_status_column(shown[c]) for c in shown.columns]
    head = "".join(f'<th style="text-align:left">{html.escape(c)}</th>' for c in shown.columns)
    rows = "".join(
        "<tr>" + "".join(_cell(v, s) for v, s in zip(row, status_columns)) + "</tr>"
        for row in shown.itertuples(index=False)
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    markup = (
        f'<div class="tx-table-box" style="overflow-x:auto;max-width:100%">'
        f'<table class="tx-table" data-name="{name}">{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        f"</div>{note}{csv_link(full, name).markup}"
    )
    return Html(markup, f"[table {name}: {len(shown)} rows × {len(shown.columns)} columns]")


def extract_csv_links(page: str, folder: str) -> tuple[str, dict[str, bytes]]:
    """The batch builder's step: each ``data:`` CSV link becomes ``folder/NAME.csv``; returns page and files."""
    files: dict[str, bytes] = {}

    def to_file(tag: re.Match) -> str:
        name, data = _CSV_NAME.search(tag.group(0)), _CSV_DATA.search(tag.group(0))
        if not (name and data):
            return tag.group(0)
        files[name.group(1)] = base64.b64decode(data.group(1))
        return tag.group(0).replace(data.group(0), f'href="{folder}/{name.group(1)}"')

    return _CSV_TAG.sub(to_file, page), files


# ---- sources you can follow ------------------------------------------------------------------------------------

#: Publishers of the sources the data cites most, by web domain (others are shown by their domain).
PUBLISHERS = {
    "treaties.un.org": "UN Treaty Collection",
    "disarmament.un.org": "UNODA Treaties Database",
    "treaties.unoda.org": "UNODA Treaties Database",
    "ihl-databases.icrc.org": "ICRC IHL Databases",
    "state.gov": "US Department of State",
    "2017-2021.state.gov": "US Department of State",
    "2009-2017.state.gov": "US Department of State",
    "kremlin.ru": "President of Russia",
    "en.kremlin.ru": "President of Russia",
    "mid.ru": "Ministry of Foreign Affairs of Russia",
    "opcw.org": "OPCW",
    "osce.org": "OSCE",
    "nti.org": "NTI",
    "armscontrol.org": "Arms Control Association",
}
_KIND_ORDER = ["depositary", "government", "international organisation", "press"]
_DEPOSITARY = {"UN": "UN Secretary-General"}


def source_label(source: str, source_date=None) -> str:
    """Publisher (or domain), what the address names, and the day the source speaks for."""
    parsed = urlparse(source)
    if not parsed.netloc:
        return source
    domain = parsed.netloc.lower().removeprefix("www.")
    publisher = PUBLISHERS.get(domain, domain)
    query = dict(p.split("=", 1) for p in parsed.query.split("&") if "=" in p)
    if "mtdsg_no" in query:
        what = f"status page {query['mtdsg_no']}"
    else:
        slug = next((s for s in reversed(parsed.path.split("/")) if s), "")
        words = re.sub(r"\.(s?html?|php|aspx?)$", "", slug).replace("-", " ").replace("_", " ").split()
        # ids in addresses (article numbers, hex digests) say nothing to a reader
        words = [w for w in words if not re.fullmatch(r"\d+|(?=.*\d)[0-9A-Fa-f]{4,}", w)]
        what = " ".join(words)[:90]
    day = f", {pd.Timestamp(source_date):%Y-%m-%d}" if source_date is not None and pd.notna(source_date) else ""
    return f"{publisher}: {what}{day}" if what else f"{publisher}{day}"


def _row_text(row, names: dict) -> str:
    treaty = names.get(row.treaty, row.treaty)  # (the treaties' short names)
    parts = [f"{row.state} · {treaty} · {row.action.replace('_', ' ')} {when(row.date, row.date_edtf)}"]
    if row.depositary:
        parts.append(f"depositary: {_DEPOSITARY.get(row.depositary, row.depositary)}")
    if row.ref:
        parts.append(row.ref)
    return " · ".join(parts)


def sources(rows: pd.DataFrame, ds: Dataset | None = None) -> Html:
    """The sources of the given data rows as links, grouped by kind, each with the rows it supports."""
    ds = ds or load()
    parts, total = [], 0
    kinds = [k for k in _KIND_ORDER if k in SOURCE_KINDS] + sorted(set(rows["source_kind"]) - set(_KIND_ORDER))
    names = ds.treaties["short_name"].to_dict()  # each row's text once, from the 7 columns it needs (not ~50: 15 ms)
    needs = rows[["state", "treaty", "action", "date", "date_edtf", "depositary", "ref"]].itertuples()
    rows = rows.assign(_text=[_row_text(r, names) for r in needs])
    for kind in kinds:
        of_kind = rows[rows["source_kind"] == kind]
        if not len(of_kind):
            continue
        items = []
        for source, supported in of_kind.sort_values(["date"]).groupby("source", sort=False):
            total += 1
            label = html.escape(source_label(source, supported["source_date"].max()))
            link = (
                f'<a href="{html.escape(source)}" rel="noopener">{label}</a>'
                if re.match(r"https?://", source)
                else label
            )
            lines = "".join(f"<li>{html.escape(text)}</li>" for text in supported["_text"])
            items.append(
                f"<li>{link}<details><summary>supports {len(supported)} row{'s' * (len(supported) != 1)}"
                f"</summary><ul>{lines}</ul></details></li>"
            )
        parts.append(f"<h4>{html.escape(kind.capitalize())} ({len(items)})</h4><ul>{''.join(items)}</ul>")
    markup = f'<div class="tx-sources">{"".join(parts)}</div>'
    return Html(markup, f"[{total} sources for {len(rows)} rows]")


def citation(title: str, ds: Dataset | None = None) -> Html:
    """The citation box at the end of a page: the page, then the dataset and package as ``analysis.about.cite``
    gives them (from ``CITATION.cff``, with the data version in use), the data version and the status date."""
    ds = ds or load()
    text = f"“{title}”, a report of {cite('text', ds)} Status date {ds.status_date:%d %B %Y}."
    bibtex = cite("bibtex", ds)
    markup = (
        '<aside class="tx-cite" id="cite" style="border:1px solid #999;border-radius:4px;padding:.6em 1em;'
        'margin:1.5em 0;background:#fafafa"><h3 style="margin-top:0">How to cite this page</h3>'
        f"<p>{html.escape(text)}</p><p>Data version <b>{html.escape(data_version(ds))}</b> · status date "
        f"<b>{ds.status_date:%Y-%m-%d}</b> · package {html.escape(__version__)}</p>"
        f'<details><summary>BibTeX</summary><pre style="white-space:pre-wrap">{html.escape(bibtex)}</pre></details>'
        "</aside>"
    )
    return Html(markup, text)


# ---- the data rows behind a page -------------------------------------------------------------------------------


def rows_of(ds: Dataset, states=None, treaties=None, exits: pd.DataFrame | None = None, on=None) -> pd.DataFrame:
    """The data rows a page rests on: a state's or a treaty's rows up to the day, or every row of the given exits
    (the exit itself and the domestic steps of the same state in the same treaty)."""
    events = ds.events
    keep = pd.Series(True, index=events.index)
    if states is not None:
        keep &= events["state"].isin(resolve_countries(states))
    if treaties is not None:
        keep &= events["treaty"].isin(resolve_treaties(treaties, ds))
    if exits is not None:
        pairs = set(zip(exits["state"], exits["treaty"]))
        keep &= pd.Series([pair in pairs for pair in zip(events["state"], events["treaty"])], index=events.index)
        keep &= ~events["action"].isin(("signature",) + tuple(CONSENT))
    if on is not None:
        keep &= act_day(events) <= as_day(on)  # an uncertain act: from its first possible day
    return events[keep]


def participation_steps(treaty: str, on, ds: Dataset) -> pd.DataFrame:
    """The participation curve's data: the counts on each day they change, up to the day."""
    counts = party_counts(treaty, freq="D", end=on, ds=ds)
    changed = counts.ne(counts.shift()).any(axis=1)
    out = counts[changed].rename_axis("day").reset_index()
    out["day"] = out["day"].dt.strftime("%Y-%m-%d")
    return out


#: The links of an exit's chain in words (``schema.EXIT_LINKS``).
_LINK_TEXT = {
    "announcement": "announcement", "decision": "government decision or decree", "vote": "parliament vote",
    "law": "law (signed or promulgated)", "notice": "notice to the depositary", "notice_ref": "notice's number",
    "effect": "effect",
}  # fmt: skip
_UNCHECKED = "Not yet looked for: the audit of every link covers the exits since 2019 (data/README.md, Exit chains)."


def exit_chains(ds: Dataset | None = None, state=None, treaty=None, on=None) -> Html:
    """Each exit's chain known on the day, link by link: the day and its source, or why no day is given (not
    found: where it was looked for; not applicable: why). Links dated after the day are left out; the effect of
    an exit still pending is shown, as the exits table shows it."""
    ds = ds or load()
    day = as_day(on if on is not None else ds.status_date, "on")
    chains = exit_steps(ds, state=state, treaty=treaty)
    chains = chains[(chains["exit_date"] <= day) & ~((chains["link"] != "effect") & (chains["date"] > day))]
    if not len(chains):
        return Html("<p>No exit is on record.</p>", "[no exit on record]")
    names = ds.treaties["short_name"]
    shown = pd.DataFrame(
        {
            "state": chains["state"],
            "exit": [
                f"{names.get(t, t)}: {EXIT_KIND_TEXT.get(k, k)} of {d:%Y-%m-%d}"
                for t, k, d in zip(chains["treaty"], chains["kind"], chains["exit_date"])
            ],
            "link": chains["link"].map(_LINK_TEXT),
            "date": [when(d, e) for d, e in zip(chains["date"], chains["date_edtf"])],  # less than a day: words
            "finding": chains["finding"],
            "reference": chains["ref"],
            "source": chains["source"],
            "where looked, or why": [
                _UNCHECKED if f == "not checked" else (f"Looked in: {w}. " if w else "") + n if f != "dated" else ""
                for w, n, f in zip(chains["looked_in"], chains["note"], chains["finding"])
            ],
        }
    )  # fmt: skip
    return table(shown, "exit_chains")
