"""Figures for the reports. Each returns its Figure, in the statuses' palette (``analysis.palette``, Okabe–Ito);
markers and hatches carry the meaning too, so a greyscale print still reads."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath

from .counts import party_counts
from .dataset import Dataset, load
from .doubt import effect_edtf
from .exits import withdrawals
from .palette import STATUS_COLOR
from .peers import CountryProfile
from .schema import parse_edtf
from .status import resolve_treaty

# the statuses' colours (analysis.palette) for the marks that stand for them
_BOUND, _NOTICE, _EXIT = STATUS_COLOR["party"], STATUS_COLOR["withdrawal pending"], STATUS_COLOR["withdrawn"]
_SIGNED, _DEPOSITED = STATUS_COLOR["signatory"], STATUS_COLOR["consent deposited"]


def _fixed_layout(fig: plt.Figure, ax, bottom: float, left: float | None = None) -> None:
    """Margins in inches: `left` (default: the widest y tick label, measured from the font, plus the ticks), the
    title's room above, `bottom` for the x labels and a legend below the axes.

    This is what ``tight_layout`` gives these figures, without its cost: it draws the whole figure once to measure
    it, which was more than half of a report's figure time once the figure itself is written as SVG.
    """
    width, height = fig.get_size_inches()
    if left is None:
        labels = ax.get_yticklabels()
        font = FontProperties(size=labels[0].get_fontsize() if labels else plt.rcParams["font.size"])
        measure = TextToPath().get_text_width_height_descent
        widest = max((measure(label.get_text(), font, ismath=False)[0] for label in labels), default=0.0)
        left = min(widest / 72 + 0.3, 0.45 * width)  # points to inches, tick and padding; very long labels clipped
    fig.subplots_adjust(left=left / width, right=1 - 0.37 / width, top=1 - 0.36 / height, bottom=bottom / height)


def country_timeline(profile: CountryProfile, start: str | None = "1990-01-01") -> plt.Figure:
    """One row per treaty the state acted on: signed ○, deposited □, in force ━, notice period ░, exit ✕.

    Acts before `start` (None: the earliest) are drawn at the left edge as ◁, so that recent exits stay legible;
    the report's table gives their dates. A former state's timeline spans all its acts and its lifetime (its
    page is drawn on its last day: nothing recent to keep legible, and arrows only would hide its record).
    """
    if getattr(profile, "last_day", None) is not None:
        start = None
    t = profile.treaties
    acted = t[t[["signed", "consent", "exit_notice"]].notna().any(axis=1)].reset_index(drop=True)
    end = pd.Timestamp(profile.on)
    earliest = acted[["signed", "consent"]].min().min() if len(acted) else end
    left = pd.Timestamp(start) if start is not None else earliest
    if pd.isna(left) or (pd.notna(earliest) and earliest > left):
        left = earliest if pd.notna(earliest) else end - pd.Timedelta(days=365)
    fig, ax = plt.subplots(figsize=(10, 0.45 * max(len(acted), 2) + 1.6))
    # one artist per kind of mark (not one per treaty): the figure draws several times faster
    y = len(acted) - 1 - acted.index.to_numpy()
    bound = acted["in_force"].notna()
    if bound.any():
        last = min(end, pd.Timestamp(profile.last_day)) if getattr(profile, "last_day", None) else end
        stop = acted["exit_notice"].fillna(last)[bound]  # a former state is bound by nothing after its last day
        ax.hlines(y[bound], acted.loc[bound, "in_force"].clip(lower=left), stop, color=_BOUND, lw=4)
    out = acted["exit_notice"].notna()
    if out.any():
        eff = acted["exit_effective"].fillna(acted["exit_notice"])[out]
        ax.barh(
            y[out],
            (eff.clip(upper=end) - acted.loc[out, "exit_notice"]).dt.days,
            left=acted.loc[out, "exit_notice"],
            height=0.5,
            color=_NOTICE,
            edgecolor="black",
            hatch="////",
            lw=0.8,
        )
        done = eff <= end
        ax.plot(eff[done], y[out][done.to_numpy()], marker="X", color=_EXIT, mec="black", ms=9, ls="none")
    _acts(ax, acted, y, left)
    unsure = _uncertain_spans(ax, acted, y, left, end)
    ax.set_yticks(range(len(acted)), list(acted["treaty_name"][::-1]))
    ax.set_xlim(left - pd.Timedelta(days=300), end + pd.Timedelta(days=300))
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    since = f" (earlier acts ◁ at {left:%Y})" if pd.notna(earliest) and earliest < left else ""
    ax.set_title(f"{profile.name}: signature, consent, years bound and exits, as of {profile.on:%d %b %Y}{since}")
    _timeline_legend(ax, unsure)
    _fixed_layout(fig, ax, bottom=1.15 + 0.25 * unsure)
    return fig


def _uncertain_spans(ax, acted: pd.DataFrame, y, left: pd.Timestamp, end: pd.Timestamp) -> bool:
    """Where the sources bound an act's date and do not give the day, the span it may lie in (a dotted line with
    end caps, an open end running to the page's day), and the years the treaty may already have been in force
    (the bound line, light). The marks themselves sit at the late reading's day, as the table's words say.
    Returns whether anything was drawn (the legend then explains it)."""
    spans = []
    for col in ("signed", "consent", "exit_notice"):
        texts = acted.get(f"{col}_edtf", pd.Series("", index=acted.index)).fillna("")
        spans += [(y[row], *_span(texts[row], left, end)) for row in acted.index[texts.astype(bool)]]
    spans = [s for s in spans if s[1] <= s[2]]  # an act wholly before the left edge is its ◁ there
    _draw_spans(ax, spans)
    early = acted.get("in_force_early", pd.Series(pd.NaT, index=acted.index))
    maybe = early.notna() & (acted["in_force"].isna() | (early < acted["in_force"]))
    maybe &= acted["in_force"].isna() | (acted["in_force"] > left)  # not wholly before the left edge
    if maybe.any():
        stop = acted.loc[maybe, "in_force"].fillna(end)
        ax.hlines(y[maybe.to_numpy()], early[maybe].clip(lower=left), stop, color=_BOUND, lw=4, alpha=0.35)
    return bool(spans) or bool(maybe.any())


def _acts(ax, acted: pd.DataFrame, y, left: pd.Timestamp) -> None:
    """Signature ○ and deposit □ marks; acts before `left` drawn at the left edge as ◁."""
    for col, marker, face in (("signed", "o", _SIGNED), ("consent", "s", _DEPOSITED)):
        has = acted[col].notna()
        for early in (False, True):
            sel = has & ((acted[col] < left) if early else (acted[col] >= left))
            if sel.any():
                ax.plot(
                    acted.loc[sel, col].clip(lower=left),
                    y[sel.to_numpy()],
                    marker="<" if early else marker,
                    color="black",
                    mfc=face,
                    mec="black",
                    ms=7,
                    ls="none",
                )


def _span(text: str, left: pd.Timestamp, right: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day an EDTF date allows, within the figure's span (an open end runs to its edge)."""
    value = parse_edtf(text)
    first, last = (pd.Timestamp(d) if d else None for d in (value.earliest, value.latest))
    return max(first or left, left), min(last or right, right)


