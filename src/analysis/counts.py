"""Counts over time: how many states stood in each status on each day, and the state × treaty × period panel.

Both read the status engine's step table (``status._transitions``) with vectorized look-ups, never a loop over
events or days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .dataset import Dataset, load
from .lifetimes import ORIGIN, first_signatures
from .schema import DEPOSITED, IN_FORCE, STATUS_CODE, STATUSES
from .status import _transitions, as_day, bound_codes, resolve_treaty

__all__ = ["party_counts", "panel", "FREQ_ALIAS"]

#: The period names the API accepts, as pandas' period-end aliases.
FREQ_ALIAS = {"D": "D", "M": "ME", "Y": "YE", "ME": "ME", "YE": "YE"}


def _freq_alias(freq: str, allowed=("D", "M", "Y", "ME", "YE")) -> str:
    if freq not in allowed:
        raise ValueError(f"freq must be 'D', 'M' or 'Y', not {freq!r}")
    return FREQ_ALIAS[freq]


def party_counts(treaty: str, freq: str = "D", start=None, end=None, ds: Dataset | None = None) -> pd.DataFrame:
    """Number of states in each status over time.

    One column per status, plus `parties` (bound, in force), `deposited` (as the depositary's header counts
    parties) and `signed` (signatures standing on the depositary's list, as its header counts signatories).
    """
    ds = ds or load()
    tid = resolve_treaty(treaty, ds)
    tr = _transitions(ds)
    t = tr[tr["treaty"] == tid]
    prev = t.groupby("state")["code"].shift(1, fill_value=0)
    delta = pd.concat(
        [
            pd.DataFrame({"date": t["date"], "code": t["code"], "d": 1}),
            pd.DataFrame({"date": t["date"], "code": prev, "d": -1}),
        ]
    )
    wide = delta.pivot_table(index="date", columns="code", values="d", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=range(len(STATUSES)), fill_value=0).cumsum()
    wide.columns = list(STATUSES)
    real = wide.index[wide.index > pd.Timestamp(ORIGIN)]  # the "not yet a state" origin is not a record's start
    first = real.min() if len(real) else pd.Timestamp("1970-01-01")
    start = as_day(start) if start is not None else first
    end = as_day(end) if end is not None else max(as_day(None, ds=ds), wide.index.max() if len(wide) else first)
    alias = _freq_alias(freq)
    days = pd.date_range(min(start, first), end, freq="D")
    daily = wide.reindex(days, method="ffill").fillna(0).astype(int)
    daily["signed"] = _signed_series(ds, tid, days).to_numpy()
    out = daily if alias == "D" else daily.resample(alias).last()
    out = out[out.index >= start]
    out = out.drop(columns="not signed")
    out["parties"] = out[list(IN_FORCE)].sum(axis=1)
    out["deposited"] = out[list(DEPOSITED)].sum(axis=1)
    out = out[[c for c in out.columns if c != "signed"] + ["signed"]]
    out.index.name = "date"
    return out


def _signed_series(ds: Dataset, tid: str, days: pd.DatetimeIndex) -> pd.Series:
    """States whose signature stands on the depositary's list each day: signed, and not withdrawn or gone."""
    sig = first_signatures(ds, tid)
    tr = _transitions(ds)
    t = tr[(tr["treaty"] == tid) & tr["code"].isin([STATUS_CODE["withdrawn"], STATUS_CODE["ceased to exist"]])]
    gone = t.groupby("state")["date"].min().reindex(sig.index)
    gone = gone[gone.notna() & (gone >= sig.reindex(gone.index))]
    plus = sig.value_counts().sort_index()
    minus = gone.value_counts().sort_index()
    delta = plus.sub(minus, fill_value=0).sort_index().cumsum()
    if delta.empty:
        return pd.Series(0, index=days)
    return delta.reindex(days.union(delta.index)).ffill().fillna(0).astype(int).reindex(days)


def panel(freq: str = "Y", start="1977-01-01", end=None, ds: Dataset | None = None) -> pd.DataFrame:
    """State × treaty × period table with the status at each period's end and a 0/1 `bound` column.

    The usual input of event-history models; write it with `.to_csv()` or `.to_parquet()`.
    """
    ds = ds or load()
    alias = _freq_alias(freq, allowed=("D", "M", "Y"))
    periods = pd.date_range(as_day(start, ds=ds), as_day(end, ds=ds), freq=alias)
    tr = _transitions(ds)
    pairs = tr[["state", "treaty"]].drop_duplicates().reset_index(drop=True)
    pair_id = (
        pd.MultiIndex.from_frame(tr[["state", "treaty"]])
        .map({k: i for i, k in enumerate(pd.MultiIndex.from_frame(pairs))}.get)
        .to_numpy()
    )
    # per pair: steps sorted by date; position of each period in them via searchsorted on a combined key
    n = len(pairs)
    # one sortable key per (pair, day); days shifted so that dates before 1970 stay positive
    shift = 1 << 30
    key = pair_id.astype(np.int64) * (1 << 40) + tr["date"].values.astype("datetime64[D]").astype(np.int64) + shift
    order = np.argsort(key, kind="stable")
    key, codes = key[order], tr["code"].to_numpy()[order]
    pday = periods.values.astype("datetime64[D]").astype(np.int64) + shift
    q = (np.arange(n, dtype=np.int64)[:, None] * (1 << 40) + pday[None, :]).ravel()
    pos = np.searchsorted(key, q, side="right") - 1
    valid = pos >= 0
    same = np.zeros(len(q), dtype=bool)
    same[valid] = (key[pos[valid]] >> 40) == np.repeat(np.arange(n), len(periods))[valid]
    out_codes = np.where(same, codes[np.clip(pos, 0, None)], 0).astype(np.int8)
    out = pd.DataFrame(
        {
            "state": np.repeat(pairs["state"].to_numpy(), len(periods)),
            "treaty": np.repeat(pairs["treaty"].to_numpy(), len(periods)),
            "period": np.tile(periods.values, n),
        }
    )
    out["status"] = pd.Categorical.from_codes(out_codes, categories=list(STATUSES))
    out["bound"] = np.isin(out_codes, bound_codes("in_force")).astype(np.int8)
    return out
