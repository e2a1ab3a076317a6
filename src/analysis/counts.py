"""Who counts as a party, how many states stood in each status on each day, and the state × treaty × period panel.

All read the status engine's step table (``status._transitions``) with vectorized look-ups, never a loop over
events or days. A count says which definition it used (``.attrs["definition"]``, one line): "in force" or
"deposited" and, for the NPT, with or without the DPRK, whose 2003 withdrawal UNODA does not record (UNODA's
published count, 191 NPT states parties, includes it: ``parties("npt", basis="unoda")`` reproduces it and says
what it counts differently in ``.attrs["explanation"]``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .countries import country_name
from .dataset import Dataset, load
from .lifetimes import ORIGIN, first_signatures
from .lookup import beyond_record, check_span, record_end, record_end_said_in_words, record_flags
from .schema import CONSENT, DEPOSITED, IN_FORCE, STATUS_CODE, STATUSES, describe_edtf
from .status import _transitions, as_day, bound_codes, resolve_treaty
from .uncertainty import certain_grid, day_bounds, series_bounds, steps_for

__all__ = [
    "parties",
    "parties_text",
    "PartyList",
    "party_counts",
    "panel",
    "definition_text",
    "opening_days",
    "FREQ_ALIAS",
    "NPT_DPRK",
]

#: How the NPT counts the DPRK: "exclude" (its withdrawal of 2003 in effect, as this dataset records it) or
#: "include" (its consent of 1985 still counted, as UNODA's Treaties Database counts it).
NPT_DPRK = ("exclude", "include")
_DPRK = "PRK"
_BASIS_TEXT = {
    "in_force": "states for which the treaty was in force (a pending withdrawal or a suspension still counts)",
    "deposited": "states that had deposited an instrument of consent, in force for them or not, as the "
    "depositary's header counts parties (a pending withdrawal or a suspension still counts)",
}

#: The period names the API accepts, as pandas' period-end aliases.
FREQ_ALIAS = {"D": "D", "M": "ME", "Y": "YE", "ME": "ME", "YE": "YE"}


def _freq_alias(freq: str, allowed=("D", "M", "Y", "ME", "YE")) -> str:
    if freq not in allowed:
        raise ValueError(f"freq must be 'D', 'M' or 'Y', not {freq!r}")
    return FREQ_ALIAS[freq]


class PartyList(list):
    """The parties' ISO3 codes, sorted (a plain list to every caller), with ``attrs`` as a pandas object has:
    ``definition`` (one line), ``basis``, ``npt_dprk``, ``day``, ``known_until``, ``projected`` and
    ``later_source`` (the states whose status on the day is projected past the record, or rests on an act from a
    later source, as ``status()`` flags them), for ``basis="unoda"``, ``explanation``, and ``bounds`` (the fewest
    and the most parties the readings of the uncertain dates allow): the list holds the states counted in every
    reading, ``uncertain`` those counted in some."""

    def __init__(self, codes, attrs: dict):
        super().__init__(sorted(codes))
        self.attrs = attrs


def _dprk_dates(ds: Dataset) -> tuple[str, str]:
    """The DPRK's last NPT notice of withdrawal and the day it took effect in this dataset (ISO days)."""
    ev = ds.events
    notice = ev[(ev["state"] == _DPRK) & (ev["treaty"] == "npt") & (ev["action"] == "withdrawal")]
    if not len(notice):
        return "", ""
    last = notice.sort_values("date").iloc[-1]
    tr = _transitions(ds)
    gone = tr[(tr["state"] == _DPRK) & (tr["treaty"] == "npt") & (tr["code"] == STATUS_CODE["withdrawn"])]
    effect = f"{gone['date'].min():%Y-%m-%d}" if len(gone) else ""
    text = last.get("effective_date_edtf", "")  # an effect on one of several days: the late one, and the words
    effect += f" at the latest (its effect is dated {describe_edtf(text)})" if isinstance(text, str) and text else ""
    return f"{last['date']:%Y-%m-%d}", effect


def definition_text(treaty: str, basis: str, npt_dprk: str = "exclude", day=None, ds: Dataset | None = None) -> str:
    """The one line a count carries: what it counted (basis) and, for the NPT, how it treats the DPRK."""
    ds = ds or load()
    tid = resolve_treaty(treaty, ds)
    when = f" on {as_day(day, ds=ds):%Y-%m-%d}" if day is not None else ""
    label = basis.replace("_", " ")
    text = f"{ds.treaties.loc[tid, 'short_name']} parties{when}, {label}: {_BASIS_TEXT[basis]}"
    if tid == "npt":
        notice, effect = _dprk_dates(ds)
        text += (
            f"; the DPRK is counted although it gave notice of withdrawal on {notice} (in effect from {effect} in "
            "this dataset), as UNODA counts it"
            if npt_dprk == "include"
            else f"; the DPRK is not counted from {effect}, when its notice of withdrawal of {notice} took effect "
            "(UNODA, which records no NPT withdrawal, still counts it)"
        )
    return text + "."


