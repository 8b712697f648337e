"""The crawl: each distinct cited URL once, and every outcome becomes a Fetch.

The spider knows nothing about citations or verdicts; it turns responses and
failures into ``crawler.models.Fetch`` items. Requests carry
``dont_filter=True`` because URLs are deduplicated before the crawl, and a
redirect back to an already-seen URL must reach the errback as a loop instead
of vanishing in the duplicate filter.
"""

from __future__ import annotations

from pathlib import Path

import scrapy

from crawler.crawl import failures
from crawler.crawl.incremental import archived_origin, conditional_headers
from crawler.models import Fetch, Hop, utc_now

META_KEY = "citecheck_url"
CONFIRMS_KEY = "citecheck_confirms"  # the capture a 304 would confirm (an archive.Origin, for the recorder)


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

    async def start(self):
        for url in self.urls:
            yield self.request(url)

    def request(self, url: str) -> scrapy.Request:
        """A cited URL's request, asking with its previous snapshot's validators and carrying the record
        of the capture a 304 would confirm, read here from the archive (a worker on another machine has
        none; a shared frontier serializes the request: the callbacks are this spider's by name)."""
        previous = self.previous.get(url)
        headers = conditional_headers(previous)
        meta = {META_KEY: url}
        if headers and previous.get("warc_path"):
            origin = archived_origin(Path(previous["warc_path"]), url)
            if origin:
                meta[CONFIRMS_KEY] = origin
        return scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True, meta=meta,
                              headers=headers)

    def parse(self, response):
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
