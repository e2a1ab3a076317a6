"""A state among its peers: its treaties and dates, the exits of its subregion and groups, and its profile.

Built on the status engine and the exit table; the country report's questions are answered here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import pandas as pd

from . import lifetimes
from .countries import country_name, resolve_country
from .dataset import Dataset, load
from .doubt import uncertain_columns, when
from .exits import domestic_steps, group_at, withdrawals
from .lookup import act_day, record_end_said_in_words, suspension_not_on_page
from .schema import CONSENT, EXIT_ACTIONS, IN_FORCE, LATER_SOURCE, NO_RECORD, STATUS_CODE
from .status import as_day, status, status_table, transitions, with_no_record
from .text import md
from .uncertainty import steps_for


def peers(country: str, on=None, ds: Dataset | None = None) -> pd.DataFrame:
    """The states that share the country's M49 subregion or a group (NATO, EU) on `on`, with their statuses."""
    ds = ds or load()
    iso3 = resolve_country(country)
    day = as_day(on, ds=ds)
    st = ds.states
    relation: dict[str, list[str]] = {}
    sub = st.loc[iso3, "subregion"] if iso3 in st.index else ""
    if sub:
        for s in st.index[(st["subregion"] == sub)]:
            relation.setdefault(s, []).append(sub)
    for grp in group_at(ds, iso3, day):
        g = ds.groups
        for s in g.loc[(g["group"] == grp) & (g["joined"] <= day) & (g["left"].isna() | (g["left"] >= day)), "iso3"]:
            relation.setdefault(s, []).append(grp)
    alive = set(lifetimes.existing(ds, day))  # a state not yet begun or already ended is nobody's peer
    active = [s for s in relation if s in alive]
    if not active:
        return pd.DataFrame(columns=["state", "name", "relation"])
    table = with_no_record(status_table(day, countries=active, ds=ds), ds)
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
    #: A former state's last day (the day before its ``until``), else None: nothing is in force for it after.
    last_day: date | None = None


def _projected_labels(statuses: pd.Series, flagged: pd.Series, iso3: str, on: pd.Timestamp, ds: Dataset) -> pd.Series:
    """A status projected past its treaty's record (``known_until``) says so: 'withdrawn (projected: ...)'; one
    that rests on an act known from a later source says that and names the source. ``flagged`` (per treaty, from
    ``status_table``'s ``projected``/``later_source``, the same rule) says which need ``status()``'s label."""
    labelled = statuses.copy()
    for tid in flagged.index[flagged.to_numpy()]:
        with record_end_said_in_words():  # the page says it in the status itself
            answer = status(iso3, tid, on=on, ds=ds)
        labelled[tid] = answer.label if answer.projected or answer.later_source else statuses[tid]
    return labelled


def treaty_dates(iso3: str, on: pd.Timestamp, ds: Dataset) -> pd.DataFrame:
    """Per treaty: status on `on`, and the key dates of the state's record (signature, deposit, in force, exit).

    A continuing or unified state's record includes its predecessor's acts (Russia: the USSR's), marked "by SUN".
    """
    ev = ds.events
    carry, _ = lifetimes.links(ds)
    holders = [iso3] + [pred for pred, _ in carry.get(iso3, [])]
    # an act dated less precisely counts from its first possible day, and sits at its last (the late reading,
    # the engine's base): its own text (``*_edtf``) carries what the source says, for the page to say in words
    e = ev[ev["state"].isin(holders) & (act_day(ev) <= on)]
    e = e.assign(date=e["date"].fillna(e["date_latest"]).fillna(e["date_earliest"])).sort_values("date")
    e = e.assign(action_by=e["action"].where(e["state"] == iso3, e["action"] + " by " + e["state"]))
    tr = _transitions_of(iso3, ds)
    tr = tr[tr["date"] <= on]
    t = ds.treaties
    out = pd.DataFrame(
        {"treaty": t.index, "treaty_name": t["short_name"].to_numpy(), "category": t["category"].to_numpy()},
        index=t.index,
    )
    table = with_no_record(status_table(on, countries=[iso3], ds=ds), ds).set_index("treaty")
    st = table["status"].astype(str)
    out["status"] = _projected_labels(st, table["projected"] | table["later_source"], iso3, on, ds)
    out.loc[out["treaty"].isin(not_open(iso3, ds)), "status"] = NOT_OPEN
    out = out.join(uncertain_columns(table.reset_index(), on, ds).set_axis(table.index).drop(columns="label"))
    consent = e[e["action"].isin(CONSENT)]
    exits = e[e["action"].isin(EXIT_ACTIONS)]
    out["signed"] = e[e["action"] == "signature"].groupby("treaty")["date"].min()
    out["signed_edtf"] = e[e["action"] == "signature"].groupby("treaty")["date_edtf"].first()
    out["consent"] = consent.groupby("treaty")["date"].min()
    out["consent_edtf"] = consent.groupby("treaty")["date_edtf"].first()
    out["consent_kind"] = consent.groupby("treaty")["action_by"].first()
    out["consent_kind"] = out["consent_kind"].fillna("")
    out["in_force"] = tr[tr["status"] == "party"].groupby("treaty")["date"].min()
    early = steps_for(ds, "early")  # the day it is in force if every uncertain act is read at its first day
    early = early[(early["state"] == iso3) & (early["date"] <= on) & (early["code"] == STATUS_CODE["party"])]
    out["in_force_early"] = early.groupby("treaty")["date"].min()
    out["exit_notice"] = exits.groupby("treaty")["date"].max()
    # an effect known less precisely than a day sits at its last possible day; its text says what is known
    effect = exits["effective_date"].fillna(exits["effective_latest"]).fillna(exits["effective_earliest"])
    exits = exits.assign(eff=effect.fillna(exits["date"]), eff_edtf=exits["effective_date_edtf"].where(
        effect.notna(), exits["date_edtf"]))  # fmt: skip
    last = exits.sort_values("eff").groupby("treaty").last()
    out["exit_notice_edtf"] = exits.sort_values("date").groupby("treaty")["date_edtf"].last()
    out["exit_effective"], out["exit_effective_edtf"] = last["eff"], last["eff_edtf"]
    out["known_until"] = t["known_until"] if "known_until" in t.columns else pd.NaT
    return out.reset_index(drop=True)


