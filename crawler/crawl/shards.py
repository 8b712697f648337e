"""A nightly crawl split by host across processes, so that it uses every core.

Scrapy does its per-request work in one thread. When most pages are new, the
run's CPU goes to extraction, which a process pool already spreads over the
cores (``crawler.crawl.pipelines``). When most pages answer 304, as on a nightly
run, that one thread is the bottleneck while the other cores idle. Such a
crawl is split into groups of hosts, one crawl process each (forked, so the
imports and the previous snapshots are shared, not rebuilt).

Politeness is per host, and each host's URLs belong to exactly one process:
its robots.txt, ``Crawl-delay``, per-host concurrency and AutoThrottle pacing
are those of a single crawl. The one exception is a redirect to a host that
another process also crawls; both processes then have their own slot for it.

Each process writes its own WARC and log part (``CITECHECK_WARC_PART``,
``LOG_FILE``); the parent appends them to the run's files, in group order,
so the run still has one WARC and one log (each part opened by its own
warcinfo record and Scrapy start-up lines). Settings:
``CITECHECK_CRAWL_PROCESSES`` (most processes; 1 never splits) and
``CITECHECK_CRAWL_PROCESS_MIN_URLS`` (smaller crawls do not pay for starting
another Scrapy).
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import shutil
import signal
import sys
from collections.abc import Callable, Mapping
from multiprocessing.connection import wait
from pathlib import Path
from urllib.parse import urlsplit

from w3lib.url import safe_url_string

from crawler.crawl import incremental, lifeline

logger = logging.getLogger(__name__)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def host_groups(urls: list[str], groups: int) -> list[list[str]]:
    """At most ``groups`` lists of URLs, never splitting a host, as even in URLs as hosts allow.

    Hosts are keyed as Scrapy keys its per-host slots (the hostname of the
    URL as requested, internationalised names in punycode), and the URLs
    keep their order within each group.
    """
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(urlsplit(safe_url_string(url)).hostname or "", []).append(url)
    bins: list[list[str]] = [[] for _ in range(max(1, min(groups, len(by_host))))]
    for host_urls in sorted(by_host.values(), key=len, reverse=True):  # largest first: the greedy fill is even
        min(bins, key=len).extend(host_urls)
    order = {url: n for n, url in enumerate(urls)}
    return [sorted(group, key=order.__getitem__) for group in bins if group]


def process_count(urls: list[str], previous: Mapping[str, object], settings) -> int:
    """How many crawl processes a crawl is worth: one, unless it is large and mostly revisits.

    Many new URLs mean extraction will keep the cores busy in the pipeline's
    pool (the same test starts it), and more crawl processes would only add memory.
    """
    processes = settings.getint("CITECHECK_CRAWL_PROCESSES")
    if not sys.platform.startswith("linux"):  # fork is cheap and safe there; macOS's system libraries are not fork-safe
        return 1
    if processes < 2 or len(urls) < max(2, settings.getint("CITECHECK_CRAWL_PROCESS_MIN_URLS")):
        return 1
    new = incremental.new_pages(urls, previous)
    return 1 if new >= settings.getint("CITECHECK_EXTRACT_POOL_MIN_URLS") else processes


def part_settings(settings, part: int, parts: int):
    """One crawl process's settings: its own WARC and log part, its share of the global limits."""
    values = {"CONCURRENT_REQUESTS": max(1, settings.getint("CONCURRENT_REQUESTS") // parts)}
    workers = settings.getint("CITECHECK_EXTRACT_WORKERS")
    values["CITECHECK_EXTRACT_WORKERS"] = max(min(workers, 1), workers // parts)
    if settings.get("CITECHECK_WARC_PATH"):
        values["CITECHECK_WARC_PART"] = part_path(settings.get("CITECHECK_WARC_PATH"), part)
    if settings.get("LOG_FILE"):
        values["LOG_FILE"] = part_path(settings.get("LOG_FILE"), part)
    copy = settings.copy()
    copy.setdict(values, priority="cmdline")
    return copy


def part_path(path: str, part: int) -> str:
    return f"{path}.part{part}"


def crawl_apart(groups: list[list[str]], crawl_group: Callable[[list[str], int, Callable], object],
                receive: Callable[[object], None], log_file: str | None = None) -> bool:
    """``crawl_group(urls, part, emit)`` in one forked process per group; ``receive`` sees what each emits.

    Results stream to the parent while the crawl goes on, so that it can use
    them at once and nothing is left to transfer at the end. A process that
    dies early is noted in its log part; the caller records the URLs it did
    not report as crawled without an outcome. Stopping works as in one
    process: the crawl processes have their own process group, and each
    Ctrl-C or SIGTERM the parent gets is passed on once (Scrapy stops
    gracefully on the first and at once on the second); they also get a
    SIGTERM if the parent dies. Returns whether a stop was asked for.
    """
    lifeline.adopt_children()
    context = multiprocessing.get_context("fork")  # the crawl's imports and inputs, shared copy-on-write
    pending: dict = {}
    stops: list[int] = []

    def pass_on(signum, _frame):
        stops.append(signum)
        for _, process in pending.values():
            if process.is_alive():
                os.kill(process.pid, signum)

    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)  # none lost while the processes start
    handlers = {signum: signal.signal(signum, pass_on) for signum in STOP_SIGNALS}
    try:
        for part, group in enumerate(groups, 1):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_child, name=f"crawl-{part}",
                                      args=(sender, crawl_group, group, part, os.getpid(), handlers, mask))
            process.start()
            sender.close()
            pending[receiver] = (part, process)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        while pending:
            for receiver in wait(list(pending)):
                try:
                    receive(receiver.recv())
                except EOFError:  # the process has ended
                    part, process = pending.pop(receiver)
                    receiver.close()
                    process.join()
                    if process.exitcode:
                        _note(log_file, part, f"crawl process {part} failed (exit code {process.exitcode})")
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        for receiver, (_, process) in pending.items():  # the parent failed: no crawl outlives it
            receiver.close()
            process.kill()
            process.join()
    return bool(stops)


def _child(sender, crawl_group, group: list[str], part: int, parent: int, handlers: dict, mask) -> None:
    os.setpgid(0, 0)  # a signal to the run's process group reaches the parent, which passes it on once
    lifeline.die_with_parent()  # a parent killed outright (the OOM killer) takes its crawls along
    if os.getppid() != parent:
        os._exit(1)
    for signum, handler in handlers.items():  # not the parent's pass_on; Scrapy installs its own
        signal.signal(signum, handler)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    try:
        crawl_group(group, part, sender.send)
    finally:
        sender.close()


def _note(log_file: str | None, part: int, message: str) -> None:
    """Into the process's log part, so the run's log says it (and stderr, for whoever watches)."""
    logger.error(message)
    if log_file:
        with open(part_path(log_file, part), "a", encoding="utf-8") as log:
            log.write(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} [crawler.crawl.shards] ERROR: {message}\n")


def join_parts(path: str | None, parts: int) -> None:
    """Append each process's part of a file to the file itself, in order, and remove the parts."""
    if not path:
        return
    for part in range(1, parts + 1):
        piece = Path(part_path(path, part))
        if piece.is_file():
            with open(path, "ab") as whole, open(piece, "rb") as source:
                shutil.copyfileobj(source, whole, 1 << 20)
            piece.unlink()
