"""Transport failures as link verdicts, and back again for replay.

The spider's errback and the WARC recorder both turn an exception into a
``(verdict, detail)`` pair so that every failed fetch becomes data; the replay
middleware turns a recorded pair back into an equivalent exception so that a
re-run walks the same path (retries included) and reaches the same verdict.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from twisted.internet import error as txerror

from crawler.crawl.resolver import UnsafeAddress, lookup_failure, refusal
from crawler.crawl.safety import UnsafeURL

# Scrapy's words for a body over DOWNLOAD_MAXSIZE, as sent and once decompressed
TOO_LARGE = re.compile(r"larger than download max size|more than the download max size|exceeded DOWNLOAD_MAXSIZE",
                       re.I)
TLS_MARKERS = ("ssl", "certificate", "tls", "handshake", "verificationerror", "service_identity")
# OpenSSL's and service_identity's words, and what an editor should read instead
TLS_REASONS = (
    ("expired", "the certificate has expired"),
    ("self-signed", "the certificate is self-signed (not issued by a trusted authority)"),
    ("self signed", "the certificate is self-signed (not issued by a trusted authority)"),
    ("unable to get local issuer", "the certificate's issuer is not trusted"),
    ("mismatch", "the certificate is for another host name"),
    ("not yet valid", "the certificate is not valid yet"),
)


class RobotsRefused(IgnoreRequest):
    """robots.txt forbids the URL: we did not fetch it, so it is not dead."""


class ReplayMiss(IgnoreRequest):
    """The replayed archive holds no record for a URL."""


class RecordedFailure(IgnoreRequest):
    """A failure replayed from an archive whose kind has no exception of its own."""

    def __init__(self, verdict: str, detail: str):
        super().__init__(detail)
        self.verdict = verdict


def _reasons(exc: BaseException) -> str:
    """Flatten Twisted's wrapped failures (ResponseNeverReceived.reasons...)."""
    text = [f"{type(exc).__name__}: {exc}"]
    for reason in getattr(exc, "reasons", None) or []:
        value = getattr(reason, "value", reason)
        text.append(f"{type(value).__name__}: {value}")
    if exc.__cause__ is not None:
        text.append(_reasons(exc.__cause__))
    return "; ".join(text)


def _cause(exc: BaseException, kind: type) -> BaseException | None:
    """``exc`` or the exception it wraps (Scrapy wraps the resolver's errors) when of ``kind``."""
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, kind):
            return exc
        wrapped = [getattr(r, "value", r) for r in getattr(exc, "reasons", None) or []]
        exc = next((w for w in wrapped if isinstance(w, kind)), None) or exc.__cause__ or exc.__context__
        seen += 1
    return None


def verdict_for(exc: BaseException, url: str | None = None) -> tuple[str, str]:
    """Map an exception from the download path (for ``url``) to a link verdict and a detail."""
    detail = _reasons(exc)
    if isinstance(exc, UnsafeURL):
        return exc.verdict, exc.detail
    if TOO_LARGE.search(detail):  # before the words below: the message names the URL, which may hold any
        return "too_large", f"the body is larger than the size cap (DOWNLOAD_MAXSIZE), so it was not read: {exc}"
    refused = _cause(exc, UnsafeAddress)
    if refused is not None:
        return "unsafe_url", str(refused)
    if _cause(exc, txerror.DNSLookupError) or isinstance(exc, CannotResolveHostError):
        host = urlsplit(url).hostname if url else None
        why = refusal(host)
        if why:  # the resolver refused the answer; Twisted says only that there was none
            return "unsafe_url", why
        failed = lookup_failure(host)
        if failed and failed[0]:
            return "resolver_error", (f"the DNS resolver gave no answer for {host} ({failed[1]}): a failure of the "
                                      "resolver or the network, not of the link")
        if failed:
            return "dns_error", f"the name {host} does not exist ({failed[1]})"
    if isinstance(exc, RecordedFailure):
        return exc.verdict, str(exc)
    if isinstance(exc, RobotsRefused) or "robots.txt" in str(exc):
        return "blocked", "robots.txt disallows fetching this URL"
    if isinstance(exc, IgnoreRequest) and "max redirections" in str(exc):
        return "redirect_loop", "too many redirects (the chain loops or never ends)"
    if isinstance(exc, ReplayMiss):
        return "connection_error", str(exc)
    if any(marker in detail.lower() for marker in TLS_MARKERS):
        said = (getattr(exc, "tls_reason", None) or detail).lower()
        plain = next((reason for word, reason in TLS_REASONS if word in said), "TLS handshake failed")
        why = getattr(exc, "tls_reason", None) or detail[:300]
        return "tls_error", f"{plain} ({why})"
    if isinstance(exc, (DownloadTimeoutError, txerror.TimeoutError)):
        return "timeout", str(exc) or "download timed out"
    if isinstance(exc, (CannotResolveHostError, txerror.DNSLookupError)):
        return "dns_error", str(exc) or "host name does not resolve"
    if isinstance(exc, DownloadCancelledError):
        return "connection_error", f"download cancelled: {exc}"
    if isinstance(exc, ValueError):  # a URL on the way cannot be parsed: a redirect's Location
        return "invalid_url", f"a redirect leads to no valid URL ({exc})"
    if isinstance(exc, (DownloadConnectionRefusedError, DownloadFailedError, txerror.ConnectError, ConnectionError)):
        return "connection_error", detail
    return "connection_error", detail


_REPLAYED = {
    "timeout": DownloadTimeoutError,
    "dns_error": CannotResolveHostError,
    "connection_error": DownloadConnectionRefusedError,
}


def exception_for(verdict: str, detail: str) -> Exception:
    """The exception that makes the download path reach ``verdict`` again."""
    if verdict in ("unsafe_url", "invalid_url", "no_url"):
        return UnsafeURL(verdict, detail)
    if verdict == "blocked" and "robots.txt" in detail:
        return RobotsRefused(detail)
    if verdict == "redirect_loop":
        return IgnoreRequest("max redirections reached")
    exc_type = _REPLAYED.get(verdict)
    return exc_type(detail) if exc_type else RecordedFailure(verdict, detail)
