"""A header date the browser renders from an attribute (``data-date``, ``data-timestamp``).

The fetched HTML shows "2 hours ago", an empty span or a timeline marker under the headline;
the date itself sits in the element's attribute, as a human date or a Unix timestamp. Pages
written for this test (structure of real sites, prose our own), in several languages and
layouts, and negatives: the same attributes on other items, in the body, or naming another thing.
"""

import datetime as dt

import pytest

from crawler.extract.dates import collect_candidates, extract_dates

# 2026-06-24 09:30 UTC
EPOCH = int(dt.datetime(2026, 6, 24, 9, 30, tzinfo=dt.timezone.utc).timestamp())


def page(title: str, body: str, lang: str = "en", head: str = "") -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Example'
            f"</title>{head}</head><body>{body}</body></html>").encode()


def attribute_candidates(html: bytes, url: str):
    return [c for c in collect_candidates(html, url) if c.source == "attribute"]


DE_TIMELINE = page("Wie die Stadt ihre Brunnen rettet", """
<article><header class="article-header"><h1>Wie die Stadt ihre Brunnen rettet</h1>
 <a href="#zeitleiste"><div class="timeline"><div class="timeline__marker" data-date="24. Juni 2026"></div>
 <i><span>1950</span></i> <i><span>2000</span></i></div></a></header>
 <p>Zwölf Brunnen werden in diesem Sommer saniert.</p></article>""", lang="de")

EN_AGO = page("Coastal path reopens after landslip repairs", f"""
<div class="article-header"><h1 class="headline">Coastal path reopens after landslip repairs</h1>
 <div class="byline">By Morgan Lee <span class="published-date-ago" data-date="{EPOCH}">2 hours ago</span></div></div>
<div class="article-body"><p>Walkers can use the full route again from today.</p></div>""")

RU_PUBLISHED = page("В сквере высадили двести новых деревьев", """
<div class="article"><h1 class="article__title">В сквере высадили двести новых деревьев</h1>
 <div class="article__info" data-published="2026-06-24T11:30:00+03:00"><span class="article__views">1 204</span></div>
 <div class="article__body"><p>Деревья привезли из питомника под городом.</p></div></div>""", lang="ru")

TR_MILLIS = page("Sahilde yeni oyun parkı açıldı", f"""
<div class="news-detail"><h1>Sahilde yeni oyun parkı açıldı</h1>
 <span class="date js-localtime" data-timestamp="{EPOCH}000"></span>
 <p>Park hafta sonu ziyaretçilerle doldu.</p></div>""", lang="tr")

JA_DATETIME = page("駅前の商店街に新しい図書コーナー", """
<section class="article"><h1>駅前の商店街に新しい図書コーナー</h1>
 <div class="meta"><span class="js-date" data-datetime="2026-06-24T18:30:00+09:00"></span></div>
 <p>地域の人たちが本を持ち寄りました。</p></section>""", lang="ja")

EN_UPDATED = page("Night buses to run on weekends all year", """
<article><h1>Night buses to run on weekends all year</h1>
 <p class="meta"><span data-updated="2026-06-24T20:00:00+01:00">Updated</span></p>
 <p>The council approved the budget for the service.</p></article>""")

ISO_NAMED = page("Ferry pier gets a new roof", """
<div class="story"><h1>Ferry pier gets a new roof</h1><span class="stamp" data-iso-date="2026-06-24T08:00:00Z"></span>
 <p>The old one leaked for years.</p></div>""")

UNIX_NAMED = page("Ferry pier gets a new roof", f"""
<div class="story"><h1>Ferry pier gets a new roof</h1><span class="stamp" data-unix="{EPOCH}"></span>
 <p>The old one leaked for years.</p></div>""")

POSITIVES = [
    (ISO_NAMED, "https://pier.example.com/roof", ("unlabelled", "2026-06-24")),
    (UNIX_NAMED, "https://pier.example.com/roof", ("unlabelled", "2026-06-24")),
    (DE_TIMELINE, "https://zeitung.example.at/stadt/brunnen-2490011", ("unlabelled", "2026-06-24")),
    (EN_AGO, "https://news.example.co.uk/news/coastal-path-reopens", ("unlabelled", "2026-06-24")),
    (RU_PUBLISHED, "https://gorod.example.ru/news/derevya", ("published", "2026-06-24")),
    (TR_MILLIS, "https://haber.example.com.tr/oyun-parki", ("unlabelled", "2026-06-24")),
    (JA_DATETIME, "https://news.example.jp/articles/12345", ("unlabelled", "2026-06-24")),
    (EN_UPDATED, "https://bus.example.com/night-buses", ("modified", "2026-06-24")),
]


