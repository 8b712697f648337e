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
# Hungarian, Turkish (and its dotless-i spellings), Kazakh in Cyrillic and in both Latin alphabets,
# Arabic (Egyptian/Gulf, Levantine, Maghreb), Persian names of the Gregorian months
_MORE_MONTHS = {
    1: "január ocak қаңтар qańtar qañtar يناير كانون_الثاني جانفي ژانویه",
    2: "február şubat subat ақпан aqpan فبراير شباط فيفري فوریه",
    3: "március mart наурыз naýryz nauryz nawrız naurız مارس آذار",
    4: "április nisan сәуір sáýir säuir sauir أبريل ابريل إبريل نيسان أفريل افريل آوریل",
    5: "május mayıs mayis мамыр mamyr مايو أيار ايار ماي مه",
    6: "június haziran маусым maýsym mausym يونيو حزيران جوان ژوئن",
    7: "július temmuz шілде shilde şilde şılde يوليو تموز يوليوز جويلية ژوئیه جولای",
    8: "augusztus ağustos agustos тамыз tamyz أغسطس اغسطس آب غشت أوت اوت آگوست",
    9: "szeptember eylül eylul қыркүйек qyrkúiek qyrküiek qırküyek سبتمبر أيلول ايلول شتنبر سپتامبر",
    10: "október ekim қазан qazan أكتوبر اكتوبر تشرين_الأول تشرين_الاول اکتبر",
    11: "kasım kasim қараша qarasha qaraşa نوفمبر تشرين_الثاني نونبر نوامبر",
    12: "december aralık aralik желтоқсан jeltoqsan ديسمبر كانون_الأول كانون_الاول دجنبر دسامبر",
}
MONTH_NAMES: dict[str, int] = {
    name: num for table in (_MONTHS, _MORE_MONTHS) for num, names in table.items() for name in names.split()
}
# the Persian (Solar Hijri) calendar's months, with Arabic-keyboard spellings (ي for ی)
JALALI_MONTHS: dict[str, int] = {
    name: num for num, names in {
        1: "فروردین فروردين", 2: "اردیبهشت ارديبهشت", 3: "خرداد", 4: "تیر تير", 5: "مرداد امرداد",
        6: "شهریور شهريور", 7: "مهر", 8: "آبان ابان", 9: "آذر", 10: "دی دي", 11: "بهمن", 12: "اسفند",
    }.items() for name in names.split()
}
# two-word month names, written as one word of the same length for the regexes
_SPACED_MONTHS = re.compile("(كانون|تشرين) (الثاني|الأول|الاول)")
# Arabic-Indic, Persian and full-width digits, read as ASCII digits (one character each)
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", "0123456789" * 3)
_NON_ASCII_DIGITS = re.compile("[٠-٩۰-۹０-９]")


def normalized(text: str) -> str:
    """The text with other scripts' digits as ASCII and "كانون الثاني" as one word; same length."""
    if _NON_ASCII_DIGITS.search(text):
        text = text.translate(DIGITS)
    if "كانون" in text or "تشرين" in text:
        text = _SPACED_MONTHS.sub(r"\1_\2", text)
    return text

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
_WORD = r"(?P<mon>[^\W\d]{2,14})\.?"
NAMED_DMY_RE = re.compile(
    r"(?<!\d)(?P<d>[0-3]?\d)(?:\.|er|st|nd|rd|th|º)?\s*(?:de\s+|of\s+)?" + _WORD
    + r",?\s*(?:de\s+|del\s+)?(?P<y>(?:19|20)\d{2})(?!\d)(?:\s*(?:г\.?|р\.?|року|года))?"
    + _TIME, re.I
)
NAMED_MDY_RE = re.compile(
    _WORD + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})(?!\d)" + _TIME,
    re.I,
)
# year first: Kazakh "2026 жылғы 19 ақпан", Hungarian "2026. február 19."
NAMED_YDM_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:жылғы|жыл|jylǵy|jyly|jılı)\s+(?P<d>[0-3]?\d)\s+" + _WORD, re.I)
NAMED_YMD_RE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\.\s+" + _WORD + r"\s+(?P<d>[0-3]?\d)\.(?!\d)", re.I)
# Chinese, Japanese, Korean: 2026年2月19日 14:05, 2026년 2월 19일 (a weekday in brackets may follow)
CJK_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[年년]\s*(?P<m>[01]?\d)\s*[月월]\s*(?P<d>[0-3]?\d)\s*[日일]?"
    r"(?:\s*[(（][^)）]{1,3}[)）])?(?:\s*(?P<H>[0-2]?\d)\s*[:時시]\s*(?P<M>[0-5]\d)(?P<S>)(?P<ampm>)(?P<tz>))?")
