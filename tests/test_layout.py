"""The module's files follow the data's path, each importing only those before it (README, 'How it is built')."""

import ast

from minidata import ROOT

ORDER = [
    "countries",
    "untc",
    "othersources",
    "snapshots",
    "build",
    "dataset",
    "status",
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
