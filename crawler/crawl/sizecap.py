"""A body over DOWNLOAD_MAXSIZE is its own failure, however it arrives.

Scrapy refuses a body whose Content-Length is over the cap with words that say
so, and a compressed body that grows past it too; but a body sent without a
length that streams past the cap is cancelled with an empty
``DownloadCancelledError``, which reads as a dropped connection. This
extension counts what each request receives and stops it at the cap with
``BodyTooLarge``, one chunk before Scrapy would cancel it, so the link verdict
can be ``too_large``.
"""

from __future__ import annotations

import weakref

from scrapy import signals
from scrapy.exceptions import NotConfigured, StopDownload


class BodyTooLarge(StopDownload):
    def __init__(self, received: int, cap: int):
        super().__init__(fail=True)
        self.args = (f"received {received} bytes, more than the download max size ({cap}), before the body ended",)


class SizeCap:
    def __init__(self, cap: int):
        self.cap = cap
        self.received: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # a redirect's hop counts anew

    @classmethod
    def from_crawler(cls, crawler):
        cap = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        if not cap:
            raise NotConfigured
        extension = cls(cap)
        crawler.signals.connect(extension.bytes_received, signal=signals.bytes_received)
        return extension

    def bytes_received(self, data: bytes, request, spider) -> None:
        total = self.received.get(request, 0) + len(data)
        self.received[request] = total
        cap = request.meta.get("download_maxsize", self.cap)
        if cap and total > cap:
            raise BodyTooLarge(total, cap)
