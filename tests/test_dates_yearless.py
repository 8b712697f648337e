"""A date under the headline printed without its year, dated by the page's other dates.

Japanese, Chinese, Korean and Russian news sites, and many others for the current year,
print "6月24日 11:30" or "24 июня, 11:30" under the headline. Each page here is written
for this test (structure of real sites, prose our own), in several languages and layouts;
the year comes from a different place on each (URL, metadata, copyright, another date of
the page), and the negatives are yearless dates that are not the article's.
"""

import datetime as dt

import pytest

from crawler.extract.dates import collect_candidates, extract_dates
from crawler.extract.dates.yearless import yearless_span


def page(title: str, body: str, lang: str = "en", head: str = "", footer: str = "") -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Example'
            f"</title>{head}</head><body>{body}{footer}</body></html>").encode()


def published(html: bytes, url: str):
    got = extract_dates(html, url).published
    return got.day.isoformat() if got else None


def yearless(html: bytes, url: str):
    return [c for c in collect_candidates(html, url) if c.where.startswith("yearless")]


JA_RUBY = page("子どもの体力テストの結果がでる", """
<main><article class="article-main">
 <h1 class="article-main__title"><ruby>子<rt>こ</rt></ruby>どもの<ruby>体力<rt>たいりょく</rt></ruby>テストの<ruby>結果<rt>けっか</rt></ruby>がでる</h1>
 <p class="article-main__date">[06月24日 11時30分]</p>
 <div class="article-main__body"><p>テストは全国の小学校でおこなわれました。</p></div>
</article></main>""", lang="ja")

ZH_MODIFIED = page("城市公园延长夏季开放时间", """
<div class="content"><h1>城市公园延长夏季开放时间</h1>
 <div class="info"><span class="time">6月24日 11:30</span> <span class="source">来源：本报</span></div>
 <p>公园管理处表示，新的开放时间从下周开始实行。</p></div>""",
    lang="zh", head='<meta property="og:updated_time" content="2026-06-25T09:00:00+08:00">')

RU_COPYRIGHT = page("В городе открыли новый мост через реку", """
<div class="layout"><div class="article">
 <h1 class="article__title">В городе открыли новый мост через реку</h1>
 <div class="article__meta"><span class="article__date">24 июня, 11:30</span></div>
 <div class="article__text"><p>Движение по мосту запустили утром, первыми проехали автобусы.</p></div>
</div></div>""", lang="ru", footer='<footer><p>© 2008–2026 Городские новости</p></footer>')

DE_URL_YEAR = page("Freibad öffnet eine Woche früher", """
<div id="content"><header class="artikel-kopf"><h1>Freibad öffnet eine Woche früher</h1>
 <p class="meta">24. Juni, 14:05 Uhr · Von Anna Berg</p></header>
 <p>Das warme Wetter hat die Stadtwerke überzeugt.</p></div>""", lang="de")

EN_YEAR_BOUNDARY = page("Snow closes the mountain pass for the holidays", """
<article><h1>Snow closes the mountain pass for the holidays</h1>
 <div class="byline">By Sam Hill <span class="date">December 30</span></div>
 <p>Crews expect to reopen the road once the storm passes.</p></article>""",
    head='<meta property="article:modified_time" content="2026-01-04T10:00:00-05:00">')

TR_JSONLD = page("Belediye yeni otobüs hattını tanıttı", """
<div class="haber"><h1 class="haber-baslik">Belediye yeni otobüs hattını tanıttı</h1>
 <div class="haber-tarih">24 Haziran 11:30</div>
 <div class="haber-metin"><p>Yeni hat sabah saatlerinde hizmete girecek.</p></div></div>""",
    lang="tr", head='<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Belediye yeni '
                    'otobüs hattını tanıttı", "dateModified": "2026-06-27T15:00:00+03:00"}</script>')

KK_CYRILLIC = page("Қалада жаңа саябақ ашылды", """
<section class="news-item"><h1>Қалада жаңа саябақ ашылды</h1>
 <p class="news-item__date">24 маусым, 11:30</p>
 <p>Саябақта балалар алаңы мен велосипед жолы бар.</p></section>""",
    lang="kk", footer='<footer class="site-footer">© 2026 Қала жаңалықтары</footer>')

