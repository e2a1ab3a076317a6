"""What a person types, read once and one way: a treaty's name, a day, and how far the record of a treaty goes.

A wrong answer to a well-typed question is worse than a refusal, so nothing here guesses: an empty name is
refused, a name that fits several treaties ("Test Ban": the partial or the comprehensive one?) is refused with
the candidates listed, and a day is read by the one day parser. The default day is the dataset's status date,
not today: the data say nothing about days they were not checked on. A day after a treaty's ``known_until`` is
answered with a ``BeyondRecordWarning`` that names the day the record stops.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import warnings
from contextlib import contextmanager
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from .dataset import Dataset, load
from .schema import STEP_ACTIONS, describe_edtf, parse_day

__all__ = [
    "check_span",
    "MAX_PANEL_CELLS",
    "UnknownTreatyError",
    "record_end_said_in_words",
    "BeyondRecordWarning",
    "Status",
    "resolve_treaty",
    "resolve_treaties",
    "as_day",
    "record_end",
    "beyond_record",
    "later_source",
    "record_flags",
    "suspension_not_on_page",
    "act_day",
]


class UnknownTreatyError(ValueError):
    """A treaty name the registry does not know, or knows for several treaties; the message lists candidates."""


class BeyondRecordWarning(UserWarning):
    """A day after the last day a treaty's record was checked: statuses on it are projected, not recorded."""


@contextmanager
def record_end_said_in_words():
    """Silence ``BeyondRecordWarning`` where the caller says the record's end in its own words (a page, a sentence):
    a warning raised in a kernel lands on the page with the path of the code."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BeyondRecordWarning)
        yield


def normalize_name(text: str) -> str:
    """Lower-case, accent-free words of letters and digits: 'Nuclear-Test-Ban' and 'nuclear test ban' agree."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@lru_cache(maxsize=4)
def _names(ds: Dataset) -> dict[str, tuple[set[str], set[str]]]:
    """Each treaty id → (the names a person types: id, short name, UN number, aliases; its full title), normalized.

    The two are kept apart because a word found only inside a full title says little: "Moon" is in the Outer
    Space Treaty's title ("... including the Moon and Other Celestial Bodies") but names the Moon Agreement.
    """
    names = {}
    for tid, row in ds.treaties.iterrows():
        aliases = row.get("aliases", "")
        typed = [tid, row["short_name"], row.get("mtdsg", "")]
        typed += aliases.split("|") if isinstance(aliases, str) else []
        typed_set = {normalize_name(s) for s in typed if isinstance(s, str) and normalize_name(s)}
        title = {normalize_name(row["full_name"])} if isinstance(row["full_name"], str) else set()
        names[tid] = (typed_set, title - {""})
    return names


def _within(key: str, spellings: set[str]) -> bool:
    return any(f" {key} " in f" {s} " for s in spellings)


def _listed(tids, ds: Dataset) -> str:
    return ", ".join(f"{ds.treaties.loc[t, 'short_name']} ({t})" for t in sorted(tids))


def resolve_treaty(treaty: str, ds: Dataset | None = None) -> str:
    """The treaty id for an id, a name, a UN number or a common alias ('Ottawa', 'Mine Ban Convention').

    A name that is exactly one treaty's wins. Otherwise the words typed must stand in a name of exactly one
    treaty (id, short name, UN number, alias) and in no other treaty's names or full title: a name found in
    several is refused with them listed ("START": START I or New START?), and words found only inside one full
    title are refused with that treaty named, never taken for it silently. An unknown name lists close matches.
    """
    ds = ds or load()
    if not isinstance(treaty, str) or not treaty.strip():
        raise UnknownTreatyError(f"Empty treaty name {treaty!r}: give an id or a name, e.g. 'apmbc' or 'Ottawa'.")
    key, names = normalize_name(treaty), _names(ds)
    exact = [tid for tid, (typed, title) in names.items() if key in typed | title]
    if len(exact) == 1:
        return exact[0]
    named = {tid for tid, (typed, _) in names.items() if _within(key, typed)}
    within = exact or sorted(named | {tid for tid, (_, title) in names.items() if _within(key, title)})
    if len(within) > 1:
        raise UnknownTreatyError(f"Ambiguous treaty {treaty!r}: it could be {_listed(within, ds)}; give the id.")
    if within and within[0] in named:
        return within[0]
    if within:
        raise UnknownTreatyError(
            f"Treaty {treaty!r} is not a name in the registry: the words only appear in the full title of "
            f"{_listed(within, ds)}; give its id if you mean it."
        )
    pool = {spelling: tid for tid, (typed, title) in names.items() for spelling in typed | title}
    close = dict.fromkeys(pool[c] for c in difflib.get_close_matches(key, list(pool), n=5, cutoff=0.5))
    hint = f" Did you mean: {_listed(close, ds)}?" if close else ""
    raise UnknownTreatyError(f"Unknown treaty {treaty!r}.{hint} Known ids: {', '.join(ds.treaties.index)}")


