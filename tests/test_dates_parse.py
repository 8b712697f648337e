"""Fast date parsing: ISO with the page's offset, numeric orders, month names."""

import datetime as dt

import pytest

from crawler.extract.dates import extract_dates
from crawler.extract.dates.parse import date_span, first_date, parse_date, parse_iso, parse_numeric


def tz(hours, minutes=0):
    return dt.timezone(dt.timedelta(hours=hours, minutes=minutes))


@pytest.mark.parametrize("raw, expected", [
    ("2026-02-26T09:12:44+05:00", dt.datetime(2026, 2, 26, 9, 12, 44, tzinfo=tz(5))),
    ("2021-07-27 11:14:58Z", dt.datetime(2021, 7, 27, 11, 14, 58, tzinfo=dt.timezone.utc)),
    ("2019-06-17T18:28:00+0200", dt.datetime(2019, 6, 17, 18, 28, tzinfo=tz(2))),
    ("2026-02-18T23:30:00-05:00", dt.datetime(2026, 2, 18, 23, 30, tzinfo=tz(-5))),
    ("2020-01-01T10:00:00.000+05:30", dt.datetime(2020, 1, 1, 10, 0, tzinfo=tz(5, 30))),
    ("2023-11-08 17:49:09", dt.datetime(2023, 11, 8, 17, 49, 9)),
    ("2024-08-19", dt.date(2024, 8, 19)),
    ("20190418", dt.date(2019, 4, 18)),
])
def test_iso_keeps_the_page_offset(raw, expected):
    value = parse_iso(raw)
    assert value == expected
    assert type(value) is type(expected)
    if isinstance(expected, dt.datetime):
        assert value.utcoffset() == expected.utcoffset()


def test_day_is_the_local_day_not_utc():
    value = parse_iso("2026-02-18T23:30:00-05:00")
    assert value.date() == dt.date(2026, 2, 18)


@pytest.mark.parametrize("raw", ["2026-13-01", "2026-02-30", "1890-01-01", "not a date", ""])
def test_iso_rejects_impossible(raw):
    assert parse_iso(raw) is None


@pytest.mark.parametrize("raw, month_first, expected", [
    ("19.02.2026", False, dt.date(2026, 2, 19)),
    ("19. 8. 2024", False, dt.date(2024, 8, 19)),
    ("02/03/2026", False, dt.date(2026, 3, 2)),
    ("02/03/2026", True, dt.date(2026, 2, 3)),
    ("25/03/2026", True, dt.date(2026, 3, 25)),  # no 25th month: day first after all
    ("2026/02/19", False, dt.date(2026, 2, 19)),
    ("19.02.26", False, dt.date(2026, 2, 19)),
    ("01.02.98", False, dt.date(1998, 2, 1)),
])
def test_numeric_orders(raw, month_first, expected):
    assert parse_numeric(raw, month_first) == expected


def test_two_digit_year_only_with_dots():
    assert parse_numeric("02/03/26") is None


@pytest.mark.parametrize("raw, expected", [
    ("19 февраля 2026, 14:05", dt.datetime(2026, 2, 19, 14, 5)),
    ("February 19, 2026, 2:05 pm", dt.datetime(2026, 2, 19, 14, 5)),
    ("14 лютого 2026, 09:15", dt.datetime(2026, 2, 14, 9, 15)),
    ("3. März 2025", dt.date(2025, 3, 3)),
    ("5 janvier 2024", dt.date(2024, 1, 5)),
    ("3 de marzo de 2025", dt.date(2025, 3, 3)),
    ("12 gennaio 2026", dt.date(2026, 1, 12)),
    ("Nov. 8, 2023, 10:28 p.m. ET", dt.datetime(2023, 11, 8, 22, 28)),
    ("Tue, 14 Jan 2020", dt.date(2020, 1, 14)),
    ("Monday, 6 January 2020", dt.date(2020, 1, 6)),
    ("19 февраля 2026 г.", dt.date(2026, 2, 19)),
    ("13 окт. 2024, 14:05", dt.datetime(2024, 10, 13, 14, 5)),  # abbreviated, as Russian sites print them
    ("5 ноя 2024", dt.date(2024, 11, 5)),
    ("7 сент. 2024", dt.date(2024, 9, 7)),
    ("13. Mär. 2025", dt.date(2025, 3, 13)),
    ("3 квіт. 2025", dt.date(2025, 4, 3)),
])
def test_month_names_in_many_languages(raw, expected):
    assert parse_date(raw) == expected


