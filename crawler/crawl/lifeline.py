"""The processes a run starts die with it, however it ends: the OOM killer's SIGKILL included.

A crawl process or an extraction worker that outlives its run can receive
nothing and write nowhere: left to stop gracefully it blocks on a pipe nobody
reads, for good. Linux's ``PR_SET_PDEATHSIG`` has the kernel kill a process
when its parent dies. The extraction pool's fork server is started by
multiprocessing itself; it imports this module first (a preload module), and
in that process alone the import ties it to the run.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # prctl(2)


def die_with_parent() -> None:
    """SIGKILL this process when its parent dies; exit now if it already has (Linux; elsewhere nothing)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()  # the run may itself be PID 1 (a container's entry point): no sign of death
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died while the tie was made (callers that know their parent check it)
        os._exit(1)


def _in_fork_server() -> bool:
    """Started by multiprocessing as ``python -c "from multiprocessing.forkserver import main; …"``."""
    return sys.argv[:1] == ["-c"] and "multiprocessing.forkserver" in sys.modules


if _in_fork_server():
    die_with_parent()
