"""Nothing changes where all sources agree (issue 19): every state × treaty status on a grid of days, before and after.

*Before* is the status engine's step table as it stood before dates could be uncertain (commit a6526dd of main,
stored in tests/fixtures/steps_before_edtf.csv.gz, with the events it was computed from in
events_before_edtf.csv.gz). *After* is today's engine on today's data. On every day of the grid, every cell whose
status is certain (every reading agrees) must be unchanged, except in the pairs changed on purpose: those whose
rows in events.csv differ from the stored ones (a row added, removed, or redated, e.g. made uncertain), and their
successors across a continuation. The test lists them. So the test keeps holding as rows are added with their
sources, and fails on any change the data do not explain (an engine change, a registry edit): then look, and if
the change is right, regenerate the fixtures from the commit before it (the recipe is in ``_regenerate``).
"""

import csv
import warnings

import pandas as pd
import pytest
from conftest import DATA, FIXTURES

import analysis as a
from analysis.dataset import load
from analysis.lifetimes import links
from analysis.schema import STATUSES

#: Jan 1 of every year the treaties span, mid-year since 1990, and the days the uncertain rows turn on.
GRID = sorted(
    {f"{year}-01-01" for year in range(1925, 2027)}
    | {f"{year}-07-01" for year in range(1990, 2026)}
    | {"1973-06-30", "1976-06-30", "2003-01-12", "2003-02-01", "2024-03-15", "2025-07-18", "2026-02-03"}
)


def _regenerate():  # pragma: no cover - the recipe, run by hand from a checkout of the commit before a change
    """git archive <commit> src data | tar -x -C /tmp/base; then, with /tmp/base/src first on the path:
    tr = status._transitions(dataset.load("/tmp/base/data")); write it (date as ISO text) to
    steps_before_edtf.csv.gz and the events' state, treaty, action, date, effective_date to events_before_edtf.csv.gz."""


def _pair_rows(rows) -> dict[tuple[str, str], list]:
    out: dict[tuple[str, str], list] = {}
    for row in rows:
        day = row["date"] or row.get("date_edtf", "")
        effect = row["effective_date"] or row.get("effective_date_edtf", "")
        out.setdefault((row["state"], row["treaty"]), []).append((row["action"], day, effect))
    return {key: sorted(value) for key, value in out.items()}


@pytest.fixture(scope="module")
def on_purpose():
    """The pairs whose rows differ from the stored ones, and their successors across a continuation."""
    before = _pair_rows(
        pd.read_csv(FIXTURES / "events_before_edtf.csv.gz", dtype=str, keep_default_na=False).to_dict("records")
    )
    with (DATA / "events.csv").open(newline="", encoding="utf-8") as fh:
        now = _pair_rows(csv.DictReader(fh))
    changed = {key for key in before.keys() | now.keys() if before.get(key) != now.get(key)}
    carry, _ = links(load())
    heirs = {(succ, t) for succ, preds in carry.items() for pred, _ in preds for s, t in changed if s == pred}
    return changed | heirs


@pytest.fixture(scope="module")
def before():
    steps = pd.read_csv(FIXTURES / "steps_before_edtf.csv.gz", dtype={"code": int}, keep_default_na=False)
    steps["date"] = pd.to_datetime(steps["date"])
    return steps


def _before_on(steps: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    past = steps[steps["date"] <= day].drop_duplicates(["state", "treaty"], keep="last")
    return past.set_index(["state", "treaty"])["code"]


def test_nothing_changes_where_all_sources_agree_except_the_pairs_changed_on_purpose(before, on_purpose):
    ds = load()
    states, treaties = sorted(set(before["state"])), sorted(set(before["treaty"]) & set(ds.treaties.index))
    changed, unexplained = set(), []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", a.BeyondRecordWarning)
        for text in GRID:
            day = pd.Timestamp(text)
            now = a.status_table(day, countries=states, treaties=treaties, ds=ds)
            old = _before_on(before, day).reindex(pd.MultiIndex.from_frame(now[["state", "treaty"]]), fill_value=0)
            differs = now["status"].cat.codes.to_numpy() != old.to_numpy()
            for state, treaty, status, certain, code in zip(
                now["state"][differs], now["treaty"][differs], now["status"][differs], now["certain"][differs],
                old[differs],
            ):  # fmt: skip
                changed.add((state, treaty))
                if certain and (state, treaty) not in on_purpose:
                    unexplained.append(f"{state}/{treaty} on {text}: {STATUSES[code]} -> {status}")
    assert not unexplained, f"{len(unexplained)} certain cells changed, no row explains them: {unexplained[:20]}"
    print(f"{len(on_purpose)} pairs changed on purpose; their status changed on the grid in: {sorted(changed)}")
    assert changed <= on_purpose


def test_the_step_table_is_unchanged_outside_the_pairs_changed_on_purpose(before, on_purpose):
    """Finer than the grid: every step of every other pair, on every day, is the stored one."""
    from analysis.status import _transitions

    now = _transitions(load())
    treaties = set(before["treaty"])
    tables = []
    for table in (before, now):
        keys = zip(table["state"], table["treaty"])
        keep = [key not in on_purpose and key[1] in treaties for key in keys]
        columns = table[keep][["state", "treaty", "date", "code"]]
        tables.append(columns.astype({"code": int, "date": "datetime64[s]"}).reset_index(drop=True))
    assert len(tables[0]) > 10000  # the comparison covers the table, not a corner of it
    pd.testing.assert_frame_equal(tables[0], tables[1])


def test_the_rows_changed_on_purpose_include_issue_26s(on_purpose):
    """Issue 26: the Marshall Islands' Rarotonga act corrected to a signature (data/corrections.csv) and Timor-Leste's
    Bangkok accession of 'not before 2025-10-25' are changes the data explain, found by the row comparison."""
    assert {("MHL", "rarotonga"), ("TLS", "bangkok")} <= on_purpose
