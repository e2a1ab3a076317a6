"""Provenance kept as data: one metadata file per raw source, ``data/sources/<label>.json``.

Each file says where a source was published (``path``), as of which day (``status_date``), when and through
what copy it was obtained (``accessed``, ``via``), under which terms (``licence``) and where the local copy lives
in the shared folder (``local``). Parsers take the address and the day they stamp on every row from here, and
``build.write_datapackage`` lists the same files, so each fact is written once. ``row_note`` (a parser's note
template) and ``table_dates`` (the day each 2014 table was last changed,
from that scrape's README) are for the parsers only and stays out of ``datapackage.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import config

#: The raw sources, in the order ``datapackage.json`` lists them (the labels of ``config.SOURCE_FOLDERS``).
LABELS = tuple(config.SOURCE_FOLDERS)
#: Keys of a metadata file that are for the parsers, not for the descriptor.
PARSER_KEYS = frozenset({"row_note", "table_dates"})


class MetadataError(ValueError):
    """A source's metadata file is missing or lacks a field a parser needs."""


def meta_path(label: str, data_dir: Path | str | None = None) -> Path:
    return config.data_dir(data_dir) / "sources" / f"{label}.json"


def read_meta(label: str, data_dir: Path | str | None = None) -> dict:
    """The metadata of one raw source; one clear error when the file is missing or not JSON."""
    path = meta_path(label, data_dir)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MetadataError(f"{path}: metadata of source {label!r} not found") from None
    except json.JSONDecodeError as exc:
        raise MetadataError(f"{path}: not JSON ({exc})") from None
    missing = [key for key in ("path", "status_date") if not meta.get(key)]
    if missing:
        raise MetadataError(f"{path}: missing {', '.join(missing)}")
    return meta


def read_all(data_dir: Path | str | None = None) -> dict[str, dict]:
    """Every raw source's metadata, by label, in ``LABELS`` order."""
    return {label: read_meta(label, data_dir) for label in LABELS}
