"""The interactive explorer behind ``notebooks/explore.ipynb``: a treaty, some states and a day, seen at once.

Everything the views show is computed here, once per treaty or per selection, and cached, so that moving the day
only looks a number up and moves a line: the notebook stays a few lines and every control answers within the
half second ``benchmarks/bench_explore.py`` measures. Figures are drawn on matplotlib ``Figure`` objects (not
pyplot: nothing leaks into the notebook's output) and handed to the widgets as PNG bytes.

Displayed, an ``Explorer`` offers the live widgets and, beside them, a static HTML picture of its current
selection: a notebook run by papermill, nbval or exported to HTML shows that picture, with no widget error.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

import pandas as pd

from .countries import country_name, resolve_countries
from .dataset import Dataset, load
from .doubt import effect_edtf, when
from .exits import withdrawals
from .explore_data import (
    Selection,
    _daily_counts,
    exits_table,
    party_bounds,
    party_count,
    record_span,
    search_states,
    state_options,
    unsure_spans,
)
from .mapmarks import UNCERTAIN_LEGEND
from .maps import treaty_map
from .palette import STATUS_COLOR
from .status import as_day, resolve_treaty, transitions, with_no_record
from .uncertainty import steps_for

__all__ = [
    "Selection",
    "record_span",
    "state_options",
    "search_states",
    "party_count",
    "party_bounds",
    "exits_table",
    "Explorer",
]


_WIDTH, _LEFT, _RIGHT, _TOP = 640, 150, 10, 24


def _x(day: pd.Timestamp, first: pd.Timestamp, last: pd.Timestamp) -> float:
    """The horizontal position of a day on the explorer's time axis (same for the curve and the timelines)."""
    span = max((last - first).days, 1)
    return _LEFT + (_WIDTH - _LEFT - _RIGHT) * (day - first).days / span


def _time_axis(first: pd.Timestamp, last: pd.Timestamp, bottom: float) -> str:
    """Year ticks under a plot, every 1, 2, 5, 10 or 20 years so that about eight fit."""
    years = last.year - first.year + 1
    step = next(s for s in (1, 2, 5, 10, 20, 50) if years / s <= 8)
    ticks = [pd.Timestamp(y, 1, 1) for y in range(first.year + 1, last.year + 1) if y % step == 0]
    marks = "".join(
        f'<line x1="{_x(t, first, last):.1f}" x2="{_x(t, first, last):.1f}" y1="{bottom}" y2="{bottom + 4}"/>'
        f'<text x="{_x(t, first, last):.1f}" y="{bottom + 15}" text-anchor="middle">{t.year}</text>'
        for t in ticks
    )
    return f'<g stroke="#000" font-size="10">{marks}</g>'


def _day_line(day: pd.Timestamp, first: pd.Timestamp, last: pd.Timestamp, top: float, bottom: float) -> str:
    x = _x(day, first, last)
    return f'<line class="te-day" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" stroke="#c00" stroke-width="2"/>'


