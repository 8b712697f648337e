"""A real HTTP/1.1 server on loopback, so crawl tests exercise sockets, not mocks.

The routes mimic what citations meet in the wild (redirect chains, a page
that moved to the home page, Cloudflare challenges, rate limits, soft 404s,
gzip, PDFs, robots.txt, conditional requests) and are kept as a data table.
Tests add their own with ``server.route(path, status=..., headers=..., body=...)``
and read ``server.requests`` to check what the crawler sent.

    with serve() as server:
        urllib.request.urlopen(server.url("/article"))
        assert server.requests[0][1] == "/article"
"""

from __future__ import annotations

import gzip
import socket
import threading
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Union
from urllib.parse import parse_qs, urlsplit

HOST = "127.0.0.1"
MAX_DELAY = 60.0  # /slow never holds a thread longer than this


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # the raw request target, query included
    headers: dict[str, str]  # lower-cased names

    @property
    def route(self) -> str:
        return urlsplit(self.path).path

    @property
    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}


@dataclass(frozen=True)
class Response:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # seconds to wait before answering (interruptible)
    length: bool = True  # False: no Content-Length, the body runs until the connection closes


Handler = Callable[[Request], Response]
Route = Union[Response, Handler]


# -- bodies -------------------------------------------------------------------

HTML = "text/html; charset=utf-8"

ARTICLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>River ferries return to the old harbour | Tidewater Courier</title>
<meta property="og:title" content="River ferries return to the old harbour">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "River ferries return to the old harbour",
 "datePublished": "2024-03-14T09:30:00+01:00",
 "author": {"@type": "Person", "name": "Mara Lindqvist"}}
</script></head>
<body><header><a href="/">Tidewater Courier</a></header>
<main><article>
<h1>River ferries return to the old harbour</h1>
<p class="byline">By Mara Lindqvist, <time datetime="2024-03-14T09:30:00+01:00">14 March 2024</time></p>
<p>After eleven winters without a crossing, two refitted ferries began carrying
passengers between the old harbour and the island quay on Thursday morning.</p>
<p>The town council agreed last autumn to share the running costs with the
island's cooperative, which had collected signatures for the service since 2019.</p>
<p>Timetables will follow the tide tables until the new pontoon is finished in
the summer, the operator said.</p>
</article></main></body></html>
"""

HOME_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tidewater Courier</title></head>
<body><h1>Tidewater Courier</h1>
<ul><li><a href="/article">River ferries return to the old harbour</a></li></ul>
</body></html>
"""

NOT_FOUND_HTML = """<!doctype html>
<html><head><title>404 Not Found</title></head>
<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>
"""

SOFT_404_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Page not found | Tidewater Courier</title></head>
<body><h1>Oops! That page can't be found.</h1>
<p>It looks like nothing was found at this location. Maybe try a search?</p>
<form action="/search"><input name="q"></form></body></html>
"""

SOFT_404_DE_HTML = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Seite nicht gefunden – Kreisbote Nord</title></head>
<body><h1>Seite nicht gefunden</h1>
<p>Die von Ihnen aufgerufene Adresse gibt es bei uns nicht (mehr).</p>
<p><a href="/">Zur Startseite</a></p></body></html>
"""

CHALLENGE_HTML = """<!DOCTYPE html>
<html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head>
<body><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">localhost</h1>
<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>
<noscript>Enable JavaScript and cookies to continue</noscript>
<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script>
</div></div></body></html>
"""

CAPTCHA_HTML = """<!doctype html>
<html><head><title>Security check</title>
<script src="https://www.google.com/recaptcha/api.js" async defer></script></head>
<body><h1>Please confirm you are not a robot</h1>
<form action="/captcha/verify" method="post">
<div class="g-recaptcha" data-sitekey="test-site-key"></div>
<button type="submit">Continue</button></form></body></html>
"""