AR_DIGITS = page("افتتاح مكتبة جديدة في وسط المدينة", """
<div class="article"><h1>افتتاح مكتبة جديدة في وسط المدينة</h1>
 <div class="article-date">٢٤ يونيو ١١:٣٠</div>
 <p>تضم المكتبة أكثر من عشرين ألف كتاب.</p></div>""", lang="ar",
    head='<meta name="last-modified" content="2026-06-26">')

KO_WEEKDAY = page("시립 도서관 여름 야간 개방 시작", """
<div class="article_head"><h1 class="tit">시립 도서관 여름 야간 개방 시작</h1>
 <span class="date">6월 24일(수) 11:30</span></div>
<div class="article_body"><p>도서관은 밤 10시까지 문을 연다.</p></div>""", lang="ko")

EN_UPDATED_LABEL = page("River festival moves to the old quay", """
<div class="story"><h1>River festival moves to the old quay</h1>
 <p class="story-meta">Updated June 24, 11:30 am</p>
 <p>The organisers said the new site has room for twice as many stalls.</p></div>""",
    footer='<footer><small>Copyright 2026 The River Courier</small></footer>')

POSITIVES = [
    (JA_RUBY, "https://news.example.jp/easy/2026/k10012345.html", "2026-06-24"),
    (ZH_MODIFIED, "https://news.example.cn/city/park-hours.html", "2026-06-24"),
    (RU_COPYRIGHT, "https://gorod.example.ru/news/most", "2026-06-24"),
    (DE_URL_YEAR, "https://zeitung.example.de/lokales/2026/freibad-oeffnet-frueher", "2026-06-24"),
    (EN_YEAR_BOUNDARY, "https://courier.example.com/news/pass-closed", "2025-12-30"),
    (TR_JSONLD, "https://haber.example.com.tr/otobus-hatti", "2026-06-24"),
    (KK_CYRILLIC, "https://kala.example.kz/kk/news/sayabaq", "2026-06-24"),
    (AR_DIGITS, "https://akhbar.example.com/culture/library", "2026-06-24"),
    (KO_WEEKDAY, "https://news.example.kr/2026/library-night", "2026-06-24"),
    (EN_UPDATED_LABEL, "https://river.example.com/festival-moves", "2026-06-24"),
]


@pytest.mark.parametrize("html,url,want", POSITIVES, ids=[u.split("/")[2] for _, u, _ in POSITIVES])
def test_a_yearless_header_date_is_dated_by_the_rest_of_the_page(html, url, want):
    assert published(html, url) == want


def test_the_label_and_the_time_are_kept():
    (cand,) = yearless(EN_UPDATED_LABEL, "https://river.example.com/festival-moves")
    assert cand.kind == "modified" and cand.value == dt.datetime(2026, 6, 24, 11, 30)
    (cand,) = yearless(JA_RUBY, "https://news.example.jp/easy/2026/k10012345.html")
    assert cand.value == dt.datetime(2026, 6, 24, 11, 30) and cand.raw == "[06月24日 11時30分]"


# -- yearless dates that are not the article's ---------------------------------------------------

RELATED_LINK = page("Library extends its summer hours", """
<article><h1>Library extends its summer hours</h1>
 <p><a href="/news/pool-opens">Pool opens early — June 20</a></p>
 <p>The library will stay open until nine on weekdays.</p></article>""",
    footer="<footer>© 2026 Town News</footer>")

RELATED_LIST_RU = page("Школы готовятся к новому учебному году", """
<div class="article"><h1>Школы готовятся к новому учебному году</h1>
 <ul class="related-news"><li><span>20 июня</span> Ремонт дорог продолжится</li></ul>
 <p>В школах меняют окна и красят стены.</p></div>""", lang="ru",
    footer="<footer>© 2026 Новости</footer>")

PROSE = page("Council to vote on the harbour plan", """
<article><h1>Council to vote on the harbour plan</h1>
 <p>The council will meet on June 30 to decide whether the harbour plan goes ahead.</p></article>""",
    footer="<footer>© 2026 Harbour Times</footer>")

TODAY_WIDGET = page("Рынок переедет на новую площадь", """
<div class="page"><h1>Рынок переедет на новую площадь</h1>
 <div class="widget">Сегодня: 24 июня</div>
 <p>Торговцы получат новые места к осени.</p></div>""", lang="ru",
    footer="<footer>© 2026 Новости</footer>")

