"""The withdrawal clauses (data/clauses.csv) and the stated reasons (data/reasons.csv): coverage, evidence, the
notice check unchanged by the move of the notice rule, and where people meet them (exits, pages, exports)."""

import csv
import re
import shutil

import pandas as pd
import pytest
from conftest import DATA, FIXTURES, ROOT, write_rows

import analysis
from analysis import clause_rules
from analysis.export import export as write_export
from analysis.integrity import read_table
from analysis.present_reasons import exit_reasons
from analysis.schema import REASON_CODE_DOC

NOTICE_COLUMNS = ["effective", "notice_required", "notice_required_days", "notice_given_days", "notice_respected"]
KEY = ["state", "treaty", "kind", "notice_deposited"]


def _rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def exits(ds):
    return analysis.withdrawals(ds)


def test_the_notice_check_is_unchanged_on_every_exit_known_before_the_move(exits):
    """The exits table's notice columns, as computed when treaties.csv held the notice rule (the fixture, written
    from main before the move), are what the engine gives now that clauses.csv holds it. The clause's own columns
    must match on every exit; the effect and the notice given match wherever the record still gives the effect as
    a day (since the move, issue 19 read Poland's APMBC effect as 'not before 20 Feb 2026' and the DPRK's 2003 NPT effect
    as one of two days: EDTF, no longer a day)."""
    before = pd.read_csv(FIXTURES / "exits_notice_before_clauses.csv", dtype=str, keep_default_na=False)
    now = exits.copy()
    for column in ("notice_deposited", "effective"):
        now[column] = now[column].dt.strftime("%Y-%m-%d").fillna("")
    for column in ("notice_required_days", "notice_given_days", "notice_respected", "armed_conflict_clause"):
        now[column] = now[column].astype("string").fillna("")
    merged = before.merge(now, on=KEY, how="left", suffixes=("_before", ""), indicator=True)
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", KEY]
    for column in ("notice_required", "notice_required_days", "armed_conflict_clause"):
        assert merged[f"{column}_before"].tolist() == merged[column].tolist(), column
    undated = merged["effective_edtf"].fillna("") != ""
    assert set(zip(merged.loc[undated, "state"], merged.loc[undated, "treaty"])) <= {("PRK", "npt"), ("POL", "apmbc")}
    dated = merged[~undated]
    for column in ("effective", "notice_given_days", "notice_respected"):
        assert dated[f"{column}_before"].tolist() == dated[column].tolist(), column
    assert len(before) >= 25


