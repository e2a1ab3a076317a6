"""Write the events, the spells and the panel for other tools: CSV, Parquet, Stata ``.dta`` and Excel.

A researcher working in Stata or R should not have to rebuild a table by hand: each export is the same frame
``analysis`` computes, written once, with its labels. The Stata file carries a variable label per column and
value labels for the statuses and the 0/1 columns, all taken from the codebook; its dates are Stata days (%td). A
date known less precisely than a day travels as its EDTF text (``date_edtf``) with its bounds as days
(``date_earliest``, ``date_latest``, ...), in every format.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import codebook, config
from .about import versions
from .dataset import Dataset, load
from .exits import withdrawals
from .panels import PANEL_FREQS, event_panel, spells
from .status import with_no_record

__all__ = ["export", "table", "with_join_codes", "neutralised", "TABLES", "FORMATS", "JOIN_CODES"]

#: What can be exported: ``exits`` is one row per exit with its timing and reason codes (``withdrawals``),
#: ``reasons`` the coded quotes of data/reasons.csv.
TABLES = ("events", "spells", "panel", "exits", "reasons")
#: The file formats, by the suffix that selects each.
FORMATS = {"csv": ".csv", "parquet": ".parquet", "dta": ".dta", "xlsx": ".xlsx"}
_EXCEL_ROWS = 1_048_575  # a sheet's rows, less the header
#: What every export carries right after ``state`` (the ISO 3166-1 alpha-3 code): the state's name and the codes
#: the README tells researchers to merge on (Correlates of War number and abbreviation, Gleditsch–Ward number).
JOIN_CODES = ("name", "cow", "cow_abb", "gw")
_CATEGORICAL_TEXT = ("state", "treaty", "action", "source_kind", "status", "region", "subregion")
#: A text cell starting with one of these is read as a formula by a spreadsheet (OWASP's CSV-injection rule).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def table(name: str, freq: str = "Y", start=None, end=None, ds: Dataset | None = None) -> pd.DataFrame:
    """The frame an export writes: ``events``, ``spells``, ``panel`` (at ``freq``, from ``start`` to ``end``),
    ``exits`` (their status on ``end``, default today) or ``reasons``; events, spells and panel with the state's
    name and join codes (``JOIN_CODES``) after ``state``."""
    ds = ds or load()
    if name == "events":
        return with_join_codes(ds.events.reset_index(drop=True), ds)
    if name == "spells":  # a pair without any act in a treaty held as curated events: NO_RECORD, as on the pages
        return with_join_codes(with_no_record(spells(ds), ds), ds)
    if name == "panel":
        return with_join_codes(with_no_record(event_panel(freq=freq, start=start, end=end, ds=ds), ds), ds)
    if name == "exits":
        return withdrawals(ds, on=end)
    if name == "reasons":
        return ds.reasons.reset_index(drop=True)
    raise ValueError(f"table must be one of {', '.join(TABLES)}, not {name!r}")


def with_join_codes(frame: pd.DataFrame, ds: Dataset | None = None) -> pd.DataFrame:
    """``frame`` with ``JOIN_CODES`` from states.csv inserted right after its ``state`` column.

    Why: a researcher merging the panel with COW or Gleditsch–Ward data should not have to merge states.csv
    first. ``cow`` and ``gw`` are integers (missing where the list has no number: Stata's ``.``, an empty CSV
    cell); ``name`` and ``cow_abb`` are text ('' where missing).
    """
    ds = ds or load()
    keys = frame["state"].astype(str)
    out = frame.copy()
    at = out.columns.get_loc("state") + 1
    for offset, column in enumerate(JOIN_CODES):
        values = keys.map(ds.states[column].astype(str).replace("nan", ""))
        if column in ("cow", "gw"):
            values = pd.to_numeric(values.replace("", None), errors="coerce").astype("Int64")
        else:
            values = values.fillna("").astype(object)
        out.insert(at + offset, column, values.array)
    return out


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        return fmt
    for name, suffix in FORMATS.items():
        if path.suffix.lower() == suffix:
            return name
    raise ValueError(f"{path}: cannot tell the format from the suffix; give one of {', '.join(FORMATS)}")


def _for_stata(frame: pd.DataFrame) -> pd.DataFrame:
    """Stata's types: coded text as labelled integers, other text as plain strings, missing text as '', true/false
    as 1/0 (missing: empty)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_bool_dtype(series.dtype):
            out[column] = series.astype("Float64").astype("float64")
            continue
        if column in _CATEGORICAL_TEXT and not isinstance(series.dtype, pd.CategoricalDtype):
            out[column] = series.astype("category")
        elif isinstance(series.dtype, pd.CategoricalDtype):
            continue
        elif pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.fillna("").astype(object)
    return out


