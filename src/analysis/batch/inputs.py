"""What each report reads, as one hash: the stamp ``--resume`` compares, so that a rebuild after one row changes
builds the pages that show that row, the index, and nothing else.

A page's inputs are the package (its version and the text of its modules), the notebook and the template (in
``plan.stamp``), its parameters and day, the data's status date (every page prints it), the global tables the
page reads, and the rows it reads:

- a **country** page: the rows (``events.csv``, ``step_gaps.csv``) of the state, of its peers on its day (same
  M49 subregion, same group: ``peers.peers``'s definition) in every treaty, since the peer table shows all of
  them, and of the states whose records carry over into theirs (Russia's holds the USSR's); the registry
  (``treaties.csv``, ``states.csv``), ``groups.csv``, ``successions.csv``, ``lifetime_gaps.csv`` and the map's
  outlines;
- a **treaty** page: every row of that treaty; the same global tables but ``groups.csv`` (nothing on it reads
  the groups), the outlines, the raw sources ``datapackage.json`` describes, and today's date (the page gives
  the age of the treaty's record on the day it is built: ``currency``);
- the **overview** and the **research** pages: every row and every global table (they count across all).

Nothing in the hash depends on the order of rows in a file. What a page shows about the whole dataset (its
version, how many sources it has) is not an input: a page left as it was names the version it was built from,
and none of its inputs differs in the newer one (docs/reports.md, "Rebuilding only what changed").
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config

__all__ = ["Inputs", "package_hash"]

#: The global inputs of each kind of page (``Inputs.globals`` computes them).
GLOBALS = {
    "country": ("package", "status_date", "treaties", "states", "groups", "successions", "gaps", "outlines"),
    "treaty": ("package", "status_date", "treaties", "states", "successions", "gaps", "outlines", "sources", "today"),
}
#: The overview and the research pages: every row, and every table (not today: they give no age).
_EVERYTHING = GLOBALS["country"]


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:16]


def _frame_hash(frame: pd.DataFrame) -> str:
    """A table's content, whatever the order of its rows."""
    if not len(frame):
        return _digest("empty", *frame.columns)
    rows = np.sort(pd.util.hash_pandas_object(frame.reset_index(drop=True), index=False).to_numpy())
    return _digest(*frame.columns, hashlib.sha256(rows.tobytes()).hexdigest())


def package_hash() -> str:
    """The package's version and the text of its modules and templates: a change to the code rebuilds all."""
    from ..about import __version__

    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".j2", ".css", ".js", ".json") and "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:10]}"


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return "missing"


def _raw_sources() -> str:
    """The list of raw sources ``datapackage.json`` describes (what ``currency`` reads), not its checksums."""
    try:
        return json.dumps(json.loads(config.datapackage_file().read_text(encoding="utf-8")).get("sources", []))
    except (OSError, ValueError):
        return "none"


class Inputs:
    """The hashes of one dataset's rows and tables, made once per build; ``of(job)`` is one page's inputs."""

    def __init__(self, ds, today: date | None = None):
        from ..lifetimes import links

        self.ds = ds
        self.today = today or date.today()
        rows = [ds.events[["state", "treaty"]], ds.step_gaps[["state", "treaty"]]]
        hashes = [pd.util.hash_pandas_object(f.reset_index(drop=True), index=False) for f in (ds.events, ds.step_gaps)]
        table = pd.concat([r.assign(h=h.to_numpy()) for r, h in zip(rows, hashes)], ignore_index=True)
        self.by_state = _grouped(table, "state")
        self.by_treaty = _grouped(table, "treaty")
        self.all_rows = _digest(*sorted(self.by_state.items()))
        carry, _ = links(ds)
        self.carried = {succ: [pred for pred, _ in preds] for succ, preds in carry.items()}
        self._globals: dict[str, str] = {}
        self._peers: dict[pd.Timestamp, _PeerIndex] = {}

    def globals(self, names) -> list[str]:
        return [f"{name}={self._global(name)}" for name in names]

    def _global(self, name: str) -> str:
        if name not in self._globals:
            ds = self.ds
            make = {
                "package": package_hash,
                "status_date": lambda: ds.status_date.isoformat(),
                "treaties": lambda: _frame_hash(ds.treaties),
                "states": lambda: _frame_hash(ds.states),
                "groups": lambda: _frame_hash(ds.groups),
                "successions": lambda: _frame_hash(ds.successions),
                "gaps": lambda: _frame_hash(ds.gaps),
                "outlines": lambda: _file_hash(config.geometry_file()),
                "sources": _raw_sources,
                "today": lambda: self.today.isoformat(),
            }[name]
            self._globals[name] = make()
        return self._globals[name]

    def of(self, job) -> str:
        """The hash of everything the page of `job` reads (16 hex digits)."""
        if job.kind == "country":
            day = self.day(job)
            states = self.with_records(self.peer_states(job.key, day) | {job.key})
            rows = [(s, self.by_state.get(s, "none")) for s in sorted(states)]
            return _digest("country", job.key, day.date(), *self.globals(GLOBALS["country"]), *rows)
        if job.kind == "treaty":
            day = self.day(job)
            rows = self.by_treaty.get(job.key, "none")
            return _digest("treaty", job.key, day.date(), *self.globals(GLOBALS["treaty"]), rows)
        return _digest(
            job.kind, job.key, json.dumps(job.params, sort_keys=True), *self.globals(_EVERYTHING), self.all_rows
        )

    def day(self, job) -> pd.Timestamp:
        """The page's day, as the notebook resolves it (a former state's report: its last day)."""
        from .. import params

        country = job.key if job.kind == "country" else None
        return pd.Timestamp(params.as_of(job.params.get("as_of"), self.ds, country=country))

    def with_records(self, states: set[str]) -> set[str]:
        """The states and, transitively, those whose records carry over into theirs (the USSR's into Russia's)."""
        todo, seen = list(states), set(states)
        while todo:
            for pred in self.carried.get(todo.pop(), []):
                if pred not in seen:
                    seen.add(pred)
                    todo.append(pred)
        return seen

    def peer_states(self, iso3: str, day: pd.Timestamp) -> set[str]:
        """The states a country page shows as peers on `day` (``peers.peers``: subregion or group, alive)."""
        if day not in self._peers:
            self._peers[day] = _PeerIndex(self.ds, day)
        return self._peers[day].of(iso3)


class _PeerIndex:
    """Subregions, group members and the states alive on one day, so that each page's peers are set lookups."""

    def __init__(self, ds, day: pd.Timestamp):
        from ..lifetimes import existing

        st, g = ds.states, ds.groups
        self.subregion = {s: sub for s, sub in zip(st.index, st["subregion"]) if sub}
        self.by_subregion: dict[str, set[str]] = {}
        for s, sub in self.subregion.items():
            self.by_subregion.setdefault(sub, set()).add(s)
        now = g[(g["joined"] <= day) & (g["left"].isna() | (g["left"] >= day))]
        self.members = now.groupby("group")["iso3"].agg(set).to_dict()
        self.groups_of = now.groupby("iso3")["group"].agg(set).to_dict()
        self.alive = set(existing(ds, day))

    def of(self, iso3: str) -> set[str]:
        related = set(self.by_subregion.get(self.subregion.get(iso3, ""), ()))
        for group in self.groups_of.get(iso3, ()):
            related |= self.members[group]
        return related & self.alive


def _grouped(table: pd.DataFrame, key: str) -> dict[str, str]:
    """Each state's (or treaty's) rows as one hash, whatever their order."""
    return {name: _digest(*sorted(part["h"].tolist())) for name, part in table.groupby(key, sort=True)}
