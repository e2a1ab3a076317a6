"""The kernels forked from one warm process (``analysis.batch.zygote``, issue 24): they are forked and warm, they
build the same pages as kernels started the usual way, a zygote that cannot fork leaves a kernel started the usual
way, and no kernel outlives its build."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import signal
import subprocess
import sys
import time

import nbformat
import pytest
from conftest import ROOT

from analysis import config
from analysis.batch import build_reports
from analysis.batch.guard import default_jobs
from analysis.batch.pool import WarmKernel
from analysis.batch.zygote import Zygote

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forking is for POSIX systems")

spec = importlib.util.spec_from_file_location("compare_sites", ROOT / "tools" / "compare_sites.py")
compare_sites = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_sites)

#: run in a kernel: its parent, and whether the data was loaded before any cell asked for it (the zygote's cache)
FACTS = "import os, analysis.dataset as _d\nprint(os.getppid(), _d._load.cache_info().currsize, os.getcwd())\n"


async def _facts(kernel: WarmKernel) -> list[str]:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FACTS)])
    await kernel.execute(nb)
    return nb.cells[0].outputs[0]["text"].split()


def _gone(pid: int, within: float) -> bool:
    """Whether process `pid` is gone (neither running nor a zombie) within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().split(") ")[1].startswith("Z"):  # exited, not yet waited for
                    time.sleep(0.05)
                    continue
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_a_kernel_is_forked_from_the_warm_zygote_and_leaves_no_zombie():
    async def run():
        zygote = Zygote(config.notebooks_dir(), WarmKernel.WARM_CACHES)
        kernel = WarmKernel(config.notebooks_dir(), timeout=120, zygote=zygote)
        try:
            await kernel.start()
            assert kernel.km.provisioner.forked
            parent, cached, cwd = await _facts(kernel)
            assert int(parent) == zygote.process.pid  # forked by the zygote, not started by jupyter_client
            assert int(cached) >= 1  # the data came loaded with the fork: no cell had asked for it yet
            assert cwd == str(config.notebooks_dir())
            pid = kernel.km.provisioner.pid
            await kernel.stop()
            assert _gone(pid, within=5), "a stopped kernel stays as a process or a zombie"
        finally:
            await kernel.stop()
            zygote.close()

    asyncio.run(run())


def test_a_zygote_that_cannot_fork_leaves_a_kernel_started_the_usual_way():
    async def run():
        zygote = Zygote(config.notebooks_dir(), "raise RuntimeError('a warm-up that fails')")
        zygote.process.wait(timeout=60)  # it ended at its failed warm-up
        kernel = WarmKernel(config.notebooks_dir(), timeout=120, zygote=zygote)
        try:
            await kernel.start()
            assert not kernel.km.provisioner.forked
            parent, _, _ = await _facts(kernel)
            assert int(parent) == os.getpid()  # jupyter_client's own child
        finally:
            await kernel.stop()
            zygote.close()

    asyncio.run(run())


def test_when_the_build_ends_without_stopping_its_kernels_they_end_with_the_zygote():
    """A builder that dies leaves its kernels behind unless they follow the zygote: closing its input (what a
    dead builder's pipe does) ends the zygote, and each kernel sees its parent gone and exits."""

    async def run():
        zygote = Zygote(config.notebooks_dir(), WarmKernel.WARM_CACHES)
        kernel = WarmKernel(config.notebooks_dir(), timeout=120, zygote=zygote)
        try:
            await kernel.start()
            pid = kernel.km.provisioner.pid
            kernel.kc.stop_channels()
            kernel.km = kernel.kc = None  # forgotten, as by a builder that died
            zygote.close()
            assert _gone(pid, within=10), "a kernel outlived its zygote"
        finally:
            await kernel.stop()

    asyncio.run(run())


def test_a_forked_kernel_is_interrupted_as_jupyter_interrupts_a_kernel():
    """The zygote ignores SIGINT (a Ctrl-C in the terminal is the builder's); an interrupt from jupyter_client
    (a signal to the kernel's process group) must still stop a running cell."""

    async def run():
        zygote = Zygote(config.notebooks_dir(), WarmKernel.WARM_CACHES)
        kernel = WarmKernel(config.notebooks_dir(), timeout=120, zygote=zygote)
        try:
            await kernel.start()
            msg_id = kernel.kc.execute("import time\ntime.sleep(60)")
            await asyncio.sleep(1)
            await kernel.km.interrupt_kernel()
            while True:
                reply = await kernel.kc.get_shell_msg(timeout=10)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
        finally:
            await kernel.stop()
            zygote.close()

    asyncio.run(run())


@pytest.mark.slow
def test_forked_kernels_build_the_same_pages_as_kernels_started_the_usual_way(tmp_path, monkeypatch):
    asked = {"countries": ["LTU", "RUS"], "treaties": ["ccm"], "progress": False}
    forked = build_reports(out=tmp_path / "forked", **asked)
    monkeypatch.setattr(config, "FORK_KERNELS", False)
    usual = build_reports(out=tmp_path / "usual", **asked)
    assert not forked.failed and not usual.failed and forked.count("built") == usual.count("built") == 3
    assert compare_sites.compare(tmp_path / "usual", tmp_path / "forked") == []


def test_the_default_workers_are_one_per_core_and_one_forked_kernel_more(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert default_jobs(local=True, forked=True) == 5
    assert default_jobs(local=True, forked=False) == 4  # a kernel started the usual way costs a whole warm-up
    assert default_jobs(local=False, forked=True) == 4  # a Dask worker is a process of its own


def test_the_command_line_exits_with_its_code_after_its_exit_handlers_and_output():
    """``cli.main`` skips the interpreter's teardown: the exit code, the output (even through a pipe) and the exit
    handlers must be as with ``sys.exit``."""
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('handler ran', flush=True))\n"
        "from analysis.cli import main\n"
        "sys.argv = ['treaty-exits'] + sys.argv[1:]\n"
        "main()\n"
        "print('never here')\n"
    )
    ok = subprocess.run([sys.executable, "-c", script, "--version"], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.startswith("treaty-exits ") and ok.stdout.endswith("handler ran\n")
    bad = subprocess.run([sys.executable, "-c", script, "status", "XXX", "ccm"], capture_output=True, text=True)
    assert bad.returncode == 2 and "Unknown country 'XXX'" in bad.stderr and "never here" not in bad.stdout
    usage = subprocess.run([sys.executable, "-c", script, "no-such-command"], capture_output=True, text=True)
    assert usage.returncode == 2 and "handler ran" in usage.stdout


def test_signals_reach_a_forked_kernel_alone():
    """Each forked kernel is its own process group (as jupyter_client starts kernels): a signal to its group
    (jupyter_client's interrupt and kill) reaches it, not the zygote or the other kernels."""

    async def run():
        zygote = Zygote(config.notebooks_dir(), WarmKernel.WARM_CACHES)
        first, second = (WarmKernel(config.notebooks_dir(), timeout=120, zygote=zygote) for _ in range(2))
        try:
            await first.start()
            await second.start()
            pid = first.km.provisioner.pid
            assert os.getpgid(pid) == pid != os.getpgid(second.km.provisioner.pid)
            os.killpg(pid, signal.SIGKILL)
            assert _gone(pid, within=5)
            assert zygote.process.poll() is None and await second.is_alive()
        finally:
            for kernel in (first, second):
                await kernel.stop()
            zygote.close()

    asyncio.run(run())
