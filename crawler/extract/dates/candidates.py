"""Every date a page states about itself, each with where it was found.

One collector per place a date can live (JSON-LD, meta, itemprop, <time>,
labelled visible text, the URL, the Last-Modified header; the dateline by the
headline is dateline.py's). Collectors only report; choosing between them is
choose.py's job. Regions that date other content (comments, related stories,
footers, widgets) are skipped here so their dates never become candidates at
all; a labelled "Published/Erschienen am" statement is the exception in a
footer, or in a sidebar box that links to this very page.
"""

from __future__ import annotations

import bisect
import datetime as dt
import email.utils
import json
import re
from urllib.parse import urlsplit

from crawler.extract.dates import patterns as P
from crawler.extract.dates.labels import dated_label_hits, label_in, profile_date
from crawler.extract.dates.page import Page, xpath
from crawler.extract.dates.parse import first_date, parse_date, parse_iso
from crawler.models import DateCandidate

_ITEMPROP_KIND = {"datepublished": "published", "datecreated": "published",
                  "datemodified": "modified", "uploaddate": "published"}


def _cand(kind, source, where, raw, value, confidence) -> DateCandidate:
    return DateCandidate(kind=kind, source=source, where=where, raw=raw.strip()[:200],
                         value=value, confidence=confidence)


# -- JSON-LD -----------------------------------------------------------------


def jsonld_objects(page: Page) -> list[dict]:
    """Top-level JSON-LD objects (graphs and lists flattened), in page order."""
    out: list[dict] = []
    for script in page.elements("script"):
        # "application/ld+json; charset=utf-8" and odd spacing or case are JSON-LD too
        if not (script.get("type") or "").lstrip(" \t\r\n").lower().startswith("application/ld+json"):
            continue
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


CDATA = re.compile(r"^\s*(?://)?\s*<!\[CDATA\[|(?://)?\s*\]\]>\s*$")


def _loads(text: str):
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    text = CDATA.sub("", text)  # "//<![CDATA[ ... //]]>", as XHTML-minded CMSs wrap scripts
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
    for obj in jsonld_objects(page):
        out.extend(_jsonld_dates(obj, articles, page.month_first))
        articles += bool(_types(obj) & P.JSONLD_ARTICLE_TYPES)
    return out


def _jsonld_dates(obj: dict, index: int, month_first: bool, depth: int = 0) -> list[DateCandidate]:
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
            parsed = parse_iso(value) or parse_date(value, month_first=month_first)  # not ISO, as CMSs write it
            if parsed is not None:
                penalty = 0.1 if lkey in ("datecreated",) else 0.0
                out.append(_cand(P.JSONLD_FIELDS[lkey], "json-ld", f"{label}.{key}",
                                 value, parsed, conf - penalty))
        elif lkey == "mainentity" and isinstance(value, dict) and depth < 2:
            out.extend(_jsonld_dates(value, index, month_first, depth + 1))
    return out


# -- meta, itemprop, <time> --------------------------------------------------


def from_meta(page: Page) -> list[DateCandidate]:
    out = []
    for meta in page.elements("meta"):
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
    # the attributes, not the elements that have them: libxml2 finds those a third faster
    for el in (attr.getparent() for attr in xpath(page.tree, "//body/descendant::*/@itemprop")):
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
    """Drop (where, ...) rows of a repeated element stating several days, or
    several moments of one day ("2 hours ago", "4 hours ago" in a list of
    the latest news): a list of other items (teasers, archive, comments),
    not the page's own date."""
    days: dict[str, set] = {}
    moments: dict[str, set] = {}
    for row in found:
        days.setdefault(row[0], set()).add(_day(row[-1]))
        moments.setdefault(row[0], set()).add(row[-1])
    return [row for row in found if len(days[row[0]]) < P.LISTING_MIN_DAYS
            and len(moments[row[0]]) < P.LISTING_MIN_MOMENTS]


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def from_time(page: Page) -> list[DateCandidate]:
    found = []
    for el in page.elements("time"):
        if not page.in_body(el) or el.get("itemprop") or page.excluded(el) or profile_date(_text_before(el)):
            continue
        raw = el.get("datetime") or ""
        value = parse_iso(raw) if raw else None
        text = el.text_content().strip()
        if value is None:
            value = parse_date(text or raw, page.lang, page.month_first)
            raw = text or raw
        if value is not None:
            found.append((describe(el), *_element_kind(el), raw, value))
    out = []
    for where, kind, explicit, raw, value in _drop_listings(found):
        if explicit:
            conf = P.VISIBLE_PUBLISHED
        else:
            conf = 0.72 if kind != "unlabelled" else (0.6 if not out else 0.5)
        out.append(_cand(kind, "time", where, raw, value, conf))
    return out


