"""Gleditsch-Ward state numbers (data/states.csv `gw`), from the GW lists as published (tools/states/gw-*.tsv).

Every expected number below was read in tools/states/gw-iisystem.tsv (Gleditsch & Ward's iisystem.dat, 2017):
the line is quoted beside it.
"""

import pandas as pd
from conftest import DATA, ROOT

LISTS = ROOT / "tools" / "states"

GW_CASES = {
    "DEU": "260",  # 260 GFR German Federal Republic 21:09:1949 31:12:2017 (united Germany too)
    "DDR": "265",  # 265 GDR German Democratic Republic 05:10:1949 02:10:1990
    "SUN": "365",  # 365 RUS Russia (Soviet Union) 01:01:1816 31:12:2017
    "RUS": "365",
    "YEM": "678",  # 678 YEM Yemen (Arab Republic of Yemen) 30:10:1918 31:12:2017 (united Yemen too; 679 is COW's)
    "YMD": "680",  # 680 YPR Yemen, People's Republic of 30:11:1967 21:05:1990
    "YUG": "345",  # 345 YUG Yugoslavia 01:12:1918 04:06:2006
    "SCG": "345",
    "SRB": "340",  # 340 SER Serbia 05:06:2006 31:12:2017 (its second spell; the first is 1878-1915)
    "MNE": "341",  # 341 MNG Montenegro 03:06:2006 31:12:2017
    "CSK": "315",  # 315 CZE Czechoslovakia 11:11:1918 31:12:1992
    "CZE": "316",  # 316 CZR Czech Republic 01:01:1993 31:12:2017
    "SVK": "317",  # 317 SLO Slovakia 01:01:1993 31:12:2017
    "PRK": "731",  # 731 PRK Korea, People's Republic of (North Korea)
    "KOR": "732",
    "COG": "484",  # 484 CON Congo
    "COD": "490",  # 490 DRC Congo, Democratic Republic of (Zaire)
    "KIR": "970",  # microstates: 970 KBI Kiribati 12:07:1979 (COW's Kiribati is 946)
    "NRU": "971",  # 971 NAU Nauru 31:12:1968 (COW's 970)
}


def _states() -> pd.DataFrame:
    return pd.read_csv(DATA / "states.csv", dtype=str, keep_default_na=False).set_index("iso3")


def _published() -> pd.DataFrame:
    columns = ["gw", "abb", "name", "start", "end"]
    frames = [
        pd.read_csv(LISTS / name, sep="\t", header=None, names=columns, dtype=str, encoding="utf-8")
        for name in ("gw-iisystem.tsv", "gw-microstatessystem.tsv")
    ]
    return pd.concat(frames, ignore_index=True)


def test_gw_numbers_for_the_tricky_cases():
    rows = _states()
    for iso3, number in GW_CASES.items():
        assert rows.loc[iso3, "gw"] == number, iso3
    assert (rows.loc[["VAT", "PSE", "COK", "NIU"], "gw"] == "").all()  # in neither list: left empty


def test_gw_numbers_come_from_the_published_lists():
    rows = _states()
    published = _published()
    assert len(published) == 216 + 23  # iisystem.dat 2017 and microstatessystem.dat 2017, every spell
    coded = rows[rows["gw"] != ""]
    assert len(coded) == len(rows) - 4
    assert set(coded["gw"]) <= set(published["gw"])
    shared = coded[coded["gw"].duplicated(keep=False)].reset_index().groupby("gw")["iso3"].apply(set).to_dict()
    assert shared == {"345": {"YUG", "SCG"}, "365": {"SUN", "RUS"}}


def test_gw_differs_from_country_converter_where_the_list_does():
    """country_converter's GWcode gives Czechia 315 and Yemen 680; the published list gives 316 and 678."""
    rows = _states()
    assert (rows.loc["CZE", "gw"], rows.loc["YEM", "gw"]) == ("316", "678")
    published = _published().set_index("gw")
    assert published.loc["316", "name"] == "Czech Republic"
    assert published.loc["678", "name"] == "Yemen (Arab Republic of Yemen)"
