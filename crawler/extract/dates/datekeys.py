"""What a data key's name says of its date: published, created, modified, or nothing.

Page-state objects name their dates in every convention ("publishedAt", "publish_time",
"first-published-date", "pubDate", "datePublished", "lastUpdateTime", "modifyDate",
"creationDate", "displayPublishedDate"). A list of single names misses the next
site's; the name is read as words instead: it says a publication, creation or update
when one of its words is such a verb or noun, and is a date when that word is a
participle ("published", "updated") or another word says date/time ("pubDate",
"updateTime"). A word naming something else the date could belong to (an image, the
author's account, an event's start, an expiry, the render) makes it another thing's
date: "imagePublishedAt" and "userCreatedAt" date no article, and "frontendDate" says
no publication.
"""

from __future__ import annotations

import functools
import re

_PUBLISHED = frozenset({"published", "publish", "publication", "pub", "pubdate", "pubtime", "posted"})
_RELEASED = frozenset({"released", "release", "issued", "issue"})  # a press release's, or a product's
_CREATED = frozenset({"created", "create", "creation"})
_MODIFIED = frozenset({"modified", "modify", "modification", "updated", "update", "changed", "edited",
                       "revised", "revision", "lastmod", "mtime"})
# words that are themselves dated: the verb's participle, or a compound with a date word in it
_DATED = frozenset({"published", "posted", "released", "issued", "created", "modified", "updated", "changed", "edited",
                    "revised", "pubdate", "pubtime", "lastmod", "mtime"})
_DATE_WORDS = frozenset({"date", "time", "datetime", "timestamp", "at", "on", "ts", "utc", "gmt", "iso",
                         "unix", "day", "stamp"})
# a value's format or zone, not its kind: "data-iso-date", "data-unix" are bare dates
FORMAT_WORDS = frozenset({"iso", "unix", "epoch", "utc", "gmt", "local", "ms", "raw", "value", "timestamp",
                          "ts", "date", "time", "datetime", "stamp"})
# "lastPublished" is the latest re-publication: an update
_LATEST = frozenset({"last", "latest", "recent"})
_FIRST = frozenset({"first", "original", "initial"})
# the date is another thing's than the page's text
_OTHER_THING = frozenset({
    "image", "img", "photo", "picture", "pic", "thumbnail", "thumb", "video", "audio", "media", "avatar",
    "logo", "file", "asset", "cover", "author", "user", "account", "profile", "member", "registration",
    "registered", "login", "signin", "session", "cookie", "token", "comment", "reply", "birth", "birthday",
    "death", "expire", "expires", "expiry", "expiration", "expired", "end", "start", "begin", "event",
    "deadline", "valid", "until", "stop", "from", "to", "since", "min", "max", "range", "filter", "scheduled", "schedule", "embargo", "cache", "build", "deploy", "server",
    "render", "rendered", "request", "response", "now", "current", "today", "crawl", "crawled", "indexed",
    "fetch", "fetched", "sitemap", "next", "prev", "previous", "subscription",
    "trial", "price", "offer", "sale", "password", "certificate", "license", "live", "broadcast", "air",
    "aired", "game", "match", "kickoff", "departure", "arrival", "checkin", "checkout", "delivery",
})
# the words a squashed lower-case key ("publisheddate", "lastupdatetime") is split into
_VOCABULARY = sorted(_PUBLISHED | _RELEASED | _CREATED | _MODIFIED | _DATE_WORDS | _LATEST | _OTHER_THING
                     | _FIRST | {"article", "content", "page", "post", "story",
                        "display", "news", "item", "doc", "document", "entry", "local", "editorial", "of"},
                     key=len, reverse=True)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[^A-Za-z]+")


@functools.lru_cache(maxsize=4096)
def key_kind(key: str) -> tuple[str, bool] | None:
    """("published" | "modified", weaker) for a key naming the page's publication or update
    date, ``weaker`` when it is a creation or release date (a draft's start, a product's
    release: below a stated publication); None for any other key."""
    words = key_words(key)
    # "comments", "images": a plural names the same other thing
    if not words or any(w in _OTHER_THING or (w.endswith("s") and w[:-1] in _OTHER_THING) for w in words):
        return None
    # "lastEditorialUpdate", "first-publication": the first or latest of something is a moment too
    dated = any(w in _DATED or w in _DATE_WORDS or w in _LATEST or w in _FIRST for w in words)
    if not dated:
        return None
    if any(w in _MODIFIED for w in words) or (any(w in _LATEST for w in words)
                                              and any(w in _PUBLISHED for w in words)):
        return "modified", False
    if any(w in _PUBLISHED for w in words):
        return "published", False
    if any(w in _CREATED or w in _RELEASED for w in words):
        return "published", True
    return None


def key_words(key: str) -> tuple[str, ...]:
    """A key's words, lower-cased: "publishedAt" and "published_at" give ("published", "at"),
    "lastupdatetime" ("last", "update", "time") when all its parts are known words."""
    words: list[str] = []
    for part in _SEPARATORS.split(_CAMEL.sub(" ", str(key))):
        if part:
            words.extend(_segmented(part.lower()))
    return tuple(words)


def _segmented(word: str) -> list[str]:
    """A squashed word split into known words ("lastmodified": "last", "modified"), or itself
    when it is not made of known words ("frontenddate" stays one word)."""
    return _split(word) or [word]


@functools.lru_cache(maxsize=4096)
def _split(word: str) -> list[str] | None:
    """``word`` as known words, preferring the longest first word that lets the rest split too."""
    if not word:
        return []
    for known in _VOCABULARY:
        if word.startswith(known):
            rest = _split(word[len(known):])
            if rest is not None:
                return [known, *rest]
    return None