def _unoda_explanation(codes: set[str], own: set[str], ds: Dataset) -> str:
    """Why UNODA's NPT count differs from this dataset's: what each counts, named and dated from the data."""
    notice, effect = _dprk_dates(ds)
    ev = ds.events
    first = ev[(ev["treaty"] == "npt") & ev["action"].isin(CONSENT)].groupby("state")["date"].min()
    accession = f"{first[_DPRK]:%Y-%m-%d}" if _DPRK in first.index else "not on record"
    palestine = (
        f" The State of Palestine (accession {first['PSE']:%Y-%m-%d}) is counted by both." if "PSE" in own else ""
    )
    return (
        f"UNODA's count of NPT states parties: {len(codes)} = this dataset's {len(own)} states with an instrument "
        f"of consent deposited and no withdrawal in effect + the DPRK ({country_name(_DPRK)}; accession "
        f"{accession}). The DPRK announced its withdrawal on {notice}, which this dataset treats as in effect from "
        f"{effect}; UNODA's Treaties Database records no NPT withdrawal and still lists the DPRK's accession, so "
        f"UNODA counts it.{palestine}"
    )


def _check_dprk(npt_dprk: str, tid: str) -> None:
    if npt_dprk not in NPT_DPRK:
        raise ValueError(f"npt_dprk must be 'exclude' or 'include', not {npt_dprk!r}")
    if npt_dprk == "include" and tid != "npt":
        raise ValueError(f"npt_dprk='include' applies to the NPT only, not to {tid!r}")


def parties(
    treaty: str, on=None, basis: str = "in_force", ds: Dataset | None = None, npt_dprk: str = "exclude"
) -> PartyList:
    """ISO3 codes of the parties on a day, with the definition used in ``.attrs["definition"]``.

    ``basis``: ``"in_force"`` (bound), ``"deposited"`` (as the depositary's header counts) or, for the NPT,
    ``"unoda"``: UNODA's published count (deposited, the DPRK included), with ``.attrs["explanation"]``.
    ``npt_dprk="include"`` counts the DPRK after its withdrawal (NPT only). A day past ``known_until`` warns and
    lists the projected and later-source states in ``.attrs`` (as ``status_table`` flags them).
    """
    ds = ds or load()
    tid, day = resolve_treaty(treaty, ds), as_day(on, ds=ds)
    unoda = basis == "unoda"
    if unoda and tid != "npt":
        raise ValueError(f"basis='unoda' reproduces UNODA's NPT count only, not {tid!r}'s")
    basis, npt_dprk = ("deposited", "include") if unoda else (basis, npt_dprk)
    _check_dprk(npt_dprk, tid)
    beyond_record([tid], day, ds)
    tr = _transitions(ds)
    last = tr[(tr["treaty"] == tid) & (tr["date"] <= day)].drop_duplicates("state", keep="last").reset_index()
    always, sometimes, never = day_bounds(ds, tid, day, bound_codes(basis))
    own = (set(last.loc[last["code"].isin(bound_codes(basis)), "state"]) - sometimes - never) | always
    left = last.loc[(last["state"] == _DPRK) & (last["code"] == STATUS_CODE["withdrawn"]), "state"]
    codes = own | set(left) if npt_dprk == "include" else own
    projected, later = record_flags(ds, tr, last, last["code"].to_numpy(), day)
    end = record_end(tid, ds)
    attrs = {
        "definition": definition_text(tid, basis, npt_dprk, day, ds),
        "basis": "unoda" if unoda else basis,
        "npt_dprk": npt_dprk if tid == "npt" else None,
        "day": day.date(),
        "known_until": end,
        "projected": sorted(last.loc[projected, "state"]),
        "later_source": sorted(last.loc[later, "state"]),
        "bounds": (len(codes), len(codes) + len(sometimes - codes)),
        "uncertain": sorted(sometimes - codes),
    }
    if unoda:
        attrs["explanation"] = _unoda_explanation(codes, own, ds)
    return PartyList(codes, attrs)


