"""A large crawl on one machine, split across local workers over a private Redis (``crawler.crawl.shards``).

The unit tests cover when a crawl is split and how the limits are shared out; the CLI tests crawl
two hosts (127.0.0.1 and localhost: one server, two Scrapy slots) split and unsplit, and compare
the results and the archive.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

import pytest
from scrapy.settings import Settings
from warcio.archiveiterator import ArchiveIterator

from crawler.checks import linkstatus
from crawler.crawl import collect, shards
from crawler.record import archive
from tests.conftest import FAST, ROOT, write_citations
from tests.test_incremental_reuse import _article, _comparable

SPLITS = pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("redis-server"),
                            reason="crawls are split on Linux only (prctl), with redis-server installed")


def _settings(**values) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.crawl.settings")
    settings.setdict(values)
    return settings


@SPLITS
def test_only_a_large_crawl_of_known_pages_is_split():
    urls = [f"http://h{n % 4}.example/{n}" for n in range(300)]
    known = {url: _revalidated(url) for url in urls[:260]}
    settings = _settings(CITECHECK_CRAWL_PROCESS_MIN_URLS=200)
    assert shards.process_count(urls, known, settings) == 2
    assert shards.process_count(urls, known, _settings()) == 1  # by default, from 5,000 URLs on
    assert shards.process_count(urls, {}, settings) == 1  # new pages: the cores go to extraction
    assert shards.process_count(urls[:100], known, settings) == 1  # too small to pay for the workers
    assert shards.process_count(urls, known, _settings(CITECHECK_CRAWL_PROCESSES=1)) == 1
    assert shards.process_count(urls[:3], known, _settings(CITECHECK_CRAWL_PROCESS_MIN_URLS=0)) == 2
    many_hosts = [f"http://h{n % 60}.example/{n}" for n in range(300)]  # every host's probe is never "known"
    probes = list(dict.fromkeys(linkstatus.probe_url(url) for url in many_hosts))
    assert shards.process_count(many_hosts + probes, {url: _revalidated(url) for url in many_hosts}, settings) == 2
    known_in_full = {url: _revalidated(url) | {"etag": None} for url in urls}  # --full, or nothing to revalidate
    assert shards.process_count(urls, known_in_full, settings) == 1


def _revalidated(url: str) -> dict:
    """A previous snapshot this run asks about with its validators."""
    return {"url": url, "final_url": url, "etag": '"v1"', "last_modified": None}


def test_the_workers_share_the_global_limits():
    settings = _settings(CONCURRENT_REQUESTS=64)
    split = shards.shared_limits(settings, 2)
    assert (split.getint("CONCURRENT_REQUESTS"), split.getint("CITECHECK_EXTRACT_WORKERS")) == (32, 1)
    assert split.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
    assert settings.getint("CONCURRENT_REQUESTS") == 64  # the run's own settings are untouched
    assert shards.shared_limits(_settings(CITECHECK_EXTRACT_WORKERS=0), 2).getint("CITECHECK_EXTRACT_WORKERS") == 0


def test_parts_are_appended_in_order_and_removed(tmp_path):
    whole = tmp_path / "crawl.log"
    whole.write_bytes(b"head\n")
    for part, text in ((1, b"one\n"), (3, b"three\n")):
        (tmp_path / f"crawl.log.part{part}").write_bytes(text)
    collect.join_parts(str(whole), 3)  # part 2 never wrote anything
    assert whole.read_bytes() == b"head\none\nthree\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crawl.log"]


def _warc_uris(path) -> list[tuple[str, str]]:
    with open(path, "rb") as fh:
        return [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(fh)]


def _workers(env, run) -> int:
    """Parts of the run's WARC that a worker wrote (each opened by a warcinfo naming it)."""
    with open(archive.run_warc(env.dir / run.report["run"]["archive"]), "rb") as fh:
        return sum(b"citecheck-worker:" in r.content_stream().read() for r in ArchiveIterator(fh)
                   if r.rec_type == "warcinfo")


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
    assert _workers(cli_env, whole) == 0 and _workers(cli_env, split) >= 1
    assert "Spider opened" in (run_dir / "crawl.log").read_text()  # the workers' logs, in the run's
    records = _warc_uris(archive.run_warc(run_dir))
    responses = {uri for kind, uri in records if kind == "response"}
    with open(archive.run_warc(run_dir), "rb") as fh:  # every process's warcinfo names the file it is in
        assert {r.rec_headers.get_header("WARC-Filename") for r in ArchiveIterator(fh) if r.rec_type == "warcinfo"} == {
            archive.warc_name(run_dir.name)}
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
    warc = archive.run_warc(cli_env.dir / live.report["run"]["archive"])
    replay = cli_env.verify("--allow-private", *FAST, "-s", "CITECHECK_CRAWL_PROCESS_MIN_URLS=2", "--replay", str(warc))
    assert _workers(cli_env, live) >= 1 and _workers(cli_env, replay) == 0
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
    warc = archive.run_warc(cli_env.dir / result.report["run"]["archive"])
    uris = [uri for kind, uri in _warc_uris(warc) if kind == "response"]
    assert uris[-1].startswith(archive_host)  # the lookups come after the workers' parts
    assert _workers(cli_env, result) >= 1
