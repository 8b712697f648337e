"""A large nightly crawl on one machine, split across local workers: the same code path as several machines.

Scrapy does its per-request work in one thread. When most pages are new, the
run's CPU goes to extraction, which a process pool already spreads over the
cores (``crawler.crawl.pipelines``). When most pages answer 304, as on a nightly
run, that one thread is the bottleneck while the other cores idle. Such a
crawl is run as a crawl over Redis (``crawler.crawl.collect``) through a few
``citecheck worker`` processes on this machine and a private ``redis-server``
(a Unix socket in a temporary folder: no port, nothing saved), so there is
one way of splitting a crawl, whether over cores or machines. Hosts are
leased whole, so politeness is that of one crawl; the global limits
(``CONCURRENT_REQUESTS``, the extraction workers) are shared out between the workers.

The workers and the server die with the run, however it ends. Without
``redis-server`` installed, or off Linux, the crawl stays in one process.
Settings: ``CITECHECK_CRAWL_PROCESSES`` (most workers; 1 never splits) and
``CITECHECK_CRAWL_PROCESS_MIN_URLS`` (smaller crawls do not pay for starting them).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from crawler.crawl import incremental, lifeline

logger = logging.getLogger(__name__)
REDIS_SERVER = "redis-server"


def process_count(urls: list[str], previous: Mapping[str, object], settings) -> int:
    """How many crawl processes a crawl is worth: one, unless it is large and mostly revisits.

    Many new URLs mean extraction will keep the cores busy in the pipeline's
    pool (the same test starts it), and more crawl processes would only add memory.
    """
    processes = settings.getint("CITECHECK_CRAWL_PROCESSES")
    if not sys.platform.startswith("linux") or not shutil.which(REDIS_SERVER):  # PR_SET_PDEATHSIG: Linux's
        return 1
    if processes < 2 or len(urls) < max(2, settings.getint("CITECHECK_CRAWL_PROCESS_MIN_URLS")):
        return 1
    new = incremental.new_pages(urls, previous)
    return 1 if new >= settings.getint("CITECHECK_EXTRACT_POOL_MIN_URLS") else processes


def shared_limits(settings, workers: int):
    """The run's settings with its global limits shared out between ``workers`` local workers."""
    values = {"CONCURRENT_REQUESTS": max(1, settings.getint("CONCURRENT_REQUESTS") // workers)}
    extractors = settings.getint("CITECHECK_EXTRACT_WORKERS")
    values["CITECHECK_EXTRACT_WORKERS"] = max(min(extractors, 1), extractors // workers)
    copy = settings.copy()
    copy.setdict(values, priority="cmdline")
    return copy


@contextlib.contextmanager
def local_workers(count: int, allow_private: bool) -> Iterator[str]:
    """A private redis-server and ``count`` workers serving it; yields its URL."""
    lifeline.adopt_children()  # the server and workers it starts check that it is still their parent
    with tempfile.TemporaryDirectory(prefix="citecheck-redis-") as folder:
        sock = Path(folder) / "redis.sock"
        server = _start([REDIS_SERVER, "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700",
                         "--dir", folder, "--save", "", "--appendonly", "no", "--logfile", str(Path(folder) / "log")])
        url = f"unix://{sock}"
        workers: list[subprocess.Popen] = []
        try:
            _wait_for(url, server)
            workers = [_start([sys.executable, "-m", "crawler", "worker", "--redis", url, "--one-run",
                               *(["--allow-private"] if allow_private else [])]) for _ in range(count)]
            yield url
        finally:
            stop(workers)  # the run is closed: they give back nothing and leave
            server.kill()
            server.wait()


def stop(processes: list[subprocess.Popen], timeout: float = 30) -> None:
    """SIGTERM each process still running (a worker stops gracefully), then wait; kill what outlasts ``timeout``."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _start(command: list[str]) -> subprocess.Popen:
    """Dies with this process (SIGKILL included); a Ctrl-C on the terminal reaches the run, which stops them."""
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=lifeline.die_with_parent, start_new_session=True)  # noqa: PLW1509


def _wait_for(url: str, server: subprocess.Popen, timeout: float = 10) -> None:
    import redis  # 0.1 s of imports that a crawl in one process never needs

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{REDIS_SERVER} did not start") from None
                time.sleep(0.01)
    finally:
        client.close()