def parties_text(treaty: str, on=None, basis: str = "in_force", npt_dprk: str = "exclude", ds=None) -> str:
    """What ``treaty-exits parties`` prints: the count, its definition, UNODA's difference, the record's end."""
    with record_end_said_in_words():  # said in words below
        found = parties(treaty, on, basis, ds, npt_dprk)
    attrs = found.attrs
    low, high = attrs["bounds"]
    lines = [f"{len(found)} parties" + (f" (between {low} and {high}: {', '.join(attrs['uncertain'])})" * (low < high))]
    lines.append(f"definition: {attrs['definition']}")
    if "explanation" in attrs:
        lines.append(f"difference: {attrs['explanation']}")
    if attrs["known_until"] is not None and attrs["day"] > attrs["known_until"]:
        lines.append(
            f"note: the record stops on {attrs['known_until']:%Y-%m-%d}; status projected past it: "
            f"{', '.join(attrs['projected']) or 'none'}; known from a later source: "
            f"{', '.join(attrs['later_source']) or 'none'}"
        )
    return "\n".join(lines)


def _dprk_withdrawn(tr: pd.DataFrame, tid: str, days: pd.DatetimeIndex) -> np.ndarray:
    """1 on the days the DPRK's withdrawal from ``tid`` is in effect, else 0."""
    steps = tr[(tr["treaty"] == tid) & (tr["state"] == _DPRK)].set_index("date")["code"]
    codes = steps.reindex(days.union(steps.index)).ffill().reindex(days).fillna(0)
    return (codes == STATUS_CODE["withdrawn"]).astype(int).to_numpy()


def party_counts(
    treaty: str, freq: str = "D", start=None, end=None, ds: Dataset | None = None, npt_dprk: str = "exclude"
) -> pd.DataFrame:
    """Number of states in each status over time, with the definitions used in ``.attrs["definition"]``.

    One column per status, plus `parties` (bound, in force), `deposited` (as the depositary's header counts
    parties) and `signed` (signatures standing on the depositary's list, as its header counts signatories).
    ``npt_dprk="include"`` adds the DPRK to `parties` and `deposited` after its withdrawal, as UNODA counts it
    (NPT only; its `withdrawn` column still counts it). Where an uncertain date makes a count depend on the
    reading, the status columns, `parties` and `deposited` count the late reading (each act counted once it surely
    happened) and `lower`/`upper` (`deposited_lower`/`deposited_upper`) give the fewest and the most any allows.
    """
    ds = ds or load()
    tid = resolve_treaty(treaty, ds)
    start, end = (None if d is None else as_day(d) for d in (start, end))  # (each bad day: one line, as before)
    # a treaty page asks for the same counts three times (the curve, its CSV, the sentence under it): made once
    return _party_counts(ds, tid, freq, start, end, npt_dprk).copy()


@lru_cache(maxsize=2)  # a few MB each (every day since the treaty opened): a page needs one
def _party_counts(ds: Dataset, tid: str, freq: str, start, end, npt_dprk: str) -> pd.DataFrame:
    _check_dprk(npt_dprk, tid)
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
    first = _record_start(ds, tid, wide.index)
    start = as_day(start) if start is not None else first
    end = as_day(end) if end is not None else max(as_day(None, ds=ds), wide.index.max() if len(wide) else first)
    alias = _freq_alias(freq)
    if start != first:  # a start asked for must come before the end (the record's own start may not)
        check_span(start, end, freq)
    days = pd.date_range(min(start, first), end, freq="D")
    daily = wide.reindex(days, method="ffill").fillna(0).astype(int)
    daily["signed"] = _signed_series(ds, tid, days).to_numpy()
    out = daily if alias == "D" else daily.resample(alias).last()
    out = out[out.index >= start]
    out = out.drop(columns="not signed")
    dprk = _dprk_withdrawn(tr, tid, out.index) if npt_dprk == "include" else 0
    out["parties"] = out[list(IN_FORCE)].sum(axis=1) + dprk
    out["deposited"] = out[list(DEPOSITED)].sum(axis=1) + dprk
    for column, counted in (("parties", IN_FORCE), ("deposited", DEPOSITED)):
        low, high = series_bounds(ds, tid, out.index, [STATUS_CODE[s] for s in counted])
        prefix = "" if column == "parties" else "deposited_"
        out[prefix + "lower"], out[prefix + "upper"] = out[column] + low, out[column] + high
    out = out[[c for c in out.columns if c != "signed"] + ["signed"]]  # lower, upper: parties' bounds
    out.index.name = "date"
    out.attrs["definition"] = (
        f"`parties`: {definition_text(tid, 'in_force', npt_dprk, None, ds)} "
        f"`deposited`: {_BASIS_TEXT['deposited']}"
        + ("; the DPRK as in `parties`" if tid == "npt" else "")
        + ". `signed`: signatures standing on the depositary's list."
    )
    out.attrs["known_until"] = record_end(tid, ds)
    return out


