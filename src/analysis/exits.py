"""How states leave: one row per exit with its steps and timing, exits grouped in waves, peers for comparison."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import pandas as pd

from .countries import country_name, resolve_country
from .dataset import Dataset, load
from .schema import CONSENT, EXIT_ACTIONS, IN_FORCE, STEP_ACTIONS, notice_effect
from .status import as_day, status_table, transitions

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
    day = as_day(on)
    out = _exit_table(ds).copy()
    status = pd.Series("in effect", index=out.index, dtype="str")
    status[out["effective"].isna() | (out["effective"] > day)] = "pending"
    status[out.pop("_disputed")] = "disputed"
    status[out.pop("_suspended")] = "suspended"
    out.insert(out.columns.get_loc("source"), "status", status)
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


@lru_cache(maxsize=4)
def _exit_table(ds: Dataset) -> pd.DataFrame:
    """Everything about each exit that does not depend on the day asked (cached once per dataset)."""
    ev = ds.events
    tr = transitions(ds)
    bound_from = tr[tr["status"] == "party"].groupby(["state", "treaty"])["date"].min()
    exits = ev[ev["action"].isin(EXIT_ACTIONS)].sort_values(["date", "state"])
    steps = ev[ev["action"].isin(STEP_ACTIONS)]
    susp = ev[ev["action"] == "withdrawal_suspended"]
    rows = []
    consents = ev[ev["action"].isin(CONSENT)]
    for r in exits.itertuples(index=False):
        t = ds.treaties.loc[r.treaty]
        months = int(t["notice_months"]) if pd.notna(t["notice_months"]) else None
        days = int(t["notice_days"]) if pd.notna(t["notice_days"]) else None
        required = notice_effect(r.date.date(), months, days)
        suspended = susp[(susp["state"] == r.state) & (susp["treaty"] == r.treaty) & (susp["date"] >= r.date)]
        if pd.notna(r.effective_date):
            effective = r.effective_date
        elif r.action == "withdrawal":  # no date on record: the clause's, unless the notice was suspended
            effective = pd.NaT if len(suspended) else pd.Timestamp(required) if required else pd.NaT
        else:
            effective = r.date
        # a step belongs to this exit if it falls after the pair's last consent and previous exit, at most
        # STEP_WINDOW_DAYS before the notice, and not after the effect
        pair = (ev["state"] == r.state) & (ev["treaty"] == r.treaty)
        floor = max(
            [
                d
                for d in (
                    consents.loc[
                        (consents["state"] == r.state)
                        & (consents["treaty"] == r.treaty)
                        & (consents["date"] <= r.date),
                        "date",
                    ].max(),
                    exits.loc[
                        (exits["state"] == r.state) & (exits["treaty"] == r.treaty) & (exits["date"] < r.date),
                        "effective_date",
                    ].max(),
                    r.date - pd.Timedelta(days=STEP_WINDOW_DAYS),
                )
                if pd.notna(d)
            ]
        )
        upto = effective if pd.notna(effective) else r.date
        mine = steps[pair[steps.index] & (steps["date"] > floor) & (steps["date"] <= upto)]

        def first(action, mine=mine):
            d = mine.loc[mine["action"] == action, "date"]
            return d.min() if len(d) else pd.NaT

        given = (effective - r.date).days if (r.action == "withdrawal" and pd.notna(effective)) else pd.NA
        req_days = (pd.Timestamp(required) - r.date).days if (required and r.action == "withdrawal") else pd.NA
        note = r.note or ""
        since = bound_from.get((r.state, r.treaty), pd.NaT)
        announced = min(
            [d for d in (first("announcement"), first("statement"), first("decree")) if pd.notna(d)], default=pd.NaT
        )
        rows.append(
            {
                "state": r.state,
                "name": country_name(r.state),
                "treaty": r.treaty,
                "treaty_name": t["short_name"],
                "kind": r.action,
                "announced": announced,
                "parliament_vote": first("parliament_vote"),
                "law": first("law"),
                "notice_deposited": r.date,
                "effective": effective,
                "notice_required": period_text(t["notice_months"], t["notice_days"])
                if r.action == "withdrawal"
                else "",
                "notice_required_days": req_days,
                "notice_given_days": given,
                "notice_respected": (given >= req_days) if (given is not pd.NA and req_days is not pd.NA) else pd.NA,
                "bound_since": since if pd.notna(since) and since <= r.date else pd.NaT,
                "days_bound": (effective - since).days
                if pd.notna(since) and since <= r.date and pd.notna(effective)
                else pd.NA,
                "armed_conflict_clause": bool(t["armed_conflict_clause"]),
                "source": r.source,
                "ref": r.ref,
                "note": note,
                "_suspended": bool(len(suspended)) and (pd.isna(effective) or suspended["date"].min() < effective),
                "_disputed": "disput" in note.lower(),
            }
        )
    cols = [
        "state",
        "name",
        "treaty",
        "treaty_name",
        "kind",
        "announced",
        "parliament_vote",
        "law",
        "notice_deposited",
        "effective",
        "notice_required",
        "notice_required_days",
        "notice_given_days",
        "notice_respected",
        "bound_since",
        "days_bound",
        "armed_conflict_clause",
        "source",
        "ref",
        "note",
        "_suspended",
        "_disputed",
    ]
    out = pd.DataFrame(rows, columns=cols)
    for c in ("notice_required_days", "notice_given_days", "days_bound"):
        out[c] = out[c].astype("Int64")
    out["notice_respected"] = out["notice_respected"].astype("boolean")
    return out


def domestic_steps(country: str, ds: Dataset | None = None) -> pd.DataFrame:
    """The announcements, votes, laws and decrees on record for one state, dated and sourced."""
    ds = ds or load()
    iso3 = resolve_country(country)
    ev = ds.events
    out = ev[(ev["state"] == iso3) & ev["action"].isin(STEP_ACTIONS + ("withdrawal_suspended",))]
    return out[["treaty", "action", "date", "source", "note"]].sort_values("date").reset_index(drop=True)


def _group_at(ds: Dataset, iso3: str, day: pd.Timestamp) -> list[str]:
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
        w["key"] = [_group_at(ds, s, d) or [""] for s, d in zip(w["state"], w["notice_deposited"])]
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


def peers(country: str, on=None, ds: Dataset | None = None) -> pd.DataFrame:
    """The states that share the country's M49 subregion or a group (NATO, EU) on `on`, with their statuses."""
    ds = ds or load()
    iso3 = resolve_country(country)
    day = as_day(on)
    st = ds.states
    relation: dict[str, list[str]] = {}
    sub = st.loc[iso3, "subregion"] if iso3 in st.index else ""
    if sub:
        for s in st.index[(st["subregion"] == sub)]:
            relation.setdefault(s, []).append(sub)
    for grp in _group_at(ds, iso3, day):
        g = ds.groups
        for s in g.loc[(g["group"] == grp) & (g["joined"] <= day) & (g["left"].isna() | (g["left"] >= day)), "iso3"]:
            relation.setdefault(s, []).append(grp)
    active = (
        [
            s
            for s in relation
            if not ("until" in st.columns and pd.notna(st.loc[s, "until"]) and st.loc[s, "until"] <= day)
        ]
        if relation
        else []
    )
    if not active:
        return pd.DataFrame(columns=["state", "name", "relation"])
    table = status_table(day, countries=active, ds=ds)
    wide = table.pivot(index="state", columns="treaty", values="status").reindex(columns=list(ds.treaties.index))
    wide.insert(0, "relation", [", ".join(relation[s]) for s in wide.index])
    wide.insert(0, "name", [country_name(s) for s in wide.index])
    wide = wide.reset_index()
    wide["_self"] = wide["state"] != iso3
    return wide.sort_values(["_self", "name"]).drop(columns="_self").reset_index(drop=True)


