"""The page's own published and modified dates, with the evidence for each.

Collect every date the page states (candidates.py with labels.py, dateline.py, siterules.py;
scripts.py's framework state, attributes.py's header attributes and yearless.py's dateline
without a year only when nothing else dates the publication),
choose by a declared precedence (choose.py), compare with a footnote's claim
(verdict.py).
Pure functions over bytes or an lxml tree: no network, no Scrapy.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Mapping

import lxml.html

from crawler.extract.dates.attributes import from_header_attributes
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
from crawler.extract.dates.choose import DEFAULT, Tuning, choose_dates
from crawler.extract.dates.dateline import from_dateline
from crawler.extract.dates.fallback import htmldate_candidate
from crawler.extract.dates.page import Page, page_lang, page_zone, pruned_copy
from crawler.extract.dates.scripts import from_scripts, needed
from crawler.extract.dates.siterules import site_candidates
from crawler.extract.dates.verdict import date_verdict
from crawler.extract.dates.yearless import from_yearless
from crawler.models import DateCandidate, PageDates

__all__ = ["extract_dates", "page_evidence", "choose_dates", "date_verdict", "collect_candidates", "Tuning"]

_COLLECTORS = (site_candidates, from_jsonld, from_meta, from_itemprop, from_time,
               from_text, from_dateline, from_date_elements)


def extract_dates(
    html: bytes | str,
    url: str = "",
    headers: Mapping[str, str] | None = None,
    tree: lxml.html.HtmlElement | None = None,
    tuning: Tuning = DEFAULT,
) -> PageDates:
    """Pass ``tree`` when the page is already parsed (it is parsed only once);
    ``headers`` are lower-cased response headers (Last-Modified is weak evidence).
    A date source that fails (a JSON-LD block nested past any parser's depth) is
    named in ``problems``; the others still decide."""
    return page_evidence(html, url, headers, tree).choose(tuning)


@dataclasses.dataclass
class Evidence:
    """A page's candidates, and what choosing may need besides (its time zone, htmldate's
    guess), read once and only when asked: the evaluation chooses under several tunings."""

    candidates: tuple[DateCandidate, ...]
    tree: lxml.html.HtmlElement | None
    url: str = ""
    problems: list[str] = dataclasses.field(default_factory=list)

    @functools.cached_property
    def zone(self):
        return page_zone(self.tree)

    @functools.cached_property
    def guess(self) -> DateCandidate | None:
        return _guess(self.tree, self.url, self.problems)

    def choose(self, tuning: Tuning = DEFAULT) -> PageDates:
        has_tree = self.tree is not None
        dates = choose_dates(self.candidates, tuning=tuning,
                             page_zone=(lambda: self.zone) if has_tree else None,
                             fallback=(lambda: self.guess) if has_tree else None)
        return dataclasses.replace(dates, problems=tuple(self.problems)) if self.problems else dates


def page_evidence(html: bytes | str, url: str = "", headers: Mapping[str, str] | None = None,
                  tree: lxml.html.HtmlElement | None = None) -> Evidence:
    """Everything ``extract_dates`` chooses from, before it chooses."""
    if tree is None:
        tree = _parse(html)
    problems: list[str] = []
    return Evidence(tuple(_candidates(tree, url, headers, problems)), tree, url or "", problems)


def collect_candidates(html, url="", headers=None, tree=None) -> list[DateCandidate]:
    """Every candidate of the page, in precedence-independent page order."""
    return _candidates(_parse(html) if tree is None else tree, url, headers, [])


def _candidates(tree, url, headers, problems: list[str]) -> list[DateCandidate]:
    """collect_candidates over an already parsed page (None: unparseable, so URL and headers only);
    each source's failure is added to ``problems`` and costs only that source."""
    out: list[DateCandidate] = []
    page = None
    if tree is not None:
        lang, month_first = page_lang(tree)
        page = Page(tree=tree, url=url or "", lang=lang, month_first=month_first)
        for collect in _COLLECTORS:
            out.extend(_isolated(collect, problems, page))
    out.extend(_isolated(from_url, problems, url or ""))
    out.extend(_isolated(from_headers, problems, headers))
    if page is not None and needed(out):  # a single-page app's date, only where the page states none
        out.extend(_isolated(from_scripts, problems, page))
    if page is not None and needed(out):  # a header date the browser renders from an attribute
        out.extend(_isolated(from_header_attributes, problems, page))
    if page is not None and needed(out):  # a day under the headline without its year, dated by the rest
        out.extend(_isolated(from_yearless, problems, page, out))
    return out


def _guess(tree, url: str, problems: list[str]) -> DateCandidate | None:
    """htmldate's guess over the page without other content, for a page none of whose
    candidates is trusted (choose.py decides when). A page that plainly states only when it
    was last modified ("Letzte Änderung: ...") is dated by that, not by this."""
    return next(iter(_isolated(lambda: [htmldate_candidate(pruned_copy(tree, url), url)], problems)), None)


SOURCE_NAMES = {site_candidates: "site rules", from_jsonld: "JSON-LD", from_meta: "meta tags",
                from_itemprop: "itemprop", from_time: "<time> elements", from_text: "dates in the text",
                from_dateline: "dateline", from_date_elements: "date elements", from_url: "the URL",
                from_headers: "HTTP headers", from_scripts: "script data",
                from_yearless: "yearless dateline", from_header_attributes: "header attributes"}


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
