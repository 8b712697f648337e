"""A worker's crawl of one run: the cited URLs come from the run's shared frontier, not from a list.

The requests are the coordinator's (``CitationsSpider.request``, serialized
into Redis), answered by the same callbacks. ``start`` yields nothing; it
keeps the crawl open, while the scheduler takes URLs from the frontier, until
the run is over (all handed back, or its coordinator gone). Settings:
``CITECHECK_REDIS_URL``, ``CITECHECK_RUN_ID``.
"""

from __future__ import annotations

import asyncio

from crawler.crawl import frontier
from crawler.crawl.spiders.citations import CitationsSpider

POLL = 0.5  # seconds between looks at whether the run is over


class FrontierSpider(CitationsSpider):
    name = "frontier"

    async def start(self):
        client = frontier.connect(self.settings.get("CITECHECK_REDIS_URL"))
        run = self.settings.get("CITECHECK_RUN_ID")
        try:
            while not frontier.run_over(client, run):  # one round trip; the crawl goes on meanwhile
                await asyncio.sleep(POLL)
        finally:
            client.close()
        return
        yield  # an asynchronous generator that yields nothing
