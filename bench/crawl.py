"""Crawl benchmark: the real ``citecheck verify`` against many slow loopback hosts.

    .venv/bin/python bench/crawl.py [--pages 2000] [--hosts 20] [--latency-ms 50] [--quick]
                                    [--mode polite|unthrottled|both] [--keep DIR]

Serves N generated news pages (60-120 KB, JSON-LD dates, ETag/Last-Modified,
304s, gzip) from H loopback addresses (127.0.0.1 ... 127.0.0.H), each response
after a fixed latency; writes a citations.yaml with one source and one
footnote per page; runs the CLI twice in a subprocess (a first crawl, then an
incremental one over unchanged pages) and prints wall time, pages per second,
CPU seconds per page, peak memory, bytes served, the share of 304s, the floor
(``bench/floor.py``; its extraction CPU is measured on sample pages just before
and just after the first run) and one verdict line per target.

``polite`` uses the product's politeness settings (at most 2 requests in flight
per host, AutoThrottle pacing by latency); ``unthrottled`` turns AutoThrottle
off, leaving only the per-host cap, to measure the machinery itself. Archive
lookups (CITECHECK_RESCUE) are off in both: the benchmark must not leave loopback.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import floor as floors  # noqa: E402
from bench.pages import make_page  # noqa: E402
from bench.server import Hosts  # noqa: E402

MODES = {"polite": [], "unthrottled": ["AUTOTHROTTLE_ENABLED=False"]}
ALWAYS = ["CITECHECK_RESCUE=False"]
TARGETS = {"floor_ratio": 2.0, "rss_mb": 400, "share_304": 0.95, "second_ratio": 0.30}
CPU_SAMPLE = 40
VOLATILE = ("http_status", "link_detail", "change", "snapshot", "hops")  # differ between a 200 and a 304 by design


def build_site(hosts: Hosts, pages: int) -> dict:
    """Serve page i on host i % H; returns the citations document."""
    sources, footnotes, bodies = {}, {}, []
    for n in range(pages):
        host = n % len(hosts.servers)
        base = hosts.base_url(host)
        page = make_page(n, base)
        hosts.add(host, page.path, page.html, f'"{hashlib.sha1(page.html).hexdigest()[:16]}"')
        claimed = (page.modified or page.published).date().isoformat()
        sources[f"s{n}"] = {"url": base + page.path, "title": page.title, "publisher": "Tidewater Courier",
                            "claimed_updated": claimed}
        footnotes[str(n + 1)] = [{"source": f"s{n}"}]
        if n % max(1, pages // CPU_SAMPLE) == 0:
            bodies.append((base + page.path, page.html))
    return {"document": {"title": "Benchmark document", "publisher": "bench", "issue": "B/1"},
            "sources": sources, "footnotes": footnotes, "_sample": bodies}


def extraction_cpu(sample: list[tuple[str, bytes]]) -> float:
    """CPU seconds per page of ``crawler.extract.extraction.extract`` on sample pages (warm)."""
    from crawler.extract.extraction import extract

    headers = {"content-type": "text/html; charset=utf-8"}
    extract(sample[0][1], sample[0][0], headers)  # imports and caches outside the timing
    start = time.process_time()
    for url, body in sample:
        extract(body, url, headers)
    return (time.process_time() - start) / len(sample)


class TreeSampler(threading.Thread):
    """Peak summed RSS and PSS, and CPU, of a process and all its descendants (every 0.2 s).

    The extraction pool's workers are grandchildren that wait4 does not account
    for, so CPU is also summed from /proc (ticks of every process last seen).
    """

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.done = pid, threading.Event()
        self.peak_rss_kb = self.peak_pss_kb = 0
        self.cpu_ticks: dict[int, int] = {}

    def _stats(self) -> dict[int, list[str]]:
        stats = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as fh:
                        stats[int(entry)] = fh.read().rsplit(")", 1)[1].split()
                except (OSError, IndexError):
                    pass
        return stats

    @staticmethod
    def _kb(path: str, field: str) -> int:
        try:
            with open(path) as fh:
                return next((int(line.split()[1]) for line in fh if line.startswith(field)), 0)
        except OSError:
            return 0

    def sample(self) -> None:
        stats = self._stats()
        tree, frontier = {self.pid}, {self.pid}
        while frontier:
            frontier = {p for p, st in stats.items() if int(st[1]) in frontier} - tree
            tree |= frontier
        for pid in tree & stats.keys():
            self.cpu_ticks[pid] = int(stats[pid][11]) + int(stats[pid][12])
        self.peak_rss_kb = max(self.peak_rss_kb, sum(self._kb(f"/proc/{p}/status", "VmRSS:") for p in tree))
        self.peak_pss_kb = max(self.peak_pss_kb, sum(self._kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in tree))

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu_ticks.values()) / self.TICK

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.sample()


def run_cli(workdir: Path, archive: Path, settings: list[str], report: Path, timeout: float) -> dict:
    """One ``citecheck verify`` in a subprocess, measured by wait4 and a memory sampler."""
    cmd = [sys.executable, "-m", "crawler", "verify", "citations.yaml", "--allow-private", "--archive", str(archive),
           "--json", str(report)] + [arg for s in settings for arg in ("-s", s)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with open(workdir / f"{report.stem}.out", "wb") as out:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=workdir, stdout=out, stderr=subprocess.STDOUT, env=env)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        timer.cancel()
        sampler.done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.exit(f"citecheck exited {proc.returncode}; see {workdir / (report.stem + '.out')}")
    cpu = max(usage.ru_utime + usage.ru_stime, sampler.cpu_seconds)
    # not ru_maxrss: it includes the forked bench's own pages from before exec
    return {"wall": wall, "cpu": cpu, "cpu_crawl": sampler.cpu_ticks.get(proc.pid, 0) / sampler.TICK,
            "tree_rss_mb": sampler.peak_rss_kb / 1024,
            "tree_pss_mb": sampler.peak_pss_kb / 1024, "report": json.loads(report.read_text())}


def summary(results: list[dict]) -> dict:
    counts: dict = {}
    for r in results:
        key = f"{r['link']}/{r['overall']}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def same_verdicts(first: list[dict], second: list[dict]) -> int:
    """How many results differ between the runs beyond what a 304 changes by design."""
    strip = lambda r: {k: v for k, v in r.items() if k not in VOLATILE}  # noqa: E731
    return sum(strip(a) != strip(b) for a, b in zip(first, second)) + abs(len(first) - len(second))


def effective_settings(overrides: list[str]):
    """The settings the CLI will run with: the project's, then ``-s NAME=VALUE`` as the CLI applies them."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.crawl.settings", priority="project")
    for override in overrides:
        settings.set(*override.split("=", 1), priority="cmdline")
    return settings


