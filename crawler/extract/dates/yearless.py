"""A header date printed without its year, dated by the page's other dates.

Japanese, Chinese and Russian news sites (and many others for the current year) print
the article's date under its headline as "[06月24日 11時30分]", "6月24日", "24 июня,
11:30" or "June 24": the year is the reader's present. A collector of full dates sees
nothing there, so htmldate's guess (often another item's date) decides. The year comes
from what else the page says of its time: its other date statements, a year in its URL
path, htmldate's guess, its copyright line; the yearless day is put in the year that
brings it nearest to that reference (a day after a modified date cannot be its
publication). Only the short line right under the headline counts (the dateline's
place, dateline.py), never a linked item's line or prose; and only where the page
states no full published date (scripts.needed): a full date says more.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from crawler.extract.dates import patterns as P
from crawler.extract.dates.dateline import around, find_headline
from crawler.extract.dates.labels import label_in, profile_date
from crawler.extract.dates.page import Page
from crawler.extract.dates.parse import MONTH_NAMES, date_span, normalized
from crawler.models import DateCandidate

# below the dateline of a full date (0.66): its year is inferred; above htmldate's guess, the
# first unlabelled <time> and an unlabelled meta date, which a reader does not see
CONFIDENCE = 0.62
# words beside the date on its line ("Katrina Roe", "Updated", a weekday): a byline, not prose
MAX_WORDS = 4
MAX_LINE = 80
# a reference this many days from the yearless day is of another time: no year is inferred
MAX_REACH = 200

_TIME = (r"(?:\s*[,，]?\s*(?:at|um|в|o|saat|à|alle|a\s+las|kl\.?)?\s*"
         r"(?P<H>[0-2]?\d)\s*[:時时h]\s*(?P<M>[0-5]\d|\d(?=\s*分))\s*(?:分|uhr|(?P<ampm>[ap]\.?\s?m\.?))?)?")
# Chinese, Japanese, Korean: 6月24日, 06月24日 11時30分, 6월 24일 (a weekday in brackets may follow)
_CJK = re.compile(r"(?<![\d年년])(?P<m>[01]?\d)\s*[月월]\s*(?P<d>[0-3]?\d)\s*[日일]"
                  r"(?:\s*[(（][^)）]{1,3}[)）])?" + _TIME, re.I)
# day first: "24 июня", "24. Juni", "24 Haziran", "24 маусым", "24 يونيو", "le 24 juin"
_DAY_MONTH = re.compile(r"(?<![\d.:/])(?P<d>[0-3]?\d)(?:\.|er|st|nd|rd|th|º)?\s*(?:de\s+|of\s+)?"
                        r"(?P<mon>[^\W\d_]{2,14})\.?(?![^\W\d_])" + _TIME, re.I)
# month first, capitalised: "June 24", "Jun. 24th"
_MONTH_DAY = re.compile(r"(?<![^\W\d_])(?P<mon>[^\W\d_]{3,14})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d.:/])"
                        + _TIME, re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")
_URL_YEAR = re.compile(r"/((?:19|20)\d{2})(?=/)")


def from_yearless(page: Page, others: list[DateCandidate]) -> list[DateCandidate]:
    """The yearless date on the line under the headline, in the year ``others`` (the page's
    full date statements) and the page's URL, htmldate and copyright imply."""
    found = _header_line(page)
    if found is None:
        return []
    (month, day, time), line, kind = found
    when = _in_year(month, day, _reference(page, others))
    if when is None:
        return []
    value = dt.datetime.combine(when, time) if time is not None else when
    return [DateCandidate(kind, "text", "yearless dateline after headline", line[:200], value, CONFIDENCE)]


def _header_line(page: Page):
    """((month, day, time or None), line, kind) of the first short line after the headline that
    states a day without a year; None when that line states a full date (the dateline's) or none."""
    headline = find_headline(page)
    if headline is None:
        return None
    _, after = around(page, headline)
    for i, (text, owner) in enumerate(after):
        prior = " ".join(t for t, _ in after[max(0, i - 3):i])
        if date_span(text, page.month_first) is not None:
            return None  # a full date: the dateline's (dateline.py), never re-dated here
        hit = yearless_span(text)
        if hit is None:
            continue
        (month, day, time), start, end = hit
        line = re.sub(r"\s+", " ", owner.text_content()).strip()
        if not _own_line(line, text, start, end, owner, prior, page):
            return None  # the first date under the headline is another's, or prose: no guessing further
        label = label_in(prior + " " + text[:start])
        if label is None and _field_of_another(text[:start]):
            return None  # "Next rehearsal: March 10": a labelled field of something else
        return (month, day, time), line, label or "unlabelled"
    return None


