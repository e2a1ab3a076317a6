"""What must hold before a build starts a kernel: a writable output folder outside the data, no other build
writing into it, no more kernels than the memory can hold, and a scheduler that is one.

A build that fails half-way leaves a half-built site, and two builds into one folder interleave their pages and
indexes; so the output folder is checked (created, written to) before any kernel starts, and a lock file held
for the whole build stops a second one. Each kernel with the data loaded takes about ``KERNEL_MB`` megabytes:
``--jobs`` is capped by the memory available, and the cap is said.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import socket
import tempfile
from pathlib import Path

from ..config import SCHEDULER_TIMEOUT, DataFolderWrite, outside_data
from ..params import ParameterError

__all__ = [
    "KERNEL_MB",
    "LOCK_NAME",
    "writable_out",
    "BuildLock",
    "default_jobs",
    "capped_jobs",
    "available_mb",
    "check_scheduler",
]

#: Memory one warm kernel with the dataset loaded takes, roughly (measured: 150–200 MB resident).
KERNEL_MB = 200
#: The lock file a build holds in its output folder.
LOCK_NAME = ".treaty-exits.lock"


def writable_out(out: Path | str) -> Path:
    """The output folder, created if needed and proven writable; otherwise a ``ParameterError`` in one line."""
    try:
        out = Path(out)
        outside_data(out, "--out")  # a report site written into data/ would be files the descriptor does not list
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=out)
        os.close(fd)
        os.unlink(probe)
    except DataFolderWrite as exc:
        raise ParameterError(str(exc)) from None
    except OSError as exc:
        raise ParameterError(f"--out {out}: cannot write there ({exc.strerror or exc})") from None
    return out


class BuildLock:
    """Held for a whole build: a second build into the same folder is refused in one line, naming the first."""

    def __init__(self, out: Path):
        self.path = Path(out) / LOCK_NAME
        self.fd: int | None = None

    def __enter__(self) -> BuildLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise ParameterError(
                f"--out {self.path.parent}: another build (process {holder}) is writing into it; wait for it to "
                f"finish or choose another folder"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            os.close(self.fd)  # closing releases the lock
            self.fd = None


def available_mb() -> int | None:
    """Memory available to new processes, in MB (``MemAvailable`` on Linux); None when it cannot be read."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (ValueError, OSError, AttributeError):
        return None


def default_jobs(local: bool, forked: bool) -> int:
    """Workers when ``--jobs`` is not given: one per core, and one more for the local pool when its kernels are
    forked. A kernel waits for this process between its cells (nbclient's messages, the page's export, ~a fifth
    of a report's time), so with one kernel per core a core idles while both wait; a third, forked kernel costs
    ~0.3 s of CPU and fills those gaps (20 reports: 8.4 s against 9.1 s with two, benchmarks/results.md). A
    kernel started the usual way costs a whole warm-up (~2 s of CPU), and a Dask worker is a process of its own:
    one per core."""
    cores = os.cpu_count() or 1
    return cores + 1 if local and forked else cores


def capped_jobs(requested: int, memory_mb: int | None = None) -> tuple[int, str | None]:
    """(workers, a note when the memory capped them): no more kernels than ``memory / KERNEL_MB``, at least one."""
    memory_mb = available_mb() if memory_mb is None else memory_mb
    if memory_mb is None:
        return requested, None
    cap = max(1, memory_mb // KERNEL_MB)
    if requested <= cap:
        return requested, None
    return cap, (
        f"--jobs capped at {cap} (asked {requested}): {memory_mb} MB of memory available, about {KERNEL_MB} MB "
        f"per kernel"
    )


_ADDRESS = re.compile(r"(?:(tcp|tls)://)?(\[[0-9a-fA-F:]+\]|[\w.-]+):(\d{1,5})")


def _greeting(conn: socket.socket) -> bytes:
    """What the server says unasked, until Dask's handshake shows, it stops, or 1 kB came."""
    data = b""
    while b"pickle-protocol" not in data and len(data) < 1024:
        chunk = conn.recv(1024)
        if not chunk:
            break
        data += chunk
    return data


def check_scheduler(address: str, timeout: float | None = None) -> None:
    """A Dask scheduler answers at ``address`` within ``timeout`` seconds (``config.SCHEDULER_TIMEOUT``, 5 s;
    ``TREATY_EXITS_SCHEDULER_TIMEOUT`` sets another), or ``ValueError`` in one line.

    Dask's own client waits 30 s and more for an address nobody listens on, and forever for a server that speaks
    another protocol (HTTP waits for a request); so the address is read, connected to and must greet as Dask's
    comm does (a handshake naming its compression and pickle protocol) before anything starts."""
    timeout = timeout or SCHEDULER_TIMEOUT
    found = _ADDRESS.fullmatch(address.strip())
    if not found:
        raise ValueError(f"--scheduler {address!r}: not a scheduler address; give tcp://HOST:PORT")
    scheme, host, port = found.group(1) or "tcp", found.group(2).strip("[]"), int(found.group(3))
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            conn.settimeout(timeout)
            greeting = b"" if scheme == "tls" else _greeting(conn)  # TLS greets in cipher: a connection must do
    except TimeoutError:
        raise ValueError(
            f"--scheduler {address}: no Dask scheduler greeted within {timeout:g} s (is it another kind of server?)"
        ) from None
    except OSError as exc:
        raise ValueError(f"--scheduler {address}: cannot connect ({exc.strerror or exc})") from None
    if scheme == "tcp" and b"pickle-protocol" not in greeting:
        raise ValueError(f"--scheduler {address}: the server there is not a Dask scheduler (it did not greet as one)")