def resolve_treaties(treaties, ds: Dataset | None = None) -> list[str]:
    """Treaty ids for one treaty or several, each read as ``resolve_treaty`` reads it; a bare string is one
    treaty (``"ccm"``, never the letters c, c, m)."""
    items = [treaties] if isinstance(treaties, str) else treaties
    try:
        return [resolve_treaty(item, ds) for item in items]
    except TypeError:
        raise UnknownTreatyError(f"{treaties!r} is not a treaty or a list of treaties") from None


def as_day(on, name: str = "on", ds: Dataset | None = None) -> pd.Timestamp:
    """A day as a Timestamp at midnight, read by the one day parser; None means the dataset's status date."""
    if on is None:
        return pd.Timestamp((ds or load()).status_date)
    return pd.Timestamp(parse_day(on, name))


def record_end(treaty_id: str, ds: Dataset) -> date | None:
    """The last day the treaty's record was checked (``known_until``); None when it is not recorded."""
    end = ds.treaties.loc[treaty_id].get("known_until")
    return end.date() if end is not None and pd.notna(end) else None


def beyond_record(treaty_ids, day, ds: Dataset, stacklevel: int = 3) -> dict[str, date]:
    """The treaties whose record stops before ``day`` (id → last day), with one warning naming them."""
    day = parse_day(day, "day")
    ends = {tid: record_end(tid, ds) for tid in treaty_ids}
    past = {tid: end for tid, end in ends.items() if end is not None and day > end}
    if past:
        listed = "; ".join(f"{ds.treaties.loc[t, 'short_name']} on {end.isoformat()}" for t, end in past.items())
        warnings.warn(
            f"{day.isoformat()} is after the day the record stops ({listed}): statuses then are projected from "
            f"the record, not recorded",
            BeyondRecordWarning,
            stacklevel=stacklevel,
        )
    return past


class Status(str):
    """A status as a string of the vocabulary, and whether it is projected past the treaty's record.

    ``projected`` is true when the day is after the treaty's ``known_until`` and the status changed since that
    day (a withdrawal pending at the record's end, projected to take effect): ``label`` says so in words.
    ``later_source`` names the source when the change rests on an act dated after ``known_until`` (known from a
    later source than the depositary's record, e.g. Tonga's TPNW accession of 2026-07-07): ``label`` says so too.

    ``certain`` is false when the readings of a date known less precisely than a day give different statuses on
    the day (``readings``): ``possible`` lists them, from the early reading to the late one, the string itself is
    the late reading's (each act counted once it surely happened), and ``label`` says it in words: "party or
    signatory: the ratification is dated between 10 Apr 1972 and 6 Mar 1979".
    """

    projected: bool = False
    known_until: date | None = None
    at_record_end: str | None = None
    later_source: str | None = None
    certain: bool = True
    because: str | None = None  # the uncertain dates, in words
    _possible: tuple[str, ...] = ()
    #: a suspension the depositary's status page does not record, in words (data/README.md, "Suspension ...")
    not_on_depositary_page: str | None = None

    @property
    def possible(self) -> tuple[str, ...]:
        """The statuses the readings allow on the day (one, when the status is certain)."""
        return self._possible or (str(self),)

    @property
    def label(self) -> str:
        text = self._label()
        return f"{text} ({self.not_on_depositary_page})" if self.not_on_depositary_page else text

    def _label(self) -> str:
        if not self.certain:
            return f"{' or '.join(self.possible)}: {self.because}"
        if self.later_source:
            return (
                f"{self} (known from a later source than the record, which stops on {self.known_until.isoformat()} "
                f"with the status {self.at_record_end}: {self.later_source})"
            )
        if not self.projected:
            return str(self)
        return (
            f"{self} (projected: the record stops on {self.known_until.isoformat()}, when the status was "
            f"{self.at_record_end})"
        )


def later_source(ds: Dataset, iso3: str, tid: str, end: date, day: pd.Timestamp) -> str | None:
    """The pair's acts dated after the record's end (and by ``day``), with their sources, in words."""
    ev = ds.events.assign(date=act_day(ds.events))
    after = ev[(ev["state"] == iso3) & (ev["treaty"] == tid) & (ev["date"] > pd.Timestamp(end)) & (ev["date"] <= day)]
    if not len(after):
        return None
    acting = after[~after["action"].isin(STEP_ACTIONS + ("declaration", "communication", "note"))]
    after = acting if len(acting) else after  # the acts that change a status, not the domestic steps
    texts = after["date_edtf"].fillna("") if "date_edtf" in after else pd.Series("", index=after.index)
    acts = "; ".join(
        f"{action} dated {describe_edtf(text)}" if text else f"{action} of {day:%Y-%m-%d}"
        for action, day, text in zip(after["action"], after["date"], texts)
    )
    sources = "; ".join(
        f"{source} of {day:%Y-%m-%d}" if pd.notna(day) else source
        for source, day in dict(zip(after["source"], after["source_date"])).items()
    )
    return f"{acts}, from {sources}"


