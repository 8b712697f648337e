"""Small rules of the date extractor that fixture pages cannot isolate."""

import datetime as dt
import re
from pathlib import Path

import lxml.html
import pytest

from crawler.extract.dates import extract_dates
from crawler.extract.dates.candidates import label_in
from crawler.extract.dates.labels import dated_label_hits, label_hits
from crawler.extract.dates.choose import choose_dates
from crawler.extract.dates.dateline import find_headline
from crawler.extract.dates import patterns as P
from crawler.extract.dates.page import Page, page_zone
from crawler.extract.dates.parse import date_span, parse_date
from crawler.models import DateCandidate


def tz(hours):
    return dt.timezone(dt.timedelta(hours=hours))


@pytest.mark.parametrize("raw, offset", [
    ("13 Jan 2020, 22:11 GMT+10", tz(10)),
    ("1 May 2020 10:00 GMT-5", tz(-5)),
    ("2020-01-01 10:00 UTC+05:30", dt.timezone(dt.timedelta(hours=5, minutes=30))),
    ("2020-01-01 10:00 GMT", dt.timezone.utc),
])
def test_zone_names_with_an_offset(raw, offset):
    assert parse_date(raw).utcoffset() == offset.utcoffset(None)


def test_date_span_ends_where_the_date_ends():
    text = "Publicado el 3 de marzo de 2025 · Actualizado"
    value, start, end = date_span(text)
    assert (value, text[start:end]) == (dt.date(2025, 3, 3), "3 de marzo de 2025")


@pytest.mark.parametrize("before, kind", [
    ("Published: ", "published"),
    ("By Ann Lee, Updated 1210 GMT (2010 HKT) ", "modified"),
    ("Written: ", "published"),
    ("Updated last week, see ", None),  # words between: not the date's label
    ("Photo taken ", None),
])
def test_label_in(before, kind):
    assert label_in(before) == kind


def _page(html, url="https://example.com/a/b"):
    return Page(tree=lxml.html.document_fromstring(html), url=url)


def test_headline_is_not_the_site_name_linking_home():
    page = _page("""<html><head><title>Spring pruning notes - The Garden Shed</title></head>
        <body><h1><a href="https://example.com/a/">The Garden Shed</a></h1>
        <h2>Spring pruning notes</h2></body></html>""")
    assert find_headline(page).tag == "h2"


def test_no_headline_without_a_matching_title():
    page = _page("<html><head><title>Home</title></head><body><h1>Welcome to our shop</h1></body></html>")
    assert find_headline(page) is None


@pytest.mark.parametrize("script, zone", [
    ('{"a":"Fri, 01 May 2025 23:00:00 -0400","b":"2025-05-02T06:00:00-04:00"}', tz(-4)),
    ('{"a":"Fri, 01 May 2025 23:00:00 -0400"}', None),  # one stamp is not a habit
    ('{"a":"2025-05-01T23:00:00-0400","b":"2025-05-01T23:00:00+0200"}', None),  # no majority
    ('{"hours":"10:00-11:30","more":"12:00-14:00"}', None),  # ranges, not offsets
])
def test_page_zone(script, zone):
    tree = lxml.html.document_fromstring(f"<html><body><script>{script}</script></body></html>")
    assert page_zone(tree) == zone


def test_utc_winner_is_read_in_the_page_zone():
    utc = DateCandidate("published", "meta", "m", "x",
                        dt.datetime(2025, 5, 2, 2, 54, tzinfo=dt.timezone.utc), 0.85)
    assert choose_dates([utc], page_zone=tz(-4)).published.day == dt.date(2025, 5, 1)
    assert choose_dates([utc]).published.day == dt.date(2025, 5, 2)


def test_the_page_zone_is_read_only_for_a_utc_winner():
    """Reading the zone scans every script of the page: a local winner never asks."""
    calls = []

    def zone():
        calls.append(1)
        return tz(-4)

    local = DateCandidate("published", "meta", "m", "x", dt.datetime(2025, 5, 2, 9, 0, tzinfo=tz(2)), 0.85)
    utc = DateCandidate("published", "meta", "m", "x", dt.datetime(2025, 5, 2, 2, 54, tzinfo=dt.timezone.utc), 0.85)
    assert choose_dates([local], page_zone=zone).published is local and calls == []
    assert choose_dates([utc], page_zone=zone).published.day == dt.date(2025, 5, 1) and calls == [1]


