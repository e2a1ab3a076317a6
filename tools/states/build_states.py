"""Build data/states.csv from country_converter's table plus the names the shared sources use.

Run from the repo root:  .venv/bin/python tools/states/build_states.py
Needs ../shared/data (the raw sources) and country_converter. It reads country_converter's own
country_data.tsv with keep_default_na=False, because country_converter 1.3 under pandas 3 reads
Namibia's ISO2 "NA" as NaN and `coco.CountryConverter()` then fails.

Every participant name found in the sources is matched to one ISO3 (country_converter's regexes,
checked against the timeline's flag letters, or the MANUAL table below); names that differ from the
row's name/official name become its aliases. The script fails if a name matches nothing or several.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import country_converter as coco
import pandas as pd
from lxml import html as lhtml

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
OUT = REPO / "data" / "states.csv"

COCO_VERSION = getattr(coco, "__version__", "1.3")
M49_SOURCE = f"UN M49 (https://unstats.un.org/unsd/methodology/m49/) via country_converter {COCO_VERSION}"
ISO3166_3 = "https://www.iso.org/obp/ui/#search (ISO 3166-3 formerly used codes)"

# Names country_converter cannot place (or places wrongly) -> ISO3.
MANUAL = {
    "Congo": "COG",  # the depositary's "Congo" is the Republic of the Congo
}

# Extra aliases by hand (the depositary's and common English names not seen in the sources).
EXTRA_ALIASES = {
    "BOL": ["Bolivia (Plurinational State of)", "Plurinational State of Bolivia"],
    "BHS": ["The Bahamas", "Bahamas (The)"],
    "CIV": ["Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"],
    "COD": ["DR Congo", "DRC", "Congo-Kinshasa", "Congo (Democratic Republic of the)"],
    "COG": ["Republic of the Congo", "Congo-Brazzaville", "Congo (Republic of the)"],
    "CPV": ["Cape Verde", "Cabo Verde"],
    "CZE": ["Czechia", "Czech Republic"],
    "DEU": ["Federal Republic of Germany", "West Germany"],
    "FSM": ["Micronesia (Federated States of)", "Federated States of Micronesia"],
    "GBR": ["United Kingdom", "UK", "Great Britain", "Britain"],
    "IRN": ["Iran (Islamic Republic of)", "Islamic Republic of Iran"],
    "KOR": ["Republic of Korea", "South Korea"],
    "LAO": ["Lao People's Democratic Republic", "Laos"],
    "MDA": ["Republic of Moldova", "Moldova"],
    "MKD": ["North Macedonia", "The former Yugoslav Republic of Macedonia", "Republic of North Macedonia", "Macedonia"],
    "NLD": ["Netherlands (Kingdom of the)", "Kingdom of the Netherlands", "Holland"],
    "PRK": ["Democratic People's Republic of Korea", "North Korea", "DPRK"],
    "PSE": ["State of Palestine", "Palestine"],
    "RUS": ["Russian Federation", "Russia"],
    "SWZ": ["Eswatini", "Swaziland", "Kingdom of Eswatini"],
    "SYR": ["Syrian Arab Republic", "Syria"],
    "TUR": ["Türkiye", "Turkey", "Republic of Türkiye"],
    "TZA": ["United Republic of Tanzania", "Tanzania"],
    "USA": ["United States of America", "United States", "US", "U.S.A."],
    "VAT": ["Holy See", "Vatican City", "Vatican City State", "Vatican"],
    "VEN": ["Venezuela (Bolivarian Republic of)", "Venezuela"],
    "VNM": ["Viet Nam", "Vietnam"],
    "KNA": ["St. Kitts and Nevis", "Saint Kitts and Nevis"],
    "LCA": ["St. Lucia", "Saint Lucia"],
    "VCT": ["St. Vincent and the Grenadines", "Saint Vincent and the Grenadines"],
    "COK": ["Cook Islands"],
    "NIU": ["Niue"],
    "BRN": ["Brunei Darussalam", "Brunei"],
    "TLS": ["Timor-Leste", "East Timor"],
}

# Display names where country_converter's short name is not the common English one.
NAME_OVERRIDE = {
    "VAT": "Holy See",
    "PSE": "Palestine",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "FSM": "Micronesia",
    "KNA": "Saint Kitts and Nevis",
    "LCA": "Saint Lucia",
    "VCT": "Saint Vincent and the Grenadines",
}

# ISO 3166-3 states that no longer exist. Fields: iso2, name, official_name, m49, region, subregion,
# aliases, predecessor_of, source.
SUN_SUCCESSORS = "RUS|ARM|AZE|BLR|GEO|KAZ|KGZ|MDA|TJK|TKM|UKR|UZB"
HISTORICAL = {
    "SUN": (
        "SU",
        "Soviet Union",
        "Union of Soviet Socialist Republics",
        "810",
        "Europe",
        "Eastern Europe",
        ["USSR", "Soviet Union (former)", "Union of Soviet Socialist Republics"],
        SUN_SUCCESSORS,
    ),
    "CSK": (
        "CS",
        "Czechoslovakia",
        "Czech and Slovak Federal Republic",
        "200",
        "Europe",
        "Eastern Europe",
        ["Czechoslovak Socialist Republic", "CSSR"],
        "CZE|SVK",
    ),
    "YUG": (
        "YU",
        "Yugoslavia",
        "Socialist Federal Republic of Yugoslavia",
        "890",
        "Europe",
        "Southern Europe",
        ["SFRY", "SFR Yugoslavia"],
        "SVN|HRV|MKD|BIH|SCG",
    ),
    "SCG": (
        "CS",
        "Serbia and Montenegro",
        "Serbia and Montenegro",
        "891",
        "Europe",
        "Southern Europe",
        ["Federal Republic of Yugoslavia", "FRY", "State Union of Serbia and Montenegro"],
        "SRB|MNE",
    ),
    "DDR": (
        "DD",
        "German Democratic Republic",
        "German Democratic Republic",
        "278",
        "Europe",
        "Western Europe",
        ["East Germany", "GDR"],
        "DEU",
    ),
    "YMD": (
        "YD",
        "South Yemen",
        "People's Democratic Republic of Yemen",
        "720",
        "Asia",
        "Western Asia",
        ["Democratic Yemen", "Yemen, Democratic"],
        "YEM",
    ),
}
HISTORICAL_SOURCE = {
    "SUN": "https://unstats.un.org/unsd/methodology/m49/historical-classification-of-developed-and-developing-regions/ ; ISO 3166-3 SUHH",
    "CSK": "ISO 3166-3 CSHH; UN M49 200 (https://unstats.un.org/unsd/methodology/m49/)",
    "YUG": "ISO 3166-3 YUCS; UN M49 890 (https://unstats.un.org/unsd/methodology/m49/)",
    "SCG": "ISO 3166-3 CSXX; UN M49 891 (https://unstats.un.org/unsd/methodology/m49/)",
    "DDR": "ISO 3166-3 DDDE; UN M49 278 (https://unstats.un.org/unsd/methodology/m49/)",
    "YMD": "ISO 3166-3 YDYE; UN M49 720 (https://unstats.un.org/unsd/methodology/m49/); named 'Democratic Yemen' in the UNTC ENMOD End Notes",
}


def coco_table() -> pd.DataFrame:
    path = Path(coco.__file__).with_name("country_data.tsv")
    table = pd.read_csv(path, sep="\t", encoding="utf-8", keep_default_na=False, dtype=str)
    # plain ISO2 next to the regex column ("^GR$|^EL$" -> "GR")
    table["iso2_plain"] = table["ISO2"].str.extract(r"^\^?([A-Z0-9]{2})", expand=False).fillna("")
    return table


def converter(table: pd.DataFrame) -> coco.CountryConverter:
    data = table.replace("", float("nan"))
    data["ISO2"] = data["ISO2"].fillna("")  # regexes need strings
    return coco.CountryConverter(country_data=data)


# ---- names in the sources -------------------------------------------------------------------

VERB = re.compile(
    r"^(?P<name>.+?) (?:signed|ratified|acceded to|succeeded to|succeeded|accepted|approved|withdrew from) "
)


def untc_2026_names() -> set[str]:
    names = set()
    for f in sorted((SHARED / "untc-status-2026-02-03" / "raw_html").glob("*.html")):
        doc = lhtml.parse(str(f))
        for tr in doc.xpath('//table[contains(@id,"tblgrid")]//tr[not(contains(@class,"thead"))]'):
            tds = tr.xpath("./td")
            if not tds:
                continue
            td = tds[0]
            for sup in td.xpath(".//sup|.//SUP"):
                sup.drop_tree()
            names.add(" ".join(td.text_content().split()))
    return names


def untc_2014_names() -> set[str]:
    names = set()
    for f in sorted((SHARED / "untc-status-2014").glob("26-*.csv")):
        names |= set(pd.read_csv(f, dtype=str, keep_default_na=False).iloc[:, 0])
    return names


def unoda_2018_names() -> set[str]:
    data = json.loads((SHARED / "unoda-states-2018" / "treatydata.json").read_text(encoding="utf-8"))
    return {html.unescape(k) for k in data}


def timeline_names() -> dict[str, str]:
    """name -> ISO2 from the flag emoji."""
    doc = lhtml.parse(str(SHARED / "unoda-timeline-2026-08-22" / "timeline.html"))
    out: dict[str, str] = {}
    for tr in doc.xpath("//tr"):
        tds = tr.xpath("./td")
        if len(tds) < 5:
            continue
        m = VERB.match(tds[-1].text_content().strip())
        if not m:
            raise ValueError(f"timeline sentence not understood: {tds[-1].text_content()!r}")
        flag = tds[1].text_content().strip()
        iso2 = "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in flag)
        out[m.group("name")] = iso2
    return out


def icrc_names() -> set[str]:
    sheet = pd.read_excel(
        SHARED / "icrc-ihl-2020-11-09" / "ihl_and_other_related_treaties.xls",
        sheet_name="IHL and other related Treaties",
        header=None,
        engine="xlrd",
    )
    names = set()
    for v in sheet.iloc[2:, 0]:
        if not isinstance(v, str):
            continue
        if v.strip() == "Total":
            break
        names.add(v.strip())
    return names


def main() -> int:
    if not SHARED.exists():
        print(f"{SHARED} not found", file=sys.stderr)
        return 1
    table = coco_table()
    cc = converter(table)
    by_iso3 = table.set_index("ISO3")

    timeline = timeline_names()
    all_names = untc_2026_names() | untc_2014_names() | unoda_2018_names() | icrc_names() | set(timeline)
    all_names.discard("")

    aliases: dict[str, set[str]] = defaultdict(set)
    for name in sorted(all_names):
        if name in MANUAL:
            iso3 = MANUAL[name]
        else:
            hit = cc.convert(name, to="ISO3", not_found=None, enforce_list=True)
            hits = [h for h in hit[0] if h] if isinstance(hit[0], list) else [hit[0]]
            if len(hits) != 1 or hits[0] is None:
                raise SystemExit(f"cannot place {name!r}: {hits}")
            iso3 = hits[0]
        if name in timeline and by_iso3.loc[iso3, "iso2_plain"] != timeline[name]:
            raise SystemExit(f"{name!r} -> {iso3} but its flag says {timeline[name]}")
        aliases[iso3].add(name)

    rows = []
    # The day each former state ceased to exist (UN Treaty Collection, "Historical Information").
    until_source = "https://treaties.un.org/Pages/HistoricalInfo.aspx"
    until = {
        "SUN": "1991-12-26",
        "CSK": "1993-01-01",
        "DDR": "1990-10-03",
        "YMD": "1990-05-22",
        "YUG": "1992-04-27",
        "SCG": "2006-06-03",
    }
    for iso3 in sorted(aliases):
        r = by_iso3.loc[iso3]
        name = NAME_OVERRIDE.get(iso3, r["name_short"])
        official = r["name_official"]
        names = aliases[iso3] | set(EXTRA_ALIASES.get(iso3, []))
        names -= {name, official}
        region = "Americas" if r["continent"] == "America" else r["continent"]
        rows.append(
            {
                "iso3": iso3,
                "iso2": r["iso2_plain"],
                "name": name,
                "official_name": official,
                "m49": r["UNcode"].zfill(3),
                "region": region,
                "subregion": r["UNregion"],
                "aliases": "|".join(sorted(names, key=str.casefold)),
                "predecessor_of": "",
                "successor_of": "",
                "historical": "false",
                "until": "",
                "source": M49_SOURCE,
            }
        )
    for iso3, (iso2, name, official, m49, region, sub, als, pred) in HISTORICAL.items():
        rows.append(
            {
                "iso3": iso3,
                "iso2": iso2,
                "name": name,
                "official_name": official,
                "m49": m49,
                "region": region,
                "subregion": sub,
                "aliases": "|".join(sorted(set(als) - {name, official}, key=str.casefold)),
                "predecessor_of": pred,
                "successor_of": "",
                "historical": "true",
                "until": until[iso3],
                "source": f"{HISTORICAL_SOURCE[iso3]} ; until: {until_source}",
            }
        )
    df = pd.DataFrame(rows).set_index("iso3")
    # successor_of is the inverse of predecessor_of
    succ: dict[str, list[str]] = defaultdict(list)
    for iso3, pred in df["predecessor_of"].items():
        for s in filter(None, pred.split("|")):
            if s not in df.index:
                raise SystemExit(f"{iso3} predecessor_of unknown {s}")
            succ[s].append(iso3)
    for s, preds in succ.items():
        df.loc[s, "successor_of"] = "|".join(sorted(preds))
    df = df.reset_index().sort_values("iso3")
    OUT.parent.mkdir(exist_ok=True)
    df.to_csv(OUT, index=False, lineterminator="\n")
    print(f"wrote {OUT}: {len(df)} rows, {sum(len(a.split('|')) for a in df.aliases if a)} aliases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
