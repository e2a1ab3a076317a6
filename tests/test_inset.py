"""Europe enlarged under the world maps (issue 23): the panel repeats the map's own group of shapes, framed on
Europe, so the Baltic exits no longer overlap; on the index map the recolouring reaches it too (a <use>)."""

from __future__ import annotations

import lxml.etree as ET
import pytest

from analysis import inset, maps, statusmap

ON = "2025-12-27"
SVG = "{http://www.w3.org/2000/svg}"


def _check(svg_text: str) -> ET._Element:
    root = ET.fromstring(svg_text.encode("utf-8"))
    panel = root.find(f".//{SVG}svg[@class='tx-inset']")
    assert panel is not None and panel.get("viewBox") == " ".join(map(str, inset.EUROPE))
    ref = panel.find(f"{SVG}use").get("href").lstrip("#")
    group = root.find(f".//{SVG}g[@id='{ref}']")
    assert group is not None and group.find(".//*[@data-iso3='LTU']") is not None  # the map's own shapes
    assert int(panel.get("width")) == inset.EUROPE[2] * inset.SCALE
    top = float(root.get("viewBox").split()[3])
    assert float(panel.get("y")) + float(panel.get("height")) < top  # the panel fits in the map's box
    return root


@pytest.mark.parametrize("treaty", ["apmbc", "ccm"])
def test_treaty_maps_carry_europe_enlarged(treaty):
    root = _check(maps.treaty_map(treaty, on=ON).svg)
    legend = root.find(f".//{SVG}g[@class='tx-legend']")
    assert legend is not None  # still there, under the panel


def test_the_index_map_carries_europe_enlarged():
    _check(
        str(statusmap.index_map("apmbc", on=ON))
        .split('<div class="tx-index-map-box">')[1]
        .split("<p ")[0]
        .split("</form>")[1]
    )
