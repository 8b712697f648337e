"""Item pipeline: extract each fetched document as it arrives and archive its text.

Doing this per item, not after the crawl, lets the body be dropped at once, and
the text once it is archived (``Snapshot.extraction()`` reads it back from its
file when the checks need it), so memory stays flat however many pages a run
fetches. The previous snapshot's text is read from its archived file too, and
only after a 304 or to compare (``previous_text``). A 304 answer reuses the
previous snapshot's stored extraction (``crawler.extract.serialize``); when there is
none, or other code made it, the previous response is read back from its WARC
and extracted again (``crawler.crawl.incremental``).

Extraction is the crawl's main CPU cost, so a large crawl runs it in a small
process pool instead of Scrapy's reactor thread, which keeps downloading.
Settings: ``CITECHECK_RUN_DIR``; ``CITECHECK_EXTRACT_WORKERS`` (processes; 0
extracts in the reactor thread); ``CITECHECK_EXTRACT_POOL_MIN_URLS`` (fewer
URLs than this are extracted in the reactor thread: starting a pool costs more
than it saves; a run of mostly 304s extracts that many bodies in the reactor
thread before it starts the pool).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import multiprocessing
import os
import weakref
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import is_asyncio_available

from crawler.checks.change import text_change
from crawler.crawl import incremental, lifeline
from crawler.extract import serialize
from crawler.models import Extracted, Fetch
from crawler.record import archive

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class Snapshot:
    """A fetch (body dropped), what was extracted from it, and where it is archived."""

    fetch: Fetch
    extracted: Extracted | None
    files: dict | None  # {"sha256", "body_sha256", "text_path", "warc"}
    change: dict | None = None  # text_change(), or unchanged after a 304
    text_file: Path | None = None  # where the text of ``extracted`` is, once dropped from memory
    handed_text: str | None = None  # the text, until its first reader takes it (``take_extraction``)

    def extraction(self) -> Extracted | None:
        """``extracted`` with its text, read back from the archived file ``finish`` wrote it to."""
        if self.text_file is None or self.extracted is None:
            return self.extracted
        return dataclasses.replace(self.extracted, text=archive.read_text(self.text_file))

    def take_extraction(self) -> Extracted | None:
        """``extraction()`` for the snapshot's first reader (the recorder, as the crawl hands it over),
        from the text ``finish`` handed on, not read back from the file just written; later readers
        read the file, and no snapshot kept for later keeps the text."""
        text, self.handed_text = self.handed_text, None
        if text is None or self.extracted is None:
            return self.extraction()
        return dataclasses.replace(self.extracted, text=text)


def display_path(path: Path) -> str:
    """Paths inside the working directory are shown relative, as users typed them."""
    path = Path(path)
    if not path.name:
        return _display(path)
    folder = _display(path.parent)  # resolved once per folder: a run shows thousands of files in a few
    return path.name if folder == "." else os.path.join(folder, path.name)


@functools.lru_cache(maxsize=256)
def _display(path: Path) -> str:
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


def previous_text(previous: dict | None) -> str | None:
    """The previous snapshot's text: as the database handed it, else its archived file when that still
    holds the text the sealed row names (``sha256``); None when neither does."""
    if not previous:
        return None
    if previous.get("text") is not None:
        return previous["text"]
    path = previous.get("text_file")
    if not path or not previous.get("sha256"):
        return None
    try:
        data = archive.read_text_bytes(Path(path))
    except OSError:  # gone, unreadable, or no gzip file though named so
        return None
    return data.decode("utf-8") if archive.sha256_hex(data) == previous["sha256"] else None


def reused_extraction(fetch: Fetch, previous: dict | None, text: str | None = None) -> Extracted | None:
    """After a 304, the previous snapshot's extraction, if this code made it and its text is at hand."""
    if not incremental.confirms(fetch, previous):
        return None
    text = text if text is not None else previous_text(previous)
    if text is None and previous.get("extracted"):
        return None  # the text is gone: the body is read back from the WARC and extracted again
    return serialize.extracted_from_json(previous.get("extracted"), text)


def _document(fetch: Fetch, previous: dict | None) -> tuple[dict[str, str], bytes] | None:
    """The document behind a fetch: its own body, or the previous one after a 304 (None: not at hand)."""
    if fetch.status != 304:
        return fetch.headers, fetch.body
    if incremental.confirms(fetch, previous):
        return incremental.archived_response(previous, previous.get("final_url") or fetch.url)
    return None


