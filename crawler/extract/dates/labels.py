"""Published/updated labels in visible text, in many languages and abbreviations.

The label words are data (patterns.LABELS), scanned as one trie over lower-cased
text; these functions say which label, if any, governs a date.
"""

from __future__ import annotations

import re

from crawler.extract.dates import patterns as P
from crawler.extract.dates.parse import first_date


def profile_date(before: str) -> bool:
    """The date follows a forum member's "Joined:" or "Mitglied seit": not the page's."""
    return bool(P.PROFILE_RE.search(before[-30:]))


def label_in(before: str) -> str | None:
    """"published"/"modified" when the text just before a date ends with such
    a label, allowing a time between them ("Updated 1210 GMT (2010 HKT) ")."""
    before = before[-40:]
    hit = None
    for hit in label_hits(before + " 2000-01-01"):
        pass
    if hit is None or hit[2] < len(before) - P.LABEL_REACH:
        return None
    between = before[hit[2]:]
    if P.LETTERS_RE.search(P.TIME_WORDS_RE.sub("", between)) or first_date(between):
        return None  # words or another date between label and date: the label is another's
    return hit[3]


def label_hits(text: str):
    """(start, label end, date start, kind, label) of each published/updated label
    in ``text`` that opens a word and has at least a few characters after it."""
    lower = _lowered(text)
    for m in P.LABEL_SCAN_RE.finditer(lower):
        hit = _hit(m, text, lower)
        if hit is not None:
            yield hit


def dated_label_hits(text: str):
    """The ``label_hits`` that a date can follow: a digit within ``P.LABEL_TEXT`` characters of
    their date start. No label holds a digit, so the scan starts afresh at each group of numbers
    (``NUMBERS_RE``), read from the last character before it that neither a label nor what
    follows one can hold (``P.LABEL_WALL_RE``): a page's long prose without numbers is not scanned."""
    lower = _lowered(text)
    start = 0
    for numbers in NUMBERS_RE.finditer(lower):
        first = numbers.start()
        wall = LAST_WALL_RE.match(lower, start, max(start, first - P.LABEL_TEXT + 1))
        # up to the last digit, which a word label's look-ahead must see
        for m in P.LABEL_SCAN_RE.finditer(lower, wall.end() if wall else start, numbers.end()):
            hit = _hit(m, text, lower)
            if hit is not None and hit[2] > first - P.LABEL_TEXT:
                yield hit
        start = numbers.end()


# digits, and the digits that follow them within a label's reach: one scan for a date's numbers
NUMBERS_RE = re.compile(r"\d+(?:\D{0,%d}\d+)*" % (P.LABEL_TEXT - 1))
LAST_WALL_RE = re.compile(r".*(?:" + P.LABEL_WALL_RE.pattern + ")", re.S)  # the last such character in a stretch


def _lowered(text: str) -> str:
    lower = text.lower()
    if len(lower) != len(text):  # "İ" lower-cases to two characters: keep offsets
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lower


def _hit(m, text: str, lower: str):
    start = m.start()
    if start and (lower[start - 1].isalnum() or lower[start - 1] == "_"):
        return None  # inside a word ("unpublished")
    label = " ".join(m.group(0).split())
    rest = P.LABEL_TAIL_RE.match(text, m.end()).end()
    if len(text) - rest < 4:
        return None
    return start, m.end(), rest, P.LABELS[label], text[start:m.end()]
