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

from . import lifetimes
from .countries import resolve_countries, resolve_country
from .dataset import Dataset, load
from .lookup import (
    BeyondRecordWarning,
    Status,
    UnknownTreatyError,
    as_day,
    beyond_record,
    later_source,
    record_end,
    record_flags,
    resolve_treaties,
    resolve_treaty,
)
from .schema import (
    CONSENT,
    DEPOSITED,
    IN_FORCE,
    NOT_KNOWN,
    STATUS_CODE,
    STATUSES,
    add_months,
    notice_effect,
)

__all__ = [
    "BeyondRecordWarning",
    "UnknownTreatyError",
    "Status",
    "resolve_treaty",
    "resolve_treaties",
    "as_day",
    "status",
    "status_table",
    "signatories",
    "transitions",
    "bound_codes",
    "entry_into_force_for",
    "pair_transitions",
]


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


def pair_transitions(
    events: pd.DataFrame, treaty: pd.Series, ended: date | None = None, succession_day: date | None = None
) -> list[tuple[date, str]]:
    """The (day, new status) steps of one state in one treaty, from its own events (any order)."""
    rows = events.sort_values(["date", "action"])
    eff = [e.date() if pd.notna(e) else None for e in rows["effective_date"]]
    acts = list(zip([d.date() for d in rows["date"]], rows["action"], eff))
    return _steps(acts, _treaty_info(treaty), ended, succession_day)


class _Pair:
    """The state machine behind every status: one state in one treaty, fed its events in date order.

    Each action has its own step; a step that does not apply to the current status (a second signature, a
    withdrawal by a non-party) changes nothing. Entry into force and a withdrawal's effect are scheduled as
    ``pending`` steps and applied when the next event's day passes them.
    """

    def __init__(self, info: tuple, succession_day: date | None = None):
        self.rule, self.treaty_eif, self.notice_months, self.notice_days = info
        self.succession_day = succession_day  # the date of succession of States (lifetimes.links)
        self.steps: list[tuple[date, str]] = []
        self.pending: list[tuple[date, str]] = []
        self.current = "not signed"

    def become(self, day: date, status: str) -> None:
        self.steps.append((day, status))
        self.current = status

    def apply_due(self, day: date) -> None:
        """Apply the scheduled steps that fall on or before ``day``, in order."""
        for due_day, status in sorted(p for p in self.pending if p[0] <= day):
            self.become(due_day, status)
        self.pending = [p for p in self.pending if p[0] > day]

    def cancel(self, status: str) -> None:
        self.pending = [p for p in self.pending if p[1] != status]

    def signature(self, day: date, action: str, effective: date | None) -> None:
        if self.current == "not signed":
            self.become(day, "signatory")

    def consent(self, day: date, action: str, effective: date | None) -> None:
        if self.current in DEPOSITED:
            return
        if action == "succession" and self.succession_day is not None and self.succession_day < day:
            # bound from the date of succession of States, not from the notice (lifetimes module docstring)
            day = self.succession_day
            self.steps = [s for s in self.steps if s[0] < day]
        in_force = entry_into_force_for(day, self.rule, self.treaty_eif)
        if action == "succession" and in_force is not None:
            in_force = max(day, self.treaty_eif) if self.treaty_eif else day
        if in_force is not None and in_force <= day:
            self.become(day, "party")
            return
        self.become(day, "consent deposited")
        if in_force is not None:
            self.pending.append((in_force, "party"))

    def withdrawal(self, day: date, action: str, effective: date | None) -> None:
        if self.current not in ("consent deposited", "party", "suspended"):
            return
        # no effective date on record: the clause's period decides (a later suspension can still stop it)
        takes_effect = effective or notice_effect(day, self.notice_months, self.notice_days)
        if takes_effect is not None and takes_effect <= day:
            self.become(day, "withdrawn")
            return
        was_deposited = self.current == "consent deposited"
        self.become(day, self.current if was_deposited else "withdrawal pending")
        if was_deposited:
            self.cancel("party")
        if takes_effect is not None:
            self.pending.append((takes_effect, "withdrawn"))

    def withdrawal_suspended(self, day: date, action: str, effective: date | None) -> None:
        if any(p[1] == "withdrawn" for p in self.pending):
            self.cancel("withdrawn")
            self.become(day, "party")

    def signature_withdrawal(self, day: date, action: str, effective: date | None) -> None:
        if self.current == "signatory":
            self.become(day, "signature withdrawn")

    def ratification_revocation(self, day: date, action: str, effective: date | None) -> None:
        if self.current in DEPOSITED:
            self.cancel("party")
            self.become(day, "ratification revoked")

    def suspension(self, day: date, action: str, effective: date | None) -> None:
        if self.current not in ("party", "withdrawal pending"):
            return
        if (effective or day) > day:
            self.pending.append((effective, "suspended"))
        else:
            self.become(day, "suspended")

    def suspension_lifted(self, day: date, action: str, effective: date | None) -> None:
        if self.current == "suspended":
            self.become(day, "party")

    def termination(self, day: date, action: str, effective: date | None) -> None:
        self.pending = []
        self.become(day, "terminated")

    def finish(self, ended: date | None) -> list[tuple[date, str]]:
        """Apply what is still scheduled, then cut the history at the day the state ceased to exist."""
        for due_day, status in sorted(self.pending):
            self.become(due_day, status)
        if ended is None:
            return self.steps
        return [s for s in self.steps if s[0] < ended] + [(ended, "ceased to exist")]


