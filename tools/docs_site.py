"""The documentation site's sources (``make docs``): the pages MkDocs builds, gathered from where they live.

Why a generator: the README, data/README.md, the codebook, the changelog and the notebooks stay where people look
for them in the repository; the site takes them as they are, with their links rewritten to the site's pages, and
an API reference written from ``analysis.__all__`` (one ``::: module.name`` block each for mkdocstrings), so that
a function added to ``__all__`` is documented without anyone editing the site. Usage:

    python tools/docs_site.py build/docs-src
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Repository files and the site page each becomes (the docs/*.md keep their names).
PAGES = {
    "README.md": "guide.md",
    "data/README.md": "data.md",
    "CHANGELOG.md": "changelog.md",
    "notebooks/README.md": "notebooks.md",
}
_LINK = re.compile(r"(!?\[[^\]]*\]\()([^)\s]+)(\))")
#: A link in a notebook's output to a page of the report site (countries/..., treaties/...).
_REPORT_LINK = re.compile(r'href="(?=(?:\.\./)?(?:countries|treaties|overview|research)/)')
_ATTR = re.compile(r'((?:src|href)=")([^"]+)(")')  # raw HTML in the markdown (a picture's <img src>)


def api_names() -> list[tuple[str, str, bool]]:
    """(name in ``analysis``, its defining path, whether it is documented by mkdocstrings) for each of
    ``analysis.__all__``: functions and classes by their defining module, constants listed as values."""
    sys.path.insert(0, str(ROOT / "src"))
    import analysis

    out = []
    for name in analysis.__all__:
        obj = getattr(analysis, name)
        module = getattr(obj, "__module__", None)
        documented = callable(obj) and module is not None and module.startswith("analysis")
        path = f"{module}.{obj.__qualname__}" if documented else f"analysis.{name}"
        out.append((name, path, documented))
    return out


def api_page() -> str:
    """The API reference: every name of ``analysis.__all__``, in its order, from its docstring."""
    lines = [
        "# API reference",
        "",
        "Every public name of the `analysis` package (`analysis.__all__`), documented from its docstring. "
        "Import them from the package: `import analysis; analysis.status('LTU', 'ccm')`.",
        "",
    ]
    for name, path, documented in api_names():
        if documented:
            lines += [
                f"## `analysis.{name}`",
                "",
                f"::: {path}",
                "    options:",
                "      show_root_toc_entry: false",
                "",
            ]
        else:
            lines += [f"## `analysis.{name}`", "", f"A value of the package (`{path}`): see the codebook.", ""]
    return "\n".join(lines)


def _target(link: str, source: str) -> str | None:
    """Where a repository link points in the site (None: a file the site does not hold)."""
    if link.startswith(("http://", "https://", "mailto:", "#")):
        return link
    path, _, anchor = link.partition("#")
    resolved = (Path(source).parent / path).as_posix()
    parts: list[str] = []
    for part in resolved.split("/"):
        if part == "..":
            parts = parts[:-1]
        elif part not in (".", ""):
            parts.append(part)
    repo_path = "/".join(parts)
    page = PAGES.get(repo_path)
    if page is None and repo_path.startswith("docs/") and (ROOT / repo_path).is_file():
        page = repo_path.removeprefix("docs/")
    if page is None and repo_path.startswith("docs/img/") and (ROOT / repo_path).is_file():
        page = repo_path.removeprefix("docs/")
    if page is None and repo_path.startswith("notebooks/") and repo_path.endswith(".ipynb"):
        page = repo_path
    if page is None:
        return None
    return page + (f"#{anchor}" if anchor else "")


def rewrite_links(text: str, source: str) -> str:
    """Links to the site's pages point there; a link to a file the site does not hold becomes its name in code."""

    def one(m: re.Match) -> str:
        target = _target(m.group(2), source)
        if target is not None:
            return f"{m.group(1)}{target}{m.group(3)}"
        label = m.group(1)[m.group(1).index("[") + 1 : -2]
        return f"{label} (`{m.group(2)}` in the repository)" if label.strip("`") != m.group(2) else f"`{m.group(2)}`"

    def attr(m: re.Match) -> str:
        target = _target(m.group(2), source)
        return f"{m.group(1)}{target if target is not None else m.group(2)}{m.group(3)}"

    return _ATTR.sub(attr, _LINK.sub(one, text))


def _without_report_links(notebook: Path) -> str:
    """The notebook with its outputs' links to the report site's pages made inert (``data-report``): the
    documentation site holds the notebooks, not the reports they link to."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html is not None:
                text = html if isinstance(html, str) else "".join(html)
                output["data"]["text/html"] = _REPORT_LINK.sub('data-report="', text)
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def build(out: Path) -> None:
    """Write the site's sources into ``out`` (emptied first)."""
    if out.exists():
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    for source, page in PAGES.items():
        (out / page).write_text(rewrite_links((ROOT / source).read_text(encoding="utf-8"), source), encoding="utf-8")
    for doc in sorted((ROOT / "docs").glob("*.md")):
        source = f"docs/{doc.name}"
        (out / doc.name).write_text(rewrite_links(doc.read_text(encoding="utf-8"), source), encoding="utf-8")
    shutil.copytree(ROOT / "docs" / "img", out / "img")
    shutil.copytree(ROOT / "docs" / "assets", out / "assets")  # the iframe-worker shim: search from file://
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        (out / "notebooks" / notebook.name).write_text(_without_report_links(notebook), encoding="utf-8")
    (out / "api.md").write_text(api_page(), encoding="utf-8")
    (out / "index.md").write_text((ROOT / "tools" / "docs_index.md").read_text(encoding="utf-8"), encoding="utf-8")


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "docs-src")
