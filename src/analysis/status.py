"""Who was bound by what on which day.

Each state × treaty history is turned once into a step function: a table of transitions (the day a new status
starts). Any question about a date, a period or a count is then a vectorized look-up in that table, not a loop
over events.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from .countries import resolve_country
from .dataset import CONSENT, Dataset, add_months, load, notice_effect

#: The status vocabulary, in the order reports list it.
STATUSES = (
    "not signed",
    "signatory",
    "consent deposited",
    "party",
    "withdrawal pending",
    "withdrawn",
    "signature withdrawn",
    "ratification revoked",
    "suspended",
    "terminated",
    "ceased to exist",
)
STATUS_DOC = {
    "not signed": "no signature or consent on record (for a treaty with coverage 'events': not known)",
    "signatory": "signed, no instrument of consent deposited",
    "consent deposited": "instrument deposited, treaty not yet in force for the state (or not in force at all)",
    "party": "bound: the treaty is in force for the state",
    "withdrawal pending": "notice of withdrawal given, not yet in effect: still bound",
    "withdrawn": "withdrawal in effect",
    "signature withdrawn": "a signatory declared it does not intend to become a party",
    "ratification revoked": "consent revoked before the treaty entered into force",
    "suspended": "the state suspended its performance of a treaty in force",
    "terminated": "the treaty itself ended (expiry or termination)",
    "ceased to exist": "the state itself no longer exists (its successors have their own rows)",
}
#: Which statuses count as a party: as the depositary's header does, and as bound in force.
DEPOSITED = frozenset({"consent deposited", "party", "withdrawal pending", "suspended"})
IN_FORCE = frozenset({"party", "withdrawal pending", "suspended"})
_CODE = {s: i for i, s in enumerate(STATUSES)}


class UnknownTreatyError(ValueError):
    """A treaty id the registry does not know; the message lists close matches."""


def resolve_treaty(treaty: str, ds: Dataset | None = None) -> str:
    ds = ds or load()
    key = str(treaty).strip().lower()
    t = ds.treaties
    if key in t.index:
        return key
    for col in ("short_name", "full_name", "mtdsg"):
        hit = t.index[t[col].str.lower() == key]
        if len(hit):
            return hit[0]
    import difflib

    names = {**{i: i for i in t.index}, **{n.lower(): i for i, n in t["short_name"].items()}}
    close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.5)
    hint = f" Did you mean: {', '.join(dict.fromkeys(names[c] for c in close))}?" if close else ""
    raise UnknownTreatyError(f"Unknown treaty {treaty!r}.{hint} Known: {', '.join(t.index)}")


def entry_into_force_for(deposit: date, rule: str, treaty_eif: date | None) -> date | None:
    """When a deposit made the treaty binding for that state (None: the treaty is not in force)."""
    if rule == "not_in_force" or (treaty_eif is None and rule not in ("on_deposit", "")):
        return None
    # a rule the registry could not confirm: the deposit date stands in (data/README.md says so)
    kind, _, n = (rule or "on_deposit").partition(":")
    if kind == "on_deposit":
        d = deposit
    elif kind == "days":
        d = date.fromordinal(deposit.toordinal() + int(n))
    elif kind == "months":
        d = add_months(deposit, int(n))
    elif kind == "first_of_month":
        y, m = divmod(deposit.month - 1 + int(n), 12)
        d = date(deposit.year + y, m + 1, 1)
    else:
        raise ValueError(f"unknown entry-into-force rule {rule!r}")
    return max(d, treaty_eif) if treaty_eif else d


def _int(v) -> int | None:
    return int(v) if v is not None and pd.notna(v) and v != "" else None


def _treaty_info(treaty: pd.Series) -> tuple:
    t_eif = treaty["entry_into_force"].date() if pd.notna(treaty["entry_into_force"]) else None
    return treaty["eif_rule"], t_eif, _int(treaty["notice_months"]), _int(treaty["notice_days"])


def pair_transitions(events: pd.DataFrame, treaty: pd.Series, ended: date | None = None) -> list[tuple[date, str]]:
    """The (day, new status) steps of one state in one treaty, from its events (any order)."""
    rows = events.sort_values(["date", "action"])
    eff = [e.date() if pd.notna(e) else None for e in rows["effective_date"]]
    return _steps(list(zip([d.date() for d in rows["date"]], rows["action"], eff)), _treaty_info(treaty), ended)


def _steps(rows: list[tuple[date, str, date | None]], info: tuple, ended: date | None) -> list[tuple[date, str]]:
    """The state machine behind every status: events in date order in, (day, new status) steps out."""
    rule, t_eif, months, days = info
    steps: list[tuple[date, str]] = []
    pending: list[tuple[date, str]] = []  # scheduled future steps (entry into force, withdrawal effect)
    current = "not signed"

    def at(d: date, status: str):
        nonlocal current
        steps.append((d, status))
        current = status

    for d, a, effective in rows:
        # apply scheduled steps that fall before this event
        if pending:
            for sd, ss in sorted(p for p in pending if p[0] <= d):
                at(sd, ss)
            pending = [p for p in pending if p[0] > d]
        if a == "signature" and current == "not signed":
            at(d, "signatory")
        elif a in CONSENT and current not in ("consent deposited", "party", "withdrawal pending", "suspended"):
            eif = entry_into_force_for(d, rule, t_eif)
            if a == "succession" and eif is not None:
                eif = max(d, t_eif) if t_eif else d
            if eif is not None and eif <= d:
                at(d, "party")
            else:
                at(d, "consent deposited")
                if eif is not None:
                    pending.append((eif, "party"))
        elif a == "withdrawal" and current in ("consent deposited", "party", "suspended"):
            # no effective date on record: the clause's period decides (a later suspension can still stop it)
            eff = effective or notice_effect(d, months, days)
            was_deposited = current == "consent deposited"
            if eff is None or eff > d:
                at(d, "withdrawal pending" if not was_deposited else current)
                pending = [p for p in pending if p[1] != "party" or not was_deposited]
                if eff is not None:
                    pending.append((eff, "withdrawn"))
            else:
                at(d, "withdrawn")
        elif a == "withdrawal_suspended" and any(p[1] == "withdrawn" for p in pending):
            pending = [p for p in pending if p[1] != "withdrawn"]
            at(d, "party")
        elif a == "signature_withdrawal" and current == "signatory":
            at(d, "signature withdrawn")
        elif a == "ratification_revocation" and current in DEPOSITED:
            pending = [p for p in pending if p[1] != "party"]
            at(d, "ratification revoked")
        elif a == "suspension" and current in ("party", "withdrawal pending"):
            eff = effective or d
            if eff > d:
                pending.append((eff, "suspended"))
            else:
                at(d, "suspended")
        elif a == "suspension_lifted" and current == "suspended":
            at(d, "party")
        elif a == "termination":
            pending = []
            at(d, "terminated")
    for sd, ss in sorted(pending):
        at(sd, ss)
    if ended is not None:
        steps = [s for s in steps if s[0] < ended] + [(ended, "ceased to exist")]
    return steps


@lru_cache(maxsize=4)
def _transitions(ds: Dataset) -> pd.DataFrame:
    ev = ds.events.sort_values(["state", "treaty", "date", "action"], kind="stable")
    info = {t: _treaty_info(r) for t, r in ds.treaties.iterrows()}
    until = ds.states["until"] if "until" in ds.states.columns else pd.Series(dtype="datetime64[s]")
    ended = {s: u.date() for s, u in until.items() if pd.notna(u)}
    keys = list(zip(ev["state"], ev["treaty"]))
    dates = [d.date() for d in ev["date"]]
    effs = [e.date() if pd.notna(e) else None for e in ev["effective_date"]]
    acts = list(ev["action"])
    rows = []
    i, n = 0, len(keys)
    while i < n:
        j = i
        while j < n and keys[j] == keys[i]:
            j += 1
        state, treaty = keys[i]
        for d, s in _steps(list(zip(dates[i:j], acts[i:j], effs[i:j])), info[treaty], ended.get(state)):
            rows.append((state, treaty, d, _CODE[s]))
        i = j
    df = pd.DataFrame(rows, columns=["state", "treaty", "date", "code"])
    df["date"] = pd.to_datetime(df["date"])
    # one step per pair and day: the last of the day wins
    df = df.drop_duplicates(["state", "treaty", "date"], keep="last").reset_index(drop=True)
    df["code"] = df["code"].astype(np.int8)
    return df


def transitions(ds: Dataset | None = None) -> pd.DataFrame:
    """All status steps: state, treaty, date (the first day of the new status), status."""
    t = _transitions(ds or load()).copy()
    t["status"] = pd.Categorical.from_codes(t["code"], categories=list(STATUSES))
    return t.drop(columns="code")


def as_day(on) -> pd.Timestamp:
    """A day from a date, a string YYYY-MM-DD or None (today), with a clear error for anything else."""
    if on is None:
        return pd.Timestamp(date.today())
    try:
        return pd.Timestamp(on).normalize()
    except (ValueError, TypeError) as exc:
        raise ValueError(f"Not a date: {on!r} (expected YYYY-MM-DD)") from exc


def status(country: str, treaty: str, on=None, ds: Dataset | None = None) -> str:
    """The status of one state in one treaty on a day (default: today)."""
    ds = ds or load()
    iso3, tid, day = resolve_country(country), resolve_treaty(treaty, ds), as_day(on)
    tr = _transitions(ds)
    steps = tr[(tr["state"] == iso3) & (tr["treaty"] == tid) & (tr["date"] <= day)]
    return STATUSES[int(steps["code"].iloc[-1])] if len(steps) else "not signed"


def status_table(on=None, countries=None, treaties=None, ds: Dataset | None = None) -> pd.DataFrame:
    """Every state × treaty status on one day: a long table (state, treaty, status), vectorized."""
    ds = ds or load()
    day = as_day(on)
    tr = _transitions(ds)
    past = tr[tr["date"].values <= day.to_datetime64()]
    last = past.drop_duplicates(["state", "treaty"], keep="last")
    states = [resolve_country(c) for c in countries] if countries is not None else sorted(set(ds.events["state"]))
    tids = [resolve_treaty(t, ds) for t in treaties] if treaties is not None else list(ds.treaties.index)
    grid = pd.MultiIndex.from_product([states, tids], names=["state", "treaty"])
    codes = last.set_index(["state", "treaty"])["code"].reindex(grid, fill_value=0).to_numpy()
    out = grid.to_frame(index=False)
    out["status"] = pd.Categorical.from_codes(codes, categories=list(STATUSES))
    return out


def _bound_codes(basis: str) -> list[int]:
    if basis not in ("in_force", "deposited"):
        raise ValueError(f"basis must be 'in_force' or 'deposited', not {basis!r}")
    return [_CODE[s] for s in (IN_FORCE if basis == "in_force" else DEPOSITED)]


def parties(treaty: str, on=None, basis: str = "in_force", ds: Dataset | None = None) -> list[str]:
    """ISO3 codes of the parties on a day; `deposited` counts as the depositary's header does."""
    ds = ds or load()
    tid = resolve_treaty(treaty, ds)
    day = as_day(on)
    tr = _transitions(ds)
    t = tr[(tr["treaty"] == tid) & (tr["date"] <= day)].drop_duplicates("state", keep="last")
    return sorted(t.loc[t["code"].isin(_bound_codes(basis)), "state"])