def unconfirmed(fetch: Fetch, replay: bool) -> Fetch:
    """A 304 with no earlier copy to stand for: the page was not seen, so nothing can pass on it."""
    fetch.error = "server_error"
    fetch.error_detail = "304 Not Modified, but there is no earlier copy of this page to read " + (
        "(replay the run in the archive that holds the run it confirmed)" if replay else
        "(the server answered a request it was not asked, or the archive lost the copy)")
    return fetch


def finish(fetch: Fetch, extracted: Extracted, body_sha256: str | None, run_dir: Path, warc_path: Path | None,
           previous: dict | None, reused: bool = False, before: str | None = None) -> Snapshot:
    """Archive the text, compare it with the previous snapshot's (``before``, when already read) and
    drop the body; the text goes on to the snapshot's first reader only (``take_extraction``).

    A reused extraction's text is already archived, in the sealed run that
    extracted it: the snapshot points there instead of storing a copy.
    """
    archived = Path(previous["text_file"]) if reused and previous.get("text_file") else None
    if archived is not None and previous.get("sha256") and archived.is_file():
        digest, text_path = previous["sha256"], archived
    else:
        digest, text_path = archive.write_text(run_dir, extracted.text)
    files = {
        "sha256": digest,
        "body_sha256": body_sha256,
        "text_path": display_path(text_path),
        "warc": display_path(warc_path) if warc_path else None,
    }
    before = before if before is not None or not previous else previous_text(previous)
    previous = previous or {}
    change = text_change(before, extracted.text, previous.get("run"))
    if fetch.status == 304:
        change["reused_snapshot"] = previous.get("id")  # the snapshot whose body the 304 confirms
        change["reused_extraction"] = reused  # False: newer code extracted that body again
    fetch.body = b""
    return Snapshot(fetch, dataclasses.replace(extracted, text=""), files, change, text_file=text_path,
                    handed_text=extracted.text)


def settle_unextracted(fetch: Fetch, previous: dict | None, run_dir: Path, warc_path: Path | None,
                       replay: bool) -> Snapshot | tuple[dict[str, str], bytes]:
    """A fetch's snapshot when it needs no extraction (no answer; a 304 whose earlier extraction is
    reused, or whose earlier copy is lost), else the document (headers, body) to extract: the steps
    a local crawl's pipeline and a worker's collected outcome share."""
    if fetch.status is None:
        return Snapshot(fetch, None, None)
    reused = reused_extraction(fetch, previous)
    if reused is not None:  # read and checked already: not read again
        return finish(fetch, reused, previous.get("body_sha256"), run_dir, warc_path, previous, reused=True,
                      before=reused.text)
    document = _document(fetch, previous)
    return document if document is not None else Snapshot(unconfirmed(fetch, replay), None, None)


def extract(body: bytes, url: str, headers: Mapping[str, str]) -> Extracted:
    """``crawler.extract.extraction.extract``, imported on first use: trafilatura and pypdf take a tenth of
    a second to load, and a crawl whose pages are extracted by the pool never needs them here."""
    from crawler.extract.extraction import extract as extract_document

    try:
        return extract_document(body, url, headers)
    except Exception as exc:  # a document that breaks a parser is a finding, not a lost URL  # noqa: BLE001
        logger.exception("extraction failed for %s; its text, title and dates are left empty", url)
        return Extracted(kind="unreadable", problems=(f"extraction failed: {type(exc).__name__}: {str(exc)[:200]}",))


def _warm() -> int:
    """Runs once in each worker so imports happen while robots.txt is fetched."""
    return os.getpid()


def _log_like_the_crawl(path: str | None, level: str, fmt: str, datefmt: str) -> None:
    """A worker is a fresh interpreter: what extraction logs (pypdf on a damaged PDF, say) goes to the
    crawl log, as it does when the crawl process extracts, not to the user's terminal. Lines are
    appended whole, so they interleave with the crawl's own."""
    lifeline.die_with_parent()  # a worker dies with the fork server, which dies with the run
    if path:
        handler = logging.FileHandler(path, mode="a", encoding="utf-8")
        handler.setFormatter(logging.Formatter(fmt, datefmt))
        logging.basicConfig(level=level, handlers=[handler], force=True)


