"""One label for "no record" in a treaty held only as curated events (coverage 'events': INF, ABM, New START ...).

Every user of the status vocabulary that a reader sees (status, the peers tables, the profile, the maps, the
index map, the explorer, the exports) says ``NO_RECORD`` for a state without any act there, never "not signed".
"""

from __future__ import annotations

import pandas as pd
import pytest

import analysis as a
from analysis import explore, maps, statusmap, tables
from analysis.export import table
from analysis.palette import LABELS
from analysis.schema import NO_RECORD

ON = "2025-12-27"


@pytest.fixture(scope="module")
def events_only(ds):
    tids = list(ds.treaties.index[ds.treaties["coverage"] == "events"])
    assert {"inf", "abm", "new_start"} <= set(tids)
    return tids


def _acted(ds):
    return set(zip(ds.events["state"], ds.events["treaty"]))


def _no_not_signed_without_acts(frame, ds, events_only, column="status"):
    """No row of a pair without any act in an events-only treaty says "not signed"; some say NO_RECORD."""
    rows, acted = frame[frame["treaty"].isin(events_only)], _acted(ds)
    silent = [(s, t) not in acted for s, t in zip(rows["state"], rows["treaty"])]
    labels = set(rows.loc[silent, column].astype(str))
    assert "not signed" not in labels and NO_RECORD in labels, labels


def test_status_and_the_profile_say_no_record(ds):
    assert a.status("LTU", "inf", on=ON) == NO_RECORD
    assert a.status("USA", "inf", on="2019-09-01") == "withdrawn"  # an act on record: its own status
    profile = a.country_profile("LTU", on=ON)
    st = profile.treaties.set_index("treaty")["status"]
    assert st["inf"] == st["new_start"] == NO_RECORD


def test_peers_tables_say_the_same_as_the_status_table(ds, events_only):
    profile = a.country_profile("LTU", on=ON)
    wide, acted = profile.peers, _acted(ds)
    for tid in events_only:
        assert "not signed" not in set(wide.loc[[(s, tid) not in acted for s in wide["state"]], tid].astype(str))
    overview = tables.peer_overview(profile, ds)
    inf = overview.loc[ds.treaties.loc["inf", "short_name"]]
    assert inf["this state"] == NO_RECORD and inf["no record"] > 0


def test_maps_and_the_index_map_say_no_record(ds, events_only):
    m = maps.treaty_map("inf", on=ON, ds=ds)
    acted = _acted(ds)
    silent = [(s, "inf") not in acted for s in m.data["state"]]
    assert set(m.data.loc[silent, "status"]) <= {NO_RECORD, "not yet a state", "ceased to exist"}
    assert f'data-status="{NO_RECORD}"' in str(m) and 'data-status="not signed"' not in str(m)
    assert NO_RECORD in str(m)  # in the legend too
    data = statusmap.index_map_data(on=ON, ds=ds)
    for tid in events_only:
        shown = {LABELS[int(c, 36)] for s, c in zip(data["states"], data["codes"][tid]) if (s, tid) not in acted}
        assert "not signed" not in shown
    assert data["statuses"][data["noRecord"]] == NO_RECORD


def test_the_explorer_timeline_says_no_record(ds):
    svg = explore.timelines_svg("inf", ("LTU", "USA"), pd.Timestamp(ON), ds)
    assert "not signed from" not in svg


def test_the_exports_say_no_record(ds, events_only):
    _no_not_signed_without_acts(table("spells", ds=ds), ds, events_only)
    _no_not_signed_without_acts(table("panel", ds=ds), ds, events_only)