@dataclass
class CountryProfile:
    """What the country report shows, computed in one place so the notebook only explains it."""

    iso3: str
    name: str
    on: date
    treaties: pd.DataFrame
    exits: pd.DataFrame
    steps: pd.DataFrame
    peers: pd.DataFrame
    bound: int
    covered: int
    summary: str
    notes: list[str] = field(default_factory=list)


def treaty_dates(iso3: str, on: pd.Timestamp, ds: Dataset) -> pd.DataFrame:
    """Per treaty: status on `on`, and the key dates of the state's record (signature, deposit, in force, exit)."""
    ev = ds.events
    e = ev[(ev["state"] == iso3) & (ev["date"] <= on)].sort_values("date")
    tr = _transitions_of(iso3, ds)
    tr = tr[tr["date"] <= on]
    t = ds.treaties
    out = pd.DataFrame(
        {"treaty": t.index, "treaty_name": t["short_name"].to_numpy(), "category": t["category"].to_numpy()},
        index=t.index,
    )
    st = status_table(on, countries=[iso3], ds=ds).set_index("treaty")["status"].astype(str)
    st[(st == "not signed") & (t["coverage"] == "events")] = "no record (events only)"
    out["status"] = st
    consent = e[e["action"].isin(CONSENT)]
    exits = e[e["action"].isin(EXIT_ACTIONS)]
    out["signed"] = e[e["action"] == "signature"].groupby("treaty")["date"].min()
    out["consent"] = consent.groupby("treaty")["date"].min()
    out["consent_kind"] = consent.groupby("treaty")["action"].first()
    out["consent_kind"] = out["consent_kind"].fillna("")
    out["in_force"] = tr[tr["status"] == "party"].groupby("treaty")["date"].min()
    out["exit_notice"] = exits.groupby("treaty")["date"].max()
    out["exit_effective"] = (
        exits.assign(eff=exits["effective_date"].fillna(exits["date"])).groupby("treaty")["eff"].max()
    )
    out["known_until"] = t["known_until"] if "known_until" in t.columns else pd.NaT
    return out.reset_index(drop=True)


