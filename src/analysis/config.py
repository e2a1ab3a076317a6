"""Where everything lives: one root, every path derived from it, each resolved once.

Every module asks this one for a path; none builds its own from ``__file__``. Overrides come from the
environment (read once, here) or from a function's argument (``data_dir=...``), in that order of precedence:
argument, environment, default.

| path              | in a checkout                              | installed (wheel)              | environment               |
|-------------------|--------------------------------------------|--------------------------------|---------------------------|
| ``DATA_DIR``      | ``<checkout>/data``                        | ``analysis/_data``             | ``TREATY_EXITS_DATA``      |
| ``SHARED_DIR``    | ``<checkout>/../shared/data`` (read only)  | (none: set the variable)       | ``TREATY_EXITS_SHARED``    |
| ``NOTEBOOKS_DIR`` | ``<checkout>/notebooks``                   | ``analysis/_notebooks``        | ``TREATY_EXITS_NOTEBOOKS`` |
| ``TEMPLATES_DIR`` | ``analysis/templates`` (in the package)    | the same                       |                            |
| ``CITATION_FILE`` | ``<checkout>/CITATION.cff``                | ``analysis/_meta/CITATION.cff`` |                           |
| ``CODEBOOK_FILE`` | ``<checkout>/docs/codebook.md``            | ``analysis/_docs/codebook.md`` |                            |

The wheel and the sdist carry ``data/``, ``notebooks/``, ``CITATION.cff`` and ``docs/codebook.md`` as package
data (``pyproject.toml`` maps each folder to a sub-package of ``analysis``); they are found here, and only here,
through ``importlib.resources``. A checkout (an editable install) reads its own folders, so an edit to
``data/`` shows at once. A relative path in the environment is resolved against the caller's working
directory, once, at import. This module imports nothing from ``analysis``: it is the ground floor.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = [
    "PACKAGE_DIR",
    "REPO_ROOT",
    "IN_CHECKOUT",
    "CITATION_FILE",
    "CODEBOOK_FILE",
    "DATAPACKAGE_FILE",
    "datapackage_file",
    "shipped",
    "DATA_DIR",
    "SHIPPED_DATA_DIR",
    "GEOMETRY_NAME",
    "geometry_file",
    "SHARED_DIR",
    "UNTC_DIR",
    "NOTEBOOKS_DIR",
    "TEMPLATES_DIR",
    "REPORT_TEMPLATE",
    "BASELINES_DIR",
    "data_dir",
    "child_environment",
    "set_environment",
    "FORK_KERNELS",
    "shared_dir",
    "untc_dir",
    "notebooks_dir",
    "source_dir",
    "SCHEDULER_TIMEOUT",
    "DataFolderWrite",
    "outside_data",
    "copy_notebooks",
]

#: The installed package's folder (``src/analysis`` in a checkout).
PACKAGE_DIR: Path = Path(__file__).resolve().parent
#: The checkout's root (meaningful only when the package runs from a checkout).
REPO_ROOT: Path = PACKAGE_DIR.parents[1]
#: True when the package runs from a checkout (``src/analysis`` beside ``pyproject.toml``), False when installed
#: from a wheel: then the data and notebooks are the copies shipped inside the package, and ``build-data``
#: and ``refresh`` (which rewrite ``data/`` from ``../shared``) have nothing to work on.
IN_CHECKOUT: bool = (REPO_ROOT / "pyproject.toml").is_file() and PACKAGE_DIR == REPO_ROOT / "src" / "analysis"


def shipped(folder: str) -> Path:
    """A folder the wheel carries inside the package (``_data``, ``_notebooks``, ``_meta``, ``_docs``).

    Read through ``importlib.resources`` so that it is found wherever pip put the package; a wheel installs
    as plain files, so the traversable is a real folder and is returned as a ``Path``.
    """
    return Path(str(resources.files(__package__ or "analysis").joinpath(folder)))


def _in_checkout_or_shipped(relative: str, folder: str, name: str = "") -> Path:
    """``<checkout>/relative`` in a checkout, else the shipped copy ``analysis/<folder>/<name>``."""
    if IN_CHECKOUT:
        return REPO_ROOT / relative
    return shipped(folder) / name if name else shipped(folder)


def _from_env(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else None


#: The data this package ships (the checkout's ``data/`` or the wheel's copy), whatever the environment says.
SHIPPED_DATA_DIR: Path = _in_checkout_or_shipped("data", "_data")
#: The dataset: ``data/*.csv``, ``datapackage.json``.
DATA_DIR: Path = _from_env("TREATY_EXITS_DATA") or SHIPPED_DATA_DIR
#: The country outlines the maps draw (derived from Natural Earth by ``tools/geo/build_geometry.py``).
GEOMETRY_NAME = "world_50m.json"
#: The raw sources, read only, never copied into the repository (see each folder's README).
SHARED_DIR: Path = _from_env("TREATY_EXITS_SHARED") or REPO_ROOT.parent / "shared" / "data"
#: The report notebooks.
NOTEBOOKS_DIR: Path = _from_env("TREATY_EXITS_NOTEBOOKS") or _in_checkout_or_shipped("notebooks", "_notebooks")
#: The citation metadata (Citation File Format) that ``analysis.cite()`` reads.
CITATION_FILE: Path = _in_checkout_or_shipped("CITATION.cff", "_meta", "CITATION.cff")
#: The codebook generated from the schema and ``datapackage.json`` (``analysis.codebook``).
CODEBOOK_FILE: Path = _in_checkout_or_shipped("docs/codebook.md", "_docs", "codebook.md")
#: nbconvert templates and the index page's template, CSS and JavaScript.
TEMPLATES_DIR: Path = PACKAGE_DIR / "templates"
#: The nbconvert template that renders a report page.
REPORT_TEMPLATE = "treaty_exits"
#: The research notebooks' figures of a past release (``tools/research_baseline.py`` writes them from git).
BASELINES_DIR: Path = PACKAGE_DIR / "baselines"

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


def datapackage_file(data: Path | str | None = None) -> Path:
    """The dataset's descriptor (Frictionless Data Package) in a data folder."""
    return data_dir(data) / "datapackage.json"


