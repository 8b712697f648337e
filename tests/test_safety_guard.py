"""The address guard decides on the address actually connected to (DNS rebinding), and knows the
IPv6 forms that carry an IPv4 address."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import subprocess
import sys

import pytest
from twisted.internet import defer

from crawler.crawl.failures import verdict_for
from crawler.crawl.resolver import GuardedResolver, UnsafeAddress
from crawler.crawl.safety import is_public_address
from tests.conftest import FAST, ROOT, run_cli, write_citations

FLIPDNS = ROOT / "tests" / "support" / "flipdns"


@pytest.mark.parametrize("address, public", [
    ("93.184.216.34", True), ("127.0.0.1", False), ("10.1.2.3", False), ("169.254.169.254", False),
    ("::ffff:127.0.0.1", False), ("::ffff:93.184.216.34", True),
    ("64:ff9b::7f00:1", False), ("64:ff9b::5db8:d822", True),  # NAT64 of 127.0.0.1 / of 93.184.216.34
    ("2002:7f00:1::", False), ("2002:5db8:d822::", True),  # 6to4
    ("::127.0.0.1", False), ("::10.0.0.1", False),  # IPv4-compatible
    ("2606:4700::6810:84e5", True), ("fe80::1", False), ("::1", False), ("fc00::1", False),
])
def test_embedded_ipv4_is_as_public_as_what_it_carries(address, public):
    assert is_public_address(address) is public


class _Answers:
    """The threaded resolver's lookup, answering from a list: what a flipping DNS server would."""

    def __init__(self, *answers):
        self.answers = list(answers)

    def __call__(self, name, timeout=()):
        return defer.succeed(self.answers.pop(0))


def _resolver(answers, allow_private=False):
    from twisted.internet import reactor
    resolver = GuardedResolver(reactor, cache_size=0, timeout=1.0, allow_private=allow_private)
    resolver._lookup = answers
    return resolver


def test_the_resolver_refuses_the_very_answer_it_would_connect_to(monkeypatch):
    answers = _Answers("93.184.216.34", "127.0.0.1")
    monkeypatch.setattr("twisted.internet.base.ThreadedResolver.getHostByName", lambda self, name, timeout=(): answers(name))
    resolver = _resolver(answers)
    first, second = [], []
    resolver.getHostByName("flip.example").addBoth(first.append)
    resolver.getHostByName("flip.example").addBoth(second.append)
    assert first == ["93.184.216.34"]
    assert second[0].check(UnsafeAddress)
    assert verdict_for(second[0].value) == ("unsafe_url", str(second[0].value))


def test_private_answers_pass_only_when_allowed(monkeypatch):
    answers = _Answers("127.0.0.1")
    monkeypatch.setattr("twisted.internet.base.ThreadedResolver.getHostByName", lambda self, name, timeout=(): answers(name))
    got = []
    _resolver(answers, allow_private=True).getHostByName("localhost").addBoth(got.append)
    assert got == ["127.0.0.1"]


@pytest.mark.parametrize("mode", ["fail-first", "loopback"])
def test_rebinding_names_fetch_nothing_from_a_private_address(tmp_path, http_server, mode):
    """Names whose first answer is none (or that answer 127.0.0.1), served by the test's server on
    127.0.0.1: 0 of 30 fetched in each mode, 60 in all; each a refused or unresolved link, nothing of the server archived."""
    http_server.route("/secret", headers={"Content-Type": "text/html"},
                      body="<html><title>internal</title><body>INTERNAL ADMIN PAGE</body></html>")
    sources = {f"s{i}": {"url": f"http://n{i}.rebind.test:{http_server.port}/secret", "title": "x"}
               for i in range(30)}
    write_citations(tmp_path / "citations.yaml", sources)
    log = tmp_path / "dns.log"
    env = {"PYTHONPATH": f"{FLIPDNS}{os.pathsep}{ROOT}", "FLIPDNS": mode, "FLIPDNS_LOG": str(log)}
    result = run_cli("verify", "citations.yaml", "--timeout", "5", *FAST, cwd=tmp_path, env=env)
    assert log.exists() and len(log.read_text().splitlines()) >= 30  # the stub was asked
    assert http_server.requests == []
    links = {r["link"] for r in result.report["results"]}
    assert links <= {"unsafe_url", "dns_error"} and "unsafe_url" in links
    warc = next((tmp_path / "archive").glob("*/*.warc.gz"))
    assert b"INTERNAL ADMIN PAGE" not in gzip.decompress(warc.read_bytes())


