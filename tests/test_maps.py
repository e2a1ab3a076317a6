"""Maps: one shape per state, the palette's colours, a legend, exits marked, nothing remote; the geometry file."""

import hashlib
import importlib.util
import json

import pytest
from conftest import ROOT, SHARED, SHARED_REASON
from lxml import html

import analysis as a
from analysis import config, maps, statusmap
from analysis.palette import LABELS, STATUS_COLOR, badge_html, legend_entries, text_color
from analysis.schema import NO_RECORD, STATUSES

ON = "2026-02-03"
GEOMETRY = ROOT / "data" / config.GEOMETRY_NAME
ATLAS = SHARED / "natural-earth-5.1.2-world-atlas" / "countries-50m.json"


def _tree(markup: str):
    """Parsed as a browser's HTML parser would see it inline (the index map carries a script)."""
    return html.fragment_fromstring(markup, create_parent="div")


def _shapes(markup: str) -> dict:
    return {el.get("data-iso3"): el for el in _tree(markup).iter() if el.get("data-iso3")}


def _remote(markup: str) -> list[str]:
    tree = _tree(markup)
    return [
        v for el in tree.iter() for k, v in el.attrib.items() if k in ("href", "src") and v.startswith(("http", "//"))
    ]


def _current_states() -> list[str]:
    st = a.load().states
    return sorted(st.index[~st["historical"]])


def test_every_current_state_has_a_shape():
    shapes = json.loads(GEOMETRY.read_text())["shapes"]
    missing = [s for s in _current_states() if s not in shapes or not shapes[s]["d"].startswith("M")]
    assert not missing


def test_the_geometry_file_matches_its_checksum_and_names_its_source():
    package = json.loads((ROOT / "data" / "datapackage.json").read_text())
    (entry,) = [r for r in package["resources"] if r["path"] == config.GEOMETRY_NAME]
    assert entry["hash"] == "sha256:" + hashlib.sha256(GEOMETRY.read_bytes()).hexdigest()
    assert entry["bytes"] == GEOMETRY.stat().st_size < 400_000
    (source,) = entry["sources"]
    assert "9ef13db2ef3be0409a40c447fa92c2bdec1ec6aa" in source["via"] and source["hash"].startswith("sha256:")


