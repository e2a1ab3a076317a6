"""States registry and country-name resolution.

``data/states.csv`` holds one row per state or entity that appears in any source (ISO 3166-1, plus
ISO 3166-3 codes for states that no longer exist: SUN, CSK, YUG, SCG, DDR, YMD). ``data/groups.csv``
holds dated NATO and EU memberships. This module reads both and maps any name the sources use
(ISO3, ISO2, English, official and depositary names) to one ISO3 code.

The data folder is ``config.DATA_DIR`` (the repository's ``data/``, or ``TREATY_EXITS_DATA``); the column
lists come from ``schema``. This module imports nothing else from ``analysis``.
"""

from __future__ import annotations

import difflib
import functools
import html
import re
import unicodedata
from pathlib import Path

import pandas as pd

from . import config
from .schema import GROUPS_COLUMNS, STATES_COLUMNS

__all__ = [
    "UnknownCountryError",
    "states",
    "groups",
    "resolve_country",
    "resolve_countries",
    "source_country",
    "country_name",
    "normalize_name",
]


class UnknownCountryError(ValueError):
    """A country name or code that the states registry does not know."""


# ---- reading the files ----------------------------------------------------------------------


def _check(path: Path) -> Path:
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found (analysis.config.DATA_DIR={config.DATA_DIR}; "
            "set TREATY_EXITS_DATA to the directory holding states.csv and groups.csv)"
        )
    return path


