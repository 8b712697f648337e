"""A header date kept only in an attribute: ``data-date``, ``data-timestamp``, ``data-published``.

Sites that render the date under the headline in the browser ("vor 2 Stunden", a timeline
marker, a localised clock) ship it in the header's markup only as an attribute, a human
date or a Unix timestamp: ``<span class="date" data-timestamp="1750757400">``,
``<div data-date="24. Juni 2026">``. Read only in the article's header, the few elements
right after the headline (the dateline's reach, before the next heading), never in a
linked item's markup, a caption, a form (a date picker's default) or a region of other content; and only when the page states no
published date (scripts.needed). The attribute's name says the kind (datekeys.key_kind);
a bare "date"/"timestamp"/"iso-date" is unlabelled. Hidden from readers, it ranks with the weakest
metadata, below any visible dateline.
"""

from __future__ import annotations

import datetime as dt
import re

from crawler.extract.dates.datekeys import FORMAT_WORDS, key_kind, key_words
from crawler.extract.dates.dateline import find_headline
from crawler.extract.dates.page import Page
from crawler.extract.dates.parse import MAX_YEAR, MIN_YEAR, parse_date, parse_iso
from crawler.extract.dates.yearless import others_markup
from crawler.models import DateCandidate

CONFIDENCE = 0.58  # an unlabelled <meta name="date"> is 0.55; a visible dateline 0.61 and more
REACH_TEXT = 300  # characters of text after the headline within which the header's markup lies
REACH_ELEMENTS = 120
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")  # Unix seconds or milliseconds


def from_header_attributes(page: Page) -> list[DateCandidate]:
    """The first dated ``data-*`` attribute right after the headline."""
    headline = find_headline(page)
    if headline is None:
        return []
    for el in _after(headline):
        if page.other_content(el) or others_markup(el, page.url):
            continue
        for name, value in el.attrib.items():
            kind = _kind(name)
            if kind is None:
                continue
            parsed = _value(value, page.month_first)
            if parsed is not None:
                label = el.get("class", "").split()[0] if el.get("class") else ""
                where = f"{el.tag}{'.' + label if label else ''} @{name} after headline"
                return [DateCandidate(kind, "attribute", where, value[:200], parsed, CONFIDENCE)]
    return []


def _after(headline):
    """Elements after the headline in document order, within the header's reach: up to the
    next heading or REACH_TEXT characters of text, whichever comes first."""
    seen_text, count = 0, 0
    for node in (headline, *headline.iterancestors()):
        if node.tag in ("body", "html"):
            return
        for sibling in node.itersiblings():
            for el in sibling.iter():
                if not isinstance(el.tag, str):
                    continue
                count += 1
                if el.tag in _HEADINGS or count > REACH_ELEMENTS:
                    return
                yield el
                seen_text += len((el.text or "").strip()) + len((el.tail or "").strip())
                if seen_text > REACH_TEXT:
                    return


def _kind(name: str) -> str | None:
    if not name.startswith("data-"):
        return None
    key = name[5:]
    named = key_kind(key)
    if named is not None:
        return named[0]
    words = key_words(key)
    # "data-date", "data-iso-date", "data-unix": a date of no stated kind
    return "unlabelled" if words and all(w in FORMAT_WORDS for w in words) else None


def _value(value: str, month_first: bool):
    value = value.strip()
    if not value or len(value) > 40:
        return None
    if _EPOCH.match(value):
        when = dt.datetime.fromtimestamp(int(value[:10]), dt.timezone.utc)
        return when if MIN_YEAR <= when.year <= MAX_YEAR else None
    return parse_iso(value) or parse_date(value, month_first=month_first)
