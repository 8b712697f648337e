"""Item pipeline: extract each fetched document as it arrives and archive its text.

Doing this per item, not after the crawl, lets the body be dropped at once, so
memory stays flat however many pages a run fetches. A 304 answer is extracted
from the previous snapshot's archived response (``crawler.incremental``).
Setting: ``CITECHECK_RUN_DIR``.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from scrapy.exceptions import NotConfigured

from crawler import archive, incremental
from crawler.extraction import extract
from crawler.models import Extracted, Fetch


@dataclasses.dataclass
class Snapshot:
    """A fetch (body dropped), what was extracted from it, and where it is archived."""

    fetch: Fetch
    extracted: Extracted | None
    files: dict | None  # {"sha256", "body_sha256", "text_path", "warc"}
    change: dict | None = None  # incremental.text_change(), or unchanged after a 304


def display_path(path: Path) -> str:
    """Paths inside the working directory are shown relative, as users typed them."""
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


def _document(fetch: Fetch, previous: dict | None) -> tuple[dict[str, str], bytes] | None:
    """The document behind a fetch: its own body, or the previous one after a 304."""
    if fetch.status == 304 and previous and previous.get("warc_path"):
        return incremental.archived_response(Path(previous["warc_path"]), previous.get("final_url") or fetch.url)
    return fetch.headers, fetch.body


def snapshot_of(fetch: Fetch, run_dir: Path, warc_path: Path | None, previous: dict | None = None) -> Snapshot:
    document = _document(fetch, previous) if fetch.status is not None else None
    if document is None:
        return Snapshot(fetch, None, None)
    headers, body = document
    extracted = extract(body, fetch.final_url or fetch.url, headers)
    digest, text_path = archive.write_text(run_dir, extracted.text)
    files = {
        "sha256": digest,
        "body_sha256": archive.sha256_hex(body),
        "text_path": display_path(text_path),
        "warc": display_path(warc_path) if warc_path else None,
    }
    previous = previous or {}
    change = incremental.text_change(previous.get("text"), extracted.text, previous.get("run"))
    if fetch.status == 304:
        change["reused_snapshot"] = previous.get("id")
    fetch.body = b""
    return Snapshot(fetch, extracted, files, change)


class ExtractionPipeline:
    def __init__(self, crawler, run_dir: Path, warc_path: Path | None):
        self.crawler = crawler
        self.run_dir = run_dir
        self.warc_path = warc_path

    @classmethod
    def from_crawler(cls, crawler):
        run_dir = crawler.settings.get("CITECHECK_RUN_DIR")
        if not run_dir:
            raise NotConfigured("CITECHECK_RUN_DIR is not set")
        warc = crawler.settings.get("CITECHECK_WARC_PATH")
        return cls(crawler, Path(run_dir), Path(warc) if warc else None)

    def process_item(self, item):
        if isinstance(item, Fetch):
            previous = getattr(self.crawler.spider, "previous", {}).get(item.url)
            return snapshot_of(item, self.run_dir, self.warc_path, previous)
        return item