#: Which step of the machine each action drives; the other actions (domestic steps, notes) change no status.
_STEP = {
    "signature": _Pair.signature,
    **dict.fromkeys(CONSENT, _Pair.consent),
    "withdrawal": _Pair.withdrawal,
    "withdrawal_suspended": _Pair.withdrawal_suspended,
    "signature_withdrawal": _Pair.signature_withdrawal,
    "ratification_revocation": _Pair.ratification_revocation,
    "suspension": _Pair.suspension,
    "suspension_lifted": _Pair.suspension_lifted,
    "termination": _Pair.termination,
}


def _steps(
    rows: list[tuple[date, str, date | None]], info: tuple, ended: date | None, succession_day: date | None = None
) -> list[tuple[date, str]]:
    """Events in date order in, (day, new status) steps out."""
    pair = _Pair(info, succession_day)
    for day, action, effective in rows:
        if pair.pending:
            pair.apply_due(day)
        step = _STEP.get(action)
        if step is not None:
            step(pair, day, action, effective)
    return pair.finish(ended)


def _groups(ds: Dataset) -> dict[tuple[str, str], list]:
    """Each state × treaty's events as (day, action, effective day), in date order."""
    ev = ds.events.sort_values(["state", "treaty", "date", "action"], kind="stable")
    effs = [e.date() if pd.notna(e) else None for e in ev["effective_date"]]
    groups: dict[tuple[str, str], list] = {}
    for key, row in zip(zip(ev["state"], ev["treaty"]), zip([d.date() for d in ev["date"]], ev["action"], effs)):
        groups.setdefault(key, []).append(row)
    return groups


@lru_cache(maxsize=4)
def _transitions(ds: Dataset) -> pd.DataFrame:
    info = {t: _treaty_info(r) for t, r in ds.treaties.iterrows()}
    groups, lives = _groups(ds), lifetimes.lives(ds)
    carry, succession_day = lifetimes.links(ds)
    pairs = set(groups) | {(s, t) for s in lives for t in info}
    pairs |= {(succ, t) for succ, preds in carry.items() for pred, _ in preds for (p, t) in groups if p == pred}
    rows = []
    for state, treaty in sorted(pairs):
        own = groups.get((state, treaty), [])
        steps = _steps(own, info[treaty], None, succession_day.get(state))
        for pred, link in carry.get(state, []):
            if (pred, treaty) in groups:
                joint = sorted(groups[(pred, treaty)] + own, key=lambda r: (r[0], r[1]))
                steps = lifetimes.carried_over(
                    steps, _steps(joint, info[treaty], None, succession_day.get(state)), link
                )
        life = lives.get(state, lifetimes.Life())
        rows += [(state, treaty, d, STATUS_CODE[st]) for d, st in lifetimes.within_lifetime(steps, *life)]
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


