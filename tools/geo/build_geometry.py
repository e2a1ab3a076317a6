"""Build data/world_50m.json: one compact SVG path per country, from Natural Earth 1:50m (world-atlas TopoJSON).

Run from the repo root:  .venv/bin/python tools/geo/build_geometry.py
Needs ``../shared/data/natural-earth-5.1.2-world-atlas/countries-50m.json`` (read only). Nothing is downloaded.

Why a derived file: the report pages draw maps offline, in the page, as inline SVG. The TopoJSON is 800 KB of
quantized, delta-encoded arcs in longitude/latitude; the pages need projected, simplified outlines they can
paste as they are. The arcs are decoded, projected once (Equal Earth, an equal-area projection, so no state
looks bigger than it is), simplified per arc (shared borders stay shared, so neighbours never gap or overlap)
and rounded to a grid of ``WIDTH`` units across the world (about 4 km a unit). Each country becomes one path
string of relative moves. States too small to see at page size also get a centre point, where the map draws
a dot so that they can be seen, hovered and clicked.

Provenance (source, commit, SHA-256 of the input) goes into the file itself (``source``), and
``data/datapackage.json`` gets the file as a resource with its own checksum and that source.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from analysis.config import GEOMETRY_NAME, data_dir, shared_dir  # noqa: E402
from analysis.sources.build import geometry_resource  # noqa: E402

ATLAS = "natural-earth-5.1.2-world-atlas"
INPUT = "countries-50m.json"
OUTPUT = GEOMETRY_NAME
#: The map's width in grid units; the height follows from the projection's aspect (about 0.487).
WIDTH = 10000
#: Douglas–Peucker tolerance in grid units (5 = half a pixel on a map 1000 pixels wide).
TOLERANCE = 5.0
#: A shape whose projected box is smaller than this (grid units, either side) gets a dot on the map.
SMALL = 40
SOURCE = {
    "title": "Natural Earth 5.1.2 admin-0 countries, 1:50m, as TopoJSON (world-atlas, UN-style boundary view)",
    "producer": "Natural Earth (public domain); TopoJSON by the cublya/world-atlas repository",
    "path": "https://github.com/cublya/world-atlas",
    "via": "github.com/cublya/world-atlas@9ef13db2ef3be0409a40c447fa92c2bdec1ec6aa (Release world-atlas "
    "3.0.0-beta.2, 2026-07-10), countries-50m.json",
    "licence": "public domain (Natural Earth); build code ISC",
}
DESCRIPTION = (
    "Country outlines for the report maps: per ISO3 code (isoA3, else adm0A3) one SVG path in the Equal Earth "
    "projection, simplified per shared arc and rounded to a grid; derived from Natural Earth 1:50m by "
    "tools/geo/build_geometry.py."
)

# Equal Earth (Šavrič, Patterson, Jenny 2018), the constants of the published formula.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude/latitude in degrees to Equal Earth x/y (unit sphere; y grows northwards)."""
    lam, phi = np.radians(lon), np.radians(lat)
    theta = np.arcsin(_M * np.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * np.cos(theta) / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


#: Half the projected width and height of the world, from the projection's own extremes.
_XMAX = float(equal_earth(np.array([180.0]), np.array([0.0]))[0][0])
_YMAX = float(equal_earth(np.array([0.0]), np.array([90.0]))[1][0])
HEIGHT = round(WIDTH * _YMAX / _XMAX)


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """The topology's arcs as longitude/latitude arrays: undo the delta encoding and the quantization."""
    scale = np.array(topology["transform"]["scale"])
    translate = np.array(topology["transform"]["translate"])
    return [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate for arc in topology["arcs"]]


def to_grid(lonlat: np.ndarray) -> np.ndarray:
    """Project to the map's grid: x from 0 (180° W) to WIDTH, y from 0 (top) to HEIGHT."""
    x, y = equal_earth(lonlat[:, 0], lonlat[:, 1])
    gx = (x + _XMAX) / (2 * _XMAX) * WIDTH
    gy = (_YMAX - y) / (2 * _YMAX) * HEIGHT
    return np.column_stack([gx, gy])


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas–Peucker: keep the ends and every point farther than `tolerance` from the simplified line."""
    if len(points) < 3:
        return points
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        start, end = points[first], points[last]
        inner = points[first + 1 : last]
        chord = end - start
        length = math.hypot(*chord)
        if length == 0:
            dist = np.hypot(*(inner - start).T)
        else:
            dist = np.abs(chord[0] * (inner[:, 1] - start[1]) - chord[1] * (inner[:, 0] - start[0])) / length
        worst = int(np.argmax(dist))
        if dist[worst] > tolerance:
            mid = first + 1 + worst
            keep[mid] = True
            stack += [(first, mid), (mid, last)]
    return points[keep]


def polygons(geometry: dict) -> list[list[list[int]]]:
    """A geometry's polygons, each a list of rings, each ring a list of arc indices (``~i`` = arc i reversed)."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def ring_points(ring: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """Stitch a ring from its arcs: reverse the negative ones, drop each arc's first point after the first arc."""
    parts = []
    for n, index in enumerate(ring):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if n == 0 else arc[1:])
    return np.concatenate(parts)


def ring_path(points: np.ndarray) -> str:
    """One closed ring as ``M x y l dx dy ... z`` in whole grid units, repeated points dropped."""
    grid = np.rint(points).astype(int)
    steps = np.diff(grid, axis=0)
    steps = steps[(steps != 0).any(axis=1)]
    moves = " ".join(f"{dx} {dy}" for dx, dy in steps)
    return f"M{grid[0, 0]} {grid[0, 1]}l{moves}z" if moves else ""


def wrapped_copies(lonlat: np.ndarray) -> list[np.ndarray] | None:
    """A ring that crosses the antimeridian (Russia's Chukotka, Fiji) as two projected copies, or None.

    world-atlas stitches Natural Earth's polygons across 180°, so such a ring jumps from +180° to -180° and, drawn
    as it is, paints a band across the whole map. Unwrapped, the ring runs past the map's edge; a copy shifted by
    360° draws the part beyond the edge on the other side, and the map's view box clips both. A ring that does not
    close when unwrapped (Antarctica's, which goes round the pole) is left as it is.
    """
    if len(lonlat) < 2 or np.abs(np.diff(lonlat[:, 0])).max() <= 180:
        return None
    lon = np.degrees(np.unwrap(np.radians(lonlat[:, 0])))
    if abs(lon[-1] - lon[0]) > 1:
        return None
    lon -= 360 * np.round(np.median(lon) / 360)  # the bulk of the ring back in [-180, 180]
    ring = np.column_stack([lon, lonlat[:, 1]])
    edge = 180.0 if lon.max() > 180 else -180.0
    inside = clip_at(ring, edge, keep_below=edge > 0)
    beyond = clip_at(ring, edge, keep_below=edge < 0)
    beyond[:, 0] -= 2 * edge  # the part past the edge, drawn on the map's other side
    return [simplify(to_grid(part), TOLERANCE) for part in (inside, beyond) if len(part) >= 3]


def clip_at(ring: np.ndarray, meridian: float, keep_below: bool) -> np.ndarray:
    """Sutherland–Hodgman: the part of a closed lon/lat ring west (or east) of a meridian, cut where it crosses."""
    kept = []
    side = (ring[:, 0] <= meridian) if keep_below else (ring[:, 0] >= meridian)
    for i in range(len(ring)):
        (a, a_in), (b, b_in) = (ring[i - 1], side[i - 1]), (ring[i], side[i])
        if a_in != b_in:  # the edge crosses the meridian: keep the crossing point
            t = (meridian - a[0]) / (b[0] - a[0])
            kept.append([meridian, a[1] + t * (b[1] - a[1])])
        if b_in:
            kept.append(b)
    return np.array(kept, dtype=float).reshape(-1, 2)


def clipped(points: np.ndarray) -> np.ndarray:
    """The points with x inside the map (an unwrapped ring's box stops at the map's edge)."""
    return np.column_stack([np.clip(points[:, 0], 0, WIDTH), points[:, 1]])


def country_path(geometry: dict, simplified: list[np.ndarray], full: list[np.ndarray], lonlat: list[np.ndarray]) -> str:
    """A country's path; a ring that the simplification collapses is kept unsimplified, so no island is lost."""
    out = []
    for polygon in polygons(geometry):
        for ring in polygon:
            copies = wrapped_copies(ring_points(ring, lonlat))
            if copies is not None:
                out += [ring_path(points) for points in copies]
                continue
            points = ring_points(ring, simplified)
            if len(np.unique(np.rint(points), axis=0)) < 3:
                points = ring_points(ring, full)
            out.append(ring_path(points))
    return "".join(out)


def outer_points(polygon: list[list[int]], full: list[np.ndarray], lonlat: list[np.ndarray]) -> np.ndarray:
    """A polygon's outer ring in grid units, as far as it lies on the map (an unwrapped ring is clipped)."""
    copies = wrapped_copies(ring_points(polygon[0], lonlat))
    return ring_points(polygon[0], full) if copies is None else clipped(copies[0])


def country_box(geometry: dict, full: list[np.ndarray], lonlat: list[np.ndarray]) -> np.ndarray:
    """The projected bounding box (x0, y0, x1, y1) of a country's largest polygon, in grid units."""
    best, best_area = None, -1.0
    for polygon in polygons(geometry):
        points = outer_points(polygon, full, lonlat)
        lo, hi = points.min(axis=0), points.max(axis=0)
        area = float(np.prod(hi - lo))
        if area > best_area:
            best, best_area = np.concatenate([lo, hi]), area
    return best


def country_key(properties: dict) -> str:
    """The ISO3 code a shape is filed under: ``isoA3``, else ``adm0A3`` (France and Norway lack isoA3)."""
    iso = properties.get("isoA3")
    return iso if iso and iso != "-99" else properties["adm0A3"]


def shape_record(
    geometry: dict, simplified: list[np.ndarray], full: list[np.ndarray], lonlat: list[np.ndarray]
) -> dict:
    """What the maps need of one shape: name, kind, path, box over all its polygons, a label point (the centre of
    its largest polygon's box, where exits are marked) and ``dot`` when it is too small to see without one."""
    props = geometry["properties"]
    box = country_box(geometry, full, lonlat)
    path = country_path(geometry, simplified, full, lonlat)
    record = {"name": props["name"], "kind": props.get("type", ""), "d": path}
    every = np.concatenate(near_side(box, [outer_points(p, full, lonlat) for p in polygons(geometry)]))
    record["box"] = [int(v) for v in np.rint(np.concatenate([every.min(axis=0), every.max(axis=0)]))]
    record["pt"] = [int(v) for v in np.rint([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])]
    if max(box[2] - box[0], box[3] - box[1]) < SMALL:
        record["dot"] = True
    return record


def near_side(box: np.ndarray, outers: list[np.ndarray]) -> list[np.ndarray]:
    """The polygons within half the map's width of the largest one: a map zoomed on Russia or Fiji is not
    stretched across the world by the islands that lie beyond the antimeridian, on the map's other side."""
    centre = (box[0] + box[2]) / 2
    return [points for points in outers if abs((points[:, 0].min() + points[:, 0].max()) / 2 - centre) < WIDTH / 2]


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_geometry(source: Path) -> dict:
    """The geometry file's content, from the world-atlas TopoJSON at `source`."""
    topology = json.loads(source.read_text(encoding="utf-8"))
    lonlat = decode_arcs(topology)
    full = [to_grid(arc) for arc in lonlat]
    simplified = [simplify(arc, TOLERANCE) for arc in full]
    shapes = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        shapes[country_key(geometry["properties"])] = shape_record(geometry, simplified, full, lonlat)
    return {
        "description": DESCRIPTION,
        "projection": "Equal Earth",
        "viewBox": [0, 0, WIDTH, HEIGHT],
        "tolerance": TOLERANCE,
        "source": SOURCE | {"sha256": sha256_file(source)},
        "shapes": dict(sorted(shapes.items())),
    }


def write_json(path: Path, content: dict, indent: int | None = None) -> None:
    """Write atomically: a temporary file beside the target, moved into place when complete."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    separators = (",", ":") if indent is None else None
    tmp.write_text(json.dumps(content, indent=indent, ensure_ascii=False, separators=separators) + "\n", "utf-8")
    tmp.replace(path)


def register(data: Path, geometry_path: Path) -> None:
    """Add the file to datapackage.json as a resource: its checksum, size, and its source with the input's hash.

    The provenance travels in the geometry file itself (``source``), so the data package writer can rebuild this
    entry from the file alone; provenance.json (hand-kept, for the CSV sources) is not touched.
    """
    package_path = data / "datapackage.json"
    package = json.loads(package_path.read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] != geometry_path.stem]
    package["resources"].append(geometry_resource(geometry_path))
    write_json(package_path, package, indent=2)


def main() -> None:
    source = shared_dir() / ATLAS / INPUT
    if not source.exists():
        sys.exit(f"build_geometry: {source} not found (the shared folder ../shared/data is needed)")
    target = data_dir() / OUTPUT
    write_json(target, build_geometry(source))
    register(data_dir(), target)
    print(f"{target}: {target.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