def _draw_spans(ax, spans: list) -> None:
    """Each (y, first, last) as a dotted line with end caps: the days an act the sources bound may lie in."""
    if spans:
        ax.hlines(*zip(*spans), color="black", lw=1.2, linestyles=(0, (1, 1)))
        ax.plot([s for _, s, _ in spans] + [e for *_, e in spans], [r for r, *_ in spans] * 2, marker="|",
                color="black", ms=8, ls="none")  # fmt: skip


def _timeline_legend(ax, unsure: bool = False) -> None:
    """The timeline's marks in words, under the plot (and the uncertain spans' mark where there are any)."""
    handles = [
        plt.Line2D([], [], marker="o", mfc=_SIGNED, mec="black", ls="none", label="signed"),
        plt.Line2D([], [], marker="s", mfc=_DEPOSITED, mec="black", ls="none", label="consent deposited"),
        plt.Line2D([], [], color=_BOUND, lw=4, label="in force for the state"),
        Patch(facecolor=_NOTICE, edgecolor="black", hatch="////", label="notice period"),
        plt.Line2D([], [], marker="X", color=_EXIT, mec="black", ls="none", label="exit in effect"),
    ]
    if unsure:
        handles.append(plt.Line2D([], [], color="black", lw=1.2, ls=(0, (1, 1)), marker="|", label=UNCERTAIN_BAND))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3 if unsure else 5, frameon=False)


def participation_curve(treaty: str, start=None, end=None, ds: Dataset | None = None) -> plt.Figure:
    """Parties (in force and deposited) and signatories over time, with each exit marked where it took effect."""
    ds = ds or load()
    tid = resolve_treaty(treaty, ds)
    counts = party_counts(tid, freq="D", start=start, end=end, ds=ds)
    fig, ax = plt.subplots(figsize=(10, 4.2))
    ax.plot(
        counts.index,
        counts["deposited"],
        color=_DEPOSITED,
        lw=1.5,
        ls="--",
        label="instrument deposited",
    )
    ax.plot(counts.index, counts["parties"], color=_BOUND, lw=2, label="bound (in force)")
    _uncertain_band(ax, counts)
    ax.plot(counts.index, counts["signatory"], color="black", lw=1, ls=":", label="signatory only")
    w = withdrawals(ds)
    w = w[(w["treaty"] == tid) & (w["kind"] == "withdrawal")]
    shown = w[(w["effective"] >= counts.index.min()) & (w["effective"] <= counts.index.max())]
    for i, r in enumerate(shown.sort_values("effective").itertuples()):
        y = counts.loc[r.effective, "parties"]
        ax.plot(r.effective, y, marker="v", color=_EXIT, mec="black", ms=8, ls="none")
        # labels of exits close in time are stacked, not printed over each other
        ax.annotate(
            r.state,
            (r.effective, y),
            textcoords="offset points",
            xytext=(-14, 10 + 9 * (i % 4)),
            ha="right",
            fontsize=7,
            arrowprops=dict(arrowstyle="-", color="grey", lw=0.5),
        )
    if len(shown):
        ax.plot([], [], marker="v", color=_EXIT, mec="black", ls="none", label="withdrawal takes effect")
    ax.set_ylabel("states")
    ax.set_ylim(0, max(1, counts[["deposited", "signatory"]].to_numpy().max()) * 1.3)
    ax.grid(color="#dddddd", lw=0.6)
    ax.legend(loc="upper left", frameon=False)
    ax.set_title(f"{ds.treaties.loc[tid, 'short_name']}: states bound, deposited and signatory over time")
    _fixed_layout(fig, ax, bottom=0.4, left=0.72)
    return fig


