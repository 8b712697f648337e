"""A crawl split by host across processes: who goes where, and what comes back.

The unit tests run ``crawler.crawl.shards`` on plain functions, including how stop
signals and a dying parent reach the crawl processes; the CLI tests crawl two
hosts (127.0.0.1 and localhost: one server, two Scrapy slots) split and
unsplit, and compare the results and the archive.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from scrapy.settings import Settings
from warcio.archiveiterator import ArchiveIterator

from crawler.checks import linkstatus
from crawler.crawl import shards
from tests.conftest import FAST, ROOT, write_citations
from tests.test_incremental_reuse import _article, _comparable

SPLITS = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="crawls are split on Linux only (fork, prctl)")
URLS = ["http://a.example/1", "http://b.example/1", "http://a.example/2", "http://c.example/1",
        "http://b.example/2", "http://a.example:8080/3"]


def test_hosts_are_never_split_and_urls_keep_their_order():
    groups = shards.host_groups(URLS, 2)
    assert groups == [["http://a.example/1", "http://a.example/2", "http://a.example:8080/3"],
                      ["http://b.example/1", "http://c.example/1", "http://b.example/2"]]
    assert shards.host_groups(URLS, 1) == [URLS]
    assert len(shards.host_groups(URLS, 8)) == 3  # no more groups than hosts
    assert shards.host_groups([], 2) == []


def test_a_host_is_one_host_however_its_name_is_written():
    """Scrapy keys its slots by the requested (punycode) name: so must the groups."""
    urls = ["http://bücher.example/a", "http://other.example/b", "http://xn--bcher-kva.example/c"]
    assert ["http://bücher.example/a", "http://xn--bcher-kva.example/c"] in shards.host_groups(urls, 2)


def test_the_largest_hosts_are_spread_first():
    urls = [f"http://big{h}.example/{n}" for h in range(2) for n in range(5)] + [
        f"http://small{h}.example/" for h in range(4)]
    assert sorted(len(group) for group in shards.host_groups(urls, 2)) == [7, 7]


def _settings(**values) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.crawl.settings")
    settings.setdict(values)
    return settings


@SPLITS
def test_only_a_large_crawl_of_known_pages_is_split():
    urls = [f"http://h{n % 4}.example/{n}" for n in range(300)]
    known = {url: _revalidated(url) for url in urls[:260]}
    assert shards.process_count(urls, known, _settings()) == 2
    assert shards.process_count(urls, {}, _settings()) == 1  # new pages: the cores go to extraction
    assert shards.process_count(urls[:100], known, _settings()) == 1  # too small to pay for another Scrapy
    assert shards.process_count(urls, known, _settings(CITECHECK_CRAWL_PROCESSES=1)) == 1
    assert shards.process_count(urls[:3], known, _settings(CITECHECK_CRAWL_PROCESS_MIN_URLS=0)) == 2
    many_hosts = [f"http://h{n % 60}.example/{n}" for n in range(300)]  # every host's probe is never "known"
    probes = list(dict.fromkeys(linkstatus.probe_url(url) for url in many_hosts))
    assert shards.process_count(many_hosts + probes, {url: _revalidated(url) for url in many_hosts}, _settings()) == 2
    known_in_full = {url: _revalidated(url) | {"etag": None} for url in urls}  # --full, or nothing to revalidate
    assert shards.process_count(urls, known_in_full, _settings()) == 1


def _revalidated(url: str) -> dict:
    """A previous snapshot this run asks about with its validators."""
    return {"url": url, "final_url": url, "etag": '"v1"', "last_modified": None}


def test_each_process_writes_its_own_parts_and_shares_the_limits():
    settings = _settings(CITECHECK_WARC_PATH="/run/run.warc.gz", LOG_FILE="/run/crawl.log", CONCURRENT_REQUESTS=64)
    part = shards.part_settings(settings, 2, 2)
    assert part["CITECHECK_WARC_PART"] == "/run/run.warc.gz.part2"
    assert part["CITECHECK_WARC_PATH"] == "/run/run.warc.gz"  # where the snapshots say the records are
    assert part["LOG_FILE"] == "/run/crawl.log.part2"
    assert (part.getint("CONCURRENT_REQUESTS"), part.getint("CITECHECK_EXTRACT_WORKERS")) == (32, 1)
    assert part.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
    assert settings.get("CITECHECK_WARC_PART") is None  # the run's own settings are untouched
    assert shards.part_settings(_settings(CITECHECK_EXTRACT_WORKERS=0), 1, 2).getint("CITECHECK_EXTRACT_WORKERS") == 0


def test_parts_are_appended_in_order_and_removed(tmp_path):
    whole = tmp_path / "crawl.log"
    whole.write_bytes(b"head\n")
    for part, text in ((1, b"one\n"), (3, b"three\n")):
        (tmp_path / f"crawl.log.part{part}").write_bytes(text)
    shards.join_parts(str(whole), 3)  # part 2 never wrote anything
    assert whole.read_bytes() == b"head\none\nthree\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crawl.log"]


def _crawl_group(urls, part, emit):
    for url in urls:
        if url.endswith("/2") and part == 2:
            raise RuntimeError("this process breaks")
        emit(url.upper())


@SPLITS
def test_results_stream_back_and_a_broken_process_loses_only_its_rest(caplog, tmp_path):
    received = []
    before = signal.getsignal(signal.SIGINT)
    with caplog.at_level(logging.ERROR, logger="crawler.crawl.shards"):
        stopped = shards.crawl_apart(shards.host_groups(URLS, 2), _crawl_group, received.append,
                                     log_file=str(tmp_path / "crawl.log"))
    assert sorted(received) == ["HTTP://A.EXAMPLE/1", "HTTP://A.EXAMPLE/2", "HTTP://A.EXAMPLE:8080/3",
                                "HTTP://B.EXAMPLE/1", "HTTP://C.EXAMPLE/1"]
    assert not stopped
    assert "crawl process 2 failed (exit code 1)" in caplog.text
    assert "crawl process 2 failed (exit code 1)" in (tmp_path / "crawl.log.part2").read_text()  # the run's log
    assert signal.getsignal(signal.SIGINT) is before


def _warc_uris(path) -> list[tuple[str, str]]:
    with open(path, "rb") as fh:
        return [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(fh)]


def _spiders(env, run) -> int:
    return (env.dir / run.report["run"]["archive"] / "crawl.log").read_text().count("] INFO: Spider opened")


@SPLITS
def test_a_split_crawl_gives_one_process_results_and_one_archive(http_server, cli_env):
    http_server.route("/story", _article)
    hosts = {"ip": http_server.url("/"), "name": http_server.url("/").replace("127.0.0.1", "localhost")}
    sources = {}
    for host, base in hosts.items():
        sources.update({
            f"{host}-story": {"url": base + "story", "title": "River ferries return to the old harbour",
                              "claimed_updated": "2024-03-14"},
            f"{host}-pdf": {"url": base + "doc.pdf", "title": "Citecheck test PDF"},
            f"{host}-missing": {"url": base + "missing", "title": "x"},
        })
    write_citations(cli_env.dir / "citations.yaml", sources)
    whole = cli_env.verify("--allow-private", "--full", *FAST, "-s", "CITECHECK_CRAWL_PROCESSES=1")
    split = cli_env.verify("--allow-private", "--full", *FAST, "-s", "CITECHECK_CRAWL_PROCESS_MIN_URLS=2")

    assert whole.code == split.code == 1, split.stderr
    assert [_comparable(r) for r in split.report["results"]] == [_comparable(r) for r in whole.report["results"]]
    assert split.by_source()["name-story"]["date"]["verdict"] == "match"
    run_dir = cli_env.dir / split.report["run"]["archive"]
    assert not list(run_dir.glob("*.part*"))
    assert _spiders(cli_env, split) == _spiders(cli_env, whole) + 1  # two crawls where there was one (and the rescue crawl)
    records = _warc_uris(run_dir / f"{run_dir.name}.warc.gz")
    responses = {uri for kind, uri in records if kind == "response"}
    with open(run_dir / f"{run_dir.name}.warc.gz", "rb") as fh:  # every process's warcinfo names the file it is in
        assert {r.rec_headers.get_header("WARC-Filename") for r in ArchiveIterator(fh) if r.rec_type == "warcinfo"} == {
            f"{run_dir.name}.warc.gz"}
    assert {source["url"] for source in sources.values()} <= responses
    assert {uri.split("/")[2].split(":")[0] for uri in responses if uri.endswith("/robots.txt")} == {
        "127.0.0.1", "localhost"}
    assert not list((cli_env.dir / "archive").glob("citecheck.db-*"))  # closed, not just dropped at exit
    db = sqlite3.connect(cli_env.dir / "archive" / "citecheck.db")
    rows = db.execute("select count(*), count(distinct url) from snapshots where run = ?",
                      [split.report["run"]["id"]]).fetchone()
    assert rows[0] == rows[1] >= len(sources)
    audit = subprocess.run([sys.executable, "-m", "crawler", "audit", "--archive", "archive"], cwd=cli_env.dir,
                           capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert audit.returncode == 0, audit.stdout + audit.stderr


@SPLITS
def test_a_replay_is_never_split(http_server, cli_env):
    http_server.route("/story", _article)
    base = http_server.url("/")
    write_citations(cli_env.dir / "citations.yaml", {
        "ip": {"url": base + "story", "title": "Ferries"},
        "name": {"url": base.replace("127.0.0.1", "localhost") + "story", "title": "Ferries"}})
    live = cli_env.verify("--allow-private", *FAST, "-s", "CITECHECK_CRAWL_PROCESS_MIN_URLS=2")
    warc = next((cli_env.dir / live.report["run"]["archive"]).glob("*.warc.gz"))
    replay = cli_env.verify("--allow-private", *FAST, "-s", "CITECHECK_CRAWL_PROCESS_MIN_URLS=2", "--replay", str(warc))
    assert _spiders(cli_env, live) == _spiders(cli_env, replay) + 1
    assert [r["link"] for r in replay.report["results"]] == [r["link"] for r in live.report["results"]]


@SPLITS
def test_after_a_split_crawl_dead_links_are_still_rescued(http_server, cli_env):
    from tests.support.archive_server import serve_archive

    dead = [http_server.url("/missing"), http_server.url("/missing").replace("127.0.0.1", "localhost")]
    with serve_archive({dead[0]: ["20260220083000"], dead[1]: ["20260101120000"]}) as arch:
        write_citations(cli_env.dir / "citations.yaml", {
            "ip": {"url": dead[0], "title": "x", "claimed_updated": "2026-02-19"},
            "name": {"url": dead[1], "title": "x", "claimed_updated": "2026-02-19"}})
        result = cli_env.verify(
            "--allow-private", *FAST, "-s", "CITECHECK_RESCUE=True", "-s", "CITECHECK_CRAWL_PROCESS_MIN_URLS=2",
            "-s", f"CITECHECK_WAYBACK_ENDPOINT={arch.wayback_endpoint}",
            "-s", f"CITECHECK_TIMEGATE_ENDPOINT={arch.timegate_endpoint}")
        archive_host = arch.url("/")
    assert [result.by_source()[s]["rescue"]["archived_at"][:10] for s in ("ip", "name")] == ["2026-02-20", "2026-01-01"]
    warc = next((cli_env.dir / result.report["run"]["archive"]).glob("*.warc.gz"))
    uris = [uri for kind, uri in _warc_uris(warc) if kind == "response"]
    assert uris[-1].startswith(archive_host)  # the lookups come after both crawls' parts
    assert _spiders(cli_env, result) == 3


def _wait_for_term(urls, part, emit):
    signals = []
    signal.signal(signal.SIGTERM, lambda *_: signals.append(True))  # as Scrapy: stop, and report what was done
    emit(("started", part, os.getpgid(0)))
    while not signals:
        time.sleep(0.01)
    time.sleep(0.2)  # a second signal, had one been sent, would be in by now
    emit(("stopped", part, len(signals)))


@SPLITS
def test_a_sigterm_to_the_parent_reaches_each_crawl_process_once_and_keeps_their_results():
    received = []

    def receive(message):
        received.append(message)
        if len(received) == 2:  # both are running: stop the run as a CI runner or systemd would
            os.kill(os.getpid(), signal.SIGTERM)

    before = signal.getsignal(signal.SIGTERM)
    assert shards.crawl_apart(shards.host_groups(URLS, 2), _wait_for_term, receive) is True
    started = {part: group for kind, part, group in received if kind == "started"}
    assert sorted(started) == [1, 2] and os.getpgid(0) not in started.values()  # a group signal reaches the parent only
    assert sorted(m for m in received if m[0] == "stopped") == [("stopped", 1, 1), ("stopped", 2, 1)]
    assert signal.getsignal(signal.SIGTERM) is before


ORPHAN = """
import os, sys, time
from crawler.checks import linkstatus
from crawler.crawl import shards
def crawl(urls, part, emit):
    emit(os.getpid())
    time.sleep(60)
shards.crawl_apart([["http://a.example/"], ["http://b.example/"]], crawl, lambda pid: print(pid, flush=True))
"""


@SPLITS
def test_crawl_processes_do_not_outlive_a_killed_parent():
    parent = subprocess.Popen([sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    children = [int(parent.stdout.readline()) for _ in range(2)]
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in children)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie waiting for init counts as gone
        return stat.read().split(") ", 1)[1][0] != "Z"


@SPLITS
def test_a_failing_parent_leaves_no_crawl_process_behind():
    def receive(message):
        raise RuntimeError("the parent breaks")

    with pytest.raises(RuntimeError):
        shards.crawl_apart(shards.host_groups(URLS, 2), _wait_for_term, receive)
    assert multiprocessing.active_children() == []