def _element_kind(el, inside: str = "") -> tuple[str, bool]:
    """The kind read from a label before the date (``inside`` the element's
    own text, or just before the element), else from the element's class;
    and whether it is an explicit "published" (see P.VISIBLE_PUBLISHED)."""
    label = label_in(inside) or _label_before(el)
    if label:
        return label, label == "published"
    hints = " ".join(
        f'{e.get("class", "")} {e.get("id", "")} {e.get("itemprop", "")}'
        for e in (el, el.getparent()) if e is not None
    )
    if el.get("pubdate") is not None:
        hints += " pubdate"
    for kind, regex in P.KIND_HINT_RE:
        if regex.search(hints):
            return kind, kind == "published" and bool(P.PUBLISHED_CLASS_RE.search(hints))
    return "unlabelled", False


def _text_before(el) -> str:
    """The text just before ``el``: its previous sibling's, else its parent's own."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is not None:
        return prev.text_content() + (prev.tail or "")
    parent = el.getparent()
    return (parent.text or "") if parent is not None else ""


def _label_before(el) -> str | None:
    """The label just before ``el``; an element that opens its parent (a
    <time> alone in a <span> after an icon titled "Published") is labelled
    by what precedes the parent."""
    for _ in range(3):
        prev = el.getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            prev = prev.getprevious()
        parent = el.getparent()
        if prev is not None:
            return label_in(prev.text_content() + (prev.tail or ""))
        if parent is None or (parent.text or "").strip():
            return label_in(parent.text or "") if parent is not None else None
        el = parent
    return None


def describe(el) -> str:
    """``tag.class1.class2``: how evidence names an element an editor can find in the source."""
    cls = (el.get("class") or "").split()
    return el.tag + ("." + ".".join(cls[:2]) if cls else "")


# -- visible labelled text ---------------------------------------------------

def from_text(page: Page) -> list[DateCandidate]:
    """Dates after a published/updated label in visible text, any language."""
    pieces, owners, offsets = [], [], []
    pos = 0
    for text, owner in page.runs():
        pieces.append(text)
        owners.append(owner)
        offsets.append(pos)
        pos += len(text) + 1
    full = " ".join(pieces)
    out = []
    for start, _, rest, kind, label in dated_label_hits(full):  # a label no date follows reads as nothing
        index = _index_at(offsets, start)
        owner = owners[index]
        if not _own_statement(owner, page) or _mid_sentence(pieces[index], start - offsets[index]):
            continue
        value = _labelled_value(full[rest:rest + P.LABEL_TEXT], page)
        if value is None:
            continue
        if P.COPYRIGHT_RE.search(full[max(0, start - 20):start]):
            continue
        label = label.strip()
        conf = 0.7 if len(label) > 5 else 0.62
        out.append(_cand(kind, "text", f'{describe(owner)} "{label}"',
                         re.sub(r"\s+", " ", full[start:rest + P.LABEL_TEXT])[:80], value, conf))
    return out + _verb_last(full, owners, offsets, page)


PROSE_WORDS = 12
IN_SENTENCE = re.compile(r"\w[\s,]*$")


def _mid_sentence(run: str, at: int) -> bool:
    """A label inside a sentence of prose is about something else: "the report, published on
    5 May 2024, documented...", "stand am 14. April vor Gericht". A dateline opens its line, or
    follows another date in it ("Publié le 19 février 2026 à 08h00, mis à jour le 20 février")."""
    before = run[:at]
    return len(run.split()) >= PROSE_WORDS and bool(IN_SENTENCE.search(before)) and not any(c.isdigit() for c in before)


def _verb_last(full: str, owners, offsets, page: Page) -> list[DateCandidate]:
    """"wurde am 19. Mai 2010 um 23:03 Uhr gepostet": the label follows the date."""
    out = []
    for m in P.VERB_LAST_RE.finditer(full):
        owner = owners[_index_at(offsets, m.start())]
        value = _labelled_value(m["rest"], page) if _own_statement(owner, page) else None
        if value is not None:
            kind = "modified" if m["mod"] else "published"
            out.append(_cand(kind, "text", f'{describe(owner)} "{m["mod"] or m["pub"]}"',
                             re.sub(r"\s+", " ", m.group(0))[:80], value, 0.7))
    return out


def _own_statement(owner, page: Page) -> bool:
    """A labelled date outside other content: in the body, a footer, or a
    sidebar box that names this very page ("<a href=this page>Title</a>
    wurde am ... veröffentlicht", an "About this article" box)."""
    if not page.excluded_for_label(owner):
        return True
    return not page.other_content(owner) and _links_here(owner, page.url)


def _links_here(el, url: str) -> bool:
    here = _bare(url)
    return bool(here) and any(_bare(a.get("href", "")) == here for a in el.iter("a"))


def _bare(url: str) -> str:
    return url.split("#")[0].rstrip("/").split("://")[-1]


def _labelled_value(rest: str, page: Page):
    """The date right after a label: fast forms first, then dateparser on the
    short phrase (other languages' month names, "1er mars")."""
    hit = first_date(rest, page.month_first)
    if hit is not None:
        return hit[0] if hit[1] <= P.LABEL_GAP else None
    phrase = P.PHRASE_END_RE.split(rest, maxsplit=1)[0][:40]
    if not P.YEAR_RE.search(phrase):
        return None
    return parse_date(phrase, page.lang, page.month_first, slow=True)


def _index_at(offsets: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(offsets, pos) - 1)


_DATE_ELEMENT_TAGS = ("span", "div", "p", "li", "small", "abbr", "em", "strong", "dd")
_DATE_ELEMENTS = f"//body//*[{' or '.join('self::' + t for t in _DATE_ELEMENT_TAGS)}][@class or @id]"


def _date_element_candidates(page: Page) -> list:
    """The elements ``_DATE_ELEMENTS`` selects; under the one <body> a page has, by lxml's tag filter
    in C (a third of the XPath's time, same elements in the same order)."""
    bodies = page.elements("body")
    if len(bodies) != 1:
        return xpath(page.tree, _DATE_ELEMENTS)
    return [el for el in bodies[0].iter(_DATE_ELEMENT_TAGS)
            if el.get("class") is not None or el.get("id") is not None]


def from_date_elements(page: Page) -> list[DateCandidate]:
    """Short, unlabelled date lines in elements classed as a date or byline."""
    found = []
    for el in _date_element_candidates(page):
        if not P.date_classed(f'{el.get("class", "")} {el.get("id", "")}'):
            continue
        if el.find(".//time") is not None or el.get("itemprop"):
            continue
        text = el.text_content().strip()
        if not (6 <= len(text) <= 80) or P.COPYRIGHT_RE.search(text) or P.TODAY_RE.search(text):
            continue
        if page.excluded(el):
            continue
        hit = first_date(text, page.month_first)
        if hit is not None and not profile_date(text[:hit[1]]):
            found.append((describe(el), *_element_kind(el, text[:hit[1]]), text, hit[0]))
    return [_cand(kind, "text", where, raw, value,
                  P.VISIBLE_PUBLISHED if explicit else (0.58 if n == 0 else 0.5))
            for n, (where, kind, explicit, raw, value) in enumerate(_drop_listings(found))]


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
