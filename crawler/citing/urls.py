"""Is this text a URL at all? Decided when the citations are read, before anything runs.

A malformed URL is an error in the citations file (exit 2 with its line), like
a typo in a key: ``http://[::1/``, ``ht!tp://x``, a port past 65535, a relative
path. Whether a well-formed URL may be fetched (its scheme, whether its host is
private) is decided at crawl time and reported as the link's verdict
(``crawler.crawl.safety``), since the editor may be citing it rightly.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")
WEB_SCHEMES = frozenset({"http", "https"})
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
HOST_FORBIDDEN = re.compile(r"[\s<>\"{}|\\^`%]")
MAX_LENGTH = 8192  # what servers commonly accept in a request line


def url_problem(url: str) -> str | None:
    """What makes ``url`` no URL, in words; None for a well-formed one."""
    url = url.strip()
    if len(url) > MAX_LENGTH:
        return f"is {len(url)} characters long; no server takes a URL of more than {MAX_LENGTH}"
    if control := CONTROL.search(url):
        return f"contains the control character {control.group()!r}"
    scheme, colon, rest = url.partition(":")
    if not colon or not rest.startswith("//") and scheme.lower() in WEB_SCHEMES:
        return "is not an absolute URL (it needs a scheme and host, as in https://example.org/page)"
    if not SCHEME.match(scheme):
        return f"has no valid scheme ({scheme!r} is none; as in https://example.org/page)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as exc:
        return f"is malformed: {exc}"
    if parts.scheme.lower() in WEB_SCHEMES:
        return _host_problem(parts.hostname, parts.netloc)
    return None


def _host_problem(host: str | None, netloc: str) -> str | None:
    if not host:
        return f"has no host ({netloc!r})"
    if "[" in netloc:
        return None  # urlsplit has checked the bracketed IPv6 literal
    if HOST_FORBIDDEN.search(host):
        return f"has a host with a character no host name may hold: {host!r}"
    labels = host.rstrip(".").split(".")
    if len(host) > 253 or any(not label or len(label) > 63 for label in labels):
        return f"has a host that is no DNS name (empty or over-long parts): {host!r}"
    return None