def test_first_date_reports_where_it_starts():
    value, start = first_date("by Ruth on April 3, 2025 and 4 April 2025")
    assert (value, start) == (dt.date(2025, 4, 3), 11)


def test_slow_path_reads_what_fast_paths_cannot():
    assert parse_date("le 1er mars 2025") == dt.date(2025, 3, 1)
    assert parse_date("vor drei Tagen") is None
    assert parse_date("23 Μαρτίου 2025", lang="el") is None
    assert parse_date("23 Μαρτίου 2025", lang="el", slow=True) == dt.date(2025, 3, 23)


def test_no_html_still_reads_url_and_header():
    dates = extract_dates(b"", "https://example.com/2024/08/19/post",
                          {"last-modified": "Wed, 21 Aug 2024 10:00:00 GMT"})
    assert dates.published.day == dt.date(2024, 8, 19)
    assert dates.modified is None  # the header is evidence only
    header = [c for c in dates.candidates if c.source == "header"]
    assert header[0].day == dt.date(2024, 8, 21) and header[0].confidence < 0.5


def test_htmldate_gets_a_tree_never_the_url_string(monkeypatch):
    import htmldate

    seen = []

    def fake_find_date(obj, **kwargs):
        seen.append((obj, kwargs))
        return "2025-05-14"

    monkeypatch.setattr(htmldate, "find_date", fake_find_date)
    page = b"<html><body><h1>Hi</h1><p>Text without a date.</p></body></html>"
    dates = extract_dates(page, "https://example.com/a")
    assert len(seen) == 1
    assert not isinstance(seen[0][0], (str, bytes))
    assert seen[0][1]["url"] == "https://example.com/a"
    assert (dates.published.source, dates.published.day) == ("htmldate", dt.date(2025, 5, 14))


def test_labelled_phrase_in_a_language_without_fast_month_names():
    page = ('<html lang="tr"><body><article><h1>Haber</h1>'
            '<p>Yayınlanma: 23 Mart 2025</p><p>Güncellendi: 24 Mart 2025</p>'
            '<p class="x">Published: 23 Mart 2025</p></article></body></html>')
    dates = extract_dates(page, "https://example.com.tr/haber")
    assert dates.published.day == dt.date(2025, 3, 23)
    assert dates.published.source == "text"


@pytest.mark.parametrize("text, lang, expected", [
    ("2026年2月19日 14:05", "ja", dt.datetime(2026, 2, 19, 14, 5)),
    ("2026年02月19日（木）", "ja", dt.date(2026, 2, 19)),
    ("发布时间：2026年2月19日", "zh", dt.date(2026, 2, 19)),
    ("2026년 2월 19일", "ko", dt.date(2026, 2, 19)),
    ("الخميس ١٩ فبراير ٢٠٢٦", "ar", dt.date(2026, 2, 19)),
    ("19 كانون الثاني 2026", "ar", dt.date(2026, 1, 19)),
    ("الأحد 3 آذار 2026", "ar", dt.date(2026, 3, 3)),
    ("۱۹ فوریه ۲۰۲۶", "fa", dt.date(2026, 2, 19)),
    ("دوشنبه ۲ تیر ۱۳۹۹", "fa", dt.date(2020, 6, 22)),  # the Persian solar calendar
    ("1399/04/02", "fa", dt.date(2020, 6, 22)),
    ("19 Şubat 2026 Perşembe", "tr", dt.date(2026, 2, 19)),
    ("19 MAYIS 2026", "tr", dt.date(2026, 5, 19)),
    ("19 ақпан 2026 ж.", "kk", dt.date(2026, 2, 19)),
    ("2026 жылғы 19 ақпан", "kk", dt.date(2026, 2, 19)),
    ("19 naýryz 2026", "kk", dt.date(2026, 3, 19)),
    ("19 qañtar 2026", "kk", dt.date(2026, 1, 19)),
    ("2026. február 19.", "hu", dt.date(2026, 2, 19)),
])
def test_dates_in_more_scripts_and_calendars(text, lang, expected):
    assert parse_date(text, lang) == expected


def test_a_hijri_or_jalali_year_is_not_read_as_gregorian():
    assert parse_date("1447/08/30") is None  # a lunar Hijri date: neither calendar on a page of unknown language
    assert parse_date("۲ تیر ۱۳۹۹") == dt.date(2020, 6, 22)  # month names say the calendar


def test_other_scripts_keep_offsets():
    """Digits of other scripts are read in place: where a date starts is where the reader sees it."""
    text = "نشر في ١٩ فبراير ٢٠٢٦"
    assert date_span(text)[1] == text.index("١٩")