def measure_mode(mode: str, site_dir: Path, args, hosts: Hosts, sample: list[tuple[str, bytes]]) -> dict:
    """Both runs of one mode. The extraction CPU for the first run's floor is measured just before
    and just after it, and averaged: a shared VM's speed drifts by a tenth or more within minutes."""
    settings = MODES[mode] + ALWAYS
    politeness = floors.Politeness.from_settings(effective_settings(settings))
    archive = site_dir / f"archive-{mode}"
    shutil.rmtree(archive, ignore_errors=True)
    runs = {}
    for name, status in (("first", 200), ("second", 304)):
        hosts.counters.reset()
        cpu_before = extraction_cpu(sample) if status == 200 else 0.0
        run = run_cli(site_dir, archive, settings, site_dir / f"report-{mode}-{name}.json", args.timeout)
        run["served"] = hosts.counters.snapshot()
        run["extraction_cpu"] = (cpu_before, extraction_cpu(sample) if status == 200 else 0.0)
        run["floor"] = floors.floor(args.pages, args.hosts, args.latency, status, politeness,
                                    sum(run["extraction_cpu"]) / 2, args.cores)
        runs[name] = run
    return {"mode": mode, "politeness": politeness, "settings": settings, "runs": runs}


def _mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def report_mode(m: dict, args) -> list[str]:
    first, second = m["runs"]["first"], m["runs"]["second"]
    lines = [f"== {m['mode']}: {m['politeness'].describe()}", f"   -s {' -s '.join(m['settings'])}"]
    for name, run in (("first run (full)", first), ("second run (incremental)", second)):
        served, fl = run["served"], run["floor"]
        pages = sum(n for (kind, _), n in served["responses"].items() if kind == "page")
        n304 = served["responses"].get(("page", 304), 0)
        lines += [
            f"-- {name}",
            f"   wall {run['wall']:.1f} s · {args.pages / run['wall']:.1f} pages/s · CPU (all processes) {run['cpu']:.1f} s "
            f"= {run['cpu'] / args.pages * 1000:.1f} ms/page, of which the crawl process {run['cpu_crawl']:.1f} s",
            f"   memory: peak RSS {run['tree_rss_mb']:.0f} MB summed over the process tree "
            f"(PSS {run['tree_pss_mb']:.0f} MB)",
            f"   served {pages} page responses ({n304} × 304 = {n304 / max(pages, 1):.1%}), "
            f"{_mb(served['bytes_out'])} out, {_mb(served['bytes_in'])} in",
            f"   floor {fl['seconds']:.1f} s ({fl['bound_by']}): network {fl['network']['seconds']:.1f} s "
            f"(per host {fl['network']['per_host']:.1f} s, all hosts {fl['network']['all_hosts']:.1f} s), "
            f"extraction CPU {fl['cpu']:.1f} s on {args.cores} cores; wall / floor = "
            f"{run['wall'] / fl['seconds']:.2f}",
            f"   verdicts: {json.dumps(summary(run['report']['results']), sort_keys=True)}",
        ]
        if any(run["extraction_cpu"]):
            lines.insert(-2, "   extraction CPU {:.1f} ms/page just before the run, {:.1f} just after (the floor takes "
                             "the mean)".format(*(cpu * 1000 for cpu in run["extraction_cpu"])))
    if m["politeness"].delay:
        lines.append(f"   (both runs are bounded by DOWNLOAD_DELAY={m['politeness'].delay:g} s per host: a 304 saves "
                     "bytes and CPU, not politeness time)")
    differ = same_verdicts(first["report"]["results"], second["report"]["results"])
    share = second["served"]["responses"].get(("page", 304), 0) / args.pages
    ratio_floor = first["wall"] / first["floor"]["seconds"]
    rss = max(first["tree_rss_mb"], second["tree_rss_mb"])
    ratio_second = second["wall"] / first["wall"]
    ratio_floors = second["floor"]["seconds"] / first["floor"]["seconds"]
    ok = lambda good: "PASS" if good else "MISS"  # noqa: E731
    lines += [
        f"   second run: {second['wall'] / first['wall']:.0%} of the first's time, "
        f"{second['served']['bytes_out'] / max(first['served']['bytes_out'], 1):.1%} of its bytes; "
        f"results differing beyond status/change/snapshot: {differ}",
        f"   {ok(ratio_floor <= TARGETS['floor_ratio'])} first run within 2x of the floor: {ratio_floor:.2f}x",
        f"   {ok(rss < TARGETS['rss_mb'])} peak RSS under 400 MB: {rss:.0f} MB (summed over the process tree)",
        f"   {ok(share >= TARGETS['share_304'])} second run at least 95 % 304: {share:.1%}",
        f"   {ok(ratio_second < TARGETS['second_ratio'])} second run under 30 % of the first's time: {ratio_second:.0%} "
        f"(the two floors alone: {ratio_floors:.0%}; the second run is {second['wall'] / second['floor']['seconds']:.2f}x "
        "its own floor)",
    ]
    return lines


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--quick", action="store_true", help="200 pages over 5 hosts: a fast sanity run")
    parser.add_argument("--mode", choices=["polite", "unthrottled", "both"], default="both")
    parser.add_argument("--cores", type=int, default=2, help="cores the CPU floor may use")
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds one CLI run may take")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it (default: a temp dir)")
    args = parser.parse_args(argv)
    if args.quick:
        args.pages, args.hosts = 200, 5
    if not 1 <= args.hosts <= 254:
        parser.error("--hosts must be 1..254 (127.0.0.1 ... 127.0.0.254)")
    args.latency = args.latency_ms / 1000
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="citecheck-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    with Hosts(args.hosts, args.latency, lifetime=args.timeout * 4 + 600) as hosts:
        started = time.monotonic()
        site = build_site(hosts, args.pages)
        sample = site.pop("_sample")
        (work / "citations.yaml").write_text(json.dumps(site, indent=0), encoding="utf-8")
        size = sum(s.size for h in hosts.pages for s in h.values())
        print(f"citecheck crawl benchmark: {args.pages} pages over {args.hosts} hosts (127.0.0.1-{args.hosts}), "
              f"latency {args.latency_ms:g} ms, mean page {size / args.pages / 1000:.0f} KB "
              f"(gzip on the wire), built in {time.monotonic() - started:.1f} s")
        print(f"extraction CPU: crawler.extract.extraction.extract on {len(sample)} of the pages, warm, in this process")
        modes = ["polite", "unthrottled"] if args.mode == "both" else [args.mode]
        for mode in modes:
            print("\n".join(report_mode(measure_mode(mode, work, args, hosts, sample), args)), flush=True)
    print(f"work dir {work}" + ("" if args.keep else " (removed)"))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