class Extractor:
    """``extract`` in a process pool (forkserver: no reactor threads are inherited)."""

    def __init__(self, workers: int, log: tuple = (None, "INFO", logging.BASIC_FORMAT, None)):
        context = multiprocessing.get_context("forkserver")
        lifeline.adopt_children()  # the fork server it starts checks that it is still this process's
        context.set_forkserver_preload(["crawler.crawl.lifeline", "crawler.extract.extraction"])
        self.pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_log_like_the_crawl, initargs=log)
        for _ in range(workers):
            self.pool.submit(_warm)
        _OPEN.add(self)

    async def extract(self, body: bytes, url: str, headers: Mapping[str, str]) -> Extracted:
        if self.pool is not None:
            try:
                return await asyncio.get_running_loop().run_in_executor(self.pool, extract, body, url, dict(headers))
            except BrokenProcessPool:
                logger.warning("the extraction pool broke; extracting in the crawl process from now on")
                self.close()
        return extract(body, url, headers)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        _OPEN.discard(self)


_OPEN: weakref.WeakSet[Extractor] = weakref.WeakSet()


def close_extractors() -> None:
    """End every pool still running. A crawl stopped outright (a second Ctrl-C) never closes its
    spider, and a process whose pool workers still wait for work would wait for them forever when it exits."""
    for extractor in list(_OPEN):
        extractor.close()


class ExtractionPipeline:
    def __init__(self, crawler, run_dir: Path, warc_path: Path | None, workers: int = 0, pool_min_urls: int = 0):
        self.crawler = crawler
        self.run_dir = run_dir
        self.warc_path = warc_path
        self.workers = workers
        self.pool_min_urls = pool_min_urls
        self.extractor: Extractor | None = None
        self.extracted_inline = 0

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        run_dir = settings.get("CITECHECK_RUN_DIR")
        if not run_dir:
            raise NotConfigured("CITECHECK_RUN_DIR is not set")
        warc = settings.get("CITECHECK_WARC_PATH")
        return cls(crawler, Path(run_dir), Path(warc) if warc else None,
                   settings.getint("CITECHECK_EXTRACT_WORKERS"), settings.getint("CITECHECK_EXTRACT_POOL_MIN_URLS"))

    def open_spider(self):
        """Start the pool at once when many pages are new; otherwise when a body first needs it."""
        spider = self.crawler.spider
        if incremental.new_pages(getattr(spider, "urls", ()), getattr(spider, "previous", {})) >= self.pool_min_urls:
            self._start_pool()

    def _start_pool(self) -> Extractor | None:
        if self.extractor is None and self.workers > 0 and is_asyncio_available():
            settings = self.crawler.settings
            self.extractor = Extractor(self.workers, log=(settings.get("LOG_FILE"), settings.get("LOG_LEVEL"),
                                                          settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
            self.crawler.stats.set_value("citecheck/extract_workers", self.workers)
        return self.extractor

    def close_spider(self):
        if self.extractor is not None:
            self.extractor.close()

    def _previous(self, url: str) -> dict | None:
        return getattr(self.crawler.spider, "previous", {}).get(url)

    async def process_item(self, item):
        if not isinstance(item, Fetch):
            return item
        previous = self._previous(item.url)
        settled = settle_unextracted(item, previous, self.run_dir, self.warc_path,
                                     replay=bool(self.crawler.settings.get("CITECHECK_REPLAY")))
        if isinstance(settled, Snapshot):  # a 304 among them: no pool needed, however large the crawl
            return settled
        headers, body = settled
        extracted = await self.extract(body, item.final_url or item.url, headers)
        return finish(item, extracted, archive.sha256_hex(body), self.run_dir, self.warc_path, previous)

    async def extract(self, body: bytes, url: str, headers: Mapping[str, str]) -> Extracted:
        if self.extractor is None and self.extracted_inline < self.pool_min_urls:
            self.extracted_inline += 1  # a few bodies (host probes, changed pages) do not pay for a pool
            return extract(body, url, headers)
        extractor = self._start_pool()
        return await extractor.extract(body, url, headers) if extractor else extract(body, url, headers)