@pytest.mark.parametrize("location", [
    "http://[::1]:8080/admin", "http://[::ffff:127.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/latest/meta-data",
    "http://[2002:a00:1::]/", "http://[::10.0.0.1]/", "http://[fe80::1%25eth0]/", "http://[fd00::1]/",
])
def test_a_redirect_to_an_ipv6_literal_is_unsafe_at_the_hop(location):
    """Every hop passes the safety middleware; an IPv6 literal is judged by the address it carries."""
    from scrapy import Request

    from crawler.crawl.middlewares import SafetyMiddleware
    from crawler.crawl.safety import UnsafeURL

    hop = Request(location, meta={"redirect_urls": ["https://news.example/story"]})
    with pytest.raises(UnsafeURL) as refused:
        asyncio.run(SafetyMiddleware().process_request(hop))
    assert verdict_for(refused.value, location)[0] == "unsafe_url"


def test_a_redirect_to_no_url_at_all_is_invalid_not_a_connection_error():
    """Scrapy raises ValueError joining a Location such as ``http://[::1/``: the hop is no URL."""
    assert verdict_for(ValueError("Invalid IPv6 URL"), "https://news.example/story") == (
        "invalid_url", "a redirect leads to no valid URL (Invalid IPv6 URL)")


def test_a_proxy_in_the_environment_is_not_used(tmp_path, http_server):
    """A proxy would resolve the cited host itself, past the guard: the environment's is ignored."""
    from tests.support.server import serve

    write_citations(tmp_path / "citations.yaml", {"a": {"url": http_server.url("/article"), "title": "River ferries"}})
    with serve() as proxy:
        run = run_cli("verify", "citations.yaml", "--allow-private", *FAST, cwd=tmp_path,
                      env={"http_proxy": proxy.url(""), "HTTP_PROXY": proxy.url("")})
        assert proxy.requests == []
    assert run.by_source()["a"]["link"] == "ok" and ("GET", "/article") in [(m, p) for m, p, _ in http_server.requests]


def _namespaces_allowed() -> bool:
    try:
        return subprocess.run(["unshare", "-rnm", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.skipif(not _namespaces_allowed(), reason="no user and network namespaces here (the stub test stands)")
@pytest.mark.parametrize("mode", ["public-first", "fail-first", "loopback"])
def test_rebinding_through_a_real_resolver_fetches_nothing(tmp_path, mode):
    """20 names per mode, 60 in all, resolved by glibc over UDP from a DNS server that flips its
    answers, in a network namespace whose 127.0.0.1 serves an internal page: none of it fetched."""
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "secret.html").write_text("<html><title>internal</title><body>INTERNAL ADMIN PAGE</body></html>")
    write_citations(tmp_path / "citations.yaml", {
        f"s{i}": {"url": f"http://n{i}.rebind.test:8000/secret.html", "title": "x"} for i in range(20)})
    run = subprocess.run(["unshare", "-rnm", sys.executable, str(ROOT / "tests" / "support" / "rebind_netns.py"),
                          mode, str(tmp_path)], capture_output=True, text=True, timeout=240,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    report = json.loads((tmp_path / "report.json").read_text())
    assert "GET /secret.html" not in (tmp_path / "http.log").read_text()
    links = {r["link"] for r in report["results"]}
    assert links <= {"unsafe_url", "resolver_error", "connection_error"}, (links, run.stderr[-2000:])
    # the first answer is the one connected to: the public one (no route out of the namespace), or none
    assert links == {"connection_error"} if mode == "public-first" else "unsafe_url" in links
    warc = next((tmp_path / "archive").glob("*/*.warc.gz"))
    assert b"INTERNAL ADMIN PAGE" not in gzip.decompress(warc.read_bytes())
