"""What this is, which version, and how to cite it.

Two versions travel together because a result depends on both: the package's semantic version (the code that
computes a status) and the dataset's version (its status date plus a hash of its content, so that two copies
of the data that differ by one row never share a version). Every report, ``treaty-exits --version`` and
``cite()`` print both. The citation's metadata is ``CITATION.cff`` (shipped in the wheel); nothing here
repeats it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import config
from .dataset import Dataset, load

__all__ = ["__version__", "data_version", "versions", "citation_metadata", "cite", "CITE_STYLES"]

#: The package's semantic version (``pyproject.toml`` reads it from here; ``CITATION.cff`` must agree).
__version__ = "0.5.1"

CITE_STYLES = ("text", "apa", "bibtex")


def data_version(ds: Dataset | None = None) -> str:
    """The dataset's version: its status date and the first ten hex digits of a hash of its files.

    ``2026-02-03+1a2b3c4d5e`` reads: the depositary pages were read on 3 February 2026, and this is exactly
    the content hashed to ``1a2b3c4d5e`` (``TREATY_EXITS_DATA`` pointing elsewhere gives another hash).
    """
    return (ds or load()).version


def versions(ds: Dataset | None = None) -> str:
    """Both versions on one line, as ``treaty-exits --version`` and every report print them."""
    return f"treaty-exits {__version__} · data {data_version(ds)}"


@lru_cache(maxsize=2)
def _read_cff(path: Path) -> dict:
    import yaml  # only needed to cite

    if not path.is_file():
        raise FileNotFoundError(f"{path}: citation file not found (CITATION.cff ships with the package)")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def citation_metadata(path: Path | str | None = None) -> dict:
    """The fields of ``CITATION.cff`` as a dict (a copy: changing it changes nothing)."""
    return dict(_read_cff(Path(path) if path else config.CITATION_FILE))


def _author_names(meta: dict) -> list[str]:
    """Each author as 'Family, Given' (a person) or by name (an entity such as a team)."""
    names = []
    for author in meta.get("authors", []):
        if "family-names" in author:
            given = author.get("given-names", "")
            names.append(f"{author['family-names']}, {given}".rstrip(", "))
        else:
            names.append(author.get("name", ""))
    return [name for name in names if name]


def _year(meta: dict) -> str:
    return str(meta.get("date-released", ""))[:4] or "n.d."


def _bibtex(meta: dict, data: str) -> str:
    """A ``@misc`` entry; an entity author is braced twice so BibTeX does not split it into first and last."""
    authors = " and ".join(name if "," in name else f"{{{name}}}" for name in _author_names(meta))
    fields = {
        "author": authors,
        "title": meta["title"],
        "year": _year(meta),
        "version": meta.get("version", __version__),
        "note": f"Package version {meta.get('version', __version__)}; data version {data}",
    }
    if meta.get("doi"):
        fields["doi"] = meta["doi"]
    if meta.get("url") or meta.get("repository-code"):
        fields["url"] = meta.get("url") or meta["repository-code"]
    key = f"treaty_exits_{_year(meta)}"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@misc{{{key},\n{body}\n}}"


def _apa(meta: dict, data: str) -> str:
    authors = ", ".join(_author_names(meta))
    where = f" {(meta.get('doi') and 'https://doi.org/' + meta['doi']) or meta.get('url', '')}".rstrip()
    return (
        f"{authors}. ({_year(meta)}). {meta['title']} (Version {meta.get('version', __version__)}; "
        f"data version {data}) [Data set].{where}"
    )


def _text(meta: dict, data: str) -> str:
    authors = "; ".join(_author_names(meta))
    return f"{authors} ({_year(meta)}). {meta['title']}. Package version {meta.get('version', __version__)}, data version {data}."


def cite(style: str = "text", ds: Dataset | None = None) -> str:
    """How to cite the dataset and the package, with the data version in use: ``text``, ``apa`` or ``bibtex``."""
    writers = {"text": _text, "apa": _apa, "bibtex": _bibtex}
    if style not in writers:
        raise ValueError(f"style must be one of {', '.join(CITE_STYLES)}, not {style!r}")
    return writers[style](citation_metadata(), data_version(ds))
