"""The values that flow between citecheck's parts.

Plain frozen dataclasses, no behaviour beyond small derived properties, so
that the pure core (extraction, verification) and the Scrapy edge agree on one
vocabulary without importing each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# -- citations (what the document claims) -----------------------------------


@dataclass(frozen=True)
class ClaimedDate:
    """A footnote's date claim: a calendar day, or explicitly unknown."""

    raw: str
    value: dt.date | None = None
    unknown: bool = False


@dataclass(frozen=True)
class Source:
    id: str
    url: str | None
    title: str
    publisher: str = ""
    claimed_updated: ClaimedDate | None = None
    line: int = 0  # line of the source's key in citations.yaml
    author: str = ""
    accessed: ClaimedDate | None = None  # when the document's author read it: not a date of the page
    skip: str | None = None  # why the editor set it aside (``skip:`` in citations.yaml): never fetched


@dataclass(frozen=True)
class Reference:
    """One mention of a source in one footnote."""

    footnote: str
    source: str
    pages: str | None = None
    passage: str | None = None
    line: int = 0  # line of this reference in citations.yaml
    context: str | None = None  # the sentence(s) of the document this reference supports


@dataclass(frozen=True)
class Citations:
    path: str
    document: dict
    sources: dict[str, Source]
    references: list[Reference]


# -- fetching (what the crawl saw) ------------------------------------------


def utc_now() -> str:
    """The time stamps runs, fetches and manifests carry: UTC, to the second, ISO 8601."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Hop:
    """One response on the way to the final page (a redirect, or the last one)."""

    url: str
    status: int
    location: str | None = None


@dataclass
class Fetch:
    """Everything the crawl learnt about one URL; errors are data, not logs."""

    url: str
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    body: bytes = b""  # content-decoded body of the final response
    hops: list[Hop] = field(default_factory=list)
    error: str | None = None  # a link verdict for failures: timeout, dns_error, ...
    error_detail: str | None = None
    warc: str | None = None
    fetched_at: str = ""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


# -- extraction (what the page says) ----------------------------------------


@dataclass(frozen=True)
class DateCandidate:
    """A date the page states somewhere, with where and how sure we are.

    ``value`` keeps the page's own UTC offset when it gave one, so that
    ``day`` is the calendar day a reader of the page sees, not the UTC day.
    """

    kind: str  # "published" | "modified" | "unlabelled"
    source: str  # json-ld, meta, itemprop, time, text, script, url, header, pdf, site:<rule>
    where: str  # the element or field, e.g. 'meta[property="article:published_time"]'
    raw: str  # the text as found
    value: dt.datetime | dt.date
    confidence: float = 0.5

    @property
    def day(self) -> dt.date:
        return self.value.date() if isinstance(self.value, dt.datetime) else self.value

    @property
    def utc_offset(self) -> str | None:
        if isinstance(self.value, dt.datetime) and self.value.tzinfo is not None:
            off = self.value.utcoffset()
            minutes = int(off.total_seconds() // 60)
            sign = "+" if minutes >= 0 else "-"
            return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        return None

    def as_evidence(self) -> dict:
        return {
            "kind": self.kind,
            "source": self.source,
            "where": self.where,
            "raw": self.raw,
            "date": self.day.isoformat(),
            "value": self.value.isoformat(),
            "utc_offset": self.utc_offset,
            "confidence": round(self.confidence, 2),
        }


@dataclass(frozen=True)
class PageDates:
    published: DateCandidate | None = None
    modified: DateCandidate | None = None
    candidates: tuple[DateCandidate, ...] = ()
    problems: tuple[str, ...] = ()  # date sources that failed on this page ("JSON-LD: ..."); the others decided


@dataclass(frozen=True)
class Extracted:
    """What one fetched document says: its text, title, dates and pages."""

    kind: str  # "html" | "pdf" | "text" | "other" | "empty" (no body) | "unreadable" (see ``problems``)
    title: str | None = None
    text: str = ""
    dates: PageDates = PageDates()
    page_texts: tuple[str, ...] | None = None  # PDFs: one string per page
    lang: str | None = None
    heading: str | None = None  # the first <h1>: where error pages say "not found"
    title_tag: str | None = None  # <title> as written (``title`` is trafilatura's pick: og:title, an h1...)
    page_labels: tuple[str, ...] | None = None  # PDFs that number their pages as printed (an offprint's 240, 241...)
    editions: tuple[tuple[str, str | None], ...] = ()  # (language, URL) of the other-language editions it declares
    problems: tuple[str, ...] = ()  # what could not be read, and why: the whole body (kind "unreadable") or a part

    @property
    def unread(self) -> tuple[str, ...]:
        """Every part of the document that could not be read: its own and its date sources'."""
        return self.problems + self.dates.problems

    @property
    def page_count(self) -> int | None:
        return None if self.page_texts is None else len(self.page_texts)
