"""The address guard where the connection is made: a host name is resolved once, and that answer,
checked, is the one connected to.

Checking a name and then letting the download resolve it again lets a name
whose answer flips (DNS rebinding) pass the check with a public address and
connect to 127.0.0.1. So the check lives in the resolver Scrapy installs on
the reactor (``TWISTED_DNS_RESOLVER``): every connection of the crawl, redirect
hops and robots.txt included, gets its address from here, and a non-public
answer is refused before any connection; a lookup that fails fails closed,
as a DNS error, telling a name that does not exist from a resolver that did not
answer (a network outage must not read as dead links). Settings: ``CITECHECK_ALLOW_PRIVATE`` (tests), ``DNS_TIMEOUT``.
"""

from __future__ import annotations

import re

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import error

from crawler.crawl.safety import is_public_address


class UnsafeAddress(error.DNSLookupError):
    """A host name that resolves to an address citecheck does not connect to."""

    def __init__(self, host: str, address: str):
        super().__init__(f"host {host!r} resolves to non-public address {address} (use --allow-private to permit)")
        self.host = host
        self.address = address


REFUSED: dict[str, str] = {}  # host -> why it was refused: Twisted reports a refusal as "no results"
FAILED: dict[str, str] = {}  # host -> why its lookup failed, as the system resolver said it
# getaddrinfo's answers that mean the name has no address (NXDOMAIN, or no A record): the link is dead.
# Every other failure (EAI_AGAIN: SERVFAIL, a timeout, no network; EAI_FAIL) is the resolver's, not the name's.
NO_SUCH_NAME = re.compile(r"\[Errno (-2|-5)\]|Name or service not known|No address associated|nodename nor servname")


def refusal(host: str | None) -> str | None:
    """Why the resolver refused ``host`` in this process, if it did (the download sees only a DNS error)."""
    return REFUSED.get((host or "").lower())


def lookup_failure(host: str | None) -> tuple[bool, str] | None:
    """(does the name exist for all we know, what the resolver said) when ``host``'s lookup failed in this
    process: Twisted hands the download only "no results", whatever the reason."""
    said = FAILED.get((host or "").lower())
    return None if said is None else (not NO_SUCH_NAME.search(said), said)


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing non-public answers (only checked answers are cached)."""

    def __init__(self, reactor, cache_size: int, timeout: float, allow_private: bool = False):
        super().__init__(reactor, cache_size, timeout)
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = crawler.settings.getbool("CITECHECK_ALLOW_PRIVATE")
        return resolver

    def getHostByName(self, name: str, timeout=()):
        lookup = super().getHostByName(name, timeout).addErrback(self._failed, name)
        return lookup if self.allow_private else lookup.addCallback(self._checked, name)

    @staticmethod
    def _failed(failure, name: str):
        FAILED[name.lower()] = failure.getErrorMessage()
        return failure

    def _cache_result(self, result, name: str):
        if self.allow_private or is_public_address(result):
            return super()._cache_result(result, name)
        return result

    @staticmethod
    def _checked(address: str, name: str) -> str:
        if not is_public_address(address):
            refused = UnsafeAddress(name, address)
            REFUSED[name.lower()] = str(refused)
            raise refused
        return address
