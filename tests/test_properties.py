"""Property-based tests on random event histories: the status engine's invariants hold for any history."""

from datetime import date, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis as a
from analysis.dataset import Dataset
from analysis.schema import DEPOSITED, EVENT_COLUMNS, IN_FORCE, STATUSES

RULES = ["on_deposit", "days:30", "days:90", "months:6", "first_of_month:6", "not_in_force"]
ACTIONS = [
    "signature",
    "ratification",
    "accession",
    "succession",
    "withdrawal",
    "withdrawal_suspended",
    "signature_withdrawal",
    "ratification_revocation",
    "suspension",
    "suspension_lifted",
    "parliament_vote",
]
STATES = ["AAA", "BBB", "CCC", "DDD"]
day0 = date(1990, 1, 1)

event = st.tuples(st.sampled_from(STATES), st.sampled_from(ACTIONS), st.integers(0, 12000), st.integers(0, 800))


def _dataset(rule: str, eif_offset: int, notice_months: int, rows) -> Dataset:
    events = pd.DataFrame(
        [
            {
                "state": s,
                "treaty": "t",
                "action": act,
                "date": pd.Timestamp(day0 + timedelta(days=d)),
                "effective_date": pd.Timestamp(day0 + timedelta(days=d + lag))
                if act in ("withdrawal",) and lag % 3
                else pd.NaT,
                "depositary": "",
                "source": "x",
                "source_date": pd.NaT,
                "source_kind": "depositary",
                "ref": "",
                "note": "",
            }
            for s, act, d, lag in rows
        ],
        columns=EVENT_COLUMNS,
    )
    treaties = pd.DataFrame(
        [
            {
                "id": "t",
                "short_name": "T",
                "full_name": "Test treaty",
                "category": "conventional",
                "entry_into_force": pd.NaT
                if rule == "not_in_force"
                else pd.Timestamp(day0 + timedelta(days=eif_offset)),
                "eif_rule": rule,
                "notice_months": pd.NA if notice_months == 0 else notice_months,
                "notice_days": pd.NA,
                "armed_conflict_clause": False,
                "coverage": "full",
                "source": "x",
            }
        ]
    ).set_index("id", drop=False)
    states = pd.DataFrame({"iso3": STATES, "until": [pd.NaT] * len(STATES)}).set_index("iso3", drop=False)
    return Dataset(
        events=events,
        treaties=treaties,
        states=states,
        groups=pd.DataFrame(),
        notes=pd.DataFrame(),
        version="test",
        status_date=date(2026, 1, 1),
    )


histories = st.tuples(
    st.sampled_from(RULES),
    st.integers(0, 4000),
    st.sampled_from([0, 3, 6, 12]),
    st.lists(event, min_size=1, max_size=14),
)
probe_days = st.lists(st.integers(-10, 13000), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories, probe_days)
def test_status_is_always_in_the_vocabulary_and_counts_add_up(history, days):
    ds = _dataset(*history)
    counts = a.party_counts("t", freq="D", start=day0 - timedelta(days=10), end=day0 + timedelta(days=13000), ds=ds)
    assert (counts.drop(columns=["parties", "deposited"]) >= 0).all().all()
    for d in days:
        day = day0 + timedelta(days=d)
        table = a.status_table(day, ds=ds)
        assert set(table["status"].astype(str)) <= set(STATUSES)
        n_force = int(table["status"].isin(IN_FORCE).sum())
        n_dep = int(table["status"].isin(DEPOSITED).sum())
        assert len(a.parties("t", on=day, ds=ds)) == n_force
        assert len(a.parties("t", on=day, basis="deposited", ds=ds)) == n_dep
        if day >= day0 - timedelta(days=10):
            row = counts.loc[pd.Timestamp(day)]
            assert row["parties"] == n_force and row["deposited"] == n_dep
            for s in STATUSES[1:]:
                assert row[s] == int((table["status"] == s).sum())


CONSENT = {"ratification", "accession", "succession"}


@settings(max_examples=150, deadline=None)
@given(histories)
def test_no_party_after_an_exit_took_effect_unless_a_later_consent(history):
    ds = _dataset(*history)
    tr = a.transitions(ds)
    ev = ds.events
    for (state, _), steps in tr.groupby(["state", "treaty"]):
        gone = steps[steps["status"].isin(["withdrawn", "ratification revoked"])]
        for g in gone.itertuples():
            later_party = steps[(steps["date"] > g.date) & steps["status"].isin(IN_FORCE)]
            for lp in later_party.itertuples():
                mine = ev[
                    (ev["state"] == state) & ev["action"].isin(CONSENT | {"withdrawal_suspended", "suspension_lifted"})
                ]
                assert ((mine["date"] > g.date) & (mine["date"] <= lp.date)).any(), (state, g, lp)


@settings(max_examples=100, deadline=None)
@given(histories)
def test_transitions_are_ordered_one_per_day(history):
    tr = a.transitions(_dataset(*history))
    for _, steps in tr.groupby(["state", "treaty"]):
        assert steps["date"].is_monotonic_increasing
        assert not steps["date"].duplicated().any()
