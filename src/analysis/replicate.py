"""A replication package: the exact data, code and environment behind the research pages, and one script to rerun.

Why: a referee or a journal's data editor must be able to rerun every number on another machine and get the same
ones. ``build(DIR)`` writes a self-contained folder, laid out after the AEA Data Editor's template:

    README.md            data availability, computational requirements, instructions, which code makes what
    MANIFEST.json        package and data versions, Python and platform, SHA-256 of every file of the package
    requirements.lock    the exact environment (name==version of every installed distribution)
    rerun.sh             one script: (make an environment,) rerun every notebook, compare every number
    data/                the exact data (data/ of the package in use) and CHECKSUMS.sha256
    code/                the package's source as it ran (src/analysis, pyproject.toml, setup.py, CITATION.cff)
                         and the research notebooks (code/notebooks)
    results/             the notebooks executed (results/notebooks), as HTML pages (results/html), and every table
                         they show as CSV (results/tables), as the "download CSV" links hold them

The notebooks run in a kernel of the interpreter that builds or reruns (not the one a kernelspec names), with the
package's own code and data first (``PYTHONPATH``, ``TREATY_EXITS_DATA``) and one BLAS thread, so that sums are
taken in the same order on every run. ``rerun`` compares the tables byte for byte and the notebooks' text outputs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import platform
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from . import config
from .about import __version__
from .batch.plan import RESEARCH
from .batch.render import render_html
from .dataset import load
from .present import extract_csv_links

__all__ = ["build", "run", "compare", "check_data", "lock", "RERUN_ENV"]

#: The environment every run of the notebooks gets: one thread for the linear algebra, a fixed hash seed.
RERUN_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
_CODE_FILES = ("pyproject.toml", "setup.py", "CITATION.cff", "LICENSE", "README.md")
_KERNEL = "treaty-exits-replication"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def lock() -> str:
    """``name==version`` of every distribution installed in the running environment (this package left out: its
    code travels in code/)."""
    names = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name and name.lower().replace("_", "-") != "treaty-exits":
            names[name.lower()] = f"{name}=={dist.version}"
    return "\n".join(names[key] for key in sorted(names)) + "\n"


def _copy_code(out: Path) -> None:
    root = config.REPO_ROOT if config.IN_CHECKOUT else None
    shutil.copytree(config.PACKAGE_DIR, out / "src" / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    for name in _CODE_FILES:
        source = root / name if root else None
        if source is not None and source.is_file():
            shutil.copy2(source, out / name)
    if not (out / "CITATION.cff").exists() and config.CITATION_FILE.is_file():
        shutil.copy2(config.CITATION_FILE, out / "CITATION.cff")
    (out / "notebooks").mkdir(parents=True)
    for notebook, _ in RESEARCH.values():
        shutil.copy2(config.notebooks_dir() / notebook, out / "notebooks" / notebook)


def _copy_data(out: Path) -> None:
    source = config.data_dir()
    for path in _files(source):
        target = out / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    lines = [f"{_sha256(p)}  {p.relative_to(out).as_posix()}" for p in _files(out)]
    (out / "CHECKSUMS.sha256").write_text("\n".join(lines) + "\n")


def check_data(package: Path) -> list[str]:
    """The data files whose SHA-256 differs from data/CHECKSUMS.sha256, or that are missing: one line each."""
    data = Path(package) / "data"
    problems = []
    for line in (data / "CHECKSUMS.sha256").read_text().splitlines():
        digest, name = line.split("  ", 1)
        path = data / name
        if not path.is_file():
            problems.append(f"data/{name}: missing")
        elif _sha256(path) != digest:
            problems.append(f"data/{name}: SHA-256 differs from CHECKSUMS.sha256")
    return problems


@contextlib.contextmanager
def _kernel(package: Path):
    """A kernel manager for this very interpreter, and the environment its kernel gets: the package's code and data
    first, one BLAS thread (the environment of this process is left as it is)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    env = config.child_environment(
        **RERUN_ENV, PYTHONPATH=str(package / "code" / "src"), TREATY_EXITS_DATA=str(package / "data")
    )
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / _KERNEL
        spec.mkdir()
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": _KERNEL, "language": "python"}))
        specs = KernelSpecManager(kernel_dirs=[folder])
        yield (lambda: KernelManager(kernel_name=_KERNEL, kernel_spec_manager=specs)), env