#: The legend's words for the band: the count lies between its edges, as the sources bound some acts' dates.
UNCERTAIN_BAND = "uncertain (sources bound the date)"


def _uncertain_band(ax, counts: pd.DataFrame) -> None:
    """The band between the fewest and the most states bound that the readings of the uncertain dates allow
    (``party_counts``' ``lower``/``upper``), in the colour of "bound", light, outlined (a band of one or two states is
    thin on a scale of 200) and hatched so a grey print shows it;
    nothing is drawn (and the figure stays as before) where every reading gives one count."""
    spread = counts["lower"].ne(counts["upper"])
    if not spread.any():
        return
    # where the spread starts and stops, the band closes on the line: one day either side keeps its edges
    shown = spread | spread.shift(1, fill_value=False) | spread.shift(-1, fill_value=False)
    ax.fill_between(counts.index, counts["lower"], counts["upper"], where=shown.to_numpy(), step="post",
                    facecolor=_BOUND, alpha=0.4, edgecolor=_BOUND, hatch="..", lw=0.6, label=UNCERTAIN_BAND)  # fmt: skip


def _lane_spans(w: pd.DataFrame) -> list:
    """Per lane whose notice or effect the sources bound (the DPRK's 2003 effect, Poland's CFE suspension): the
    span each may lie in, just under the lane (an open end runs to the figure's last day)."""
    left, right = w["notice_deposited"].min(), w["effective"].max()
    spans = []
    for i, r in enumerate(w.itertuples()):
        texts = {getattr(r, "notice_edtf", "") or "", effect_edtf(r) or ""} - {""}
        spans += [(len(w) - 1 - i - 0.3, *_span(text, left, right)) for text in sorted(texts)]
    return spans


def exits_swimlane(exits: pd.DataFrame | None = None, since=None, ds: Dataset | None = None) -> plt.Figure:
    """One lane per exit: from announcement (◇) through vote (▲) and notice (■) to effect (✕)."""
    w = withdrawals(ds) if exits is None else exits
    if since is not None:
        w = w[w["effective"] >= pd.Timestamp(since)]
    w = w.sort_values(["notice_deposited", "state"]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(10, 0.38 * max(len(w), 3) + 1.6))
    for i, r in w.iterrows():
        y = len(w) - 1 - i
        start = min(d for d in (r["announced"], r["parliament_vote"], r["notice_deposited"]) if pd.notna(d))
        ax.plot([start, r["notice_deposited"]], [y, y], color="grey", lw=2)
        ax.barh(
            y,
            max((r["effective"] - r["notice_deposited"]).days, 1),
            left=r["notice_deposited"],
            height=0.45,
            color=_NOTICE,
            edgecolor="black",
            hatch="////",
            lw=0.8,
        )
        for col, mk, face in (
            ("announced", "D", "white"),
            ("parliament_vote", "^", "grey"),
            ("notice_deposited", "s", _NOTICE),
            ("effective", "X", _EXIT),
        ):
            if pd.notna(r[col]):
                ax.plot(r[col], y, marker=mk, mfc=face, mec="black", color="black", ms=7, ls="none")
    spans = _lane_spans(w)
    _draw_spans(ax, spans)
    ax.set_yticks(range(len(w)), [f"{r.state} · {r.treaty_name}" for r in w.itertuples()][::-1], fontsize=8)
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    handles = [
        plt.Line2D([], [], marker=mk, mfc=face, mec="black", ls="none", label=lab)
        for mk, face, lab in (
            ("D", "white", "announced"),
            ("^", "grey", "parliament vote"),
            ("s", _NOTICE, "notice deposited"),
            ("X", _EXIT, "effect"),
        )
    ]
    handles.append(Patch(facecolor=_NOTICE, edgecolor="black", hatch="////", label="notice period"))
    if spans:
        handles.append(plt.Line2D([], [], color="black", lw=1.2, ls=(0, (1, 1)), marker="|", label=UNCERTAIN_BAND))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=5, frameon=False)
    ax.set_title("Exits across states: from announcement to effect" + (f", since {since}" if since else ""))
    fig.tight_layout()
    return fig
