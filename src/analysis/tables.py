"""The tables and sentences the report notebooks show: plain pandas, computed here so that notebooks only call
and explain, and tested like the rest of the module."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .about import __version__
from .countries import country_name
from .counts import parties
from .currency import coverage_text, coverage_texts, currency_facts
from .dataset import load
from .doubt import between, count_doubts, effect_edtf, uncertain_columns, when
from .exits import period_text, withdrawals
from .lookup import act_day, record_end, record_end_said_in_words
from .schema import CONSENT, DEPOSITED, EXIT_KIND_TEXT, IN_FORCE, NO_RECORD
from .status import resolve_treaty, signatories, status_table
from .text import md


def _count_text(x) -> str:
    return "" if x is None or pd.isna(x) else str(int(x))


def status_dates(profile, ds=None):
    """One row per covered treaty: the status on the report's day, the key dates, and how far the data goes."""
    ds = ds or load()
    t = profile.treaties
    out = pd.DataFrame(
        {
            "treaty": t["treaty_name"],
            "status": t["status"],
            "signed": [when(d, e) for d, e in zip(t["signed"], t["signed_edtf"])],  # less than a day: in words
            "consent": [
                f"{when(d, e)} ({k})" if k else when(d, e)
                for d, e, k in zip(t["consent"], t["consent_edtf"], t["consent_kind"])
            ],
            "in force": [between(e, d) for e, d in zip(t["in_force_early"], t["in_force"])],
            "exit notice": [when(d, e) for d, e in zip(t["exit_notice"], t["exit_notice_edtf"])],
            "exit effect": [when(d, e) for d, e in zip(t["exit_effective"], t["exit_effective_edtf"])],
            "coverage": [coverage_texts(ds)[tid] for tid in t["treaty"]],
            **{c: t[c].to_numpy() for c in ("certain", "possible", "because")},  # the page: † and a footnote
        }
    )
    out.index = pd.Index(t["treaty"], name="id")
    return out


def exit_steps(exits):
    """One row per exit: its steps (announcement, vote, law, deposit of the notice, effect) and the notice
    the clause requires against the notice given."""
    rows = []
    for r in exits.itertuples(index=False):
        req, given = r.notice_required_days, r.notice_given_days
        if r.kind != "withdrawal":
            verdict = "no notice period applies"
        elif pd.isna(req):
            verdict = "no notice period in the clause (or not recorded)"
        elif pd.isna(given):
            verdict = "not known"
        else:
            verdict = "respected" if given >= req else f"short by {int(req - given)} days"
        rows.append(
            {
                "state": r.state,
                "treaty": r.treaty_name,
                "kind": EXIT_KIND_TEXT.get(r.kind, r.kind),
                "announced": when(r.announced),
                "parliament vote": when(r.parliament_vote),
                "law": when(r.law),
                "deposit (notice)": when(r.notice_deposited, getattr(r, "notice_edtf", "")),
                "effect": when(r.effective, effect_edtf(r)),
                "notice required": f"{r.notice_required} ({_count_text(req)} days)" if r.notice_required else "",
                "notice given (days)": _count_text(given),
                "notice": verdict,
                "status": r.status,
            }
        )
    cols = "state|treaty|kind|announced|parliament vote|law|deposit (notice)|effect|notice required"
    return pd.DataFrame(rows, columns=cols.split("|") + ["notice given (days)", "notice", "status"])


def exit_sentences(exits) -> str:
    """The exits in plain words, one bullet each (markdown)."""
    if not len(exits):
        return "No exit (withdrawal, withdrawn signature, revoked ratification, suspension) is on record."
    lines = []
    for r, s in zip(exits.itertuples(index=False), exit_steps(exits).to_dict("records")):
        steps = [f"{label} {s[label]}" for label in ("announced", "parliament vote", "law") if s[label]]
        text = f"- **{md(r.treaty_name)}**: {EXIT_KIND_TEXT.get(r.kind, r.kind)}"
        text += f" ({', '.join(steps)}); " if steps else "; "
        text += f"notice deposited {s['deposit (notice)']}, effect {s['effect']} ({r.status})"
        if r.kind == "withdrawal" and s["notice required"]:
            text += (
                f"; the clause requires {s['notice required']}, {s['notice given (days)'] or '?'} days "
                f"were given: {s['notice']}"
            )
        lines.append(text + ".")
    return "\n".join(lines)


