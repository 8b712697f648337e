"""Which URLs citecheck may fetch at all.

A citations file is input from outside; fetching whatever it names would let it
probe the machine's own network (SSRF). Only http(s) URLs to public addresses
are fetched unless the caller opts in with ``allow_private`` (tests do).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import unquote, urlsplit

from crawler.citing.urls import url_problem

ALLOWED_SCHEMES = frozenset({"http", "https"})
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class UnsafeURL(Exception):
    """A URL refused before anything was sent; ``verdict`` is the link verdict."""

    def __init__(self, verdict: str, detail: str):
        super().__init__(detail)
        self.verdict = verdict
        self.detail = detail


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the well-known prefix: the last 32 bits are an IPv4 address


def is_public_address(address: str) -> bool:
    """True for globally routable addresses (not private, loopback, link-local...); an IPv6 address that
    carries an IPv4 one (mapped, 6to4, NAT64, the old IPv4-compatible ``::a.b.c.d``) is as public as that."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return is_public_address(str(embedded))
    return ip.is_global and not ip.is_multicast


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip in NAT64 or (int(ip) >> 32 == 0 and int(ip) > 0xFFFF):  # 64:ff9b::a.b.c.d, ::a.b.c.d
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _ip_literal(host: str) -> str | None:
    try:  # an IPv6 zone is written %25 in a URL (RFC 6874)
        return str(ipaddress.ip_address(unquote(host.strip("[]"))))
    except ValueError:
        return None


def check_url(url: str | None, *, allow_private: bool = False) -> None:
    """Raise UnsafeURL unless the URL may be requested; needs no DNS.

    Host names that resolve to private addresses are caught where the connection
    is made: ``crawler.crawl.resolver`` checks the answer it connects to.
    """
    if not url:
        raise UnsafeURL("no_url", "the citation has no URL (link lost or never given)")
    problem = url_problem(url)  # the loader refused these already; a redirect's Location may hold one
    if problem:
        raise UnsafeURL("invalid_url", f"the URL {problem}")
    parts = urlsplit(url.strip())
    host = parts.hostname
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURL("unsafe_url", f"scheme {parts.scheme!r} refused: only http and https are fetched")
    if allow_private:
        return
    if host.lower() in LOCAL_NAMES or host.lower().endswith(".localhost"):
        raise UnsafeURL("unsafe_url", f"host {host!r} is this machine (use --allow-private to permit)")
    literal = _ip_literal(host)
    if literal and not is_public_address(literal):
        raise UnsafeURL("unsafe_url", f"address {literal} is not public (use --allow-private to permit)")
