"""Date keys of page-state objects read by what their name says, not by a list of names.

A single-page app's state names the article's dates in the convention of its framework or
its developers: "publish_time", "pubTime", "lastUpdateTime", "creationDate",
"displayPublishedDate". The name is read as words; a word naming another thing (an image,
the author's account, an event's start, a filter's bound) makes it that thing's date.
Pages written for this test (structure of real state blobs, prose our own).
"""

import json

import pytest

from crawler.extract.dates import collect_candidates, extract_dates
from crawler.extract.dates.datekeys import key_kind


@pytest.mark.parametrize("key,want", [
    ("publishedAt", ("published", False)), ("published_at", ("published", False)),
    ("first-published-date", ("published", False)), ("pubDate", ("published", False)),
    ("pubtime", ("published", False)), ("publish_time", ("published", False)),
    ("datePublished", ("published", False)), ("displayPublishedDate", ("published", False)),
    ("originalPublishDate", ("published", False)), ("first-publication", ("published", False)),
    ("ARTICLE_PUBLISH_DATE", ("published", False)),
    ("lastUpdateTime", ("modified", False)), ("update_time", ("modified", False)),
    ("modifyDate", ("modified", False)), ("lastmodified", ("modified", False)),
    ("lastPublishedDate", ("modified", False)), ("lastEditorialUpdate", ("modified", False)),
    ("editedAt", ("modified", False)), ("postedAt", ("published", False)),
    ("creationDate", ("published", True)), ("create_time", ("published", True)),
    ("dateCreated", ("published", True)), ("releaseDate", ("published", True)),
    ("issue_date", ("published", True)),
])
def test_keys_that_name_a_publication_creation_or_update(key, want):
    assert key_kind(key) == want


@pytest.mark.parametrize("key", [
    "date", "time", "timestamp", "publication", "publish", "update", "publisher", "frontendDate",
    "imagePublishedAt", "photo_created", "userCreatedAt", "author_updated_at", "startDate", "endDate",
    "expiresAt", "publication_date_stop", "fromDate", "renderedAt", "serverTime", "birthDate",
    "eventStartTime", "commentUpdatedAt", "commentsUpdatedAt", "imagesCreatedAt", "position", "updates",
])
def test_keys_that_name_no_date_of_the_page(key):
    assert key_kind(key) is None


def page(title: str, body: str, lang: str = "en") -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Example'
            f"</title></head><body>{body}</body></html>").encode()


def state_page(title: str, state: dict, lang: str = "en", assign: str = "window.__INITIAL_STATE__") -> bytes:
    return page(title, f"<div id='app'><h1>{title}</h1><p>Text rendered in the browser.</p></div>"
                       f"<script>{assign} = {json.dumps(state, ensure_ascii=False)};</script>", lang)


def published(html: bytes, url: str):
    got = extract_dates(html, url).published
    return got.day.isoformat() if got else None


def script_days(html: bytes, url: str) -> set[str]:
    return {c.day.isoformat() for c in collect_candidates(html, url) if c.source == "script"}


# keys in conventions the old list of names lacked, each on the page's own object
ZH_PUBLISH_TIME = state_page("市图书馆推出夜间阅读服务", {"detail": {
    "id": "88123456", "title": "市图书馆推出夜间阅读服务", "pubtime": "2026-06-24 11:30:00",
    "updatetime": "2026-06-25 08:00:00"}}, "zh")
JA_PUBTIME = state_page("夏まつりの日程が決まりました", {"article": {
    "articleId": "k10012345678", "headline": "夏まつりの日程が決まりました", "displayPublishedDate": "2026/06/24 11:30"}},
    "ja", assign="var pageData")
RU_DISPLAY = state_page("В парке установили новые скамейки", {"page": {"data": {
    "slug": "novye-skameyki-v-parke", "date_of_publication": "2026-06-24T11:30:00+03:00",
    "lastUpdateTime": "2026-06-24T15:00:00+03:00"}}}, "ru")