def peer_overview(profile, ds=None):
    """Per treaty, how the peers (same M49 subregion, NATO, EU on the day) stand, beside the state itself."""
    ds = ds or load()
    p = profile.peers
    if not len(p):
        columns = "treaty|this state|peers|bound|deposited, not in force|signatory|withdrawal pending|left|no record"
        return pd.DataFrame(columns=columns.split("|"))
    others = p[p["state"] != profile.iso3]
    tids = list(ds.treaties.index)
    # one array of the peers' statuses (peers × treaties), counted per column: no loop over treaties
    grid = others[tids].to_numpy(dtype=object).astype(str)  # (numpy's astype: pandas' cost 10 ms, per column)
    counts = {
        "bound": IN_FORCE - {"withdrawal pending"},
        "deposited, not in force": DEPOSITED - IN_FORCE,
        "signatory": {"signatory"},
        "withdrawal pending": {"withdrawal pending"},
        "left": {"withdrawn", "signature withdrawn", "ratification revoked"},
        "no record": {"not signed", NO_RECORD},
    }
    rows = {
        "treaty": ds.treaties["short_name"].to_numpy(),
        "this state": profile.treaties["status"].astype(str).to_numpy(),  # as its status table says it
        "peers": [len(others)] * len(tids),
    }
    for column, statuses in counts.items():
        rows[column] = np.isin(grid, list(statuses)).sum(axis=0).astype(int)
    return pd.DataFrame(rows).set_index("treaty")


def peer_list(profile) -> str:
    """Who the peers are, by relation (markdown)."""
    p = profile.peers
    others = p[p["state"] != profile.iso3] if len(p) else p
    if not len(others):
        return f"{md(profile.name)} has no peers on record (no M49 subregion, NATO or EU membership on the day)."
    by: dict[str, list[str]] = {}
    for relations, name in zip(others["relation"], others["name"]):  # (not itertuples: ~35 columns)
        for rel in relations.split(", "):
            by.setdefault(rel, []).append(name)
    return "\n".join(f"- **{md(rel)}** ({len(n)}): {', '.join(map(md, sorted(n)))}" for rel, n in sorted(by.items()))


def peer_exits(profile, ds=None):
    """The peers' exits known on the report's day (the state's own included)."""
    ds = ds or load()
    w = withdrawals(ds, on=profile.on)
    states = set(profile.peers["state"]) if len(profile.peers) else {profile.iso3}
    w = w[w["state"].isin(states) & (w["notice_deposited"] <= str(profile.on))]
    return exit_steps(w)


def acted_rows(profile):
    """Per treaty (in the profile's order, as a boolean array), whether the state acted in it by the day: the rows
    the timeline draws."""
    return profile.treaties[["signed", "consent", "exit_notice"]].notna().any(axis=1).to_numpy()


def acted(profile) -> bool:
    """Whether the state has any treaty action on record by the day (else there is nothing to draw)."""
    return bool(acted_rows(profile).any())


def party_sentence(treaty: str, on=None, ds=None) -> str:
    """'On 3 February 2026, 160 states are bound by APMBC (Ottawa), ...' in plain words."""
    ds = ds or load()
    tid = resolve_treaty(treaty, ds)
    day = on if on is not None else ds.status_date
    with record_end_said_in_words():  # a page says it in words (below), never as a warning with a code path
        bound, dep = parties(tid, day, ds=ds), parties(tid, day, basis="deposited", ds=ds)
        sig = signatories(tid, day, ds=ds)
    name, end = md(ds.treaties.loc[tid, "short_name"]), record_end(tid, ds)
    text = (
        f"On {day:%-d %B %Y}, {len(bound)} states are bound by {name} (the treaty in force for them); "
        f"{len(dep)} have deposited an instrument of consent; {len(sig)} signatures stand on the list."
    )
    if ds.treaties.loc[tid, "coverage"] == "events":
        text += " The dataset holds only curated events for this treaty: the counts are a lower bound."
    text += count_doubts(tid, day, bound, ds)  # the bounds on the day and the curve's band, in words
    text += f" Counted: {md(bound.attrs['definition'])}"
    flagged = {k: ", ".join(map(country_name, dep.attrs[k])) for k in ("projected", "later_source") if dep.attrs[k]}
    if flagged:
        text += (
            f" The record stops on {dep.attrs['known_until']:%-d %B %Y}; "
            + "; ".join(
                f"{'projected past it' if k == 'projected' else 'known from a later source'}: {md(v)}"
                for k, v in flagged.items()
            )
            + "."
        )
    elif end is not None and pd.Timestamp(day) > pd.Timestamp(end):
        text += f" The record stops on {end:%-d %B %Y}: these are its counts on that day, projected to this one."
    return text


