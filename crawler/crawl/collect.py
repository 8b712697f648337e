"""The coordinator of a run over Redis: seed the frontier, collect each URL once, into the one archive.

``citecheck verify --redis URL`` crawls through the workers that serve that
Redis (``citecheck worker``). The requests are built here, exactly as a
local run builds them (conditional headers from the previous snapshots
included), and serialized with scrapy-redis's encoding into the run's
frontier (``crawler.crawl.frontier``). What workers hand back is settled as
the local pipeline settles it: text stored in the run's folder, compared with
the previous snapshot, a 304 completed from the run it confirms. Each
worker's WARC and log bytes are appended to its part of the run's WARC and
log, joined at the end as a split crawl's parts were (each opened by the
worker's own ``warcinfo``). A URL handed back twice (its worker was taken
for dead and it came back) is recorded once: the first outcome counts.

The crawl ends early, and the run is recorded as far as it got (exit 3),
when no worker has been alive for ``CITECHECK_REDIS_NO_WORKER_WAIT``
seconds, when Redis is lost (or restarted empty), or on Ctrl-C / SIGTERM.
The frontier holds at most ``CITECHECK_REDIS_FRONTIER_URLS`` URLs at a time, a
few per host (``crawler.crawl.feed``), and more are added as outcomes come
back: Redis holds the URLs in progress, not the run's (the coordinator holds
the others as strings).
Settings: ``CITECHECK_REDIS_URL``, ``CITECHECK_REDIS_NO_WORKER_WAIT``,
``CITECHECK_REDIS_FRONTIER_URLS``.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import redis
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy_redis.queue import Base

from crawler.crawl import frontier, lifeline
from crawler.crawl.feed import HostFeed
from crawler.crawl.handback import Outcome
from crawler.crawl.pipelines import Snapshot, extract, finish, settle_unextracted
from crawler.crawl.spiders.citations import CitationsSpider
from crawler.record.archive import sha256_hex

logger = logging.getLogger(__name__)
SWEEP_EVERY = 1.0  # seconds between the coordinator's heartbeats and sweeps for dead workers
LOCAL = frozenset({  # the coordinator's own files and wiring, never a worker's
    "CITECHECK_RUN_DIR", "CITECHECK_WARC_PATH", "LOG_FILE", "CITECHECK_REPLAY",
    "CITECHECK_REDIS_URL", "CITECHECK_REDIS_NO_WORKER_WAIT"})


class RunLost(Exception):
    """Redis no longer holds the run (restarted, flushed)."""


def shipped_settings(settings) -> dict:
    """What the run asks of every worker: the settings set for it (environment, options, -s), not defaults."""
    chosen = {name for name in settings if settings.getpriority(name) >= SETTINGS_PRIORITIES["spider"]}
    values = {name: settings[name] for name in chosen - LOCAL}
    values["USER_AGENT"] = settings.get("USER_AGENT")
    return {name: value.copy_to_dict() if isinstance(value, BaseSettings) else value for name, value in values.items()}


def part_path(path: str, part: int) -> str:
    return f"{path}.part{part}"


def join_parts(path: str | None, parts: int) -> None:
    """Append each part of a file to the file itself, in order, and remove the parts."""
    if not path:
        return
    for part in range(1, parts + 1):
        piece = Path(part_path(path, part))
        if piece.is_file():
            with open(path, "ab") as whole, open(piece, "rb") as source:
                shutil.copyfileobj(source, whole, 1 << 20)
            piece.unlink()


class Parts:
    """Each worker's WARC and log bytes, in the order they came, in a part of the run's file."""

    def __init__(self, paths: dict[str, str | None]):
        self.paths = paths
        self.numbers: dict[str, int] = {}  # worker -> part, in order of first message

    def add(self, worker: str, parts: dict[str, bytes]) -> None:
        number = self.numbers.setdefault(worker, len(self.numbers) + 1)
        for name, data in parts.items():
            if data and self.paths.get(name):
                with open(part_path(self.paths[name], number), "ab") as part:
                    part.write(data)

    def join(self) -> None:
        for path in self.paths.values():
            join_parts(path, len(self.numbers))


def settle(outcome: Outcome, previous: dict | None, run_dir: Path, warc_path: Path | None) -> Snapshot:
    """A worker's outcome as the local pipeline leaves it (``ExtractionPipeline.process_item``)."""
    fetch = outcome.fetch
    if fetch.status is not None and outcome.extracted is not None:
        return finish(fetch, outcome.extracted, outcome.body_sha256, run_dir, warc_path, previous)
    settled = settle_unextracted(fetch, previous, run_dir, warc_path, replay=False)
    if isinstance(settled, Snapshot):
        return settled
    headers, body = settled  # a 304 the worker could not extract: the earlier copy is in this archive
    return finish(fetch, extract(body, fetch.final_url or fetch.url, headers), sha256_hex(body), run_dir, warc_path,
                  previous)