def _status_code(tr: pd.DataFrame, iso3: str, tid: str, day: pd.Timestamp) -> int | None:
    steps = tr[(tr["state"] == iso3) & (tr["treaty"] == tid) & (tr["date"] <= day)]
    return int(steps["code"].iloc[-1]) if len(steps) else None


def status(country: str, treaty: str, on=None, ds: Dataset | None = None) -> Status:
    """The status of one state in one treaty on a day (default: the dataset's status date).

    For a treaty whose coverage is 'events' (INF, ABM, New START) a state without a record is 'not known'. A day
    after the treaty's ``known_until`` warns (``BeyondRecordWarning``) and marks a changed status as projected.
    """
    ds = ds or load()
    iso3, tid, day = resolve_country(country), resolve_treaty(treaty, ds), as_day(on, ds=ds)
    tr = _transitions(ds)
    code = _status_code(tr, iso3, tid, day)
    if code is None and ds.treaties.loc[tid, "coverage"] == "events":
        known = ((tr["state"] == iso3) & (tr["treaty"] == tid)).any()
        return Status(STATUSES[0] if known else NOT_KNOWN)
    result = Status(STATUSES[code] if code is not None else STATUSES[0])
    if beyond_record([tid], day, ds):
        end = record_end(tid, ds)
        at_end = _status_code(tr, iso3, tid, pd.Timestamp(end))
        result.known_until, result.at_record_end = end, STATUSES[at_end or 0]
        changed = result.at_record_end != str(result)
        result.later_source = later_source(ds, iso3, tid, end, day) if changed else None
        result.projected = changed and result.later_source is None
    return result


def status_table(on=None, countries=None, treaties=None, ds: Dataset | None = None) -> pd.DataFrame:
    """Every state × treaty status on one day: a long table (state, treaty, status, projected, later_source).

    Past a treaty's ``known_until`` a changed status is flagged as ``status()`` flags it: ``projected`` (from the
    record alone) or ``later_source`` (it rests on an act dated after the record, from a later source).
    """
    ds = ds or load()
    day = as_day(on, ds=ds)
    tr = _transitions(ds)
    past = tr[tr["date"].values <= day.to_datetime64()]
    last = past.drop_duplicates(["state", "treaty"], keep="last")
    states = resolve_countries(countries) if countries is not None else _everyone(ds)
    tids = resolve_treaties(treaties, ds) if treaties is not None else list(ds.treaties.index)
    grid = pd.MultiIndex.from_product([states, tids], names=["state", "treaty"])
    codes = last.set_index(["state", "treaty"])["code"].reindex(grid, fill_value=0).to_numpy()
    out = grid.to_frame(index=False)
    out["status"] = pd.Categorical.from_codes(codes, categories=list(STATUSES))
    out["projected"], out["later_source"] = record_flags(ds, tr, out, codes, day)
    return out


@lru_cache(maxsize=4)
def _everyone(ds: Dataset) -> list[str]:
    """Every state with an event or a status step, sorted (iterating the step table's text column costs ~10 ms:
    once per dataset, not per table)."""
    return sorted(set(ds.events["state"]) | set(_transitions(ds)["state"]))


def bound_codes(basis: str) -> list[int]:
    if basis not in ("in_force", "deposited"):
        raise ValueError(f"basis must be 'in_force' or 'deposited', not {basis!r}")
    return [STATUS_CODE[s] for s in (IN_FORCE if basis == "in_force" else DEPOSITED)]


def signatories(treaty: str, on=None, ds: Dataset | None = None) -> list[str]:
    """States whose signature stands on the depositary's list on a day (withdrawn-in-effect and gone ones excluded).

    A continuing or unified successor (Russia for the USSR) holds its predecessor's signature from the link day.
    """
    ds = ds or load()
    tid = resolve_treaty(treaty, ds)
    day = as_day(on, ds=ds)
    first = lifetimes.first_signatures(ds, tid)
    gone = status_table(day, treaties=[tid], ds=ds).query(
        "status in ['withdrawn', 'ceased to exist', 'not yet a state']"
    )["state"]
    return sorted(set(first.index[first <= day]) - set(gone))
