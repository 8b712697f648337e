"""A loopback stand-in for the Wayback Machine and a Memento aggregator, in their real shapes.

Routes (the original URL follows the prefix verbatim, as the real services take it):

- ``/wayback/available?url=...&timestamp=YYYYMMDD``: the availability API's JSON,
  ``{"url", "archived_snapshots": {"closest": {"status", "available", "url",
  "timestamp"}}, "timestamp"}``, or ``"archived_snapshots": {}`` for no copy.
- ``/web/<url>``: Wayback's TimeGate. With a valid ``Accept-Datetime`` (or none:
  the latest) a ``302 Found`` with ``Location: /web/<14 digits>/<url>``,
  ``x-archive-redirect-reason: found capture at <14 digits>``, ``Vary:
  accept-datetime`` and a ``Link`` header naming original, timemap, timegate and
  the first/prev/chosen/next/last mementos with ``datetime="<HTTP-date>"`` (no
  ``Memento-Datetime``: RFC 7089 keeps that for the memento itself). ``404``
  when nothing is archived; ``400`` for an unreadable ``Accept-Datetime``.
- ``/timegate/<url>``: an aggregator's TimeGate, same negotiation, whose
  ``Location`` points at another archive (``/other-archive/<ts>/<url>``).

``down`` makes a service answer ``503`` like an overloaded archive; it maps a
service (``"available"``, ``"web"``, ``"timegate"``) to the original URLs
affected, ``"*"`` for all.

    with serve_archive({"https://news.example/a": ["20260219120000"]}) as arch:
        arch.url("/wayback/available")
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from email.utils import format_datetime

from tests.support.server import LocalServer, Request, Response, _Server

FORMAT_14 = "%Y%m%d%H%M%S"
HTTP_DATE = "%a, %d %b %Y %H:%M:%S GMT"
JSON = "application/json"
UNAVAILABLE_HTML = (
    b"<!DOCTYPE html><html><head><title>Internet Archive: Service Unavailable</title></head>"
    b"<body><h1>Service Unavailable</h1><p>The archive is temporarily over capacity.</p></body></html>"
)
NOT_ARCHIVED_HTML = (
    b"<!DOCTYPE html><html><head><title>Wayback Machine</title></head>"
    b"<body><p>The Wayback Machine has not archived that URL.</p></body></html>"
)


def _when(stamp: str) -> dt.datetime:
    return dt.datetime.strptime(stamp, FORMAT_14).replace(tzinfo=dt.timezone.utc)


def _http_date(stamp: str) -> str:
    return format_datetime(_when(stamp), usegmt=True)


def _pick(stamps: list[str], target: dt.datetime | None) -> str:
    """The capture nearest ``target`` in either direction; the latest when no target."""
    if target is None:
        return stamps[-1]
    return min(stamps, key=lambda s: abs(_when(s) - target))


def _padded(timestamp: str) -> dt.datetime | None:
    """A Wayback timestamp of 4 to 14 digits, padded as the API pads it (start of the period)."""
    digits = "".join(ch for ch in timestamp if ch.isdigit())[:14]
    if len(digits) < 4:
        return None
    template = "00000101000000"
    try:
        return _when(digits + template[len(digits):])
    except ValueError:
        return None


class _ArchiveHTTPServer(_Server):
    """Routes by path prefix: the original URL is part of the path."""

    def __init__(self, archive: ArchiveServer, *args) -> None:
        super().__init__(*args)
        self.archive = archive

    def respond(self, request: Request) -> Response:
        return self.archive.respond(request) or super().respond(request)


class ArchiveServer(LocalServer):
    def __init__(self, captures: dict[str, list[str]], down: dict[str, set[str]] | None = None) -> None:
        super().__init__({})
        self.captures = {url: sorted(stamps) for url, stamps in captures.items()}
        self.down = {name: set(urls) for name, urls in (down or {}).items()}

    def start(self) -> ArchiveServer:
        self._server = _ArchiveHTTPServer(self, self._routes, self._requests, self._lock)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    # endpoints as the code under test is configured with them
    @property
    def wayback_endpoint(self) -> str:
        return self.url("/wayback/available")

    @property
    def timegate_endpoint(self) -> str:
        return self.url("/web/")

    @property
    def aggregator_endpoint(self) -> str:
        return self.url("/timegate/")

    def memento_url(self, stamp: str, original: str, prefix: str = "web") -> str:
        return self.url(f"/{prefix}/{stamp}/{original}")

    # dispatch
    def respond(self, request: Request) -> Response | None:
        if request.route == "/wayback/available":
            return self._available(request)
        for prefix, archive in (("/web/", "web"), ("/timegate/", "other-archive")):
            if request.path.startswith(prefix):
                return self._timegate(request, request.path[len(prefix):], prefix.strip("/"), archive)
        return None

    def _is_down(self, service: str, original: str) -> bool:
        urls = self.down.get(service, set())
        return "*" in urls or original in urls

    def _available(self, request: Request) -> Response:
        original = request.query.get("url", "")
        if self._is_down("available", original):
            return Response(503, {"Content-Type": "text/html; charset=utf-8", "Retry-After": "30"}, UNAVAILABLE_HTML)
        timestamp = request.query.get("timestamp")
        answer: dict = {"url": original, "archived_snapshots": {}}
        stamps = self.captures.get(original)
        if stamps:
            stamp = _pick(stamps, _padded(timestamp) if timestamp else None)
            answer["archived_snapshots"]["closest"] = {
                "status": "200",
                "available": True,
                "url": f"http://{self.host}:{self.port}/web/{stamp}/{original}",  # the API answers http://
                "timestamp": stamp,
            }
        if timestamp:
            answer["timestamp"] = timestamp
        return Response(200, {"Content-Type": JSON}, json.dumps(answer).encode("utf-8"))

    def _timegate(self, request: Request, original: str, service: str, archive: str) -> Response:
        if self._is_down(service, original):
            return Response(503, {"Content-Type": "text/html; charset=utf-8"}, UNAVAILABLE_HTML)
        accept = request.headers.get("accept-datetime")
        target = None
        if accept is not None:
            try:
                target = dt.datetime.strptime(accept.strip(), HTTP_DATE).replace(tzinfo=dt.timezone.utc)
            except ValueError:
                return Response(400, {"Content-Type": "text/plain"}, b"Bad Accept-Datetime\n")
        stamps = self.captures.get(original)
        if not stamps:
            return Response(404, {"Content-Type": "text/html; charset=utf-8", "Link": self._link_head(original, service)},
                            NOT_ARCHIVED_HTML)
        stamp = _pick(stamps, target)
        headers = {
            "Content-Type": "text/plain; charset=utf-8",
            "Location": self.memento_url(stamp, original, archive),
            "Vary": "accept-datetime",
            "Link": self._link(original, service, archive, stamps, stamp),
        }
        if service == "web":
            headers["x-archive-redirect-reason"] = f"found capture at {stamp}"
        return Response(302, headers, b"")

    def _link_head(self, original: str, service: str) -> str:
        return (
            f'<{original}>; rel="original", '
            f'<{self.url(f"/{service}/timemap/link/{original}")}>; rel="timemap"; type="application/link-format", '
            f'<{self.url(f"/{service}/{original}")}>; rel="timegate"'
        )

    def _link(self, original: str, service: str, archive: str, stamps: list[str], chosen: str) -> str:
        """Neighbours of the chosen memento, one entry per memento with all its rels."""
        index = stamps.index(chosen)
        rels: dict[str, list[str]] = {}
        named = [("first", 0), ("prev", index - 1), ("", index), ("next", index + 1), ("last", len(stamps) - 1)]
        for word, i in named:
            if 0 <= i < len(stamps):
                rels.setdefault(stamps[i], []).append(word)
        entries = [self._link_head(original, service)]
        for stamp, words in sorted(rels.items()):
            rel = " ".join([w for w in words if w] + ["memento"])
            entries.append(f'<{self.memento_url(stamp, original, archive)}>; rel="{rel}"; datetime="{_http_date(stamp)}"')
        return ", ".join(entries)


def serve_archive(captures: dict[str, list[str]], down: dict[str, set[str]] | None = None) -> ArchiveServer:
    """A fake archive holding ``captures`` (original URL -> 14-digit timestamps); use with ``with``."""
    return ArchiveServer(captures, down)