def _own_line(line: str, text: str, start: int, end: int, owner, prior: str, page: Page) -> bool:
    """A short date line of the page's own: not a sentence, a linked item, a related list,
    a caption, a "today" widget, a copyright or a forum member's profile."""
    rest = _WORD.findall(text[:start]) + _WORD.findall(text[end:])
    if len(line) > MAX_LINE or len(rest) > MAX_WORDS or line.rstrip().endswith((".", "!", "?")):
        return False
    if P.TODAY_RE.search(line) or P.COPYRIGHT_RE.search(line) or profile_date(prior + " " + text[:start]):
        return False
    return not page.other_content(owner) and not others_markup(owner, page.url)


# a photo's caption, a form's control (a booking form's default day) date no article
_NOT_THE_ARTICLES = frozenset({"figure", "figcaption", "form", "input", "select", "option", "textarea", "button"})


def others_markup(el, url: str) -> bool:
    """``el`` sits in markup of another thing than the article: a link to another page (a teaser),
    a list item holding one (a news list's entry), a caption, a form."""
    for node in (el, *el.iterancestors()):
        if node.tag in _NOT_THE_ARTICLES:
            return True
        if node.tag == "a" and _elsewhere(node.get("href"), url):
            return True
        if node.tag == "li" and any(_elsewhere(a.get("href"), url) for a in node.iter("a")):
            return True
        if node.tag in ("article", "body"):
            return False
    return False


def _elsewhere(href: str | None, url: str) -> bool:
    """A link to another page; an in-page anchor ("#timeline") or the page itself is not."""
    href = (href or "").strip()
    return bool(href) and not href.startswith("#") and href.split("#")[0] != url.split("#")[0]


# words that name the field as a date and nothing more ("Datum: 3. März")
_DATE_FIELD = re.compile(r"(?i)^(?:date|datum|дата|күні|tarih|fecha|data|日付|日期|날짜)$")
_FIELD_LABEL = re.compile(r"([^\W\d_][^:：\n]{0,30})[:：]\s*$")


def _field_of_another(before: str) -> bool:
    """The date follows "Word(s):" that is no published/updated label (label_in found none) and
    no plain "Date:": an event's, an offer's or a deadline's field."""
    m = _FIELD_LABEL.search(before)
    return m is not None and not _DATE_FIELD.match(m[1].strip())


def yearless_span(text: str):
    """((month, day, time or None), start, end) of the first day-and-month without a year in
    ``text`` ("6月24日", "24 июня, 11:30", "June 24"), or None."""
    text = normalized(text)
    best = None
    for regex in (_CJK, _DAY_MONTH, _MONTH_DAY):
        for m in regex.finditer(text):
            if best is not None and m.start() >= best[1]:
                break
            if regex is _MONTH_DAY and not m["mon"][0].isupper():
                continue  # "June 24" is written capitalised; "may 5 people" is no date
            month = int(m["m"]) if regex is _CJK else MONTH_NAMES.get(m["mon"].lower())
            parts = _parts(month, int(m["d"]), m)
            if parts is not None:
                best = (parts, m.start(), m.end())
                break
    return best


def _parts(month: int | None, day: int, m: re.Match):
    if month is None or not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    try:
        dt.date(2000, month, day)  # a leap year: 29 February is a day
    except ValueError:
        return None
    if not m["H"]:
        return month, day, None
    hour = int(m["H"])
    ampm = (m["ampm"] or "").lower().replace(".", "").replace(" ", "")
    hour = hour + 12 if ampm == "pm" and hour < 12 else 0 if ampm == "am" and hour == 12 else hour
    return (month, day, dt.time(hour, int(m["M"]))) if hour < 24 else (month, day, None)


def _reference(page: Page, others: list[DateCandidate]):
    """(date, is_modified) or (year, False): what the page says of its time besides the yearless
    line, strongest first: its own full date statements, a year in its URL path, htmldate's guess
    of any date on it, the year of its copyright line."""
    own = [c for c in others if c.source not in ("header", "htmldate")]
    if own:
        best = max(own, key=lambda c: c.confidence)
        return best.day, best.kind == "modified"
    m = _URL_YEAR.search(urlsplit(page.url).path + "/")
    if m:
        return int(m[1]), False
    from crawler.extract.dates.fallback import copyright_years, htmldate_candidate
    from crawler.extract.dates.page import pruned_copy

    guess = htmldate_candidate(pruned_copy(page.tree, page.url), page.url)
    if guess is not None:
        return guess.day, False
    years = copyright_years(page.tree)
    return (max(years), False) if years else None


def _in_year(month: int, day: int, reference) -> dt.date | None:
    """The day in the year nearest to ``reference``: a date (not after it when it is a
    modified date, and within MAX_REACH days) or a year."""
    if reference is None:
        return None
    ref, modified = reference
    if isinstance(ref, int):
        return _date(ref, month, day)
    options = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _date(y, month, day)) is not None
               and abs((d - ref).days) <= MAX_REACH and not (modified and d > ref)]
    return min(options, key=lambda d: (abs((d - ref).days), d > ref)) if options else None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
