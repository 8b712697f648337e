"""The page's own published and modified dates, with the evidence for each.

Collect every date the page states (candidates.py, dateline.py, siterules.py),
choose by a declared precedence (choose.py), compare with a footnote's claim
(verdict.py).
Pure functions over bytes or an lxml tree: no network, no Scrapy.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Mapping

import lxml.html

from crawler.extract.dates.candidates import (
    from_date_elements,
    from_headers,
    from_itemprop,
    from_jsonld,
    from_meta,
    from_text,
    from_time,
    from_url,
)
from crawler.extract.dates.choose import choose_dates
from crawler.extract.dates.dateline import from_dateline
from crawler.extract.dates.fallback import htmldate_candidate
from crawler.extract.dates.page import Page, page_lang, page_zone, pruned_copy
from crawler.extract.dates.siterules import site_candidates
from crawler.extract.dates.verdict import date_verdict
from crawler.models import DateCandidate, PageDates

__all__ = ["extract_dates", "choose_dates", "date_verdict", "collect_candidates"]

# below this, no candidate is trusted enough to skip htmldate's wider search
FALLBACK_BELOW = 0.6
_COLLECTORS = (site_candidates, from_jsonld, from_meta, from_itemprop, from_time,
               from_text, from_dateline, from_date_elements)


def extract_dates(
    html: bytes | str,
    url: str = "",
    headers: Mapping[str, str] | None = None,
    tree: lxml.html.HtmlElement | None = None,
) -> PageDates:
    """Pass ``tree`` when the page is already parsed (it is parsed only once);
    ``headers`` are lower-cased response headers (Last-Modified is weak evidence).
    A date source that fails (a JSON-LD block nested past any parser's depth) is
    named in ``problems``; the others still decide."""
    if tree is None:
        tree = _parse(html)
    zone = functools.partial(page_zone, tree) if tree is not None else None
    problems: list[str] = []
    dates = choose_dates(_candidates(tree, url, headers, problems), page_zone=zone)
    return dataclasses.replace(dates, problems=tuple(problems)) if problems else dates


def collect_candidates(html, url="", headers=None, tree=None) -> list[DateCandidate]:
    """Every candidate of the page, in precedence-independent page order."""
    return _candidates(_parse(html) if tree is None else tree, url, headers, [])


def _candidates(tree, url, headers, problems: list[str]) -> list[DateCandidate]:
    """collect_candidates over an already parsed page (None: unparseable, so URL and headers only);
    each source's failure is added to ``problems`` and costs only that source."""
    out: list[DateCandidate] = []
    if tree is not None:
        lang, month_first = page_lang(tree)
        page = Page(tree=tree, url=url or "", lang=lang, month_first=month_first)
        for collect in _COLLECTORS:
            out.extend(_isolated(collect, problems, page))
    out.extend(_isolated(from_url, problems, url or ""))
    # a page that plainly states only when it was last modified ("Letzte
    # Änderung: ...") is dated by that (choose.py); htmldate would add any
    # date of the body instead (a photo caption's, an event's)
    if tree is not None and not any(c.confidence >= FALLBACK_BELOW for c in out):
        guess = next(iter(_isolated(lambda: [htmldate_candidate(pruned_copy(tree), url)], problems)), None)
        # htmldate reads any date; one the page labels as modified is not published
        if guess is not None and all(
            c.day != guess.day for c in out if c.kind == "modified"
        ):
            out.append(guess)
    out.extend(_isolated(from_headers, problems, headers))
    return out


SOURCE_NAMES = {site_candidates: "site rules", from_jsonld: "JSON-LD", from_meta: "meta tags",
                from_itemprop: "itemprop", from_time: "<time> elements", from_text: "dates in the text",
                from_dateline: "dateline", from_date_elements: "date elements", from_url: "the URL",
                from_headers: "HTTP headers"}


def _isolated(collect, problems: list[str], *args) -> list:
    """``collect(*args)``, or nothing when it fails (RecursionError included): one broken source
    must not lose the page's other dates."""
    try:
        return collect(*args)
    except Exception as exc:  # noqa: BLE001 - any parser's failure is this source's alone
        name = SOURCE_NAMES.get(collect, "htmldate")
        problems.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
        return []


def _parse(html: bytes | str):
    if not html:
        return None
    from htmldate.utils import load_html  # handles encodings and broken markup

    return load_html(html)
