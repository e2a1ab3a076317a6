"""Benchmark: what the maps cost a report page, and the shipped geometry file against deriving shapes per map.

Run by hand (`.venv/bin/python benchmarks/bench_maps.py`); results are appended to benchmarks/results.md. The
naive way is what one would write first: read the Natural Earth TopoJSON, decode and project its arcs for every
map drawn (``tools/geo/build_geometry.build_geometry``). The package instead reads ``data/world_50m.json`` once
per process (paths already projected and simplified) and only pastes strings per map. Per-map times are the
median of warm calls; the site-wide numbers (``make reports`` before and after the maps) are recorded by hand
under this section, with the machine's load, because they need the whole site built.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import analysis as a
from analysis import config, maps, statusmap
from analysis.config import shared_dir

RESULTS = Path(__file__).with_name("results.md")
ROOT = Path(__file__).resolve().parents[1]


def median_time(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def builder():
    spec = importlib.util.spec_from_file_location("build_geometry", ROOT / "tools" / "geo" / "build_geometry.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    ds = a.load()
    maps.treaty_map("ccm", ds=ds)  # warm: the exit table, the geometry file
    rows = [
        (
            "treaty map (CCM, world)",
            median_time(lambda: maps.treaty_map("ccm", ds=ds)),
            len(str(maps.treaty_map("ccm", ds=ds))),
        ),
        (
            "country map (LTU and peers)",
            median_time(lambda: maps.country_map("LTU", ds=ds)),
            len(str(maps.country_map("LTU", ds=ds))),
        ),
        (
            "index map (28 treaties, years)",
            median_time(lambda: statusmap.index_map(ds=ds), 3),
            len(str(statusmap.index_map(ds=ds))),
        ),
    ]
    atlas = shared_dir() / "natural-earth-5.1.2-world-atlas" / "countries-50m.json"
    naive = median_time(lambda: builder().build_geometry(atlas), 3) if atlas.exists() else None
    shipped = median_time(lambda: maps._read_world.__wrapped__(str(ROOT / "data" / config.GEOMETRY_NAME), 0), 5)
    write(rows, naive, shipped)


def write(rows, naive, shipped) -> None:
    load = os.getloadavg()[0]
    lines = [
        f"\n## Maps: cost per page, geometry shipped vs derived per map ({datetime.now():%Y-%m-%d %H:%M})\n",
        f"{platform.machine()} with {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {load:.1f}; "
        "median of warm calls.\n",
        "| map | time (s) | SVG (KB) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {seconds:.3f} | {size / 1024:.0f} |" for name, seconds, size in rows]
    if naive is not None:
        lines += [
            "",
            "| shapes for one map | time (s) | ratio |",
            "|---|---:|---:|",
            f"| naive: decode, project, simplify the TopoJSON | {naive:.3f} | 1.0× |",
            f"| shipped `data/world_50m.json`, read once | {shipped:.3f} | **{naive / shipped:.0f}×** |",
        ]
    text = "\n".join(lines) + "\n"
    print(text)
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
