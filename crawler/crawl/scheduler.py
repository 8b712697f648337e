"""A worker's scheduler: scrapy-redis's, over a run's shared frontier of leased hosts.

scrapy-redis's ``Scheduler`` asks its queue for the next request; this
queue (``HostLeaseQueue``) takes it from a host the worker leased
(``crawler.crawl.frontier``). A few URLs per host are taken at a time, and
hosts are leased while the downloader has room, so each worker crawls many
hosts at once and no host is crawled by two workers. A host is given up once
it is found empty with none of its URLs out (the coordinator adds a host's
URLs as others come back: found empty is not yet done). Requests the crawl makes
itself (retries, redirect hops) stay in the worker: they belong to a URL it
holds. When the crawl closes, whatever it still holds goes back to the frontier.

Settings: ``CITECHECK_REDIS_URL``, ``CITECHECK_RUN_ID``, ``CITECHECK_WORKER_ID``;
``CONCURRENT_REQUESTS`` and ``CONCURRENT_REQUESTS_PER_DOMAIN`` (how many hosts
and URLs per host are held at once).
"""

from __future__ import annotations

import collections
import logging

from scrapy import signals
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler

from crawler.crawl import frontier
from crawler.crawl.handback import Outcome, Tail, message

logger = logging.getLogger(__name__)


class HostLeaseQueue(Base):
    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        settings = spider.settings
        self.run = settings.get("CITECHECK_RUN_ID")
        self.worker = settings.get("CITECHECK_WORKER_ID")
        per_host = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.per_host = 2 * per_host  # one more round waiting in the slot: the host never waits for Redis
        self.max_hosts = max(1, settings.getint("CONCURRENT_REQUESTS") // max(1, per_host))
        self.own: collections.deque = collections.deque()  # retries and redirect hops
        self.held: dict[str, int] = {}  # host -> URLs taken and not yet handed back
        self.drained: set[str] = set()  # held hosts with nothing left to take

    def __len__(self):
        return len(self.own)

    def push(self, request):
        self.own.append(request)

    def pop(self, timeout=0):
        if self.own:
            return self.own.popleft()
        for host, taken in list(self.held.items()):  # a host found empty is given up on the way
            if taken < self.per_host and host not in self.drained:
                request = self._take(host)
                if request is not None:
                    return request
        while len(self.held) < self.max_hosts:
            host = frontier.lease_host(self.server, self.run, self.worker)
            if host is None:
                return None
            self.held[host] = 0
            request = self._take(host)
            if request is not None:
                return request
        return None

    def _take(self, host: str):
        data = frontier.take(self.server, self.run, self.worker, host)
        if data is None:
            self.drained.add(host)
            self._release(host)
            return None
        self.held[host] += 1
        return self._decode_request(data)

    def handed_back(self, host: str) -> None:
        """One of the host's URLs is back with the coordinator, which may have added more of the host's
        for it: a host found empty is looked at again before it is given up."""
        if host in self.held:
            self.held[host] -= 1
            self.drained.discard(host)

    def _release(self, host: str) -> None:
        if self.held.get(host) != 0 or host not in self.drained:
            return
        self.drained.discard(host)
        if frontier.release_host(self.server, self.run, self.worker, host):  # given up, or not ours
            del self.held[host]

    def clear(self):
        """Everything this worker holds goes back to the frontier (never the frontier itself)."""
        self.own.clear()
        if self.held:
            returned = frontier.sweep(self.server, self.run, self.worker)
            logger.info("gave %d URLs of %d hosts back to the frontier", returned, len(self.held))
            self.held.clear()


class FrontierScheduler(Scheduler):
    """scrapy-redis's scheduler, which also hands each URL's outcome back to the run.

    The frontier is the coordinator's: the worker never flushes it
    (``SCHEDULER_PERSIST``); it gives back what it holds when it closes.
    """

    def open(self, spider):
        super().open(spider)
        crawler = spider.crawler
        self.worker = crawler.settings.get("CITECHECK_WORKER_ID")
        self.tails = {"warc": Tail(crawler.settings.get("CITECHECK_WARC_PATH")),
                      "log": Tail(crawler.settings.get("LOG_FILE"))}
        crawler.signals.connect(self.hand_back, signal=signals.item_scraped)

    def hand_back(self, item, **_):
        if not isinstance(item, Outcome):
            return
        self.stats.inc_value("citecheck/handed_back")
        if not frontier.hand_back(self.server, self.queue.run, message(self.worker, item, self.tails)):
            self.stats.inc_value("citecheck/handed_back_late")  # the run was over (or swept us): not collected
        self.queue.handed_back(frontier.host_of(item.fetch.url))

    def close(self, reason):
        try:
            frontier.hand_back(self.server, self.queue.run, message(self.worker, None, self.tails))
            self.queue.clear()
        except Exception:  # Redis gone: the coordinator's sweep returns them once it is back  # noqa: BLE001
            logger.exception("could not give this worker's URLs back to the frontier")
        finally:
            for tail in self.tails.values():
                tail.close()
        super().close(reason)
