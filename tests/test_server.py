"""The loopback test server answers each route as real sites do, and stops promptly."""

from __future__ import annotations

import gzip
import http.client
import io
import threading
import time
import urllib.error
import urllib.request

import pytest
from pypdf import PdfReader

from tests.support.server import ETAG, LAST_MODIFIED, Response, serve


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECT = urllib.request.build_opener(_NoRedirect)
FOLLOW = urllib.request.build_opener()


def get(url: str, headers: dict | None = None, opener=NO_REDIRECT, method: str = "GET"):
    """(status, headers, body) without raising on 3xx/4xx/5xx."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.headers, err.read()


@pytest.fixture(scope="module")
def server():
    with serve() as srv:
        yield srv


# path, status, headers that must be present (name -> exact value)
STATUS_TABLE = [
    ("/", 200, {"Content-Type": "text/html; charset=utf-8"}),
    ("/article", 200, {"Content-Type": "text/html; charset=utf-8"}),
    ("/r/301", 301, {"Location": "/r/302"}),
    ("/r/302", 302, {"Location": "/article"}),
    ("/r/307", 307, {"Location": "/article"}),
    ("/old-article", 301, {"Location": "/"}),
    ("/gone-to-404", 302, {"Location": "/404"}),
    ("/404", 404, {}),
    ("/missing", 404, {}),
    ("/no-such-route", 404, {}),
    ("/removed", 410, {}),
    ("/challenge", 403, {"cf-mitigated": "challenge", "Server": "cloudflare"}),
    ("/captcha", 403, {}),
    ("/maintenance", 503, {"Content-Type": "text/plain"}),
    ("/error", 500, {}),
    ("/ratelimited", 429, {"Retry-After": "1"}),
    ("/loop/a", 302, {"Location": "/loop/b"}),
    ("/loop/b", 302, {"Location": "/loop/a"}),
    ("/soft-404", 200, {}),
    ("/soft-404-de", 200, {}),
    ("/gzip", 200, {"Content-Encoding": "gzip"}),
    ("/doc.pdf", 200, {"Content-Type": "application/pdf"}),
    ("/robots.txt", 200, {"Content-Type": "text/plain; charset=utf-8"}),
    ("/private/page", 200, {}),
    ("/etag", 200, {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}),
    ("/slow?delay=0", 200, {}),
]


@pytest.mark.parametrize("path,status,headers", STATUS_TABLE, ids=[row[0] for row in STATUS_TABLE])
def test_route_status_and_headers(server, path, status, headers):
    got_status, got_headers, body = get(server.url(path))
    assert got_status == status
    for name, value in headers.items():
        assert got_headers[name] == value
    if status not in (204, 304):
        assert int(got_headers["Content-Length"]) == len(body)


def test_default_server_header_is_single(server):
    _, headers, _ = get(server.url("/challenge"))
    assert headers.get_all("Server") == ["cloudflare"]
    _, headers, _ = get(server.url("/article"))
    assert headers.get_all("Server") == ["citecheck-test"]


def test_article_has_title_heading_and_json_ld_date(server):
    _, _, body = get(server.url("/article"))
    text = body.decode("utf-8")
    assert "<title>River ferries return to the old harbour | Tidewater Courier</title>" in text
    assert "<h1>River ferries return to the old harbour</h1>" in text
    assert '"datePublished": "2024-03-14T09:30:00+01:00"' in text
    assert text.count("<p>") >= 3


def test_redirect_chain_ends_at_article(server):
    status, _, body = get(server.url("/r/301"), opener=FOLLOW)
    assert status == 200
    assert b"River ferries return" in body


def test_redirect_loop_is_detected_by_a_client(server):
    with pytest.raises(urllib.error.HTTPError, match="infinite loop"):
        FOLLOW.open(server.url("/loop/a"), timeout=10)


@pytest.mark.parametrize(
    "path,needle",
    [
        ("/challenge", b"<title>Just a moment...</title>"),
        ("/captcha", b'class="g-recaptcha"'),
        ("/soft-404", b"<title>Page not found | Tidewater Courier</title>"),
        ("/soft-404-de", "<h1>Seite nicht gefunden</h1>".encode()),
        ("/maintenance", b"down for maintenance"),
    ],
)
def test_page_bodies(server, path, needle):
    _, _, body = get(server.url(path))
    assert needle in body


def test_gzip_body_decompresses_to_html(server):
    _, _, body = get(server.url("/gzip"))
    assert body[:2] == b"\x1f\x8b"
    assert b"<title>Compressed page</title>" in gzip.decompress(body)


def test_pdf_is_readable_and_has_one_page(server):
    _, _, body = get(server.url("/doc.pdf"))
    assert body.startswith(b"%PDF-1.4")
    reader = PdfReader(io.BytesIO(body))
    assert len(reader.pages) == 1
    assert "Citecheck test PDF" in reader.pages[0].extract_text()


def test_robots_disallows_private(server):
    _, _, body = get(server.url("/robots.txt"))
    assert body.decode() == "User-agent: *\nDisallow: /private/\n"


@pytest.mark.parametrize(
    "headers,status",
    [
        ({}, 200),
        ({"If-None-Match": ETAG}, 304),
        ({"If-None-Match": f'"other", W/{ETAG}'}, 304),
        ({"If-None-Match": '"other"'}, 200),
        ({"If-Modified-Since": LAST_MODIFIED}, 304),
        ({"If-Modified-Since": "Thu, 15 Feb 2024 08:00:00 GMT"}, 304),
        ({"If-Modified-Since": "Tue, 13 Feb 2024 08:00:00 GMT"}, 200),
        # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)
        ({"If-None-Match": '"other"', "If-Modified-Since": LAST_MODIFIED}, 200),
    ],
)
def test_etag_conditional_requests(server, headers, status):
    got, got_headers, body = get(server.url("/etag"), headers=headers)
    assert got == status
    assert got_headers["ETag"] == ETAG
    assert (body == b"") is (status == 304)


def test_head_sends_headers_without_body(server):
    status, headers, body = get(server.url("/article"), method="HEAD")
    assert status == 200
    assert int(headers["Content-Length"]) > 0
    assert body == b""


def test_slow_waits_for_the_delay(server):
    start = time.monotonic()
    status, _, body = get(server.url("/slow?delay=0.3"))
    assert status == 200 and body == b"finally"
    assert time.monotonic() - start >= 0.3


def test_request_log_records_method_path_and_headers():
    with serve() as srv:
        get(srv.url("/etag?x=1"), headers={"User-Agent": "citecheck/0.1", "If-None-Match": ETAG})
        get(srv.url("/article"), method="HEAD")
    method, path, headers = srv.requests[0]
    assert (method, path) == ("GET", "/etag?x=1")
    assert headers["user-agent"] == "citecheck/0.1"
    assert headers["if-none-match"] == ETAG
    assert [(m, p) for m, p, _ in srv.requests] == [("GET", "/etag?x=1"), ("HEAD", "/article")]


def test_registered_route_is_served():
    with serve() as srv:
        srv.route("/extra", status=418, headers={"X-Test": "yes"}, body="short and stout")
        srv.route("/echo", lambda req: Response(200, {}, req.path.encode()))
        status, headers, body = get(srv.url("/extra"))
        assert (status, headers["X-Test"], body) == (418, "yes", b"short and stout")
        assert get(srv.url("/echo?a=b"))[2] == b"/echo?a=b"


def test_routes_argument_overrides_defaults():
    replaced = Response(201, {"Content-Type": "text/plain"}, b"replaced")
    with serve({"/article": replaced}) as srv:
        assert get(srv.url("/article"))[:3:2] == (201, b"replaced")
        assert get(srv.url("/missing"))[0] == 404


def test_keep_alive_connection_serves_two_requests():
    with serve() as srv:
        conn = http.client.HTTPConnection(srv.host, srv.port, timeout=5)
        for path in ("/article", "/missing"):
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
        conn.close()
        assert response.status == 404
    assert [p for _, p, _ in srv.requests] == ["/article", "/missing"]


def test_shutdown_is_prompt_with_a_pending_slow_request():
    outcome = {}

    def client(url):
        try:
            outcome["result"] = get(url)
        except (OSError, http.client.HTTPException) as exc:
            outcome["error"] = exc

    srv = serve().start()
    thread = threading.Thread(target=client, args=(srv.url("/slow?delay=30"),))
    thread.start()
    deadline = time.monotonic() + 5
    while not srv.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    assert srv.requests[0][1] == "/slow?delay=30"

    start = time.monotonic()
    srv.stop()
    elapsed = time.monotonic() - start
    thread.join(timeout=5)

    assert elapsed < 1.0
    assert not thread.is_alive()
    assert "error" in outcome and "result" not in outcome


def test_idle_keep_alive_connection_does_not_block_shutdown():
    srv = serve().start()
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=5)
    conn.request("GET", "/article")
    conn.getresponse().read()
    start = time.monotonic()
    srv.stop()
    assert time.monotonic() - start < 1.0
    conn.close()


def test_url_and_port():
    with serve() as srv:
        assert srv.host == "127.0.0.1"
        assert srv.port > 0
        assert srv.url("/a?b=1") == f"http://127.0.0.1:{srv.port}/a?b=1"
        assert srv.url("a") == srv.url("/a")