@pytest.mark.parametrize("html,url,want", POSITIVES, ids=[f"{i}-{u.split('/')[2]}" for i, (_, u, _) in enumerate(POSITIVES)])
def test_a_header_date_kept_in_an_attribute_dates_the_page(html, url, want):
    (cand,) = attribute_candidates(html, url)
    assert (cand.kind, cand.day.isoformat()) == want
    assert extract_dates(html, url).published.day.isoformat() == "2026-06-24"


def test_a_timestamp_is_an_instant_read_in_the_pages_zone():
    html = page("Coastal path reopens after landslip repairs", f"""
<div><h1>Coastal path reopens after landslip repairs</h1><span class="ago" data-timestamp="{EPOCH + 14 * 3600}"></span>
<p>Walkers return.</p></div>""", head='<meta property="article:modified_time" content="2026-06-25T09:00:00+02:00">')
    # 23:30 UTC on the 24th is the 25th in the page's own zone (+02:00)
    assert extract_dates(html, "https://x.example.com/path").published.day.isoformat() == "2026-06-25"


TEASER_LINK = page("Market square gets new benches", f"""
<article><h1>Market square gets new benches</h1>
 <a href="/news/fountain"><span class="ago" data-timestamp="{EPOCH}">Fountain repaired</span></a>
 <p>Twelve benches were installed on Monday.</p></article>""")

AFTER_NEXT_HEADING = page("Market square gets new benches", """
<article><h1>Market square gets new benches</h1><p>Twelve benches were installed.</p>
 <h2>More from the town</h2><div class="item" data-date="2026-06-20">Library hours</div></article>""")

DEEP_IN_BODY = page("Market square gets new benches", """
<article><h1>Market square gets new benches</h1>
 <p>""" + "The benches are made of oak from the municipal forest and were built by local carpenters. " * 5
                    + """</p><div data-date="2026-06-20"></div></article>""")

OTHER_THINGS = page("Summer concerts in the castle courtyard", """
<article><h1>Summer concerts in the castle courtyard</h1>
 <div class="event" data-event-date="2026-07-10" data-start-date="2026-07-10"></div>
 <div class="player" data-time="120" data-image-published="2026-01-01"></div>
 <p>Tickets go on sale next week.</p></article>""")

RELATED_BOX = page("Market square gets new benches", f"""
<article><h1>Market square gets new benches</h1>
 <div class="related-articles"><span data-timestamp="{EPOCH}"></span></div>
 <p>Twelve benches were installed on Monday.</p></article>""")

DATE_PICKER = page("Book a table on the terrace", """
<div><h1>Book a table on the terrace</h1>
 <form action="/book"><input class="datepicker" name="day" data-date="2026-06-30" data-date-format="dd.mm.yyyy"></form>
 <p>Open daily from noon.</p></div>""")

NEGATIVES = [TEASER_LINK, AFTER_NEXT_HEADING, DEEP_IN_BODY, OTHER_THINGS, RELATED_BOX, DATE_PICKER]


@pytest.mark.parametrize("html", NEGATIVES, ids=["teaser-link", "after-next-heading", "deep-in-body",
                                                 "other-things", "related-box", "date-picker"])
def test_attribute_dates_that_are_not_the_articles_date_nothing(html):
    assert attribute_candidates(html, "https://town.example.com/news/benches") == []


def test_a_stated_publication_makes_the_attribute_moot():
    html = page("Coastal path reopens after landslip repairs", f"""
<div><h1>Coastal path reopens after landslip repairs</h1><span data-timestamp="{EPOCH}"></span><p>Walkers.</p></div>""",
                head='<meta property="article:published_time" content="2026-06-23T08:00:00+01:00">')
    assert attribute_candidates(html, "https://x.example.com/path") == []
    assert extract_dates(html, "https://x.example.com/path").published.day.isoformat() == "2026-06-23"
