"""Benchmark: the vectorized status engine against a naive per-pair Python loop, side by side in one run.

Run by hand (`make benchmark` or `.venv/bin/python benchmarks/bench_status.py`); results are appended to
benchmarks/results.md. The naive way is what a researcher would write first: for every state × treaty pair,
replay its events in date order up to the day asked (analysis.status.pair_transitions) and take the last status.
Where the naive loop would take minutes, it runs on a random sample of pairs and its time is scaled per cell; the
sample size is printed beside the result.
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd

import analysis as a
from analysis.status import pair_transitions

RESULTS = Path(__file__).with_name("results.md")


def best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def naive_status(events: pd.DataFrame, treaty: pd.Series, day: pd.Timestamp, ended) -> str:
    steps = pair_transitions(events[events["date"] <= day], treaty, ended)
    status = "not signed"
    for d, s in steps:
        if pd.Timestamp(d) <= day:
            status = s
    return status


def covariate_panel(ds, today) -> str:
    """The yearly panel with its covariates (``analysis.panels.event_panel``, issue 12; target under 0.5 s), if it
    has landed in this checkout; one line for below the table (it has no naive loop to compare with)."""
    try:
        from analysis.panels import event_panel
    except ImportError:
        return "Yearly panel with covariates: `analysis.panels.event_panel` (issue 12) is not in this checkout: not measured."
    fast, median = best(lambda: event_panel(freq="Y", start="1925-01-01", end=today, ds=ds), repeat=3)
    rows = len(event_panel(freq="Y", start="1925-01-01", end=today, ds=ds))
    verdict = "met" if fast < 0.5 else "MISSED"
    return (
        f"Yearly panel with covariates, `event_panel(freq='Y')` 1925-{today.year}: {rows:,} rows in "
        f"{fast * 1000:.0f} ms (best of 3, median {median * 1000:.0f} ms); target < 0.5 s: {verdict}."
    )


def load_now() -> str:
    """The 1-minute load average (other work on the machine makes every timing noisier)."""
    return f"{os.getloadavg()[0]:.2f}"


def main() -> None:
    load_before = load_now()
    ds = a.load()
    t0 = time.perf_counter()
    a.transitions(ds)
    prep = time.perf_counter() - t0
    ev = ds.events
    groups = {k: g for k, g in ev.groupby(["state", "treaty"])}
    until = ds.states["until"]
    pairs = list(groups)
    n_states, n_treaties = ev["state"].nunique(), len(ds.treaties)
    rows = []

    # 1. every pair on one date
    day = pd.Timestamp("2026-02-03")
    fast, _ = best(lambda: a.status_table(day, ds=ds), repeat=20)
    sample = random.Random(1).sample(pairs, min(400, len(pairs)))

    def naive_one_date():
        for st, tr in sample:
            end = until.get(st)
            naive_status(groups[(st, tr)], ds.treaties.loc[tr], day, end.date() if pd.notna(end) else None)

    slow, _ = best(naive_one_date, repeat=1)
    cells = n_states * n_treaties
    slow_all = slow / len(sample) * len(pairs)  # pairs without events are 'not signed' at no cost to the naive loop
    rows.append(("status_table: all pairs, one date", f"{cells:,} cells", fast, slow_all, f"{len(sample)} pairs"))

    # 2. daily series of one treaty over 30 years
    start, end = pd.Timestamp("1996-01-01"), pd.Timestamp("2025-12-31")
    fast, _ = best(lambda: a.party_counts("apmbc", freq="D", start=start, end=end, ds=ds))
    days = pd.date_range(start, end, freq="D")
    apmbc = [p for p in pairs if p[1] == "apmbc"]
    probe = days[:: max(1, len(days) // 120)]

    def naive_daily():
        for d in probe:
            sum(naive_status(groups[p], ds.treaties.loc["apmbc"], d, None) == "party" for p in apmbc)

    slow, _ = best(naive_daily, repeat=1)
    rows.append(
        (
            "party_counts: one treaty, daily, 30 years",
            f"{len(days):,} days",
            fast,
            slow / len(probe) * len(days),
            f"{len(probe)} days",
        )
    )

    # 3. every pair on every day since 1925, as daily counts per treaty (target: under 1 s)
    s25, today = pd.Timestamp("1925-01-01"), pd.Timestamp(ds.status_date)
    fast, _ = best(
        lambda: [a.party_counts(t, freq="D", start=s25, end=today, ds=ds) for t in ds.treaties.index], repeat=3
    )
    all_days = (today - s25).days + 1
    # naive: the one-date cost of case 1 (all pairs, scaled from its sample), once per day
    rows.append(
        (
            f"all pairs, every day 1925-{today.year} (daily counts per treaty; target < 1 s)",
            f"{cells * all_days:,} state×treaty-days",
            fast,
            rows[0][3] * all_days,
            "case 1's, per day",
        )
    )

    # 4. yearly panel 1925 to the status date
    fast, _ = best(lambda: a.panel(freq="Y", start="1925-01-01", end=today, ds=ds), repeat=3)
    years = pd.date_range("1925-01-01", today, freq="YE")
    psample = sample[:60]

    def naive_panel():
        for st, tr in psample:
            end_ = until.get(st)
            for y in years:
                naive_status(groups[(st, tr)], ds.treaties.loc[tr], y, end_.date() if pd.notna(end_) else None)

    slow, _ = best(naive_panel, repeat=1)
    rows.append(
        (
            f"panel(freq='Y'), 1925-{today.year}",
            f"{len(pairs) * len(years):,} rows",
            fast,
            slow / len(psample) * len(pairs),
            f"{len(psample)} pairs",
        )
    )
    covariates = covariate_panel(ds, today)

    # 5. the event-history panel with its covariates (exit flags, time since consent, NATO/EU, region, peer
    # shares), 1977-2026; its naive cost is at least case 4's status loop, so that time is the (low) yardstick
    fast, _ = best(lambda: a.event_panel(freq="Y", start="1977-01-01", end="2026-12-31", ds=ds), repeat=5)
    rows.append(
        (
            "event_panel(freq='Y') with covariates, 1977-2026",
            f"{len(pairs) * len(years):,} rows",
            fast,
            rows[-1][3],
            "case 4's (statuses only)",
        )
    )
    fast, _ = best(lambda: a.event_panel(freq="Y", ds=ds), repeat=5)
    first = ds.events["date"].min().year
    rows.append(("event_panel(freq='Y'), all years from " + str(first), "whole panel", fast, rows[-1][3], "as above"))

    lines = [
        f"\n## Status engine — {date.today().isoformat()}\n",
        f"{platform.processor() or platform.machine()}, {sys.version.split()[0]}, pandas {pd.__version__}; "
        f"dataset {ds.version}: {len(ev):,} events, {len(pairs):,} state×treaty pairs with events, "
        f"{n_states} states × {n_treaties} treaties. One-off step table build (cached per process): "
        f"{prep * 1000:.0f} ms. Load average at the start {load_before}, at the end {load_now()}.\n",
        "| case | size | vectorized | naive loop (scaled from sample) | ratio | naive sample |",
        "|---|---|---|---|---|---|",
    ]
    for name, size, f, s, smp in rows:
        lines.append(f"| {name} | {size} | {f * 1000:.1f} ms | {s:.2f} s | {s / f:,.0f}× | {smp} |")
    lines += ["", covariates]
    text = "\n".join(lines) + "\n"
    print(text)
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
