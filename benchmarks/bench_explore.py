"""Benchmark: how long the explorer takes to answer each control, against re-running a report cell, in one run.

Run by hand (`.venv/bin/python benchmarks/bench_explore.py`); results are appended to benchmarks/results.md. Each
control is changed through its widget (``widget.value = ...``), so the time includes the observers and every view
the change updates, as in the Lab (the browser's own drawing and the kernel's messages are not included). The
budget is half a second per change on the 2-core machine. "First visit" of a treaty builds its cached daily
counts and curve; later visits and day moves look up, redraw the small SVGs and take the world map of the day
(``maps.treaty_map``), drawn once per stretch between the treaty's change days.

The naive way is what the report notebooks do on a change: draw the participation curve with matplotlib and
render it, list the treaty's exits and count the parties, from scratch.
"""

from __future__ import annotations

import io
import platform
import random
import statistics
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import analysis as a
from analysis import plots, tables
from analysis.explore import Explorer

RESULTS = Path(__file__).with_name("results.md")
BUDGET = 0.5


def timed(change) -> float:
    start = time.perf_counter()
    change()
    return time.perf_counter() - start


def naive(tid: str, day) -> None:
    figure = plots.participation_curve(tid)
    figure.savefig(io.BytesIO(), format="png")
    plt.close(figure)
    tables.treaty_exits(tid, on=day)
    len(a.parties(tid, on=day))


def run() -> list[tuple[str, list[float]]]:
    rng = random.Random(1)
    ds = a.load()
    explorer = Explorer("apmbc", ["LTU", "POL"])
    treaties = list(ds.treaties.index)
    cases: dict[str, list[float]] = {name: [] for name in ("day slider", "date picker", "states", "search")}
    cases["treaty (first visit)"], cases["treaty (visited before)"] = [], []
    for tid in rng.sample(treaties, len(treaties)):
        cases["treaty (first visit)"].append(timed(lambda tid=tid: setattr(explorer.treaty, "value", tid)))
    for _ in range(20):
        tid = rng.choice(treaties)
        cases["treaty (visited before)"].append(timed(lambda tid=tid: setattr(explorer.treaty, "value", tid)))
        low, high = explorer.slider.min, explorer.slider.max
        for _ in range(3):
            day = rng.randint(low, high)
            cases["day slider"].append(timed(lambda day=day: setattr(explorer.slider, "value", day)))
        pick = explorer.picker.min + (explorer.picker.max - explorer.picker.min) * rng.random()
        cases["date picker"].append(timed(lambda pick=pick: setattr(explorer.picker, "value", pick)))
        shown = [code for _, code in explorer.states.options]  # a user picks among the states the search shows
        chosen = tuple(rng.sample(shown, min(len(shown), rng.randint(1, 6))))
        cases["states"].append(timed(lambda chosen=chosen: setattr(explorer.states, "value", chosen)))
        text = rng.choice(["li", "lat", "united", "ko", ""])
        cases["search"].append(timed(lambda text=text: setattr(explorer.search, "value", text)))
    day = explorer.selection.day
    cases["naive: re-run a report cell"] = [timed(lambda tid=tid: naive(tid, day)) for tid in rng.sample(treaties, 8)]
    return list(cases.items())


def report(cases) -> str:
    naive_median = statistics.median(dict(cases)["naive: re-run a report cell"])
    lines = [
        f"## Explorer: time from a control's change to updated views ({time.strftime('%Y-%m-%d %H:%M')})",
        "",
        f"{platform.machine()}, {platform.python_version()}, {len(a.load().events):,} events; budget "
        f"{BUDGET * 1000:.0f} ms per change. Each change through its widget, all views updated.",
        "",
        "| change | n | median (ms) | max (ms) | within budget | naive ÷ median |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for name, times in cases:
        median, worst = statistics.median(times), max(times)
        ratio = naive_median / median
        ok = "yes" if worst <= BUDGET else "no"
        lines.append(f"| {name} | {len(times)} | {median * 1000:.0f} | {worst * 1000:.0f} | {ok} | {ratio:.1f}× |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    text = report(run())
    print(text)
    if "--no-write" not in sys.argv:
        with RESULTS.open("a") as out:
            out.write("\n" + text)