def test_the_clause_table_covers_every_treaty_once(ds):
    table = analysis.clauses(ds)
    assert sorted(table["treaty"]) == sorted(ds.treaties.index)
    assert table.set_index("treaty").loc["ccm", "reasons_required"]
    assert table.set_index("treaty").loc["npt", "supreme_interests"]
    assert not table.set_index("treaty").loc["att", "reasons_required"]
    # the engine reads its notice rule from clauses.csv: the registry no longer holds it
    header = (DATA / "treaties.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert not {"notice_months", "notice_days", "withdrawal_article", "armed_conflict_clause"} & set(header)
    assert ds.treaties.loc["cwc", "notice_days"] == 90 and ds.treaties.loc["tpnw", "notice_months"] == 12


def test_clause_features_join_the_panel_by_treaty(ds):
    features = analysis.clause_features(ds)
    assert features.index.is_unique and set(features.index) == set(ds.treaties.index)
    assert features.loc["cwc", "notice_days"] == 90
    assert features.loc["ccm", "notice_days"] == pytest.approx(182.6, abs=0.1)
    assert features.loc["ccm", "armed_conflict_deferral"] and not features.loc["npt", "armed_conflict_deferral"]
    assert pd.isna(features.loc["enmod", "notice_days"]) and not features.loc["enmod", "has_withdrawal_clause"]
    panel = pd.DataFrame({"state": ["LTU", "LTU"], "treaty": ["ccm", "apmbc"]})
    joined = panel.merge(features, on="treaty", how="left")
    assert joined["reasons_required"].tolist() == [True, True]


def test_every_exit_since_1993_has_a_reasons_row(exits):
    """Done when: each exit since 1993 is explained by a row, or a row says none was stated and where it looked."""
    since = exits[exits["notice_deposited"] >= "1993-01-01"]
    missing = since[since["reason_codes"] == ""]
    assert missing.empty, missing[KEY].to_string()
    no_reason = since["reason_codes"].isin(["none_stated", "not_found"])
    assert ((since["reason_quotes"] > 0) | no_reason).all()


def test_each_code_has_its_evidence_in_the_quote():
    rows = _rows("reasons.csv")
    assert len(rows) >= 25
    for row in rows:
        words = " ".join((row["quote"] + " " + row["translation"]).split()).casefold()
        pairs = clause_rules.evidence_pairs(row)
        assert pairs, row
        for code, evidence in pairs:
            assert code in REASON_CODE_DOC, code
            if code not in ("none_stated", "not_found"):
                assert evidence and " ".join(evidence.split()).casefold() in words, (row["state"], code, evidence)
        assert len(row["quote"].split()) <= clause_rules.QUOTE_WORDS
        assert re.match(r"https?://", row["source"]), row["source"]


def test_every_code_is_documented_in_the_data_readme_with_a_rule_and_an_example():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Reasons for exits") :]
    for code in REASON_CODE_DOC:
        line = next((ln for ln in section.splitlines() if ln.startswith(f"| `{code}`")), None)
        assert line and line.count("|") >= 4, code
        assert "“" in line or code in ("none_stated", "not_found"), code


def _reasons_with(tmp_path, change):
    rows = _rows("reasons.csv")
    change(rows[0])
    path = write_rows(tmp_path / "reasons.csv", rows)
    return clause_rules.reason_rows(read_table(path), read_table(DATA / "events.csv"))


def test_the_validator_refuses_evidence_not_in_the_quote_an_unknown_code_and_a_stray_exit(tmp_path):
    assert _reasons_with(tmp_path, lambda r: None) == []
    errors = _reasons_with(tmp_path, lambda r: r.update(evidence="words nobody said"))
    assert any("line 2, column 'evidence'" in e and "does not occur in the quote" in e for e in errors)
    errors = _reasons_with(tmp_path, lambda r: r.update(codes="revenge"))
    assert any("'revenge' is not a code" in e for e in errors)
    errors = _reasons_with(tmp_path, lambda r: r.update(exit_date="1999-01-01"))
    assert any("column 'exit_date'" in e for e in errors)
    errors = _reasons_with(tmp_path, lambda r: r.update(quote=" ".join(["word"] * 51)))
    assert any("51 words" in e for e in errors)


def test_the_validator_wants_one_clause_row_per_treaty(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    lines = (folder / "clauses.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = next(i for i, line in enumerate(lines) if line.startswith("ccm,"))
    (folder / "clauses.csv").write_text("".join(lines[:dropped] + lines[dropped + 1 :]), encoding="utf-8")
    errors = analysis.validate(folder)
    assert any("no row for treaty 'ccm'" in e for e in errors)


def test_the_exits_table_and_pages_carry_the_reasons(exits, ds):
    ltu = exits[(exits["state"] == "LTU") & (exits["treaty"] == "ccm")].iloc[0]
    assert ltu["reason_codes"] == "adversary_conduct|military_need"
    text = exit_reasons(exits[exits["state"] == "LTU"], ds)
    assert "Russia, in its aggression against Ukraine, is not adhering" in text
    assert "(https://newsukraine.rbc.ua/news/lithuanian-parliament-backs-country-s-exit-1721306402.html)" in text
    fake = exits.iloc[[0]].assign(notice_deposited=pd.Timestamp("1990-01-01"))
    assert "no reasons on record" in exit_reasons(fake, ds)


def test_reasons_by_wave_counts_the_codes_of_each_wave(ds):
    table = analysis.reasons_by_wave(ds=ds)
    apmbc = table[table["treaty"] == "apmbc"].iloc[0]
    assert {"EST", "FIN", "LTU", "LVA", "POL"} <= set(apmbc["states"])
    assert apmbc["exits"] == apmbc["explained"] >= 5 and apmbc["military_need"] == 5  # Ukraine's suspension: no
    assert apmbc["alliance_coordination"] == 4  # Finland was not party to the joint statement
    only_withdrawals = analysis.reasons_by_wave(kinds=("withdrawal",), ds=ds)
    assert only_withdrawals.loc[only_withdrawals["treaty"] == "apmbc", "exits"].tolist() == [5]


def test_the_exits_and_reasons_export(tmp_path, ds):
    path = write_export("exits", tmp_path / "exits.csv", ds=ds)
    written = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert {"reason_codes", "reason_quotes"} <= set(written.columns) and len(written) == len(analysis.withdrawals(ds))
    path = write_export("reasons", tmp_path / "reasons.dta", ds=ds)
    assert len(pd.read_stata(path)) == len(ds.reasons)


def test_a_dataset_without_reasons_still_gives_every_table(ds):
    """A data folder without reasons.csv (the fixtures', a user's own) has empty reason columns, not an error."""
    import dataclasses
    import sys

    empty = dataclasses.replace(ds, reasons=ds.reasons.iloc[0:0])
    assert analysis.withdrawals(empty)["reason_codes"].eq("").all()
    assert analysis.reasons_by_wave(ds=empty)["explained"].eq(0).all()
    assert sys.modules["analysis.reasons"].code_table(empty).empty
