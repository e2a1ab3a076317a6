"""Exits with their steps and timing, waves across states, peers, the country profile."""

import pandas as pd
import pytest

import analysis as a


def _exit(state, treaty, kind="withdrawal"):
    w = a.withdrawals()
    row = w[(w["state"] == state) & (w["treaty"] == treaty) & (w["kind"] == kind)]
    assert len(row) == 1, row
    return row.iloc[0]


def test_lithuania_ccm_the_seed_case():
    r = _exit("LTU", "ccm")
    assert r["notice_deposited"] == pd.Timestamp("2024-09-06")
    assert r["effective"] == pd.Timestamp("2025-03-06")
    assert r["notice_given_days"] == 181
    assert r["notice_required"] == "6 months" and r["notice_required_days"] == 181
    assert bool(r["notice_respected"])
    assert r["bound_since"] == pd.Timestamp("2011-09-01")  # first day of the sixth month after 2011-03-24
    assert r["days_bound"] == (pd.Timestamp("2025-03-06") - pd.Timestamp("2011-09-01")).days
    assert r["parliament_vote"] == pd.Timestamp("2024-07-18")  # the Seimas vote
    assert r["armed_conflict_clause"] and r["status"] == "in effect"
    assert r["ref"] == "C.N.347.2024.TREATIES-XXVI-6"


def test_poland_apmbc_is_pending_before_its_effect_and_in_effect_after():
    w = a.withdrawals(on="2026-01-01")
    pol = w[(w["state"] == "POL") & (w["treaty"] == "apmbc")].iloc[0]
    assert pol["notice_deposited"] == pd.Timestamp("2025-08-20")
    # the page gives the effect "subject to the condition" of art. 20(3): not before 20 Feb 2026, no day of effect
    assert pd.isna(pol["effective"]) and pol["effective_edtf"] == "[2026-02-20..]"
    assert pol["status"] == "pending"
    assert _exit("POL", "apmbc")["status"] == "pending"  # the default day is the status date, 2026-02-03
    later = a.status("POL", "apmbc", on="2026-03-01")  # after the record: the readings allow both
    assert not later.certain and set(later.possible) == {"withdrawn", "withdrawal pending"}
    assert "on or after 20 Feb 2026" in later.label


def test_other_kinds_of_exit():
    assert _exit("USA", "att", "signature_withdrawal")["notice_deposited"] == pd.Timestamp("2019-07-18")
    rus = _exit("RUS", "ctbt", "ratification_revocation")
    assert rus["effective"] == pd.Timestamp("2023-11-02")
    assert rus["parliament_vote"] == pd.Timestamp("2023-10-18")  # the Duma's 2023 vote, not the 2000 one
    prk93 = a.withdrawals()
    prk93 = prk93[(prk93["state"] == "PRK") & (prk93["notice_deposited"] == pd.Timestamp("1993-03-12"))].iloc[0]
    assert prk93["status"] == "suspended" and pd.isna(prk93["effective"])


def test_notice_given_is_never_shorter_than_required_in_the_record():
    w = a.withdrawals()
    w = w[w["kind"] == "withdrawal"].dropna(subset=["notice_given_days", "notice_required_days"])
    assert len(w) >= 8
    assert (w["notice_given_days"] >= w["notice_required_days"]).all()


def test_the_2025_mine_ban_wave():
    waves = a.waves(window_days=120)
    apmbc = waves[waves["treaty"] == "apmbc"]
    assert len(apmbc) == 1
    assert set(apmbc.iloc[0]["states"]) >= {"EST", "LVA", "LTU", "FIN", "POL"}
    assert apmbc.iloc[0]["first_notice"] == pd.Timestamp("2025-06-27")
    by_group = a.waves(window_days=120, by="group")
    nato = by_group[(by_group["treaty"] == "apmbc") & (by_group["group"] == "NATO")]
    assert set(nato.iloc[0]["states"]) == {"EST", "LVA", "LTU", "FIN", "POL"}
    with pytest.raises(ValueError, match="by must be"):
        a.waves(by="continent")


def test_a_short_window_splits_the_wave():
    split = a.waves(window_days=10)
    apmbc = split[split["treaty"] == "apmbc"]
    assert [sorted(s) for s in apmbc["states"]] == [["EST", "LTU", "LVA"]]


def test_peers_share_subregion_or_group():
    p = a.peers("LTU", on="2026-02-03")
    assert p.iloc[0]["state"] == "LTU"
    assert {"LVA", "EST", "POL", "FIN"} <= set(p["state"])
    assert p.set_index("state").loc["LVA", "apmbc"] == "withdrawn"
    assert p.set_index("state").loc["LTU", "ccm"] == "withdrawn"
    assert "NATO" in p.set_index("state").loc["POL", "relation"]


def test_country_profile_summary_is_computed():
    prof = a.country_profile("Lithuania", on="2026-02-03")
    assert prof.iso3 == "LTU"
    assert prof.summary.startswith("On 3 February 2026 Lithuania is bound by ")
    assert prof.summary.endswith("it has left two of them, both in 2025.")
    bound = int(prof.treaties["status"].isin(["party", "withdrawal pending", "suspended"]).sum())
    assert f"bound by {bound} of the {len(a.load().treaties)} treaties" in prof.summary
    assert set(prof.exits["treaty"]) == {"ccm", "apmbc"}
    earlier = a.country_profile("LTU", on="2024-12-01")
    assert "withdrawal is pending" in earlier.summary


def test_profile_of_a_state_without_actions():
    prof = a.country_profile("Niue", on="2026-02-03")
    assert prof.exits.empty


def test_exits_and_waves_on_the_fixture_pipeline(tmp_path):
    from minidata import make_mini_data

    vote = dict(
        state="LTU",
        treaty="ccm",
        action="parliament_vote",
        date="2024-07-18",
        source="https://example.org/v",
        source_date="2024-07-18",
        source_kind="press",
        note="fixture row",
    )
    ds = a.load(make_mini_data(tmp_path / "data", curated=[vote]))
    w = a.withdrawals(ds, on="2026-02-03").set_index(["state", "treaty"])
    ltu = w.loc[("LTU", "ccm")]
    assert (ltu["notice_given_days"], ltu["notice_required_days"]) == (181, 181)
    assert ltu["parliament_vote"] == pd.Timestamp("2024-07-18")
    assert ltu["bound_since"] == pd.Timestamp("2011-09-01")
    assert w.loc[("POL", "apmbc"), "status"] == "pending"  # effect 2026-02-20, after the fixture's day
    waves = a.waves(window_days=120, ds=ds)
    assert [sorted(s) for s in waves["states"]] == [["EST", "POL"]]