def _svg(height: float, body: str, label: str) -> str:
    """A figure drawn _WIDTH wide that shrinks with a narrower output area (its viewBox keeps the drawing whole)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {_WIDTH} {height:.0f}" style="max-width:100%;height:auto" role="img" '
        f'aria-label="{escape(label)}" font-family="sans-serif" font-size="11">{body}</svg>'
    )


@lru_cache(maxsize=32)
def _curve_path(tid: str, ds: Dataset) -> tuple[str, int, pd.Timestamp, pd.Timestamp]:
    """The curve of states bound, as an SVG path (one point per change), its maximum and its time span."""
    first, last = record_span(tid, ds)
    counts = _daily_counts(tid, ds)
    parties = counts["parties"]
    changes = parties[parties.diff().fillna(1) != 0]
    top, height = max(int(counts["upper"].max()), 1), 150
    points = [(first, 0)] + list(changes.items()) + [(last, int(parties.iloc[-1]))]
    xy = lambda day, value: f"{_x(max(day, first), first, last):.1f},{_TOP + height * (1 - value / top):.1f}"  # noqa: E731
    path = "M" + " L".join(xy(day, value) for day, value in points)
    return path, top, first, last, _band_path(counts, xy)


def _band_path(counts: pd.DataFrame, xy) -> str:
    """The band between the lower and upper counts, one closed step outline per stretch of uncertain days."""
    spread = counts["lower"] < counts["upper"]
    outlines = []
    for _, run in counts[spread].groupby((spread != spread.shift()).cumsum()[spread]):
        end = run.index[-1] + pd.Timedelta(days=1)
        edges = []
        for column in ("upper", "lower"):
            values = run[column]
            steps = values[values.ne(values.shift())]
            points = [p for d, v in steps.items() for p in ((d, v), (steps.index[steps.index > d].min(), v))]
            points = [(d if pd.notna(d) else end, v) for d, v in points]
            edges += points if column == "upper" else points[::-1]
        outlines.append("M" + " L".join(xy(d, v) for d, v in edges) + " Z")
    return "".join(outlines)


def curve_svg(tid: str, day: pd.Timestamp, ds: Dataset) -> str:
    """States bound over the record's span, with the day marked in red (the path is cached per treaty)."""
    path, top, first, last, band = _curve_path(tid, ds)
    bottom = _TOP + 150
    name = escape(ds.treaties.loc[tid, "short_name"])
    band = (
        f'<path class="te-band" d="{band}" fill="{STATUS_COLOR["party"]}" fill-opacity="0.4" stroke="{STATUS_COLOR["party"]}" stroke-width="0.8"><title>{UNCERTAIN_LEGEND}</title></path>'
        if band
        else ""
    )
    body = (
        f'<text x="{_LEFT}" y="14" font-weight="bold">{name}: states bound (in force) over time</text>'
        + band
        + f'<path d="{path}" fill="none" stroke="#000" stroke-width="1.8" stroke-linejoin="round"/>'
        f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{bottom}" y2="{bottom}" stroke="#000"/>'
        f'<text x="{_LEFT - 6}" y="{_TOP + 4}" text-anchor="end">{top}</text>'
        f'<text x="{_LEFT - 6}" y="{bottom}" text-anchor="end">0</text>'
        + _time_axis(first, last, bottom)
        + _day_line(day, first, last, _TOP, bottom)
    )
    return _svg(bottom + 22, body, f"{name}: states bound over time")


@lru_cache(maxsize=64)
def _treaty_steps(tid: str, ds: Dataset) -> pd.DataFrame:
    steps = transitions(ds)
    return with_no_record(steps[steps["treaty"] == tid].sort_values(["state", "date"]).reset_index(drop=True), ds)


def timelines_svg(tid: str, states: tuple[str, ...], day: pd.Timestamp, ds: Dataset) -> str:
    """One bar per selected state, shaded by its status in the treaty over time; ✕ marks an exit notice."""
    first, last = record_span(tid, ds)
    steps = _treaty_steps(tid, ds)
    notices = exits_table(tid, states, last, ds)
    rows, row_height = [], 22
    for row, state in enumerate(states):
        y = _TOP + row * row_height
        mine = steps[steps["state"] == state]
        stops = [*mine["date"].iloc[1:], last]
        for start, stop, status in zip(mine["date"], stops, mine["status"].astype(str)):
            x0, x1 = _x(max(start, first), first, last), _x(stop, first, last)
            rows.append(
                f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 0.5):.1f}" height="{row_height - 6}" '
                f'fill="{STATUS_COLOR[status]}" stroke="#000" stroke-width="0.5"><title>{escape(status)} from '
                f"{start.date()}</title></rect>"
            )
        rows += [
            f'<rect class="te-unsure" x="{_x(max(a, first), first, last):.1f}" y="{y}" height="{row_height - 6}" '
            f'width="{max(_x(b, first, last) - _x(max(a, first), first, last), 1):.1f}" fill="url(#te-unsure)">'
            f"<title>{UNCERTAIN_LEGEND}</title></rect>"
            for a, b in unsure_spans(tid, state, last, ds)
        ]
        name = country_name(state)
        rows.append(f'<text x="{_LEFT - 6}" y="{y + 12}" text-anchor="end">{escape(name)}</text>')
        for notice in notices.loc[notices["name"] == name, "notice_deposited"]:
            rows.append(f'<text x="{_x(notice, first, last):.1f}" y="{y + 13}" text-anchor="middle">✕</text>')
    bottom = _TOP + len(states) * row_height
    title = "selected states: status over time (colours as on the map; ✕ exit notice; hover for the status)"
    if any("te-unsure" in r for r in rows):  # the hatch, and what it means, only where it is drawn
        title = "selected states: status over time (colours as on the map; ✕ exit notice; hatched: uncertain)"
        rows.insert(0, '<defs><pattern id="te-unsure" patternUnits="userSpaceOnUse" width="6" height="6">'
                       '<path d="M0 6L6 0" stroke="#000" stroke-width="1.2"/></pattern></defs>')  # fmt: skip
    body = f'<text x="{_LEFT}" y="14" font-weight="bold">{title}</text>' + "".join(rows)
    body += _time_axis(first, last, bottom) + _day_line(day, first, last, _TOP - 4, bottom)
    return _svg(bottom + 22, body, "status of the selected states over time")


