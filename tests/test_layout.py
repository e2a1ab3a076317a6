"""The module's files follow the data's path, each importing only those before it (README, 'How it is built').

A module of a sub-package is named by its dotted path inside ``analysis`` (``sources.untc``); the ``sources``
package reads the raw sources and writes ``data/``, so it may import ``config``, ``schema``, ``countries`` and its
own modules in the order below, never ``dataset`` or anything after it. An import of a package itself
(``from .batch import build_reports``) counts as an import of every one of its modules.
"""

import ast

from conftest import ROOT

PACKAGE = ROOT / "src" / "analysis"
ORDER = [
    "config",
    "dates",
    "schema",
    "text",
    "integrity",
    "countries",
    "sources.meta",
    "sources.endnotes",
    "sources.pagecheck",
    "sources.untc",
    "sources.untc_protocols",
    "sources.unoda",
    "sources.icrc",
    "sources.merge_rows",
    "sources.merge_untc",
    "sources.corrections",
    "sources.merge",
    "sources.attributions",
    "sources.fetch",
    "sources.snapshots",
    "sources.build",
    "date_rules",
    "event_rules",
    "link_rules",
    "clause_rules",
    "validation_cross",
    "validation",
    "sources.refresh",
    "dataset",
    "lifetimes",
    "about",
    "lookup",
    "currency",
    "machine",
    "readings",
    "status",
    "uncertainty",
    "counts",
    "doubt",
    "clauses",
    "reasons",
    "exits",
    "chains",
    "peers",
    "panels",
    "labels",
    "codebook",
    "export",
    "palette",
    "inset",
    "plots",
    "mapmarks",
    "maps",
    "statusmap",
    "tables",
    "frontpage",
    "present",
    "present_reasons",
    "firth",
    "decisions",
    "models",
    "survival",
    "robustness",
    "contagion",
    "findings",
    "changes",
    "explore_data",
    "explore",
    "params",
    "batch.plan",
    "batch.inputs",
    "batch.guard",
    "batch.zygote",
    "batch.pool",
    "batch.render",
    "batch.manifest",
    "batch.cluster",
    "batch.executor",
    "batch.history",
    "batch.index",
    "batch.run",
    "replicate_docs",
    "replicate",
    "reports",  # deprecated alias of batch
    "cli_data",
    "cli_research",
    "cli",
]


def _modules() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] not in ("__init__", "__main__"):
            names.add(".".join(parts))
    return names


def _expand(name: str) -> set[str]:
    """A module's dotted name, or (for a package) the names of all its modules."""
    members = {module for module in ORDER if module.startswith(name + ".")}
    return members or {name}


def _imports(name: str) -> set[str]:
    """The package's modules that ``name`` imports (relative imports, at any depth, resolved to dotted names)."""
    package = name.split(".")[:-1]
    tree = ast.parse((PACKAGE / (name.replace(".", "/") + ".py")).read_text())
    deps = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level == 0:
            continue
        base = package[: len(package) - (node.level - 1)]
        if node.module:
            deps |= _expand(".".join(base + node.module.split(".")))
        else:
            for alias in node.names:
                deps |= _expand(".".join(base + [alias.name]))
    return deps - {name}


def test_every_module_is_in_the_documented_order():
    assert _modules() == set(ORDER)


def test_imports_resolve_to_modules_of_the_package():
    for name in ORDER:
        unknown = {dep for dep in _imports(name) if dep not in ORDER and dep != "sources"}
        assert not unknown, f"{name} imports {unknown}, which are not modules of the documented order"


def test_each_module_imports_only_what_stands_before_it():
    for name in ORDER:
        later = [dep for dep in _imports(name) if dep in ORDER and ORDER.index(dep) >= ORDER.index(name)]
        assert not later, f"{name} imports {later}, which stand after it"


def test_package_imports_are_resolved():
    """``..`` and package-relative names resolve (else the order check would pass vacuously for batch.*)."""
    assert {"batch.plan", "batch.pool", "config"} <= _imports("batch.run")
    assert {"batch.plan", "batch.run"} <= _imports("reports")  # `from .batch import *`
    assert "batch.index" in _imports("cli")  # `from .batch import build_reports`, inside the command


def test_sources_never_import_the_loader_or_what_follows():
    loader = ORDER.index("dataset")
    for name in (module for module in ORDER if module.startswith("sources.")):
        after = [dep for dep in _imports(name) if dep in ORDER and ORDER.index(dep) >= loader]
        assert not after, f"{name} imports {after}: the sources must not depend on the loader"


def _top_level_names(path):
    """Names bound at module level (assignments, functions, classes) in one source file."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def test_every_column_list_vocabulary_path_and_day_parser_is_defined_once():
    """schema.py (with dates.py, its ground floor of days) and config.py are the only homes of these names; nothing
    else may define them again."""
    src = ROOT / "src" / "analysis"
    homes = {name: _top_level_names(src / name) for name in ("schema.py", "dates.py", "config.py")}
    parsers = ("parse_day", "is_iso_day", "parse_edtf", "describe_edtf")
    shared = {n for names in homes.values() for n in names if n.isupper() or n in parsers}
    assert {"EVENT_COLUMNS", "STATUSES", "CONSENT", "DATA_DIR", "SHARED_DIR", "NOTEBOOKS_DIR"} <= shared
    assert set(parsers) <= homes["dates.py"] and not set(parsers) & homes["schema.py"]  # one parser, re-exported
    for path in sorted(src.rglob("*.py")):
        if path.name in homes and path.parent == src:
            continue
        again = shared & _top_level_names(path)
        assert not again, f"{path.relative_to(ROOT)} defines {sorted(again)} again; import them from schema/config"
        text = path.read_text()
        for pattern in ("date.fromisoformat(", "pd.Timestamp(on)", "os.environ"):
            assert pattern not in text or path.name in ("untc.py",), (
                f"{path.relative_to(ROOT)} parses days or reads the environment itself: {pattern}"
            )


def test_no_module_is_long_and_no_function_is_long():
    """About 350 lines a module and 50 a function (60 tolerated): longer ones get split into named steps."""
    for path in sorted((ROOT / "src" / "analysis").rglob("*.py")):
        text = path.read_text()
        assert len(text.splitlines()) <= 360, f"{path.relative_to(ROOT)} has {len(text.splitlines())} lines"
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                assert length <= 60, f"{path.relative_to(ROOT)}: {node.name} has {length} lines"


def test_test_paths_are_defined_once_in_conftest():
    """Every path a test needs comes from tests/conftest.py; no test file builds its own from __file__."""
    for path in sorted((ROOT / "tests").glob("*.py")):
        pattern = "Path(" + "__file__)"  # spelled in two parts so that this file does not match itself
        if path.name != "conftest.py":
            assert pattern not in path.read_text(), f"{path.name} builds a path itself; use conftest"