# Persian solar dates: "۲ تیر ۱۳۹۹" (digits already ASCII), and numeric 1399/04/02 on Persian pages
JALALI_DMY_RE = re.compile(r"(?<!\d)(?P<d>[0-3]?\d)\s+(?P<mon>[^\W\d]{2,10})\s+(?P<y>1[34]\d{2})(?!\d)")
JALALI_YMD_RE = re.compile(r"(?<!\d)(?P<y>1[34]\d{2})[/.-](?P<m>[01]?\d)[/.-](?P<d>[0-3]?\d)(?!\d)")


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


def _jalali(y: int, m: int, d: int) -> dt.date | None:
    """A Persian solar date as its Gregorian day."""
    import jdatetime  # the maintained Jalali calendar; loaded only for such dates

    try:
        day = jdatetime.date(y, m, d).togregorian()
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def first_date(text: str, month_first: bool = False,
               lang: str | None = None) -> tuple[dt.date | dt.datetime, int] | None:
    """The earliest full date in a text, with where it starts."""
    hit = date_span(text, month_first, lang)
    return (hit[0], hit[1]) if hit else None


_LATIN_REGEXES = (ISO_RE, YMD_RE, DMY_RE, NAMED_DMY_RE, NAMED_MDY_RE)
_OTHER_REGEXES = (NAMED_YDM_RE, NAMED_YMD_RE, CJK_RE, JALALI_DMY_RE)
# a character of the scripts (or of the words) only _OTHER_REGEXES read
_OTHER_SCRIPT = re.compile(r"[年년\u0600-\u06ff]|(?:19|20)\d\d\.\s+[^\W\d]|жыл|jyl|jıl", re.I)


def date_span(text: str, month_first: bool = False,
              lang: str | None = None) -> tuple[dt.date | dt.datetime, int, int] | None:
    """The earliest full date in a text, with where it starts and ends. The year-first and
    CJK, Arabic and Persian forms are tried only on text with such characters."""
    text = normalized(text)
    regexes = _LATIN_REGEXES + _OTHER_REGEXES if _OTHER_SCRIPT.search(text) else _LATIN_REGEXES
    if lang == "fa":
        regexes += (JALALI_YMD_RE,)
    best = None
    for regex in regexes:
        for m in regex.finditer(text):
            if best is not None and m.start() >= best[1]:
                break
            value = _from_match(regex, m, month_first)
            if value is not None:
                best = (value, m.start(), m.end())
                break
    return best


def _from_match(regex: re.Pattern, m: re.Match, month_first: bool):
    if regex is ISO_RE or regex is YMD_RE or regex is CJK_RE:
        return _make(int(m["y"]), int(m["m"]), int(m["d"]), m)
    if regex is JALALI_YMD_RE:
        return _jalali(int(m["y"]), int(m["m"]), int(m["d"]))
    if regex is JALALI_DMY_RE:
        month = JALALI_MONTHS.get(m["mon"])
        return _jalali(int(m["y"]), month, int(m["d"])) if month else None
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
        hit = first_date(text, month_first, lang)
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
