"""A run over Redis with 1, 2 and 4 workers against the same loopback pages as ``bench/crawl.py``.

    .venv/bin/python bench/distributed.py [--pages 2000] [--hosts 20] [--latency-ms 50] [--workers 1,2,4]
                                          [--keep DIR]

Serves the crawl benchmark's pages (``bench/server.py``: one host per loopback
address, a fixed latency, ETag/304, gzip), runs the single-process
``citecheck verify`` once, then ``verify --redis`` with a real redis-server
and N ``citecheck worker`` processes for each N, every run in full (no
304s: each run fetches and extracts all pages). Prints, per run: wall time,
pages per second, CPU per page of ``verify`` (with --redis: the coordinator)
and of the workers (their crawl processes and extraction pools included), the
most requests any host answered at once (the per-host limit is 2), how many
results differ from the single-process run's; then what Redis holds per queued
request (a run seeded and measured before any worker takes from it) and what a
run adds to the archive per page (database, WARC, text) on a full night and on
a night of 304s. The figures behind docs/SCALING.md; on a shared 2-core VM
more workers add processes, not cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.crawl import build_site, same_verdicts, summary  # noqa: E402
from crawler.record.archive import run_warc  # noqa: E402
from bench.server import Hosts  # noqa: E402
from tests.support.redis_server import redis_server  # noqa: E402

SETTINGS = ["CITECHECK_RESCUE=False", "CITECHECK_CRAWL_PROCESSES=1"]  # the loopback only; one process when local
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def verify(workdir: Path, archive: Path, report: Path, *extra: str) -> tuple[float, float, dict]:
    """One ``citecheck verify``: wall seconds, CPU seconds of it and its children (not the workers'), report."""
    cmd = [sys.executable, "-m", "crawler", "verify", "citations.yaml", "--allow-private", "-q",
           "--archive", str(archive), "--json", str(report), *extra] + [a for s in SETTINGS for a in ("-s", s)]
    start = time.monotonic()
    with open(workdir / f"{report.stem}.out", "wb") as out:
        proc = subprocess.Popen(cmd, cwd=workdir, env=ENV, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"citecheck exited {code}; see {workdir / (report.stem + '.out')}")
    return wall, usage.ru_utime + usage.ru_stime, json.loads(report.read_text())


def archive_bytes(archive: Path) -> dict[str, int]:
    """The archive's database, and the newest run's WARC and text files."""
    run_dir = max(path for path in archive.iterdir() if path.is_dir())
    text = run_dir / "text"
    return {"db": (archive / "citecheck.db").stat().st_size, "warc": run_warc(run_dir).stat().st_size,
            "text": sum(path.stat().st_size for path in text.iterdir()) if text.is_dir() else 0}


def start_workers(redis_url: str, count: int) -> list[subprocess.Popen]:
    procs = [subprocess.Popen([sys.executable, "-m", "crawler", "worker", "--redis", redis_url, "--allow-private"],
                              env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(count)]
    import redis

    client = redis.Redis.from_url(redis_url)
    while len(client.keys("citecheck:worker:*")) < count:
        time.sleep(0.05)
    client.close()
    return procs


def stop_workers(procs: list[subprocess.Popen]) -> float:
    """CPU seconds the workers used, their crawl processes and extraction pools included."""
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    cpu = 0.0
    for proc in procs:
        _, _, usage = os.wait4(proc.pid, 0)
        cpu += usage.ru_utime + usage.ru_stime
    return cpu


def memory_per_request(redis_url: str, urls: list[str]) -> tuple[float, int]:
    """Bytes Redis holds per queued request of a seeded run (as the coordinator seeds it), and its request's size."""
    import redis
    from scrapy_redis.queue import Base

    from crawler.crawl import frontier
    from crawler.crawl.spiders.citations import CitationsSpider

    client = redis.Redis.from_url(redis_url)
    before = client.info("memory")["used_memory"]
    spider = CitationsSpider()
    encode = Base(client, spider, frontier.key("bench", "frontier"))._encode_request
    requests = [(url, frontier.host_of(url), encode(spider.request(url))) for url in urls]
    frontier.seed(client, "bench", {"USER_AGENT": "bench"}, requests)
    after = client.info("memory")["used_memory"]
    frontier.close(client, "bench")
    client.close()
    return (after - before) / len(urls), sum(len(data) for _, _, data in requests) // len(urls)


def most_in_flight(hosts: Hosts) -> int:
    most = max(server.most_active for server in hosts.servers)
    for server in hosts.servers:
        server.most_active = 0
    return most


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--keep", type=Path, help="keep the site, archives and logs here")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="citecheck-bench-distributed-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"citecheck distributed benchmark: {args.pages} pages over {args.hosts} hosts, "
          f"{args.latency_ms:g} ms latency; {os.cpu_count()} CPUs", flush=True)
    with Hosts(args.hosts, args.latency_ms / 1000) as hosts, redis_server(workdir / "redis") as server:
        doc = build_site(hosts, args.pages)
        doc.pop("_sample")
        (workdir / "citations.yaml").write_text(json.dumps(doc), encoding="utf-8")
        urls = [source["url"] for source in doc["sources"].values()]
        per_request, encoded = memory_per_request(server.url, urls)
        print(f"Redis: {per_request:,.0f} bytes per queued request ({encoded} bytes of it the encoded request)")
        rows, stored = [], []
        wall, cpu, local = verify(workdir, workdir / "archive-local", workdir / "report-local.json", "--full")
        rows.append(("local, 1 process", wall, cpu, 0.0, most_in_flight(hosts), 0, summary(local["results"])))
        for count in counts + counts[-1:]:  # the last count twice: a first night, then a night of 304s
            night = "304s" if (workdir / f"archive-{count}").is_dir() else "full"
            procs = start_workers(server.url, count)
            try:
                wall, cpu, report = verify(workdir, workdir / f"archive-{count}", workdir / f"report-{count}.json",
                                           "--redis", server.url, *(["--full"] if night == "full" else []))
            finally:
                workers_cpu = stop_workers(procs)
            rows.append((f"--redis, {count} worker{'s' * (count > 1)}, {night}", wall, cpu, workers_cpu,
                         most_in_flight(hosts), same_verdicts(local["results"], report["results"]),
                         summary(report["results"])))
            stored.append(archive_bytes(workdir / f"archive-{count}"))
    print(f"{'run':<29}{'wall s':>8}{'pages/s':>9}{'CPU ms/page: verify':>21}{'workers':>9}"
          f"{'max in flight/host':>20}{'results differing':>19}")
    for name, wall, cpu, workers_cpu, in_flight, differing, _ in rows:
        print(f"{name:<29}{wall:>8.1f}{args.pages / wall:>9.1f}{1000 * cpu / args.pages:>21.1f}"
              f"{1000 * workers_cpu / args.pages:>9.1f}{in_flight:>20}{differing:>19}")
    print("verdicts:", json.dumps(rows[0][6], sort_keys=True))
    first, second = stored[-2], stored[-1]
    print("archive per page, full night: " + ", ".join(f"{name} {size / args.pages / 1024:.1f} KiB"
                                                        for name, size in first.items()))
    print(f"archive per page, night of 304s: db +{(second['db'] - first['db']) / args.pages / 1024:.1f} KiB, "
          f"warc {second['warc'] / args.pages / 1024:.1f} KiB, text {second['text'] / args.pages / 1024:.1f} KiB")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if any(row[5] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
