"""AutoThrottle that counts a 304 Not Modified as an answer like a 200.

Scrapy's AutoThrottle only lowers a host's delay after a 200 (error pages are
small and would fake a fast server). A 304 to a conditional request is the
normal answer on a nightly run over unchanged pages, so without this the
second run crawls every host at its start delay. Settings: Scrapy's
``AUTOTHROTTLE_*``.
"""

from __future__ import annotations

from scrapy.extensions.throttle import AutoThrottle as ScrapyAutoThrottle


class AutoThrottle(ScrapyAutoThrottle):
    def _adjust_delay(self, slot, latency: float, response) -> None:
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)
