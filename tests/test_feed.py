"""The start feed: URLs given out host by host in turn, within a bound per host and in all."""

from crawler.crawl.feed import HostFeed, host_of


def drain(feed: HostFeed) -> list[str]:
    taken = []
    while (url := feed.take()) is not None:
        taken.append(url)
    return taken


def test_hosts_take_turns_in_the_order_first_cited():
    urls = [f"https://a.example/{n}" for n in range(3)] + ["https://b.example/0", "http://c.example:8080/0"]
    feed = HostFeed(urls, per_host=10, total=10)
    assert drain(feed) == ["https://a.example/0", "https://b.example/0", "http://c.example:8080/0",
                           "https://a.example/1", "https://a.example/2"]
    assert len(feed) == 0 and feed.in_progress == 5


def test_a_host_at_its_bound_waits_while_others_go_on():
    slow = [f"https://slow.example/{n}" for n in range(50)]
    fast = [f"https://fast.example/{n}" for n in range(50)]
    feed = HostFeed(slow + fast, per_host=4, total=100)
    first = drain(feed)
    assert sum(url.startswith("https://slow") for url in first) == 4
    assert sum(url.startswith("https://fast") for url in first) == 4
    for url in first:  # only the fast host answers: it alone gets more
        if url.startswith("https://fast"):
            assert feed.done(url)
    again = drain(feed)
    assert len(again) == 4 and all(url.startswith("https://fast") for url in again)


def test_the_bound_in_all_holds_across_hosts():
    urls = [f"https://h{n}.example/" for n in range(100)]
    feed = HostFeed(urls, per_host=2, total=8)
    assert len(drain(feed)) == 8 and feed.take() is None
    assert feed.done("https://h3.example/")
    assert feed.take() == "https://h8.example/" and feed.take() is None
    assert len(feed) == 91


def test_done_ignores_what_the_feed_did_not_give_out():
    feed = HostFeed(["https://a.example/1", "https://a.example/2"], per_host=1, total=5)
    assert feed.take() == "https://a.example/1" and feed.take() is None
    assert not feed.done("https://a.example/redirected-elsewhere")
    assert not feed.done("https://a.example/2")  # not given out yet
    assert feed.take() is None
    assert feed.done("https://a.example/1") and not feed.done("https://a.example/1")  # once
    assert feed.take() == "https://a.example/2"


def test_forget_frees_every_turn():
    feed = HostFeed([f"https://a.example/{n}" for n in range(5)], per_host=2, total=2)
    assert len(drain(feed)) == 2
    assert feed.forget() == 2 and feed.in_progress == 0
    assert len(drain(feed)) == 2


def test_host_keys_as_scrapy_slots_them():
    assert host_of("https://WWW.Example.org:443/a?b") == "www.example.org"
    assert host_of("http://[::1]:8080/") == "::1"
    assert host_of("http://[broken/") == ""
    assert host_of("mailto:someone@example.org") == ""


def test_an_outcome_gets_back_the_feeds_own_string_and_a_stopped_crawl_the_urls_it_lost():
    """An outcome through Redis brings its URL as a copy of its own: the run keeps the feed's string instead."""
    urls = ["https://a.example/1", "https://a.example/2", "https://b.example/1"]
    feed = HostFeed(urls, per_host=1, total=5)
    given = [feed.take(), feed.take()]
    assert given == ["https://a.example/1", "https://b.example/1"]
    copy = "".join(["https://a.example/", "1"])  # equal, not the same object
    assert copy is not urls[0] and feed.done(copy) is urls[0]
    assert feed.unfinished() == ["https://a.example/2", "https://b.example/1"]  # not given out, and not back
