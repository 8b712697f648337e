"""Which URLs citecheck may fetch at all.

A citations file is input from outside; fetching whatever it names would let it
probe the machine's own network (SSRF). Only http(s) URLs to public addresses
are fetched unless the caller opts in with ``allow_private`` (tests do).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

ALLOWED_SCHEMES = frozenset({"http", "https"})
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class UnsafeURL(Exception):
    """A URL refused before anything was sent; ``verdict`` is the link verdict."""

    def __init__(self, verdict: str, detail: str):
        super().__init__(detail)
        self.verdict = verdict
        self.detail = detail


def is_public_address(address: str) -> bool:
    """True for globally routable addresses (not private, loopback, link-local...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _ip_literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def check_url(url: str | None, *, allow_private: bool = False) -> None:
    """Raise UnsafeURL unless the URL may be requested; needs no DNS.

    Host names that resolve to private addresses are caught later, at request
    time, by :func:`check_resolved` (redirect targets too).
    """
    if not url:
        raise UnsafeURL("no_url", "the citation has no URL (link lost or never given)")
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise UnsafeURL("invalid_url", f"not a valid URL: {exc}") from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        if not parts.scheme:
            raise UnsafeURL("invalid_url", f"not an absolute URL: {url!r}")
        raise UnsafeURL("unsafe_url", f"scheme {parts.scheme!r} refused: only http and https are fetched")
    if not host:
        raise UnsafeURL("invalid_url", f"URL has no host: {url!r}")
    if allow_private:
        return
    if host.lower() in LOCAL_NAMES or host.lower().endswith(".localhost"):
        raise UnsafeURL("unsafe_url", f"host {host!r} is this machine (use --allow-private to permit)")
    literal = _ip_literal(host)
    if literal and not is_public_address(literal):
        raise UnsafeURL("unsafe_url", f"address {literal} is not public (use --allow-private to permit)")


def check_resolved(host: str, addresses: list[str]) -> None:
    """Raise UnsafeURL when a host name resolves to a non-public address."""
    for address in addresses:
        if not is_public_address(address):
            raise UnsafeURL(
                "unsafe_url",
                f"host {host!r} resolves to non-public address {address} (use --allow-private to permit)",
            )
