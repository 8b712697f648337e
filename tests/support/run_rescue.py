"""Run the RescueSpider once and print its items as JSON (Scrapy's reactor starts once per process).

    python -m tests.support.run_rescue '{"lookups": [...], "settings": {...}}'
"""

from __future__ import annotations

import json
import sys

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.crawl.spiders.rescue import RescueSpider


def main(spec: dict) -> list[dict]:
    settings = Settings()
    settings.setmodule("crawler.crawl.settings", priority="project")
    settings.setdict(spec.get("settings", {}), priority="cmdline")
    items: list[dict] = []
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(RescueSpider)

    def collect(item, **_):
        items.append(item)

    crawler.signals.connect(collect, signal=signals.item_scraped)  # held weakly: keep a name for it
    process.crawl(crawler, lookups=spec["lookups"])
    process.start()
    return items


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