def crawl_through(urls: list[str], settings, previous: Mapping[str, dict],
                  on_snapshot: Callable[[Snapshot], None]) -> tuple[str | None, list[str]]:
    """Every URL through the run's workers, each snapshot handed to ``on_snapshot`` as it is settled (none
    kept here); returns why the crawl ended early (None: it did not) and the URLs it did not get to."""
    redis_url = settings.get("CITECHECK_REDIS_URL")
    run_dir = Path(settings.get("CITECHECK_RUN_DIR"))
    run = run_dir.name
    warc = settings.get("CITECHECK_WARC_PATH")
    parts = Parts({"warc": warc, "log": settings.get("LOG_FILE")})
    wait = settings.getfloat("CITECHECK_REDIS_NO_WORKER_WAIT")
    client = frontier.connect(redis_url)
    stops = []
    feed = HostFeed(urls, per_host=4 * settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                    total=settings.getint("CITECHECK_REDIS_FRONTIER_URLS"))
    spider = CitationsSpider(previous=previous)  # the requests a local run makes
    encode = Base(client, spider, frontier.key(run, "frontier"))._encode_request

    def fed() -> list[tuple[str, str, bytes]]:
        """The URLs the feed has room for now, as the frontier holds them."""
        return [(url, frontier.host_of(url), encode(spider.request(url))) for url in iter(feed.take, None)]

    def receive(message: dict) -> None:
        parts.add(message["worker"], message["parts"])
        url = message["url"]
        if url is None:
            return
        own = feed.done(url)
        if own is None:  # its worker was taken for dead, and another fetched it too
            logger.warning("%s came back twice (from %s); the first outcome counts", url, message["worker"])
            return
        outcome = message["outcome"]
        outcome.fetch.url = own  # the run's own string of it, not the message's copy, is what stays
        on_snapshot(settle(outcome, previous.get(own), run_dir, Path(warc) if warc else None))
        frontier.add(client, run, fed())

    problem = None
    with lifeline.stops_handled(lambda signum, _: stops.append(signum)):  # the workers leave a closed run
        try:
            frontier.seed(client, run, shipped_settings(settings), fed())
            last_seen, next_sweep = time.monotonic(), 0.0
            while (len(feed) or feed.in_progress) and not stops:  # URLs not handed out, or not back
                message = frontier.next_result(client, run, timeout=0.5)
                if message:
                    receive(message)
                now = time.monotonic()
                if now < next_sweep:
                    continue
                next_sweep = now + SWEEP_EVERY
                if not client.exists(frontier.key(run, "settings")):
                    raise RunLost
                frontier.keep_alive(client, run)
                if frontier.sweep(client, run):
                    logger.warning("a worker stopped answering; its URLs went back to the frontier")
                if frontier.workers_alive(client):
                    last_seen = now
                elif now - last_seen > wait:
                    problem = (f"no citecheck worker is serving {redis_url} (none for {wait:g} s; "
                               f"start one with: citecheck worker --redis {redis_url})")
                    break
        except RunLost:
            problem = f"Redis at {redis_url} lost the run (restarted or flushed); run it again"
        except redis.RedisError as exc:
            problem = f"lost the connection to Redis at {redis_url} ({exc}); run it again"
        finally:
            try:
                frontier.close(client, run)
            except redis.RedisError:
                pass
            client.close()
            parts.join()
    if stops and not problem:
        problem = "stopped"
    return problem, feed.unfinished()

