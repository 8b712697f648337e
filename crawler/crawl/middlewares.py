"""Downloader middlewares: refuse unsafe targets, record to WARC, replay from WARC.

Order matters (see ``settings.DOWNLOADER_MIDDLEWARES``):

- ``RobotsTxtMiddleware`` (100) replaces Scrapy's, fixing one bug (below).
- ``RetryAfterMiddleware`` (560) honours ``Retry-After`` on 429/503 before
  Scrapy's RetryMiddleware (550) re-queues the request, and slows the whole
  host down by as much. Setting: ``CITECHECK_RETRY_AFTER_MAX`` (seconds; a
  longer demand is not waited for and the response is kept as the verdict).
- ``SafetyMiddleware`` (40) runs before robots.txt is fetched, so neither the
  page nor its robots.txt is requested from a private address; it sees every
  redirect hop, which is where SSRF usually hides. Settings:
  ``CITECHECK_ALLOW_PRIVATE``, ``CITECHECK_REPLAY``.
- ``ValidatorsMiddleware`` (45) drops a request's ``If-None-Match`` /
  ``If-Modified-Since`` once it is redirected: they are the cited URL's
  validators, and a redirect target's 304 to them would confirm a page it is not.
- ``TlsDiagnosisMiddleware`` (955) asks, once per host, why a TLS handshake
  failed (``crawler.crawl.tlsdiag``) and puts the answer on the exception before the
  recorder writes it, so the WARC and its replays carry the reason too.
- ``WarcRecorderMiddleware`` (950) sits next to the downloader, so it sees raw
  bodies before decompression and each redirect hop before it is followed. A 304
  to the validators the spider sent becomes a revisit of the capture they came
  from (the spider carries its record in ``request.meta``). Settings:
  ``CITECHECK_WARC_PATH``, ``CITECHECK_WARC_INFO``.
- ``WarcReplayMiddleware`` (960) answers requests from a WARC instead of the
  network; responses then pass through the normal chain (decompression,
  redirects, retries) exactly as live ones do. It tells the recorder which
  record each answer came from (kept as its date and ``WARC-Refers-To``) and which
  answers it made up (not recorded). Setting: ``CITECHECK_REPLAY``.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.web.http import RESPONSES
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeadersParser

from crawler.crawl import failures, rescue, safety, tlsdiag
from crawler.crawl.spiders.citations import CONFIRMS_KEY
from crawler.record import archive

logger = logging.getLogger(__name__)


class SafetyMiddleware:
    """Refuse what needs no DNS to refuse (schemes, this machine's names, address literals), for every
    request and redirect hop; names that resolve to private addresses are refused by the resolver
    (``crawler.crawl.resolver``), on the very answer the connection uses."""

    def __init__(self, allow_private: bool = False):
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler):
        return cls(allow_private=crawler.settings.getbool("CITECHECK_ALLOW_PRIVATE"))

    async def process_request(self, request: Request):
        safety.check_url(request.url, allow_private=self.allow_private)
        return None


class ValidatorsMiddleware:
    VALIDATORS = (b"If-None-Match", b"If-Modified-Since")

    def process_request(self, request: Request):
        if request.meta.get("redirect_urls"):
            for name in self.VALIDATORS:
                request.headers.pop(name, None)
        return None


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Scrapy's, except that every request waiting for a robots.txt gets the parser.

    Since scrapy/scrapy#6802 (2.13+) requests that arrive while a host's
    robots.txt is downloading await the same Deferred through
    ``maybe_deferred_to_future``; ``asFuture`` consumes its result, so all but
    the first waiter receive ``None`` and are let through unchecked. The parser
    is stored before the Deferred fires, so a waiter reads it from there.
    """

    async def robot_parser(self, request: Request):
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if stored is not None and not isinstance(stored, Deferred):
                return stored
        return parser


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for: delta-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = rescue.http_datetime(value)
    if when is None:
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


class RetryAfterMiddleware:
    RETRY_STATUSES = frozenset({429, 503})

    def __init__(self, crawler, max_wait: float, max_retry_times: int, replay: bool):
        self.crawler = crawler
        self.max_wait = max_wait
        self.max_retry_times = max_retry_times
        self.replay = replay

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(crawler, settings.getfloat("CITECHECK_RETRY_AFTER_MAX"), settings.getint("RETRY_TIMES"),
                   bool(settings.get("CITECHECK_REPLAY")))

    async def process_response(self, request: Request, response: Response):
        if response.status not in self.RETRY_STATUSES or request.meta.get("dont_retry"):
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After", b"").decode("latin-1"))
        if wait is None or request.meta.get("retry_times", 0) >= self.max_retry_times:
            return response
        stats = self.crawler.stats
        if wait > self.max_wait:
            stats.inc_value("citecheck/retry_after/too_long")
            request.meta["dont_retry"] = True  # keep this answer as the verdict
            return response
        stats.inc_value("citecheck/retry_after/honoured")
        if self.replay:
            return response  # nobody to be polite to
        slot = self.crawler.engine.downloader.slots.get(request.meta.get("download_slot"))
        if slot is not None:
            slot.delay = max(slot.delay, wait)
        await asyncio.sleep(wait)
        return response


class TlsDiagnosisMiddleware:
    def __init__(self, timeout: float):
        self.timeout = timeout
        self._reasons: dict[tuple[str, int], str | None] = {}

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.get("CITECHECK_REPLAY"):
            raise NotConfigured  # a replayed TLS failure carries its recorded reason (no message: no warning)
        return cls(crawler.settings.getfloat("DOWNLOAD_TIMEOUT"))

    async def process_exception(self, request: Request, exception: Exception):
        if failures.verdict_for(exception)[0] != "tls_error":
            return None
        parts = urlsplit(request.url)
        key = (parts.hostname or "", parts.port or 443)
        if key not in self._reasons:
            self._reasons[key] = await asyncio.to_thread(tlsdiag.diagnose, *key, self.timeout)
        exception.tls_reason = self._reasons[key]
        return None


def _header_pairs(headers) -> list[tuple[str, str]]:
    return [
        (key.decode("latin-1"), value.decode("latin-1"))
        for key, values in headers.items()
        for value in values
    ]


REPLAYED_KEY = "citecheck_replayed"  # the record a replay answered with (an Origin), or INVENTED
INVENTED = "invented"  # an answer the replay made up (a robots.txt it does not hold): never archived


class WarcRecorderMiddleware:
    def __init__(self, crawler, warc: archive.WarcArchive):
        self.crawler = crawler
        self.warc = warc
        self._certificates: set[tuple[str, bytes]] = set()  # (host, certificate digest) archived so far

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("CITECHECK_WARC_PATH")
        if not path:
            raise NotConfigured("CITECHECK_WARC_PATH is not set")
        info = crawler.settings.getdict("CITECHECK_WARC_INFO")
        mw = cls(crawler, archive.WarcArchive(Path(path), info))
        from scrapy import signals

        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def process_response(self, request: Request, response: Response):
        replayed = request.meta.get(REPLAYED_KEY)
        if replayed == INVENTED:
            self.crawler.stats.inc_value("citecheck/warc/invented_not_archived")
            return response
        confirms = self._confirmed(request, response) if not replayed else None
        kind = "revisit" if confirms or replayed and replayed.revisit else "response"
        record_id = self.warc.write_exchange(
            url=response.url,
            method=request.method,
            request_headers=_header_pairs(request.headers),
            status=response.status,
            reason=RESPONSES.get(response.status, b"").decode(),
            response_headers=_header_pairs(response.headers),
            body=response.body,
            ip_address=str(response.ip_address) if response.ip_address else None,
            protocols=archive.warc_protocol(response.protocol) if not replayed else [],
            confirms=confirms,
            replayed=replayed,
        )
        self.crawler.stats.inc_value(f"citecheck/warc/{kind}")
        if response.certificate is not None and not replayed:
            self._archive_certificate(urlsplit(response.url).netloc, response.certificate, record_id)
        return response

    def _archive_certificate(self, host: str, certificate, record_id: str) -> None:
        """Scrapy hands over the leaf certificate only (not the chain, nor the TLS version and cipher)."""
        key = (host, certificate.digest("sha256"))
        if key not in self._certificates:
            self._certificates.add(key)
            self.warc.write_certificate(certificate.dumpPEM(), record_id)
            self.crawler.stats.inc_value("citecheck/warc/certificate")

    @staticmethod
    def _confirmed(request: Request, response: Response) -> archive.Origin | None:
        """The capture a 304 confirms: the previous 200 of the URL whose validators were sent."""
        origin = request.meta.get(CONFIRMS_KEY)
        if response.status != 304 or not origin or request.meta.get("redirect_urls"):
            return None
        return origin

    def process_exception(self, request: Request, exception: Exception):
        verdict, detail = failures.verdict_for(exception, request.url)
        self.warc.write_failure(request.url, verdict, detail, replayed=getattr(exception, "citecheck_replayed", None))
        self.crawler.stats.inc_value("citecheck/warc/failure")
        return None

    def spider_closed(self, spider):
        self.warc.close()


def load_replay(path: Path) -> dict[str, collections.deque]:
    """Index a WARC by URL: responses, 304 revisits and failures, in recorded order, each with
    the record it came from. A failure is filed under the URL its body names (older runs: its target);
    a revisit's 304 headers come from the metadata record that refers to it (older runs: its block)."""
    index: dict[str, collections.deque] = collections.defaultdict(collections.deque)
    revisits: dict[str, tuple[str, int]] = {}  # record id -> where its entry is
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh, no_record_parse=False):
            uri = record.rec_headers.get_header("WARC-Target-URI")
            not_modified = (record.rec_type == "revisit"
                            and record.rec_headers.get_header("WARC-Profile") == archive.NOT_MODIFIED_PROFILE)
            if not_modified:
                headers = [(k, v) for k, v in record.http_headers.headers] if record.http_headers else []
                revisits[record.rec_headers.get_header("WARC-Record-ID")] = (uri, len(index[uri]))
                index[uri].append(("response", 304, headers, b"", archive.Origin.of(record)))
            elif record.rec_type == "response" and record.http_headers is not None:
                status = int(record.http_headers.get_statuscode())
                headers = [(k, v) for k, v in record.http_headers.headers]
                body = record.raw_stream.read()
                index[uri].append(("response", status, headers, body, archive.Origin.of(record)))
            elif record.rec_type == "metadata" and record.content_type == archive.FAILURE_CONTENT_TYPE:
                failure = json.loads(record.raw_stream.read())
                index[failure.get("url") or uri].append(("failure", failure["error"], failure["detail"],
                                                         archive.Origin.of(record)))
            elif record.rec_type == "metadata" and record.content_type == archive.NOT_MODIFIED_CONTENT_TYPE:
                where = revisits.get(record.rec_headers.get_header("WARC-Refers-To"))
                if where:
                    http = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"]).parse(record.raw_stream)
                    kind, status, _, body, origin = index[where[0]][where[1]]
                    index[where[0]][where[1]] = (kind, status, list(http.headers), body, origin)
    return index


class WarcReplayMiddleware:
    def __init__(self, index: dict[str, collections.deque]):
        self.index = index

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("CITECHECK_REPLAY")
        if not path:
            raise NotConfigured  # a live crawl: the usual case, not worth Scrapy's warning
        return cls(load_replay(Path(path)))

    def process_request(self, request: Request):
        queue = self.index.get(request.url)
        request.meta[REPLAYED_KEY] = INVENTED
        if not queue:
            if urlsplit(request.url).path == "/robots.txt":
                return Response(request.url, status=404, request=request)
            raise failures.ReplayMiss(f"not in the replayed archive: {request.url}")
        entry = queue.popleft() if len(queue) > 1 else queue[0]  # the last one answers repeats
        request.meta[REPLAYED_KEY] = entry[-1]
        if entry[0] == "failure":
            exc = failures.exception_for(entry[1], entry[2])
            exc.citecheck_replayed = entry[-1]
            raise exc
        _, status, headers, body, _ = entry
        cls = responsetypes.from_args(headers=dict(headers), url=request.url, body=body)
        return cls(url=request.url, status=status, headers=headers, body=body, request=request)