def signatories(treaty: str, on=None, ds: Dataset | None = None) -> list[str]:
    """States whose signature stands on the depositary's list on a day (withdrawn-in-effect ones excluded)."""
    ds = ds or load()
    tid = resolve_treaty(treaty, ds)
    day = as_day(on)
    ev = ds.events
    signed = set(ev.loc[(ev["treaty"] == tid) & (ev["action"] == "signature") & (ev["date"] <= day), "state"])
    gone = set(status_table(day, treaties=[tid], ds=ds).query("status in ['withdrawn', 'ceased to exist']")["state"])
    return sorted(signed - gone)


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
    first = wide.index.min() if len(wide) else pd.Timestamp("1970-01-01")
    start = as_day(start) if start is not None else first
    end = as_day(end) if end is not None else max(as_day(None), wide.index.max() if len(wide) else first)
    alias = {"D": "D", "M": "ME", "Y": "YE", "ME": "ME", "YE": "YE"}.get(freq)
    if alias is None:
        raise ValueError(f"freq must be 'D', 'M' or 'Y', not {freq!r}")
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
    ev = ds.events
    sig = ev[(ev["treaty"] == tid) & (ev["action"] == "signature")].groupby("state")["date"].min()
    tr = _transitions(ds)
    t = tr[(tr["treaty"] == tid) & tr["code"].isin([_CODE["withdrawn"], _CODE["ceased to exist"]])]
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
    alias = {"D": "D", "M": "ME", "Y": "YE"}.get(freq)
    if alias is None:
        raise ValueError(f"freq must be 'D', 'M' or 'Y', not {freq!r}")
    periods = pd.date_range(as_day(start), as_day(end), freq=alias)
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
    out["bound"] = np.isin(out_codes, _bound_codes("in_force")).astype(np.int8)
    return out
