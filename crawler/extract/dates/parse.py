"""Turn the text of a date into a date, fast.

ISO, numeric and month-name forms are read with regexes and a month table,
because dateparser costs milliseconds per call and a page may state dozens of
dates; dateparser is only the fallback for labelled phrases the fast paths
cannot read. An ISO value keeps the page's own UTC offset so its calendar day
is the one the page's readers see.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

MIN_YEAR = 1995
MAX_YEAR = 2100

_MONTHS = {
    1: "january jan januar jänner jän janvier janv enero ene gennaio genn gen janeiro "
       "januari januar январь января янв січень січня січ stycznia",
    2: "february feb febr februar février févr fevrier fevr febrero febbraio fevereiro "
       "fev februari февраль февраля фев лютий лютого лют lutego",
    3: "march mar märz mär maerz mars marzo março marco maart март марта мар березень "
       "березня бер marca",
    4: "april apr avril avr abril abr aprile квітень квітня апрель апреля апр кві квіт "
       "kwietnia",
    5: "may mai mayo maggio mag maio mei май мая травень травня тра maja",
    6: "june jun juni juin junio giugno giu junho июнь июня июн червень червня чер "
       "czerwca",
    7: "july jul juli juillet juil julio luglio lug julho июль июля июл липень липня лип "
       "lipca",
    8: "august aug août aout agosto ago augustus август августа авг серпень серпня "
       "сер sierpnia",
    9: "september sep sept septembre septiembre setiembre settembre set setembro "
       "сентябрь сентября сен сент вересень вересня вер września",
    10: "october oct oktober okt octobre octubre ottobre ott outubro out октябрь "
        "октября окт жовтень жовтня жов października",
    11: "november nov novembre noviembre novembro ноябрь ноября ноя листопад "
        "листопада лис listopada",
    12: "december dec dezember dez décembre decembre diciembre dic dicembre "
        "dezembro декабрь декабря дек грудень грудня гру grudnia",
}
MONTH_NAMES: dict[str, int] = {
    name: num for num, names in _MONTHS.items() for name in names.split()
}

_OFFSET = r"(?P<tz>Z|[+-]\d{2}(?::?\d{2})?|\s?(?:UTC|GMT)(?:\s?[+-]\d{1,2}(?::?\d{2})?)?)?"
_TIME = (
    r"(?:[T\s,]+(?:at\s+|um\s+|à\s+|в\s+|о\s+|alle\s+|a\s+las\s+)?"
    r"(?P<H>[0-2]?\d)[:.h](?P<M>[0-5]\d)(?::(?P<S>[0-5]\d)(?:[.,]\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?\s*" + _OFFSET + ")?"
)
ISO_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)" + _TIME, re.I
)
ISO_COMPACT_RE = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?:\d{4,6})?$")
DMY_RE = re.compile(
    r"(?<![\d.])(?P<a>[0-3]?\d)\s?(?P<sep>[./])\s?(?P<b>[01]?\d)\s?(?P=sep)\s?"
    r"(?P<y>(?:19|20)\d{2}|\d{2})(?![\d])" + _TIME, re.I
)
YMD_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<sep>[./])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?!\d)"
    + _TIME
)
_WORD = r"(?P<mon>[^\W\d_]{3,12})\.?"
NAMED_DMY_RE = re.compile(
    r"(?<!\d)(?P<d>[0-3]?\d)(?:\.|er|st|nd|rd|th|º)?\s*(?:de\s+|of\s+)?" + _WORD
    + r",?\s*(?:de\s+|del\s+)?(?P<y>(?:19|20)\d{2})(?!\d)(?:\s*(?:г\.?|р\.?|року|года))?"
    + _TIME, re.I
)
NAMED_MDY_RE = re.compile(
    _WORD + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})(?!\d)" + _TIME,
    re.I,
)


def _make(y: int, m: int, d: int, match: re.Match | None = None) -> dt.date | dt.datetime | None:
    """A date, or a datetime when the text gave a time (aware if it gave an offset)."""
    if not (MIN_YEAR <= y <= MAX_YEAR):
        return None
    try:
        day = dt.date(y, m, d)
    except ValueError:
        return None
    if match is None or not match.groupdict().get("H"):
        return day
    hour, minute = int(match["H"]), int(match["M"])
    second = int(match["S"] or 0)
    ampm = (match["ampm"] or "").lower().replace(".", "").replace(" ", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23:
        return day
    return dt.datetime(y, m, d, hour, minute, second, tzinfo=_tz(match["tz"]))


def _tz(text: str | None) -> dt.timezone | None:
    if not text:
        return None
    text = text.strip().upper().removeprefix("UTC").removeprefix("GMT").strip()
    if text in ("Z", ""):
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    if len(digits) in (1, 3):  # "GMT+5", "GMT+530"
        digits = "0" + digits
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14:
        return None
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def parse_iso(text: str) -> dt.date | dt.datetime | None:
    """ISO 8601 and its common variants ("2021-07-27 11:14:58Z", "20190418")."""
    text = text.strip()
    m = ISO_RE.search(text[:40])
    if m:
        return _make(int(m["y"]), int(m["m"]), int(m["d"]), m)
    m = ISO_COMPACT_RE.match(text)
    if m:
        return _make(int(m["y"]), int(m["m"]), int(m["d"]))
    return None


def _year(text: str) -> int:
    """Two digits as strptime's %y reads them: 69-99 are 19xx ("Stand: 01.02.98" is 1998, not 2098)."""
    year = int(text)
    return year if year >= 100 else year + (1900 if year >= 69 else 2000)