@pytest.mark.skipif(not ATLAS.exists(), reason=SHARED_REASON)
def test_the_geometry_file_is_what_the_builder_makes_from_natural_earth():
    spec = importlib.util.spec_from_file_location("build_geometry", ROOT / "tools" / "geo" / "build_geometry.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    built = builder.build_geometry(ATLAS)
    assert built["source"]["sha256"] == hashlib.sha256(ATLAS.read_bytes()).hexdigest()
    assert built == json.loads(GEOMETRY.read_text())


def test_the_projection_puts_places_where_they_are():
    shapes = maps.world().shapes
    width, height = maps.world().view_box[2:]
    # Lithuania is east of Portugal, north of South Africa; the US west of both; all inside the frame
    assert shapes["PRT"]["pt"][0] < shapes["LTU"]["pt"][0] and shapes["LTU"]["pt"][1] < shapes["ZAF"]["pt"][1]
    assert shapes["USA"]["pt"][0] < shapes["PRT"]["pt"][0]
    assert all(0 <= s["box"][0] <= s["box"][2] <= width and 0 <= s["box"][1] <= height for s in shapes.values())


@pytest.fixture(scope="module")
def ccm():
    return maps.treaty_map("ccm", on=ON)


def test_treaty_map_has_one_shape_per_state_with_a_shape(ccm):
    shapes = _shapes(str(ccm))
    assert sorted(shapes) == _current_states()
    assert all(el.find("title") is not None for el in shapes.values())


def test_treaty_map_colours_a_known_status_from_the_palette(ccm):
    ltu = _shapes(str(ccm))["LTU"]
    assert a.status("LTU", "ccm", ON) == "withdrawn"
    assert ltu.get("data-status") == "withdrawn" and ltu.get("fill") == STATUS_COLOR["withdrawn"]
    fra = _shapes(str(ccm))["FRA"]
    assert fra.get("fill") == STATUS_COLOR[a.status("FRA", "ccm", ON)]


def test_treaty_map_has_a_legend_with_counts_and_marks_the_exits(ccm):
    legend = {t.get("data-legend"): t.text for t in _tree(str(ccm)).iter("text") if t.get("data-legend")}
    counts = ccm.data[ccm.data["state"].isin(_current_states())]["status"].value_counts()
    assert legend == {s: f"{s} ({n})" for s, n in counts.items()}
    marks = [el for el in _tree(str(ccm)).iter() if el.get("class") == "tx-exit"]
    assert any("Lithuania" in "".join(m.itertext()) for m in marks)
    assert ccm.data.set_index("state").loc["LTU", "exit_notice"] is not None


def test_maps_have_nothing_remote_and_display_in_a_notebook(ccm):
    for m in (ccm, maps.country_map("LTU", on=ON), statusmap.index_map(on=ON)):
        assert _remote(str(m)) == []
        assert m._repr_html_() == str(m) and "Map" in repr(m)


def test_country_map_shows_the_state_and_its_peers_in_the_chosen_treaty():
    m = maps.country_map("LTU", treaty="ccm", on=ON)
    shapes = _shapes(str(m))
    assert set(shapes) == set(m.data["state"]) and {"LTU", "LVA", "EST", "POL", "USA"} <= set(shapes)
    assert shapes["LTU"].get("fill") == STATUS_COLOR["withdrawn"]
    assert "Lithuania" in m.title and "CCM" in m.title


def test_country_map_defaults_to_the_treaty_left_most_recently():
    exits = a.withdrawals()
    last = exits[exits["state"] == "LTU"].sort_values("notice_deposited")["treaty"].iloc[-1]
    assert maps.focus_treaty("LTU", a.load()) == last
    assert a.load().treaties.loc[last, "short_name"] in maps.country_map("LTU", on=ON).title


def test_index_map_data_agrees_with_the_status_engine():
    data = statusmap.index_map_data(on=ON)
    codes = dict(zip(data["states"], data["codes"]["ccm"]))
    assert STATUSES[int(codes["LTU"], 36)] == "withdrawn"
    assert STATUSES[int(data["codes"]["cwc"][data["states"].index("LTU")], 36)] == a.status("LTU", "cwc", ON)
    year, code = data["history"]["ccm"]["LTU"][-1]
    assert STATUSES[code] == "withdrawn" and year == 2025
    assert data["colors"] == [STATUS_COLOR[s] for s in LABELS] and LABELS[: len(STATUSES)] == STATUSES


def test_index_map_links_each_state_to_its_report_and_carries_its_script():
    m = statusmap.index_map("cwc", on=ON)
    shapes = _shapes(str(m))
    assert shapes["LTU"].get("href") == "countries/LTU.html" and shapes["LTU"].tag.endswith("a")
    assert 'class="tx-map-treaty"' in str(m) and "<script>" in str(m) and "http" not in statusmap.map_script()


def test_palette_is_one_colour_per_status_with_words_and_readable_text():
    assert set(STATUS_COLOR) == set(LABELS) == {*STATUSES, NO_RECORD}
    assert [e["status"] for e in legend_entries()] == list(LABELS)
    assert text_color(STATUS_COLOR["party"]) == "#FFFFFF" and text_color(STATUS_COLOR["signatory"]) == "#000000"
    assert ">withdrawn<" in badge_html("withdrawn") and "tx-s5" in badge_html("withdrawn")


def test_a_treaty_without_exits_has_a_map_without_exit_marks():
    m = maps.treaty_map("canwfz", on=ON)
    assert not any(el.get("class") == "tx-exit" for el in _tree(str(m)).iter())
    assert m.data["exit_notice"].isna().all() and len(_shapes(str(m))) == len(_current_states())


def test_a_state_that_vanished_is_drawn_where_the_map_allows():
    """Before 1993 Czechoslovakia is drawn on Czechia's and Slovakia's shapes; the Soviet Union on the shapes of
    those successors that did not exist yet (Russia among them), its successors that existed already (the
    Ukrainian and Byelorussian SSRs, UN members) as themselves; the GDR, absorbed by a state that existed, is
    listed under the legend instead."""
    m = maps.treaty_map("npt", on="1985-01-01")
    shapes = _shapes(str(m))
    assert "CSK" in shapes and "CZE" not in shapes and "SVK" not in shapes
    assert shapes["CSK"].get("data-status") == a.status("CSK", "npt", "1985-01-01")
    assert "Czechoslovakia (today Czechia, Slovakia)" in shapes["CSK"].find("title").text
    legend_text = " ".join(_tree(str(m)).itertext())
    assert "not on the map: " in legend_text and "German Democratic Republic (party)" in legend_text
    assert "SUN" in shapes and "RUS" not in shapes and "UKR" in shapes
    assert shapes["SUN"].find("title").text.startswith("Soviet Union (today Russia")


def test_no_outline_crosses_the_whole_map():
    """Rings stitched across the antimeridian (Russia's Chukotka, Fiji) are cut at 180°: no step of any path jumps
    across half the map (drawn as they were, they painted a band along the top of every map with Russia), and a
    zoomed map is not stretched by islands on the map's other side."""
    geo = maps.world()
    for iso3, shape in geo.shapes.items():
        if iso3 == "ATA":  # its outer ring runs along the South Pole, which is the map's bottom edge
            continue
        for ring in shape["d"].split("M")[1:]:
            steps = [int(v) for v in ring.rstrip("z").split("l")[1].split()] if "l" in ring else []
            assert max((abs(dx) for dx in steps[0::2]), default=0) < geo.view_box[2] / 2, iso3
    russia, usa = geo.shapes["RUS"]["box"], geo.shapes["USA"]["box"]
    assert russia[0] > geo.view_box[2] / 2 and usa[2] < geo.view_box[2] / 2  # Europe to Chukotka; Hawaii to Maine