@functools.lru_cache(maxsize=4)
def _read_states(path: Path) -> pd.DataFrame:
    path = _check(path)
    # dtype=str + keep_default_na=False: Namibia's ISO2 "NA" and Norway's "NO" stay strings.
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig")
    missing = [c for c in STATES_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    bad = df.loc[~df["iso3"].str.fullmatch(r"[A-Z]{3}"), "iso3"].tolist()
    if bad:
        raise ValueError(f"{path}: iso3 must be three capital letters, got {bad[:5]}")
    dup = df.loc[df["iso3"].duplicated(), "iso3"].tolist()
    if dup:
        raise ValueError(f"{path}: duplicate iso3 {dup}")
    if not df["historical"].isin(["true", "false"]).all():
        raise ValueError(f"{path}: historical must be 'true' or 'false'")
    df["historical"] = df["historical"].eq("true")
    return df


def states() -> pd.DataFrame:
    """The states registry (data/states.csv), one row per state; all columns are strings except
    ``historical`` (bool). Empty cells are "" (never NaN), so ISO2 "NA" (Namibia) stays "NA"."""
    return _read_states(config.data_dir() / "states.csv").copy()


@functools.lru_cache(maxsize=4)
def _read_groups(path: Path) -> pd.DataFrame:
    path = _check(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig")
    missing = [c for c in GROUPS_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    for col in ("joined", "left"):
        try:
            df[col] = pd.to_datetime(df[col].replace("", None), format="%Y-%m-%d")
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{path}: column {col!r} must hold YYYY-MM-DD dates: {exc}") from None
    return df


def groups() -> pd.DataFrame:
    """Group memberships (data/groups.csv): group, iso3, joined, left (datetime; NaT = still a
    member; ``left`` is the last day of membership), source."""
    return _read_groups(config.data_dir() / "groups.csv").copy()


# ---- names ----------------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
_NOT_LETTERS = re.compile(r"[^a-z]+")


def normalize_name(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form of a name, used as the lookup key.

    HTML entities are decoded, footnote digits dropped, apostrophes removed, "&" read as "and",
    and "St." read as "Saint": ``normalize_name("Côte d'Ivoire 3") == "cote divoire"``.
    """
    t = html.unescape(text)
    t = unicodedata.normalize("NFKD", t)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.casefold().replace("&", " and ")
    t = _APOSTROPHES.sub("", t)
    t = _NOT_LETTERS.sub(" ", t)  # digits (footnote markers), brackets, dots, commas ...
    words = ["saint" if w == "st" else w for w in t.split()]
    return " ".join(words)


def _without_the(key: str) -> str:
    return " ".join(w for w in key.split() if w != "the")


class _Index:
    """Lookup tables built once from states.csv."""

    def __init__(self, df: pd.DataFrame):
        self.exact: dict[str, str] = {}  # the strings exactly as written in states.csv
        self.keys: dict[str, str] = {}  # normalized names -> iso3
        self.names: dict[str, str] = dict(zip(df["iso3"], df["name"]))
        self.display: dict[str, tuple[str, str]] = {}  # normalized name -> (as written, iso3)
        self.ambiguous: dict[str, set[str]] = {}  # ISO2 codes shared by several rows
        self.codes: dict[str, str] = {}
        self.loose: dict[str, str] = {}
        self._add_names(df)
        self._add_codes(df)
        self._add_loose_names()

    def _add_names(self, df: pd.DataFrame) -> None:
        """Every name, official name and alias; a name that points to two states is an error in states.csv."""
        conflicts: list[str] = []
        for row in df.itertuples(index=False):
            for raw in [row.name, row.official_name, *row.aliases.split("|")]:
                raw = raw.strip()
                key = normalize_name(raw) if raw else ""
                if not key:
                    continue
                other = self.keys.get(key)
                if other is not None and other != row.iso3:
                    conflicts.append(f"{raw!r} -> {other} and {row.iso3}")
                    continue
                self.keys[key] = row.iso3
                self.display.setdefault(key, (raw, row.iso3))
                self.exact[raw] = row.iso3
        if conflicts:
            raise ValueError("states.csv: a name points to two states: " + "; ".join(conflicts))

    def _add_codes(self, df: pd.DataFrame) -> None:
        """ISO3 always; ISO2 unless two rows share it (ISO 3166-3 reused "CS" for CSK and SCG)."""
        iso2_owners: dict[str, set[str]] = {}
        for row in df.itertuples(index=False):
            if row.iso2:
                iso2_owners.setdefault(row.iso2.lower(), set()).add(row.iso3)
        for row in df.itertuples(index=False):
            self.codes[row.iso3.lower()] = row.iso3
        for code, owners in iso2_owners.items():
            if len(owners) > 1:
                self.ambiguous[code] = owners
                continue
            (iso3,) = owners
            if self.codes.get(code, iso3) != iso3:
                raise ValueError(f"states.csv: code {code.upper()} is both an ISO2 and an ISO3")
            self.codes[code] = iso3
        for code, iso3 in self.codes.items():
            other = self.keys.get(code)
            if other is not None and other != iso3:
                raise ValueError(f"states.csv: {code!r} is a code of {iso3} and a name of {other}")
            self.exact.setdefault(code.upper(), iso3)

    def _add_loose_names(self) -> None:
        """A second, looser key: the same name without "the" ("Gambia, The", "Bahamas (The)"), unless it clashes."""
        clash: set[str] = set()
        for key, iso3 in self.keys.items():
            loose = _without_the(key)
            if self.loose.get(loose, iso3) != iso3:
                clash.add(loose)
            self.loose[loose] = iso3
        for loose in clash:
            del self.loose[loose]

    def find(self, text: str) -> str | None:
        hit = self.exact.get(text)
        if hit is not None:
            return hit
        key = normalize_name(text)
        if not key:
            return None
        compact = key.replace(" ", "")
        if len(compact) <= 3 and compact in self.codes and compact == key:
            return self.codes[compact]
        hit = self.keys.get(key)
        if hit is not None:
            return hit
        if "," in text:  # "Korea, Republic of" -> "Republic of Korea"
            head, _, tail = text.partition(",")
            hit = self.keys.get(normalize_name(f"{tail} {head}"))
            if hit is not None:
                return hit
        return self.loose.get(_without_the(key))

    def suggest(self, text: str, n: int = 3) -> list[str]:
        key = normalize_name(text)
        if not key:
            return []
        pool = list(self.display)
        if len(key.replace(" ", "")) <= 3:
            pool += [c for c in self.codes if len(c) == 3]
        out: list[str] = []
        seen: set[str] = set()
        for cutoff in (0.6, 0.4, 0.0):
            for match in difflib.get_close_matches(key, pool, n=10 * n, cutoff=cutoff):
                if match in self.display:
                    shown, iso3 = self.display[match]
                else:
                    iso3 = self.codes[match]
                    shown = self.names[iso3]
                if iso3 in seen:
                    continue
                seen.add(iso3)
                out.append(f"{shown} ({iso3})")
                if len(out) == n:
                    return out
            if out:
                return out
        return out


@functools.lru_cache(maxsize=4)
def _index_for(path: Path) -> _Index:
    return _Index(_read_states(path))


_LAST: tuple[object, _Index] | None = None


def _index() -> _Index:
    # built once per DATA_DIR (functools cache); the identity check keeps the hot path a dict hit
    global _LAST
    last = _LAST
    if last is not None and last[0] is config.DATA_DIR:
        return last[1]
    idx = _index_for(config.data_dir() / "states.csv")
    _LAST = (config.DATA_DIR, idx)
    return idx


def _shared_words(df: pd.DataFrame) -> dict[str, list[str]]:
    """One-word names that are a word of the common names of two or more current states ('Congo', 'Korea',
    'Guinea', 'Sudan'): typed alone, they are ambiguous and refused with the candidates, never guessed."""
    owners: dict[str, set[str]] = {}
    for row in df[~df["historical"]].itertuples(index=False):
        for word in set(normalize_name(row.name).split()):
            owners.setdefault(word, set()).add(row.iso3)
    return {word: sorted(codes) for word, codes in owners.items() if len(codes) > 1}


@functools.lru_cache(maxsize=4)
def _shared_for(path: Path) -> dict[str, list[str]]:
    return _shared_words(_read_states(path))


def source_country(text: str) -> str:
    """ISO3 code for a name as a source spells it: the depositary's 'Congo' is the Republic of the Congo.

    The parsers use this one; a person's input goes through ``resolve_country``, which refuses ambiguous names.
    """
    if not isinstance(text, str):
        raise TypeError(f"source_country expects a str, got {type(text).__name__}: {text!r}")
    idx = _index()
    hit = idx.find(text)
    if hit is not None:
        return hit
    owners = idx.ambiguous.get(normalize_name(text).replace(" ", ""))
    if owners:
        listed = ", ".join(f"{idx.names[c]} ({c})" for c in sorted(owners))
        raise UnknownCountryError(f"Ambiguous country code {text!r}: ISO 3166 used it for {listed}; use the ISO3 code.")
    suggestions = idx.suggest(text)
    hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
    raise UnknownCountryError(f"Unknown country {text!r}.{hint}")


def resolve_country(text: str) -> str:
    """ISO3 code for a state name or code typed by a person.

    Accepts ISO3 (any case), ISO2, English names, official names and the sources' names
    (depositary spellings such as "Bolivia (Plurinational State of)", "Türkiye", "Swaziland",
    "Holy See"), ignoring case, accents, punctuation and footnote digits. An empty name is refused, and so is a
    one-word name shared by several states ("Congo", "Korea", "Guinea", "Sudan"), with the candidates listed.
    Raises ``UnknownCountryError`` (a ``ValueError``) naming the input and close matches.
    """
    if isinstance(text, str) and not text.strip():
        raise UnknownCountryError("Empty country name: give an ISO3 code or a name, e.g. 'LTU' or 'Lithuania'.")
    if isinstance(text, str) and text.strip().lower() not in _index().codes:
        shared = _shared_for(config.data_dir() / "states.csv").get(normalize_name(text))
        if shared and " " not in normalize_name(text):
            names = _index().names
            listed = ", ".join(f"{names[code]} ({code})" for code in shared)
            raise UnknownCountryError(f"Ambiguous country {text!r}: it could be {listed}; give the ISO3 code.")
    return source_country(text)


def resolve_countries(states) -> list[str]:
    """ISO3 codes for one state or several, each read as ``resolve_country`` reads it: a name, an alias, an ISO3
    or ISO2 code. A bare string is one state (``"LTU"``, never the letters L, T, U); anything else that is not
    a name is refused, so that no selection comes back silently empty."""
    items = [states] if isinstance(states, str) else states
    try:
        items = list(items)
    except TypeError:
        raise UnknownCountryError(f"{states!r} is not a state or a list of states") from None
    bad = next((item for item in items if not isinstance(item, str)), None)
    if bad is not None:
        raise UnknownCountryError(f"{bad!r} is not a state's name or code")
    return [resolve_country(item) for item in items]


def country_name(iso3: str) -> str:
    """Common English name for a state (an ISO3 code; any input resolve_country accepts works)."""
    code = resolve_country(iso3)
    return _index().names[code]
