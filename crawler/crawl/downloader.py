"""Scrapy's downloader, with each host's limit on requests in flight holding when several wait at once.

Scrapy 2.19 starts a waiting request's download as an asyncio task and
counts it as transferring only once the task runs; the loop that starts
them checks the count first, so every request waiting in a host's slot
starts at once (25 in flight to one host with ``CONCURRENT_REQUESTS_PER_DOMAIN``
1, measured with ``tests/test_distributed.py``'s counting server). Here a
request is counted the moment it is started. A download delay (AutoThrottle's,
a ``Crawl-delay``) already started one at a time; a host answered at delay 0
(the first requests of a run, before AutoThrottle has a latency) did not.
Setting: ``DOWNLOADER``.
"""

from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader as ScrapyDownloader
from scrapy.core.downloader import Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class Downloader(ScrapyDownloader):
    def _process_queue(self, slot: Slot) -> None:
        """Scrapy's, with ``slot.transferring`` added to before the task starts (``_download`` adds it
        again, which a set ignores, and removes it when done)."""
        if slot.latercall:
            return
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:  # one at a time, the next after the delay
                self._process_queue(slot)
                break
