"""PDF sources: pages, per-page text, title and dates from the file itself.

Reports such as Freedom House's or V-Dem's are cited by page ("S. 3-25"), and
their dates are in the PDF's metadata (``/CreationDate``, ``/ModDate``, XMP)
and on the first pages, so those become date candidates with where they came from.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from crawler.models import DateCandidate, Extracted

logger = logging.getLogger(__name__)
PDF_MAGIC = b"%PDF-"
# D:YYYYMMDDHHmmSSOHH'mm' with every part after the year optional.
PDF_DATE = re.compile(
    r"D:(?P<y>\d{4})(?P<m>\d{2})?(?P<d>\d{2})?(?P<H>\d{2})?(?P<M>\d{2})?(?P<S>\d{2})?"
    r"(?P<tz>[Zz]|[+-]\d{2}'?\d{2}'?)?"
)


def is_pdf(body: bytes, content_type: str = "") -> bool:
    """By magic bytes first: servers label PDFs octet-stream, and HTML as PDF."""
    return body[:1024].lstrip().startswith(PDF_MAGIC) or (content_type == "application/pdf" and not body.strip().startswith(b"<"))


def parse_pdf_date(raw: str) -> dt.datetime | dt.date | None:
    """Parse a PDF date string keeping its own UTC offset."""
    match = PDF_DATE.match(raw.strip())
    if not match or not match["m"] or not match["d"]:
        return None
    parts = {k: int(v) for k, v in match.groupdict().items() if v and k != "tz"}
    if "H" not in parts:
        try:
            return dt.date(parts["y"], parts["m"], parts["d"])
        except ValueError:  # "D:20240231", "D:00000000": producers write impossible dates
            return None
    tz = match["tz"]
    tzinfo = None
    try:  # producers write impossible dates and offsets ("+25'00'")
        if tz and tz.upper() == "Z":
            tzinfo = dt.timezone.utc
        elif tz:
            digits = tz[1:].replace("'", "")
            offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            tzinfo = dt.timezone(offset if tz[0] == "+" else -offset)
        return dt.datetime(parts["y"], parts["m"], parts["d"], parts.get("H", 0), parts.get("M", 0), parts.get("S", 0), tzinfo=tzinfo)
    except ValueError:
        return None


def _metadata_candidates(reader: PdfReader) -> list[DateCandidate]:
    info = reader.metadata or {}
    found = []
    for field, kind, confidence in (("/CreationDate", "published", 0.7), ("/ModDate", "modified", 0.7)):
        raw = info.get(field)
        value = parse_pdf_date(str(raw)) if raw else None
        if value:
            found.append(DateCandidate(kind, "pdf", f"info {field}", str(raw), value, confidence))
    try:
        xmp = reader.xmp_metadata
    except Exception:  # malformed XMP must not lose the PDF's text  # noqa: BLE001
        xmp = None
    if xmp is not None:
        for attr, kind in (("xmp_create_date", "published"), ("xmp_modify_date", "modified")):
            value = getattr(xmp, attr, None)
            if isinstance(value, dt.datetime):
                found.append(DateCandidate(kind, "pdf", f"XMP {attr}", value.isoformat(), value, 0.65))
    return found


TEXT_DATE_PAGES = 2  # title page and imprint
TEXT_DATE_WORDS = 8  # a line this short that is a date is the document's date line


def _text_candidates(pages: list[str]) -> list[DateCandidate]:
    """Date lines on the first pages ("Published 13 March 2025", "Stand: 01.03.2025")."""
    from crawler.extract.dates.parse import parse_date

    found = []
    for number, text in enumerate(pages[:TEXT_DATE_PAGES], start=1):
        for line in text.splitlines():
            if not line.strip() or len(line.split()) > TEXT_DATE_WORDS:
                continue
            value = parse_date(line)
            if value is not None:
                found.append(DateCandidate("unlabelled", "pdf", f"page {number} text", line.strip(), value, 0.5))
    return found


def _title(reader: PdfReader, pages: list[str]) -> str | None:
    title = (reader.metadata or {}).get("/Title")
    if title and str(title).strip():
        return str(title).strip()
    for line in (pages[0] if pages else "").splitlines():
        if len(line.strip()) > 8:
            return line.strip()
    return None


def extract_pdf(body: bytes) -> Extracted:
    """Text per page, title and metadata dates; an unreadable PDF yields kind 'pdf' with no pages."""
    from crawler.extract.dates import choose_dates

    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        logger.warning("unreadable PDF: %s", exc)
        return Extracted(kind="pdf")
    return Extracted(
        kind="pdf",
        title=_title(reader, pages),
        text="\n\n".join(pages),
        dates=choose_dates(_metadata_candidates(reader) + _text_candidates(pages)),
        page_texts=tuple(pages),
        page_labels=_printed_numbers(reader),
    )


def _printed_numbers(reader: PdfReader) -> tuple[str, ...] | None:
    """The page labels a PDF declares (/PageLabels), when they are not simply 1, 2, 3...: a journal
    offprint is cited by the journal's page numbers."""
    try:
        labels = tuple(reader.page_labels) if "/PageLabels" in reader.trailer["/Root"] else ()
    except Exception:  # a malformed label tree must not lose the PDF's text  # noqa: BLE001
        return None
    return labels if labels and labels != tuple(str(n) for n in range(1, len(labels) + 1)) else None
