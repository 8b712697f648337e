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
from pypdf.errors import FileNotDecryptedError

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
    """The metadata's /Title, else the first line of some length on the first page."""
    try:
        title = (reader.metadata or {}).get("/Title")
    except Exception:  # noqa: BLE001 - a broken info dictionary leaves the first line
        title = None
    if title and str(title).strip():
        return str(title).strip()
    return next((line.strip() for line in (pages[0] if pages else "").splitlines() if len(line.strip()) > 8), None)


def extract_pdf(body: bytes) -> Extracted:
    """Text per page, title and metadata dates. A PDF that cannot be opened (corrupt, truncated, locked
    by a password) is kind "unreadable", saying why; a page whose text cannot be read is left empty and
    named in ``problems``."""
    from crawler.extract.dates import choose_dates

    try:
        reader = _open(body)
        count = len(reader.pages)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on broken files
        logger.warning("unreadable PDF: %s: %s", type(exc).__name__, exc)
        return Extracted(kind="unreadable", problems=(_why_unreadable(exc),))
    problems: list[str] = []
    pages = [_page_text(reader, n, problems) for n in range(count)]
    try:
        candidates = _metadata_candidates(reader)
    except Exception as exc:  # noqa: BLE001
        problems.append(f"PDF metadata: {type(exc).__name__}: {str(exc)[:200]}")
        candidates = []
    return Extracted(
        kind="pdf",
        title=_title(reader, pages),
        text="\n\n".join(pages),
        dates=choose_dates(candidates + _text_candidates(pages)),
        page_texts=tuple(pages),
        page_labels=_printed_numbers(reader),
        problems=tuple(problems),
    )


def _open(body: bytes) -> PdfReader:
    """The reader, opened with the empty password when the PDF is encrypted (a PDF that only restricts
    printing or copying opens so, as in any viewer); FileNotDecryptedError when a password is needed."""
    reader = PdfReader(io.BytesIO(body))
    if reader.is_encrypted and not reader.decrypt(""):
        raise FileNotDecryptedError("needs a password")
    return reader


def _why_unreadable(exc: Exception) -> str:
    if isinstance(exc, FileNotDecryptedError) or "decrypt" in str(exc).lower() or "password" in str(exc).lower():
        return "the PDF is locked with a password: its pages, text and dates cannot be read"
    return f"the PDF cannot be read (damaged or cut short): {type(exc).__name__}: {str(exc)[:200]}"


def _page_text(reader: PdfReader, index: int, problems: list[str]) -> str:
    try:
        return reader.pages[index].extract_text() or ""
    except Exception as exc:  # noqa: BLE001 - one broken page must not lose the others
        problems.append(f"PDF page {index + 1}: {type(exc).__name__}: {str(exc)[:200]}")
        return ""



def _printed_numbers(reader: PdfReader) -> tuple[str, ...] | None:
    """The page labels a PDF declares (/PageLabels), when they are not simply 1, 2, 3...: a journal
    offprint is cited by the journal's page numbers."""
    try:
        labels = tuple(reader.page_labels) if "/PageLabels" in reader.trailer["/Root"] else ()
    except Exception:  # a malformed label tree must not lose the PDF's text  # noqa: BLE001
        return None
    return labels if labels and labels != tuple(str(n) for n in range(1, len(labels) + 1)) else None
