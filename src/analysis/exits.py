"""How states leave: one row per exit with its steps and timing, exits since a day, exits grouped in waves."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .countries import country_name, resolve_country
from .dataset import Dataset, load
from .lookup import act_day

__all__ = [
    "withdrawals",
    "exits_since",
    "waves",
    "EXIT_TABLE_COLUMNS",
    "reasons_by_wave",
    "domestic_steps",
    "group_at",
    "period_text",
]
from .reasons import CODES, code_table, codes_by_exit
from .schema import CONSENT, EDTF_COLUMNS, EXIT_ACTIONS, STEP_ACTIONS, notice_effect
from .status import as_day, transitions

#: How far before a notice a domestic step may lie and still count as a step of that exit.
STEP_WINDOW_DAYS = 730


def period_text(months, days) -> str:
    if pd.notna(months) and months:
        return f"{int(months)} month{'s' if int(months) != 1 else ''}"
    if pd.notna(days) and days:
        return f"{int(days)} days"
    return ""


def withdrawals(ds: Dataset | None = None, on=None) -> pd.DataFrame:
    """One row per exit (withdrawal, signature withdrawn, ratification revoked, suspension), with its timing.

    `on` (default today) decides which exits are still pending. Domestic steps are the pair's announcement,
    statement, decree, vote and law events dated after its last consent and no later than the exit's effect.
    """
    ds = ds or load()
    day = as_day(on, ds=ds)
    table = _coded_exit_table(ds)
    status = pd.Series("in effect", index=table.index, dtype="str")
    status[table["effective"].isna() | (table["effective"] > day)] = "pending"
    status[table["_disputed"]] = "disputed"
    status[table["_suspended"]] = "suspended"
    out = table.assign(status=status)  # a new frame: the cached table is never changed
    return out[EXIT_TABLE_COLUMNS]


@lru_cache(maxsize=4)
def _coded_exit_table(ds: Dataset) -> pd.DataFrame:
    """The exits table with ``reason_codes`` (data/reasons.csv, folded per exit; "" where no row explains it) and
    ``reason_quotes``; an exit's reasons rows carry its notice day as ``exit_date``. Neither depends on the day
    asked, so the join is made once per dataset (a report asks for the exits three times: 30 ms each)."""
    codes = codes_by_exit(ds).rename(columns={"exit_date": "notice_deposited"})
    out = _exit_table(ds).merge(codes, on=["state", "treaty", "notice_deposited"], how="left", validate="many_to_one")
    out["reason_codes"] = out["reason_codes"].fillna("")
    out["reason_quotes"] = out["reason_quotes"].fillna(0).astype("Int64")
    return out


def exits_since(since, on=None, ds: Dataset | None = None) -> pd.DataFrame:
    """The exits (every kind) that took or take effect on or after `since`, known on the day `on`.

    An exit that never took effect (the DPRK's 1993 NPT notice, suspended the day before) counts by the day its
    notice was given. `on` defaults to the dataset's status date. This is the one definition the CLI, the tables
    and the overview notebook share.
    """
    ds = ds or load()
    first = as_day(since, "since")
    day = as_day(on if on is not None else ds.status_date, "on")
    table = withdrawals(ds, on=day)
    took_effect = table["effective"].fillna(table["notice_deposited"])
    keep = (took_effect >= first) & (table["notice_deposited"] <= day)
    return table[keep].reset_index(drop=True)


_EXIT_COLUMNS = [
    "state", "name", "treaty", "treaty_name", "kind", "announced", "parliament_vote", "law", "notice_deposited",
    "effective", "notice_edtf", "effective_edtf", "notice_required", "notice_required_days", "notice_given_days", "notice_respected", "bound_since",
    "days_bound", "armed_conflict_clause", "source", "ref", "note", "_suspended", "_disputed",
]  # fmt: skip


#: The exits table's columns, as ``withdrawals`` returns them and the ``exits`` export writes them.
EXIT_TABLE_COLUMNS = [c for c in _EXIT_COLUMNS if not c.startswith("_")]
EXIT_TABLE_COLUMNS[EXIT_TABLE_COLUMNS.index("source") : EXIT_TABLE_COLUMNS.index("source")] = [
    "status", "reason_codes", "reason_quotes"]  # fmt: skip


def _clause(treaty: pd.Series) -> tuple[int | None, int | None]:
    months = int(treaty["notice_months"]) if pd.notna(treaty["notice_months"]) else None
    days = int(treaty["notice_days"]) if pd.notna(treaty["notice_days"]) else None
    return months, days


def _effective_day(act, required, suspended: pd.DataFrame) -> pd.Timestamp:
    """The day the exit took effect: on record, else the clause's (unless the notice was suspended), else the act's."""
    if pd.notna(act.effective_date):
        return act.effective_date
    if act.effective_date_edtf:  # an effect with an open end: not within the record in the late reading
        return pd.NaT
    if act.action == "withdrawal":
        return pd.NaT if len(suspended) else pd.Timestamp(required) if required else pd.NaT
    return act.date


def steps_floor(act, consents: pd.DataFrame, exits: pd.DataFrame) -> pd.Timestamp:
    """The earliest day a domestic step may have to count for this exit: after the pair's last consent and its
    previous exit, and at most STEP_WINDOW_DAYS before the notice."""
    same_pair = (consents["state"] == act.state) & (consents["treaty"] == act.treaty)
    earlier = (exits["state"] == act.state) & (exits["treaty"] == act.treaty) & (exits["date"] < act.date)
    return floor_day(act.date, consents.loc[same_pair, "date"], exits.loc[earlier, "effective_date"])


def floor_day(day: pd.Timestamp, consent_days, earlier_effects) -> pd.Timestamp:
    """``steps_floor``'s rule on the days themselves (the pair's consents, the effects of its earlier exits): the
    exit chains apply it to records, without a table (``chains``)."""
    last_consent = max((d for d in consent_days if d <= day), default=pd.NaT)  # (NaT compares False)
    previous_exit = max((d for d in earlier_effects if pd.notna(d)), default=pd.NaT)
    window = day - pd.Timedelta(days=STEP_WINDOW_DAYS)
    return max(d for d in (last_consent, previous_exit, window) if pd.notna(d))


def _first_steps(act, steps: pd.DataFrame, floor: pd.Timestamp, upto: pd.Timestamp) -> dict:
    """The first announcement (or statement, decree), parliament vote and law of this exit."""
    mine = steps[(steps["state"] == act.state) & (steps["treaty"] == act.treaty)]
    mine = mine[(mine["date"] > floor) & (mine["date"] <= upto)]
    first = {action: mine.loc[mine["action"] == action, "date"].min() for action in STEP_ACTIONS}
    public = [first[a] for a in ("announcement", "statement", "decree") if pd.notna(first[a])]
    return {"announced": min(public, default=pd.NaT), "parliament_vote": first["parliament_vote"],
            "law": first["law"]}  # fmt: skip


def _timing(act, treaty: pd.Series, required, effective, bound_since) -> dict:
    """Notice required and given (withdrawals only), and how long the state was bound."""
    is_withdrawal = act.action == "withdrawal"
    given = (effective - act.date).days if (is_withdrawal and pd.notna(effective)) else pd.NA
    required_days = (pd.Timestamp(required) - act.date).days if (required and is_withdrawal) else pd.NA
    bound = pd.notna(bound_since) and bound_since <= act.date
    return {
        "notice_required": period_text(treaty["notice_months"], treaty["notice_days"]) if is_withdrawal else "",
        "notice_required_days": required_days,
        "notice_given_days": given,
        "notice_respected": (given >= required_days) if (given is not pd.NA and required_days is not pd.NA) else pd.NA,
        "bound_since": bound_since if bound else pd.NaT,
        "days_bound": (effective - bound_since).days if bound and pd.notna(effective) else pd.NA,
    }


def _late_reading(events: pd.DataFrame) -> pd.DataFrame:
    """The events with an act or effect dated less precisely than a day placed at its late reading (its last possible
    day; an act with an open end, at its first), as the status engine's base table places it (``readings``). The
    exits table keeps the EDTF text beside the days (``notice_edtf``, ``effective_edtf``): such a day is a bound,
    and a page says the date in words (``schema.describe_edtf``), never as that day."""
    out = events.assign(**{c: events[c].astype(object).fillna("") if c in events else "" for c in EDTF_COLUMNS})
    if not ((out["date_edtf"] != "") | (out["effective_date_edtf"] != "")).any():
        return out
    out["date"] = out["date"].fillna(out["date_latest"]).fillna(out["date_earliest"])
    fuzzy = out["effective_date_edtf"] != ""
    out.loc[fuzzy, "effective_date"] = out.loc[fuzzy, "effective_latest"]
    return out


@lru_cache(maxsize=4)
def _exit_table(ds: Dataset) -> pd.DataFrame:
    """Everything about each exit that does not depend on the day asked (cached once per dataset)."""
    events = _late_reading(ds.events)
    steps_table = transitions(ds)
    bound_from = steps_table[steps_table["status"] == "party"].groupby(["state", "treaty"])["date"].min()
    exits = events[events["action"].isin(EXIT_ACTIONS)].sort_values(["date", "state"])
    steps = events[events["action"].isin(STEP_ACTIONS)]
    consents = events[events["action"].isin(CONSENT)]
    notices_suspended = events[events["action"] == "withdrawal_suspended"]
    rows = []
    for act in exits.itertuples(index=False):
        treaty = ds.treaties.loc[act.treaty]
        required = notice_effect(act.date.date(), *_clause(treaty))
        suspended = notices_suspended[(notices_suspended["state"] == act.state)
                                      & (notices_suspended["treaty"] == act.treaty)
                                      & (notices_suspended["date"] >= act.date)]  # fmt: skip
        effective = _effective_day(act, required, suspended)
        upto = effective if pd.notna(effective) else act.date
        note = act.note or ""
        rows.append({
            "state": act.state, "name": country_name(act.state), "treaty": act.treaty,
            "treaty_name": treaty["short_name"], "kind": act.action,
            **_first_steps(act, steps, steps_floor(act, consents, exits), upto),
            "notice_deposited": act.date, "effective": effective, "notice_edtf": act.date_edtf,
            "effective_edtf": act.effective_date_edtf,
            **_timing(act, treaty, required, effective, bound_from.get((act.state, act.treaty), pd.NaT)),
            "armed_conflict_clause": bool(treaty["armed_conflict_clause"]),
            "source": act.source, "ref": act.ref, "note": note,
            "_suspended": bool(len(suspended)) and (pd.isna(effective) or suspended["date"].min() < effective),
            "_disputed": "disput" in note.lower(),
        })  # fmt: skip
    out = pd.DataFrame(rows, columns=_EXIT_COLUMNS)
    for column in ("notice_required_days", "notice_given_days", "days_bound"):
        out[column] = out[column].astype("Int64")
    out["notice_respected"] = out["notice_respected"].astype("boolean")
    return out


def domestic_steps(country: str, ds: Dataset | None = None) -> pd.DataFrame:
    """The announcements, votes, laws and decrees on record for one state, dated and sourced; a step dated less
    precisely than a day has an empty ``date`` and its EDTF text in ``date_edtf``, in order by its first day."""
    ds = ds or load()
    iso3 = resolve_country(country)
    ev = ds.events
    out = ev[(ev["state"] == iso3) & ev["action"].isin(STEP_ACTIONS + ("withdrawal_suspended",))]
    out = out.assign(_first=act_day(out)).sort_values("_first")
    return out[["treaty", "action", "date", "date_edtf", "source", "note"]].reset_index(drop=True)


def group_at(ds: Dataset, iso3: str, day: pd.Timestamp) -> list[str]:
    g = ds.groups
    m = g[(g["iso3"] == iso3) & (g["joined"] <= day) & (g["left"].isna() | (g["left"] >= day))]
    return sorted(set(m["group"]))


def waves(
    window_days: int = 120, by: str | None = None, kinds=("withdrawal",), ds: Dataset | None = None
) -> pd.DataFrame:
    """Exits from the same treaty whose notices follow each other within `window_days`, across states.

    `by="region"` or `"subregion"` splits waves by UN M49 region; `by="group"` by NATO/EU membership at the
    notice date (a state in both appears under each). A wave needs at least two states.
    """
    ds = ds or load()
    if by not in (None, "region", "subregion", "group"):
        raise ValueError(f"by must be None, 'region', 'subregion' or 'group', not {by!r}")
    w = withdrawals(ds)
    w = w[w["kind"].isin(kinds)].copy()
    if by in ("region", "subregion"):
        w["key"] = w["state"].map(ds.states[by]).fillna("")
    elif by == "group":
        w["key"] = [group_at(ds, s, d) or [""] for s, d in zip(w["state"], w["notice_deposited"])]
        w = w.explode("key")
    else:
        w["key"] = ""
    rows = []
    for (treaty, key), g in w.sort_values("notice_deposited").groupby(["treaty", "key"], sort=True):
        gap = g["notice_deposited"].diff().dt.days.fillna(window_days + 1) > window_days
        for _, wave in g.groupby(gap.cumsum()):
            if wave["state"].nunique() < 2:
                continue
            rows.append(
                {
                    "treaty": treaty,
                    "group": key or None,
                    "states": sorted(set(wave["state"])),
                    "size": wave["state"].nunique(),
                    "first_notice": wave["notice_deposited"].min(),
                    "last_notice": wave["notice_deposited"].max(),
                    "last_effect": wave["effective"].max(),
                }
            )
    out = pd.DataFrame(
        rows, columns=["treaty", "group", "states", "size", "first_notice", "last_notice", "last_effect"]
    )
    return out.sort_values("first_notice").reset_index(drop=True)


def reasons_by_wave(window_days: int = 120, kinds=EXIT_ACTIONS, ds: Dataset | None = None) -> pd.DataFrame:
    """The reasons of each wave (``waves``, every kind of exit by default): one row per wave, one column per reason
    code holding how many of its exits carry the code (data/reasons.csv), ``exits`` and ``explained`` (how many
    exits have a reasons row at all)."""
    ds = ds or load()
    found = waves(window_days, kinds=kinds, ds=ds)
    exits = withdrawals(ds)
    exits = exits[exits["kind"].isin(kinds)]
    pairs = code_table(ds).rename(columns={"exit_date": "notice_deposited"})
    rows = []
    for wave in found.itertuples(index=False):
        mine = exits[(exits["treaty"] == wave.treaty) & exits["state"].isin(wave.states)
                     & exits["notice_deposited"].between(wave.first_notice, wave.last_notice)]  # fmt: skip
        coded = pairs.merge(mine[["state", "treaty", "notice_deposited"]], on=["state", "treaty", "notice_deposited"])
        counts = coded["code"].value_counts()
        rows.append({"treaty": wave.treaty, "first_notice": wave.first_notice, "states": wave.states,
                     "size": wave.size, "exits": len(mine), "explained": int(mine["reason_codes"].ne("").sum()),
                     **{code: int(counts.get(code, 0)) for code in CODES}})  # fmt: skip
    return pd.DataFrame(rows, columns=["treaty", "first_notice", "states", "size", "exits", "explained", *CODES])
