"""The ICRC spreadsheet of states party to IHL and other related treaties, as of 2020-11-09.

It gives the day a state became party: no signatures, no kind of instrument, so every row's action is
``consent``. The merge uses it as a cross-check, and as the only source for the Geneva Protocol's consents that
UNODA lacks. The address, day and note of every row come from ``data/sources/icrc2020.json``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from ..countries import source_country
from ..schema import ICRC2020
from .meta import read_meta
from .unoda import SINGLE_DEPOSITARY, SourceFormatError, event_row

ICRC_SHEET = "IHL and other related Treaties"
#: The arms-control columns of the sheet's header row (row 2) and their registry ids.
ICRC_COLUMNS = {
    "Geneva Gas Prot. 1925": "geneva_protocol",
    "BWC 1972": "bwc",
    "ENMOD Conv. 1976": "enmod",
    "CCW 1980": "ccw",
    "CWC 1993": "cwc",
    "AP Mine Ban Conv. 1997": "apmbc",
    "Cluster Munitions 2008": "ccm",
    "ATT 2013": "att",
    "TPNW 2017": "tpnw",
}
#: A day typed as text in the sheet, as the ICRC writes it (dd.mm.yyyy or dd/mm/yyyy).
_TEXT_DAY = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")


def _icrc_date(cell, datemode: int, where: str) -> str:
    """An Excel date cell or a 'dd.mm.yyyy' text cell as an ISO day; anything else is one clear error."""
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        return datetime(*xlrd.xldate_as_tuple(cell.value, datemode)[:3]).date().isoformat()
    if cell.ctype == xlrd.XL_CELL_TEXT:
        match = _TEXT_DAY.fullmatch(cell.value.strip())
        if match:
            return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
    raise SourceFormatError(f"{where}: {cell.value!r} is not a date (Excel date or dd.mm.yyyy)")


def _columns(sheet, path: Path) -> tuple[list[str], dict[int, str]]:
    """The header row and the arms-control columns by position; every column of ``ICRC_COLUMNS`` must be there."""
    header = [str(sheet.cell_value(1, column)).strip() for column in range(sheet.ncols)]
    columns = {column: ICRC_COLUMNS[name] for column, name in enumerate(header) if name in ICRC_COLUMNS}
    missing = set(ICRC_COLUMNS) - {header[column] for column in columns}
    if missing:
        raise SourceFormatError(f"{path}: header row 2 lacks column(s) {sorted(missing)}")
    return header, columns


def _is_empty(cell) -> bool:
    import xlrd

    return cell.ctype == xlrd.XL_CELL_EMPTY or (cell.ctype == xlrd.XL_CELL_TEXT and not cell.value.strip())


def parse_icrc(path: Path | str, resolve=source_country, meta: dict | None = None) -> list[dict]:
    """One ``consent`` row per state and arms-control column (``ICRC_COLUMNS``) holding a date.

    ``meta`` defaults to ``data/sources/icrc2020.json``.
    """
    import xlrd

    path = Path(path)
    meta = meta or read_meta(ICRC2020)
    book = xlrd.open_workbook(str(path))
    if ICRC_SHEET not in book.sheet_names():
        raise SourceFormatError(f"{path}: no sheet {ICRC_SHEET!r} (has {book.sheet_names()})")
    sheet = book.sheet_by_name(ICRC_SHEET)
    header, columns = _columns(sheet, path)
    rows = []
    for line in range(2, sheet.nrows):
        name = str(sheet.cell_value(line, 0)).strip()
        if name == "Total":
            break
        if not name:
            continue
        state = resolve(name)
        for column, treaty_id in columns.items():
            cell = sheet.cell(line, column)
            if _is_empty(cell):
                continue
            where = f"{path}, sheet {ICRC_SHEET!r}, row {line + 1}, {header[column]!r}"
            day = _icrc_date(cell, book.datemode, where)
            note = f"{meta['row_note']}; row '{name}', column '{header[column]}'"
            rows.append(event_row(state, treaty_id, "consent", day, SINGLE_DEPOSITARY.get(treaty_id, ""), meta, note))
    return rows
