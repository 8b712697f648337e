"""A run over Redis: a coordinator (``verify --redis``) and real worker processes (``citecheck worker``).

Everything is real: a redis-server on a free port, worker processes as
users start them, and hosts on loopback addresses (127.0.0.1, 127.0.0.2,
127.0.0.3 are three hosts to a crawler). The verdicts must be the local
run's, the archive one archive.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import redis as redis_py
from warcio.archiveiterator import ArchiveIterator

from crawler.crawl import shards
from crawler.record import archive
from tests.conftest import FAST, ROOT, write_citations
from tests.support.server import Response, serve
from tests.test_incremental_reuse import _article, _comparable

HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@contextlib.contextmanager
def servers(hosts=HOSTS):
    with contextlib.ExitStack() as stack:
        started = [stack.enter_context(serve(host=host)) for host in hosts]
        for server in started:
            server.route("/story", _article)
        yield started


@contextlib.contextmanager
def workers(redis_url: str, count: int, *args: str):
    """``count`` worker processes, stopped with SIGTERM (as systemd would) when the block ends."""
    procs = [subprocess.Popen([sys.executable, "-m", "crawler", "worker", "--redis", redis_url, "--allow-private",
                               *args], env=ENV, stderr=subprocess.PIPE, text=True) for _ in range(count)]
    client = redis_py.Redis.from_url(redis_url)
    try:
        deadline = time.monotonic() + 60
        while len(client.keys("citecheck:worker:*")) < count and time.monotonic() < deadline:
            time.sleep(0.05)  # each has registered: none misses the start of a run
        yield procs
    finally:
        client.close()
        shards.stop(procs)


def _sources(started) -> dict:
    sources = {}
    for n, server in enumerate(started):
        sources.update({
            f"h{n}-story": {"url": server.url("/story"), "title": "River ferries return to the old harbour",
                            "claimed_updated": "2024-03-14"},
            f"h{n}-pdf": {"url": server.url("/doc.pdf"), "title": "Citecheck test PDF"},
            f"h{n}-missing": {"url": server.url("/missing"), "title": "x"},
            f"h{n}-moved": {"url": server.url("/redirect-chain"), "title": "x"},
        })
    return sources


def _warc(path) -> list:
    with open(path, "rb") as fh:
        return [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers.get_header("WARC-Filename"),
                 r.raw_stream.read() if r.rec_type == "warcinfo" else None) for r in ArchiveIterator(fh)]


def _slow_article(request):
    time.sleep(0.5)  # a host takes a while: the others go to other workers
    return _article(request)


def test_three_workers_give_the_local_verdicts_and_one_archive(redis, cli_env):
    with servers() as started:
        sources = _sources(started)
        write_citations(cli_env.dir / "citations.yaml", sources)
        local = cli_env.verify("--allow-private", "--full", *FAST)
        for server in started:
            server.route("/story", _slow_article)
        with workers(redis.url, 3) as procs:  # one host at a time each (CONCURRENT_REQUESTS = the per-host limit)
            spread = cli_env.verify("--allow-private", "--full", "--redis", redis.url, *FAST,
                                    "-s", "CONCURRENT_REQUESTS=2")
            again = cli_env.verify("--allow-private", "--redis", redis.url, *FAST)  # conditional: 304s
        assert all(proc.returncode == 0 for proc in procs)

    assert local.code == spread.code == again.code == 1, spread.stderr
    expected = [_comparable(r) for r in local.report["results"]]
    assert [_comparable(r) for r in spread.report["results"]] == expected
    assert [_comparable(r) for r in again.report["results"]] == expected
    assert again.by_source()["h2-story"]["http_status"] == 304  # completed from the archive, by the coordinator
    run_dir = cli_env.dir / spread.report["run"]["archive"]
    assert not list(run_dir.glob("*.part*"))
    records = _warc(archive.run_warc(run_dir))
    infos = [info for kind, _, _, info in records if kind == "warcinfo"]
    workers_seen = {line for info in infos for line in info.decode().splitlines() if line.startswith("citecheck-worker")}
    assert len(workers_seen) >= 2  # the hosts were shared out, each worker's part opened by its warcinfo
    assert {name for kind, _, name, _ in records if kind == "warcinfo"} == {archive.warc_name(run_dir.name)}
    responses = {uri for kind, uri, _, _ in records if kind == "response"}
    assert {source["url"] for source in sources.values()} <= responses
    assert {uri.split("/")[2].split(":")[0] for uri in responses if uri.endswith("/robots.txt")} == set(HOSTS)
    night = _warc(archive.run_warc(cli_env.dir / again.report["run"]["archive"]))  # a 304 a worker got: a revisit
    assert ("revisit", sources["h2-story"]["url"]) in {(kind, uri) for kind, uri, _, _ in night}
    db = sqlite3.connect(cli_env.dir / "archive" / "citecheck.db")
    for run in (spread, again):
        rows = db.execute("select count(*), count(distinct url) from snapshots where run = ?",
                          [run.report["run"]["id"]]).fetchone()
        assert rows[0] == rows[1] >= 12
    assert (run_dir / "crawl.log").read_text().count("Spider opened") >= 2  # the workers' logs, in parts
    audit = subprocess.run([sys.executable, "-m", "crawler", "audit", "--archive", "archive"], cwd=cli_env.dir,
                           capture_output=True, text=True, env=ENV)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert redis_py.Redis.from_url(redis.url).keys(f"citecheck:run:{spread.report['run']['id']}:*") == [
        f"citecheck:run:{spread.report['run']['id']}:done".encode()]  # the run's frontier is gone


def test_without_a_worker_the_run_says_so_and_exits_3(redis, cli_env, http_server):
    write_citations(cli_env.dir / "citations.yaml", {"story": {"url": http_server.url("/story"), "title": "x"}})
    started = time.monotonic()
    result = cli_env.verify("--allow-private", "--redis", redis.url, *FAST)  # the default wait: the contract's
    assert result.code == 3
    assert time.monotonic() - started < 30
    assert f"no citecheck worker is serving {redis.url}" in result.stderr
    assert result.report["run"]["unreached"] == 1
    assert http_server.requests == []


def test_a_redis_that_is_not_there_is_exit_3_with_a_message(cli_env, http_server):
    write_citations(cli_env.dir / "citations.yaml", {"story": {"url": http_server.url("/story"), "title": "x"}})
    result = cli_env.verify("--allow-private", "--redis", "redis://127.0.0.1:9/0", *FAST)
    assert result.code == 3
    assert "lost the connection to Redis at redis://127.0.0.1:9/0" in result.stderr
    worker = subprocess.run([sys.executable, "-m", "crawler", "worker", "--redis", "redis://127.0.0.1:9/0"],
                            capture_output=True, text=True, env=ENV, timeout=60)
    assert worker.returncode == 3 and "cannot reach Redis at redis://127.0.0.1:9/0" in worker.stderr


def test_replay_and_a_bad_url_are_refused(cli_env, http_server, tmp_path):
    write_citations(cli_env.dir / "citations.yaml", {"story": {"url": http_server.url("/story"), "title": "x"}})
    warc = tmp_path / "x.warc.gz"
    warc.write_bytes(b"")
    assert cli_env.verify("--redis", "redis://127.0.0.1:9/0", "--replay", str(warc)).code == 2
    assert cli_env.verify("--redis", "127.0.0.1:6379").code == 2


def _slow_pages(started, per_host: int, delay: float) -> dict:
    sources = {}
    for n, server in enumerate(started):
        server.route("/page", lambda request: Response(200, {"Content-Type": "text/html; charset=utf-8"},
                                                        f"<html><title>{request.path}</title></html>".encode(), delay))
        sources.update({f"h{n}-p{k}": {"url": server.url(f"/page?n={k}"), "title": f"/page?n={k}"}
                        for k in range(per_host)})
    return sources


def _verify_in_background(cli_env, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler", "verify", "citations.yaml", *args, "--json", "report.json"],
                            cwd=cli_env.dir, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(coordinator: subprocess.Popen, timeout: float = 120) -> tuple[str, str]:
    """Its output once it ends; killed, not left behind, when it does not end in time."""
    try:
        return coordinator.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        coordinator.kill()
        coordinator.communicate()
        raise


def _holders(client) -> set[int]:
    """Worker processes holding a host of a run (a worker id ends in -<pid>-<tag>)."""
    return {int(worker.decode().rsplit("-", 2)[1]) for name in client.keys("citecheck:run:*:hostlease")
            for worker in client.hvals(name)}


def _until_a_host_is_leased(client, timeout: float = 60) -> set[int]:
    """Wait until some worker holds a host: the run is under way. Returns the holders seen then,
    one reading of them (a lease can move between two readings)."""
    deadline = time.monotonic() + timeout
    while not (holders := _holders(client)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return holders


def test_a_worker_killed_mid_run_loses_nothing_and_no_url_is_recorded_twice(redis, cli_env):
    client = redis_py.Redis.from_url(redis.url)
    with servers() as started, workers(redis.url, 2) as procs:
        sources = _slow_pages(started, per_host=6, delay=0.4)
        write_citations(cli_env.dir / "citations.yaml", sources)
        coordinator = _verify_in_background(cli_env, "--allow-private", "--redis", redis.url, *FAST,
                                            "-s", "CONCURRENT_REQUESTS=2")
        holders = _until_a_host_is_leased(client)
        victim = next(proc for proc in procs if proc.pid in holders)
        victim.kill()  # SIGKILL: no goodbye, its crawl process dies with it
        out, err = _finish(coordinator)
        report = json.loads((cli_env.dir / "report.json").read_text())
    assert coordinator.returncode == 0, err
    assert "unreached" not in report["run"]
    assert {r["source"]: r["link"] for r in report["results"]} == {sid: "ok" for sid in sources}
    db = sqlite3.connect(cli_env.dir / "archive" / "citecheck.db")
    urls = [url for (url,) in db.execute("select url from snapshots where run = ?", [report["run"]["id"]])]
    assert len(urls) == len(set(urls)) and {s["url"] for s in sources.values()} <= set(urls)
    assert "a worker stopped answering; its URLs went back to the frontier" in err


def test_a_lost_redis_ends_the_run_with_exit_3_and_a_rerun_completes(redis, cli_env):
    client = redis_py.Redis.from_url(redis.url)
    with servers(HOSTS[:2]) as started, workers(redis.url, 2):
        sources = _slow_pages(started, per_host=6, delay=0.5)
        write_citations(cli_env.dir / "citations.yaml", sources)
        coordinator = _verify_in_background(cli_env, "--allow-private", "--redis", redis.url, *FAST)
        _until_a_host_is_leased(client)
        redis.stop()
        out, err = _finish(coordinator)
        assert coordinator.returncode == 3
        assert f"lost the connection to Redis at {redis.url}" in err
        redis.start()  # a restart on the same address: the workers carry on, a re-run completes
        again = cli_env.verify("--allow-private", "--redis", redis.url, *FAST)
    assert again.code == 0, again.stderr
    assert len(again.report["results"]) == len(sources)


def test_with_four_workers_no_host_sees_more_than_its_limit(redis, cli_env):
    """A host is leased whole: its per-host limit and its robots.txt Crawl-delay hold across workers."""
    starts: dict[str, list[float]] = {host: [] for host in HOSTS}
    with servers() as started, workers(redis.url, 4):
        sources = {}
        for server, pages in zip(started, (24, 8, 8)):
            def page(request, host=server.host):
                starts[host].append(time.monotonic())
                time.sleep(0.2)
                return Response(200, {"Content-Type": "text/html"}, b"<html><title>p</title></html>")
            server.route("/page", page)
            sources.update({f"{server.host}-{k}": {"url": server.url(f"/page?n={k}"), "title": "p"}
                            for k in range(pages)})
        started[1].route("/robots.txt", Response(200, {"Content-Type": "text/plain"},
                                                 b"User-agent: *\nCrawl-delay: 0.3\n"))
        write_citations(cli_env.dir / "citations.yaml", sources)
        result = cli_env.verify("--allow-private", "--redis", redis.url, *FAST)
        in_flight = {server.host: server.most_in_flight for server in started}
    assert result.code == 0, result.stderr
    assert in_flight == {HOSTS[0]: 2, HOSTS[1]: in_flight[HOSTS[1]], HOSTS[2]: 2}  # CONCURRENT_REQUESTS_PER_DOMAIN
    assert in_flight[HOSTS[1]] <= 2  # started 0.3 s apart (below), a slow answer may overlap the next
    assert [len(starts[host]) for host in HOSTS] == [24, 8, 8]  # each page once
    paced = starts[HOSTS[1]]  # 8 pages 0.3 s apart: 2.1 s (without the delay: 0.8 s); under load a new
    assert paced[-1] - paced[0] >= 0.3 * (len(paced) - 1) - 0.4  # connection's thread sees its start late


def test_a_local_run_keeps_the_per_host_limit_too(cli_env, http_server):
    """Scrapy 2.19 started every request waiting for a host at once (crawler.crawl.downloader)."""
    http_server.route("/page", Response(200, {"Content-Type": "text/html"}, b"<html><title>p</title></html>", 0.1))
    write_citations(cli_env.dir / "citations.yaml", {str(k): {"url": http_server.url(f"/page?n={k}"), "title": "p"}
                                                     for k in range(12)})
    assert cli_env.verify("--allow-private", *FAST, "--concurrency", "1").code == 0
    assert http_server.most_in_flight == 1


def test_a_coordinator_killed_mid_run_leaves_an_unsealed_run_the_next_run_reports(redis, cli_env, http_server):
    from tests.test_killed_runs import _recovers

    client = redis_py.Redis.from_url(redis.url)
    with servers(HOSTS[:1]) as started, workers(redis.url, 1):
        write_citations(cli_env.dir / "citations.yaml", _slow_pages(started, per_host=6, delay=1.0))
        coordinator = _verify_in_background(cli_env, "--allow-private", "--redis", redis.url, *FAST)
        _until_a_host_is_leased(client)
        coordinator.kill()
        coordinator.communicate()
    _recovers(cli_env.dir, http_server)  # audit: interrupted, not tampered; --repair; the next run chains on


def test_a_workers_crawl_process_that_dies_gives_its_urls_back_and_the_run_completes(redis, cli_env):
    from tests.test_killed_runs import _descendants

    client = redis_py.Redis.from_url(redis.url)
    with servers(HOSTS[:2]) as started, workers(redis.url, 1) as (worker,):
        sources = _slow_pages(started, per_host=4, delay=0.5)
        write_citations(cli_env.dir / "citations.yaml", sources)
        coordinator = _verify_in_background(cli_env, "--allow-private", "--redis", redis.url, *FAST)
        _until_a_host_is_leased(client)
        os.kill(_descendants(worker.pid)[0], signal.SIGKILL)  # the crawl, not the worker: its heartbeat goes on
        out, err = _finish(coordinator)
    assert coordinator.returncode == 0, err
    report = json.loads((cli_env.dir / "report.json").read_text())
    assert {r["source"]: r["link"] for r in report["results"]} == {sid: "ok" for sid in sources}


def test_a_one_run_worker_crawls_in_its_own_process_and_leaves_after_the_run(redis, cli_env):
    """As a split crawl's local workers do: no crawl process beside the worker, holding a second copy of it."""
    from tests.test_killed_runs import _descendants

    client = redis_py.Redis.from_url(redis.url)
    with servers(HOSTS[:2]) as started, workers(redis.url, 1, "--one-run") as (worker,):
        sources = _slow_pages(started, per_host=4, delay=0.5)
        write_citations(cli_env.dir / "citations.yaml", sources)
        coordinator = _verify_in_background(cli_env, "--allow-private", "--redis", redis.url, *FAST)
        _until_a_host_is_leased(client)
        beside = _descendants(worker.pid)
        out, err = _finish(coordinator)
        assert worker.wait(timeout=30) == 0  # gone once its run is crawled, before it is told to stop
    assert coordinator.returncode == 0, err
    assert beside == []
    report = json.loads((cli_env.dir / "report.json").read_text())
    assert {r["source"]: r["link"] for r in report["results"]} == {sid: "ok" for sid in sources}