def _imports_own_code(package: Path, env: dict) -> None:
    """Refuse to run when ``import analysis`` would not load the package's own code (an installed copy first)."""
    found = subprocess.run(
        [sys.executable, "-c", "import analysis; print(analysis.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.strip()
    if not Path(found).resolve().is_relative_to((package / "code" / "src").resolve()):
        raise RuntimeError(f"`import analysis` loads {found}, not the package's code/src: remove that copy first")


def run(package: Path, results: Path) -> list[Path]:
    """Execute every research notebook of the package; write it executed, as HTML, and its tables as CSV."""
    import nbformat
    from nbclient import NotebookClient

    package, results = Path(package).resolve(), Path(results).resolve()
    written = []
    with _kernel(package) as (manager, env):
        _imports_own_code(package, env)
        ds = load(package / "data")
        for sub in ("notebooks", "html", "tables"):
            (results / sub).mkdir(parents=True, exist_ok=True)
        for notebook, title in RESEARCH.values():
            nb = nbformat.read(package / "code" / "notebooks" / notebook, as_version=4)
            where = {"metadata": {"path": str(package / "code" / "notebooks")}}
            NotebookClient(nb, km=manager(), timeout=1800, resources=where).execute(env=env)
            nbformat.write(nb, results / "notebooks" / notebook)
            page_data = {"version": ds.version, "status_date": ds.status_date.isoformat(), "sources": ds.sources}
            page_data.update(stamp="replication package", index="../../README.md", title=title, history=None)
            page, tables = extract_csv_links(render_html(nb, title, page_data), "../tables")
            (results / "html" / notebook.replace(".ipynb", ".html")).write_text(page, encoding="utf-8")
            for name, content in tables.items():
                (results / "tables" / name).write_bytes(content)
            written += [results / "notebooks" / notebook, *(results / "tables" / n for n in tables)]
    return written


def _texts(path: Path) -> list[tuple[int, str]]:
    """(cell number, text) of every text output of a notebook: what a rerun must reproduce exactly."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    out = []
    for number, cell in enumerate(cells, 1):
        for output in cell.get("outputs", []):
            text = output.get("text", "") + "".join(
                "".join(v) if isinstance(v, list) else str(v)
                for k, v in sorted(output.get("data", {}).items())
                if k in ("text/plain", "text/markdown")
            )
            out.append((number, text))
    return out


def compare(expected: Path, actual: Path) -> list[str]:
    """Every difference between two results folders: tables byte for byte, notebooks' text outputs; [] if none."""
    expected, actual = Path(expected), Path(actual)
    problems = []
    mine, theirs = (sorted(p.name for p in (f / "tables").glob("*.csv")) for f in (expected, actual))
    if mine != theirs:
        problems.append(f"tables: expected {mine}, got {theirs}")
    for name in sorted(set(mine) & set(theirs)):
        if (expected / "tables" / name).read_bytes() != (actual / "tables" / name).read_bytes():
            problems.append(f"table {name}: differs")
    for notebook, _ in RESEARCH.values():
        want, got = (_texts(f / "notebooks" / notebook) for f in (expected, actual))
        for (cell, a), (_, b) in zip(want, got):
            if a != b:
                problems.append(f"{notebook} cell {cell}: expected {a[:120]!r}, got {b[:120]!r}")
        if len(want) != len(got):
            problems.append(f"{notebook}: {len(want)} outputs expected, {len(got)} produced")
    return problems


def build(out: Path) -> Path:
    """Write the replication package into ``out`` (new or empty), run it once and record what it holds."""
    from .replicate_docs import readme, rerun_script

    out = Path(out).resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(f"{out} exists and is not an empty folder: choose a new one (nothing was written)")
    out.mkdir(parents=True, exist_ok=True)
    _copy_code(out / "code")
    _copy_data(out / "data")
    (out / "requirements.lock").write_text(lock())
    run(out, out / "results")
    ds = load(out / "data")
    (out / "rerun.sh").write_text(rerun_script())
    (out / "rerun.sh").chmod(0o755)
    (out / "README.md").write_text(readme(out, ds, __version__))
    manifest = {
        "package_version": __version__,
        "data_version": ds.version,
        "status_date": ds.status_date.isoformat(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "environment": RERUN_ENV,
        "files": {p.relative_to(out).as_posix(): _sha256(p) for p in _files(out)},
    }
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.replicate rerun PACKAGE OUT``: check the data, rerun, compare (what rerun.sh calls)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3 or args[0] != "rerun":
        print("usage: python -m analysis.replicate rerun PACKAGE OUT", file=sys.stderr)
        return 2
    package, out = Path(args[1]).resolve(), Path(args[2]).resolve()
    problems = check_data(package)
    if not problems:
        try:
            run(package, out)
        except Exception as exc:  # a failed cell or a missing tool: one line, and the exit code says so
            print(f"error: the rerun stopped: {' '.join(str(exc).split())[:400]}", file=sys.stderr)
            return 1
        problems = compare(package / "results", out)
    for line in problems:
        print(line, file=sys.stderr)
    print(f"{'DIFFERENT' if problems else 'equal'}: {out} against {package / 'results'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
