"""`pip install -e .` alone lets papermill run the notebooks, which name the project's kernel "treaty-exits".

A fresh venv gets the package by an editable install and nothing else: its dependencies come from the running
environment through a path file, so the test installs no dependency (the build backend, setuptools>=77, comes from
the registry as for any `pip install -e .`). The user's own Jupyter folder is replaced by an empty one, so a kernel
registered with `--user` elsewhere cannot stand in: the kernel must come from the editable install itself.
"""

import json
import os
import site
import subprocess
import sysconfig
import venv
from pathlib import Path

import pytest

from analysis import config

pytestmark = pytest.mark.slow

FIND = "from jupyter_client.kernelspec import KernelSpecManager; print(sorted(KernelSpecManager().find_kernel_specs()))"


def _run(args, env, cwd):
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=900)


def _fresh_venv(root: Path) -> Path:
    """A venv that sees the running environment's packages only through a path file (none of its kernels)."""
    venv.EnvBuilder(with_pip=False).create(root)
    python = root / "bin" / "python"
    target = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], os.environ, root)
    shared = [sysconfig.get_path("purelib"), *site.getsitepackages()]
    Path(target.stdout.strip(), "zz_running_env.pth").write_text("\n".join(dict.fromkeys(shared)) + "\n")
    return python


def test_an_editable_install_lets_papermill_find_the_kernel(tmp_path):
    python = _fresh_venv(tmp_path / "venv")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTHONPATH", "VIRTUAL_ENV"))}
    env |= {"JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data"), "PATH": f"{python.parent}:{env['PATH']}"}
    assert "treaty-exits" not in _run([python, "-c", FIND], env, tmp_path).stdout  # not there before the install
    install = _run([python, "-m", "pip", "install", "-q", "-e", str(config.REPO_ROOT), "--no-deps"], env, tmp_path)
    if install.returncode and "NewConnectionError" in install.stderr + install.stdout:
        pytest.skip("the package index is unreachable: pip cannot fetch the build backend (setuptools>=77)")
    assert install.returncode == 0, install.stderr[-2000:]
    assert "treaty-exits" in _run([python, "-c", FIND], env, tmp_path).stdout
    notebooks = sorted((config.REPO_ROOT / "notebooks").glob("*.ipynb"))
    assert len(notebooks) >= 6
    for notebook in notebooks:  # every notebook, each as papermill runs it with its defaults
        out = tmp_path / f"out-{notebook.name}"
        run = _run([python, "-m", "papermill", str(notebook), str(out)], env, tmp_path)
        assert run.returncode == 0, (notebook.name, run.stderr[-2000:])
        executed = json.loads(out.read_text())
        assert executed["metadata"]["kernelspec"]["name"] == "treaty-exits", notebook.name
        assert all(cell.get("execution_count") for cell in executed["cells"] if cell["cell_type"] == "code")