def overview_sentence(exits, since, ds=None) -> str:
    """How many exits, of which kinds, by how many states, from how many treaties (markdown)."""
    ds = ds or load()
    if not len(exits):
        return f"No exit took effect between {since:%-d %B %Y} and {ds.status_date:%-d %B %Y}."
    kinds = exits["kind"].map(EXIT_KIND_TEXT).value_counts()
    parts = ", ".join(f"{n} {k}{'s' if n > 1 and not k.endswith('n') else ''}" for k, n in kinds.items())
    pending = int((exits["status"] == "pending").sum())
    return (
        f"From {since:%-d %B %Y} to the status date {ds.status_date:%-d %B %Y}: **{len(exits)} exits** "
        f"({parts}) by {exits['state'].nunique()} states from {exits['treaty'].nunique()} treaties"
        + (f"; {pending} still pending." if pending else ".")
    )


def treaty_facts(treaty: str, ds=None):
    """The treaty's registry entry: names, dates, clause and notice, coverage; then how current its record is
    (``currency.currency_facts``: source, age on the day the page is built, acts after it, a warning if old)."""
    ds = ds or load()
    t = ds.treaties.loc[resolve_treaty(treaty, ds)]
    facts = {
        "name": t["full_name"],
        "category": t["category"],
        "depositary": t.get("depositary", ""),
        "opened for signature": when(t.get("opened_for_signature")),
        "entry into force": when(t["entry_into_force"])
        or ("not in force" if t["eif_rule"] == "not_in_force" else "not recorded"),  # empty: not read
        "withdrawal clause": t["withdrawal_article"] or "none",
        "notice period": period_text(t["notice_months"], t["notice_days"]) or "none",
        "armed-conflict clause": "yes" if t["armed_conflict_clause"] else "no",
        "coverage": coverage_text(t),
    } | currency_facts(t["id"], ds)
    return pd.DataFrame({"": list(facts.values())}, index=pd.Index(list(facts), name=t["short_name"]))


def parties_by_region(treaty: str, on=None, ds=None):
    """Per M49 region: states bound, deposited but not in force, signatories, pending exits and exits in effect."""
    ds = ds or load()
    tid = resolve_treaty(treaty, ds)
    tab = status_table(on if on is not None else ds.status_date, treaties=[tid], countries=list(ds.states.index), ds=ds)
    tab["region"] = tab["state"].map(ds.states["region"]).replace("", "(none)")
    s = tab["status"].astype(str)
    tab["bound"] = s.isin(IN_FORCE)
    tab["deposited, not in force"] = s.isin(DEPOSITED - IN_FORCE)
    tab["signatory"] = s.eq("signatory")
    tab["withdrawal pending"] = s.eq("withdrawal pending")
    tab["left"] = s.isin(["withdrawn", "signature withdrawn", "ratification revoked"])
    tab["ceased to exist"] = s.eq("ceased to exist")
    cols = ["bound", "deposited, not in force", "signatory", "withdrawal pending", "left", "ceased to exist"]
    out = tab.groupby("region")[cols].sum().astype(int)
    out["states in registry"] = tab.groupby("region").size()
    out.loc["all"] = out.sum()
    return out


def treaty_exits(treaty: str, on=None, ds=None):
    """Every exit from one treaty known on the day, as `exit_steps` shows them."""
    ds = ds or load()
    tid = resolve_treaty(treaty, ds)
    day = on if on is not None else ds.status_date
    w = withdrawals(ds, on=day)
    w = w[(w["treaty"] == tid) & (w["notice_deposited"] <= str(day))]
    return exit_steps(w)


