"""Nightly runs that get cheaper: conditional requests and change tracking.

A source fetched before is asked for again with its previous ``ETag`` /
``Last-Modified``; a ``304 Not Modified`` reuses the previous snapshot, whose
raw response is read back from the previous run's WARC (so extraction and
verdicts are exactly those of a full fetch). How much a changed page's text
changed is ``crawler.checks.change``'s measure.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Mapping

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from crawler.checks import linkstatus
from crawler.record import archive

logger = logging.getLogger(__name__)


def conditional_headers(previous: dict | None) -> dict[str, str]:
    """Validators of the previous 200 for the same URL (none after a redirect)."""
    if not previous or previous.get("final_url") not in (None, previous.get("url")):
        return {}
    headers = {}
    if previous.get("etag"):
        headers["If-None-Match"] = previous["etag"]
    if previous.get("last_modified"):
        headers["If-Modified-Since"] = previous["last_modified"]
    return headers


def confirms(fetch, previous: dict | None) -> bool:
    """Is this 304 the answer to ``previous``'s validators? They are sent for its own URL only
    (never after a redirect), so a 304 from anywhere else, or to no validators, confirms nothing."""
    return fetch.status == 304 and bool(conditional_headers(previous)) and (fetch.final_url or fetch.url) == previous["url"]


def new_pages(urls: Iterable[str], previous: Mapping[str, dict]) -> int:
    """URLs fetched in full (nothing to revalidate, or ``--full``): each needs extraction.
    Host probes are not pages."""
    return sum(not conditional_headers(previous.get(url)) and not linkstatus.is_probe(url) for url in urls)


@contextlib.contextmanager
def _archived(previous: Mapping, url: str):
    """``url``'s 200 record in ``previous``'s WARC, at the offset the store found it at (``warc_offset``),
    read up to its headers while the block runs (None: the WARC does not hold it there)."""
    if previous.get("warc_path") is None or previous.get("warc_offset") is None:
        yield None
        return
    with open(previous["warc_path"], "rb") as fh:
        fh.seek(previous["warc_offset"])
        record = next(iter(ArchiveIterator(fh)), None)
        yield record if record is not None and record.rec_headers.get_header("WARC-Target-URI") == url else None


def archived_origin(previous: Mapping, url: str) -> archive.Origin | None:
    """The record of ``url``'s 200 in ``previous``'s WARC: what a 304 to its validators confirms."""
    try:
        with _archived(previous, url) as record:
            return archive.Origin.of(record) if record is not None else None
    except (OSError, EOFError, ValueError, ArchiveLoadFailed) as exc:
        logger.warning("cannot read %s's record from %s: %s", url, previous.get("warc_path"), exc)
        return None


def archived_response(previous: Mapping, url: str) -> tuple[dict[str, str], bytes] | None:
    """Headers (lower-cased) and content-decoded body of ``url``'s 200 in ``previous``'s WARC; None when
    the WARC no longer holds it (moved, deleted or damaged: the archive is the user's to manage)."""
    try:
        with _archived(previous, url) as record:
            if record is None:
                return None
            headers = {k.lower(): v for k, v in record.http_headers.headers}
            return headers, record.content_stream().read()
    except (OSError, EOFError, ValueError, ArchiveLoadFailed) as exc:
        logger.warning("cannot read %s back from %s: %s", url, previous.get("warc_path"), exc)
        return None