def _count_html(tid: str, day: pd.Timestamp, ds: Dataset) -> str:
    name = escape(ds.treaties.loc[tid, "short_name"])
    count, (low, high) = party_count(tid, day, ds), party_bounds(tid, day, ds)
    spread = f" (between {low} and {high}: the sources bound some dates, not the day)" if low < high else ""
    return (
        f'<div class="te-party-count" data-treaty="{tid}" data-day="{day.date()}">'
        f'<b class="te-count">{count}</b> states bound by {name} on {day:%d %B %Y}{spread}</div>'
    )


@lru_cache(maxsize=32)
def _change_days(tid: str, ds: Dataset) -> pd.DatetimeIndex:
    """The days on which the treaty's map can change: a status step, an exit notice, a state ending."""
    notices = withdrawals(ds)
    days = pd.concat(
        [
            _treaty_steps(tid, ds)["date"],
            steps_for(ds, "early").query("treaty == @tid")["date"],  # an uncertain act's first possible day
            notices.loc[notices["treaty"] == tid, "notice_deposited"],
            ds.states["until"].dropna(),
        ]
    )
    return pd.DatetimeIndex(sorted(set(days)))


@lru_cache(maxsize=64)
def _map_between_changes(tid: str, since: pd.Timestamp, ds: Dataset) -> str:
    return str(treaty_map(tid, on=since, ds=ds))


def _map_html(tid: str, day: pd.Timestamp, ds: Dataset) -> str:
    """The world map of the day (``maps.treaty_map``: every state shaded by its status, exits marked).

    The map is the same from one change day to the next, so it is drawn once per stretch and only its title
    takes the day asked: moving the day within a stretch costs nothing.
    """
    changes = _change_days(tid, ds)
    position = changes.searchsorted(day, side="right") - 1
    since = changes[position] if position >= 0 else day
    svg = _map_between_changes(tid, since, ds).replace(f"{since:%d %B %Y}", f"{day:%d %B %Y}")
    # at most 960 px wide, and no wider than the output area: a fixed width ran past a narrower Lab's output area,
    # which cut the map off (its overflow is hidden behind a scroll bar)
    return f'<div class="te-map" style="max-width:{_WIDTH + 320}px">{svg}</div>'


def _table_html(table: pd.DataFrame) -> str:
    if table.empty:
        return "<p><i>No exit in this selection by this day.</i></p>"
    shown = table.copy()
    shown["announced"] = shown["announced"].dt.strftime("%Y-%m-%d").fillna("")
    shown["notice_deposited"] = [when(d, e) for d, e in zip(table["notice_deposited"], table["notice_edtf"])]
    shown["effective"] = [when(r.effective, effect_edtf(r)) for r in table.itertuples()]  # words if less than a day
    shown = shown.drop(columns=["notice_edtf", "effective_edtf"])
    style = "<style>.te-exits th,.te-exits td{padding:2px 10px;text-align:left;white-space:nowrap}</style>"
    table_html = shown.to_html(index=False, classes="te-exits", border=0)
    # a wide table scrolls by itself, not the whole explorer (width:0 keeps it out of the box's minimum width)
    return f'{style}<div style="width:0;min-width:100%;overflow-x:auto">{table_html}</div>'


