"""Two views of the depositary record side by side: what changed between snapshots, and fetching a new one.

A status page is rewritten in place, so an action can vanish without a note (Russia's CTBT ratification did);
comparing dated snapshots is the only way to see it.
"""

from __future__ import annotations

import re
import urllib.request
from datetime import date
from pathlib import Path

import pandas as pd

from .config import DATA_DIR
from .countries import resolve_country
from .untc import CONSENT_CODES, parse_page, read_2014_table

SNAPSHOT_2014_DATES = {  # the date each table of the 2013–14 scrape was last changed (its README)
    "26-1": "2014-01-27",
    "26-2": "2014-01-27",
    "26-2-a": "2014-01-27",
    "26-2-b": "2014-01-27",
    "26-2-c": "2013-09-27",
    "26-2-d": "2013-09-27",
    "26-3": "2014-01-27",
    "26-4": "2014-03-19",
    "26-5": "2014-01-27",
    "26-6": "2014-01-27",
    "26-7": "2013-07-06",
    "26-8": "2014-07-10",
}
_COLUMNS = ["treaty", "state", "role", "date", "code", "bracketed"]


def _registry(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    t = pd.read_csv(data_dir / "treaties.csv", dtype=str, keep_default_na=False)
    return t[t["untc_file"] != ""]


def _role(role: str, code: str) -> str:
    if role == "consent" and code == "n":
        return "provisional"
    return role


def read_snapshot(folder: str | Path, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """One row per dated cell of every status table in a snapshot folder (HTML pages or the 2014 CSVs)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: snapshot folder not found")
    html = folder / "raw_html" if (folder / "raw_html").is_dir() else folder
    rows = []
    for t in _registry(data_dir).itertuples():
        page = html / t.untc_file
        csv_name = folder / (t.mtdsg.replace("XXVI", "26") + ".csv")
        if page.exists():
            p = parse_page(page, mtdsg=t.mtdsg)
            noted = {
                resolve_country(x.name)
                for x in p.participants
                for n in x.notes
                if p.notes.get(n) and p.notes[n].kind in ("withdrawal", "signature_withdrawal")
            }
            for x in p.participants:
                iso3 = resolve_country(x.name)
                for role in ("signature", "provisional", "consent"):
                    c = getattr(x, role)
                    if c is not None:
                        rows.append((t.id, iso3, _role(role, c.code), c.date, c.code, c.bracketed, iso3 in noted))
        elif csv_name.exists():
            for r in read_2014_table(csv_name):
                rows.append(
                    (
                        t.id,
                        resolve_country(r["name"]),
                        _role(r["role"], r["code"]),
                        r["date"],
                        r["code"],
                        r["bracketed"],
                        False,
                    )
                )
    if not rows:
        raise ValueError(f"{folder}: no status page (*.html) or 2014 table (26-*.csv) of a registry treaty found")
    df = pd.DataFrame(rows, columns=_COLUMNS + ["noted"])
    return df.drop_duplicates(["treaty", "state", "role"], keep="first")


def diff(old: str | Path, new: str | Path, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """What changed from `old` to `new`: added, removed (flagged when no End Note explains it), re-dated, bracketed."""
    a, b = read_snapshot(old, data_dir), read_snapshot(new, data_dir)
    treaties = set(a["treaty"]) & set(b["treaty"])
    a, b = a[a["treaty"].isin(treaties)], b[b["treaty"].isin(treaties)]
    m = a.merge(b, on=["treaty", "state", "role"], how="outer", suffixes=("_old", "_new"), indicator=True)
    noted_states = set(zip(b.loc[b["noted"], "treaty"], b.loc[b["noted"], "state"]))
    out = []
    for r in m.to_dict("records"):
        if r["_merge"] == "left_only":
            change = "removed" if (r["treaty"], r["state"]) in noted_states else "removed without a note"
        elif r["_merge"] == "right_only":
            change = "added"
        elif r["date_old"] != r["date_new"] or r["code_old"] != r["code_new"]:
            change = "date or kind changed"
        elif bool(r["bracketed_old"]) != bool(r["bracketed_new"]):
            change = "bracketed (withdrawal in effect)" if r["bracketed_new"] else "brackets removed"
        else:
            continue
        out.append(
            {
                "treaty": r["treaty"],
                "state": r["state"],
                "role": r["role"],
                "change": change,
                "old": _cell(r["date_old"], r["code_old"]),
                "new": _cell(r["date_new"], r["code_new"]),
            }
        )
    return (
        pd.DataFrame(out, columns=["treaty", "state", "role", "change", "old", "new"])
        .sort_values(["treaty", "change", "state"])
        .reset_index(drop=True)
    )


def _cell(d, code) -> str:
    if d is None or pd.isna(d):
        return ""
    return f"{pd.Timestamp(d).date().isoformat()} {code}".strip()


def count_2014(folder: str | Path, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Parties and signatories each 2014 table shows (consents and signatures not in brackets)."""
    snap = read_snapshot(folder, data_dir)
    reg = _registry(data_dir).set_index("id")
    rows = []
    for tid, g in snap.groupby("treaty"):
        live = g[~g["bracketed"]]
        consent = live[(live["role"] == "consent") & live["code"].isin(list(CONSENT_CODES))]
        rows.append(
            {
                "treaty": tid,
                "as_of": SNAPSHOT_2014_DATES[reg.loc[tid, "mtdsg"].replace("XXVI", "26")],
                "parties": consent["state"].nunique(),
                "signatories": live.loc[live["role"] == "signature", "state"].nunique(),
            }
        )
    return pd.DataFrame(rows)


def download(
    out: str | Path,
    base_url: str = "https://treaties.un.org",
    data_dir: Path = DATA_DIR,
    today: date | None = None,
    timeout: float = 60,
) -> Path:
    """Fetch every registry treaty's status page into out/untc-status-<today>/raw_html/; returns that folder.

    A page is written only once it has arrived whole and parses; an existing snapshot is never overwritten.
    """
    today = today or date.today()
    folder = Path(out) / f"untc-status-{today.isoformat()}"
    html = folder / "raw_html"
    html.mkdir(parents=True, exist_ok=True)
    for t in _registry(data_dir).itertuples():
        url = f"{base_url.rstrip('/')}/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={t.mtdsg}&chapter=26&clang=_en"
        target = html / t.untc_file
        if target.exists():
            continue
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            body = resp.read()
        tmp = target.with_suffix(".part")
        tmp.write_bytes(body)
        page = parse_page(tmp, mtdsg=t.mtdsg)  # refuse a page that is not a status page
        if not re.fullmatch(r"XXVI-[\w-]+", page.mtdsg or t.mtdsg):
            raise ValueError(f"{url}: not a chapter XXVI status page")
        tmp.replace(target)
    return folder
