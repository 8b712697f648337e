"""Every date a page states about itself, each with where it was found.

One collector per place a date can live (JSON-LD, meta, itemprop, <time>,
labelled visible text, the URL, the Last-Modified header). Collectors only
report; choosing between them is choose.py's job. Regions that date other
content (comments, related stories, footers, widgets) are skipped here so
their dates never become candidates at all.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from crawler.dates import patterns as P
from crawler.dates.parse import first_date, parse_date, parse_iso
from crawler.models import DateCandidate

_ITEMPROP_KIND = {"datepublished": "published", "datecreated": "published",
                  "datemodified": "modified", "uploaddate": "published"}
_US_REGIONLESS = ("en",)
_DMY_REGIONS = ("gb", "uk", "au", "nz", "ie", "in", "za")


@dataclass
class Page:
    """The parsed page and what collectors share: language, exclusion cache."""

    tree: etree._Element
    url: str = ""
    lang: str | None = None
    month_first: bool = False
    _excluded: dict = field(default_factory=dict)

    def excluded(self, el) -> bool:
        """True when ``el`` sits in a region that dates other content."""
        chain = []
        node = el
        result = False
        while node is not None:
            # keyed by the element itself: lxml keeps one proxy per node while
            # it is referenced, whereas id() of a freed proxy gets reused
            if node in self._excluded:
                result = self._excluded[node]
                break
            chain.append(node)
            if _region_excluded(node):
                result = True
                break
            node = node.getparent()
        for node in chain:
            self._excluded[node] = result
        return result


def _region_excluded(el) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("html", "body", "main", "article"):
        return False
    if tag in P.EXCLUDED_TAGS:
        return tag not in P.PAGE_FURNITURE_TAGS or not _in_article(el)
    marks = P.CAMEL_RE.sub(r"\1-\2", f'{el.get("class", "")} {el.get("id", "")}'.strip())
    if marks and not P.REGION_EXCEPTIONS_RE.search(marks):
        if P.OTHER_CONTENT_RE.search(marks):
            return not _wraps_article(el)
        if P.FURNITURE_RE.search(marks):
            return not _wraps_article(el) and not _in_article(el)
    return _related_heading(el)


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
    raw = (tree.xpath("string(/html/@lang)") or tree.xpath(
        "string(//meta[@http-equiv='content-language' or @property='og:locale']/@content)"
    )).strip().lower().replace("_", "-")
    if not raw:
        return None, False
    lang, _, region = raw.partition("-")
    month_first = lang == "en" and region not in _DMY_REGIONS
    return lang[:2] or None, month_first


def _cand(kind, source, where, raw, value, confidence) -> DateCandidate:
    return DateCandidate(kind=kind, source=source, where=where, raw=raw.strip()[:200],
                         value=value, confidence=confidence)


# -- JSON-LD -----------------------------------------------------------------


def jsonld_objects(tree) -> list[dict]:
    """Top-level JSON-LD objects (graphs and lists flattened), in page order."""
    out: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        data = _loads(script.text or "")
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                graph = item.get("@graph")
                if isinstance(graph, list):
                    out.extend(g for g in graph if isinstance(g, dict))
                else:
                    out.append(item)
            elif isinstance(item, list):
                out.extend(i for i in item if isinstance(i, dict))
    return out


def _loads(text: str):
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:  # common breakage: raw newlines in strings, trailing commas
        fixed = re.sub(r",\s*([}\]])", r"\1", re.sub(r"[\r\n\t]+", " ", text))
        return json.loads(fixed)
    except ValueError:
        return None


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower().rsplit("/", 1)[-1] for k in kinds}


def from_jsonld(page: Page) -> list[DateCandidate]:
    out = []
    articles = 0
    for obj in jsonld_objects(page.tree):
        out.extend(_jsonld_dates(obj, articles))
        articles += bool(_types(obj) & P.JSONLD_ARTICLE_TYPES)
    return out


def _jsonld_dates(obj: dict, index: int, depth: int = 0) -> list[DateCandidate]:
    types = _types(obj)
    if types & P.JSONLD_ARTICLE_TYPES:
        conf = 0.9 if index == 0 else 0.8
    elif types & P.JSONLD_PAGE_TYPES:
        conf = 0.82
    else:
        conf = 0.0
    out = []
    label = "/".join(sorted(types)) or "object"
    for key, value in obj.items():
        lkey = key.lower()
        if conf and lkey in P.JSONLD_FIELDS and isinstance(value, str):
            parsed = parse_iso(value) or parse_date(value)
            if parsed is not None:
                penalty = 0.1 if lkey in ("datecreated",) else 0.0
                out.append(_cand(P.JSONLD_FIELDS[lkey], "json-ld", f"{label}.{key}",
                                 value, parsed, conf - penalty))
        elif lkey == "mainentity" and isinstance(value, dict) and depth < 2:
            out.extend(_jsonld_dates(value, index, depth + 1))
    return out


# -- meta, itemprop, <time> --------------------------------------------------


def from_meta(page: Page) -> list[DateCandidate]:
    out = []
    for meta in page.tree.iter("meta"):
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attr) or "").strip().lower()
            if key in P.META_FIELDS:
                raw = meta.get("content") or ""
                value = parse_iso(raw) or parse_date(raw, month_first=page.month_first)
                if value is not None and not page.excluded(meta) and not (
                    attr == "itemprop" and _in_other_item(meta)
                ):
                    kind, conf = P.META_FIELDS[key]
                    out.append(_cand(kind, "meta", f'meta[{attr}="{meta.get(attr)}"]',
                                     raw, value, conf))
                break
    return out


def from_itemprop(page: Page) -> list[DateCandidate]:
    out = []
    for el in page.tree.xpath("//body//*[@itemprop]"):
        kind = _ITEMPROP_KIND.get(el.get("itemprop", "").strip().lower())
        if kind is None or el.tag == "meta" or _in_other_item(el) or page.excluded(el):
            continue
        raw = el.get("datetime") or el.get("content") or el.text_content()
        value = parse_iso(raw) or parse_date(raw, page.lang, page.month_first)
        if value is not None:
            out.append(_cand(kind, "itemprop", f'{el.tag}[itemprop="{el.get("itemprop")}"]',
                             raw, value, 0.83))
    return out


_OTHER_ITEMS = re.compile(r"Comment|Review|Answer|Question|Event|Offer|Person", re.I)


def _in_other_item(el) -> bool:
    """Inside a comment or review item: its date is not the page's."""
    for scope in el.iterancestors():
        if scope.get("itemscope") is not None:
            return bool(_OTHER_ITEMS.search(scope.get("itemtype", "")))
    return False