#: The descriptor of the data the package reads by default.
DATAPACKAGE_FILE: Path = datapackage_file()


def geometry_file(data: Path | str | None = None) -> Path:
    """The map outlines: those in the data folder if it has them, else the shipped ones (a data folder of one's
    own, e.g. ``TREATY_EXITS_DATA`` or a test's copy, need not carry the world's shapes)."""
    own = data_dir(data) / GEOMETRY_NAME
    return own if own.exists() else SHIPPED_DATA_DIR / GEOMETRY_NAME


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


def _seconds(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name) or default)
    except ValueError:
        return default  # an unreadable setting keeps the default rather than stopping every import


#: Seconds a Dask scheduler has to answer ``--scheduler`` before the build is refused (``batch.guard``).
SCHEDULER_TIMEOUT: float = _seconds("TREATY_EXITS_SCHEDULER_TIMEOUT", 5.0)


#: Whether the report builder forks its kernels from one warm process (``batch.zygote``); ``TREATY_EXITS_FORK=0``
#: starts each kernel the usual way (to compare the two, or to debug a kernel's start).
FORK_KERNELS: bool = os.environ.get("TREATY_EXITS_FORK", "1").strip() != "0"


class DataFolderWrite(ValueError):
    """A path that would write into a data folder; only ``build-data`` and ``refresh`` may write there."""


def _same_file(target: Path, folders: set[Path]) -> Path | None:
    """The data file ``target`` is a hard link of, if any (a hard link resolves to itself, not to the data)."""
    if not target.is_file():
        return None
    return next((p for f in folders for p in f.glob("*") if p.is_file() and os.path.samefile(p, target)), None)


def outside_data(path: Path | str, option: str = "--out") -> Path:
    """``path`` (resolved: ``..`` and symbolic links followed) when it lies outside every data folder (the one in
    use and the shipped one); otherwise ``DataFolderWrite`` in one line. An export, a codebook or a report written
    over ``events.csv`` would corrupt the data every later command reads."""
    target = Path(path).expanduser().resolve()
    folders = {data_dir().resolve(), SHIPPED_DATA_DIR.resolve()}
    inside = next((f for f in folders if target == f or f in target.parents), None) or _same_file(target, folders)
    if inside:
        raise DataFolderWrite(
            f"{option} {path}: inside the data folder ({inside}); only build-data and refresh write there, "
            "choose a path outside it"
        )
    return target


def copy_notebooks(folder: Path | str) -> list[Path]:
    """Editable copies of the report notebooks in ``folder``: outside the data, nothing overwritten (a file of
    the same name refuses the whole copy). Returns the notebooks copied."""
    import shutil

    target = outside_data(folder, "--copy")
    found = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    taken = [target / path.name for path in found if (target / path.name).exists()]
    if taken:
        raise FileExistsError(f"{taken[0]} exists: choose an empty folder (nothing was overwritten)")
    target.mkdir(parents=True, exist_ok=True)
    for path in found:
        shutil.copy2(path, target / path.name)
    return found


def child_environment(**settings: str) -> dict[str, str]:
    """The environment of a process this one starts (a rerun's kernel), with ``settings`` over this one's own.

    Here, because this module is the one place that reads the environment: a replication run gives its kernel
    the package's own code and data and one BLAS thread without changing this process's environment.
    """
    return {**os.environ, **settings}


def set_environment(env: dict[str, str] | None = None, **defaults: str) -> None:
    """This process's environment replaced by ``env`` (when given), then each of ``defaults`` it lacks set.

    For a process that becomes another: the builder's zygote takes the variables ipykernel would set before a
    notebook's imports, and a kernel forked from it the environment jupyter_client made for that kernel
    (``batch.zygote``). Here, because this module is the one place that touches the environment.
    """
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
