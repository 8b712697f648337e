"""Dates that live only in a page's scripts: framework state of single-page apps.

The fetched HTML of a Next.js, Nuxt or hand-rolled JS page shows no date: the browser renders
it from data in a <script>. Those dates count only when the page's metadata and header state
none, and only from the object that is the page's own (its URL, slug, id or headline); the
related stories and feeds beside it in the same state are other items. Pages written for this
test (structure of real frameworks, prose our own).
"""

import json

from crawler.extract.dates import collect_candidates, extract_dates


def page(title: str, body: str, head: str = "", lang: str = "en") -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Example Site'
            f"</title>{head}</head><body>{body}</body></html>").encode()


def script_candidates(html: bytes, url: str):
    return [c for c in collect_candidates(html, url) if c.source == "script"]


# -- Next.js: __NEXT_DATA__ as application/json -------------------------------------------------

NEXT_STATE = {
    "props": {"pageProps": {
        "article": {"slug": "tram-line-opens", "title": "The new tram line opens to passengers",
                    "publishedAt": "2026-02-19T22:40:00-05:00", "updatedAt": "2026-02-21T09:00:00-05:00",
                    "author": {"name": "R. Field", "createdAt": "2019-05-02T10:00:00Z"}},
        "related": [{"slug": "bus-fares", "title": "Bus fares rise", "publishedAt": "2026-02-23T08:00:00Z"},
                    {"slug": "bike-lanes", "title": "Bike lanes widen", "publishedAt": "2026-02-24T08:00:00Z"}],
    }},
    "page": "/news/[slug]", "query": {"slug": "tram-line-opens"}, "buildId": "x1",
}
NEXT_PAGE = page("The new tram line opens to passengers", f"""
<div id="__next"><main><h1>The new tram line opens to passengers</h1>
 <p>Riders crowded the first car before sunrise.</p></main></div>
<script id="__NEXT_DATA__" type="application/json">{json.dumps(NEXT_STATE)}</script>""")


def test_next_data_dates_the_article_by_its_slug_not_its_related_list():
    dates = extract_dates(NEXT_PAGE, "https://news.example.com/news/tram-line-opens")
    # the instant's own offset is kept: 22:40 in New York on the 19th, not the 20th in UTC
    assert dates.published.day.isoformat() == "2026-02-19"
    assert dates.published.source == "script"
    assert dates.modified.day.isoformat() == "2026-02-21"
    days = {c.day.isoformat() for c in script_candidates(NEXT_PAGE, "https://news.example.com/news/tram-line-opens")}
    assert "2026-02-23" not in days and "2026-02-24" not in days  # the related stories' dates


# -- Nuxt: the state as a function whose arguments carry the values ----------------------------

NUXT_PAGE = page("Sturmflut an der Küste: Deiche halten", """
<div id="__nuxt"><h1>Sturmflut an der Küste: Deiche halten</h1><p>Die Nacht blieb ruhig.</p></div>
<script>window.__NUXT__=(function(a,b,c,d,e,f){return {layout:"default",data:[{story:{id:d,title:b,
firstPublished:c,teasers:[{title:"Fähre fällt aus",firstPublished:e},{title:"Hafen gesperrt",firstPublished:f}]}}],
state:{user:a}}}(null,"Sturmflut an der Küste: Deiche halten","2026-01-08T06:15:00+01:00","48213",
"2026-01-09T07:00:00+01:00","2026-01-10T07:00:00+01:00"));</script>""", lang="de")


def test_nuxt_state_function_binds_its_arguments_and_ties_the_story_by_its_id():
    dates = extract_dates(NUXT_PAGE, "https://www.example.de/kueste/sturmflut-deiche-48213")
    assert dates.published.day.isoformat() == "2026-01-08"
    assert dates.published.where.endswith("firstPublished")
    days = {c.day.isoformat() for c in script_candidates(NUXT_PAGE, "https://www.example.de/kueste/sturmflut-deiche-48213")}
    assert days == {"2026-01-08"}  # the teasers' days are other items'


# -- a plain JS object: a hand-rolled app and an Apollo-style cache keyed by id ----------------

PLAIN_JS_PAGE = page("Le marché couvert rouvre ses portes", """
<h1>Le marché couvert rouvre ses portes</h1><p>Les commerçants sont revenus.</p>
<script type="text/javascript">
  var appConfig = {env: 'prod', version: '3.2.1'};
  window.__INITIAL_STATE__ = {
    entities: {"Article:77120": {rubrique: 'ville', published_time: '2026-04-02 18:30',
                                 modified_time: '2026-04-03 08:00'},
               "Article:66001": {rubrique: 'ville', published_time: '2026-04-05 09:00'}},
    mostRead: [{headline: 'A', published_time: '2026-04-06 10:00'}, {headline: 'B', published_time: '2026-04-07 10:00'}]
  };
</script>""", lang="fr")


def test_plain_js_state_ties_the_entry_keyed_by_the_pages_id():
    dates = extract_dates(PLAIN_JS_PAGE, "https://www.example.fr/ville/marche-couvert-77120.html")
    assert dates.published.day.isoformat() == "2026-04-02"
    assert dates.modified.day.isoformat() == "2026-04-03"


