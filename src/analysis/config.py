"""Where everything lives: one root, every path derived from it, each resolved once.

Every module asks this one for a path; none builds its own from ``__file__``. Overrides come from the
environment (read once, here) or from a function's argument (``data_dir=...``), in that order of precedence:
argument, environment, default.

| path            | default                                   | environment              |
|-----------------|-------------------------------------------|--------------------------|
| ``DATA_DIR``    | ``<checkout>/data``                        | ``TREATY_EXITS_DATA``     |
| ``SHARED_DIR``  | ``<checkout>/../shared/data`` (read only)  | ``TREATY_EXITS_SHARED``   |
| ``NOTEBOOKS_DIR`` | ``<checkout>/notebooks``                 | ``TREATY_EXITS_NOTEBOOKS`` |
| ``TEMPLATES_DIR`` | ``analysis/templates`` (in the package)  |                          |

A relative path in the environment is resolved against the caller's working directory, once, at import.
This module imports nothing from ``analysis``: it is the ground floor.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "PACKAGE_DIR",
    "REPO_ROOT",
    "DATA_DIR",
    "SHARED_DIR",
    "UNTC_DIR",
    "NOTEBOOKS_DIR",
    "TEMPLATES_DIR",
    "REPORT_TEMPLATE",
    "data_dir",
    "shared_dir",
    "untc_dir",
    "notebooks_dir",
    "source_dir",
]

#: The installed package's folder (``src/analysis`` in a checkout).
PACKAGE_DIR: Path = Path(__file__).resolve().parent
#: The checkout's root (meaningful only when the package runs from a checkout).
REPO_ROOT: Path = PACKAGE_DIR.parents[1]


def _from_env(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else None


#: The dataset: ``data/*.csv``, ``datapackage.json``.
DATA_DIR: Path = _from_env("TREATY_EXITS_DATA") or REPO_ROOT / "data"
#: The raw sources, read only, never copied into the repository (see each folder's README).
SHARED_DIR: Path = _from_env("TREATY_EXITS_SHARED") or REPO_ROOT.parent / "shared" / "data"
#: The report notebooks.
NOTEBOOKS_DIR: Path = _from_env("TREATY_EXITS_NOTEBOOKS") or REPO_ROOT / "notebooks"
#: nbconvert templates and the index page's template, CSS and JavaScript.
TEMPLATES_DIR: Path = PACKAGE_DIR / "templates"
#: The nbconvert template that renders a report page.
REPORT_TEMPLATE = "treaty_exits"

#: The folder of each raw source inside ``SHARED_DIR``, by the name the builders use.
SOURCE_FOLDERS = {
    "untc": "untc-status-2026-02-03",
    "untc2014": "untc-status-2014",
    "unoda2018": "unoda-states-2018",
    "timeline2026": "unoda-timeline-2026-08-22",
    "icrc2020": "icrc-ihl-2020-11-09",
}


def _given(path: Path | str | None) -> Path | None:
    return Path(path).expanduser().resolve() if path is not None else None


def data_dir(override: Path | str | None = None) -> Path:
    """The data folder: the argument if given, else ``DATA_DIR`` (looked up now, so tests can patch it)."""
    return _given(override) or DATA_DIR


def shared_dir(override: Path | str | None = None) -> Path:
    """The folder of raw sources (``../shared/data`` beside a checkout)."""
    return _given(override) or SHARED_DIR


def source_dir(name: str, shared: Path | str | None = None) -> Path:
    """One raw source's folder inside the shared folder, by its name in ``SOURCE_FOLDERS``."""
    return shared_dir(shared) / SOURCE_FOLDERS[name]


def untc_dir(shared: Path | str | None = None) -> Path:
    """The UNTC status pages (HTML) of the 2026-02-03 snapshot."""
    return source_dir("untc", shared) / "raw_html"


#: The UNTC status pages the build reads by default.
UNTC_DIR: Path = untc_dir()


def notebooks_dir(override: Path | str | None = None) -> Path:
    """The report notebooks' folder."""
    return _given(override) or NOTEBOOKS_DIR
