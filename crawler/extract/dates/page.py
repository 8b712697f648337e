"""The parsed page, and which of its regions are the page's own content.

Comments, related-story lists, calendars, "today" widgets, copyright lines
and page furniture (nav, sidebars, site footers) state dates of other things.
Collectors ask ``Page.excluded`` before reporting a date; whole-page scanners
get ``pruned_copy``. An <article>'s own footer or aside is kept: many sites
put the byline there. ``page_zone`` reads the UTC offset the page writes its
own timestamps in, so a UTC-only date can be read as its readers see it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from lxml import etree

from crawler.extract.dates import patterns as P

# the tags whose elements collectors read, found in one scan (Page.elements)
GATHERED = ("body", "script", "meta", "link", "time", "title")
SKIP_TEXT = frozenset({"script", "style", "noscript", "template", "svg", "select"})
_DMY_REGIONS = ("gb", "uk", "au", "nz", "ie", "in", "za")
WORD_TOKEN = re.compile(r"[^\W_]+")
_NON_WORD = re.compile(r"[\W_]+")


def squashed(text: str) -> str:
    """Letters and digits only, lower-cased: a title or slug as the headline and a page's data compare it."""
    return _NON_WORD.sub("", text).lower()


@dataclass
class Page:
    """The parsed page and what collectors share: language, exclusion cache."""

    tree: etree._Element
    url: str = ""
    lang: str | None = None
    month_first: bool = False
    _excluded: dict = field(default_factory=dict)
    _other: dict = field(default_factory=dict)
    _labelled: dict = field(default_factory=dict)
    _runs: list | None = None
    _own: frozenset | None = None
    _tagged: dict | None = None

    def elements(self, tag: str) -> list:
        """The page's elements of one of ``GATHERED``'s tags, in page order. Found by one scan of
        the tree in C for all of them: an XPath or ``iter`` per collector walked the whole tree
        each time, and those walks, not what is read from the few elements, were their cost."""
        if self._tagged is None:
            self._tagged = {name: [] for name in GATHERED}
            for el in self.tree.iter(*GATHERED):
                self._tagged[el.tag].append(el)
        return self._tagged[tag]

    def in_body(self, el) -> bool:
        """Below a <body> (``//body//x``), as page content is."""
        return next(el.iterancestors("body"), None) is not None

    def runs(self) -> list[tuple[str, object]]:
        """The body's visible text as (text, owner) runs in reading order (the whole tree's
        without a body); walked once, read by the label and dateline collectors."""
        if self._runs is None:
            bodies = self.elements("body")
            self._runs = list(text_runs(bodies[0] if bodies else self.tree))
        return self._runs

    def excluded(self, el) -> bool:
        """True when ``el`` sits in a region that dates other content."""
        return self._walk(el, self._excluded, lambda n: _region_excluded(n) or self.other_article(n))

    def excluded_for_label(self, el) -> bool:
        """Like ``excluded``, but a footer's labelled date ("Erschienen am:
        01.11.2023", "Page last updated: ...") is the page's own: sites
        print those for the page they close, while sidebars list others'."""
        return self._walk(el, self._labelled, lambda n: _labelled_region(n) or self.other_article(n))

    def other_content(self, el) -> bool:
        """Like ``excluded``, but page furniture marked only by its class
        ("nav", "meta-bar") counts as the page's own: for a line that sits
        right by the headline, which is where bylines live."""
        return self._walk(el, self._other, lambda n: _other_region(n) or self.other_article(n))

    def other_article(self, el) -> bool:
        """An <article> other than the page's own: one inside it (an embedded
        post), one with its own <h1> (the next story of an endless page) or
        whose heading links elsewhere (a teaser card). The page's own is the
        <article> holding the headline (the heading that says what the
        <title> says, dateline.find_headline), with the articles around it;
        on a page whose headline is in no <article>, none is told apart."""
        if el.tag != "article":
            return False
        if self._own is None:
            from crawler.extract.dates.dateline import find_headline

            self._own = frozenset()  # no article is another's while the headline is sought
            headline = find_headline(self)
            self._own = frozenset(headline.iterancestors("article")) if headline is not None else frozenset()
            for cache in (self._excluded, self._labelled, self._other):
                cache.clear()  # walks made while it was sought did not know it
        if not self._own or el in self._own:
            return False
        return (any(a in self._own for a in el.iterancestors("article"))
                or el.find(".//h1") is not None or _teaser(el, self.url))

    @staticmethod
    def _walk(el, cache: dict, test) -> bool:
        chain = []
        node = el
        result = False
        while node is not None:
            # keyed by the element itself: lxml keeps one proxy per node while
            # it is referenced, whereas id() of a freed proxy gets reused
            if node in cache:
                result = cache[node]
                break
            chain.append(node)
            if test(node):
                result = True
                break
            node = node.getparent()
        for node in chain:
            cache[node] = result
        return result


