"""The cited URLs handed to the crawl a few at a time, host by host in turn.

Scrapy's engine goes on pulling a spider's start requests into the scheduler
while the downloader is full, so a list of 10,000 URLs became 10,000 requests
held from the first seconds of the crawl on (``bench/memory.py``: 0.8 KB more
peak memory per URL). The feed holds the URLs as strings, grouped by host, and
gives out the next one from the next host in turn that has fewer than
``per_host`` in progress, while fewer than ``total`` are in progress in all.
Enough stay scheduled for Scrapy's downloader-aware queue to pick an idle
host, and no one slow host (a long ``Crawl-delay``) fills the crawl's room with
its waiting requests, as a bound in all alone would let it. A URL is in
progress from ``take`` until ``done`` (its outcome reached the spider).
"""

from __future__ import annotations

import collections
from urllib.parse import urlsplit


def host_of(url: str) -> str:
    """The key Scrapy's downloader slots requests by (the host name)."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # a malformed URL is the crawl's to report; it gets a turn of its own
        return ""


class HostFeed:
    def __init__(self, urls, per_host: int, total: int):
        self.per_host = max(1, per_host)
        self.total = max(1, total)
        self.queues: dict[str, collections.deque] = {}
        for url in urls:
            self.queues.setdefault(host_of(url), collections.deque()).append(url)
        self.turns = collections.deque(self.queues)  # hosts with URLs left, in turn
        self.busy: collections.Counter = collections.Counter()  # host -> URLs in progress
        self.taken: dict[str, tuple[str, str]] = {}  # URL in progress -> its host, and the URL as the feed holds it
        self.left = sum(len(queue) for queue in self.queues.values())

    def __len__(self) -> int:
        """URLs not given out yet."""
        return self.left

    @property
    def in_progress(self) -> int:
        return len(self.taken)

    def take(self) -> str | None:
        """The next URL to crawl, or None while every host with URLs left is at its bound (or all are)."""
        if len(self.taken) >= self.total:
            return None
        for _ in range(len(self.turns)):
            host = self.turns.popleft()
            if self.busy[host] >= self.per_host:
                self.turns.append(host)
                continue
            queue = self.queues[host]
            url = queue.popleft()
            if queue:
                self.turns.append(host)
            else:
                del self.queues[host]
            self.left -= 1
            self.busy[host] += 1
            self.taken[url] = host, url
            return url
        return None

    def done(self, url: str) -> str | None:
        """``url``'s outcome is in (a URL the feed did not give out is ignored). If it was in progress:
        the URL as the feed holds it, the one string a run of 100,000 keeps of it (an outcome that came
        through Redis brings a copy of its own)."""
        host, own = self.taken.pop(url, (None, None))
        if host is None:
            return None
        self.busy[host] -= 1
        if not self.busy[host]:
            del self.busy[host]
        return own

    def unfinished(self) -> list[str]:
        """The URLs not given out, and those given out whose outcome is not in: a crawl that stopped lost them."""
        return [url for queue in self.queues.values() for url in queue] + list(self.taken)

    def forget(self) -> int:
        """Drop every URL in progress (the crawl holds none of them any more); returns how many."""
        count = len(self.taken)
        self.taken.clear()
        self.busy.clear()
        return count