def _record_start(ds: Dataset, tid: str, steps: pd.DatetimeIndex) -> pd.Timestamp:
    """The treaty's first act: a state's first or last day (its `since`, `until`) is a step, not a record's start."""
    acts = ds.events.loc[ds.events["treaty"] == tid, "date"]
    if len(acts):
        return acts.min()
    real = steps[steps > pd.Timestamp(ORIGIN)]
    return real.min() if len(real) else pd.Timestamp("1970-01-01")


def _signed_series(ds: Dataset, tid: str, days: pd.DatetimeIndex) -> pd.Series:
    """States whose signature stands on the depositary's list each day: signed, and not withdrawn or gone.

    Inside a gap in the state's existence its signature is off the list; from the gap's end it stands again."""
    sig = first_signatures(ds, tid)
    tr = _transitions(ds)
    t = tr[(tr["treaty"] == tid) & tr["code"].isin([STATUS_CODE["withdrawn"], STATUS_CODE["ceased to exist"]])]
    gaps = ds.gaps[ds.gaps["iso3"].isin(sig.index)]
    t = t[~t.set_index(["state", "date"]).index.isin(list(zip(gaps["iso3"], gaps["ended"])))]
    gone = t.groupby("state")["date"].min().reindex(sig.index)
    gone = gone[gone.notna() & (gone >= sig.reindex(gone.index))]
    # a gap counts while the signature stands: signed before it, not yet withdrawn or gone
    last = gone.reindex(gaps["iso3"])
    standing = last.isna().to_numpy() | (gaps["ended"].to_numpy() < last.to_numpy())
    gaps = gaps[(gaps["ended"].to_numpy() > sig.reindex(gaps["iso3"]).to_numpy()) & standing]
    plus = pd.concat([sig, gaps["resumed"]]).value_counts().sort_index()
    minus = pd.concat([gone, gaps["ended"]]).value_counts().sort_index()
    delta = plus.sub(minus, fill_value=0).sort_index().cumsum()
    if delta.empty:
        return pd.Series(0, index=days)
    return delta.reindex(days.union(delta.index)).ffill().fillna(0).astype(int).reindex(days)


def opening_days(ds: Dataset) -> pd.Series:
    """Each treaty's first day on record: its opening for signature; for a protocol or amendment never opened for
    signature (CCW protocols), its adoption; failing both, its entry into force."""
    t = ds.treaties
    return pd.to_datetime(t["opened_for_signature"].fillna(t["adopted"]).fillna(t["entry_into_force"]))


def _first_periods(ds: Dataset, alias: str) -> pd.Series:
    """The end of the period (day, month or year) in which each treaty opened: its first panel row."""
    opening = opening_days(ds)
    if alias == "YE":
        return opening + pd.offsets.YearEnd(0)
    return opening + pd.offsets.MonthEnd(0) if alias == "ME" else opening


def panel(freq: str = "Y", start=None, end=None, ds: Dataset | None = None, reading: str = "late") -> pd.DataFrame:
    """State × treaty × period table with the status at each period's end, a 0/1 `bound` column and `certain`
    (0 where the readings of an uncertain date give different statuses; ``reading="early"`` draws the other end).

    A treaty's rows begin with the period in which it opened for signature (``opening_days``), not before: a
    state cannot be at risk of joining, or leaving, a treaty that did not exist. ``start`` may cut later, never
    earlier; ``end`` defaults to the dataset's status date. The usual input of event-history models; write it
    with `.to_csv()` or `.to_parquet()`.
    """
    ds = ds or load()
    alias = _freq_alias(freq, allowed=("D", "M", "Y"))
    first = _first_periods(ds, alias)
    begin = as_day(start, ds=ds) if start is not None else opening_days(ds).min()
    periods = pd.date_range(begin, as_day(end, ds=ds), freq=alias)
    tr = steps_for(ds, reading)
    pairs = tr[["state", "treaty"]].drop_duplicates().reset_index(drop=True)
    check_span(begin, as_day(end, ds=ds), freq, len(pairs), len(periods))
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
    keys = list(zip(pairs["state"], pairs["treaty"]))
    out["certain"] = certain_grid(ds, keys, periods.values).ravel().astype(np.int8)
    opened = out["treaty"].map(first).to_numpy(dtype="datetime64[ns]")
    return out[out["period"].to_numpy() >= opened].reset_index(drop=True)
