"""htmldate as one last, weak candidate source.

It scans the whole page for anything date-like, which finds bylines our
collectors have no label or markup for, but also copyright years ("© 2026"
comes back as 2026-01-01) and sidebar dates; hence its low confidence, and a
January 1st whose year only a copyright line states is refused. It is always
given a parsed tree, never a URL string (``find_date("http...")`` would
download it).
"""

from __future__ import annotations

import datetime as dt
import logging
import re

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
    return DateCandidate("unlabelled", "htmldate", "find_date(original_date=True)",
                         found, value, CONFIDENCE)


_COPYRIGHT_TEXT = ('//body//text()[contains(., "©") or contains(translate(., "COPYRIGHT", '
                   '"copyright"), "copyright")]')


def copyright_years(tree) -> set[int]:
    """Years named in the page's copyright lines ("© 2014–2026")."""
    years: set[int] = set()
    for text in tree.xpath(_COPYRIGHT_TEXT):
        years.update(int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", text))
    return years
