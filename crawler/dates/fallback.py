"""htmldate as one last, weak candidate source.

It scans the whole page for anything date-like, which finds bylines our
collectors have no label or markup for, but also copyright years and
sidebar dates; so it is given a copy of the page pruned of those regions,
and its answer gets a low confidence. It is always given a parsed tree,
never a URL string (``find_date("http...")`` would download it).
"""

from __future__ import annotations

import datetime as dt
import logging

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
    return DateCandidate("unlabelled", "htmldate", "find_date(original_date=True)",
                         found, value, CONFIDENCE)
