"""A run over Redis: a coordinator (``verify --redis``) and real worker processes (``citecheck worker``).

Everything is real: a redis-server on a free port, worker processes as
users start them, and hosts on loopback addresses (127.0.0.1, 127.0.0.2,
127.0.0.3 are three hosts to a crawler). The verdicts must be the local
run's, the archive one archive.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import redis as redis_py
from warcio.archiveiterator import ArchiveIterator

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
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


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
    records = _warc(run_dir / "run.warc.gz")
    infos = [info for kind, _, _, info in records if kind == "warcinfo"]
    workers_seen = {line for info in infos for line in info.decode().splitlines() if line.startswith("citecheck-worker")}
    assert len(workers_seen) >= 2  # the hosts were shared out, each worker's part opened by its warcinfo
    assert {name for kind, _, name, _ in records if kind == "warcinfo"} == {"run.warc.gz"}
    responses = {uri for kind, uri, _, _ in records if kind == "response"}
    assert {source["url"] for source in sources.values()} <= responses
    assert {uri.split("/")[2].split(":")[0] for uri in responses if uri.endswith("/robots.txt")} == set(HOSTS)
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
    result = cli_env.verify("--allow-private", "--redis", redis.url, *FAST, "-s", "CITECHECK_REDIS_NO_WORKER_WAIT=3")
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
