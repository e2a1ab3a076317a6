"""The exports carry the join codes (issue 23): after ``state`` (ISO3), the name, COW number and abbreviation and
the Gleditsch–Ward number, so that a researcher merges the panel without merging states.csv first."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis import codebook
from analysis.export import JOIN_CODES, table

LTU = {"name": "Lithuania", "cow": 368, "cow_abb": "LIT", "gw": 368}


@pytest.mark.parametrize("what", ["events", "spells", "panel"])
def test_each_export_has_the_codes_right_after_state(what, ds):
    frame = table(what, start="2024-01-01", end="2025-12-31", ds=ds) if what == "panel" else table(what, ds=ds)
    columns = list(frame.columns)
    assert columns[columns.index("state") + 1 : columns.index("state") + 5] == list(JOIN_CODES)
    row = frame[frame["state"] == "LTU"].iloc[0]
    assert {c: row[c] for c in JOIN_CODES} == LTU
    states = ds.states.reindex(frame["state"].astype(str).unique())
    merged = frame.drop_duplicates("state").set_index(frame.drop_duplicates("state")["state"].astype(str))
    assert (merged["gw"].astype("string").fillna("") == states["gw"].astype("string").fillna("")).all()
    assert all(codebook.label(c) for c in JOIN_CODES)  # Stata variable labels


def test_the_panel_reads_back_in_stata_and_pandas(tmp_path, ds):
    span = {"start": "2024-01-01", "end": "2025-12-31", "ds": ds}
    stata = pd.read_stata(analysis.export("panel", tmp_path / "p.dta", **span))
    csv = pd.read_csv(analysis.export("panel", tmp_path / "p.csv", **span))
    parquet = pd.read_parquet(analysis.export("panel", tmp_path / "p.parquet", **span))
    for back in (stata, csv, parquet):
        row = back[back["state"].astype(str) == "LTU"].iloc[0]
        assert (row["name"], int(row["cow"]), row["cow_abb"], int(row["gw"])) == tuple(LTU.values())
        assert len(back) == len(stata)
    # a state without a COW number (the Holy See) reads as missing, not as 0
    assert stata.loc[stata["state"].astype(str) == "VAT", "cow"].isna().all()
    assert csv.loc[csv["state"] == "VAT", "cow"].isna().all()
