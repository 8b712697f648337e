"""Dates as sentences and sources mention them, at the precision they are written.

"31. Januar 2026", "January 31, 2026", "31 января 2026 года" and "31.01.2026"
name a day; "im September 2022" and "в сентябре 2022 года" a month; "Ende
2025", "late 2025" and "в конце 2025 года" a part of a year; "2001" a year.
A claim is borne out by a mention inside it: "Ende 2025" by 18 December 2025,
"Januar 2026" by January 9, 2026, but "31. Januar 2026" only by that day.
Month names come from the table that reads footnote dates (German, English,
French, Russian, Ukrainian, with the case endings Slavic dates use).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from crawler.citing.claims import MONTHS

# -- patterns (data) ----------------------------------------------------------

MONTH_FORMS = dict(MONTHS)
MONTH_FORMS.update({  # nominative and locative forms Slavic text uses for a month without a day
    "январь": 1, "январе": 1, "февраль": 2, "феврале": 2, "март": 3, "марте": 3, "апрель": 4, "апреле": 4,
    "май": 5, "мае": 5, "июнь": 6, "июне": 6, "июль": 7, "июле": 7, "август": 8, "августе": 8,
    "сентябрь": 9, "сентябре": 9, "октябрь": 10, "октябре": 10, "ноябрь": 11, "ноябре": 11,
    "декабрь": 12, "декабре": 12, "січень": 1, "січні": 1, "лютий": 2, "лютому": 2, "березень": 3,
    "березні": 3, "квітень": 4, "квітні": 4, "травень": 5, "травні": 5, "червень": 6, "червні": 6,
    "липень": 7, "липні": 7, "серпень": 8, "серпні": 8, "вересень": 9, "вересні": 9, "жовтень": 10,
    "жовтні": 10, "листопад": 11, "листопаді": 11, "грудень": 12, "грудні": 12, "sept": 9,
})
_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
_YEAR = r"(?P<year>(?:18|19|20)\d\d)(?:\s?(?:г|р)\.|\s(?:года|году|року|рік|р\.))?"
DAY_PATTERNS = (
    re.compile(rf"(?<!\d)(?P<day>\d{{1,2}})\.?\s+(?:of\s+)?{_MONTH}\s+{_YEAR}"),  # 31. Januar 2026, 31 января 2026
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}"),  # January 31, 2026
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<monthnum>\d{1,2})\.(?P<year>(?:18|19|20)\d\d)(?!\d)"),  # 31.01.2026
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<monthnum>\d\d)-(?P<day>\d\d)(?!\d)"),  # 2026-01-31
)
MONTH_PATTERN = re.compile(rf"(?<![\w.]){_MONTH}\s+(?:of\s+)?{_YEAR}")
YEAR_PATTERN = re.compile(r"(?<![\d.,/-])(?P<year>(?:18|19|20)\d\d)(?![\d%]|[.,]\d)")
PARTS = {  # part of a year -> the months it covers
    "early": (1, 4), "mid": (5, 8), "late": (9, 12),
}
PART_WORDS = {
    "early": ("anfang", "early", "beginning of", "start of", "в начале", "начало", "на початку", "початок"),
    "mid": ("mitte", "mid", "middle of", "в середине", "середина", "в середині", "посередині"),
    "late": ("ende", "end of", "late", "the end of", "в конце", "к концу", "конец", "наприкінці", "в кінці",
             "кінець", "на кінець", "до кінця", "by the end of", "zum jahresende"),
}
PART_PATTERN = re.compile(
    r"(?P<part>" + "|".join(sorted((re.escape(w) for ws in PART_WORDS.values() for w in ws), key=len, reverse=True))
    + r")[-\s]+(?:des\s+jahres\s+|of\s+)?" + _YEAR, re.I)


@dataclass(frozen=True)
class DateMention:
    """A date as written, at its precision: a day, a month, a part of a year, or a year."""

    precision: str  # "day" | "month" | "part" | "year"
    year: int
    month: int | None
    day: int | None
    start: int
    end: int
    text: str
    part: str | None = None  # "early" | "mid" | "late"

    def months(self) -> tuple[int, int]:
        """The first and last month the mention covers."""
        if self.month:
            return self.month, self.month
        return PARTS[self.part] if self.part else (1, 12)


def mentions(text: str) -> list[DateMention]:
    """Every date in ``text``, the most precise reading of each span first, spans not overlapping."""
    found: list[DateMention] = []
    for pattern in DAY_PATTERNS:
        for match in pattern.finditer(text):
            mention = _day(match, text)
            if mention:
                _add(found, mention)
    for match in PART_PATTERN.finditer(text):
        part = next(k for k, words in PART_WORDS.items() if match["part"].casefold() in words)
        _add(found, DateMention("part", int(match["year"]), None, None, match.start(), match.end(), match[0], part))
    for match in MONTH_PATTERN.finditer(text):
        month = MONTH_FORMS.get(match["month"].casefold())
        if month:
            _add(found, DateMention("month", int(match["year"]), month, None, match.start(), match.end(), match[0]))
    for match in YEAR_PATTERN.finditer(text):
        _add(found, DateMention("year", int(match["year"]), None, None, match.start(), match.end(), match[0]))
    return sorted(found, key=lambda m: m.start)


def _day(match: re.Match, text: str) -> DateMention | None:
    groups = match.groupdict()
    month = int(groups["monthnum"]) if groups.get("monthnum") else MONTH_FORMS.get(groups["month"].casefold())
    if not month:
        return None
    try:
        dt.date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None
    return DateMention("day", int(match["year"]), month, int(match["day"]), match.start(), match.end(), match[0])


def _add(found: list[DateMention], mention: DateMention) -> None:
    if not any(m.start < mention.end and mention.start < m.end for m in found):
        found.append(mention)


def covers(claim: DateMention, stated: DateMention) -> bool:
    """Does the source's date bear out the sentence's at the sentence's precision?"""
    if claim.year != stated.year:
        return False
    if claim.precision == "year":
        return True
    if claim.precision == "day":
        return stated.precision == "day" and (stated.month, stated.day) == (claim.month, claim.day)
    first, last = claim.months()
    if stated.precision in ("day", "month"):
        return first <= stated.month <= last
    if stated.precision == "part":
        return claim.precision == "part" and stated.part == claim.part
    return False


