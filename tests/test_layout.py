"""The module's files follow the data's path, each importing only those before it (README, 'How it is built')."""

import ast

from minidata import ROOT

ORDER = [
    "config",
    "schema",
    "countries",
    "untc",
    "othersources",
    "snapshots",
    "build",
    "validation",
    "dataset",
    "status",
    "counts",
    "exits",
    "plots",
    "tables",
    "params",
    "reports",
    "cli",
]


def test_every_module_is_in_the_documented_order():
    modules = {p.stem for p in (ROOT / "src" / "analysis").glob("*.py")} - {"__init__", "__main__"}
    assert modules == set(ORDER)


def test_each_module_imports_only_what_stands_before_it():
    for name in ORDER:
        tree = ast.parse((ROOT / "src" / "analysis" / f"{name}.py").read_text())
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                deps |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
        later = [d for d in deps if d in ORDER and ORDER.index(d) >= ORDER.index(name)]
        assert not later, f"{name} imports {later}, which stand after it"


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
    """schema.py and config.py are the only homes of these names; nothing else may define them again."""
    src = ROOT / "src" / "analysis"
    homes = {"schema.py": _top_level_names(src / "schema.py"), "config.py": _top_level_names(src / "config.py")}
    shared = {n for n in homes["schema.py"] | homes["config.py"] if n.isupper() or n in ("parse_day", "is_iso_day")}
    assert {"EVENT_COLUMNS", "STATUSES", "CONSENT", "DATA_DIR", "SHARED_DIR", "NOTEBOOKS_DIR"} <= shared
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