class Explorer:
    """The widgets and their views. ``Explorer("apmbc", ["LTU", "POL"])``; display it (last line of a cell).

    Each control calls ``update``; the treaty or the states rebuild their cached figure once, the day only
    moves markers and looks the count up.
    """

    def __init__(self, treaty: str = "apmbc", states=("LTU", "POL"), day=None, ds: Dataset | None = None):
        import ipywidgets as w

        self.ds = ds or load()
        tid = resolve_treaty(treaty, self.ds)
        self.options = state_options(self.ds)
        chosen = tuple(s for s in resolve_countries(states) if s in {code for _, code in self.options})
        first, last = record_span(tid, self.ds)
        start = min(max(as_day(day), first), last) if day is not None else last
        self.selection = Selection(tid, chosen, start)
        treaties = [(f"{r.short_name} ({i})", i) for i, r in self.ds.treaties.iterrows()]
        self.treaty = w.Dropdown(options=treaties, value=tid, description="Treaty")
        self.search = w.Text(placeholder="search a state by name", description="Find")
        self.states = w.SelectMultiple(options=self.options, value=chosen, rows=6, description="States")
        # the views follow when the handle is let go (a drag would otherwise queue one update per day passed)
        self.slider = w.IntSlider(min=first.toordinal(), max=last.toordinal(), value=start.toordinal(),
                                  readout=False, continuous_update=False, description="Day",
                                  layout=w.Layout(width="60%"))  # fmt: skip
        self.picker = w.DatePicker(value=start.date(), min=first.date(), max=last.date())
        self.count, self.map, self.table = w.HTML(), w.HTML(), w.HTML()
        self.curve, self.timelines = w.HTML(), w.HTML()
        self._syncing = False  # set while update() moves the controls, so they do not call back
        self._wire()
        self.update()
        self.ui = w.VBox([
            w.HBox([self.treaty, w.VBox([self.search, self.states])]),
            w.HBox([self.slider, self.picker]),
            self.count,
            self.curve,
            self.timelines,
            self.map,
            self.table,
        ])  # fmt: skip

    def _wire(self) -> None:
        self.treaty.observe(lambda change: self.set(treaty=change["new"]), names="value")
        self.states.observe(lambda change: self.set(states=change["new"]), names="value")
        self.search.observe(lambda change: self._filter(change["new"]), names="value")
        self.slider.observe(lambda change: self.set(day=pd.Timestamp.fromordinal(change["new"])), names="value")
        self.picker.observe(lambda change: change["new"] and self.set(day=pd.Timestamp(change["new"])), names="value")

    def _filter(self, text: str) -> None:
        """Show the states matching the search, keeping the ones already selected."""
        kept = [item for item in self.options if item[1] in self.selection.states]
        found = search_states(text, self.options)
        self._syncing = True  # new options clear the widget's value: the selection itself must not follow
        try:
            self.states.options = kept + [item for item in found if item not in kept]
            self.states.value = self.selection.states
        finally:
            self._syncing = False

    def set(self, treaty: str | None = None, states=None, day=None) -> None:
        """Change part of the selection (the day clipped to the treaty's record) and update the views."""
        if self._syncing:
            return
        old = self.selection
        tid = resolve_treaty(treaty, self.ds) if treaty is not None else old.treaty
        first, last = record_span(tid, self.ds)
        day = min(max(as_day(day) if day is not None else old.day, first), last)
        chosen = tuple(resolve_countries(states)) if states is not None else old.states
        self.selection = Selection(tid, chosen, day)
        if tid != old.treaty:
            self._syncing = True
            try:  # widen first, then narrow: the slider refuses a minimum above its maximum
                self.slider.min, self.slider.max = min(self.slider.min, first.toordinal()), last.toordinal()
                self.slider.min = first.toordinal()
                self.picker.min, self.picker.max = first.date(), last.date()
            finally:
                self._syncing = False
        self.update()

    def update(self) -> None:
        """Redraw what the selection changed; the controls follow the selection without calling back."""
        sel, ds = self.selection, self.ds
        self.count.value = _count_html(sel.treaty, sel.day, ds)
        self.map.value = _map_html(sel.treaty, sel.day, ds)
        self.curve.value = curve_svg(sel.treaty, sel.day, ds)
        self.timelines.value = timelines_svg(sel.treaty, sel.states, sel.day, ds) if sel.states else ""
        self.table.value = _table_html(exits_table(sel.treaty, sel.states, sel.day, ds))
        self._syncing = True
        try:
            self.slider.value = sel.day.toordinal()
            self.picker.value = sel.day.date()
        finally:
            self._syncing = False

    def html(self) -> str:
        """The current selection as static HTML: what a notebook shows where no widget can run."""
        parts = [self.count, self.curve, self.timelines, self.map, self.table]
        return "<div class='te-explorer'>" + "".join(part.value for part in parts) + "</div>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.ui._repr_mimebundle_(include=include, exclude=exclude)
        sel = self.selection
        bundle["text/html"] = self.html()
        bundle["text/plain"] = (
            f"Explorer: {sel.treaty}, {', '.join(sel.states) or 'no state'}, {sel.day.date()}: "
            f"{party_count(sel.treaty, sel.day, self.ds)} states bound"
        )
        return bundle