#: What a former state's page says for a treaty opened for signature (else adopted) only after its last day, which it
#: could never have joined: not "not signed". A label of its tables, not a status of the engine.
NOT_OPEN = "not open while it existed"


def not_open(iso3: str, ds: Dataset) -> pd.Index:
    """The treaties opened for signature (else adopted) only after a former state's last day: it could not join
    them, so its page says ``NOT_OPEN`` there, not "not signed" (none for a state that has not ended)."""
    last = lifetimes.last_day(iso3, ds)
    if last is None:
        return ds.treaties.index[:0]
    t = ds.treaties
    opened = t["opened_for_signature"].fillna(t["adopted"])
    return t.index[opened > pd.Timestamp(last)]


def _transitions_of(iso3: str, ds: Dataset) -> pd.DataFrame:
    by_state = _transitions_by_state(ds)
    return by_state[iso3] if iso3 in by_state else transitions(ds).iloc[:0]


@lru_cache(maxsize=4)
def _transitions_by_state(ds: Dataset) -> dict[str, pd.DataFrame]:
    """The step table split by state once per dataset (comparing its every row with one state cost 3 ms a page)."""
    tr = transitions(ds)
    return {state: rows for state, rows in tr.groupby("state", sort=False)}


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
    """The state's name as a sentence says it ("the Netherlands"), as Markdown text (``text.md``)."""
    name = country_name(iso3)
    return md(f"the {name}" if name in _THE else name)


def _count_word(n: int) -> str:
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return words[n] if 0 <= n < len(words) else str(n)


def _summary(iso3: str, day: pd.Timestamp, bound: int, covered: int, exits: pd.DataFrame, ds: Dataset) -> str:
    """The profile's first sentence: bound by how many, left how many and when, what is pending."""
    summary = f"On {day:%-d %B %Y} {name_in_sentence(iso3)} is bound by {bound} of the {covered} treaties covered"
    left = exits[(exits["kind"] == "withdrawal") & (exits["effective"] <= day)]
    if len(left):
        count = left["treaty"].nunique()
        first, last = left["effective"].dt.year.min(), left["effective"].dt.year.max()
        when = f"in {first}" if first == last else f"since {first}"
        which = "" if count == 1 else ("both " if count == 2 else "all ")
        summary += f"; it has left {_count_word(count)} of them, {which}{when}"
    pending = exits[exits["status"] == "pending"]
    if len(pending):
        summary += (
            f"; {_count_word(len(pending))} withdrawal{'s are' if len(pending) > 1 else ' is'} pending "
            f"({', '.join(map(md, pending['treaty_name']))})"
        )
    summary += "."
    return _lifetime_sentence(iso3, day, ds) + summary


def _lifetime_sentence(iso3: str, day: pd.Timestamp, ds: Dataset) -> str:
    """For a state that began or ended during the record: when, and who succeeded it (empty for the others).

    A former state's report is drawn on its last day by default, so this says that the day is its last, and
    names its successors with the kind of succession (their own reports continue the story).
    """
    since, until, gaps = lifetimes.lives(ds).get(iso3, lifetimes.Life())
    name = name_in_sentence(iso3)
    name = name[:1].upper() + name[1:]
    if since is not None and day < pd.Timestamp(since):
        return f"{name} became a state on {since:%-d %B %Y}; before that it is not yet a state in any treaty. "
    for ended, resumed in gaps:
        if pd.Timestamp(ended) <= day < pd.Timestamp(resumed):
            last = pd.Timestamp(resumed) - pd.Timedelta(days=1)
            return (
                f"{name} did not exist as a state from {ended:%-d %B %Y} to {last:%-d %B %Y} (a gap in the "
                "Gleditsch-Ward list of states): in that time it is counted in no treaty; from its return its "
                "earlier acts stand again. "
            )
    if until is None:
        return ""
    last = pd.Timestamp(lifetimes.last_day(iso3, ds))
    when = "this is its last day" if day == last else f"its record ends on {last:%-d %B %Y}"
    text = f"{name} existed until {last:%-d %B %Y} (it ceased to exist on {until:%-d %B %Y}): {when}. "
    links = lifetimes.successors(iso3, ds)
    if len(links):
        groups = links.groupby(["kind", "date"], sort=False)["successor"].agg(list)
        heirs = [
            f"by {kind} on {day:%-d %B %Y}, {', '.join(md(country_name(s)) for s in states)}"
            for (kind, day), states in groups.items()
        ]
        text += f"Its successors, each with its own record: {'; '.join(heirs)}. "
    return text


