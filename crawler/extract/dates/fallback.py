"""htmldate as one last, weak candidate source.

It scans the whole page for anything date-like, which finds bylines our
collectors have no label or markup for, but also copyright years ("© 2026"
comes back as 2026-01-01) and sidebar dates; hence its low confidence, and a
January 1st whose year only a copyright line states is refused. Its answer
must also be written on the page as that full day somewhere other than running
prose: "2024" or "April 2024" alone come back as the 1st, and "covers January 1
to December 31, 2023" is a period the report is about, not when it appeared. It is always
given a parsed tree, never a URL string (``find_date("http...")`` would
download it).
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from crawler.extract.dates import patterns as P
from crawler.models import DateCandidate

CONFIDENCE = 0.45


def htmldate_candidate(tree, url: str = "") -> DateCandidate | None:
    from htmldate import find_date

    logging.getLogger("htmldate").setLevel(logging.ERROR)
    try:
        found = find_date(tree, url=url or None, original_date=True,
                          extensive_search=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises assorted errors on odd markup
        return None
    if not found:
        return None
    try:
        value = dt.date.fromisoformat(found)
    except ValueError:
        return None
    if (value.month, value.day) == (1, 1) and value.year in copyright_years(tree):
        return None
    if not plausibly_stated(tree, value):
        return None
    return DateCandidate("unlabelled", "htmldate", "find_date(original_date=True)",
                         found, value, CONFIDENCE)


_COPYRIGHT_TEXT = ('//body//text()[contains(., "©") or contains(translate(., "COPYRIGHT", '
                   '"copyright"), "copyright")]')


def copyright_years(tree) -> set[int]:
    """Years named in the page's copyright lines ("© 2014–2026")."""
    years: set[int] = set()
    for text in tree.xpath(_COPYRIGHT_TEXT):
        years.update(int(y) for y in P.YEAR_RE.findall(text))
    return years


_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
}
PROSE_WORDS = 12  # a text longer than this around the date is a sentence, not a dateline


def spellings(day: dt.date) -> list[re.Pattern]:
    """Ways a page writes ``day``: ISO, numeric day-first, and month names (short or long)."""
    d, m, y = day.day, day.month, day.year
    forms = [rf"{y}-{m:02d}-{d:02d}", rf"0?{d}\.\s?0?{m}\.\s?{y}", rf"0?{d}/0?{m}/{y}", rf"0?{m}/0?{d}/{y}",
             rf"{y}/{m:02d}/{d:02d}"]
    for names in _MONTHS.values():
        name = names[m - 1]
        month = rf"(?:{name}|{name[:3]}\.?)"
        forms += [rf"{month}\s+0?{d}(?:st|nd|rd|th)?,?\s+{y}", rf"0?{d}(?:st|nd|rd|th)?\.?\s+{month}\s+{y}"]
    return [re.compile(rf"(?<!\d){form}(?!\d)", re.I) for form in forms]


def plausibly_stated(tree, day: dt.date) -> bool:
    """False when the page writes ``day`` only inside sentences, or htmldate
    made a 1st of the month out of a bare year or month; True otherwise
    (htmldate also reads forms we do not spell out here)."""
    patterns = spellings(day)
    in_prose = False
    for text in tree.xpath("//body//text()[normalize-space()] | //@content | //@datetime | //@title"):
        match = next(filter(None, (p.search(text) for p in patterns)), None)
        if match is None:
            continue
        parent = text.getparent() if hasattr(text, "getparent") else None
        if getattr(text, "is_attribute", False) or (parent is not None and parent.tag == "script"):
            return True  # markup or data, not a sentence
        context = parent.text_content() if parent is not None and hasattr(parent, "text_content") else str(text)
        if len(context.split()) <= PROSE_WORDS or not text[:match.start()].strip():
            return True  # a date line, or a dateline opening the paragraph ("27.1.2022 - ...")
        in_prose = True
    return not in_prose and day.day != 1
