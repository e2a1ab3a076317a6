"""Two views of the depositary record side by side: what changed between snapshots, and fetching a new one.

A status page is rewritten in place, so an action can vanish without a note (Russia's CTBT ratification did);
comparing dated snapshots is the only way to see it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd

from .. import config
from ..countries import source_country
from .fetch import fetch
from .meta import read_meta
from .untc import CONSENT_CODES, parse_page, read_2014_table

_COLUMNS = ["treaty", "state", "role", "date", "code", "bracketed"]


def _registry(data_dir: Path | str | None = None) -> pd.DataFrame:
    treaties = pd.read_csv(config.data_dir(data_dir) / "treaties.csv", dtype=str, keep_default_na=False)
    return treaties[treaties["untc_file"] != ""]


def _role(role: str, code: str) -> str:
    if role == "consent" and code == "n":
        return "provisional"
    return role


def _page_cells(page_path: Path, treaty) -> list[tuple]:
    """The dated cells of one status page; ``noted`` marks a state an End Note says withdrew."""
    page = parse_page(page_path, mtdsg=treaty.mtdsg)
    noted = {
        source_country(person.name)
        for person in page.participants
        for number in person.notes
        if page.notes.get(number) and page.notes[number].kind in ("withdrawal", "signature_withdrawal")
    }
    rows = []
    for person in page.participants:
        iso3 = source_country(person.name)
        for role in ("signature", "provisional", "consent"):
            cell = getattr(person, role)
            if cell is not None:
                rows.append(
                    (treaty.id, iso3, _role(role, cell.code), cell.date, cell.code, cell.bracketed, iso3 in noted)
                )
    return rows


def _table_cells(csv_path: Path, treaty) -> list[tuple]:
    """The dated cells of one 2014 table (no End Notes there, so nothing is ``noted``)."""
    return [
        (
            treaty.id,
            source_country(cell["name"]),
            _role(cell["role"], cell["code"]),
            cell["date"],
            cell["code"],
            cell["bracketed"],
            False,
        )
        for cell in read_2014_table(csv_path)
    ]


def read_snapshot(folder: str | Path, data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per dated cell of every status table in a snapshot folder (HTML pages or the 2014 CSVs)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: snapshot folder not found")
    html = folder / "raw_html" if (folder / "raw_html").is_dir() else folder
    rows = []
    for treaty in _registry(data_dir).itertuples():
        page = html / treaty.untc_file
        csv_name = folder / (treaty.mtdsg.replace("XXVI", "26") + ".csv")
        if page.exists():
            rows += _page_cells(page, treaty)
        elif csv_name.exists():
            rows += _table_cells(csv_name, treaty)
    if not rows:
        raise ValueError(f"{folder}: no status page (*.html) or 2014 table (26-*.csv) of a registry treaty found")
    frame = pd.DataFrame(rows, columns=_COLUMNS + ["noted"])
    return frame.drop_duplicates(["treaty", "state", "role"], keep="first")


def diff(old: str | Path, new: str | Path, data_dir: Path | str | None = None) -> pd.DataFrame:
    """What changed from `old` to `new`: added, removed (flagged when no End Note explains it), re-dated, bracketed."""
    before, after = read_snapshot(old, data_dir), read_snapshot(new, data_dir)
    treaties = set(before["treaty"]) & set(after["treaty"])
    before, after = before[before["treaty"].isin(treaties)], after[after["treaty"].isin(treaties)]
    joined = before.merge(after, on=["treaty", "state", "role"], how="outer", suffixes=("_old", "_new"), indicator=True)
    noted_states = set(zip(after.loc[after["noted"], "treaty"], after.loc[after["noted"], "state"]))
    out = []
    for change_row in joined.to_dict("records"):
        if change_row["_merge"] == "left_only":
            change = (
                "removed" if (change_row["treaty"], change_row["state"]) in noted_states else "removed without a note"
            )
        elif change_row["_merge"] == "right_only":
            change = "added"
        elif change_row["date_old"] != change_row["date_new"] or change_row["code_old"] != change_row["code_new"]:
            change = "date or kind changed"
        elif bool(change_row["bracketed_old"]) != bool(change_row["bracketed_new"]):
            change = "bracketed (withdrawal in effect)" if change_row["bracketed_new"] else "brackets removed"
        else:
            continue
        out.append(
            {
                "treaty": change_row["treaty"],
                "state": change_row["state"],
                "role": change_row["role"],
                "change": change,
                "old": _cell(change_row["date_old"], change_row["code_old"]),
                "new": _cell(change_row["date_new"], change_row["code_new"]),
            }
        )
    return (
        pd.DataFrame(out, columns=["treaty", "state", "role", "change", "old", "new"])
        .sort_values(["treaty", "change", "state"])
        .reset_index(drop=True)
    )


def _cell(day, code) -> str:
    if day is None or pd.isna(day):
        return ""
    return f"{pd.Timestamp(day).date().isoformat()} {code}".strip()


def count_2014(folder: str | Path, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Parties and signatories each 2014 table shows (consents and signatures not in brackets)."""
    snap = read_snapshot(folder, data_dir)
    table_dates = read_meta("untc2014", data_dir)["table_dates"]  # the day each table was last changed
    reg = _registry(data_dir).set_index("id")
    rows = []
    for tid, cells in snap.groupby("treaty"):
        live = cells[~cells["bracketed"]]
        consent = live[(live["role"] == "consent") & live["code"].isin(list(CONSENT_CODES))]
        rows.append(
            {
                "treaty": tid,
                "as_of": table_dates[reg.loc[tid, "mtdsg"].replace("XXVI", "26")],
                "parties": consent["state"].nunique(),
                "signatories": live.loc[live["role"] == "signature", "state"].nunique(),
            }
        )
    return pd.DataFrame(rows)


def download(
    out: str | Path,
    base_url: str = "https://treaties.un.org",
    data_dir: Path | str | None = None,
    today: date | None = None,
    timeout: float = 60,
    deadline: float | None = None,
) -> Path:
    """Fetch every registry treaty's status page into out/untc-status-<today>/raw_html/; returns that folder.

    Each page has ``timeout`` seconds and all of them end by ``deadline`` (``time.monotonic()``). A page is
    written only once it has arrived whole and parses; an existing snapshot page is never overwritten.
    """
    today = today or date.today()
    folder = Path(out) / f"untc-status-{today.isoformat()}"
    html = folder / "raw_html"
    html.mkdir(parents=True, exist_ok=True)
    for treaty in _registry(data_dir).itertuples():
        url = f"{base_url.rstrip('/')}/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={treaty.mtdsg}&chapter=26&clang=_en"
        target = html / treaty.untc_file
        if target.exists():
            continue
        body = fetch(url, f"{treaty.mtdsg} ({treaty.id})", timeout, deadline)
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(body)
        try:
            page = parse_page(tmp, mtdsg=treaty.mtdsg)  # refuse a page that is not a whole status page
            if not re.fullmatch(r"XXVI-[\w-]+", page.mtdsg or treaty.mtdsg):
                raise ValueError(f"{url}: not a chapter XXVI status page")
        except ValueError:
            tmp.unlink()
            raise
        tmp.replace(target)
    return folder