GZIP_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>Compressed page</title></head>
<body><h1>Compressed page</h1><p>This body travelled gzip-encoded.</p></body></html>
"""

ROBOTS_TXT = "User-agent: *\nDisallow: /private/\n"

ETAG = '"v1-5f2b"'
LAST_MODIFIED = "Wed, 14 Feb 2024 08:00:00 GMT"


def minimal_pdf(text: str = "Hello") -> bytes:
    """A valid one-page PDF (correct xref offsets) with one line of text."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# -- route helpers ------------------------------------------------------------


def page(body: str, status: int = 200, ctype: str = HTML, headers: dict[str, str] | None = None) -> Response:
    return Response(status, {"Content-Type": ctype, **(headers or {})}, body.encode("utf-8"))


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, {"Location": location, "Content-Type": HTML}, b"")


def slow(request: Request) -> Response:
    try:
        delay = min(float(request.query.get("delay", "1")), MAX_DELAY)
    except ValueError:
        return page("bad delay", 400, "text/plain")
    return Response(200, {"Content-Type": "text/plain"}, b"finally", delay=max(delay, 0.0))


def etag(request: Request) -> Response:
    """Answer conditional requests the way RFC 9110 orders them (ETag first)."""
    validators = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
    if not_modified(request.headers, ETAG, LAST_MODIFIED):
        return Response(304, validators, b"")
    return page("<html><body><p>Versioned resource.</p></body></html>", headers=validators)


def not_modified(headers, etag: str, last_modified: str) -> bool:
    """RFC 9110 order: If-None-Match decides when present, else If-Modified-Since.

    ``headers``: any mapping with case-insensitive ``get`` or lower-cased keys.
    """
    inm = headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag in tags
    ims = headers.get("if-modified-since")
    if ims:
        try:
            return parsedate_to_datetime(ims) >= parsedate_to_datetime(last_modified)
        except (TypeError, ValueError):
            return False
    return False


def gzipped(body: str) -> Response:
    data = gzip.compress(body.encode("utf-8"), mtime=0)
    return Response(200, {"Content-Type": HTML, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}, data)


def default_routes() -> dict[str, Route]:
    """The standard table; a fresh dict each time so tests can change theirs."""
    return {
        "/": page(HOME_HTML),
        "/article": page(ARTICLE_HTML),
        "/r/301": redirect("/r/302", 301),
        "/r/302": redirect("/article", 302),
        "/r/307": redirect("/article", 307),
        "/old-article": redirect("/", 301),
        "/gone-to-404": redirect("/404", 302),
        "/404": page(NOT_FOUND_HTML, 404),
        "/missing": page(NOT_FOUND_HTML, 404),
        "/removed": page("<html><body><h1>Gone</h1></body></html>", 410),
        "/challenge": Response(
            403,
            {"Content-Type": HTML, "Server": "cloudflare", "cf-mitigated": "challenge",
             "Cache-Control": "private, max-age=0, no-store"},
            CHALLENGE_HTML.encode("utf-8"),
        ),
        "/captcha": page(CAPTCHA_HTML, 403),
        "/maintenance": page("Service Unavailable: down for maintenance\n", 503, "text/plain"),
        "/error": page("<html><body><h1>Internal Server Error</h1></body></html>", 500),
        "/ratelimited": page("Too Many Requests\n", 429, "text/plain", headers={"Retry-After": "1"}),
        "/slow": slow,
        "/loop/a": redirect("/loop/b", 302),
        "/loop/b": redirect("/loop/a", 302),
        "/soft-404": page(SOFT_404_HTML),
        "/soft-404-de": page(SOFT_404_DE_HTML),
        "/gzip": gzipped(GZIP_HTML),
        "/doc.pdf": Response(200, {"Content-Type": "application/pdf"}, minimal_pdf("Citecheck test PDF")),
        "/robots.txt": page(ROBOTS_TXT, ctype="text/plain; charset=utf-8"),
        "/private/page": page("<html><head><title>Private</title></head><body>staff only</body></html>"),
        "/etag": etag,
    }


