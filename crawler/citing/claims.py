"""Read a footnote's date claim ("letzte Aktualisierung 23.02.2026", "unknown").

Footnotes state dates in a handful of German and English conventions. The
day/month order of each convention is fixed here, never guessed: a claim that
could be read two ways (05/03/2026) is refused rather than interpreted, because
a wrong reading would turn a correct footnote into a false "date mismatch".
"""

from __future__ import annotations

import datetime as dt
import re

from crawler.models import ClaimedDate

# -- patterns (data) ----------------------------------------------------------

# What may precede the date: "letzte Aktualisierung", "Stand:", "accessed" ...
LABEL = re.compile(
    r"""^(?:
        letzte\s+aktualisierung(?:\s+am)? | zuletzt\s+aktualisiert(?:\s+am)? |
        aktualisiert(?:\s+am)? | stand | abgerufen(?:\s+am)? |
        zuletzt\s+(?:aufgerufen|abgerufen)(?:\s+am)? | zugriff(?:\s+am)? |
        last\s+updated(?:\s+on)? | updated(?:\s+on)? | last\s+modified |
        (?:last\s+)?accessed(?:\s+on)? | retrieved(?:\s+on)? | as\s+of
    )\s*:?\s*""",
    re.IGNORECASE | re.VERBOSE,
)

# Compared lower-cased, without spaces and trailing dots: "n. d." -> "n.d".
UNKNOWN = {"unknown", "unbekannt", "n.d", "nd", "nodate", "o.d", "ohnedatum"}

MONTHS = {
    # German
    "januar": 1, "jänner": 1, "jan": 1, "jän": 1,
    "februar": 2, "feber": 2, "feb": 2,
    "märz": 3, "maerz": 3, "mär": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "mai": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
    # English (only those not spelled the same in German)
    "january": 1, "february": 2, "march": 3, "mar": 3, "may": 5, "june": 6,
    "july": 7, "october": 10, "oct": 10, "december": 12, "dec": 12,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "févr": 2, "mars": 3, "avril": 4, "avr": 4, "juin": 6,
    "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12, "déc": 12,
    # Russian (dates name the month in the genitive: "19 февраля 2026"; GOST abbreviates: "19 февр.")
    "января": 1, "янв": 1, "февраля": 2, "февр": 2, "фев": 2, "марта": 3, "мар": 3, "апреля": 4,
    "апр": 4, "мая": 5, "июня": 6, "июн": 6, "июля": 7, "июл": 7, "августа": 8, "авг": 8,
    "сентября": 9, "сент": 9, "сен": 9, "октября": 10, "окт": 10, "ноября": 11, "нояб": 11, "ноя": 11,
    "декабря": 12, "дек": 12,
    # Ukrainian (genitive likewise: "31 січня 2026")
    "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6, "липня": 7,
    "серпня": 8, "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
}

_MONTH = r"(?P<month>[^\W\d_]+)\.?"  # any letters: the month table decides
_DAY = r"(?P<day>\d{1,2})(?:\.|st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})(?:\s?(?:г|р)\.?|\s(?:года|року))?"  # "2026 г.", "2026 року"

# Each pattern fixes which group is the day and which the month.
DATE_PATTERNS = (
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$"),  # ISO 8601
    re.compile(r"^(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>\d{4})$"),  # 23.02.2026
    re.compile(rf"^{_DAY}\s+{_MONTH}\s+{_YEAR}$"),  # 1. März 2026, 5 March 2026
    re.compile(rf"^{_MONTH}\s+{_DAY},?\s+{_YEAR}$"),  # March 5, 2026
)

AMBIGUOUS = re.compile(r"^\d{1,4}/\d{1,2}/\d{1,4}$")
TRAILING_DOT = re.compile(r"(\d{4})\.$")  # "19.02.2026." ends a sentence
SHORT_YEAR = re.compile(r"^\d{1,2}\.\s?\d{1,2}\.\s?\d{2}$")

EXAMPLES = "23.02.2026, 2026-02-23, 1. März 2026, 5 March 2026, March 5, 2026 or unknown"


# -- logic ----------------------------------------------------------------------


def parse_claim(text: str | dt.date | None) -> ClaimedDate | None:
    """A claim as written in citations.yaml; None when the footnote states no date.

    Raises ValueError with the offending text when the claim cannot be read.
    """
    if text is None:
        return None
    if isinstance(text, dt.datetime):
        text = text.date()
    if isinstance(text, dt.date):
        return ClaimedDate(raw=text.isoformat(), value=text)
    if not isinstance(text, str):
        raise ValueError(f"a date claim must be text or a date, got {type(text).__name__}")
    raw = " ".join(text.split())
    if not raw:
        raise ValueError("empty date claim (write 'unknown', or leave the claim out)")
    body = _strip_label(raw)
    if _is_unknown(body):
        return ClaimedDate(raw=raw, unknown=True)
    return ClaimedDate(raw=raw, value=_parse_day(body, raw))


def _strip_label(raw: str) -> str:
    return TRAILING_DOT.sub(r"\1", LABEL.sub("", raw, count=1).strip())


def _is_unknown(body: str) -> bool:
    return body.lower().rstrip(".").replace(" ", "") in UNKNOWN


def _parse_day(body: str, raw: str) -> dt.date:
    if AMBIGUOUS.match(body):
        raise ValueError(
            f"{raw!r}: slash-separated dates are refused: their day/month order is "
            "ambiguous; write DD.MM.YYYY or YYYY-MM-DD"
        )
    if SHORT_YEAR.match(body):
        raise ValueError(f"{raw!r}: two-digit year; write the year in full, e.g. 23.02.2026")
    for pattern in DATE_PATTERNS:
        match = pattern.match(body)
        if match:
            return _build(match, raw)
    raise ValueError(f"unrecognised date claim {raw!r}; expected e.g. {EXAMPLES}")


def _build(match: re.Match, raw: str) -> dt.date:
    month = _month_number(match["month"], raw)
    day, year = int(match["day"]), int(match["year"])
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(
            f"{raw!r} is not a calendar date (day {day}, month {month}, year {year})"
        ) from None


def _month_number(token: str, raw: str) -> int:
    if token.isdigit():
        return int(token)
    number = MONTHS.get(token.lower())
    if number is None:
        raise ValueError(f"{raw!r}: unknown month name {token!r}")
    return number


def claimed_text(claim: ClaimedDate | None) -> str | None:
    """The claim as the report shows it: an ISO day, "unknown", or None."""
    if claim is None:
        return None
    if claim.unknown or claim.value is None:
        return "unknown"
    return claim.value.isoformat()
