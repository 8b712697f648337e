"""Rescue suggestions: request building, the two services' real answer shapes, the spider end to end."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from crawler.crawl import rescue
from crawler.crawl import settings as product
from crawler.crawl.rescue import Memento, RescueError
from tests.support.archive_server import serve_archive

ROOT = Path(__file__).resolve().parent.parent
UTC = dt.timezone.utc
ORIGINAL = "https://tidewater.example/news/ferries?id=7"


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


# -- requests ------------------------------------------------------------------


def test_availability_url_encodes_the_original_and_the_claimed_day():
    url = rescue.availability_url(product.CITECHECK_WAYBACK_ENDPOINT, ORIGINAL, dt.date(2026, 2, 19))
    assert url == (
        "https://archive.org/wayback/available"
        "?url=https%3A%2F%2Ftidewater.example%2Fnews%2Fferries%3Fid%3D7&timestamp=20260219"
    )


def test_availability_url_without_claim_asks_for_the_latest():
    assert rescue.availability_url("http://127.0.0.1:9/avail?key=1", "http://a.example/", None) == (
        "http://127.0.0.1:9/avail?key=1&url=http%3A%2F%2Fa.example%2F"
    )


def test_timegate_request_negotiates_noon_of_the_claimed_day_in_rfc1123():
    url, headers = rescue.timegate_request(product.CITECHECK_TIMEGATE_ENDPOINT, ORIGINAL, dt.date(2026, 2, 19))
    assert url == "https://web.archive.org/web/https://tidewater.example/news/ferries?id=7"
    assert headers == {"Accept-Datetime": "Thu, 19 Feb 2026 12:00:00 GMT"}


def test_timegate_request_for_an_aggregator_and_no_claim():
    url, headers = rescue.timegate_request("http://timetravel.mementoweb.org/timegate/", "http://a.example/x", None)
    assert url == "http://timetravel.mementoweb.org/timegate/http://a.example/x"
    assert headers == {}


def test_default_settings():
    assert {name: getattr(product, name) for name in (
        "CITECHECK_WAYBACK_ENDPOINT", "CITECHECK_TIMEGATE_ENDPOINT", "CITECHECK_RESCUE")} == {
        "CITECHECK_WAYBACK_ENDPOINT": "https://archive.org/wayback/available",
        "CITECHECK_TIMEGATE_ENDPOINT": "https://web.archive.org/web/",
        "CITECHECK_RESCUE": True,
    }


# -- the availability API's answers ----------------------------------------------

AVAILABLE = b"""{
    "url": "tidewater.example/news/ferries",
    "archived_snapshots": {
        "closest": {
            "status": "200",
            "available": true,
            "url": "http://web.archive.org/web/20260219081544/https://tidewater.example/news/ferries",
            "timestamp": "20260219081544"
        }
    },
    "timestamp": "20260219"
}"""


def test_parse_availability_reads_the_closest_snapshot():
    assert rescue.parse_availability(AVAILABLE) == Memento(
        url="http://web.archive.org/web/20260219081544/https://tidewater.example/news/ferries",
        at=at(2026, 2, 19, 8, 15, 44),
        service="wayback",
        status="200",
    )


@pytest.mark.parametrize("body", [
    b'{"archived_snapshots":{}}',
    b'{"url": "tidewater.example/gone", "archived_snapshots": {}, "timestamp": "20260219"}',
    b'{"archived_snapshots": {"closest": {"available": false, "url": "", "timestamp": "20260219081544"}}}',
])
def test_parse_availability_no_snapshot_is_none(body):
    assert rescue.parse_availability(body) is None


@pytest.mark.parametrize("body, message", [
    (b"<html><body>Service Unavailable</body></html>", "not JSON"),
    (b"[]", "no archived_snapshots"),
    (b'{"archived_snapshots": {"closest": {"available": true, "url": "http://w/x", "timestamp": "2026"}}}',
     "bad timestamp '2026'"),
])
def test_parse_availability_rejects_answers_of_another_shape(body, message):
    with pytest.raises(RescueError, match=message):
        rescue.parse_availability(body)


# -- Memento TimeGate answers ------------------------------------------------------

# RFC 7089 section 4.2.1's TimeGate answer (pattern 2.2), with this project's own hosts:
# the Link header folds datetimes that contain commas, and the 302 carries no Memento-Datetime.
RFC_302 = {
    "Date": "Thu, 21 Jan 2010 00:06:50 GMT",
    "Vary": "accept-datetime",
    "Location": "http://arxiv.example.net/web/20010911203610/http://a.example.org/",
    "Link": (
        '<http://a.example.org/>; rel="original",\n'
        ' <http://arxiv.example.net/timemap/http://a.example.org/>\n'
        '   ; rel="timemap"; type="application/link-format"\n'
        '   ; from="Tue, 15 Sep 2000 11:28:26 GMT"\n'
        '   ; until="Wed, 20 Jan 2010 09:34:33 GMT",\n'
        ' <http://arxiv.example.net/web/20000620180259/http://a.example.org/>\n'
        '   ; rel="first memento";datetime="Tue, 20 Jun 2000 18:02:59 GMT",\n'
        ' <http://arxiv.example.net/web/20091027204954/http://a.example.org/>\n'
        '   ; rel="last memento";datetime="Tue, 27 Oct 2009 20:49:54 GMT",\n'
        ' <http://arxiv.example.net/web/20010911203610/http://a.example.org/>\n'
        '   ; rel="memento";datetime="Tue, 11 Sep 2001 20:36:10 GMT",\n'
        ' <http://arxiv.example.net/web/20000621044156/http://a.example.org/>\n'
        '   ; rel="prev memento";datetime="Wed, 21 Jun 2000 04:41:56 GMT",\n'
        ' <http://arxiv.example.net/web/20000622050036/http://a.example.org/>\n'
        '   ; rel="next memento";datetime="Thu, 22 Jun 2000 05:00:36 GMT"'
    ),
    "Content-Length": "0",
}


def test_parse_links_keeps_quoted_commas_and_rel_tokens():
    links = rescue.parse_links(RFC_302["Link"])
    assert [target for target, _ in links][:3] == [
        "http://a.example.org/",
        "http://arxiv.example.net/timemap/http://a.example.org/",
        "http://arxiv.example.net/web/20000620180259/http://a.example.org/",
    ]
    assert links[1][1] == {
        "rel": "timemap", "type": "application/link-format",
        "from": "Tue, 15 Sep 2000 11:28:26 GMT", "until": "Wed, 20 Jan 2010 09:34:33 GMT",
    }
    assert links[2][1] == {"rel": "first memento", "datetime": "Tue, 20 Jun 2000 18:02:59 GMT"}
    assert len(links) == 7


def test_parse_timegate_302_takes_the_datetime_from_the_link_entry_of_its_location():
    assert rescue.parse_timegate(302, RFC_302, "http://arxiv.example.net/web/http://a.example.org/") == Memento(
        url="http://arxiv.example.net/web/20010911203610/http://a.example.org/",
        at=at(2001, 9, 11, 20, 36, 10),
        service="memento",
    )


def test_timegate_mementos_lists_the_chosen_one_first_then_its_neighbours():
    found = rescue.timegate_mementos(302, RFC_302)
    assert [m.at for m in found] == [
        at(2001, 9, 11, 20, 36, 10),
        at(2000, 6, 20, 18, 2, 59),
        at(2009, 10, 27, 20, 49, 54),
        at(2000, 6, 21, 4, 41, 56),
        at(2000, 6, 22, 5, 0, 36),
    ]


def test_parse_timegate_wayback_head_with_only_location_and_redirect_reason():
    headers = {
        "location": "https://web.archive.org/web/20260228221347/https://tidewater.example/news/ferries",
        "x-archive-redirect-reason": "found capture at 20260228221347",
        "content-type": "text/plain; charset=utf-8",
    }
    assert rescue.parse_timegate(302, headers).at == at(2026, 2, 28, 22, 13, 47)


def test_parse_timegate_relative_location_with_memento_datetime():
    headers = {"Location": "/web/20200702/https://example.re/", "Memento-Datetime": "Thu, 02 Jul 2020 03:14:22 GMT",
               "Vary": "Accept-Datetime"}
    assert rescue.parse_timegate(302, headers, "https://web.archive.org/timegate/https://example.re/") == Memento(
        url="https://web.archive.org/web/20200702/https://example.re/", at=at(2020, 7, 2, 3, 14, 22), service="memento",
    )


def test_parse_timegate_redirect_reason_when_the_url_has_no_timestamp():
    headers = {"Location": "http://arxiv.example.net/m/4711", "x-archive-redirect-reason": "found capture at 20190105060708"}
    assert rescue.parse_timegate(302, headers).at == at(2019, 1, 5, 6, 7, 8)


def test_parse_timegate_200_is_the_memento_itself():
    headers = {"Memento-Datetime": "Sun, 26 Jan 2014 20:08:04 GMT",
               "Content-Location": "/pywb/20140126200804/http://www.iana.example/",
               "Link": '<http://www.iana.example/>; rel="original timegate"', "Vary": "accept-datetime"}
    assert rescue.parse_timegate(200, headers, "http://localhost/pywb/http://www.iana.example/") == Memento(
        url="http://localhost/pywb/20140126200804/http://www.iana.example/", at=at(2014, 1, 26, 20, 8, 4),
        service="memento",
    )


@pytest.mark.parametrize("status, headers", [
    (404, {"Link": '<http://a.example.org/>; rel="original"'}),
    (200, {"Content-Type": "text/html"}),  # a page, but not a memento
    (302, {"Location": "http://arxiv.example.net/m/4711"}),  # no way to tell when it is from
    (503, {"Retry-After": "30"}),
])
def test_parse_timegate_without_a_dated_memento_is_none(status, headers):
    assert rescue.parse_timegate(status, headers) is None
    assert rescue.timegate_mementos(status, headers) == []


# -- choice and suggestion -----------------------------------------------------------

EARLY = Memento("http://w/1", at(2026, 2, 10, 8, 0), "wayback")
NEAR_BEFORE = Memento("http://w/2", at(2026, 2, 18, 20, 0), "wayback")  # 16 h before noon on the 19th
NEAR_AFTER = Memento("http://m/3", at(2026, 2, 19, 5, 0), "memento")  # 7 h before noon on the 19th
LATE = Memento("http://m/4", at(2026, 3, 1, 0, 0), "memento")


def test_closest_measures_from_noon_of_the_claimed_day():
    assert rescue.closest([EARLY, NEAR_BEFORE, NEAR_AFTER, LATE], dt.date(2026, 2, 19)) is NEAR_AFTER
    assert rescue.closest([EARLY, LATE], dt.date(2026, 2, 17)) is EARLY


def test_closest_ties_go_to_the_first_listed_and_no_claim_means_latest():
    twin = Memento("http://m/5", EARLY.at, "memento")
    assert rescue.closest([EARLY, twin], dt.date(2026, 2, 1)) is EARLY
    assert rescue.closest([EARLY, LATE, NEAR_AFTER], None) is LATE
    assert rescue.closest([], dt.date(2026, 2, 1)) is None


def test_suggestion_counts_signed_days_from_the_claim():
    assert rescue.suggestion(NEAR_BEFORE, dt.date(2026, 2, 19)) == {
        "archived_url": "http://w/2",
        "archived_at": "2026-02-18T20:00:00+00:00",
        "days_from_claim": -1,
        "service": "wayback",
    }
    assert rescue.suggestion(LATE, dt.date(2026, 2, 19))["days_from_claim"] == 10
    assert rescue.suggestion(LATE, None)["days_from_claim"] is None


# -- which results need rescue ---------------------------------------------------------


def result(source, link="ok", verdict="match", claimed="2026-02-19", updated=False, url=None):
    return {"footnote": "1", "source": source, "url": url if url is not None else f"https://{source}.example/",
            "link": link, "date": {"claimed": claimed, "verdict": verdict, "updated_since_claim": updated}}


def test_rescue_links_are_the_dead_verdicts_that_have_a_url():
    assert rescue.RESCUE_LINKS == {"not_found", "gone", "dns_error", "soft_404", "moved_to_homepage", "redirect_loop"}


def test_lookups_for_picks_dead_and_changed_sources_once_each():
    results = [
        result("dead", link="not_found"),
        result("dead", link="not_found", claimed="2026-01-01"),  # same source, other footnote
        result("nourl", link="no_url", url=""),
        result("fine"),
        result("blocked", link="blocked", verdict="not_checked"),  # transient: maybe alive
        result("stale", verdict="mismatch"),
        result("edited", updated=True),
        result("unknown", link="soft_404", verdict="not_checked", claimed="unknown"),
    ]
    assert rescue.lookups_for(results) == [
        {"key": "dead", "url": "https://dead.example/", "claimed": "2026-02-19"},
        {"key": "stale", "url": "https://stale.example/", "claimed": "2026-02-19"},
        {"key": "edited", "url": "https://edited.example/", "claimed": "2026-02-19"},
        {"key": "unknown", "url": "https://unknown.example/", "claimed": None},
    ]


def test_attach_puts_the_suggestion_on_every_result_of_its_source():
    results = [result("dead", link="gone"), result("fine"), result("dead", link="gone"), result("lost", link="gone")]
    found = {"archived_url": "http://w/2", "archived_at": "2026-02-18T20:00:00+00:00",
             "days_from_claim": -1, "service": "wayback"}
    rescue.attach(results, [
        {"key": "dead", "url": "https://dead.example/", "suggestion": found, "tried": ["wayback", "memento"], "error": None},
        {"key": "lost", "url": "https://lost.example/", "suggestion": None, "tried": ["wayback", "memento"], "error": None},
    ])
    assert results[0]["rescue"] == found and results[2]["rescue"] == found
    assert results[3]["rescue"] is None
    assert "rescue" not in results[1]


# -- the fake services over real HTTP ---------------------------------------------------

CAPTURES = {ORIGINAL: ["20250101090000", "20260218200000", "20260219050000", "20260301000000"]}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {})) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_fake_availability_and_timegate_answer_in_the_real_shapes():
    with serve_archive(CAPTURES) as arch:
        status, headers, body = fetch(rescue.availability_url(arch.wayback_endpoint, ORIGINAL, dt.date(2026, 2, 19)))
        assert (status, headers["Content-Type"]) == (200, "application/json")
        assert json.loads(body)["archived_snapshots"]["closest"]["timestamp"] == "20260218200000"  # from 00:00
        assert rescue.parse_availability(body).at == at(2026, 2, 18, 20, 0)

        gate, accept = rescue.timegate_request(arch.timegate_endpoint, ORIGINAL, dt.date(2026, 2, 19))
        status, headers, body = fetch(gate, accept)
        assert (status, body) == (302, b"")
        assert "Memento-Datetime" not in headers
        assert headers["x-archive-redirect-reason"] == "found capture at 20260219050000"
        chosen = rescue.parse_timegate(status, headers, gate)
        assert chosen == Memento(arch.memento_url("20260219050000", ORIGINAL), at(2026, 2, 19, 5, 0), "memento")
        rels = [p["rel"] for _, p in rescue.parse_links(headers["Link"])]
        assert rels == ["original", "timemap", "timegate", "first memento", "prev memento", "memento", "next last memento"]


def test_fake_aggregator_points_into_another_archive_and_says_when_nothing_is_archived():
    with serve_archive(CAPTURES) as arch:
        gate, _ = rescue.timegate_request(arch.aggregator_endpoint, ORIGINAL, None)
        status, headers, _ = fetch(gate)
        assert rescue.parse_timegate(status, headers, gate).url == arch.memento_url("20260301000000", ORIGINAL, "other-archive")
        status, headers, _ = fetch(arch.timegate_endpoint + "https://never.example/")
        assert status == 404 and rescue.parse_timegate(status, headers) is None
        status, _, body = fetch(rescue.availability_url(arch.wayback_endpoint, "https://never.example/", None))
        assert json.loads(body) == {"url": "https://never.example/", "archived_snapshots": {}}


def test_fake_rejects_a_bad_accept_datetime_and_can_be_down():
    with serve_archive(CAPTURES, down={"available": {"*"}}) as arch:
        assert fetch(arch.timegate_endpoint + ORIGINAL, {"Accept-Datetime": "2026-02-19"})[0] == 400
        status, headers, _ = fetch(rescue.availability_url(arch.wayback_endpoint, ORIGINAL, None))
        assert (status, headers["Retry-After"]) == (503, "30")


# -- the spider, in its own process ----------------------------------------------------------


def run_spider(lookups: list[dict], **settings) -> list[dict]:
    spec = {"lookups": lookups, "settings": {
        "CITECHECK_ALLOW_PRIVATE": True, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
        "RETRY_TIMES": 0, "DOWNLOAD_TIMEOUT": 10, "LOG_LEVEL": "WARNING", **settings}}
    proc = subprocess.run([sys.executable, "-m", "tests.support.run_rescue", json.dumps(spec)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    return sorted(json.loads(proc.stdout), key=lambda item: item["key"])


def test_spider_suggests_the_closest_copy_and_records_failures_as_data():
    captures = {
        ORIGINAL: CAPTURES[ORIGINAL],
        "https://half.example/a": ["20240105120000", "20240301120000"],
        "https://gatedown.example/b": ["20231231235959"],
    }
    down = {"available": {"https://half.example/a"}, "web": {"https://gatedown.example/b"}}
    with serve_archive(captures, down) as arch:
        items = run_spider([
            {"key": "ferries", "url": ORIGINAL, "claimed": "2026-02-19"},
            {"key": "half", "url": "https://half.example/a", "claimed": "2024-02-20"},
            {"key": "gatedown", "url": "https://gatedown.example/b", "claimed": "2024-01-02"},
            {"key": "latest", "url": ORIGINAL, "claimed": None},
            {"key": "never", "url": "https://never.example/", "claimed": "2026-02-19"},
        ], CITECHECK_WAYBACK_ENDPOINT=arch.wayback_endpoint, CITECHECK_TIMEGATE_ENDPOINT=arch.timegate_endpoint)
        requests, port = arch.requests, arch.port

    def memento_url(stamp, original):
        return f"http://127.0.0.1:{port}/web/{stamp}/{original}"

    both = ["wayback", "memento"]
    assert items == [
        {"key": "ferries", "url": ORIGINAL, "tried": both, "error": None, "suggestion": {
            # the availability API (midnight) offered the 18th 20:00; the TimeGate (noon) the 19th 05:00
            "archived_url": memento_url("20260219050000", ORIGINAL), "archived_at": "2026-02-19T05:00:00+00:00",
            "days_from_claim": 0, "service": "memento"}},
        {"key": "gatedown", "url": "https://gatedown.example/b", "tried": both, "error": "memento: HTTP 503",
         "suggestion": {"archived_url": memento_url("20231231235959", "https://gatedown.example/b"),
                        "archived_at": "2023-12-31T23:59:59+00:00", "days_from_claim": -2, "service": "wayback"}},
        {"key": "half", "url": "https://half.example/a", "tried": both, "error": "wayback: HTTP 503",
         "suggestion": {"archived_url": memento_url("20240301120000", "https://half.example/a"),
                        "archived_at": "2024-03-01T12:00:00+00:00", "days_from_claim": 10, "service": "memento"}},
        {"key": "latest", "url": ORIGINAL, "tried": both, "error": None, "suggestion": {
            "archived_url": memento_url("20260301000000", ORIGINAL),
            "archived_at": "2026-03-01T00:00:00+00:00", "days_from_claim": None, "service": "wayback"}},
        {"key": "never", "url": "https://never.example/", "tried": both, "error": None, "suggestion": None},
    ]
    gate_requests = [(path, headers.get("accept-datetime", "")) for _, path, headers in requests if path.startswith("/web/")]
    assert sorted(gate_requests) == sorted([
        (f"/web/{ORIGINAL}", "Thu, 19 Feb 2026 12:00:00 GMT"),
        ("/web/https://half.example/a", "Tue, 20 Feb 2024 12:00:00 GMT"),
        ("/web/https://gatedown.example/b", "Tue, 02 Jan 2024 12:00:00 GMT"),
        (f"/web/{ORIGINAL}", ""),
        ("/web/https://never.example/", "Thu, 19 Feb 2026 12:00:00 GMT"),
    ])  # and no request for a memento: the TimeGate's redirect was read, not followed


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_spider_unreachable_archives_give_an_item_with_the_error():
    port = _closed_port()
    items = run_spider([{"key": "dead", "url": "https://dead.example/", "claimed": "2026-02-19"}],
                       CITECHECK_WAYBACK_ENDPOINT=f"http://127.0.0.1:{port}/wayback/available",
                       CITECHECK_TIMEGATE_ENDPOINT=f"http://127.0.0.1:{port}/web/")
    assert [(i["key"], i["suggestion"], i["tried"]) for i in items] == [("dead", None, ["wayback", "memento"])]
    assert items[0]["error"].startswith("wayback: connection_error: ")
    assert "; memento: connection_error: " in items[0]["error"]


def test_spider_switched_off_asks_nothing():
    with serve_archive(CAPTURES) as arch:
        items = run_spider([{"key": "ferries", "url": ORIGINAL, "claimed": "2026-02-19"}], CITECHECK_RESCUE=False,
                           CITECHECK_WAYBACK_ENDPOINT=arch.wayback_endpoint,
                           CITECHECK_TIMEGATE_ENDPOINT=arch.timegate_endpoint)
        assert items == [] and arch.requests == []