def suspension_not_on_page(ds: Dataset, iso3: str, tid: str, day: pd.Timestamp) -> str | None:
    """A UN-deposited treaty's suspension, on record from another source, dated within the depositary page's record
    (on or before ``known_until``) and in force on ``day``: the page disagrees, in words; else None."""
    end, treaty = record_end(tid, ds), ds.treaties.loc[tid]
    if end is None or not isinstance(treaty.get("untc_file"), str) or not treaty.get("untc_file"):
        return None
    ev = ds.events
    acts = ev[(ev["state"] == iso3) & (ev["treaty"] == tid) & (ev["action"] == "suspension")]
    acts = acts[(act_day(acts) <= min(pd.Timestamp(end), day)) & (acts["source_kind"] != "depositary")]
    if not len(acts):
        return None
    first = act_day(acts).min()
    return (
        f"suspended by its notice of {first:%Y-%m-%d}, which the depositary's status page, as at {end:%Y-%m-%d}, "
        "does not record"
    )


def record_flags(ds: Dataset, tr: pd.DataFrame, pairs: pd.DataFrame, codes: np.ndarray, day: pd.Timestamp):
    """Per state x treaty (``pairs``, with their status ``codes`` on ``day``): (projected, later_source) arrays.

    The rule of ``Status``: past the treaty's ``known_until`` a status that differs from the one at the record's
    end is *later source* when the pair has an act dated after that end (by ``day``), else *projected*.
    ``tr`` is the status engine's step table (state, treaty, date, code).
    """
    known = _known_until(ds)
    beyond = (pd.to_datetime(pairs["treaty"].map(known)) < day).to_numpy()
    if not beyond.any():
        return np.zeros(len(pairs), bool), np.zeros(len(pairs), bool)
    # only the pairs past their record are looked up, in dicts and sets (MultiIndex lookups cost 3 ms a table)
    key = list(zip(pairs["state"].to_numpy()[beyond], pairs["treaty"].to_numpy()[beyond]))
    ends = _codes_at_record_end(ds, tr)
    at_end = np.array([ends.get(pair, 0) for pair in key], dtype=np.int64)
    later = _acts_after_record(ds)
    later = later[later["date"] <= day]
    said_later, recorded = set(zip(later["state"], later["treaty"])), np.zeros(len(pairs), bool)
    recorded[beyond] = [pair in said_later for pair in key]
    changed = beyond.copy()
    changed[beyond] = at_end != np.asarray(codes)[beyond]
    return changed & ~recorded, changed & recorded


def _known_until(ds: Dataset) -> pd.Series:
    return ds.treaties.get("known_until", pd.Series(pd.NaT, index=ds.treaties.index))


# The two day-independent halves of record_flags, once per dataset: a status table is drawn per report and per
# peer map, and recomputing them over every pair each time tripled its cost (11 -> 28 ms).
_END_CODES: list = []  # [(ds, tr, codes)]: the objects themselves are kept, so an identity test cannot be fooled


def _codes_at_record_end(ds: Dataset, tr: pd.DataFrame) -> dict:
    """Each (state, treaty) pair's status code on its treaty's ``known_until``."""
    if not (_END_CODES and _END_CODES[0][0] is ds and _END_CODES[0][1] is tr):
        steps = tr.assign(end=tr["treaty"].map(_known_until(ds)))
        steps = steps[steps["date"] <= steps["end"]].drop_duplicates(["state", "treaty"], keep="last")
        _END_CODES[:] = [(ds, tr, dict(zip(zip(steps["state"], steps["treaty"]), steps["code"])))]
    return _END_CODES[0][2]


@lru_cache(maxsize=4)
def _acts_after_record(ds: Dataset) -> pd.DataFrame:
    """The events dated after their treaty's ``known_until`` (known from a later source, or projected past it)."""
    ev = ds.events.assign(end=ds.events["treaty"].map(_known_until(ds)), date=act_day(ds.events))
    return ev[ev["date"] > ev["end"]]


def act_day(events: pd.DataFrame) -> pd.Series:
    """Each act's day, and for an act dated less precisely its first possible day (else its last): the day an act
    is surely not before, as the record's end is compared with it."""
    if "date_earliest" not in events:
        return events["date"]
    return events["date"].fillna(events["date_earliest"]).fillna(events["date_latest"])


#: The most state × treaty × period cells a panel may span before it is built (a daily panel over a century
#: is some 180 million rows: it would exhaust the memory, not answer). The full monthly panel is about 6 million.
MAX_PANEL_CELLS = 15_000_000


def check_span(first, last, freq: str, pairs: int = 1, periods: int = 0) -> None:
    """A start after the end, or a panel of more than ``MAX_PANEL_CELLS`` cells, refused in one line before
    anything is built (an inverted range used to give rows that end before they start)."""
    if first > last:
        raise ValueError(f"the start {first:%Y-%m-%d} is after the end {last:%Y-%m-%d}: give a start before the end")
    if pairs * periods > MAX_PANEL_CELLS:
        raise ValueError(
            f"a {freq} panel from {first:%Y-%m-%d} to {last:%Y-%m-%d} spans {pairs:,} state × treaty pairs × "
            f"{periods:,} periods, more than {MAX_PANEL_CELLS:,} rows: give a start and an end closer together, "
            "or Y or M"
        )