_TEASER_HEADINGS = "h2", "h3", "h4", "h5", "h6"


def _teaser(el, url: str) -> bool:
    """A card whose heading is a link to another page."""
    here = _bare(url)
    for tag in _TEASER_HEADINGS:
        for heading in el.iter(tag):
            for a in heading.iter("a"):
                href = (a.get("href") or "").strip()
                if href and not href.startswith("#") and _bare(urljoin(url, href)) != here:
                    return True
    return False


def _bare(url: str) -> str:
    return url.split("#")[0].rstrip("/")


@lru_cache(maxsize=256)
def _compiled(expr: str) -> etree.XPath:
    return etree.XPath(expr)


def xpath(tree, expr: str):
    """``tree.xpath(expr)`` with ``expr`` compiled once per process, not on every call and page."""
    return _compiled(expr)(tree)


def text_runs(root) -> list[tuple[str, object]]:
    """(text, element whose text it is) in reading order below ``root``; a tail is its parent's.
    One walk by lxml's ``iterwalk``, which yields each element's start and end from C and skips
    what is never read (scripts, styles): a third cheaper than a walk with a stack of our own."""
    if root is None or root.tag in SKIP_TEXT:
        return []
    out = []
    append = out.append
    walk = etree.iterwalk(root, events=("start", "end"))
    for event, el in walk:
        if event == "start":
            if isinstance(el.tag, str):
                if el.tag in SKIP_TEXT:
                    walk.skip_subtree()
                elif el.text:
                    append((el.text, el))
        elif el.tail and el is not root:
            append((el.tail, el.getparent()))
    return out


def marks(el) -> str:
    """An element's class and id, camelCase split ("relatedStories" -> "related-Stories"), for the region patterns."""
    return P.CAMEL_RE.sub(r"\1-\2", f'{el.get("class", "")} {el.get("id", "")}'.strip())


def _region_excluded(el, furniture: bool = True, footers: bool = True) -> bool:
    """``furniture``/``footers`` False: class-marked page furniture, or
    footers (tag or class), do not exclude."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("html", "body", "main", "article"):
        return False
    if tag in P.EXCLUDED_TAGS:
        if tag == "footer" and not footers:
            return False
        return tag not in P.PAGE_FURNITURE_TAGS or not _in_article(el)
    named = marks(el)
    if named and not P.REGION_EXCEPTIONS_RE.search(named):
        if names_other_content(named):
            return not _wraps_article(el)
        if not footers:
            named = P.FOOTER_RE.sub(" ", named)
        if furniture and P.FURNITURE_RE.search(named):
            return not _wraps_article(el) and not _in_article(el)
    return _related_heading(el)


def names_other_content(named: str) -> bool:
    """Whether class/id words name a region of other content: "comments",
    "related-posts", but not "byline-comments" or "comments-count", which
    name a part of the article's own byline (its link to the comments)."""
    for m in P.OTHER_CONTENT_RE.finditer(named):
        start = named.rfind(" ", 0, m.start() + 1) + 1
        end = named.find(" ", m.end())
        token = named[start:end if end >= 0 else len(named)]
        if not P.REGION_PART_RE.search(token.replace(m.group(0).strip(" _-"), "", 1)):
            return True
    return False