def test_the_frontier_holds_a_few_urls_at_a_time_and_every_one_is_crawled(redis, cli_env):
    """The coordinator adds URLs as outcomes come back: Redis never holds more than
    CITECHECK_REDIS_FRONTIER_URLS requests, a host whose worker found it empty (and gave it up) is
    leased again when more of its URLs come, and every URL is crawled once."""
    client = redis_py.Redis.from_url(redis.url)
    with servers() as started, workers(redis.url, 2):
        sources = _slow_pages(started, per_host=6, delay=0.1)
        write_citations(cli_env.dir / "citations.yaml", sources)
        coordinator = _verify_in_background(cli_env, "--allow-private", "--redis", redis.url, *FAST,
                                            "-s", "CITECHECK_REDIS_FRONTIER_URLS=3", "-s", "CONCURRENT_REQUESTS=2",
                                            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
        held, leases = [], 0
        while coordinator.poll() is None:
            held += [client.hlen(name) for name in client.keys("citecheck:run:*:req")]
            leases += len(client.keys("citecheck:run:*:hostlease"))
            time.sleep(0.01)
        out, err = _finish(coordinator)
        report = json.loads((cli_env.dir / "report.json").read_text())
    assert coordinator.returncode == 0, err
    assert leases and 0 < max(held) <= 3
    assert {r["source"]: r["link"] for r in report["results"]} == {sid: "ok" for sid in sources}
    db = sqlite3.connect(cli_env.dir / "archive" / "citecheck.db")
    urls = [url for (url,) in db.execute("select url from snapshots where run = ?", [report["run"]["id"]])]
    assert len(urls) == len(set(urls)) and {url for url in urls if "citecheck-probe" not in url} == {
        s["url"] for s in sources.values()}