TR_CREATION = state_page("Sahil yolu bisiklet yoluna kavuştu", {"haber": {
    "url": "https://haber.example.com.tr/sahil-yolu-bisiklet", "creationDate": "2026-06-24T09:00:00+03:00",
    "baslik": "Sahil yolu bisiklet yoluna kavuştu"}}, "tr")
DE_MODIFY_ONLY = state_page("Neue Buslinie ins Gewerbegebiet", {"artikel": {
    "id": "2498811", "titel": "Neue Buslinie ins Gewerbegebiet", "modifyDate": "2026-06-24T10:00:00+02:00"}}, "de")

POSITIVES = [
    (ZH_PUBLISH_TIME, "https://news.example.cn/a/88123456.html", {("published", "2026-06-24"),
                                                                 ("modified", "2026-06-25")}),
    (JA_PUBTIME, "https://news.example.jp/news/k10012345678.html", {("published", "2026-06-24")}),
    (RU_DISPLAY, "https://gorod.example.ru/news/novye-skameyki-v-parke", {("published", "2026-06-24"),
                                                                        ("modified", "2026-06-24")}),
    (TR_CREATION, "https://haber.example.com.tr/sahil-yolu-bisiklet", {("published", "2026-06-24")}),
    (DE_MODIFY_ONLY, "https://zeitung.example.de/lokales/buslinie-2498811", {("modified", "2026-06-24")}),
]


@pytest.mark.parametrize("html,url,want", POSITIVES, ids=[u.split("/")[2] for _, u, _ in POSITIVES])
def test_a_date_key_in_any_convention_dates_the_pages_own_object(html, url, want):
    got = extract_dates(html, url)
    assert {(c.kind, c.day.isoformat()) for c in got.candidates if c.source == "script"} == want
    assert got.published.source == "script" and got.published.day.isoformat() == "2026-06-24"


def test_a_creation_date_yields_to_a_stated_publication():
    html = state_page("Harbour cranes get a new coat of paint", {"story": {
        "slug": "harbour-cranes-paint", "creationDate": "2026-06-20T09:00:00Z",
        "publish_time": "2026-06-24T09:00:00Z"}})
    assert script_days(html, "https://port.example.com/news/harbour-cranes-paint") == {"2026-06-24"}


def test_dates_of_other_things_on_the_pages_object_date_nothing():
    html = state_page("Town hall opens a rooftop garden", {"article": {
        "slug": "rooftop-garden-opens", "imagePublishedAt": "2026-05-01T09:00:00Z",
        "author": {"name": "L. Park", "userCreatedAt": "2019-01-01T09:00:00Z"},
        "eventStartDate": "2026-07-01T09:00:00Z", "frontendDate": "2026-06-30T09:00:00Z",
        "search": {"publication_date_stop": "2026-08-01"}}})
    assert script_days(html, "https://town.example.com/news/rooftop-garden-opens") == set()


def test_a_key_the_cheap_script_scan_did_not_know_is_read():
    # the scan that picks scripts worth parsing looks for any date-like key, not a list of stems
    html = state_page("Night market returns to the old port", {"story": {
        "slug": "night-market-returns", "issue_date": "2026-06-24T08:00:00Z"}})
    assert script_days(html, "https://port.example.com/night-market-returns") == {"2026-06-24"}


def test_a_list_of_items_dated_in_another_convention_stays_other_items():
    html = state_page("Ferry timetable changes for the summer", {
        "article": {"slug": "ferry-summer-timetable", "headline": "Ferry timetable changes for the summer",
                    "pubTime": "2026-06-24T08:00:00Z"},
        "feed": [{"slug": "a-story", "pubTime": "2026-06-26T08:00:00Z"},
                 {"slug": "b-story", "pubTime": "2026-06-27T08:00:00Z"}]})
    assert script_days(html, "https://ferry.example.com/ferry-summer-timetable") == {"2026-06-24"}
