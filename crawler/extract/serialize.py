"""An ``Extracted`` as JSON, so a 304 can reuse the previous extraction without parsing.

Extraction is the crawl's main CPU cost; a page answered ``304 Not Modified``
has the same bytes as last time, so its extraction is the same too, as long
as the code that extracted it is the same. Each stored extraction therefore
carries ``fingerprint()``: a hash of the extraction code and the versions of
the libraries it uses. A mismatch (citecheck or a library was upgraded) makes
``extracted_from_json`` return None and the caller extracts afresh.

Dates keep their own UTC offset (``isoformat``), so calendar days, offsets and
evidence read back exactly as extracted. The chosen published/modified dates
are usually the very objects among the candidates, and the evidence list tells
them apart by identity, so they are stored as an index into the candidates.
The main text is not in the JSON: the database keeps it in its own column
and hands it back on load.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from importlib import metadata
from pathlib import Path

from crawler.models import DateCandidate, Extracted, PageDates

FORMAT = 4  # 2: heading, title tag, page labels; 3: other-language editions; 4: what could not be read
PACKAGE = Path(__file__).resolve().parent.parent  # crawler/
EXTRACTION_CODE = ("extract/extraction.py", "extract/editions.py", "extract/pdf.py", "models.py",
                   "extract/dates/*.py")  # relative to the package
EXTRACTION_LIBRARIES = ("trafilatura", "htmldate", "dateparser", "lxml", "pypdf", "justext", "courlan")


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """What the extraction depends on: its source files and library versions."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    for pattern in EXTRACTION_CODE:
        for path in sorted(PACKAGE.glob(pattern)):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    for name in EXTRACTION_LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent\n".encode())
    return digest.hexdigest()[:32]


def _candidate(c: DateCandidate | None) -> dict | None:
    if c is None:
        return None
    return {"kind": c.kind, "source": c.source, "where": c.where, "raw": c.raw, "value": c.value.isoformat(),
            "datetime": isinstance(c.value, dt.datetime), "confidence": c.confidence}


def _candidate_from(d: dict | None) -> DateCandidate | None:
    if d is None:
        return None
    value = dt.datetime.fromisoformat(d["value"]) if d["datetime"] else dt.date.fromisoformat(d["value"])
    return DateCandidate(kind=d["kind"], source=d["source"], where=d["where"], raw=d["raw"], value=value,
                         confidence=d["confidence"])


def _chosen(c: DateCandidate | None, candidates: tuple[DateCandidate, ...]) -> dict | None:
    index = next((i for i, other in enumerate(candidates) if other is c), None)
    return {"index": index} if index is not None else _candidate(c)


def _chosen_from(d: dict | None, candidates: tuple[DateCandidate, ...]) -> DateCandidate | None:
    return candidates[d["index"]] if d is not None and "index" in d else _candidate_from(d)


def extracted_to_json(extracted: Extracted) -> str:
    """Everything but the main text, tagged with ``fingerprint()``."""
    dates = extracted.dates
    return json.dumps({
        "format": FORMAT, "fingerprint": fingerprint(), "kind": extracted.kind, "title": extracted.title,
        "heading": extracted.heading, "title_tag": extracted.title_tag, "lang": extracted.lang,
        "page_labels": None if extracted.page_labels is None else list(extracted.page_labels),
        "editions": [list(edition) for edition in extracted.editions],
        "page_texts": None if extracted.page_texts is None else list(extracted.page_texts),
        "published": _chosen(dates.published, dates.candidates), "modified": _chosen(dates.modified, dates.candidates),
        "candidates": [_candidate(c) for c in dates.candidates],
        "problems": list(extracted.problems), "date_problems": list(dates.problems),
    }, ensure_ascii=False)


def extracted_from_json(data: str | None, text: str | None) -> Extracted | None:
    """The stored extraction with its ``text``; None when absent, unreadable or made by other code."""
    if not data or text is None:
        return None
    try:
        d = json.loads(data)
        if d.get("format") != FORMAT or d.get("fingerprint") != fingerprint():
            return None
        candidates = tuple(_candidate_from(c) for c in d["candidates"])
        dates = PageDates(published=_chosen_from(d["published"], candidates),
                          modified=_chosen_from(d["modified"], candidates), candidates=candidates,
                          problems=tuple(d["date_problems"]))
        page_texts = None if d["page_texts"] is None else tuple(d["page_texts"])
        return Extracted(kind=d["kind"], title=d["title"], text=text, dates=dates, page_texts=page_texts,
                         lang=d["lang"], heading=d["heading"], title_tag=d["title_tag"],
                         page_labels=None if d["page_labels"] is None else tuple(d["page_labels"]),
                         editions=tuple((lang, url) for lang, url in d["editions"]), problems=tuple(d["problems"]))
    except (ValueError, KeyError, TypeError, IndexError):
        return None
