"""The state machine behind every status: one state in one treaty, fed its events in date order.

Each action drives one step of ``_Pair``; entry into force and a withdrawal's effect are scheduled and applied
when their day comes. ``status`` runs it once per state × treaty (and, for a pair with a date known less
precisely than a day, once per reading: ``readings``); nothing here reads the dataset.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from .schema import CONSENT, DEPOSITED, EDTF_COLUMNS, add_months, notice_effect, parse_edtf

__all__ = ["entry_into_force_for", "pair_transitions", "treaty_info", "run_pair", "NEVER", "STATUS_ACTIONS"]

#: The day standing for "not within any record" (an effect with an open end): steps on or after it are dropped.
NEVER = date(2200, 1, 1)


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


def treaty_info(treaty: pd.Series) -> tuple:
    t_eif = treaty["entry_into_force"].date() if pd.notna(treaty["entry_into_force"]) else None
    return treaty["eif_rule"], t_eif, _int(treaty["notice_months"]), _int(treaty["notice_days"])


def pair_transitions(
    events: pd.DataFrame, treaty: pd.Series, ended: date | None = None, succession_day: date | None = None
) -> list[tuple[date, str]]:
    """The (day, new status) steps of one state in one treaty, from its own events (any order).

    An act or effect dated less precisely than a day is read at its late reading, as the base table reads it
    (``readings``): its last possible day; an act with an open end is left out, an effect with an open end never
    comes."""
    rows = _late(events).sort_values(["date", "action"])
    eff = [e.date() if pd.notna(e) else None for e in rows["effective_date"]]
    acts = list(zip([d.date() for d in rows["date"]], rows["action"], eff))
    steps = run_pair(acts, treaty_info(treaty), ended, succession_day)
    return [step for step in steps if step[0] < NEVER]


def _late(events: pd.DataFrame) -> pd.DataFrame:
    """The events with each EDTF date at its last possible day (an open effect: ``NEVER``; an open act: dropped)."""
    texts = {day: events[c].astype(object).fillna("") for c, day in EDTF_COLUMNS.items() if c in events}
    if not texts or not any((text != "").any() for text in texts.values()):
        return events
    out = events.copy()
    for day, text in texts.items():
        fuzzy = text != ""
        latest = [parse_edtf(t).latest for t in text[fuzzy]]
        fill = NEVER if day == "effective_date" else None
        out.loc[fuzzy, day] = pd.to_datetime([d or fill for d in latest])
    return out[out["date"].notna()]


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


#: The actions that can change a status (the others, domestic steps and notes, are read by no step).
STATUS_ACTIONS = frozenset(_STEP)


def run_pair(
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
