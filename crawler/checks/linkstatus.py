"""Turn what the crawl saw of one URL into a link verdict an editor can act on.

CI fails a document on a dead link, so the classifier is conservative: a page
that answered at all (a challenge, a rate limit, a maintenance page) is never
called dead; only a clear "not here" is. Transport failures arrive already
classified in ``Fetch.error`` and pass through unchanged.

Verdict table (final response of the redirect chain):

==========================  ==================================================
final status                 verdict
==========================  ==================================================
(transport failure)          ``fetch.error`` as given, with ``error_detail``
no status, no error          ``connection_error``
2xx + strong challenge mark  ``blocked`` (a Cloudflare interstitial served 200)
2xx + "not found" wording    ``soft_404`` (title segment, first <h1>, short text)
2xx after redirects          ``moved_to_homepage`` if it landed on the site root
                             / a language root from a deeper page, or on an
                             error path (/404, /not-found, /error);
                             ``redirected`` if the URL changed beyond a trivial
                             canonicalisation; else ``ok``
2xx                          ``ok``
304                          as the 2xx it confirms, judged from what was
                             extracted of it (title, heading, text) and this
                             fetch's redirects; ``ok`` says "304 Not Modified"
other 3xx (not followed)     ``redirected``
404                          ``not_found``
410                          ``gone``
408                          ``timeout``
429                          ``rate_limited`` (detail gives Retry-After)
401, 403, 451                ``blocked`` (detail names a challenge if seen)
other 4xx (400, 405, ...)    ``blocked``, status in the detail
503 + challenge marks        ``blocked``
5xx                          ``server_error``
anything else                ``server_error``
==========================  ==================================================

Trivial canonicalisations (still ``ok``): http→https, adding/removing
``www.``, a default port, a trailing slash, percent-encoding of the path.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import re
from http import HTTPStatus
from urllib.parse import unquote, urlsplit

from crawler.models import Fetch

DEAD = {
    "not_found",
    "gone",
    "dns_error",
    "no_url",
    "invalid_url",
    "unsafe_url",
    "soft_404",
    "moved_to_homepage",
    "redirect_loop",
}
TRANSIENT = {"timeout", "server_error", "connection_error", "rate_limited", "blocked", "tls_error", "resolver_error"}
LIVE = {"ok", "redirected"}
UNREADABLE = {"unreadable", "too_large"}  # the server answered, but nothing in what it sent can be checked

# -- patterns (data) ---------------------------------------------------------

# Casefolded wording of "this page does not exist" in the languages we cite.
NOT_FOUND_PHRASES: tuple[str, ...] = (
    # en
    "page not found",
    "page cannot be found",
    "page can't be found",
    "page could not be found",
    "page does not exist",
    "page doesn't exist",
    "404 not found",
    "error 404",
    "404 error",
    "requested url was not found",
    # de
    "seite nicht gefunden",
    "seite wurde nicht gefunden",
    "seite existiert nicht",
    "seite konnte nicht gefunden werden",
    "fehler 404",
    # ru
    "страница не найдена",
    "страница не существует",
    "такой страницы нет",
    "ошибка 404",
    # uk
    "сторінку не знайдено",
    "сторінка не знайдена",
    "сторінка не існує",
    "помилка 404",
    # fr
    "page introuvable",
    "page non trouvée",
    "page n'existe pas",
    "erreur 404",
    # es
    "página no encontrada",
    "pagina no encontrada",
    "no se encontró la página",
    "página no existe",
    # pt
    "página não encontrada",
    # it
    "pagina non trovata",
    "pagina non esiste",
    "errore 404",
)
# A title segment that is only this (after trimming) also counts.
NOT_FOUND_WHOLE = ("not found", "404", "nicht gefunden", "не найдено", "не знайдено", "introuvable")
# A title segment saying "not found" may carry this many extra characters
# ("Oops! Page not found"); longer, and it is a headline about not-found pages.
TITLE_SLACK = 25
# Body text up to this length may itself be the "not found" notice.
SHORT_TEXT = 400
# Main text longer than this is an article, whatever its title says.
ARTICLE_TEXT = 1500
TITLE_SEPARATORS = re.compile(r"\s+[-–—]\s+|\s*[|·•–—]\s*")
# "Not found: why the billions stay hidden" is a headline with a kicker; "Error 404: page not found" and
# "Page not found: sorry, we can't find that page" are not
HEADLINE_WORDS = 4
APOLOGY = re.compile(r"\b(sorry|oops|can't find|cannot find|couldn't find|could not find|looking for|no longer|"
                     r"(does not|doesn't) exist|leider|entschuldigung|к сожалению|извините|вибачте|désolé|"
                     r"lo sentimos)\b")
# A title segment that is just "404" with error words around it.
TITLE_404 = re.compile(
    r"^(?:(?:http|error|fehler|ошибка|помилка|erreur|errore|oops)\W*)*404"
    r"(?:\W*(?:error|not found|page|seite|страница|сторінка))*$"
)

LANGUAGE_ROOT = re.compile(r"^/[a-z]{2}(?:[-_][a-z]{2,4})?/?$", re.IGNORECASE)
ERROR_PATH = re.compile(
    r"^(?:/[a-z]{2}(?:[-_][a-z]{2,4})?)?/(?:errors?/)?"
    r"(?:404|not-?found|page-?not-?found|error(?:-?404)?|404-?error)(?:\.(?:html?|php|aspx?))?/?$",
    re.IGNORECASE,
)

# (header, pattern, label): a header that by itself proves a challenge.
# (header, pattern, label, strong?): DDoS-Guard's server header is on every page it proxies, so
# it only explains a refusal; Cloudflare sends cf-mitigated with its challenges alone.
CHALLENGE_HEADERS: tuple[tuple[str, re.Pattern, str, bool], ...] = (
    ("cf-mitigated", re.compile(r".+"), "Cloudflare challenge", True),
    ("server", re.compile(r"ddos-guard", re.IGNORECASE), "DDoS-Guard challenge", False),
)
# (pattern over the casefolded page, label, strong?): strong markers mean a
# challenge even on a 200; weak ones (a reCAPTCHA in a comment form) only
# explain a refusal.
CHALLENGE_BODY: tuple[tuple[re.Pattern, str, bool], ...] = (
    (re.compile(r"just a moment\.\.\.|attention required!? \| cloudflare|cf-chl-|challenge-platform"),
     "Cloudflare challenge", True),
    (re.compile(r"/\.well-known/ddos-guard/|checking your browser before accessing"), "DDoS-Guard challenge", True),
    (re.compile(r"ddos-guard"), "DDoS-Guard challenge", False),
    (re.compile(r"attention required"), "Cloudflare challenge", False),
    (re.compile(r"h-captcha|hcaptcha"), "hCaptcha", False),
    (re.compile(r"g-recaptcha|recaptcha"), "reCAPTCHA", False),
    (re.compile(r"captcha"), "captcha", False),
    (re.compile(r"access denied"), "Access denied page", False),
)
# body marks that count only behind that server: an article may well name Cloudflare or DDoS-Guard
SERVER_ONLY = {"Cloudflare challenge": "cloudflare", "DDoS-Guard challenge": "ddos-guard"}
BODY_SCAN = 200_000

TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
H1_TAG = re.compile(r"<h1[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
ANY_TAG = re.compile(r"<[^>]+>")


# -- entry point -------------------------------------------------------------


def classify(fetch: Fetch, *, title: str | None = None, text: str = "",
             heading: str | None = None) -> tuple[str, str | None]:
    """The link verdict and a short sentence for the editor; ``title``, ``heading`` and ``text``
    are what extraction read from the page (the body is gone after a 304)."""
    if fetch.error:
        return fetch.error, fetch.error_detail
    status = fetch.status
    if status is None:
        return "connection_error", fetch.error_detail or "no response received"
    if 200 <= status < 300:
        return _classify_success(fetch, title, text, heading)
    if status == 304:  # the page last fetched, unchanged: still an error page if it was one
        link, detail = _classify_success(fetch, title, text, heading)
        return link, detail or "304 Not Modified"
    if 300 <= status < 400:
        return _unfollowed_redirect(fetch)
    if 400 <= status < 500:
        return _classify_client_error(fetch)
    if 500 <= status < 600:
        return _classify_server_error(fetch)
    return "server_error", f"unexpected status {status}"


# -- 2xx ---------------------------------------------------------------------


def _classify_success(fetch: Fetch, title: str | None, text: str, heading: str | None) -> tuple[str, str | None]:
    challenge = challenge_marker(fetch, strong_only=True)
    if challenge:
        return "blocked", f"{fetch.status} with {challenge}"
    page_title, heading = _title_and_heading(fetch, title, heading)
    said = not_found_wording(page_title, heading, text)
    if said:
        return "soft_404", f"{fetch.status}, but the page says “{said}”"
    final = fetch.final_url or fetch.url
    hops = _redirect_hops(fetch)
    if not hops and _same(fetch.url, final):
        return "ok", None
    where = _redirect_summary(fetch, hops, final)
    if _is_error_path(final):
        return "moved_to_homepage", f"{where}, an error page"
    if _is_root(final) and not _is_root(fetch.url):
        return "moved_to_homepage", f"{where}, the site's home page"
    if is_trivial_redirect(fetch.url, final):
        return "ok", f"{where}, canonical form"
    return "redirected", where


def not_found_wording(title: str | None, heading: str | None, text: str = "") -> str | None:
    """The "not found" phrase a page shows in its title, heading or short text."""
    if len(text) > ARTICLE_TEXT:
        return None
    for segment in _title_segments(title) + _title_segments(heading):
        phrase = _phrase_in(segment)
        if phrase and len(segment) <= len(phrase) + TITLE_SLACK:
            return segment
        if segment in NOT_FOUND_WHOLE or TITLE_404.match(segment):
            return segment
    body = _norm(text)
    if body and len(body) <= SHORT_TEXT:
        phrase = _phrase_in(body)
        if phrase:
            return phrase
    return None


def _phrase_in(s: str) -> str | None:
    return next((p for p in NOT_FOUND_PHRASES if p in s), None)


def _title_segments(title: str | None) -> list[str]:
    if not title:
        return []
    parts = []
    for part in TITLE_SEPARATORS.split(_norm(title)):
        kicker, colon, rest = part.partition(": ")
        if colon and len(rest.split()) >= HEADLINE_WORDS and not (_phrase_in(rest) or "404" in rest
                                                                  or APOLOGY.search(rest)):
            parts.append(part)  # the kicker alone would say "not found"; the headline says what the page is
        else:
            parts += [kicker, rest]
    return [p.strip(" !.?¡¿") for p in parts if p.strip(" !.?¡¿")]


def _norm(s: str | None) -> str:
    return " ".join((s or "").split()).casefold().replace("’", "'")


def _title_and_heading(fetch: Fetch, title: str | None, heading: str | None) -> tuple[str | None, str | None]:
    """Read from the body only what extraction did not give (a caller with the response alone)."""
    if (title is not None and heading is not None) or not _looks_html(fetch):
        return title, heading
    page = _page_text(fetch)
    return (title if title is not None else _first_tag(TITLE_TAG, page),
            heading if heading is not None else _first_tag(H1_TAG, page))


def _first_tag(pattern: re.Pattern, page: str) -> str | None:
    m = pattern.search(page)
    if not m:
        return None
    return html.unescape(ANY_TAG.sub(" ", m.group(1))).strip() or None


def _looks_html(fetch: Fetch) -> bool:
    ctype = fetch.content_type
    if ctype:
        return "html" in ctype or "xml" in ctype
    return fetch.body.lstrip()[:1] == b"<"


def _page_text(fetch: Fetch) -> str:
    return fetch.body[:BODY_SCAN].decode("utf-8", errors="replace")


# -- redirects ---------------------------------------------------------------


def _redirect_hops(fetch: Fetch) -> list:
    return [h for h in fetch.hops if 300 <= h.status < 400 and h.status != 304]  # a 304 ends a chain


def _redirect_summary(fetch: Fetch, hops: list, final: str) -> str:
    codes = "/".join(str(h.status) for h in hops) or "moved"
    n = len(hops)
    return f"{codes} → {final} ({n} hop{'' if n == 1 else 's'})"


def _unfollowed_redirect(fetch: Fetch) -> tuple[str, str]:
    location = fetch.headers.get("location")
    if location:
        return "redirected", f"{fetch.status} → {location} (not followed)"
    return "redirected", f"{fetch.status} without a Location header"


def canonical(url: str) -> tuple[str, str, str]:
    """The parts of a URL that survive trivial canonicalisation."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = unquote(parts.path).rstrip("/") or "/"
    return host, path, parts.query