def _other_region(el) -> bool:
    return _region_excluded(el, furniture=False)


def _labelled_region(el) -> bool:
    return _region_excluded(el, footers=False)


def _wraps_article(el) -> bool:
    """A wrapper around the article itself ("has-sidebar", "with-comments")."""
    return (el.find(".//h1") is not None or el.find(".//article") is not None
            or len(el.findall(".//p")) > 20)


def _related_heading(el) -> bool:
    """A block introduced by "Related", "Mehr zum Thema", "Читайте также"…"""
    for child in el[:3]:
        if child.tag in ("h2", "h3", "h4", "h5", "header", "strong"):
            text = child.text_content().strip()
            return len(text) < 60 and bool(P.RELATED_HEADING_RE.match(text))
    return False


def _in_article(el) -> bool:
    """An <article>'s own footer or info box often carries its date line."""
    parent = el.getparent()
    while parent is not None:
        if parent.tag == "article":
            return True
        parent = parent.getparent()
    return False


def page_lang(tree) -> tuple[str | None, bool]:
    """The page's two-letter language and whether slashed dates are month-first."""
    raw = (xpath(tree, "string(/html/@lang)") or xpath(
        tree, "string(//meta[@http-equiv='content-language' or @property='og:locale']/@content)"
    )).strip().lower().replace("_", "-")
    if not raw:
        return None, False
    lang, _, region = raw.partition("-")
    month_first = lang == "en" and region not in _DMY_REGIONS
    return lang[:2] or None, month_first


_STAMP_OFFSET = re.compile(
    r"\d{2}:\d{2}:\d{2}(?:\.\d+)?\s?([+-](?:0\d|1[0-4]):?[0-5]\d)(?!\d)")
# a zone must be stated this often, and by this share of the non-UTC stamps
ZONE_MIN_STAMPS, ZONE_MIN_SHARE = 2, 0.8


def page_zone(tree) -> dt.timezone | None:
    """The UTC offset the page's own timestamps are written in ("Fri, 01 May
    2020 23:00:00 -0400" in its scripts and attributes), when one offset other
    than UTC clearly dominates; None otherwise."""
    texts = xpath(tree, "//script/text() | //@datetime | //@content")
    offsets = Counter(o.replace(":", "") for text in texts
                      for o in _STAMP_OFFSET.findall(text))
    local = {o: n for o, n in offsets.items() if o[1:] != "0000"}
    if not local:
        return None
    best, count = max(local.items(), key=lambda item: item[1])
    if count < ZONE_MIN_STAMPS or count < ZONE_MIN_SHARE * sum(local.values()):
        return None
    delta = dt.timedelta(hours=int(best[1:3]), minutes=int(best[3:5]))
    return dt.timezone(-delta if best[0] == "-" else delta)


# -- a pruned copy for whole-page scanners -----------------------------------


def pruned_copy(tree, url: str = ""):
    """A copy of the page without comments, related lists, calendars, "today"
    widgets and copyright lines, for scanners (htmldate) that read any date
    anywhere. Page furniture stays: on many sites it wraps the byline."""
    from copy import deepcopy

    root = deepcopy(tree.getroottree().getroot())
    body = root.find(".//body")
    if body is None:
        return root
    page = Page(tree=root, url=url)
    doomed = [el for el in body.iter() if isinstance(el.tag, str) and (_other_content(el) or page.other_article(el))]
    for el in doomed:
        _drop(el)
    for el in body.iter():
        for attr in ("text", "tail"):
            text = getattr(el, attr)
            if (text and len(text) < P.SHORT_TEXT and el.tag not in SKIP_TEXT
                    and (P.COPYRIGHT_RE.search(text) or P.TODAY_RE.search(text) or P.PROFILE_RE.search(text))):
                setattr(el, attr, "")
    return root


def _other_content(el) -> bool:
    named = marks(el)
    if named and names_other_content(named) and not P.REGION_EXCEPTIONS_RE.search(named):
        return not _wraps_article(el)
    return _related_heading(el)


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    previous = el.getprevious()
    parent.remove(el)
    if tail:  # keep the text that followed the element
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
