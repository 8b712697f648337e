"""Scrapy alone: the cheapest crawl of the benchmark's pages a Scrapy-based tool can make.

    .venv/bin/python bench/bare_scrapy.py URLS.txt

A spider that fetches every URL once, under the politeness citecheck keeps
(robots.txt, per-host cap, AutoThrottle, no jitter, retries) and Scrapy's own
defaults for everything else, and does nothing with the answers: no archive,
no extraction, no checks. ``bench/crawl.py`` measures it as a process tree
beside ``citecheck verify``: its CPU is what the stack costs before citecheck
does any work of its own, so it bounds from below what the whole job can cost
next to the extraction libraries alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.crawl import settings as ours  # noqa: E402

POLITENESS = ("ROBOTSTXT_OBEY", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_DELAY",
              "DOWNLOAD_DELAY_JITTER", "AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_START_DELAY", "AUTOTHROTTLE_MAX_DELAY",
              "AUTOTHROTTLE_TARGET_CONCURRENCY", "RETRY_TIMES", "HTTPERROR_ALLOW_ALL", "DOWNLOAD_TIMEOUT")


class Bare(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], **kwargs):
        super().__init__(**kwargs)
        self.urls = urls
        self.statuses: dict[int, int] = {}

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, dont_filter=True)

    def parse(self, response):
        self.statuses[response.status] = self.statuses.get(response.status, 0) + 1


def main(argv: list[str]) -> int:
    urls = Path(argv[0]).read_text().split()
    settings = {name: getattr(ours, name) for name in POLITENESS}
    settings.update(LOG_LEVEL="WARNING", TELNETCONSOLE_ENABLED=False)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(Bare)
    process.crawl(crawler, urls=urls)
    process.start()
    print(f"statuses {dict(sorted(crawler.spider.statuses.items()))}")
    return 0 if sum(crawler.spider.statuses.values()) == len(urls) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