def is_trivial_redirect(original: str, final: str) -> bool:
    """Same page, canonical spelling: http→https, www., trailing slash."""
    return canonical(original) == canonical(final)


def _same(a: str, b: str) -> bool:
    return a == b or is_trivial_redirect(a, b)


def _is_root(url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path or "/"
    return not parts.query and (path == "/" or bool(LANGUAGE_ROOT.match(path)))


def _is_error_path(url: str) -> bool:
    return bool(ERROR_PATH.match(urlsplit(url).path or "/"))


# -- 4xx / 5xx ---------------------------------------------------------------


def _classify_client_error(fetch: Fetch) -> tuple[str, str]:
    status = fetch.status
    if status == 404:
        return "not_found", _status_line(fetch)
    if status == 410:
        return "gone", _status_line(fetch)
    if status == 408:
        return "timeout", _status_line(fetch)
    if status == 429:
        retry = fetch.headers.get("retry-after")
        tail = f" (Retry-After: {retry})" if retry else ""
        return "rate_limited", _status_line(fetch) + tail
    challenge = challenge_marker(fetch)
    if challenge:
        return "blocked", _challenge_detail(fetch, challenge)
    return "blocked", _status_line(fetch)


def _classify_server_error(fetch: Fetch) -> tuple[str, str]:
    challenge = challenge_marker(fetch) if fetch.status == 503 else None
    if challenge:
        return "blocked", _challenge_detail(fetch, challenge)
    return "server_error", _status_line(fetch)


def _status_line(fetch: Fetch) -> str:
    try:
        line = f"{fetch.status} {HTTPStatus(fetch.status).phrase}"
    except ValueError:
        line = str(fetch.status)
    final = fetch.final_url or fetch.url
    hops = _redirect_hops(fetch)
    if hops:
        n = len(hops)
        line += f" at {final} after {n} redirect{'' if n == 1 else 's'}"
    return line


def _challenge_detail(fetch: Fetch, challenge: str) -> str:
    detail = f"{fetch.status} with {challenge}"
    mitigated = fetch.headers.get("cf-mitigated")
    if mitigated and challenge == "Cloudflare challenge":
        detail += f" (cf-mitigated: {mitigated})"
    return detail


def challenge_marker(fetch: Fetch, *, strong_only: bool = False) -> str | None:
    """Name the bot challenge or refusal page a response shows, if any."""
    for name, pattern, label, strong in CHALLENGE_HEADERS:
        if (strong or not strong_only) and pattern.search(fetch.headers.get(name, "")):
            return label
    page = _page_text(fetch).casefold()
    server = fetch.headers.get("server", "").lower()
    for pattern, label, strong in CHALLENGE_BODY:
        if strong_only and not strong:
            continue
        if label in SERVER_ONLY and SERVER_ONLY[label] not in server:
            continue
        if pattern.search(page):
            return label
    return None


# -- the error-page probe ------------------------------------------------------
# Some hosts answer 200 with their "not found" page for any path, in words we
# do not know. Asking each host once for a path that cannot exist shows what
# its error page looks like; a cited page that looks the same is a soft 404.

PROBE_PREFIX = "/citecheck-probe-"
PROBE_SIMILAR = 0.9
# A JavaScript app serves the same shell for every path, its pages and its "not found" alike.
APP_SHELL = re.compile(r"(enable|activate|turn on|aktivieren sie|включите|увімкніть)\W+(\w+\W+){0,3}javascript|"
                       r"javascript\W+(is\W+)?(required|disabled|deaktiviert)|without javascript", re.IGNORECASE)


def probe_url(url: str) -> str:
    """The host's probe: a fixed path per host, so a replayed archive holds it."""
    parts = urlsplit(url)
    token = hashlib.sha256(parts.netloc.lower().encode()).hexdigest()[:16]
    return f"{parts.scheme}://{parts.netloc}{PROBE_PREFIX}{token}"


def is_probe(url: str) -> bool:
    return urlsplit(url).path.startswith(PROBE_PREFIX)


def matches_probe(title: str | None, text: str, probe: Fetch | None, probe_title: str | None, probe_text: str) -> bool:
    """Does a 200 page look like what this host serves for a path that does not exist?

    Only when the host answered the probe with a 2xx (a host that says 404 for
    nonsense says 404 for its missing pages too), the page is short, and title
    and text both match: a live article is never this. A JavaScript app's shell
    (it asks for JavaScript) is the same for every path, so it proves nothing.
    """
    if probe is None or probe.status is None or not 200 <= probe.status < 300:
        return False
    if not text or not probe_text or len(text) > ARTICLE_TEXT:
        return False
    if (title or "").strip().casefold() != (probe_title or "").strip().casefold():
        return False
    if APP_SHELL.search(text):  # the same shell is no evidence: only running the app would tell
        return False
    return difflib.SequenceMatcher(None, text[:3000], probe_text[:3000], autojunk=False).ratio() >= PROBE_SIMILAR


# -- the network, not the links ---------------------------------------------------

NETWORK_DOWN = re.compile(r"network is unreachable|ENETUNREACH", re.IGNORECASE)
OUTAGE_HOSTS = 3  # fewer hosts failing so say nothing of the network


def network_failure(fetch: Fetch) -> bool:
    """Did this fetch fail for want of a network (no resolver answer, no route out), not for its host?"""
    return fetch.error == "resolver_error" or (fetch.error == "connection_error"
                                               and bool(NETWORK_DOWN.search(fetch.error_detail or "")))


def network_outage(fetches: list[Fetch]) -> str | None:
    """What to say when most hosts of a run failed for want of a network: then the run's verdicts
    say nothing about the links (every source would read as dead), and it is incomplete."""
    hosts: dict[str, bool] = {}
    for fetch in fetches:
        note_host(hosts, fetch)
    return outage_of(hosts)


def note_host(hosts: dict[str, bool], fetch: Fetch) -> None:
    """Tally one fetch for ``outage_of``: is its host, so far, down for want of a network?"""
    host = (urlsplit(fetch.url).hostname or "").lower()
    hosts[host] = hosts.get(host, True) and network_failure(fetch)


def outage_of(hosts: dict[str, bool]) -> str | None:
    """``network_outage`` over a tally ``note_host`` kept as the fetches came."""
    down = sum(hosts.values())
    if down < OUTAGE_HOSTS or down * 2 <= len(hosts):  # one host's broken DNS is that host's: it escalates
        return None
    return (f"network unreachable: {down} of {len(hosts)} hosts could not be reached for want of a network "
            "(no DNS answer or no route), so their links were not judged")