def test_visible_day_settles_contradicting_metadata_unless_it_is_the_modified_day():
    jsonld = DateCandidate("published", "json-ld", "j", "x", dt.date(2025, 1, 4), 0.9)
    meta = DateCandidate("published", "meta", "m", "x", dt.date(2025, 1, 6), 0.85)
    seen = DateCandidate("unlabelled", "text", "t", "x", dt.date(2025, 1, 6), 0.66)
    assert choose_dates([jsonld, meta, seen]).published is meta
    changed = DateCandidate("modified", "meta", "mm", "x", dt.date(2025, 1, 6), 0.85)
    assert choose_dates([jsonld, meta, seen, changed]).published is jsonld


def test_an_updated_line_under_the_headline_is_not_a_dateline():
    """"Updated <time> <date>" is the modified date (from_text, date
    elements): as an unlabelled dateline it could become the published one."""
    from crawler.extract.dates.dateline import from_dateline

    page = _page("""<html><head><title>Interview recap</title></head><body>
        <h1>Interview recap</h1><p>Updated 1210 GMT (2010 HKT) March 14, 2025</p></body></html>""")
    assert from_dateline(page) == []


@pytest.mark.parametrize("cls, kind", [
    ("articulo-actualizado", "modified"),
    ("data-aggiornamento", "modified"),
    ("date-published", "published"),
    ("entry-date", "published"),
])
def test_time_kind_from_its_class(cls, kind):
    from crawler.extract.dates.candidates import from_time

    page = _page(f'<html><body><p><time class="{cls}" datetime="2025-02-19">19 feb</time></p></body></html>')
    assert [c.kind for c in from_time(page)] == [kind]


@pytest.mark.parametrize("script", [
    '<script type="application/ld+json; charset=utf-8">{"@type":"NewsArticle","datePublished":"2024-03-10"}</script>',
    '<script type=" Application/LD+JSON ">{"@type":"NewsArticle","datePublished":"2024-03-10"}</script>',
    '<script type="application/ld+json">//<![CDATA[\n{"@type":"NewsArticle","datePublished":"2024-03-10"}\n//]]></script>',
], ids=["charset", "case and spaces", "cdata"])
def test_json_ld_as_cms_write_it(script):
    html = f"<html><head>{script}</head><body><p>{'Text of the article. ' * 20}</p></body></html>"
    published = extract_dates(html.encode()).published
    assert (published.source, published.day) == ("json-ld", dt.date(2024, 3, 10))


@pytest.mark.parametrize("lang, day", [("en-US", dt.date(2026, 3, 4)), ("en-GB", dt.date(2026, 4, 3)),
                                       ("de", dt.date(2026, 4, 3))])
def test_json_ld_slashed_dates_read_in_the_pages_order(lang, day):
    """Not ISO 8601, as schema.org asks, but as the CMS writes its dates: month first on US pages."""
    script = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"3/4/2026 10:00 AM"}</script>'
    html = f"<html lang='{lang}'><head>{script}</head><body><p>{'Text of the article. ' * 20}</p></body></html>"
    assert extract_dates(html.encode()).published.day == day


FILLER = "<p>" + "Kazakhstan continued to hand over activists to Russia during the year. " * 4 + "</p>"


@pytest.mark.parametrize("prose", [
    "Human Rights Watch's report, published on 5 May 2024, documented twelve cases of extradition to Russia.",
    "The wanted list was updated on 20 March 2025 to include two more activists from Almaty region.",
    "Der Aktivist stand am 14. April 2025 in Astana vor Gericht, sein Anwalt legte Berufung ein.",
], ids=["published in a sentence", "updated in a sentence", "stand am"])
def test_a_label_inside_a_sentence_dates_something_else(prose):
    html = (f"<html><head><title>Kazakhstan extradites activists</title></head><body><article><h1>Kazakhstan"
            f" extradites activists</h1><p>13 March 2025</p>{FILLER}<p>{prose}</p>{FILLER}</article></body></html>")
    dates = extract_dates(html.encode(), "https://ngo.example/news/extraditions")
    assert (dates.published.day, dates.modified) == (dt.date(2025, 3, 13), None)


