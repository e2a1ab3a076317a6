"""environment.yml (for conda users) lists the same dependencies as pyproject.toml; conda cannot run here."""

import re
import tomllib

from minidata import ROOT


def _name(spec: str) -> tuple[str, str]:
    m = re.match(r"\s*([A-Za-z0-9_.-]+)\s*(.*)", spec)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_name(s) for s in py["dependencies"] + py["optional-dependencies"]["test"])
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
