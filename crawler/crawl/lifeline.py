"""The processes a run starts die with it, however it ends: the OOM killer's SIGKILL included.

A crawl process or an extraction worker that outlives its run can receive
nothing and write nowhere: left to stop gracefully it blocks on a pipe nobody
reads, for good. Linux's ``PR_SET_PDEATHSIG`` has the kernel kill a process
when its parent dies. The extraction pool's fork server is started by
multiprocessing itself; it imports this module first (a preload module), and
in that process alone the import ties it to the run.

The tie is made some time after the process starts (a pool worker imports its task's module
first), and the parent may die before it: then the process has been handed to PID 1 or a
subreaper, and ``getppid()`` alone cannot tell that from a run that *is* PID 1 (a container's
entry point). So a process names itself in ``CITECHECK_PARENT_PID`` before it starts others
(``adopt_children``), which inherit it, and a process whose parent is no longer the one named
exits at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1  # prctl(2)
PARENT_ENV = "CITECHECK_PARENT_PID"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)  # what asks a run, a crawl or a worker to stop


def adopt_children() -> None:
    """Name this process as the parent of the processes it starts from now on (they inherit the environment)."""
    os.environ[PARENT_ENV] = str(os.getpid())


def die_with_parent() -> None:
    """SIGKILL this process when its parent dies; exit now if it already has (Linux; elsewhere nothing)."""
    if not sys.platform.startswith("linux"):
        return
    named = os.environ.get(PARENT_ENV, "")
    parent = int(named) if named.isdigit() else os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the tie was made, or while it was
        os._exit(1)


def _in_fork_server() -> bool:
    """Started by multiprocessing as ``python -c "from multiprocessing.forkserver import main; …"``."""
    return sys.argv[:1] == ["-c"] and "multiprocessing.forkserver" in sys.modules


if _in_fork_server():
    die_with_parent()
    adopt_children()  # the pool's workers, forked from here, check that it is still their parent


@contextlib.contextmanager
def stops_handled(handler):
    """Ctrl-C and SIGTERM go to ``handler`` (``signal.SIG_IGN``: swallowed) while the block runs. Only
    the main thread may set handlers: elsewhere the process's own stay."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, handler) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