def _coverage_notes(ds: Dataset) -> list[str]:
    events_only = ds.treaties.index[ds.treaties["coverage"] == "events"]
    if not len(events_only):
        return []
    return [
        "For " + ", ".join(map(md, ds.treaties.loc[events_only, "short_name"])) + " the dataset holds only "
        f'curated events; a state without an act there reads "{NO_RECORD}", not "not signed".'
    ]


def _not_open_notes(iso3: str, ds: Dataset) -> list[str]:
    """Said once on a former state's page: the treaties opened after it ended, and how its tables show them."""
    late = not_open(iso3, ds)
    if not len(late):
        return []
    names = ", ".join(map(md, ds.treaties.loc[late, "short_name"]))
    return [f'Opened for signature only after {md(country_name(iso3))} ceased to exist, so "{NOT_OPEN}": {names}.']


def _later_notes(iso3: str, day: pd.Timestamp, ds: Dataset) -> list[str]:
    """Acts after the page's day known only from a source later than the depositary's record (Tonga's CTBT and
    TPNW acts of 2026-07-07): said, not counted, since the page shows the status on its own day."""
    ev = ds.events
    later = ev[(ev["state"] == iso3) & (ev["source_kind"] == LATER_SOURCE) & (ev["date"] > day)]
    acts = [
        f"{md(ds.treaties.loc[tid, 'short_name'])}: {action} of {when:%-d %B %Y} (from {md(source)} of "
        f"{source_day:%-d %B %Y}; the depositary record stops on {ds.treaties.loc[tid, 'known_until']:%-d %B %Y})"
        for tid, action, when, source, source_day in later[["treaty", "action", "date", "source", "source_date"]].values
    ]
    return (
        ["Known from a later source than the depositary's record, after this page's day: " + "; ".join(acts)]
        if acts
        else []
    )


def _steps_in_words(steps: pd.DataFrame) -> pd.DataFrame:
    """The domestic steps as the page shows them: a date known less precisely than a day in words."""
    if not steps["date_edtf"].fillna("").astype(bool).any():
        return steps.drop(columns="date_edtf")  # every day known: the table is what it was
    words = [when(d, e) for d, e in zip(steps["date"], steps["date_edtf"].fillna(""))]
    return steps.drop(columns="date_edtf").assign(date=words)


def _unrecorded_notes(iso3: str, dates: pd.DataFrame, day: pd.Timestamp, ds: Dataset) -> list[str]:
    """A suspension on record from another source that the depositary's status page does not show (Ukraine's APMBC
    notice of 18 Jul 2025), said in words: the status counts it, the page it rests on disagrees."""
    notes = []
    for tid, name in dates.loc[dates["status"] == "suspended", ["treaty", "treaty_name"]].values:
        said = suspension_not_on_page(ds, iso3, tid, day)
        notes += [f"{md(name)}: {said}."] if said else []
    return notes


def country_profile(country: str, on=None, ds: Dataset | None = None) -> CountryProfile:
    """Everything the country report needs, for one state on one day."""
    ds = ds or load()
    iso3 = resolve_country(country)
    day = as_day(on, ds=ds)
    dates = treaty_dates(iso3, day, ds)
    exits = withdrawals(ds, on=day)
    exits = exits[(exits["state"] == iso3) & (exits["notice_deposited"] <= day)].reset_index(drop=True)
    bound = int(dates["status"].isin(IN_FORCE).sum())
    return CountryProfile(
        iso3=iso3,
        name=country_name(iso3),
        on=day.date(),
        treaties=dates,
        exits=exits,
        steps=_steps_in_words(domestic_steps(iso3, ds)),
        peers=peers(iso3, day, ds),
        bound=bound,
        covered=len(dates),
        summary=_summary(iso3, day, bound, len(dates), exits, ds),
        notes=_coverage_notes(ds)
        + _not_open_notes(iso3, ds)
        + _later_notes(iso3, day, ds)
        + _unrecorded_notes(iso3, dates, day, ds),
        last_day=lifetimes.last_day(iso3, ds),
    )


__all__ = ["peers", "country_profile", "CountryProfile", "treaty_dates", "name_in_sentence"]
