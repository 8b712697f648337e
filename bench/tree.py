"""A command measured as a process tree: wall time, CPU summed over every process, peak memory.

``time -v`` and ``wait4`` see only the children a process waits for: the
extraction pool's workers are forked by a fork server that nobody waits for,
so their CPU never reaches the run's rusage. The sampler reads /proc for the
whole tree (every descendant, found through the parent ids) every 0.1 s: CPU
as each process's last-seen user + system ticks (a process loses at most its
last 0.1 s), memory as the peak of the tree's summed RSS and PSS (PSS counts
a page shared by forked workers once, split between them: the memory the
tree really holds).
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import threading
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
INTERVAL = 0.1


def _stats() -> dict[int, list[str]]:
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    stats[int(entry)] = fh.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                pass
    return stats


def _kb(path: str, field: str) -> int:
    try:
        with open(path) as fh:
            return next((int(line.split()[1]) for line in fh if line.startswith(field)), 0)
    except OSError:
        return 0


class TreeSampler(threading.Thread):
    """Peak summed RSS and PSS, and CPU ticks, of a process and all its descendants."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.done = pid, threading.Event()
        self.peak_rss_kb = self.peak_pss_kb = self.peak_main_pss_kb = 0
        self.cpu_ticks: dict[int, int] = {}
        self.processes = 0

    def sample(self) -> None:
        stats = self._tree(_stats())
        for pid, st in stats.items():
            self.cpu_ticks[pid] = int(st[11]) + int(st[12])
        self.peak_rss_kb = max(self.peak_rss_kb, sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in stats))
        each = {p: _kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in stats}
        self.peak_main_pss_kb = max(self.peak_main_pss_kb, each.get(self.pid, 0))
        pss = sum(each.values())
        if pss > self.peak_pss_kb:  # the processes the peak is made of, not a short-lived one seen elsewhen
            self.peak_pss_kb, self.processes = pss, len(stats)

    def _tree(self, stats: dict[int, list[str]]) -> dict[int, list[str]]:
        tree, frontier = {self.pid}, {self.pid}
        while frontier:
            frontier = {p for p, st in stats.items() if int(st[1]) in frontier} - tree
            tree |= frontier
        return {pid: stats[pid] for pid in tree if pid in stats}

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu_ticks.values()) / TICK

    def run(self) -> None:
        while not self.done.wait(INTERVAL):
            self.sample()


@dataclasses.dataclass
class Measured:
    wall: float
    cpu: float  # seconds, summed over the tree
    cpu_main: float  # seconds of the started process alone
    rss_mb: float  # peak of the tree's summed RSS
    pss_mb: float  # peak of the tree's summed PSS
    main_pss_mb: float  # peak PSS of the started process alone (a split run's coordinator: at its end, alone)
    processes: int
    exit_code: int


def measure(cmd: list[str], cwd: Path, env: dict, out: Path, timeout: float, stdin: bytes | None = None) -> Measured:
    """Run ``cmd`` (stdout and stderr to ``out``) and measure its tree."""
    with open(out, "wb") as sink:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT, env=env,
                                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        if stdin is not None:
            proc.stdin.write(stdin)
            proc.stdin.close()
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        timer.cancel()
        sampler.done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    # wait4's rusage holds the children the process waited for; the sampler, the ones it did not
    cpu = max(usage.ru_utime + usage.ru_stime, sampler.cpu_seconds)
    return Measured(wall=wall, cpu=cpu, cpu_main=sampler.cpu_ticks.get(proc.pid, 0) / TICK,
                    rss_mb=sampler.peak_rss_kb / 1024, pss_mb=sampler.peak_pss_kb / 1024,
                    main_pss_mb=sampler.peak_main_pss_kb / 1024,
                    processes=sampler.processes, exit_code=proc.returncode)
