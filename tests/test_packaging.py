"""environment.yml (for conda users) lists the same dependencies as pyproject.toml; conda cannot run here."""

import re
import tomllib

from conftest import ROOT


def _name(spec: str) -> tuple[str, str]:
    """(name, version bound) of a requirement; pip's extras (``dask[distributed]``) are what conda's package
    of the same name already holds, and a comment after the bound is not part of it."""
    m = re.match(r"\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*([^#]*)", spec)
    return m.group(1).lower().replace("_", "-"), m.group(3).replace(" ", "")


def test_environment_yml_matches_pyproject():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = py["optional-dependencies"]
    wanted = dict(_name(s) for s in py["dependencies"] + extras["test"] + extras["docs"])
    env = [
        line.strip()[2:]
        for line in (ROOT / "environment.yml").read_text().splitlines()
        if line.strip().startswith("- ")
        and not line.strip().startswith("- pip")
        and not line.strip().startswith("- -e")
    ]
    have = dict(_name(s) for s in env if not s.startswith(("python", "conda-forge")))
    assert have == wanted


def test_console_script_and_package_name():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert py["name"] == "treaty-exits"
    assert py["scripts"]["treaty-exits"] == "analysis.cli:main"


def test_package_data_carries_every_data_file_notebook_and_the_citation():
    """Each file the installed package reads is matched by a package-data pattern of its mapped folder."""
    import fnmatch
    import subprocess

    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    mapped = {folder: package for package, folder in setuptools["package-dir"].items() if package}
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    wanted = [p for p in tracked.split() if p.startswith(("data/", "notebooks/"))] + ["CITATION.cff"]
    wanted.append("docs/codebook.md")
    for path in wanted:
        top = path.split("/")[0] if "/" in path else "."
        inner = path[len(top) + 1 :] if top != "." else path
        patterns = setuptools["package-data"][mapped[top]]
        assert any(fnmatch.fnmatch(inner, pattern) for pattern in patterns), f"{path} is not shipped"


def test_setup_lists_every_package_under_src():
    import ast

    from setuptools import find_packages

    tree = ast.parse((ROOT / "setup.py").read_text())
    shipped = next(n for n in ast.walk(tree) if isinstance(n, ast.Assign) and n.targets[0].id == "SHIPPED")
    names = [elt.value for elt in shipped.value.elts]
    package_dir = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    assert sorted(names) == sorted(p for p in package_dir if p)
    assert "analysis.sources" in find_packages(str(ROOT / "src"))


def test_config_reads_the_checkout_here_and_the_shipped_copy_when_installed():
    from analysis import config

    assert config.IN_CHECKOUT
    assert config.DATA_DIR == ROOT / "data" or "TREATY_EXITS_DATA" in __import__("os").environ
    assert config.CITATION_FILE == ROOT / "CITATION.cff"
    assert config.shipped("_data").name == "_data" and config.shipped("_data").parent == config.PACKAGE_DIR


def test_package_data_carries_the_research_baselines():
    """``analysis.changes`` reads baselines/research_<release>.json at run time: the wheel must hold each one. A
    pattern matches as setuptools globs it, folder by folder (``*.json`` does not reach into a sub-folder)."""
    import fnmatch

    def globbed(path: str, pattern: str) -> bool:
        parts, wanted = path.split("/"), pattern.split("/")
        if "**" in wanted:
            return fnmatch.fnmatch(path, pattern.replace("**/", "*"))
        return len(parts) == len(wanted) and all(fnmatch.fnmatch(a, b) for a, b in zip(parts, wanted))

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["analysis"]
    baselines = sorted((ROOT / "src" / "analysis" / "baselines").glob("*.json"))
    assert baselines, "no research baseline in src/analysis/baselines"
    for path in baselines:
        inner = path.relative_to(ROOT / "src" / "analysis").as_posix()
        assert any(globbed(inner, pattern) for pattern in patterns), f"{inner} is not shipped"
