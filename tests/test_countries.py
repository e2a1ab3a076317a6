"""Tests for analysis.countries: the states registry, groups.csv and name resolution."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, SHARED

from analysis import config, countries
from analysis.countries import (
    UnknownCountryError,
    country_name,
    groups,
    normalize_name,
    resolve_country,
    source_country,
    states,
)

needs_shared = pytest.mark.skipif(
    not SHARED.exists(), reason=f"../shared/data not found: {SHARED} (the raw depositary sources)"
)


def _source_file(label: str) -> Path:
    """The file a parser reads, where the package looks for it (``sources.merge.source_paths``)."""
    from analysis.sources.merge import source_paths

    return source_paths(SHARED)[label]


# ---- states.csv -----------------------------------------------------------------------------


@pytest.mark.skipif("TREATY_EXITS_DATA" in os.environ, reason="TREATY_EXITS_DATA overrides DATA_DIR")
def test_data_dir_is_repo_data():
    assert config.DATA_DIR.resolve() == (ROOT / "data").resolve()


def test_states_columns_and_keys():
    df = states()
    assert list(df.columns) == countries.STATES_COLUMNS
    assert df["iso3"].is_unique
    assert len(df) >= 200
    assert df["source"].str.len().gt(0).all(), "every row names its source"
    current = df[~df["historical"]]
    assert current["iso2"].str.fullmatch(r"[A-Z]{2}").all()
    assert current["iso2"].is_unique
    assert current["m49"].str.fullmatch(r"\d{3}").all()
    assert set(df["region"]) <= {"Africa", "Americas", "Asia", "Europe", "Oceania"}
    assert df["subregion"].str.len().gt(0).all()


def test_no_and_na_stay_strings():
    df = states()
    assert not df.isna().any().any()
    row = df.set_index("iso3")
    assert row.loc["NOR", "iso2"] == "NO"
    assert row.loc["NAM", "iso2"] == "NA"
    assert isinstance(row.loc["NAM", "iso2"], str)


def test_historical_states_and_links():
    df = states().set_index("iso3")
    for code in ["SUN", "CSK", "YUG", "SCG", "DDR", "YMD"]:
        assert df.loc[code, "historical"], code
    assert "SUN" in df.loc["RUS", "successor_of"].split("|")
    assert set(df.loc["CSK", "predecessor_of"].split("|")) == {"CZE", "SVK"}
    assert df.loc["DEU", "successor_of"] == "DDR"
    # predecessor_of and successor_of are inverse relations over known codes
    pairs_a = {(p, s) for p, v in df["predecessor_of"].items() for s in filter(None, v.split("|"))}
    pairs_b = {(p, s) for s, v in df["successor_of"].items() for p in filter(None, v.split("|"))}
    assert pairs_a == pairs_b
    assert {c for pair in pairs_a for c in pair} <= set(df.index)


def test_region_examples():
    df = states().set_index("iso3")
    assert tuple(df.loc["NOR", ["region", "subregion"]]) == ("Europe", "Northern Europe")
    assert df.loc["BRA", "region"] == "Americas"


# ---- resolve_country ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, iso3",
    [
        ("NO", "NOR"),
        ("Norway", "NOR"),
        ("nor", "NOR"),
        ("NOR", "NOR"),
        ("NA", "NAM"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Swaziland", "SWZ"),
        ("Eswatini", "SWZ"),
        ("Holy See", "VAT"),
        ("State of Palestine", "PSE"),
        ("Republic of Korea", "KOR"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("Democratic Republic of the Congo", "COD"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Czechia", "CZE"),
        ("The former Yugoslav Republic of Macedonia", "MKD"),
        ("Côte d'Ivoire", "CIV"),
        ("C&ocirc;te d'Ivoire", "CIV"),
        ("COTE D’IVOIRE", "CIV"),
        ("Cook Islands", "COK"),
        ("Niue", "NIU"),
        ("Netherlands (Kingdom of the)", "NLD"),
        ("St. Lucia", "LCA"),
        ("Bahamas (The)", "BHS"),
        ("Montenegro 1", "MNE"),
        ("  russian   federation ", "RUS"),
        ("USSR", "SUN"),
        ("Czechoslovakia", "CSK"),
        ("German Democratic Republic", "DDR"),
        ("Democratic Yemen", "YMD"),
        ("Serbia and Montenegro", "SCG"),
        ("Yugoslavia", "YUG"),
    ],
)
def test_resolve_known(text, iso3):
    assert resolve_country(text) == iso3


def test_two_koreas_and_congos_differ():
    assert resolve_country("Republic of Korea") != resolve_country("Democratic People's Republic of Korea")
    assert source_country("Congo") != resolve_country("Democratic Republic of the Congo")


@pytest.mark.parametrize("text", ["XYZ", "Atlantis"])
def test_unknown_raises_with_suggestions(text):
    with pytest.raises(UnknownCountryError) as err:
        resolve_country(text)
    msg = str(err.value)
    assert isinstance(err.value, ValueError)
    assert msg.startswith(f"Unknown country '{text}'.")
    assert "Did you mean:" in msg
    assert re.search(r"\([A-Z]{3}\)", msg)
    assert "\n" not in msg


def test_close_misspelling_suggests_the_right_state():
    with pytest.raises(UnknownCountryError, match=r"Sweden \(SWE\)"):
        resolve_country("Swedn")


def test_ambiguous_iso2_cs_is_refused():
    with pytest.raises(UnknownCountryError, match="CSK.*SCG"):
        resolve_country("CS")


def test_non_string_is_a_type_error():
    with pytest.raises(TypeError):
        resolve_country(None)  # type: ignore[arg-type]
    with pytest.raises(UnknownCountryError):
        resolve_country("")


def test_every_registry_name_and_code_resolves_to_its_row():
    for row in states().itertuples(index=False):
        assert resolve_country(row.iso3) == row.iso3
        assert resolve_country(row.iso3.lower()) == row.iso3
        if row.iso2 != "CS":
            assert resolve_country(row.iso2) == row.iso3
        for name in [row.name, row.official_name, *filter(None, row.aliases.split("|"))]:
            assert source_country(name) == row.iso3, name


def test_country_name():
    assert country_name("NOR") == "Norway"
    assert country_name("vat") == "Holy See"
    with pytest.raises(UnknownCountryError):
        country_name("ZZZ")


def test_normalize_name():
    assert normalize_name("Côte d'Ivoire 3") == "cote divoire"
    assert normalize_name("St. Kitts & Nevis") == "saint kitts and nevis"


def test_data_dir_override(tmp_path, monkeypatch):
    rows = states().head(0)
    row = {c: "" for c in countries.STATES_COLUMNS}
    row.update(
        iso3="ATL",
        iso2="AX",
        name="Atlantis",
        official_name="Realm of Atlantis",
        m49="999",
        region="Europe",
        subregion="Nowhere",
        historical="false",
        source="test",
    )
    pd.DataFrame([row], columns=rows.columns).to_csv(tmp_path / "states.csv", index=False)
    monkeypatch.setattr(config, "DATA_DIR", tmp_path)
    assert resolve_country("atlantis") == "ATL"
    with pytest.raises(UnknownCountryError):
        resolve_country("Norway")


def test_missing_data_dir_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "DATA_DIR", tmp_path / "nope")
    with pytest.raises(FileNotFoundError, match="TREATY_EXITS_DATA"):
        states()


# ---- groups.csv -----------------------------------------------------------------------------


def test_groups():
    g = groups()
    assert list(g.columns) == countries.GROUPS_COLUMNS
    known = set(states()["iso3"])
    assert set(g["iso3"]) <= known
    assert not g.duplicated(["group", "iso3"]).any()
    assert g["joined"].notna().all()
    left = g.dropna(subset=["left"])
    assert (left["left"] > left["joined"]).all()
    assert g["source"].str.startswith("http").all()
    nato = g[g["group"] == "NATO"].set_index("iso3")
    assert len(nato) == 32 and nato["left"].isna().all()
    assert nato.loc["FIN", "joined"] == pd.Timestamp("2023-04-04")
    assert nato.loc["SWE", "joined"] == pd.Timestamp("2024-03-07")
    assert (nato["joined"] >= pd.Timestamp("1949-08-24")).all()
    eu = g[g["group"] == "EU"].set_index("iso3")
    assert len(eu) == 28 and eu["left"].isna().sum() == 27
    assert eu.loc["GBR", "left"] == pd.Timestamp("2020-01-31")
    assert eu["joined"].min() == pd.Timestamp("1958-01-01")


# ---- every name in the shared sources resolves ----------------------------------------------
# The extractors below are written independently of tools/states/build_states.py.


def _untc_2026():
    from lxml import html as lhtml

    out = set()
    for f in sorted(config.untc_dir(SHARED).glob("*.html")):
        doc = lhtml.parse(str(f))
        for td in doc.xpath('//table[contains(@id,"tblgrid")]//tr/td[1]'):
            for sup in td.xpath(".//sup"):
                sup.drop_tree()
            text = " ".join(td.text_content().split())
            if text and text != "Participant":
                out.add(text)
    return out


def _untc_2014():
    out = set()
    for f in sorted(config.source_dir("untc2014", SHARED).glob("26-*.csv")):
        out |= set(pd.read_csv(f, dtype=str, keep_default_na=False)["Participant"])
    return out - {""}


def _unoda_2018():
    return set(json.loads(_source_file("unoda2018").read_text("utf-8")))


def _timeline():
    """(name, iso2 from the flag) pairs."""
    text = _source_file("timeline2026").read_text("utf-8")
    pat = re.compile(r'<td class="flag">(?P<flag>[^<]*)</td>.*?<td>(?P<s>[^<]*)</td>', re.S)
    verbs = r" (?:signed|ratified|acceded to|succeeded to|succeeded|accepted|approved|withdrew from) "
    pairs = set()
    for m in pat.finditer(text):
        flag = html.unescape(m["flag"]).strip()
        iso2 = "".join(chr(ord(c) - 0x1F1E6 + 65) for c in flag)
        name = re.split(verbs, html.unescape(m["s"]).strip(), maxsplit=1)[0]
        pairs.add((name, iso2))
    return pairs


def _icrc():
    import warnings

    with warnings.catch_warnings():  # pandas 3 deprecates the xlrd engine; .xls needs it
        warnings.simplefilter("ignore")
        sheet = pd.read_excel(
            _source_file("icrc2020"),
            sheet_name="IHL and other related Treaties",
            header=None,
            engine="xlrd",
        )
    col = [v.strip() for v in sheet.iloc[2:, 0] if isinstance(v, str)]
    return set(col[: col.index("Total")])


SOURCES = {
    "untc-2026": (_untc_2026, 150),
    "untc-2014": (_untc_2014, 150),
    "unoda-2018": (_unoda_2018, 190),
    "icrc-2020": (_icrc, 190),
}


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize("source", list(SOURCES))
def test_every_source_name_resolves(source):
    fn, minimum = SOURCES[source]
    names = fn()
    assert len(names) >= minimum, f"{source}: extractor found only {len(names)} names"
    unresolved = []
    for name in sorted(names):
        try:
            source_country(name)
        except UnknownCountryError as exc:
            unresolved.append(str(exc))
    assert not unresolved, "\n".join(unresolved)


@needs_shared
@pytest.mark.shared
def test_timeline_names_resolve_to_their_flag():
    pairs = _timeline()
    assert len({n for n, _ in pairs}) >= 190
    by_iso2 = states().set_index("iso2")["iso3"]
    wrong = [(n, f, source_country(n)) for n, f in sorted(pairs) if source_country(n) != by_iso2[f]]
    assert not wrong, wrong


@needs_shared
@pytest.mark.shared
def test_known_spellings_are_in_the_sources():
    """Guards against an extractor that silently returns the wrong cells."""
    assert {"Türkiye", "Netherlands (Kingdom of the)", "State of Palestine"} <= _untc_2026()
    assert "C&ocirc;te d'Ivoire" in _unoda_2018()
    assert "Swaziland" in _untc_2014()
    assert "Argentina" in _untc_2026()  # CCW: the name sits inside a link


@needs_shared
@pytest.mark.shared
def test_every_registry_state_appears_in_a_source_or_is_historical():
    seen = {source_country(n) for n in _untc_2026() | _untc_2014() | _unoda_2018() | _icrc()}
    seen |= {source_country(n) for n, _ in _timeline()}
    df = states()
    extra = set(df.loc[~df["historical"], "iso3"]) - seen
    assert not extra, f"rows no source uses: {sorted(extra)}"


# Correlates of War state numbers (data/states.csv `cow`, `cow_abb`), from the COW State System Membership List
# v2016 as published: the cases where a state, its predecessor and its continuation are easy to confuse.
COW_CASES = {
    "DEU": ("255", "GMY"),  # Germany after 1990-10-03 (not 260, the Federal Republic before unification)
    "DDR": ("265", "GDR"),
    "RUS": ("365", "RUS"),
    "SUN": ("365", "RUS"),  # COW continues the USSR as Russia
    "YEM": ("679", "YEM"),  # not 678, the Yemen Arab Republic
    "YMD": ("680", "YPR"),
    "SRB": ("345", "YUG"),  # COW's Yugoslavia 1944-2016 is continued by Serbia
    "SCG": ("345", "YUG"),
    "YUG": ("345", "YUG"),
    "CSK": ("315", "CZE"),  # COW's abbreviation for Czechoslovakia is CZE
    "CZE": ("316", "CZR"),
    "SVK": ("317", "SLO"),
    "MNE": ("341", "MNG"),
    "USA": ("2", "USA"),
}


def test_cow_codes_for_the_tricky_cases():
    import pandas as pd
    from minidata import ROOT

    rows = pd.read_csv(ROOT / "data" / "states.csv", dtype=str, keep_default_na=False).set_index("iso3")
    for iso3, (number, abbreviation) in COW_CASES.items():
        assert (rows.loc[iso3, "cow"], rows.loc[iso3, "cow_abb"]) == (number, abbreviation), iso3
    assert (rows.loc[["VAT", "PSE", "COK", "NIU"], "cow"] == "").all()  # not in the COW list: left empty


def test_cow_codes_come_from_the_published_list():
    import pandas as pd
    from minidata import ROOT

    rows = pd.read_csv(ROOT / "data" / "states.csv", dtype=str, keep_default_na=False)
    cow = pd.read_csv(ROOT / "tools" / "states" / "cow-states2016.csv", dtype=str)
    published = set(zip(cow["ccode"], cow["stateabb"]))
    coded = rows[rows["cow"] != ""]
    assert len(coded) == len(rows) - 4
    assert set(zip(coded["cow"], coded["cow_abb"])) <= published
    shared = coded[coded["cow"].duplicated(keep=False)].groupby("cow")["iso3"].apply(set).to_dict()
    assert shared == {"345": {"YUG", "SCG", "SRB"}, "365": {"SUN", "RUS"}}