def _transitions_of(iso3: str, ds: Dataset) -> pd.DataFrame:
    tr = transitions(ds)
    return tr[tr["state"] == iso3]


#: Names that take "the" inside a sentence ("On 3 February 2026 the United States is bound by ...").
_THE = {
    "United Arab Emirates",
    "Bahamas",
    "Central African Republic",
    "Democratic Republic of the Congo",
    "Republic of the Congo",
    "Cook Islands",
    "Comoros",
    "German Democratic Republic",
    "Dominican Republic",
    "United Kingdom",
    "Gambia",
    "Maldives",
    "Marshall Islands",
    "Netherlands",
    "Philippines",
    "Solomon Islands",
    "Seychelles",
    "United States",
    "Holy See",
    "Soviet Union",
}


def name_in_sentence(iso3: str) -> str:
    name = country_name(iso3)
    return f"the {name}" if name in _THE else name


def _count_word(n: int) -> str:
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return words[n] if 0 <= n < len(words) else str(n)


def country_profile(country: str, on=None, ds: Dataset | None = None) -> CountryProfile:
    """Everything the country report needs, for one state on one day."""
    ds = ds or load()
    iso3 = resolve_country(country)
    day = as_day(on)
    name = country_name(iso3)
    dates = treaty_dates(iso3, day, ds)
    w = withdrawals(ds, on=day)
    w = w[(w["state"] == iso3) & (w["notice_deposited"] <= day)].reset_index(drop=True)
    bound = int(dates["status"].isin(IN_FORCE).sum())
    covered = len(dates)
    left = w[(w["kind"] == "withdrawal") & (w["effective"] <= day)]
    summary = f"On {day:%-d %B %Y} {name_in_sentence(iso3)} is bound by {bound} of the {covered} treaties covered"
    if len(left):
        n = left["treaty"].nunique()
        first, last = left["effective"].dt.year.min(), left["effective"].dt.year.max()
        when = f"in {first}" if first == last else f"since {first}"
        which = "" if n == 1 else ("both " if n == 2 else "all ")
        summary += f"; it has left {_count_word(n)} of them, {which}{when}"
    pending = w[w["status"] == "pending"]
    if len(pending):
        summary += (
            f"; {_count_word(len(pending))} withdrawal{'s are' if len(pending) > 1 else ' is'} pending "
            f"({', '.join(pending['treaty_name'])})"
        )
    summary += "."
    until = ds.states["until"].get(iso3) if "until" in ds.states.columns else None
    if until is not None and pd.notna(until) and until <= day:  # a former state: say so, not just "bound by 0"
        summary = (
            f"{name} ceased to exist on {until:%-d %B %Y}; its treaty record ends there and its "
            f"successors have their own. " + summary
        )
    notes = []
    events_only = ds.treaties.index[ds.treaties["coverage"] == "events"]
    if len(events_only):
        notes.append(
            "For " + ", ".join(ds.treaties.loc[events_only, "short_name"]) + " the dataset holds only "
            "curated events; a state without a record there is not known to be a non-party."
        )
    return CountryProfile(
        iso3=iso3,
        name=name,
        on=day.date(),
        treaties=dates,
        exits=w,
        steps=domestic_steps(iso3, ds),
        peers=peers(iso3, day, ds),
        bound=bound,
        covered=covered,
        summary=summary,
        notes=notes,
    )


__all__ = ["withdrawals", "waves", "peers", "country_profile", "CountryProfile", "domestic_steps", "treaty_dates"]
