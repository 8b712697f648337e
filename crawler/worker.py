"""``citecheck worker``: serves the runs of a shared Redis, one at a time, until SIGTERM.

The worker process itself only keeps its heartbeat and looks for runs
(``crawler.crawl.frontier``); each run it serves is crawled by a child
process of its own (forked; from the second run on with the crawl's imports
done once, ``_preload``), as Twisted's reactor cannot be restarted, with that
run's settings. The child dies with the worker, whose heartbeat then
lapses, and the run's coordinator returns what it held to the frontier.

A SIGTERM or Ctrl-C is passed on to the child, which stops as Scrapy stops
(the downloads in flight end and are handed back) and gives the rest back;
then the worker exits.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import secrets
import signal
import socket
import sys
import tempfile
import threading
from pathlib import Path

import redis

from crawler.crawl import frontier, lifeline
from crawler.record import archive

logger = logging.getLogger(__name__)
POLL = 0.2  # seconds between looks for a run to serve
# forked (Linux): the crawl's imports are the worker's, done once; elsewhere a fresh interpreter each run
CONTEXT = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
FORCED = {  # the run's own wiring on a worker: its files are its own, handed back as they grow
    "SCHEDULER": "crawler.crawl.scheduler.FrontierScheduler",
    "SCHEDULER_QUEUE_CLASS": "crawler.crawl.scheduler.HostLeaseQueue",
    "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
    "SCHEDULER_PERSIST": True,  # the frontier is the coordinator's to remove
    "ITEM_PIPELINES": {"crawler.crawl.handback.WorkerPipeline": 300},
}


class WorkerError(Exception):
    """The worker cannot serve (no Redis at that address)."""


def worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(2)}"


def serve(redis_url: str, allow_private: bool = False, timeout: float | None = None, one_run: bool = False,
          echo=lambda text: print(text, file=sys.stderr, flush=True)) -> None:
    """Serve runs until a stop signal; raises WorkerError when Redis cannot be reached at the start.
    ``one_run``: serve the first run only, crawled in this process (no reactor to restart after it,
    so no child beside a worker holding what it holds): a local worker of a split crawl."""
    lifeline.adopt_children()  # the crawl processes it forks check that it is still their parent
    client = frontier.connect(redis_url)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise WorkerError(f"cannot reach Redis at {redis_url}: {exc}") from None
    worker = worker_id()
    stopping, finished = threading.Event(), threading.Event()
    child: list = []

    def stop(signum, _frame):
        stopping.set()
        if child and child[-1].is_alive():
            os.kill(child[-1].pid, signum)  # Scrapy: the first stops gracefully, the second at once

    with lifeline.stops_handled(stop):
        beat = threading.Thread(target=_beat, args=(client, worker, finished), daemon=True, name="heartbeat")
        beat.start()
        echo(f"citecheck worker {worker}: serving runs on {redis_url}")
        try:
            while not stopping.is_set():
                try:
                    runs = frontier.open_runs(client)
                except redis.RedisError as exc:
                    echo(f"citecheck worker {worker}: Redis does not answer ({exc}); trying again")
                    stopping.wait(2)
                    continue
                if not runs:
                    stopping.wait(POLL)
                    continue
                echo(f"citecheck worker {worker}: crawling run {runs[0]}")
                with tempfile.TemporaryDirectory(prefix=f"citecheck-{runs[0]}-") as folder:
                    if one_run:
                        code = _crawl_here(redis_url, runs[0], worker, allow_private, timeout, Path(folder))
                    else:
                        child.append(CONTEXT.Process(target=_crawl_child, name=f"crawl-{runs[0]}", args=(
                            redis_url, runs[0], worker, allow_private, timeout, Path(folder), os.getpid())))
                        child[-1].start()
                        child[-1].join()
                        code = child[-1].exitcode
                if code and not stopping.is_set():
                    echo(f"citecheck worker {worker}: the crawl of run {runs[0]} ended with exit code {code}")
                _give_back(client, runs[0], worker)  # a crawl that died holds URLs this heartbeat would keep
                if one_run:
                    break
                _preload()
        finally:
            finished.set()
            try:
                client.delete(frontier.worker_key(worker))  # gone at once, not when the heartbeat lapses
            except redis.RedisError:
                pass
    echo(f"citecheck worker {worker}: stopped")


def _preload() -> None:
    """The crawl's imports, once a run is served: each later run's crawl process is forked with them (a
    second saved a run). Not before the first: the worker would hold a copy of what its crawl process
    holds, and the local workers of a split crawl (``crawler.crawl.shards``) serve one run only."""
    if CONTEXT.get_start_method() == "fork":
        import scrapy.crawler  # noqa: F401

        import crawler.crawl.handback  # noqa: F401
        import crawler.crawl.scheduler  # noqa: F401
        import crawler.crawl.spiders.frontier  # noqa: F401


def _crawl_child(redis_url: str, run: str, worker: str, allow_private: bool, timeout: float | None, folder: Path,
                 parent: int) -> None:
    for signum in lifeline.STOP_SIGNALS:  # not the worker's handler; Scrapy installs its own
        signal.signal(signum, signal.SIG_DFL)
    lifeline.die_with_parent()  # a worker killed outright takes its crawl along
    if os.getppid() != parent:
        os._exit(1)
    sys.exit(crawl_run(redis_url, run, worker, allow_private, timeout, folder))


def _crawl_here(redis_url: str, run: str, worker: str, allow_private: bool, timeout: float | None,
                folder: Path) -> int:
    """A one-run worker's crawl, in its own process: a failure is reported as a child's would be."""
    try:
        return crawl_run(redis_url, run, worker, allow_private, timeout, folder)
    except Exception:
        logger.exception("the crawl of run %s failed", run)
        return 1


def _give_back(client: redis.Redis, run: str, worker: str) -> None:
    try:
        frontier.sweep(client, run, worker)
    except redis.RedisError as exc:
        logger.warning("could not give run %s's URLs back: %s", run, exc)


def _beat(client: redis.Redis, worker: str, finished: threading.Event) -> None:
    while not finished.is_set():
        try:
            frontier.heartbeat(client, worker)
        except redis.RedisError as exc:
            logger.warning("heartbeat failed: %s", exc)
        finished.wait(frontier.HEARTBEAT)


def crawl_settings(shipped: dict, redis_url: str, run: str, worker: str, folder: Path, allow_private: bool,
                   timeout: float | None):
    """The run's settings as the coordinator sent them, with this worker's files, guard and wiring."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.crawl.settings", priority="project")
    settings.setdict(shipped, priority="cmdline")
    allow = allow_private and settings.getbool("CITECHECK_ALLOW_PRIVATE")  # the worker's guard holds in any case
    timeout = timeout or settings.getfloat("DOWNLOAD_TIMEOUT")
    info = dict(settings.getdict("CITECHECK_WARC_INFO"))
    info.update({"citecheck-worker": worker, "citecheck-allow-private": str(allow), "download-timeout": str(timeout)})
    settings.setdict({
        **FORCED,
        "REDIS_URL": redis_url,
        "SCHEDULER_QUEUE_KEY": frontier.key(run, "frontier"),
        "SCHEDULER_DUPEFILTER_KEY": frontier.key(run, "dupefilter"),
        "CITECHECK_REDIS_URL": redis_url,
        "CITECHECK_RUN_ID": run,
        "CITECHECK_WORKER_ID": worker,
        "CITECHECK_RUN_DIR": str(folder),
        "CITECHECK_WARC_PATH": str(folder / archive.warc_name(run)),  # named as the run's, which its parts join
        "CITECHECK_WARC_INFO": info,
        "LOG_FILE": str(folder / "crawl.log"),
        "CITECHECK_ALLOW_PRIVATE": allow,
        "DOWNLOAD_TIMEOUT": timeout,
    }, priority="cmdline")
    return settings


def crawl_run(redis_url: str, run: str, worker: str, allow_private: bool, timeout: float | None, folder: Path) -> int:
    """One run's crawl in this (child) process."""
    from scrapy.crawler import CrawlerProcess

    from crawler.crawl.pipelines import close_extractors
    from crawler.crawl.spiders.frontier import FrontierSpider

    shipped = frontier.run_settings(frontier.connect(redis_url), run)
    if shipped is None:
        return 0  # over before it began
    process = CrawlerProcess(crawl_settings(shipped, redis_url, run, worker, folder, allow_private, timeout))
    process.crawl(FrontierSpider)
    try:
        process.start()
    finally:
        close_extractors()
    return 0


