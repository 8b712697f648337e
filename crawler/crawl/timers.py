"""Cancelled timers let go during the crawl, not only once it is over.

Every download arms a timeout and cancels it when the response comes; Twisted
keeps a cancelled timer (about a kilobyte with its bound methods) until the
reactor next runs its due timers, and under asyncio that happens only when a
timer falls due: the earliest being a cancelled timeout, not before
``DOWNLOAD_TIMEOUT`` has passed. A crawl of thousands of pages in less time held
every timeout it ever armed (two per URL). A do-nothing timer each second
makes the reactor sweep them out as it goes (``ReactorBase.runUntilCurrent``).
"""

from __future__ import annotations

from scrapy import signals
from twisted.internet import task

SWEEP_EVERY = 1.0  # seconds


class TimerSweep:
    def __init__(self, crawler):
        self.loop = task.LoopingCall(lambda: None)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def opened(self):
        self.loop.start(SWEEP_EVERY, now=False)

    def closed(self):
        if self.loop.running:
            self.loop.stop()
