"""A resolver outage is not a night of dead links: a name that does not exist is ``dns_error``
(dead), a resolver that gives no answer is ``resolver_error`` (transient), and a run whose hosts
mostly could not be reached for want of a network exits 3, "network unreachable"."""

from __future__ import annotations

import os
import sqlite3

from crawler.checks.linkstatus import network_outage
from crawler.models import Fetch
from tests.conftest import FAST, ROOT, run_cli, write_citations

FLIPDNS = ROOT / "tests" / "support" / "flipdns"


def _env(tmp_path, mode: str) -> dict[str, str]:
    return {"PYTHONPATH": f"{FLIPDNS}{os.pathsep}{ROOT}", "FLIPDNS": mode, "FLIPDNS_LOG": str(tmp_path / "dns.log")}


def test_a_resolver_outage_over_the_whole_seed_exits_3_not_26_dead_links(tmp_path):
    run = run_cli("verify", str(ROOT / "citations.yaml"), "--archive", "archive", *FAST, cwd=tmp_path,
                  env=_env(tmp_path, "outage"), timeout=300)
    assert run.code == 3, run.stderr
    assert "citecheck: network unreachable: 9 of 9 hosts could not be reached" in run.stderr
    links = [r["link"] for r in run.report["results"]]
    assert len(links) == 26 and "dns_error" not in links and "not_found" not in links
    assert links.count("resolver_error") == 22 and links.count("no_url") == 4  # the two lost Meduza links, cited twice
    assert run.report["run"]["counts"]["fail"] == 4 and "network unreachable" in run.report["run"]["network"]
    with sqlite3.connect(tmp_path / "archive" / "citecheck.db") as db:  # an outage is no night of a link's history
        assert db.execute("select link, count(*) from checks group by link").fetchall() == [("no_url", 4)]


def test_a_single_name_that_does_not_exist_still_fails_as_dns_error(tmp_path, http_server):
    write_citations(tmp_path / "citations.yaml", {
        "gone": {"url": "https://gone.nxdomain.test/story", "title": "A story"},
        "here": {"url": http_server.url("/article"), "title": "River ferries return to the old harbour"},
        "also": {"url": http_server.url("/article").replace("127.0.0.1", "localhost"), "title": "River ferries"},
    })
    run = run_cli("verify", "citations.yaml", "--allow-private", *FAST, cwd=tmp_path, env=_env(tmp_path, "nxdomain"))
    results = run.by_source()
    assert results["gone"]["link"] == "dns_error" and results["gone"]["overall"] == "fail"
    assert "the name gone.nxdomain.test does not exist" in results["gone"]["link_detail"]
    assert results["here"]["link"] == "ok" and run.code == 1 and "network" not in run.report["run"]


def _failed(url: str, error: str, detail: str = "") -> Fetch:
    return Fetch(url=url, error=error, error_detail=detail)


def test_an_outage_is_most_hosts_failing_for_want_of_a_network():
    ok = Fetch(url="https://b.example/x", status=200)
    resolver = [_failed(f"https://h{n}.example/", "resolver_error") for n in range(3)]
    assert network_outage(resolver + [ok]) and not network_outage(resolver[:1] + [ok])
    assert not network_outage(resolver[:2])  # a small run's two hosts with broken DNS: theirs, not the network's
    assert not network_outage(resolver[:2] + [ok, Fetch(url="https://c.example/", status=200)])  # half is not most
    unroutable = [_failed(f"https://u{n}.example/", "connection_error", "[Errno 101] Network is unreachable")
                  for n in range(3)]
    assert network_outage(unroutable)
    refused = [_failed(f"https://r{n}.example/", "connection_error", "Connection was refused") for n in range(3)]
    assert not network_outage(refused)  # the hosts, not the network
    assert not network_outage(resolver + [Fetch(url="https://h0.example/other", status=200)] * 3 + [ok])
