"""Kernels forked from one warm process: the imports, the data and its tables are paid once per build, not once
per kernel.

Why: a kernel's boot and warm-up (Python, ipykernel, pandas, matplotlib, the data, its step and exit tables, one
figure's fonts) cost ~1.8 s of CPU; with two workers both warmed at once, on two cores shared with the building
process, the reports could not start before ~3.5 s, half of a 20-report build (benchmarks/results.md). The
zygote is started first and warms once; each kernel of the pool is then a fork of it (copy-on-write: 0.20-0.25 s
of the kernel's CPU, ~0.5 s until it answers), and so is a restarted one (``WarmKernel.RESTART_EVERY``).

How: ``Zygote`` starts ``python -m analysis.batch.zygote`` (``serve``), which runs the warm-up code it is sent
first (the pool's), then reads one request a line on its stdin (the kernel's arguments, working folder and
environment, as jupyter_client would launch it), forks, and answers the child's pid on its stdout. The child
becomes an ordinary ipykernel (``IPKernelApp``) on the connection file jupyter_client wrote;
``fork_provisioner`` is jupyter_client's local provisioner with only the launch replaced, so the kernel manager,
its client and nbclient see a kernel like any other. Where no fork is possible (no ``os.fork``, the zygote died
or failed its warm-up), the provisioner starts a kernel the usual way.

A kernel's parent is the zygote, and the zygote's stdin is the builder's: when the builder ends (or dies) the
zygote reads the end of its input and exits, and each kernel sees its parent gone (ipykernel's parent poller) and
exits too. The zygote waits for each kernel that exits (``_reap``): no zombie, and its CPU is counted.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading

from .. import config

__all__ = ["Zygote", "fork_provisioner", "serve", "can_fork"]


def can_fork() -> bool:
    """Forking is for POSIX systems, and can be turned off (``config.FORK_KERNELS``) to compare or to debug."""
    return hasattr(os, "fork") and config.FORK_KERNELS


class Zygote:
    """The building process's handle on the zygote: start it, ask it for a kernel, close it."""

    def __init__(self, cwd, warm_up: str):
        self.lock = threading.Lock()  # one request at a time: the workers' threads share the pipes
        self.process = subprocess.Popen(
            [sys.executable, "-m", "analysis.batch.zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=str(cwd),
            text=True,
            start_new_session=True,  # a Ctrl-C in the terminal reaches the builder, which stops its kernels
        )
        # its first line: the code that warms it (the pool's, ``WarmKernel.WARM_CACHES``), run before any fork
        self.process.stdin.write(json.dumps({"warm_up": warm_up}) + "\n")
        self.process.stdin.flush()

    def fork(self, argv: list[str], cwd: str | None, env: dict | None) -> int | None:
        """A kernel forked with `argv` (``-f connection_file ...``): its pid, or None if the zygote cannot fork
        (dead, or its warm-up failed); it answers once warm, so the first call waits for the warm-up."""
        request = json.dumps({"argv": argv, "cwd": cwd, "env": env})
        with self.lock:
            if self.process.poll() is not None:
                return None
            try:
                self.process.stdin.write(request + "\n")
                self.process.stdin.flush()
                answer = self.process.stdout.readline().strip()
            except (OSError, ValueError):  # a broken pipe, or a closed one
                return None
        return int(answer) if answer.isdigit() else None

    def close(self) -> None:
        """The end of its input: the zygote exits (and any kernel still running, with it)."""
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


class _Forked:
    """What jupyter_client's local provisioner reads of a ``Popen`` object, for a process it did not start (the
    zygote's child): alive while its pid exists (the zygote reaps it as it exits), signalled by pid."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except (ProcessLookupError, PermissionError):
                # gone: the zygote reaped it (its exit status went there), or its pid now is another user's process
                self.returncode = 0
        return self.returncode

    def wait(self, timeout=None) -> int:
        import time

        while self.poll() is None:
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def fork_provisioner(km, zygote: Zygote):
    """A local provisioner for `km` whose kernel is forked by `zygote` (``forked`` says whether it was)."""
    import uuid

    from jupyter_client.provisioning import LocalProvisioner

    class _ForkProvisioner(LocalProvisioner):
        forked = False

        async def launch_kernel(self, cmd: list[str], **kwargs):
            import asyncio

            pid = None
            if "-f" in cmd:  # the kernel's own arguments, as the kernel spec would pass them
                argv = cmd[cmd.index("-f") :]
                pid = await asyncio.to_thread(zygote.fork, argv, kwargs.get("cwd"), kwargs.get("env"))
            if pid is None:
                return await super().launch_kernel(cmd, **kwargs)
            self.process, self.pid, self.pgid, self.forked = _Forked(pid), pid, pid, True
            return self.connection_info

    km.kernel_id = km.kernel_id or str(uuid.uuid4())
    return _ForkProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)


def _become_kernel(request: dict, zygote_pid: int) -> None:
    """The forked child: an ipykernel on the request's connection file, as ``python -m ipykernel_launcher`` would
    start it (its own process group, the working folder and environment asked for, no terminal output)."""
    try:
        os.setpgid(0, 0)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel's own subprocesses are waited for as usual
        signal.signal(signal.SIGINT, signal.default_int_handler)  # the zygote ignores it; a kernel is interrupted
        config.set_environment(request.get("env"))
        if request.get("cwd"):
            os.chdir(request["cwd"])
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # the zygote's stdout is its answer pipe: nothing else may write there
            os.dup2(devnull, fd)
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize([*request["argv"], f"--IPKernelApp.parent_handle={zygote_pid}"])
        app.start()
    finally:
        os._exit(0)


def serve() -> None:
    """The zygote's body: warm up, then fork a kernel for each request line until the input ends."""
    if sys.path and sys.path[0] in ("", os.getcwd()):  # as ipykernel_launcher: the folder is not a package root
        del sys.path[0]
    # as ipykernel sets it before a notebook imports matplotlib, so that the forked kernels' matplotlib is theirs
    config.set_environment(MPLBACKEND="module://matplotlib_inline.backend_inline")
    _import_kernel_modules()

    warm_up = json.loads(sys.stdin.readline())["warm_up"]
    exec(warm_up, {})  # a failure ends the zygote: the pool then starts its kernels the usual way
    if threading.active_count() != 1:  # a fork copies one thread only: never fork a process that runs others
        sys.exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, _reap)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _become_kernel(request, os.getppid())
        with contextlib.suppress(OSError):  # also here: the group exists before the builder can signal it
            os.setpgid(pid, pid)
        print(pid, flush=True)
    os._exit(0)  # the input ended: the builder is done (an interpreter's orderly exit would free a warm heap)


#: What a kernel imports as it starts and sets up (its shell, its debugger, the inline backend): imported here,
#: they are paid once, not in each forked kernel (~0.2 s each, most of it the debugger's pydevd).
KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "IPython.core.pylabtools",
    "matplotlib_inline.backend_inline",
)


def _import_kernel_modules() -> None:
    import importlib

    for name in KERNEL_MODULES:
        with contextlib.suppress(ImportError):  # another ipykernel's layout: the kernel imports what it needs
            importlib.import_module(name)


def _reap(*_) -> None:
    """Wait for every kernel that exited: no zombie stays behind, and its CPU time counts in the zygote's (and
    so in the builder's ``RUSAGE_CHILDREN``: a kernel the system reaped on its own would count nowhere)."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


if __name__ == "__main__":
    serve()
