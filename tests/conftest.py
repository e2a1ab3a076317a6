"""Shared test set-up: every path a test needs, defined once here, and nbval's sanitize file found from any
working directory. Tests import the constants (``from conftest import ROOT, SHARED``)."""

import csv
import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
#: The checkout's root.
ROOT = HERE.parent
#: Our own small fixture pages and files.
FIXTURES = HERE / "fixtures"
#: The shipped dataset and the committed notebooks.
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
#: Screenshots and other things a test leaves to look at (git-ignored).
ARTEFACTS = HERE / "artefacts"
#: The raw sources, read only, beside the checkout; tests that need them skip with this reason when absent.
SHARED = ROOT.parent / "shared" / "data"
SHARED_REASON = f"{SHARED} not found: the real depositary pages live in ../shared (read only), beside the checkout"
#: Hosts of copies that are not sources (mirrors, aggregators, web logs), by a label of the host name
#: (``vdocuments`` is vdocuments.us, .net and .mx): no registry fact and no clause quote may rest on them.
MIRRORS = (
    "docslib",
    "vdocuments",
    "fdocuments",
    "cupdf",
    "docplayer",
    "paperzz",
    "scribd",
    "wikimili",
    "wikipedia",
    "cowlix",
    "lawinsider",
    "what-when-how",
    "tacdev",
    "vkse",
    "bibliboba",
    "totalwonkerr",
    "debategraph",
    "lawmix",
    "zaki",
    "admi",
    "tricoteuses",
    "lexisnexis",
    "global-regulation",
)
_HOST = re.compile(r"(?:https?://)?((?:[\w-]+\.)+[a-z]{2,})", re.IGNORECASE)


def mirror_hosts(text: str) -> list[str]:
    """The host names in ``text`` (addresses, with or without a scheme) that are mirrors: a whole label of the host
    is on ``MIRRORS``, so ``admi.net`` is one and ``administration.gov`` is not."""
    hosts = [h.casefold() for h in _HOST.findall(text or "")]
    return [h for h in hosts if set(h.split(".")) & set(MIRRORS)]


@pytest.fixture(scope="module")
def ds():
    """The shipped dataset, loaded once per test module (a module that needs another folder defines its own)."""
    import analysis

    return analysis.load()


def pytest_configure(config):
    opt = config.option
    cfg = getattr(opt, "nbval_sanitize_with", None)
    if getattr(opt, "nbval", False) and (not cfg or not Path(cfg).exists()):
        # pyproject's addopts names tests/nbval_sanitize.cfg relative to the repository root
        opt.nbval_sanitize_with = str(HERE / "nbval_sanitize.cfg")


def write_rows(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    """Write dict rows as a CSV the way the data files are written (a header, ``\n`` line ends): the tests that
    change a row of a hand-kept table and read it back share this one writer."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns or list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