def never_ratified(treaty: str, on=None, ds=None):
    """Signatories that never deposited an instrument of consent (by the day), with their status then."""
    ds = ds or load()
    tid = resolve_treaty(treaty, ds)
    day = pd.Timestamp(on if on is not None else ds.status_date)
    ev = ds.events.assign(date=act_day(ds.events)).loc[lambda e: (e["treaty"] == tid) & (e["date"] <= day)]
    signed = ev[ev["action"] == "signature"].sort_values("date").groupby("state")[["date", "date_edtf"]].first()
    consented = set(ev.loc[ev["action"].isin(CONSENT), "state"])
    states = sorted(set(signed.index) - consented)
    if not states:
        return pd.DataFrame(columns=["name", "region", "signed", "status"])
    table = status_table(day, countries=states, treaties=[tid], ds=ds).set_index("state", drop=False)
    st = table["status"].astype(str)
    out = pd.DataFrame(
        {
            "name": [country_name(s) for s in states],
            "region": [ds.states.loc[s, "region"] for s in states],
            "signed": [when(*signed.loc[s]) for s in states],
            "status": [st[s] for s in states],
            **uncertain_columns(table, day, ds).reindex(states).drop(columns="label"),
        },
        index=pd.Index(states, name="state"),
    )
    return out.assign(_d=signed["date"]).sort_values(["_d", "name"]).drop(columns="_d")


def exit_lags(exits):
    """Per exit, in days: first public step (announcement, statement, decree) → deposit of the notice → effect.

    A date the sources give less precisely than a day is said in words, and a lag that rests on it is left empty
    (a count of days the sources do not give); ``lag_summary`` then counts the exits it is based on."""
    first = exits[["announced", "parliament_vote", "law", "notice_deposited"]].min(axis=1)
    effect_text = [effect_edtf(r) for r in exits.itertuples()]
    vague_notice = exits.get("notice_edtf", pd.Series("", index=exits.index)).fillna("").astype(bool)
    vague_effect = pd.Series(effect_text, index=exits.index, dtype=object).astype(bool)
    vague_first = vague_notice & (first == exits["notice_deposited"])
    days = lambda later, earlier, vague: (later - earlier).dt.days.astype("Int64").mask(vague)  # noqa: E731
    return pd.DataFrame(
        {
            "state": exits["state"],
            "treaty": exits["treaty_name"],
            "kind": exits["kind"].map(EXIT_KIND_TEXT),
            "first step": [
                when(d, e if v else "") for d, e, v in zip(first, exits.get("notice_edtf", first), vague_first)
            ],
            "deposit (notice)": [when(r.notice_deposited, getattr(r, "notice_edtf", "")) for r in exits.itertuples()],
            "effect": [when(d, e) for d, e in zip(exits["effective"], effect_text)],
            "first step → deposit": days(exits["notice_deposited"], first, vague_notice),
            "deposit → effect": days(exits["effective"], exits["notice_deposited"], vague_notice | vague_effect),
            "first step → effect": days(exits["effective"], first, vague_first | vague_effect),
        }
    )


def lag_summary(exits):
    """Median, shortest and longest lag of `exit_lags`, in days, with how many exits each is based on."""
    lags = exit_lags(exits)
    cols = ["first step → deposit", "deposit → effect", "first step → effect"]
    if not len(lags):
        return pd.DataFrame(index=cols, columns=["exits", "median", "shortest", "longest"])
    return pd.DataFrame(
        {
            "exits": [int(lags[c].notna().sum()) for c in cols],
            "median": [lags[c].median() for c in cols],
            "shortest": [lags[c].min() for c in cols],
            "longest": [lags[c].max() for c in cols],
        },
        index=cols,
    )


def notice_check(exits):
    """Withdrawals only: the notice the clause requires against the notice given, and the verdict."""
    w = exits[exits["kind"] == "withdrawal"]
    return exit_steps(w)[
        ["state", "treaty", "deposit (notice)", "effect", "notice required", "notice given (days)", "notice"]
    ]


def provenance(ds=None, sources: bool = True) -> str:
    """Package and dataset versions, status date and (unless ``sources=False``: the page lists its own, by kind)
    sources, as markdown."""
    ds = ds or load()
    head = (
        f"**treaty-exits** {__version__} · **Dataset version** {ds.version} · **status date** "
        f"{ds.status_date:%d %B %Y} (depositary pages as read on that day)"
    )
    if not sources:
        return head + ". The sources of the rows this page shows, by kind, each with the rows it supports:"
    lines = [f"{head} · **{len(ds.sources)} sources**:", ""]
    lines += [f"- {md(s, quote=True)}" for s in ds.sources]
    return "\n".join(lines)
