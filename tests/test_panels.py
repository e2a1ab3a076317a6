"""Spells and the event-history panel say what analysis.status says, and the covariates are what they claim."""

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.panels import PANEL_COLUMNS, SPELL_COLUMNS, event_panel, spells
from analysis.schema import EXIT_STATUSES, IN_FORCE
from analysis.status import with_no_record


@pytest.fixture(scope="module")
def panel(ds):
    return event_panel("Y", ds=ds)


def _row(panel, state, treaty, year):
    rows = panel[(panel["state"] == state) & (panel["treaty"] == treaty) & (panel["period"].dt.year == year)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_spells_tile_each_history_and_agree_with_status(ds):
    table = spells(ds)
    assert tuple(table.columns) == SPELL_COLUMNS
    for (state, treaty), pair in table.groupby(["state", "treaty"], observed=True):
        following = pair["start_day"].shift(-1) - pd.Timedelta(days=1)
        assert (pair["end_day"].iloc[:-1] == following.iloc[:-1]).all(), (state, treaty)
        assert pair["ongoing"].tolist() == [0] * (len(pair) - 1) + [1]
        assert (pair["status"] != pair["status"].shift()).all()  # no two spells of one status in a row
    assert table.loc[table["start_day"].isna(), "status"].eq("not yet a state").all()  # no sentinel first day
    assert table["start_day"].min() >= ds.events["date"].min()
    # the engine's spells start every history at "not signed"; status() gives the reader's label, which
    # status.with_no_record applies ("no record (events only)" in a treaty held only as curated events)
    labelled = with_no_record(table, ds)
    for row in labelled.dropna(subset=["start_day"]).sample(200, random_state=1).itertuples():
        assert analysis.status(row.state, row.treaty, on=row.start_day, ds=ds) == row.status
        if row.ongoing == 0:
            assert analysis.status(row.state, row.treaty, on=row.end_day, ds=ds) == row.status


def test_lithuania_ccm_spells(ds):
    table = spells(ds)
    ltu = table[(table["state"] == "LTU") & (table["treaty"] == "ccm")]
    assert ltu["status"].tolist()[-2:] == ["withdrawal pending", "withdrawn"]
    pending = ltu[ltu["status"] == "withdrawal pending"].iloc[0]
    assert (pending["start_day"], pending["end_day"]) == (pd.Timestamp("2024-09-06"), pd.Timestamp("2025-03-05"))
    assert pending["days"] == 181


def test_panel_columns_status_and_bound_agree_with_the_plain_panel(ds, panel):
    assert tuple(panel.columns) == PANEL_COLUMNS
    plain = analysis.panel("Y", start="1990-01-01", end="2025-12-31", ds=ds)
    rich = panel[(panel["period"] >= "1990-12-31") & (panel["period"] <= "2025-12-31")]
    merged = plain.merge(rich, on=["state", "treaty", "period"], suffixes=("", "_rich"))
    assert len(merged) == len(plain)
    assert (merged["status"].astype(str) == merged["status_rich"].astype(str)).all()
    assert (merged["bound"] == merged["bound_rich"]).all()


def test_bound_and_at_risk_follow_the_status_on_the_right_days(ds, panel):
    sample = with_no_record(panel, ds).sample(300, random_state=2)  # the reader's label, as status() gives it
    for row in sample.itertuples():
        on_end = analysis.status(row.state, row.treaty, on=row.period, ds=ds)
        before = analysis.status(row.state, row.treaty, on=row.period_start - pd.Timedelta(days=1), ds=ds)
        assert row.status == on_end
        assert row.bound == int(on_end in IN_FORCE)
        assert row.at_risk == int(before in IN_FORCE)


def test_exit_event_and_its_effect_land_in_their_years(panel):
    assert _row(panel, "LTU", "ccm", 2024)[["exit", "exit_effective", "at_risk"]].tolist() == [1, 0, 1]
    assert _row(panel, "LTU", "ccm", 2025)[["exit", "exit_effective", "at_risk"]].tolist() == [0, 1, 1]
    assert _row(panel, "LTU", "ccm", 2023)[["exit", "exit_effective"]].tolist() == [0, 0]
    # every exit event is the entry into an exit status, once per entry
    assert panel["exit"].sum() >= len(panel[(panel["exit"] > 0)])


def test_time_since_consent_and_memberships(panel):
    row = _row(panel, "LTU", "ccm", 2024)
    assert row["days_since_consent"] == (pd.Timestamp("2024-12-31") - pd.Timestamp("2011-03-24")).days
    assert row["years_since_consent"] == pytest.approx(row["days_since_consent"] / 365.25, abs=1e-4)
    assert np.isnan(_row(panel, "LTU", "ccm", 2010)["days_since_consent"])
    # Lithuania joined NATO on 2004-03-29 and the EU on 2004-05-01; the United Kingdom left the EU on 2020-01-31
    assert _row(panel, "LTU", "npt", 2003)[["nato", "eu"]].tolist() == [0, 0]
    assert _row(panel, "LTU", "npt", 2004)[["nato", "eu"]].tolist() == [1, 1]
    assert _row(panel, "GBR", "npt", 2020)["eu"] == 1 and _row(panel, "GBR", "npt", 2021)["eu"] == 0
    assert _row(panel, "LTU", "ccm", 2024)[["region", "subregion"]].tolist() == ["Europe", "Northern Europe"]


def test_no_row_before_its_treaty_opened(ds, panel):
    """The CCM opened for signature on 2008-12-03: Lithuania's CCM rows start with 2008, the NPT's with 1968."""
    assert panel[(panel["state"] == "LTU") & (panel["treaty"] == "ccm")]["period"].min() == pd.Timestamp("2008-12-31")
    assert panel[panel["treaty"] == "npt"]["period"].min() == pd.Timestamp("1968-12-31")
    opened = analysis.counts.opening_days(ds)
    assert (panel["period"].to_numpy() >= panel["treaty"].map(opened).to_numpy(dtype="datetime64[s]")).all()


@pytest.mark.parametrize("state", ["DEU", "NOR", "LTU"])
def test_peer_shares_match_a_count_from_status_table_and_groups(ds, panel, state):
    """The NATO share in the Mine Ban Convention in 2026, counted the slow way from public functions."""
    start = pd.Timestamp("2026-01-01")
    before = analysis.status_table(on=start - pd.Timedelta(days=1), treaties=["apmbc"], ds=ds).set_index("state")
    groups = ds.groups[(ds.groups["group"] == "NATO") & (ds.groups["joined"] <= start)]
    members = set(groups["iso3"]) - {state}
    consent = ds.events[(ds.events["treaty"] == "apmbc") & ds.events["action"].isin(analysis.schema.CONSENT)]
    consented = {s for s in members if (consent[consent["state"] == s]["date"] < start).any()}
    left = {s for s in consented if before["status"].get(s) in EXIT_STATUSES}
    expected = len(left) / len(consented)
    assert _row(panel, state, "apmbc", 2026)["peers_left_nato"] == pytest.approx(expected)
    assert expected > 0  # the 2025 wave: Estonia, Latvia, Lithuania, Poland, Finland gave notice


def test_non_members_have_no_nato_share(panel):
    assert np.isnan(_row(panel, "AUT", "apmbc", 2026)["peers_left_nato"])


def test_a_day_panel_and_bad_frequency(ds):
    days = event_panel("D", start="2025-03-01", end="2025-03-10", ds=ds)
    ltu = days[(days["state"] == "LTU") & (days["treaty"] == "ccm")]
    assert len(ltu) == 10
    assert ltu.loc[ltu["period"] == "2025-03-06", "exit_effective"].item() == 1
    assert ltu.loc[ltu["period"] == "2025-03-05", "status"].item() == "withdrawal pending"
    with pytest.raises(ValueError, match="freq must be one of"):
        event_panel("W", ds=ds)