def test_a_tuning_reweighs_only_what_it_changes():
    """The evaluation picks thresholds and weights per fold; the default tuning is the product's."""
    from crawler.extract.dates import Tuning

    url = DateCandidate("published", "url", "url path", "/2026/02/18/", dt.date(2026, 2, 18), 0.91)
    jsonld = DateCandidate("published", "json-ld", "newsarticle.datePublished", "2026-02-19",
                           dt.date(2026, 2, 19), 0.9)
    assert choose_dates([url, jsonld]).published is url
    assert choose_dates([url, jsonld], tuning=Tuning(url_confidence=0.88)).published is jsonld
    odd = DateCandidate("published", "url", "url path", "/2026/02/18/", dt.date(2026, 2, 18), 0.6)
    assert choose_dates([odd]).published is odd  # a weight set by hand stays under the default tuning


def test_the_fallback_is_asked_only_below_the_threshold():
    from crawler.extract.dates import Tuning

    asked = []
    guess = DateCandidate("unlabelled", "htmldate", "find_date", "2026-01-02", dt.date(2026, 1, 2), 0.45)
    weak = DateCandidate("unlabelled", "meta", "meta[name=date]", "2026-01-03", dt.date(2026, 1, 3), 0.55)
    fallback = lambda: asked.append(1) or guess  # noqa: E731
    assert choose_dates([weak], fallback=fallback).published is weak and asked == [1]
    assert choose_dates([weak], fallback=fallback, tuning=Tuning(fallback_below=0.5)).published is weak
    assert asked == [1]


FIXTURE_PAGES = sorted((Path(__file__).parent / "fixtures" / "dates").glob("*/page.html"))
LABELLED_TEXTS = [
    "Updated" + " " * 100 + "5 May 2024",
    "Published on the " + "x" * 70 + " 2020",
    "first published 1 May 2020, unpublished 2 May 2020, xfirst published 3 May 2020",
    "Posted: 2020-01-01. Updated:2020-01-02 " + "and so on. " * 20 + "updated 12",
    "Lastupdated 3 May 2021; last updated\n\n  on 4 May 2021",
    "نشر في ٢٠٢٠/٠١/٠٢ · آخر تحديث ٢٠٢١/٠٣/٠٤",
    "Erschienen am 1.2.2020 — zuletzt geändert am 3.4.2021 (Upd.: 4.4.2021)",
    "发布时间2026年2月19日 更新2026年2月20日",
]


@pytest.mark.parametrize("text", LABELLED_TEXTS + [
    " ".join(t for t, _ in Page(tree=lxml.html.fromstring(path.read_bytes())).runs()) for path in FIXTURE_PAGES])
def test_the_labels_a_date_can_follow_are_the_labels_with_a_digit_after_them(text):
    """from_text scans for labels only where numbers follow: it finds every label the whole scan
    finds that has a digit within reach, and no other."""
    dated = [hit for hit in label_hits(text) if re.search(r"\d", text[hit[2]:hit[2] + P.LABEL_TEXT])]
    assert list(dated_label_hits(text)) == dated


@pytest.mark.parametrize("named", ["entry-date published", "post-Meta", "article_byline x", "TIMESTAMP", "Timestamp-module_root",
                                   "fecha-nota", "data", "datum", "update", "metadata", "sidebar", "candidate", "nav date",
                                   "primetime", "posted-on", "pubdate", "dateline", "", " "])
def test_date_classed_agrees_with_its_pattern(named):
    assert P.date_classed(named) is bool(P.DATE_CLASS_RE.search(named))


def test_every_date_class_word_passes_the_quick_test():
    """date_classed tests a few words before the pattern: each word of the pattern must hold one."""
    words = re.findall(r"[a-z-]+", P.DATE_CLASS_RE.pattern.split("(?:", 2)[2].split(")")[0]) + ["Timestamp"]
    assert len(words) > 10
    assert all(P.date_classed(word) for word in words)


def test_gathered_elements_are_the_pages_in_order():
    page = Page(tree=lxml.html.fromstring(
        "<html><head><title>T</title><script type='application/ld+json'>{}</script><meta name=a></head>"
        "<body><time>1</time><p><script>x</script><time>2</time></p><meta name=b></body></html>"))
    assert [el.text for el in page.elements("time")] == ["1", "2"]
    assert [el.get("name") for el in page.elements("meta")] == ["a", "b"]
    assert len(page.elements("script")) == 2 and len(page.elements("body")) == 1
    assert page.elements("link") == []
