"""Many loopback hosts serving benchmark pages with a fixed latency.

Each host is a threaded HTTP/1.1 server on its own address (127.0.0.1,
127.0.0.2, ...), so the crawler sees separate hosts with separate politeness
slots. Every response waits ``latency`` seconds first; pages carry ETag and
Last-Modified and answer conditional requests with 304; gzip is served to
clients that accept it (as real sites do). The servers count responses and
bytes per status and the most requests each host answered at once, and stop
by themselves after ``lifetime`` seconds.
"""

from __future__ import annotations

import collections
import gzip
import sys
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.server import not_modified  # the repo root is on sys.path (bench/crawl.py)

ROBOTS = b"User-agent: *\nAllow: /\n"
LAST_MODIFIED = "Mon, 03 Feb 2025 08:00:00 GMT"


class Stored:
    """One page as served: gzip body (kept compressed to save the bench's memory) and validators."""

    __slots__ = ("gz", "etag", "size")

    def __init__(self, html: bytes, etag: str):
        self.gz = gzip.compress(html, compresslevel=6, mtime=0)
        self.etag = etag
        self.size = len(html)


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.responses: collections.Counter = collections.Counter()  # (kind, status)
        self.bytes_out = 0
        self.bytes_in = 0

    def add(self, kind: str, status: int, sent: int, received: int) -> None:
        with self.lock:
            self.responses[(kind, status)] += 1
            self.bytes_out += sent
            self.bytes_in += received

    def snapshot(self) -> dict:
        with self.lock:
            return {"responses": dict(self.responses), "bytes_out": self.bytes_out, "bytes_in": self.bytes_in}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HostServer

    def log_message(self, format, *args):  # quiet
        pass

    def do_GET(self):
        received = len(self.requestline) + sum(len(k) + len(v) + 4 for k, v in self.headers.items())
        self.server.in_flight(+1)  # until the answer is sent: a client cannot ask again before it has it
        try:
            if self.server.stopping.wait(self.server.latency):
                self.close_connection = True
                return
            kind, status, headers, body = self._answer()
        finally:
            self.server.in_flight(-1)
        lines = [f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}", f"Date: {formatdate(usegmt=True)}",
                 "Server: citecheck-bench"] + [f"{k}: {v}" for k, v in headers.items()]
        if status != 304:
            lines.append(f"Content-Length: {len(body)}")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        self.wfile.write(data)
        self.server.counters.add(kind, status, len(data), received)

    def _answer(self):
        path = self.path.split("?", 1)[0]
        if path == "/robots.txt":
            return "robots", 200, {"Content-Type": "text/plain"}, ROBOTS
        stored = self.server.pages.get(path)
        if stored is None:
            return "other", 404, {"Content-Type": "text/plain"}, b"not found"
        validators = {"ETag": stored.etag, "Last-Modified": LAST_MODIFIED, "Cache-Control": "max-age=60"}
        if not_modified(self.headers, stored.etag, LAST_MODIFIED):  # headers: case-insensitive
            return "page", 304, validators, b""
        headers = {"Content-Type": "text/html; charset=utf-8", "Vary": "Accept-Encoding", **validators}
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            return "page", 200, {**headers, "Content-Encoding": "gzip"}, stored.gz
        return "page", 200, headers, gzip.decompress(stored.gz)


class _HostServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        """A client that hangs up on an idle kept-alive connection (LinkChecker does, at its end) is
        no error of the benchmark's; anything else is still printed."""
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)

    def __init__(self, address: str, pages: dict[str, Stored], latency: float, counters: Counters,
                 stopping: threading.Event):
        super().__init__((address, 0), _Handler)
        self.pages, self.latency, self.counters, self.stopping = pages, latency, counters, stopping
        self.lock = threading.Lock()
        self.active = self.most_active = 0  # requests this host was answering: now, and at most

    def in_flight(self, change: int) -> None:
        with self.lock:
            self.active += change
            self.most_active = max(self.most_active, self.active)


class Hosts:
    """``count`` loopback hosts; ``add(host_index, path, html)`` before ``start()``."""

    def __init__(self, count: int, latency: float, lifetime: float = 1800.0):
        self.latency = latency
        self.lifetime = lifetime
        self.counters = Counters()
        self.stopping = threading.Event()
        self.pages: list[dict[str, Stored]] = [{} for _ in range(count)]
        self.servers = [_HostServer(f"127.0.0.{i + 1}", self.pages[i], latency, self.counters, self.stopping)
                        for i in range(count)]
        self._threads: list[threading.Thread] = []
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True

    def base_url(self, host: int) -> str:
        address, port = self.servers[host].server_address[:2]
        return f"http://{address}:{port}"

    def add(self, host: int, path: str, html: bytes, etag: str) -> None:
        self.pages[host][path] = Stored(html, etag)

    def start(self) -> Hosts:
        for server in self.servers:
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
            thread.start()
            self._threads.append(thread)
        self._timer.start()
        return self

    def stop(self) -> None:
        if self.stopping.is_set():
            return
        self.stopping.set()
        self._timer.cancel()
        for server in self.servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> Hosts:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