def parse_numeric(text: str, month_first: bool = False) -> dt.date | dt.datetime | None:
    """19.02.2026, 19/02/2026, 2026/02/19; slashes are month-first on US pages."""
    m = YMD_RE.search(text)
    if m:
        return _make(int(m["y"]), int(m["m"]), int(m["d"]), m)
    m = DMY_RE.search(text)
    if not m:
        return None
    if len(m["y"]) == 2 and m["sep"] != ".":
        return None
    a, b = int(m["a"]), int(m["b"])
    if m["sep"] == "/" and (month_first and a <= 12 or b > 12):
        a, b = b, a
    return _make(_year(m["y"]), b, a, m)


def parse_named(text: str) -> dt.date | dt.datetime | None:
    """Day, month name and year in any order a page writes them."""
    for regex in (NAMED_DMY_RE, NAMED_MDY_RE):
        for m in regex.finditer(text):
            month = MONTH_NAMES.get(m["mon"].lower())
            if month:
                return _make(int(m["y"]), month, int(m["d"]), m)
    return None


def first_date(text: str, month_first: bool = False) -> tuple[dt.date | dt.datetime, int] | None:
    """The earliest full date in a text, with where it starts."""
    hit = date_span(text, month_first)
    return (hit[0], hit[1]) if hit else None


def date_span(text: str, month_first: bool = False) -> tuple[dt.date | dt.datetime, int, int] | None:
    """The earliest full date in a text, with where it starts and ends."""
    best = None
    for regex in (ISO_RE, YMD_RE, DMY_RE, NAMED_DMY_RE, NAMED_MDY_RE):
        for m in regex.finditer(text):
            if best is not None and m.start() >= best[1]:
                break
            value = _from_match(regex, m, month_first)
            if value is not None:
                best = (value, m.start(), m.end())
                break
    return best


def _from_match(regex: re.Pattern, m: re.Match, month_first: bool):
    if regex is ISO_RE or regex is YMD_RE:
        return _make(int(m["y"]), int(m["m"]), int(m["d"]), m)
    if regex is DMY_RE:
        return parse_numeric(m.group(0), month_first)
    month = MONTH_NAMES.get(m["mon"].lower())
    return _make(int(m["y"]), month, int(m["d"]), m) if month else None


def parse_date(text: str, lang: str | None = None, month_first: bool = False,
               slow: bool = False) -> dt.date | dt.datetime | None:
    """The first full date in a short text; dateparser only when ``slow``."""
    text = text.strip()
    if not text:
        return None
    found = parse_iso(text)
    if found is None:
        hit = first_date(text, month_first)
        found = hit[0] if hit else None
    if found is None and slow:
        found = _dateparser(text[:60], lang)
    return found


_DP_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": False,
}


@lru_cache(maxsize=4096)
def _dateparser(text: str, lang: str | None) -> dt.date | None:
    """Slow multilingual fallback, limited to the page's language when known."""
    import dateparser  # imported late: loading it costs ~0.3 s

    languages = [lang] if lang and lang in _dp_languages() else None
    try:
        value = dateparser.parse(text, languages=languages, settings=_DP_SETTINGS)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if value is None or not (MIN_YEAR <= value.year <= MAX_YEAR):
        return None
    return value.date()


@lru_cache(maxsize=1)
def _dp_languages() -> frozenset[str]:
    from dateparser.languages import default_loader

    return frozenset(default_loader.get_locale_map())