def contradicts(claim: DateMention, stated: DateMention) -> bool:
    """A date of the same precision that is another one ("14 January" against "16 January")."""
    if claim.precision == "day":
        return stated.precision == "day" and not covers(claim, stated)
    if claim.precision == "month":
        return stated.precision in ("day", "month") and not covers(claim, stated)
    if claim.precision == "part":
        return stated.precision in ("part", "month", "day") and not covers(claim, stated)
    return claim.precision == "year" and stated.precision == "year" and stated.year != claim.year


WEEKDAYS = {  # Monday is 0, as datetime counts
    0: ("monday", "montag", "понедельник", "понеділок"), 1: ("tuesday", "dienstag", "вторник", "вівторок"),
    2: ("wednesday", "mittwoch", "среду", "среда", "середу", "середа"), 3: ("thursday", "donnerstag", "четверг", "четвер"),
    4: ("friday", "freitag", "пятницу", "пятница", "п'ятницю", "п’ятницю"),
    5: ("saturday", "samstag", "sonnabend", "субботу", "суббота", "суботу", "субота"),
    6: ("sunday", "sonntag", "воскресенье", "неділю", "неділя"),
}
WEEKDAY = {word: n for n, words in WEEKDAYS.items() for word in words}
WEEKDAY_PATTERN = re.compile(r"(?<!\w)(?:on|am|во|в|у)\s+(?P<day>[^\W\d_]+(?:['’][^\W\d_]+)?)(?!\w)", re.I)


def weekdays(text: str, published: dt.date | None) -> list[DateMention]:
    """"On Tuesday" in a text dated Wednesday 4 March 2026 is 3 March 2026: news name the day of the week
    for days of the week before their own date (a text without a date of its own names no day by them)."""
    if published is None:
        return []
    found = []
    for match in WEEKDAY_PATTERN.finditer(text):
        weekday = WEEKDAY.get(match["day"].casefold())
        if weekday is None:
            continue
        day = published - dt.timedelta(days=(published.weekday() - weekday) % 7)
        found.append(DateMention("day", day.year, day.month, day.day, match.start(), match.end(), match[0]))
    return found


BARE_MONTH = re.compile(r"(?<!\w)(?:in|im|в|у|во|since|seit|с|з)\s+(?P<month>[^\W\d_]{3,10})(?!\s+(?:18|19|20)\d\d)(?!\w)",
                        re.I)


def bare_months(text: str, found: list[DateMention]) -> list[DateMention]:
    """"в сентябре" in a sentence that names one year ("Осенью 2022 года … в сентябре") is that year's
    September: a month without its year, read as the sentence reads it."""
    years = {m.year for m in found}
    if len(years) != 1:
        return []
    year = years.pop()
    out = []
    for match in BARE_MONTH.finditer(text):
        month = MONTH_FORMS.get(match["month"].casefold())
        if month and not any(m.start <= match.start() < m.end for m in found):
            out.append(DateMention("month", year, month, None, match.start(), match.end(), match[0]))
    return out
