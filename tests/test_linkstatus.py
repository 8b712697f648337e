"""Link verdicts: every verdict from a Fetch, and live pages are never called dead."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from crawler.checks.linkstatus import (
    DEAD,
    LIVE,
    TRANSIENT,
    challenge_marker,
    classify,
    is_trivial_redirect,
    not_found_wording,
)
from crawler.models import Fetch, Hop
from tests.support.server import serve

HTML = {"content-type": "text/html; charset=utf-8"}
ARTICLE = (
    b"<html><head><title>River ferries return | Tidewater Courier</title></head>"
    b"<body><h1>River ferries return to the old harbour</h1><p>After eleven winters...</p></body></html>"
)
CF_CHALLENGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b'<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script></body></html>'
)
CAPTCHA = b'<html><head><title>Security check</title></head><body><div class="g-recaptcha"></div></body></html>'


def page(status=200, url="https://news.example/2024/03/ferries", body=ARTICLE, headers=None, chain=()):
    """A Fetch whose redirect chain is ``chain`` = ((status, location), ...)."""
    hops, current = [], url
    for code, location in chain:
        hops.append(Hop(current, code, location))
        current = location
    hops.append(Hop(current, status))
    return Fetch(url=url, final_url=current, status=status, headers={**HTML, **(headers or {})},
                 body=body, hops=hops)


def failed(error, detail):
    return Fetch(url="https://news.example/a", error=error, error_detail=detail)


CASES = [
    # id, fetch, kwargs, expected (link, detail)
    ("200 article", page(), {}, ("ok", None)),
    ("404", page(404, body=b"<h1>Not Found</h1>"), {}, ("not_found", "404 Not Found")),
    ("410", page(410, body=b""), {}, ("gone", "410 Gone")),
    ("429 retry-after", page(429, headers={"retry-after": "1"}), {},
     ("rate_limited", "429 Too Many Requests (Retry-After: 1)")),
    ("429 plain", page(429), {}, ("rate_limited", "429 Too Many Requests")),
    ("403 cloudflare",
     page(403, body=CF_CHALLENGE, headers={"server": "cloudflare", "cf-mitigated": "challenge"}), {},
     ("blocked", "403 with Cloudflare challenge (cf-mitigated: challenge)")),
    ("403 just-a-moment no header",
     page(403, body=CF_CHALLENGE, headers={"server": "cloudflare"}), {},
     ("blocked", "403 with Cloudflare challenge")),
    ("403 captcha", page(403, body=CAPTCHA), {}, ("blocked", "403 with reCAPTCHA")),
    ("403 hcaptcha", page(403, body=b'<div class="h-captcha" data-sitekey="x"></div>'), {},
     ("blocked", "403 with hCaptcha")),
    ("403 ddos-guard", page(403, body=b"<title>DDoS-Guard</title>", headers={"server": "ddos-guard"}), {},
     ("blocked", "403 with DDoS-Guard challenge")),
    ("403 access denied", page(403, body=b"<h1>Access Denied</h1> Reference #18.2f"), {},
     ("blocked", "403 with Access denied page")),
    ("403 plain", page(403, body=b"nope"), {}, ("blocked", "403 Forbidden")),
    ("401", page(401, body=b""), {}, ("blocked", "401 Unauthorized")),
    ("451", page(451, body=b""), {}, ("blocked", "451 Unavailable For Legal Reasons")),
    ("400", page(400, body=b""), {}, ("blocked", "400 Bad Request")),
    ("405", page(405, body=b""), {}, ("blocked", "405 Method Not Allowed")),
    ("408", page(408, body=b""), {}, ("timeout", "408 Request Timeout")),
    ("503 plain", page(503, body=b"down for maintenance"), {},
     ("server_error", "503 Service Unavailable")),
    ("503 cloudflare",
     page(503, body=CF_CHALLENGE, headers={"server": "cloudflare", "cf-mitigated": "challenge"}), {},
     ("blocked", "503 with Cloudflare challenge (cf-mitigated: challenge)")),
    ("500", page(500, body=b""), {}, ("server_error", "500 Internal Server Error")),
    ("502", page(502, body=b""), {}, ("server_error", "502 Bad Gateway")),
    ("599 unknown", page(599, body=b""), {}, ("server_error", "599")),
    ("304", page(304, body=b""), {}, ("ok", "304 Not Modified")),
    ("304 of a page that said not found", page(304, body=b""), {"title": "Tidewater Courier", "heading": "Page not found"},
     ("soft_404", "304, but the page says “page not found”")),
    ("304 after a redirect to the home page", page(304, body=b"", chain=((301, "https://news.example/"),)), {},
     ("moved_to_homepage", "301 → https://news.example/ (1 hop), the site's home page")),
    ("3xx not followed", page(301, body=b"", headers={"location": "/elsewhere"}), {},
     ("redirected", "301 → /elsewhere (not followed)")),
    ("3xx without location", page(302, body=b""), {}, ("redirected", "302 without a Location header")),
    ("no status", Fetch(url="https://news.example/a"), {}, ("connection_error", "no response received")),
    # transport failures pass through
    ("timeout", failed("timeout", "no answer in 30 s"), {}, ("timeout", "no answer in 30 s")),
    ("dns", failed("dns_error", "news.example: name not known"), {},
     ("dns_error", "news.example: name not known")),
    ("tls", failed("tls_error", "certificate expired"), {}, ("tls_error", "certificate expired")),
    ("conn", failed("connection_error", "refused"), {}, ("connection_error", "refused")),
    ("loop", failed("redirect_loop", "/loop/a → /loop/b → /loop/a"), {},
     ("redirect_loop", "/loop/a → /loop/b → /loop/a")),
    ("robots", failed("blocked", "robots.txt disallows /private/"), {},
     ("blocked", "robots.txt disallows /private/")),
    ("no_url", failed("no_url", None), {}, ("no_url", None)),
    ("invalid_url", failed("invalid_url", "no host"), {}, ("invalid_url", "no host")),
    ("unsafe_url", failed("unsafe_url", "127.0.0.1 is loopback"), {}, ("unsafe_url", "127.0.0.1 is loopback")),
    # 404 reached through a redirect
    ("302 to 404", page(404, url="https://news.example/gone-to-404", body=b"",
                        chain=[(302, "https://news.example/404")]), {},
     ("not_found", "404 Not Found at https://news.example/404 after 1 redirect")),
]


@pytest.mark.parametrize("fetch,kwargs,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_classify(fetch, kwargs, expected):
    assert classify(fetch, **kwargs) == expected


SOFT_404 = [
    # id, title, body, text
    ("en title", "Page not found | Tidewater Courier", b"", ""),
    ("en title oops", "Oops! Page Not Found – Tidewater", b"", ""),
    ("404 in title", "404 | Tidewater Courier", b"", ""),
    ("error 404 title", "Error 404 - Tidewater Courier", b"", ""),
    ("http 404 title", "HTTP 404 | Tidewater Courier", b"", ""),
    ("ru 404 title", "Ошибка 404 — Новая газета", b"", ""),
    ("de title", "Seite nicht gefunden – Kreisbote Nord", b"", ""),
    ("ru title", "Страница не найдена — Новая газета", b"", ""),
    ("uk title", "Сторінку не знайдено | Українська правда", b"", ""),
    ("fr title", "Page introuvable - Le Quotidien", b"", ""),
    ("es title", "Página no encontrada | El Diario", b"", ""),
    ("it title", "Pagina non trovata - Il Giornale", b"", ""),
    ("h1 only", None, "<html><head><title>Tidewater</title></head><body><h1>Page&nbsp;not found</h1>".encode(), ""),
    ("title from body", None, b"<html><head><title>Seite nicht gefunden</title></head></html>", ""),
    ("short text", "Tidewater Courier", b"", "Sorry, the page could not be found. Try the search."),
    ("colon", "Error 404: Page not found", b"", ""),
    ("colon, de", "Fehler: Seite nicht gefunden | Kreisbote Nord", b"", ""),
    ("de sentence", "Kreisbote Nord", b"", "Die Seite konnte nicht gefunden werden."),
    ("fr sentence", "Le Quotidien", b"", "Oups ! Cette page n'existe pas."),
    ("es sentence", "El Diario", b"", "Lo sentimos, la página no existe."),
    ("pt title", "Página não encontrada | Folha", b"", ""),
    ("ru sentence", "Новая газета", b"", "Такой страницы нет."),
    ("apache", "404 Not Found", b"", "The requested URL was not found on this server."),
    ("colon, apology", "Page not found: Sorry, we can't find that page | Example News", b"", "Sitemap. " * 60),
    ("colon, 404", "404: The page you were looking for is gone", b"", "Sitemap. " * 60),
]


@pytest.mark.parametrize("title,body,text", [c[1:] for c in SOFT_404], ids=[c[0] for c in SOFT_404])
def test_soft_404(title, body, text):
    link, detail = classify(page(body=body), title=title, text=text)
    assert link == "soft_404"
    assert detail.startswith("200, but the page says “")


def test_soft_404_detail_quotes_the_phrase():
    assert classify(page(body=b""), title="Seite nicht gefunden – Kreisbote Nord") == (
        "soft_404", "200, but the page says “seite nicht gefunden”")


NOT_SOFT_404 = [
    # headlines about missing things are articles, not error pages
    ("headline", "Why the page not found error haunts digital archives, explained at length", ""),
    ("not found guilty", "Jury: defendant not found guilty", ""),
    ("404 headline", "The 404 problem: how a decade of links quietly rotted away", ""),
    ("long text", "Page not found", "word " * 400),
    ("long text mentions", "Tidewater", "Readers reported page not found errors. " * 20),
    ("plain", "River ferries return | Tidewater Courier", "After eleven winters..."),
    # a kicker before a headline, over a paywall teaser
    ("kicker", "Not Found: Why Kazakhstan's missing billions stay hidden | Meduza", "The fund lost track. " * 30),
    ("kicker, ru", "Страница не найдена: как Роскомнадзор блокирует сайты", "Текст статьи. " * 30),
    ("kicker, 404", "404: the number that broke the internet – taz.de", "A teaser. " * 30),
]


@pytest.mark.parametrize("title,text", [c[1:] for c in NOT_SOFT_404], ids=[c[0] for c in NOT_SOFT_404])
def test_not_soft_404(title, text):
    assert classify(page(body=b""), title=title, text=text) == ("ok", None)


def test_pdf_body_is_not_parsed_for_titles():
    pdf = page(body=b"%PDF-1.4 <title>Page not found</title>", headers={"content-type": "application/pdf"})
    assert classify(pdf) == ("ok", None)


ARTICLE_ON_DDOS_GUARD = b"<html><head><title>Who keeps the sites online</title></head><body><h1>Who keeps " \
    b"the sites online</h1><p>The hosting company DDoS-Guard protects dozens of sanctioned sites.</p></body></html>"


@pytest.mark.parametrize("headers", [{"server": "ddos-guard"}, {"server": "nginx"}], ids=["behind it", "naming it"])
def test_an_article_behind_or_about_ddos_guard_is_live(headers):
    """Its server header is on every page it proxies, and an article may name it."""
    assert classify(page(200, body=ARTICLE_ON_DDOS_GUARD, headers=headers)) == ("ok", None)


def test_a_ddos_guard_challenge_served_200_is_blocked():
    challenge = b"<html><head><title>DDoS-Guard</title></head><body>Checking your browser before accessing" \
        b" the site.<script src='/.well-known/ddos-guard/js-challenge/index.js'></script></body></html>"
    fetch = page(200, body=challenge, headers={"server": "ddos-guard"})
    assert classify(fetch) == ("blocked", "200 with DDoS-Guard challenge")


def test_200_cloudflare_interstitial_is_blocked_not_soft_404():
    fetch = page(200, body=CF_CHALLENGE, headers={"server": "cloudflare"})
    assert classify(fetch) == ("blocked", "200 with Cloudflare challenge")


def test_200_article_with_recaptcha_comment_form_is_ok():
    body = ARTICLE + b'<form id="comments"><div class="g-recaptcha"></div></form>'
    assert classify(page(body=body)) == ("ok", None)


REDIRECTS = [
    # id, original, chain, expected
    ("chain to article", "https://news.example/r/301",
     [(301, "https://news.example/r/302"), (302, "https://news.example/article")],
     ("redirected", "301/302 → https://news.example/article (2 hops)")),
    ("wordpress short link", "https://bureau.example/?p=5012",
     [(301, "https://bureau.example/novosti/ferries-return/")],
     ("redirected", "301 → https://bureau.example/novosti/ferries-return/ (1 hop)")),
    ("new domain", "https://old.example/story/1", [(308, "https://new.example/story/1")],
     ("redirected", "308 → https://new.example/story/1 (1 hop)")),
    ("http to https", "http://news.example/a", [(301, "https://news.example/a")],
     ("ok", "301 → https://news.example/a (1 hop), canonical form")),
    ("add www and slash", "https://news.example/a", [(301, "https://www.news.example/a/")],
     ("ok", "301 → https://www.news.example/a/ (1 hop), canonical form")),
    ("percent-encoding", "https://news.example/новости", [(301, "https://news.example/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8")],
     ("ok", "301 → https://news.example/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8 (1 hop), canonical form")),
    ("to home", "https://news.example/old-article", [(301, "https://news.example/")],
     ("moved_to_homepage", "301 → https://news.example/ (1 hop), the site's home page")),
    ("to home no slash", "https://news.example/old-article", [(302, "https://news.example")],
     ("moved_to_homepage", "302 → https://news.example (1 hop), the site's home page")),
    ("to language root", "https://news.example/en/2020/story", [(301, "https://news.example/en/")],
     ("moved_to_homepage", "301 → https://news.example/en/ (1 hop), the site's home page")),
    ("short link to home", "https://bureau.example/?p=99", [(301, "https://bureau.example/")],
     ("moved_to_homepage", "301 → https://bureau.example/ (1 hop), the site's home page")),
    ("to error page", "https://news.example/story", [(302, "https://news.example/404")],
     ("moved_to_homepage", "302 → https://news.example/404 (1 hop), an error page")),
    ("to not-found page", "https://news.example/story", [(302, "https://news.example/de/not-found.html")],
     ("moved_to_homepage", "302 → https://news.example/de/not-found.html (1 hop), an error page")),
    ("root to language root", "https://news.example/", [(302, "https://news.example/en/")],
     ("redirected", "302 → https://news.example/en/ (1 hop)")),
    ("article slug named error is fine", "https://news.example/p/1", [(301, "https://news.example/2024/error-budget")],
     ("redirected", "301 → https://news.example/2024/error-budget (1 hop)")),
]


@pytest.mark.parametrize("url,chain,expected", [c[1:] for c in REDIRECTS], ids=[c[0] for c in REDIRECTS])
def test_redirects(url, chain, expected):
    assert classify(page(url=url, chain=chain)) == expected


def test_final_url_change_without_recorded_hops_counts_as_redirect():
    fetch = Fetch(url="https://news.example/a", final_url="https://news.example/b", status=200,
                  headers=HTML, body=ARTICLE)
    assert classify(fetch) == ("redirected", "moved → https://news.example/b (0 hops)")


LIVE_PAGES = [
    page(),
    page(403, body=CF_CHALLENGE, headers={"server": "cloudflare", "cf-mitigated": "challenge"}),
    page(429, headers={"retry-after": "60"}),
    page(503, body=b"maintenance"),
    page(500),
    page(url="http://news.example/a", chain=[(301, "https://www.news.example/a/")]),
    page(url="https://news.example/?p=1", chain=[(301, "https://news.example/2024/slug/")]),
]


@pytest.mark.parametrize("fetch", LIVE_PAGES, ids=range(len(LIVE_PAGES)))
def test_live_pages_are_never_dead(fetch):
    link, _ = classify(fetch)
    assert link not in DEAD
    assert link in LIVE | TRANSIENT


def test_verdict_sets_are_disjoint_and_cover_transport_errors():
    assert not DEAD & TRANSIENT and not DEAD & LIVE and not TRANSIENT & LIVE
    assert {"timeout", "dns_error", "tls_error", "connection_error", "redirect_loop", "blocked",
            "no_url", "invalid_url", "unsafe_url"} <= DEAD | TRANSIENT


@pytest.mark.parametrize(
    "a,b,trivial",
    [
        ("http://x.example/a", "https://x.example/a", True),
        ("https://x.example/a", "https://www.x.example/a", True),
        ("https://WWW.X.example/a/", "https://x.example/a", True),
        ("https://x.example:443/a", "https://x.example/a", True),
        ("https://x.example/a", "https://x.example/b", False),
        ("https://x.example/?p=1", "https://x.example/slug/", False),
        ("https://x.example/a?x=1", "https://x.example/a?x=2", False),
        ("https://x.example/a", "https://y.example/a", False),
    ],
)
def test_is_trivial_redirect(a, b, trivial):
    assert is_trivial_redirect(a, b) is trivial


def test_not_found_wording_misses_return_none():
    assert not_found_wording(None, None, "") is None
    assert not_found_wording("Tidewater Courier", "River ferries", "After eleven winters") is None


def test_challenge_marker_needs_cloudflare_server_for_just_a_moment():
    fetch = page(403, body=b"<title>Just a moment...</title>")
    assert challenge_marker(fetch) is None
    fetch.headers["server"] = "cloudflare"
    assert challenge_marker(fetch) == "Cloudflare challenge"


SERVED = [
    ("/article", ("ok", None)),
    ("/soft-404", "soft_404"),
    ("/soft-404-de", "soft_404"),
    ("/challenge", ("blocked", "403 with Cloudflare challenge (cf-mitigated: challenge)")),
    ("/captcha", ("blocked", "403 with reCAPTCHA")),
    ("/maintenance", ("server_error", "503 Service Unavailable")),
    ("/ratelimited", ("rate_limited", "429 Too Many Requests (Retry-After: 1)")),
    ("/missing", ("not_found", "404 Not Found")),
    ("/removed", ("gone", "410 Gone")),
]


@pytest.mark.parametrize("path,expected", SERVED, ids=[s[0] for s in SERVED])
def test_classify_pages_from_the_test_server(path, expected):
    """The server's pages, fetched over a socket, get the verdict their route stands for."""
    with serve() as srv:
        url = srv.url(path)
        try:
            with urllib.request.urlopen(url, timeout=10) as resp:
                status, headers, body = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as err:
            status, headers, body = err.code, err.headers, err.read()
    fetch = Fetch(url=url, final_url=url, status=status, body=body, hops=[Hop(url, status)],
                  headers={k.lower(): v for k, v in headers.items()})
    got = classify(fetch)
    assert got[0] == expected if isinstance(expected, str) else got == expected