def test_a_lone_data_layer_dates_a_page_weakly_and_lists_of_items_never():
    layer = page("Opening hours over the holidays", """
<h1>Opening hours over the holidays</h1><p>The library closes early on Friday.</p>
<script>dataLayer = [{"pageType": "article", "content_publish_date": "2026-12-18"}];</script>""")
    cands = script_candidates(layer, "https://library.example.org/holiday-hours")
    assert [c.day.isoformat() for c in cands] == ["2026-12-18"]
    assert cands[0].confidence < 0.6  # below what makes htmldate's wider search moot
    feed = page("Latest posts", """<h1>Latest posts</h1>
<script>window.feed = {"items": [{"title": "One", "publishedAt": "2026-05-01"},
                                  {"title": "Two", "publishedAt": "2026-05-02"}]};</script>""")
    assert script_candidates(feed, "https://blog.example.org/") == []


def test_two_untied_objects_that_disagree_date_nothing():
    html = page("A page about gardens", """<h1>A page about gardens</h1>
<script>var a = {"publishedAt": "2026-06-01T10:00:00Z"}; var b = {"publishedAt": "2026-06-09T10:00:00Z"};</script>""")
    assert script_candidates(html, "https://example.org/gardens") == []


def test_scripts_are_not_read_when_the_metadata_dates_the_article():
    head = '<meta property="article:published_time" content="2026-02-17T08:00:00+01:00">'
    html = page("The new tram line opens to passengers", NEXT_PAGE.decode().split("<body>")[1].split("</body>")[0],
                head=head)
    url = "https://news.example.com/news/tram-line-opens"
    assert script_candidates(html, url) == []
    assert extract_dates(html, url).published.day.isoformat() == "2026-02-17"


def test_an_object_inside_a_function_body_is_read_too():
    html = page("Neue Buslinie verbindet die Dörfer", """
<h1>Neue Buslinie verbindet die Dörfer</h1><p>Der Bus fährt stündlich.</p>
<script>(function () { var story = {id: 90412, kicker: 'Verkehr', firstPublished: '12.03.2026 18:40'};
  analytics.page(story); })();</script>""", lang="de")
    dates = extract_dates(html, "https://www.example.de/region/buslinie-90412")
    assert dates.published.day.isoformat() == "2026-03-12"
    assert dates.published.confidence == 0.78  # tied to the page by its id


def test_a_reference_list_naming_the_topic_is_not_the_pages_object():
    """Items whose longer titles contain the page's short headline, most with their date left
    empty: a list of other things (an encyclopedia's references), not the page."""
    html = page("Harbour Festival", """<h1>Harbour Festival</h1><p>An annual summer festival.</p>
<script>var refs = {"items": [{"title": "Harbour Festival draws record crowds", "publishDate": "2012-06-24"},
  {"title": "Harbour Festival cancelled", "publishDate": ""}, {"title": "Boats", "publishDate": ""}]};</script>""")
    assert script_candidates(html, "https://wiki.example.org/item/harbour-festival") == []


def test_a_section_named_like_a_path_word_is_not_the_pages_object():
    html = page("Harbour ferries return", """<h1>Harbour ferries return</h1>
<script>var nav = {"id": "news", "updatedAt": "2026-01-01T00:00:00Z"};
var section = {"slug": "news", "publishedAt": "2026-01-02T00:00:00Z"};</script>""")
    assert script_candidates(html, "https://example.org/news/harbour-ferries-return") == []


# Nuxt 3 writes its payload as one flat array (devalue): an object's fields hold indexes of values
NUXT3_PAYLOAD = [
    ["ShallowReactive", 1], {"data": 2, "state": 14}, ["ShallowReactive", 3], {"article-rathaus-dach": 4},
    {"title": 5, "slug": 6, "published_at": 7, "updated_at": 8, "more": 9},
    "Rathausdach wird bis Herbst saniert", "rathaus-dach-saniert", "2026-05-11T17:05:00+02:00",
    "2026-05-12T08:30:00+02:00", [10, 12], {"title": 11, "published_at": 13}, "Markt zieht um",
    {"title": 11, "published_at": 13}, "2026-05-14T09:00:00+02:00", {},
]
NUXT3_PAGE = page("Rathausdach wird bis Herbst saniert", f"""
<div id="__nuxt"><h1>Rathausdach wird bis Herbst saniert</h1><p>Die Arbeiten beginnen im Juni.</p></div>
<script type="application/json" id="__NUXT_DATA__" data-ssr="true">{json.dumps(NUXT3_PAYLOAD)}</script>""", lang="de")


def test_nuxt3_payload_is_read_through_its_indexes():
    url = "https://www.example.de/stadt/rathaus-dach-saniert"
    dates = extract_dates(NUXT3_PAGE, url)
    assert dates.published.day.isoformat() == "2026-05-11"
    assert dates.modified.day.isoformat() == "2026-05-12"
    assert "2026-05-14" not in {c.day.isoformat() for c in script_candidates(NUXT3_PAGE, url)}
