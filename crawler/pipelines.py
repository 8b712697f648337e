"""Item pipeline: extract each fetched document as it arrives and archive its text.

Doing this per item, not after the crawl, lets the body be dropped at once, so
memory stays flat however many pages a run fetches. Setting: ``CITECHECK_RUN_DIR``.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from scrapy.exceptions import NotConfigured

from crawler import archive
from crawler.extraction import extract
from crawler.models import Extracted, Fetch


@dataclasses.dataclass
class Snapshot:
    """A fetch (body dropped), what was extracted from it, and where it is archived."""

    fetch: Fetch
    extracted: Extracted | None
    files: dict | None  # {"sha256", "body_sha256", "text_path", "warc"}


def display_path(path: Path) -> str:
    """Paths inside the working directory are shown relative, as users typed them."""
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


def snapshot_of(fetch: Fetch, run_dir: Path, warc_path: Path | None) -> Snapshot:
    if fetch.status is None:
        return Snapshot(fetch, None, None)
    extracted = extract(fetch.body, fetch.final_url or fetch.url, fetch.headers)
    digest, text_path = archive.write_text(run_dir, extracted.text)
    files = {
        "sha256": digest,
        "body_sha256": archive.sha256_hex(fetch.body),
        "text_path": display_path(text_path),
        "warc": display_path(warc_path) if warc_path else None,
    }
    fetch.body = b""
    return Snapshot(fetch, extracted, files)


class ExtractionPipeline:
    def __init__(self, run_dir: Path, warc_path: Path | None):
        self.run_dir = run_dir
        self.warc_path = warc_path

    @classmethod
    def from_crawler(cls, crawler):
        run_dir = crawler.settings.get("CITECHECK_RUN_DIR")
        if not run_dir:
            raise NotConfigured("CITECHECK_RUN_DIR is not set")
        warc = crawler.settings.get("CITECHECK_WARC_PATH")
        return cls(Path(run_dir), Path(warc) if warc else None)

    def process_item(self, item):
        if isinstance(item, Fetch):
            return snapshot_of(item, self.run_dir, self.warc_path)
        return item