NO_YEAR_ANYWHERE = page("蛍の観察会がひらかれる", """
<article><h1>蛍の観察会がひらかれる</h1><p class="date">6月24日</p><p>川の近くで観察会がありました。</p></article>""",
    lang="ja")

FAR_FROM_REFERENCE = page("Ferry timetable changes for the autumn", """
<article><h1>Ferry timetable changes for the autumn</h1><p class="date">June 24</p>
 <p>Fewer crossings will run on Sundays.</p></article>""",
    head='<meta property="article:modified_time" content="2026-03-01T10:00:00+00:00">')

CAPTION_DE = page("Neue Linden für die Allee am Kanal", """
<article><h1>Neue Linden für die Allee am Kanal</h1>
 <figure><img src="linden.jpg" alt=""><figcaption>Bild: Jana Roth, 20. Juni</figcaption></figure>
 <p>Dreißig Bäume wurden gepflanzt.</p></article>""", lang="de", footer="<footer>© 2026 Kanalbote</footer>")

NEWS_LIST_ZH = page("城市公园延长夏季开放时间安排", """
<div class="content"><h1>城市公园延长夏季开放时间安排</h1>
 <ul class="list"><li><a href="/news/2.html">地铁调整运营</a><span>6月20日</span></li></ul>
 <p>公园管理处表示，新的开放时间从下周开始实行。</p></div>""", lang="zh", footer="<footer>©2026</footer>")

EVENT_FIELD = page("Chorus looks for new voices this spring", """
<article><h1>Chorus looks for new voices this spring</h1><p class="event">Next rehearsal: June 30</p>
 <p>No audition is needed.</p></article>""", footer="<footer>© 2026 Chorus</footer>")

NEGATIVES = [
    (EVENT_FIELD, "https://chorus.example.org/voices"),
    (CAPTION_DE, "https://kanalbote.example.de/linden"),
    (NEWS_LIST_ZH, "https://news.example.cn/park.html"),
    (RELATED_LINK, "https://town.example.com/news/library-hours"),
    (RELATED_LIST_RU, "https://novosti.example.ru/shkoly"),
    (PROSE, "https://harbour.example.com/council-vote"),
    (TODAY_WIDGET, "https://novosti.example.ru/rynok"),
    (NO_YEAR_ANYWHERE, "https://news.example.jp/hotaru.html"),
    (FAR_FROM_REFERENCE, "https://ferry.example.com/timetable"),
]


@pytest.mark.parametrize("html,url", NEGATIVES, ids=[u.split("/")[-1] for _, u in NEGATIVES])
def test_a_yearless_date_that_is_not_the_articles_dates_nothing(html, url):
    assert yearless(html, url) == []


def test_a_full_date_stated_by_the_page_makes_the_yearless_line_moot():
    html = page("Bridge reopens after repairs", """
<article><h1>Bridge reopens after repairs</h1><p class="date">June 24, 11:30</p><p>Traffic flows again.</p></article>""",
                head='<meta property="article:published_time" content="2026-06-23T18:00:00+00:00">')
    assert yearless(html, "https://x.example.com/bridge") == []
    assert published(html, "https://x.example.com/bridge") == "2026-06-23"


def test_a_full_dateline_is_the_datelines_not_re_dated():
    html = page("Bridge reopens after repairs", """
<article><h1>Bridge reopens after repairs</h1><p class="date">24 June 2026 · 25 June update</p></article>""")
    assert yearless(html, "https://x.example.com/bridge") == []


@pytest.mark.parametrize("text,want", [
    ("[06月24日 11時30分]", (6, 24, dt.time(11, 30))),
    ("6月24日(水)", (6, 24, None)),
    ("2月15日（土）7時0分", (2, 15, dt.time(7, 0))),
    ("24 июня в 11:30", (6, 24, dt.time(11, 30))),
    ("24. Juni, 14:05 Uhr", (6, 24, dt.time(14, 5))),
    ("Jun. 24th, 9:05 pm", (6, 24, dt.time(21, 5))),
    ("24 Haziran", (6, 24, None)),
    ("٢٤ يونيو", (6, 24, None)),
    ("29 февраля", (2, 29, None)),
])
def test_yearless_forms(text, want):
    assert yearless_span(text)[0] == want


@pytest.mark.parametrize("text", ["31 июня", "13月5日", "Version 2 of 10", "Page 24", "may 5 people"])
def test_not_yearless_dates(text):
    assert yearless_span(text) is None
