"""Per-host pacing: AutoThrottle that counts a 304 like a 200, and robots.txt's Crawl-delay.

citecheck's politeness is: robots.txt obeyed, at most
``CONCURRENT_REQUESTS_PER_DOMAIN`` requests in flight per host, a host's own
``Crawl-delay`` honoured, ``Retry-After`` honoured (``crawler.crawl.middlewares``),
and AutoThrottle spacing requests by the host's latency, never faster after an
error. There is no fixed delay on top: a fixed delay bounds a nightly run over
unchanged pages as much as the first, though a 304 costs the host next to nothing.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.extensions.throttle import AutoThrottle as ScrapyAutoThrottle

logger = logging.getLogger(__name__)


class AutoThrottle(ScrapyAutoThrottle):
    """Scrapy's AutoThrottle only lowers a host's delay after a 200 (error pages
    are small and would fake a fast server). A 304 to a conditional request is the
    normal answer on a nightly run over unchanged pages, so it counts as one."""

    def _adjust_delay(self, slot, latency: float, response) -> None:
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)


class RobotsCrawlDelay:
    """Keeps each host's slot at least its robots.txt ``Crawl-delay`` apart.

    Scrapy obeys Allow/Disallow but ignores Crawl-delay. The delay is read when
    robots.txt is parsed, before any page of the host is queued, and restored
    after every response, as AutoThrottle would lower it (this extension is
    ordered after it). The slot's random jitter (``DOWNLOAD_DELAY_JITTER``) is
    turned off, or half the waits would be shorter than asked. A delay above
    ``CITECHECK_CRAWL_DELAY_MAX`` is capped there and logged: one host must not
    hold a nightly run for hours.
    """

    def __init__(self, crawler, user_agent: str, cap: float):
        self.crawler = crawler
        self.user_agent = user_agent
        self.cap = cap
        self.floors: dict[str, float] = {}
        crawler.signals.connect(self._robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self._response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY") or settings.get("CITECHECK_REPLAY"):
            raise NotConfigured  # robots.txt is not obeyed, or the run is a replay: nothing to warn of
        user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        return cls(crawler, user_agent, settings.getfloat("CITECHECK_CRAWL_DELAY_MAX"))

    def _robots_parsed(self, robotparser, request) -> None:
        asked = robotparser.crawl_delay(self.user_agent)
        if not asked or asked <= 0:
            return
        key = self.crawler.engine.downloader.get_slot_key(request)
        if asked > self.cap:
            logger.warning("%s asks for a Crawl-delay of %g s; waiting %g s (CITECHECK_CRAWL_DELAY_MAX)",
                           key, asked, self.cap)
        self.floors[key] = min(asked, self.cap)
        self.crawler.stats.set_value(f"citecheck/crawl_delay/{key}", self.floors[key])
        self._raise(key)

    def _response_downloaded(self, response, request, spider) -> None:
        self._raise(request.meta.get("download_slot"))

    def _raise(self, key: str | None) -> None:
        floor = self.floors.get(key)
        slot = self.crawler.engine.downloader.slots.get(key) if floor else None
        if slot is not None:
            slot.delay = max(slot.delay, floor)
            slot.jitter = 0