def _drop_listings(found: list[tuple]) -> list[tuple]:
    """Drop (where, ...) rows of a repeated element stating several days: a
    list of other items (teasers, archive, comments), not the page's own date."""
    days: dict[str, set] = {}
    for row in found:
        days.setdefault(row[0], set()).add(_day(row[-1]))
    return [row for row in found if len(days[row[0]]) < P.LISTING_MIN_DAYS]


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def from_time(page: Page) -> list[DateCandidate]:
    found = []
    for el in page.tree.xpath("//body//time"):
        if el.get("itemprop") or page.excluded(el):
            continue
        raw = el.get("datetime") or ""
        value = parse_iso(raw) if raw else None
        text = el.text_content().strip()
        if value is None:
            value = parse_date(text or raw, page.lang, page.month_first)
            raw = text or raw
        if value is not None:
            found.append((_describe(el), _element_kind(el), raw, value))
    out = []
    for where, kind, raw, value in _drop_listings(found):
        conf = 0.72 if kind != "unlabelled" else (0.6 if not out else 0.5)
        out.append(_cand(kind, "time", where, raw, value, conf))
    return out


def _element_kind(el) -> str:
    """A kind read from the element's attributes and the words just before it."""
    hints = " ".join(
        f'{e.get("class", "")} {e.get("id", "")} {e.get("itemprop", "")}'
        for e in (el, el.getparent()) if e is not None
    )
    if el.get("pubdate") is not None:
        hints += " pubdate"
    label = _label_before(el)
    if label:
        return label
    for kind, regex in P.KIND_HINT_RE:
        if regex.search(hints):
            return kind
    return "unlabelled"


def _label_before(el) -> str | None:
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    before = (prev.text_content() + (prev.tail or "")) if prev is not None else ""
    parent = el.getparent()
    if prev is None and parent is not None:
        before = parent.text or ""
    m = None
    for m in P.LABEL_RE.finditer(before[-40:] + " 2000-01-01"):
        pass
    if m is None or m.start("rest") < len(before[-40:]) - 3:
        return None
    return "modified" if m["mod"] else "published"


def _describe(el) -> str:
    cls = (el.get("class") or "").split()
    return el.tag + ("." + ".".join(cls[:2]) if cls else "")


# -- visible labelled text ---------------------------------------------------

_SKIP_TEXT = frozenset({"script", "style", "noscript", "template", "svg", "select"})