# -- the server ---------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, add=False)

    def log_message(self, format: str, *args) -> None:  # quiet test output
        pass

    def _serve(self, send_body: bool) -> None:
        request = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
        self.server.log(request)
        self.server.in_flight(+1)  # until the answer is sent: the client cannot ask again before it has it
        try:
            response = self.server.respond(request)
            if response.delay and self.server.stopping.wait(response.delay):
                self.close_connection = True  # shutting down: drop the request unanswered
                return
        finally:
            self.server.in_flight(-1)
        self._write(response, send_body)

    def _write(self, response: Response, send_body: bool) -> None:
        headers = response.headers
        self.send_response_only(response.status)
        self.send_header("Date", formatdate(usegmt=True))
        if not any(k.lower() == "server" for k in headers):
            self.send_header("Server", "citecheck-test")
        for name, value in headers.items():
            self.send_header(name, value)
        if not response.length:
            self.close_connection = True  # the end of the body is the end of the connection
            self.send_header("Connection", "close")
        elif response.status != 304 and not 100 <= response.status < 200 and response.status != 204:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if send_body and response.status not in (204, 304):
            self.wfile.write(response.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, routes: dict[str, Route], requests: list, lock: threading.Lock, host: str = HOST) -> None:
        super().__init__((host, 0), _Handler)
        self.routes = routes
        self.requests = requests
        self.stopping = threading.Event()
        self._lock = lock
        self._connections: set[socket.socket] = set()
        self.active = self.most_active = 0  # requests being answered: now, and at most

    def in_flight(self, change: int) -> None:
        with self._lock:
            self.active += change
            self.most_active = max(self.most_active, self.active)

    def log(self, request: Request) -> None:
        with self._lock:
            self.requests.append((request.method, request.path, request.headers))

    def respond(self, request: Request) -> Response:
        with self._lock:
            route = self.routes.get(request.route)
        if route is None:
            return page(NOT_FOUND_HTML, 404)
        return route(request) if callable(route) else route

    def track(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            (self._connections.add if add else self._connections.discard)(conn)

    def drop_connections(self) -> None:
        with self._lock:
            conns = list(self._connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class LocalServer:
    """A loopback server with the standard routes; use as a context manager."""

    def __init__(self, routes: dict[str, Route] | None = None, host: str = HOST) -> None:
        self._host = host  # another loopback address (127.0.0.2, ...) is another host to a crawler
        self._routes = {**default_routes(), **(routes or {})}
        self._requests: list[tuple[str, str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self) -> LocalServer:
        self._server = _Server(self._routes, self._requests, self._lock, self._host)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.stopping.set()
        self._server.shutdown()
        self._server.drop_connections()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # addressing
    @property
    def host(self) -> str:
        return self._host

    @property
    def most_in_flight(self) -> int:
        """The most requests this server was answering at once."""
        return self._server.most_active

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("server not started")
        return self._server.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}/{path.lstrip('/')}"

    # routes and the request log
    def route(
        self,
        path: str,
        handler: Handler | None = None,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        body: bytes | str = b"",
        delay: float = 0.0,
    ) -> None:
        """Add or replace a route: a handler function, or a fixed response."""
        if handler is None:
            data = body.encode("utf-8") if isinstance(body, str) else body
            handler = Response(status, dict(headers or {}), data, delay)
        with self._lock:
            self._routes[path] = handler

    @property
    def requests(self) -> list[tuple[str, str, dict[str, str]]]:
        """(method, path with query, lower-cased headers), in arrival order."""
        with self._lock:
            return list(self._requests)


def serve(routes: dict[str, Route] | None = None, host: str = HOST) -> LocalServer:
    """A server to use in a ``with`` block; ``routes`` add to or replace the defaults."""
    return LocalServer(routes, host)
