"""The crawl: each distinct cited URL once, and every outcome becomes a Fetch.

The spider knows nothing about citations or verdicts; it turns responses and
failures into ``crawler.models.Fetch`` items. The URLs reach Scrapy through a
``crawler.crawl.feed.HostFeed``, a few per host at a time, not all at once
(settings ``CONCURRENT_REQUESTS_PER_DOMAIN``, ``CONCURRENT_REQUESTS``). Requests carry
``dont_filter=True`` because URLs are deduplicated before the crawl, and a
redirect back to an already-seen URL must reach the errback as a loop instead
of vanishing in the duplicate filter.
"""

from __future__ import annotations

import asyncio
import logging

import scrapy

from crawler.crawl import failures
from crawler.crawl.feed import HostFeed
from crawler.crawl.incremental import archived_origin, conditional_headers
from crawler.models import Fetch, Hop, utc_now

META_KEY = "citecheck_url"
CONFIRMS_KEY = "citecheck_confirms"  # the capture a 304 would confirm (an archive.Origin, for the recorder)
IDLE_CHECK = 1.0  # seconds a start waiting for room waits before it looks whether the crawl holds anything
logger = logging.getLogger(__name__)


def response_headers(response) -> dict[str, str]:
    """Lower-cased names; repeated headers joined as HTTP allows (both spiders read headers so)."""
    return {
        key.decode("latin-1").lower(): b", ".join(values).decode("latin-1")
        for key, values in response.headers.items()
    }


def hops_for(response) -> list[Hop]:
    """The redirect chain that led to ``response``, the response itself last."""
    urls = list(response.meta.get("redirect_urls", []))
    reasons = list(response.meta.get("redirect_reasons", []))
    chain = [
        Hop(url=url, status=int(reason) if isinstance(reason, int) else 0, location=next_url)
        for url, reason, next_url in zip(urls, reasons, urls[1:] + [response.url])
    ]
    return chain + [Hop(url=response.url, status=response.status)]


class CitationsSpider(scrapy.Spider):
    name = "citations"

    def __init__(self, urls: list[str] | None = None, previous: dict[str, dict] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.urls = list(dict.fromkeys(urls or []))
        self.previous = previous or {}  # url -> last good snapshot (see store.previous_snapshots)
        self.feed: HostFeed | None = None
        self.room = asyncio.Event()  # set when a URL's outcome is in

    async def start(self):
        """Each URL's request once its host (and the crawl) has room: twice the requests per host the
        downloader runs, twice its requests in all."""
        self.feed = HostFeed(self.urls, per_host=2 * self.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                             total=2 * self.settings.getint("CONCURRENT_REQUESTS"))
        self.urls = []  # the feed holds them
        while self.feed:
            url = self.feed.take()
            if url is not None:
                yield self.request(url)
                continue
            self.room.clear()
            try:
                await asyncio.wait_for(self.room.wait(), IDLE_CHECK)
            except asyncio.TimeoutError:
                self._unstick()

    def _unstick(self) -> None:
        """A URL in progress whose outcome never reached a callback (a request some component dropped)
        must not hold its host's turn forever: when the crawl holds no request at all, none is in progress."""
        engine = self.crawler.engine
        stats = self.crawler.stats
        scheduled = (stats.get_value("scheduler/enqueued", 0) or 0) - (stats.get_value("scheduler/dequeued", 0) or 0)
        if not engine.downloader.active and not scheduled and engine.scraper.slot.is_idle():
            lost = self.feed.forget()
            if lost:
                logger.warning("%d URLs in progress had no outcome and are no longer counted", lost)

    def _done(self, url: str) -> None:
        if self.feed is not None and self.feed.done(url):
            self.room.set()

    def request(self, url: str) -> scrapy.Request:
        """A cited URL's request, asking with its previous snapshot's validators and carrying the record
        of the capture a 304 would confirm, read here from the archive (a worker on another machine has
        none; a shared frontier serializes the request: the callbacks are this spider's by name)."""
        previous = self.previous.get(url)
        headers = conditional_headers(previous)
        meta = {META_KEY: url}
        if headers:
            origin = archived_origin(previous, url)
            if origin:
                meta[CONFIRMS_KEY] = origin
        return scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True, meta=meta,
                              headers=headers)

    def parse(self, response):
        self._done(response.meta[META_KEY])
        self.crawler.stats.inc_value(f"citecheck/status/{response.status}")
        yield Fetch(
            url=response.meta[META_KEY],
            final_url=response.url,
            status=response.status,
            headers=response_headers(response),
            body=response.body,
            hops=hops_for(response),
            fetched_at=utc_now(),
        )

    def failed(self, failure):
        request = failure.request
        self._done(request.meta.get(META_KEY, request.url))
        verdict, detail = failures.verdict_for(failure.value, request.url)
        self.crawler.stats.inc_value(f"citecheck/failure/{verdict}")
        self.logger.info("%s failed: %s (%s)", request.url, verdict, detail)
        urls = list(request.meta.get("redirect_urls", []))
        yield Fetch(
            url=request.meta.get(META_KEY, request.url),
            final_url=request.url,
            hops=[Hop(url=u, status=0) for u in urls],
            error=verdict,
            error_detail=detail,
            fetched_at=utc_now(),
        )