def _write_stata(frame: pd.DataFrame, path: Path, note: str, what: str) -> None:
    data = _for_stata(frame)
    labels = {c: codebook.label(c, what)[:80] for c in data.columns if codebook.label(c, what)}
    long_text = [c for c in data.columns if data[c].dtype == object and data[c].str.len().max() > 2000]
    days = {c: "td" for c in data.columns if pd.api.types.is_datetime64_any_dtype(data[c])}  # days, not instants
    data.to_stata(
        path,
        write_index=False,
        version=118,
        convert_dates=days,
        variable_labels=labels,
        value_labels=codebook.value_labels(data.columns),
        data_label=note[:80],
        convert_strl=long_text,
    )


def _defused(value):
    """A text that a spreadsheet would run as a formula, quoted; a signed number ('-12') is read as a number."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab,
    carriage return first) prefixed with a single quote, as OWASP advises: a note ``=HYPERLINK(...)`` written
    to Excel as is becomes a live formula. Numbers stay numbers (``-1`` is no text)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            categories = list(series.cat.categories)
            if _may_be_formula(categories):
                out[column] = series.cat.rename_categories([_defused(c) for c in categories])
        elif (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)) and _may_be_formula(
            series.to_numpy(dtype=object)
        ):  # most text columns hold none: left as they are
            out[column] = series.map(_defused, na_action="ignore")
    return out


def _may_be_formula(values) -> bool:
    """Whether any text among ``values`` starts as a formula would: a categorical column asks of its categories, a
    text column of its cells, before either is rewritten (``map`` made a new column, a Python call per cell, for
    every text column of every CSV)."""
    return any(isinstance(v, str) and v.startswith(FORMULA_START) for v in values)


def _write_excel(frame: pd.DataFrame, path: Path, note: str) -> None:
    if len(frame) > _EXCEL_ROWS:
        raise ValueError(
            f"{len(frame):,} rows do not fit an Excel sheet ({_EXCEL_ROWS:,}); use csv, parquet or dta, "
            "or a yearly panel"
        )
    labels = pd.DataFrame({"field": frame.columns, "label": [codebook.label(c) for c in frame.columns]})
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        neutralised(frame).to_excel(writer, sheet_name="data", index=False)
        labels.to_excel(writer, sheet_name="codebook", index=False)
        pd.DataFrame({"about": [note]}).to_excel(writer, sheet_name="version", index=False)


def export(
    what: str = "panel",
    path: Path | str | None = None,
    format: str | None = None,
    freq: str = "Y",
    start=None,
    end=None,
    ds: Dataset | None = None,
) -> Path:
    """Write ``events``, ``spells``, the ``panel``, the ``exits`` or the ``reasons`` to ``path`` (format from
    ``format`` or the suffix).

    ``freq`` (``Y``, ``M``, ``D``), ``start`` and ``end`` shape the panel. Returns the path written. The
    Stata file's data label and the Excel file's ``version`` sheet name the package and data versions.
    """
    ds = ds or load()
    if freq not in PANEL_FREQS:
        raise ValueError(f"freq must be one of {', '.join(PANEL_FREQS)}, not {freq!r}")
    target = Path(path) if path is not None else Path(f"{what}{FORMATS[format or 'csv']}")
    kind = _format_of(target, format)
    config.outside_data(target)  # no export may overwrite the data it is made from
    frame = table(what, freq=freq, start=start, end=end, ds=ds)
    note = versions(ds)
    if kind == "csv":
        frame.to_csv(target, index=False, date_format="%Y-%m-%d")
    elif kind == "parquet":
        frame.to_parquet(target, index=False)
    elif kind == "dta":
        _write_stata(frame, target, note, what)
    else:
        _write_excel(frame, target, note)
    return target
