"""The frontier's protocol on a real redis-server: leases, hand-backs, and a dead worker's URLs returned."""

from __future__ import annotations

import pytest
import redis as redis_py

from crawler.crawl import frontier

RUN = "20260101T000000.000Z-abcd"
URLS = ["http://a.example/1", "http://a.example/2", "http://b.example/1"]


@pytest.fixture
def client(redis):
    client = redis_py.Redis.from_url(redis.url)
    frontier.seed(client, RUN, {"USER_AGENT": "x"}, [(url, frontier.host_of(url), url.encode()) for url in URLS])
    yield client
    client.close()


def test_a_host_is_leased_to_one_worker_and_its_urls_come_in_order(client):
    assert frontier.open_runs(client) == [RUN]
    assert frontier.lease_host(client, RUN, "w1") == "a.example"
    assert frontier.lease_host(client, RUN, "w2") == "b.example"
    assert frontier.lease_host(client, RUN, "w3") is None
    assert [frontier.take(client, RUN, "w1", "a.example") for _ in range(3)] == [URLS[0].encode(), URLS[1].encode(), None]
    assert client.hgetall(frontier.key(RUN, "leased")) == {URLS[0].encode(): b"w1", URLS[1].encode(): b"w1"}
    assert frontier.open_runs(client) == []  # every host leased: nothing for another worker


def test_a_host_is_given_up_only_when_empty_and_by_its_holder(client):
    frontier.lease_host(client, RUN, "w1")
    assert frontier.release_host(client, RUN, "w1", "a.example") == 0  # URLs left to fetch
    frontier.take(client, RUN, "w1", "a.example")
    frontier.take(client, RUN, "w1", "a.example")
    assert frontier.release_host(client, RUN, "w2", "a.example") == -1  # not w2's
    assert frontier.release_host(client, RUN, "w1", "a.example") == 1
    assert client.hgetall(frontier.key(RUN, "hostlease")) == {}


def test_a_dead_workers_urls_and_hosts_return_and_a_live_ones_stay(client):
    frontier.heartbeat(client, "alive")
    frontier.lease_host(client, RUN, "dead")
    frontier.take(client, RUN, "dead", "a.example")
    frontier.lease_host(client, RUN, "alive")
    frontier.take(client, RUN, "alive", "b.example")
    assert frontier.sweep(client, RUN) == 1
    assert client.lrange(frontier.key(RUN, "host", "a.example"), 0, -1) == [URLS[0].encode(), URLS[1].encode()]
    assert client.lrange(frontier.key(RUN, "hosts"), 0, -1) == [b"a.example"]
    assert client.hgetall(frontier.key(RUN, "leased")) == {URLS[2].encode(): b"alive"}
    assert client.hgetall(frontier.key(RUN, "hostlease")) == {b"b.example": b"alive"}
    assert frontier.sweep(client, RUN, "alive") == 1  # a worker leaving gives back what it holds
    assert client.hgetall(frontier.key(RUN, "leased")) == {}


def test_a_hand_back_ends_the_lease_and_none_is_taken_once_the_run_is_over(client):
    frontier.lease_host(client, RUN, "w1")
    frontier.take(client, RUN, "w1", "a.example")
    assert frontier.hand_back(client, RUN, {"worker": "w1", "url": URLS[0], "parts": {}})
    assert client.hgetall(frontier.key(RUN, "leased")) == {}
    assert frontier.next_result(client, RUN, timeout=1)["url"] == URLS[0]
    frontier.close(client, RUN)
    assert frontier.run_over(client, RUN)
    assert not frontier.hand_back(client, RUN, {"worker": "w1", "url": URLS[1], "parts": {}})
    assert client.keys(f"citecheck:run:{RUN}:*") == [frontier.key(RUN, "done").encode()]
    assert frontier.run_settings(client, RUN) is None


def test_a_run_whose_coordinator_is_gone_is_removed(client):
    client.delete(frontier.key(RUN, "alive"))  # its heartbeat lapsed: killed
    assert frontier.open_runs(client) == []
    assert client.zrange(frontier.RUNS, 0, -1) == []
    assert frontier.run_over(client, RUN)


def test_a_worker_takes_a_few_urls_per_host_and_moves_on_when_a_host_is_done(redis):
    from scrapy.utils.test import get_crawler
    from scrapy_redis.queue import Base

    from crawler.crawl.scheduler import HostLeaseQueue
    from crawler.crawl.spiders.citations import CitationsSpider
    from crawler.crawl.spiders.frontier import FrontierSpider

    client = redis_py.Redis.from_url(redis.url)
    urls = ["http://a.example/1", "http://a.example/2", "http://b.example/1"]
    seeder = CitationsSpider()
    encode = Base(client, seeder, "k")._encode_request
    frontier.seed(client, RUN, {}, [(url, frontier.host_of(url), encode(seeder.request(url))) for url in urls])
    crawler = get_crawler(FrontierSpider, {"CITECHECK_RUN_ID": RUN, "CITECHECK_WORKER_ID": "w1",
                                           "CONCURRENT_REQUESTS": 4, "CONCURRENT_REQUESTS_PER_DOMAIN": 1})
    queue = HostLeaseQueue(client, FrontierSpider.from_crawler(crawler), "k")
    first, second = queue.pop(), queue.pop()
    assert [first.url, second.url] == urls[:2] and first.callback.__name__ == "parse"  # two per host (2 x 1)
    assert first.headers == {} and first.dont_filter
    for _ in range(2):
        queue.handed_back("a.example")
    assert queue.pop().url == urls[2]  # a.example found empty on the way, and given up
    assert client.hgetall(frontier.key(RUN, "hostlease")) == {b"b.example": b"w1"}
    queue.push(first)  # a retry stays with the worker
    assert queue.pop() is first and len(queue) == 0
    queue.clear()  # closing: what it holds goes back
    assert client.lrange(frontier.key(RUN, "hosts"), 0, -1) == [b"b.example"]
    assert client.hgetall(frontier.key(RUN, "leased")) == {}


