"""What a run shows while it crawls: how far it is, what failed so far, what it waits for.

On a terminal, a live line drawn by rich, gone when the crawl ends; elsewhere
(CI logs, cron mail) a plain status line on stderr every few seconds, so that a
silent minute never looks like a hang. The runner only reports events
(``start``, ``done``, ``close``); nothing here touches the crawl. The host
"waited on" is the one with the most cited URLs still open: the one a run's end
waits for.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from typing import TextIO
from urllib.parse import urlsplit

from crawler.checks.linkstatus import is_probe

PLAIN_EVERY = 5.0  # seconds between status lines without a terminal


class Progress:
    def __init__(self, stream: TextIO | None = None, live: bool | None = None, every: float = PLAIN_EVERY):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.every = every
        self.open: Counter = Counter()  # host -> cited URLs not done yet
        self.pending: set[str] = set()
        self.total = self.failed = 0
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._bar = None

    # -- events from the runner

    def start(self, urls: list[str]) -> None:
        self.pending = {url for url in urls if not is_probe(url)}
        self.open = Counter(_host(url) for url in self.pending)
        self.total, self.started = len(self.pending), time.monotonic()
        if self.live:
            self._start_bar()
        else:
            self._line()
            self._thread = threading.Thread(target=self._every, name="citecheck-progress", daemon=True)
            self._thread.start()

    def done(self, snapshot) -> None:
        url = snapshot.fetch.url
        if url not in self.pending:
            return  # a probe, or a page fetched after the cited ones (an edition)
        self.pending.discard(url)
        self.open[_host(url)] -= 1
        if snapshot.fetch.error or (snapshot.fetch.status or 0) >= 400:
            self.failed += 1
        if self._bar is not None:
            self._bar.update(self._task, completed=self.total - len(self.pending), failed=self.failed,
                             waiting=self.waiting_on())

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._bar is not None:
            self._bar.stop()
        elif self.total:
            self._line(final=True)

    # -- what is shown

    def waiting_on(self) -> str:
        host, left = max(self.open.items(), key=lambda item: item[1], default=("", 0))
        return f"waiting on {host} ({left} left)" if left else ""

    def status(self) -> str:
        done = self.total - len(self.pending)
        parts = [f"{done}/{self.total} URLs", f"{self.failed} failed"]
        elapsed = time.monotonic() - self.started
        if 0 < done < self.total:
            parts.append(f"about {_duration(elapsed / done * (self.total - done))} left")
        waiting = self.waiting_on()
        return "citecheck: " + ", ".join(parts) + (f"; {waiting}" if waiting else "")

    def _line(self, final: bool = False) -> None:
        done = self.total - len(self.pending)
        text = (f"citecheck: {done}/{self.total} URLs fetched in {_duration(time.monotonic() - self.started)}, "
                f"{self.failed} failed" if final else self.status())
        print(text, file=self.stream, flush=True)

    def _every(self) -> None:
        while not self._stop.wait(self.every):
            self._line()

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

        self._bar = Bar(TextColumn("fetching"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[failed]} failed"), TimeRemainingColumn(),
                        TextColumn("{task.fields[waiting]}"), console=Console(file=self.stream), transient=True)
        self._task = self._bar.add_task("fetch", total=self.total, failed=0, waiting=self.waiting_on())
        self._bar.start()


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
