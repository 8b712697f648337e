"""Ask the archives for copies of dead or changed sources; one item per lookup key.

Each lookup gets two requests, the Wayback availability API and a Memento
TimeGate; the item is yielded when both have answered or failed, with the
suggestion closest to the claimed date. A failure (a 503, a timeout, a body
that is not the API's shape) is recorded in the item's ``error``, not only
logged. The TimeGate's redirect is read, not followed: its ``Location`` and
``Link`` header already say which memento it chose and when that is from.

Settings: ``CITECHECK_WAYBACK_ENDPOINT``, ``CITECHECK_TIMEGATE_ENDPOINT``,
``CITECHECK_RESCUE`` (False: the spider requests nothing and yields nothing).
"""

from __future__ import annotations

import datetime as dt

import scrapy

from crawler.crawl import failures, rescue
from crawler.crawl.spiders.citations import response_headers

META_KEY = "citecheck_rescue"


class RescueSpider(scrapy.Spider):
    name = "rescue"

    def __init__(self, lookups: list[dict] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.lookups = {lookup["key"]: lookup for lookup in lookups or []}
        self.claimed = {key: dt.date.fromisoformat(lookup["claimed"]) if lookup.get("claimed") else None
                        for key, lookup in self.lookups.items()}
        self.pending: dict[str, dict] = {}

    def _requests(self, lookup: dict):
        day = self.claimed[lookup["key"]]
        meta = {"handle_httpstatus_all": True}
        url = rescue.availability_url(self.settings["CITECHECK_WAYBACK_ENDPOINT"], lookup["url"], day)
        yield scrapy.Request(url, callback=self.parse_availability, errback=self.failed, dont_filter=True,
                             meta={**meta, META_KEY: (lookup["key"], "wayback")})
        url, headers = rescue.timegate_request(self.settings["CITECHECK_TIMEGATE_ENDPOINT"], lookup["url"], day)
        yield scrapy.Request(url, headers=headers, callback=self.parse_timegate, errback=self.failed,
                             dont_filter=True, meta={**meta, "dont_redirect": True, META_KEY: (lookup["key"], "memento")})

    async def start(self):
        if not self.settings.getbool("CITECHECK_RESCUE"):
            self.logger.info("rescue lookups switched off (CITECHECK_RESCUE)")
            return
        for key, lookup in self.lookups.items():
            self.pending[key] = {"mementos": [], "errors": {}, "waiting": set(rescue.SERVICES)}
            for request in self._requests(lookup):
                yield request

    def parse_availability(self, response):
        key, service = response.meta[META_KEY]
        if response.status != 200:
            return self._done(key, service, error=f"HTTP {response.status}")
        try:
            found = rescue.parse_availability(response.body)
        except rescue.RescueError as exc:
            return self._done(key, service, error=str(exc))
        return self._done(key, service, mementos=[found] if found else [])

    def parse_timegate(self, response):
        key, service = response.meta[META_KEY]
        found = rescue.timegate_mementos(response.status, response_headers(response), response.url)
        # 404 is the RFC 7089 "no memento"; any other answer without one is the gate failing
        error = None
        if not found and response.status != 404:
            error = f"HTTP {response.status}" if response.status >= 400 else f"HTTP {response.status} without a dated memento"
        return self._done(key, service, mementos=found, error=error)

    def failed(self, failure):
        key, service = failure.request.meta[META_KEY]
        verdict, detail = failures.verdict_for(failure.value, failure.request.url)
        return self._done(key, service, error=f"{verdict}: {detail}")

    def _done(self, key: str, service: str, mementos: list | None = None, error: str | None = None):
        state = self.pending[key]
        state["waiting"].discard(service)
        state["mementos"].extend(mementos or [])
        outcome = "error" if error else "found" if mementos else "none"
        self.crawler.stats.inc_value(f"citecheck/rescue/{service}/{outcome}")
        if error:
            self.logger.info("rescue %s via %s failed: %s", key, service, error)
            state["errors"][service] = error
        if state["waiting"]:
            return []
        del self.pending[key]
        return [self._item(key, state)]

    def _item(self, key: str, state: dict) -> dict:
        lookup, claimed = self.lookups[key], self.claimed[key]
        ordered = sorted(state["mementos"], key=lambda m: rescue.SERVICES.index(m.service))
        best = rescue.closest(ordered, claimed)
        return {
            "key": key,
            "url": lookup["url"],
            "suggestion": rescue.suggestion(best, claimed) if best else None,
            "tried": list(rescue.SERVICES),  # an item is made only once every service has answered or failed
            "error": "; ".join(f"{s}: {state['errors'][s]}" for s in rescue.SERVICES if s in state["errors"]) or None,
        }