def test_urls_added_later_bring_a_given_up_host_back_and_never_queue_a_host_twice(client):
    frontier.lease_host(client, RUN, "w1")
    frontier.take(client, RUN, "w1", "a.example")
    frontier.take(client, RUN, "w1", "a.example")
    frontier.add(client, RUN, [("http://b.example/2", "b.example", b"b2")])  # b waits in hosts already
    assert client.lrange(frontier.key(RUN, "hosts"), 0, -1) == [b"b.example"]
    frontier.add(client, RUN, [("http://a.example/3", "a.example", b"a3")])  # a is leased: its worker takes it
    assert client.lrange(frontier.key(RUN, "hosts"), 0, -1) == [b"b.example"]
    assert frontier.take(client, RUN, "w1", "a.example") == b"a3"
    assert frontier.take(client, RUN, "w1", "a.example") is None
    assert frontier.release_host(client, RUN, "w1", "a.example") == 1  # found empty, given up ...
    frontier.add(client, RUN, [("http://a.example/4", "a.example", b"a4"), ("http://a.example/5", "a.example", b"a5")])
    assert client.lrange(frontier.key(RUN, "hosts"), 0, -1) == [b"b.example", b"a.example"]  # ... and back, once
    assert client.hget(frontier.key(RUN, "urlhost"), "http://a.example/5") == b"a.example"


def test_a_hand_back_takes_the_urls_request_with_it_and_a_late_one_is_passed_over(client):
    frontier.lease_host(client, RUN, "dead")
    frontier.take(client, RUN, "dead", "a.example")
    assert frontier.sweep(client, RUN) == 1  # taken for dead: its URL back in the host's list ...
    assert frontier.hand_back(client, RUN, {"worker": "dead", "url": URLS[0], "parts": {}})  # ... but it answered
    assert not client.hexists(frontier.key(RUN, "req"), URLS[0])
    assert not client.hexists(frontier.key(RUN, "urlhost"), URLS[0])
    assert frontier.lease_host(client, RUN, "w2") == "a.example"  # a swept host goes first
    assert frontier.take(client, RUN, "w2", "a.example") == URLS[1].encode()  # the URL already back is passed over
    frontier.close(client, RUN)
    assert client.keys(f"citecheck:run:{RUN}:*") == [frontier.key(RUN, "done").encode()]


def test_a_host_refilled_while_its_worker_gives_it_up_is_taken_again(redis, monkeypatch):
    """The coordinator adds a host's URLs between the worker finding it empty and giving it up: the
    worker keeps the host and takes them (the release is refused), it does not sit on it forever."""
    from scrapy.utils.test import get_crawler
    from scrapy_redis.queue import Base

    from crawler.crawl.scheduler import HostLeaseQueue
    from crawler.crawl.spiders.citations import CitationsSpider
    from crawler.crawl.spiders.frontier import FrontierSpider

    client = redis_py.Redis.from_url(redis.url)
    seeder = CitationsSpider()
    encode = Base(client, seeder, "k")._encode_request
    request = lambda url: (url, frontier.host_of(url), encode(seeder.request(url)))  # noqa: E731
    frontier.seed(client, RUN, {}, [request("http://a.example/1")])
    crawler = get_crawler(FrontierSpider, {"CITECHECK_RUN_ID": RUN, "CITECHECK_WORKER_ID": "w1",
                                           "CONCURRENT_REQUESTS": 4, "CONCURRENT_REQUESTS_PER_DOMAIN": 1})
    queue = HostLeaseQueue(client, FrontierSpider.from_crawler(crawler), "k")
    assert queue.pop().url == "http://a.example/1"
    queue.handed_back("a.example")
    take = frontier.take

    def take_then_refill(*args):
        data = take(*args)
        if data is None:  # the coordinator's add lands between the worker's two calls
            monkeypatch.setattr(frontier, "take", take)
            frontier.add(client, RUN, [request("http://a.example/2")])
        return data

    monkeypatch.setattr(frontier, "take", take_then_refill)
    assert queue.pop() is None  # found empty; its release refused: URLs came meanwhile
    assert client.hgetall(frontier.key(RUN, "hostlease")) == {b"a.example": b"w1"}
    assert queue.pop().url == "http://a.example/2"