def _text_runs(page: Page):
    """(text, owning element) for every visible text piece of the body, in order."""
    body = page.tree.find(".//body")
    if body is None:
        body = page.tree

    def walk(el):
        if el.tag in _SKIP_TEXT:
            return
        if isinstance(el.tag, str) and el.text:
            yield el.text, el
        for child in el:
            if isinstance(child.tag, str):
                yield from walk(child)
            if child.tail:
                yield child.tail, el

    yield from walk(body)


def from_text(page: Page) -> list[DateCandidate]:
    """Dates after a published/updated label in visible text, any language."""
    pieces, owners, offsets = [], [], []
    pos = 0
    for text, owner in _text_runs(page):
        pieces.append(text)
        owners.append(owner)
        offsets.append(pos)
        pos += len(text) + 1
    full = " ".join(pieces)
    out = []
    for m in P.LABEL_RE.finditer(full):
        owner = owners[_index_at(offsets, m.start())]
        if page.excluded(owner):
            continue
        hit = first_date(m["rest"], page.month_first)
        if hit is None or hit[1] > 12:
            continue
        value, start = hit
        if P.COPYRIGHT_RE.search(full[max(0, m.start() - 20):m.start()]):
            continue
        kind = "modified" if m["mod"] else "published"
        label = (m["mod"] or m["pub"]).strip()
        conf = 0.7 if len(label) > 5 else 0.62
        out.append(_cand(kind, "text", f'{_describe(owner)} "{label}"',
                         re.sub(r"\s+", " ", m.group(0) + m["rest"])[:80], value, conf))
    return out


def _index_at(offsets: list[int], pos: int) -> int:
    import bisect

    return max(0, bisect.bisect_right(offsets, pos) - 1)


def from_date_elements(page: Page) -> list[DateCandidate]:
    """Short, unlabelled date lines in elements classed as a date or byline."""
    found = []
    for el in page.tree.xpath(
        "//body//*[self::span or self::div or self::p or self::li or self::small "
        "or self::abbr or self::em or self::strong or self::dd][@class or @id]"
    ):
        if not P.DATE_CLASS_RE.search(f'{el.get("class", "")} {el.get("id", "")}'):
            continue
        if el.find(".//time") is not None or el.get("itemprop"):
            continue
        text = el.text_content().strip()
        if not (6 <= len(text) <= 80) or P.COPYRIGHT_RE.search(text) or P.TODAY_RE.search(text):
            continue
        if page.excluded(el):
            continue
        hit = first_date(text, page.month_first)
        if hit is not None:
            found.append((_describe(el), _element_kind(el), text, hit[0]))
    return [_cand(kind, "text", where, raw, value, 0.58 if n == 0 else 0.5)
            for n, (where, kind, raw, value) in enumerate(_drop_listings(found))]


# -- URL and HTTP header -----------------------------------------------------


def from_url(url: str) -> list[DateCandidate]:
    path = urlsplit(url).path
    m = P.URL_DATE_RE.search(path) or P.URL_COMPACT_RE.search(path)
    if not m:
        return []
    try:
        value = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return []
    return [_cand("published", "url", "url path", m.group(0), value, P.URL_CONFIDENCE)]


def from_headers(headers) -> list[DateCandidate]:
    raw = (headers or {}).get("last-modified")
    if not raw:
        return []
    try:
        value = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return []
    if value is None or value.year < 1995:
        return []
    return [_cand("modified", "header", "Last-Modified", raw, value, 0.2)]


# -- a pruned copy for whole-page scanners -----------------------------------


def pruned_copy(tree):
    """A copy of the page without comments, related lists, calendars, "today"
    widgets and copyright lines, for scanners (htmldate) that read any date
    anywhere. Page furniture stays: on many sites it wraps the byline."""
    from copy import deepcopy

    root = deepcopy(tree.getroottree().getroot())
    body = root.find(".//body")
    if body is None:
        return root
    doomed = [el for el in body.iter() if isinstance(el.tag, str) and _other_content(el)]
    for el in doomed:
        _drop(el)
    for el in body.iter():
        for attr in ("text", "tail"):
            text = getattr(el, attr)
            if (text and len(text) < P.SHORT_TEXT and el.tag not in _SKIP_TEXT
                    and (P.COPYRIGHT_RE.search(text) or P.TODAY_RE.search(text))):
                setattr(el, attr, "")
    return root


def _other_content(el) -> bool:
    marks = P.CAMEL_RE.sub(r"\1-\2", f'{el.get("class", "")} {el.get("id", "")}'.strip())
    if marks and P.OTHER_CONTENT_RE.search(marks) and not P.REGION_EXCEPTIONS_RE.search(marks):
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
