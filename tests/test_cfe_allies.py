"""Completeness of the CFE record of 2023-24 (issue 20): every party of 2023-11-06 has its exit or a reason.

When Russia's withdrawal took effect (2023-11-07), the NATO allies that are CFE parties said they would suspend
the Treaty. A state that was a party the day before either has a status-changing row dated in 2023-24 (its
suspension, Russia's withdrawal) or is listed in data/README.md ("CFE parties on 2023-11-06 without a suspension
or exit on record in 2023-24") with the reason and where it was looked for. The table must not list a state that
has such a row (unless marked "pending", entered by another helper), so it cannot go stale silently.
"""

import re
import warnings

import pandas as pd
import pytest
from conftest import DATA

import analysis as a
from analysis.dataset import load
from analysis.schema import EXIT_ACTIONS

README = DATA / "README.md"
HEADING = "#### CFE parties on 2023-11-06 without a suspension or exit on record in 2023–24"
CHANGES_STATUS = set(EXIT_ACTIONS) | {"termination"}
#: The NATO allies that are CFE parties (the 16 signatories of 1990 that were NATO members, and the six that
#: joined NATO later: BGR, CZE, HUN, POL, ROU, SVK).
ALLIES = set(
    [
        "BEL",
        "BGR",
        "CAN",
        "CZE",
        "DEU",
        "DNK",
        "ESP",
        "FRA",
        "GBR",
        "GRC",
        "HUN",
        "ISL",
        "ITA",
        "LUX",
        "NLD",
        "NOR",
        "POL",
        "PRT",
        "ROU",
        "SVK",
        "TUR",
        "USA",
    ]
)


def _reasons() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    assert HEADING in text, "the reasons table is missing from data/README.md"
    body = text.split(HEADING, 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| ([A-Z]{3}) \| (.+?) \| (.+?) \|$", body, flags=re.M)
    return {iso3: reason for iso3, reason, _ in rows}


@pytest.fixture(scope="module")
def parties() -> set[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", a.BeyondRecordWarning)
        return set(a.parties("cfe", on="2023-11-06", basis="deposited"))


@pytest.fixture(scope="module")
def changed() -> set[str]:
    ev = load().events
    ev = ev[(ev["treaty"] == "cfe") & ev["action"].isin(CHANGES_STATUS)]
    act = ev["date_earliest"]  # an uncertain act by its first possible day (Poland's suspension, issue 19)
    day = ev["effective_earliest"].fillna(act)
    in_window = act.between("2023-01-01", "2024-12-31") | day.between("2023-01-01", "2024-12-31")
    return set(ev.loc[in_window, "state"])


def test_every_party_of_2023_11_06_has_its_act_or_a_documented_reason(parties, changed):
    reasons = _reasons()
    missing = sorted(parties - changed - set(reasons))
    assert not missing, f"CFE parties with neither a 2023-24 row nor a reason in data/README.md: {missing}"


def test_the_reasons_table_lists_only_parties_without_a_row(parties, changed):
    reasons = _reasons()
    assert set(reasons) <= parties, sorted(set(reasons) - parties)
    stale = sorted(s for s in set(reasons) & changed if not reasons[s].startswith("pending"))
    assert not stale, f"listed as missing in data/README.md but a 2023-24 row exists: {stale}"
    assert all(len(reason) > 20 for reason in reasons.values())


def test_all_22_allies_are_parties_and_most_have_suspended(parties, changed):
    assert parties >= ALLIES
    suspended = ALLIES & changed
    # 14 allies' suspensions are dated with a source (data/README.md); the others are in the reasons table
    assert len(suspended) >= 14 and not suspended & {"ESP", "GRC", "ISL", "SVK"}


def test_russia_left_and_the_us_suspended_on_their_days():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", a.BeyondRecordWarning)
        assert a.status("RUS", "cfe", on="2023-11-07") == "withdrawn"
        assert a.status("USA", "cfe", on="2023-12-06") == "party"
        assert a.status("USA", "cfe", on="2023-12-07") == "suspended"
        assert a.status("GBR", "cfe", on="2023-12-07") == "suspended"
        assert a.status("TUR", "cfe", on="2024-04-07") == "party"
        assert a.status("TUR", "cfe", on="2024-04-08") == "suspended"


def test_the_table_holds_no_row_twice():
    text = README.read_text(encoding="utf-8").split(HEADING, 1)[1].split("\n#", 1)[0]
    codes = re.findall(r"^\| ([A-Z]{3}) \|", text, flags=re.M)
    assert len(codes) == len(set(codes)) and pd.Series(codes).str.fullmatch(r"[A-Z]{3}").all()
