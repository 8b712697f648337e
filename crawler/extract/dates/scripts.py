"""Dates a page keeps only in its scripts: framework state and data objects.

Single-page apps (Next.js ``__NEXT_DATA__``, Nuxt's state function and Nuxt 3's
indexed payload, ``window.__INITIAL_STATE__``,
Apollo caches, ``application/json`` blocks, a plain ``var article = {...}``)
render the article's date in the browser from data the fetched HTML holds only
in a <script>. Read only when the page's metadata and header state no published
date (``needed``), and only from the object that describes the page itself:
one whose URL, slug, id or headline is the page's. A dated object that is
one of several in a list (related stories, a feed, a teaser rail) is another
item's; a lone one outside such a list (a page's data layer) is weaker
evidence, below htmldate's wider search.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from crawler.extract.dates.datekeys import key_kind
from crawler.extract.dates.page import WORD_TOKEN, Page, squashed
from crawler.extract.dates.parse import parse_date, parse_iso
from crawler.models import DateCandidate

# the page's own object (its URL, id or headline): below every metadata tag and JSON-LD
OWN_CONFIDENCE = 0.78
# a lone dated object not tied to the page: below the threshold under which htmldate is asked
LONE_CONFIDENCE = 0.58
CREATED_PENALTY = 0.1  # "createdAt" is often when the draft was started, as JSON-LD dateCreated
# a published date at least this sure in the page's metadata or header makes scripts moot
# (the dateline under the headline is the weakest header statement, dateline.CONFIDENCE)
NEEDED_BELOW = 0.66
MAX_NODES = 20000  # values walked per page: a state blob of a whole site stays cheap
MAX_SCRIPT = 2_000_000
MAX_DEPTH = 60  # levels of nesting read: a page's own object sits near the top

# a bare "date" (a blog's front matter) says nothing of its kind: read only on the page's own object;
# keys that name their kind are read as words (datekeys.key_kind)
_BARE = re.compile(r"^(?:date|displaydate|postdate|articledate|storydate)$")
_URL_KEYS = frozenset({"url", "canonical", "canonicalurl", "link", "permalink", "href", "path", "pathname",
                       "uri", "shareurl", "weburl", "fullurl", "articleurl", "relativeurl"})
_SLUG_KEYS = frozenset({"slug", "urlslug", "seoslug"})
_ID_KEYS = frozenset({"id", "articleid", "postid", "contentid", "storyid", "documentid", "uuid", "nodeid"})
_TITLE_KEYS = frozenset({"headline", "title", "seotitle", "headlinetext", "name"})
# a script worth parsing names a date key and gives it a date-like string
_DATE_KEY = r"""(?i)(?:publi|pub|creat|modif|updat|edit|revis|releas|issue|post|date|time)\w*["']?\s*:\s*"""
_DATE_VALUE = r"""["'](?:\d{4}[-/]\d|\d{1,2}[./]\d{1,2}[./]\d{4}|\d{8})"""
# a date-like string is rare in code and cheap to find; the key before it is then checked
_VALUE_RE = re.compile(_DATE_VALUE)
_KEY_BEFORE = re.compile(_DATE_KEY + "$")
KEY_REACH, MAX_VALUES = 80, 500  # characters looked back for the key; date strings tried per script
# in a state function the key's value is a parameter, the date an argument; in Nuxt 3's payload an index
_PROMISING_APART = (re.compile(_DATE_VALUE), re.compile(_DATE_KEY + r"[\w$]{1,6}[,}]"))  # the cheap one first
_DEVALUE = re.compile(r"\s*\[\s*\[\s*\"\w+\"\s*,\s*\d+\s*\]")
# where a literal starts in code: an assignment, a call's argument, a return
_OPENER = re.compile(r"(?:=|\(|\breturn)\s*(?=[{\[])")
MAX_ASSIGNED = 5  # date keys followed to their object per script
_JS_TYPES = ("", "text/javascript", "application/javascript", "module", "text/ecmascript")
_LETTERS = re.compile(r"[^a-z]")
# Nuxt's payload: window.__NUXT__=(function(a,b,...){return {...}}(null,"Title",...)), values passed as arguments
_IIFE = re.compile(r"\(\s*function\s*\(([\w$,\s]*)\)\s*\{")
MIN_TITLE = 12  # characters of a title, without spaces and punctuation, that can name the page
MIN_ID, MIN_SLUG = 4, 8  # digits of an id, characters of a slug ("news" or "2026" name no page)


def needed(cands: list[DateCandidate]) -> bool:
    """Whether the page's metadata, URL and header leave its publication undated."""
    return not any(c.kind in ("published", "unlabelled") and c.source != "header"
                   and c.confidence >= NEEDED_BELOW for c in cands)


def from_scripts(page: Page) -> list[DateCandidate]:
    """The published/modified dates of the page's own object in its scripts' data."""
    own = _Own.of(page)
    tied: list[DateCandidate] = []
    lone: list[list[DateCandidate]] = []
    for script in page.elements("script"):
        kind = (script.get("type") or "").strip().lower()
        text = script.text or ""
        if script.get("src") or "ld+json" in kind or len(text) > MAX_SCRIPT or not _promising(text):
            continue
        if "json" in kind:
            data = [_devalued(_json(text))]
        elif kind in _JS_TYPES:
            data = _js_objects(text)
        else:
            continue
        where = f"script#{script.get('id')}" if script.get("id") else "script"
        for root in data:
            _dated(root, own, where, page.month_first, tied, lone)
    if tied:
        return tied
    if len(lone) == 1:  # two objects not tied to the page disagree on which is the page's
        return [replace(c, confidence=c.confidence - OWN_CONFIDENCE + LONE_CONFIDENCE) for c in lone[0]]
    return []


def _keyed_dates(text: str):
    """Where a date key given a date string starts (``"publishedAt": "2026-...``)."""
    for value in itertools.islice(_VALUE_RE.finditer(text), MAX_VALUES):
        key = _KEY_BEFORE.search(text, max(0, value.start() - KEY_REACH), value.start())
        if key is not None:
            yield key.start()


def _promising(text: str) -> bool:
    """A date key given a date: worth parsing (most scripts are code, not data)."""
    if next(_keyed_dates(text), None) is not None:
        return True
    if _IIFE.search(text[:300]) or _DEVALUE.match(text):  # keys and values apart
        return all(r.search(text) for r in _PROMISING_APART)
    return False


def _devalued(data):
    """Nuxt 3's payload (``__NUXT_DATA__``, devalue's format) as the objects it stands for: one flat
    array whose objects give, for each key, the index of its value; other JSON as it is."""
    if not (isinstance(data, list) and data and isinstance(data[0], list) and len(data[0]) == 2
            and isinstance(data[0][0], str) and isinstance(data[0][1], int)):
        return data
    budget = [MAX_NODES]

    def at(index, depth: int):
        budget[0] -= 1
        if not isinstance(index, int) or not 0 <= index < len(data) or depth > MAX_DEPTH or budget[0] <= 0:
            return None
        node = data[index]
        if isinstance(node, dict):
            return {k: at(v, depth + 1) for k, v in node.items()}
        if isinstance(node, list):
            if len(node) == 2 and isinstance(node[0], str) and isinstance(node[1], int):  # ["Reactive", 5]
                return at(node[1], depth + 1)
            return [at(v, depth + 1) for v in node]
        return node

    return at(0, 0)


def _json(text: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # nested past any parser's depth: no page's state is
        return None


def _js_objects(text: str) -> list:
    """Every object literal of a script (``window.X = {...}``, ``var a = {...}``), as chompjs reads JS."""
    import chompjs

    if _IIFE.search(text[:300]):
        try:
            return [_iife(text, chompjs)]
        except Exception:  # noqa: BLE001 - an ordinary wrapped script (analytics), not a state function
            pass
    try:
        found = list(chompjs.parse_js_objects(text, loader_kwargs={"strict": False}))
    except Exception:  # noqa: BLE001 - not data after all (code with braces); the other scripts still count
        found = []
    return found or _assigned(text, chompjs)


def _assigned(text: str, chompjs) -> list:
    """The object assigned or passed where a date key sits (``var data = {...}`` inside a function
    body, which a reader of top-level literals stops at): the nearest opener before the key."""
    openers = [m.end() for m in _OPENER.finditer(text)]
    out, seen = [], set()
    for hit in itertools.islice(_keyed_dates(text), MAX_ASSIGNED):
        at = bisect.bisect_left(openers, hit) - 1
        if at < 0 or openers[at] in seen:
            continue
        seen.add(openers[at])
        try:
            out.append(chompjs.parse_js_object(text[openers[at]:], loader_kwargs={"strict": False}))
        except Exception:  # noqa: BLE001 - a brace in code, not a literal
            continue
    return out


def _iife(text: str, chompjs):
    """The object a state function returns, its parameters replaced by the arguments it is called with."""
    head = _IIFE.search(text)
    params = [p.strip() for p in head.group(1).split(",")]
    obj = chompjs.parse_js_object(text[text.index("return", head.end()) + len("return"):])
    call = text.rindex("}(")
    args = chompjs.parse_js_object("[" + text[call + 2:].rstrip().rstrip(";").rstrip(")") + "]")
    names = dict(zip(params, args))
    budget = [MAX_NODES]

    def bind(node, depth: int = 0):
        budget[0] -= 1
        if budget[0] <= 0 or depth > MAX_DEPTH:
            return None
        if isinstance(node, dict):
            return {k: bind(v, depth + 1) for k, v in node.items()}
        if isinstance(node, list):
            return [bind(v, depth + 1) for v in node]
        # chompjs reads a bare identifier as its name
        return names.get(node, node) if isinstance(node, str) else node

    return bind(obj)


class _Own:
    """What ties an object to the page: its URL path, last path segment, numeric ids, titles."""

    def __init__(self, path: str, segments: set[str], titles: list[str]):
        self.path, self.segments, self.titles = path, segments, titles
        # numbers in the path ("...-2497954", "/k10011959621000.html") name the page's record
        self.ids = {t for t in WORD_TOKEN.findall(path) if t.isdigit() and len(t) >= MIN_ID}

    @classmethod
    def of(cls, page: Page) -> "_Own":
        path = _path(page.url)
        # whole segments, with and without an extension: a slug is one of them, not a word of one
        segments = {v for s in path.split("/") if s for v in (s, s.rsplit(".", 1)[0]) if len(v) >= MIN_SLUG}
        titles = [t for t in page.tree.xpath("//head/title/text() | //meta[@property='og:title']/@content")
                  if t.strip()] + ["".join(h.itertext()) for h in page.tree.iter("h1")]
        return cls(path, segments, [squashed(t) for t in titles])

    def names(self, key) -> bool:
        """A key that names the page's own id ("Article:2497954" in a normalised cache)."""
        return any(t in self.ids for t in WORD_TOKEN.findall(str(key)))

    def ties(self, obj: dict) -> bool:
        for key, value in obj.items():
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                continue
            lkey, text = _LETTERS.sub("", str(key).lower()), str(value).strip()
            if lkey in _URL_KEYS and self.path and _path(text) == self.path:
                return True
            if lkey in _SLUG_KEYS and text.strip("/").rsplit("/", 1)[-1].lower() in self.segments:
                return True
            if lkey in _ID_KEYS and (text in self.ids or text.lower() in self.segments):
                return True
            if lkey in _TITLE_KEYS and isinstance(value, str) and self._titled(text):
                return True
        return False

    def _titled(self, text: str) -> bool:
        """The object's title is the page's headline, or what its <title> starts with ("Headline |
        Site"); a longer title that merely contains a short one (a reference naming the topic) is not."""
        mine = squashed(text)
        return len(mine) >= MIN_TITLE and any(t == mine or t.startswith(mine) for t in self.titles)


def _path(url: str) -> str:
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return ""
    return unquote(path).rstrip("/").lower()


def _dated(root, own: _Own, where: str, month_first: bool, tied: list, lone: list) -> None:
    """Adds to ``tied`` the dates of the objects in ``root`` tied to the page, to ``lone`` those
    of each other dated object outside a list of items."""
    budget = [MAX_NODES]

    def walk(node, listed: bool, parent_tied: bool, depth: int = 0) -> None:
        if budget[0] <= 0 or depth > MAX_DEPTH:
            return
        budget[0] -= 1
        if isinstance(node, dict):
            dates = _dates_of(node, where, month_first)
            # an undated object tied to the page lends the tie to its fields' objects ("attributes")
            is_tied = parent_tied or own.ties(node)
            if dates and is_tied:
                tied.extend(dates)
            elif not listed and any(c.kind != "unlabelled" for c in dates):
                lone.append([c for c in dates if c.kind != "unlabelled"])
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    walk(value, listed, (is_tied and not dates) or own.names(key), depth + 1)
        elif isinstance(node, list):
            # several items with date fields side by side (dated or left empty) are a list of other
            # items; one alone is a data layer
            many = sum(isinstance(v, dict) and _date_keyed(v) for v in node[:50]) > 1
            for value in node:
                if isinstance(value, (dict, list)):
                    walk(value, listed or many, False, depth + 1)

    walk(root, False, False)


def _date_keyed(obj: dict) -> bool:
    return any(key_kind(str(k)) is not None for k in obj)


def _dates_of(obj: dict, where: str, month_first: bool) -> list[DateCandidate]:
    out: list[DateCandidate] = []
    weaker_keys: set[str] = set()
    has_published = False
    for key, value in obj.items():
        if not isinstance(value, str) or not 6 <= len(value) <= 40:
            continue
        named = key_kind(str(key))
        if named is not None:
            kind, weaker = named
            conf = OWN_CONFIDENCE - CREATED_PENALTY if weaker else OWN_CONFIDENCE
        elif _BARE.search(_LETTERS.sub("", str(key).lower())):
            kind, weaker, conf = "unlabelled", False, OWN_CONFIDENCE - CREATED_PENALTY
        else:
            continue
        parsed = parse_iso(value) or parse_date(value, month_first=month_first)
        if parsed is not None:
            has_published = has_published or (kind == "published" and not weaker)
            if weaker:
                weaker_keys.add(str(key))
            out.append(DateCandidate(kind=kind, source="script", where=f"{where} {key}", raw=value[:200],
                                     value=parsed, confidence=conf))
    if has_published:  # an object that says when it was published: its draft's creation is not that
        out = [c for c in out if c.where.rsplit(" ", 1)[-1] not in weaker_keys]
    return out
