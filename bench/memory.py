"""Memory in the number of citations: peak memory of the process tree at two sizes of the same job.

    .venv/bin/python bench/memory.py [--urls 2000 10000] [--pairs 2] [--hosts 50] [--latency-ms 5] [--distinct 200]

For each size, a first ``citecheck verify`` into a fresh archive and then the
nightly run over it (unchanged pages: 304s), on loopback hosts at low latency:
what a large nightly job costs in memory, not how polite it is. Each URL is
its own page (its own path, title and footnote); the bodies repeat every
``--distinct`` pages (the benchmark's news pages, 60-120 KB), which keeps the
benchmark's own memory and build time small and changes nothing that grows
with the number of URLs. Printed per size: peak PSS and RSS summed over the
process tree (``bench/tree.py``), wall, CPU, the archive's KB per URL; then
the growth per URL between the sizes and the memory the largest size
projects to at 100,000 URLs: the larger of the tree's peak so projected and
the main process's own (a split nightly run's coordinator peaks once its
workers are gone, and grows faster per URL than the tree's peak does while
they run; a run made of other processes at each size is not projected),
from the medians of ``--pairs`` rounds that
alternate the sizes (one run's peak moves by ~20 MB between identical runs,
which is 2 KB per URL between 2,000 and 10,000) (issue 19: at most 300 MB at 2,000 URLs, 450 MB at
100,000, 35 KB of archive per URL). One citations.yaml holds at most 10,000
references and 200,000 values (``crawler.citing``'s bounds on hostile input):
10,000 URLs is the largest run there can be, and 100,000 URLs a projection.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.crawl import ALWAYS, archive_size, run_cli  # noqa: E402
from bench.pages import make_page  # noqa: E402
from bench.server import Hosts  # noqa: E402
from bench.tree import Measured  # noqa: E402

TARGETS = {2000: 300, 100_000: 450}


def build_site(hosts: Hosts, urls: int, distinct: int) -> dict:
    """URL n serves page n % distinct under a path of its own, on host n % H."""
    pages = {}
    sources, footnotes = {}, {}
    for n in range(urls):
        host = n % len(hosts.servers)
        base = hosts.base_url(host)
        page = pages.get(n % distinct) or pages.setdefault(n % distinct, make_page(n % distinct, base))
        path = f"/u{n}{page.path}"
        hosts.add(host, path, page.html, f'"{hashlib.sha1(page.html).hexdigest()[:16]}"')
        sources[f"s{n}"] = {"url": base + path, "title": page.title,
                            "claimed_updated": (page.modified or page.published).date().isoformat()}
        # ten sources a footnote: citations.yaml holds at most 200,000 values (hostile-input bound)
        footnotes.setdefault(str(n // 10 + 1), []).append({"source": f"s{n}"})
    return {"document": {"title": "Memory benchmark", "publisher": "bench", "issue": "M/1"},
            "sources": sources, "footnotes": footnotes}


def one_size(urls: int, args, work: Path, round_: int) -> dict:
    site_dir = work / f"size-{urls}-{round_}"
    site_dir.mkdir(parents=True, exist_ok=True)
    with Hosts(args.hosts, args.latency_ms / 1000, lifetime=args.timeout * 2 + 600) as hosts:
        (site_dir / "citations.yaml").write_text(json.dumps(build_site(hosts, urls, args.distinct)), encoding="utf-8")
        archive = site_dir / "archive"
        settings = ALWAYS + args.set
        first, _ = run_cli(site_dir, archive, settings, site_dir / "report-first.json", args.timeout)
        size = sum(archive_size(archive).values())
        hosts.counters.reset()
        nightly, _ = run_cli(site_dir, archive, settings, site_dir / "report-nightly.json", args.timeout)
        served = hosts.counters.snapshot()["responses"]
    share = served.get(("page", 304), 0) / urls
    for name, m in (("first", first), ("nightly", nightly)):
        print(f"   {urls:>7} URLs, {name:<7} run: peak {m.pss_mb:5.0f} MB PSS ({m.rss_mb:5.0f} MB RSS) over "
              f"{m.processes} processes · wall {m.wall:6.1f} s · CPU (tree) {m.cpu:6.1f} s", flush=True)
    print(f"   {urls:>7} URLs: archive {size / 1024 / urls:.1f} KB per URL after the first run; nightly run "
          f"{share:.1%} 304", flush=True)
    return {"urls": urls, "first": first, "nightly": nightly, "kb_per_url": size / 1024 / urls}


def median_size(runs: list[dict]) -> dict:
    """One size's runs as one: each figure the median of the runs' (a run's processes are its own)."""
    def median(name: str) -> Measured:
        pick = {"processes": min, "exit_code": max}  # the processes every run had; the worst exit
        return Measured(**{f.name: pick.get(f.name, statistics.median)(getattr(run[name], f.name) for run in runs)
                           for f in dataclasses.fields(Measured)})
    return {"urls": runs[0]["urls"], "first": median("first"), "nightly": median("nightly"),
            "kb_per_url": statistics.median(run["kb_per_url"] for run in runs)}


def _projection(small: dict, large: dict, name: str, figure: str) -> tuple[float, float]:
    """KB more per URL from the small size to the large, and the MB that makes at 100,000 URLs."""
    per_url = (getattr(large[name], figure) - getattr(small[name], figure)) * 1024 / (large["urls"] - small["urls"])
    return per_url, getattr(large[name], figure) + per_url * (100_000 - large["urls"]) / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--pairs", type=int, default=2, help="rounds over the sizes; figures are their medians")
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=5.0)
    parser.add_argument("--distinct", type=int, default=200, help="distinct page bodies")
    parser.add_argument("--timeout", type=float, default=3600.0)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy or CITECHECK_* setting for both runs (e.g. CITECHECK_CRAWL_PROCESS_MIN_URLS=1000000)")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="citecheck-memory-"))
    print(f"citecheck memory benchmark: {' and '.join(map(str, args.urls))} URLs over {args.hosts} loopback hosts, "
          f"latency {args.latency_ms:g} ms, {args.distinct} distinct bodies", flush=True)
    rounds = [[one_size(urls, args, work, n) for urls in sorted(args.urls)] for n in range(args.pairs)]
    sizes = [median_size(runs) for runs in zip(*rounds)]
    if args.pairs > 1:
        for s in sizes:
            print(f"   {s['urls']:>7} URLs, median of {args.pairs}: peak {s['first'].pss_mb:5.0f} MB PSS first run, "
                  f"{s['nightly'].pss_mb:5.0f} MB nightly", flush=True)
    projected = {}
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        for name in ("first", "nightly"):
            if large[name].processes != small[name].processes:  # a large nightly run is split (crawler.crawl.shards)
                print(f"   {name} run: {small[name].processes} processes at {small['urls']} URLs, "
                      f"{large[name].processes} at {large['urls']}: no growth per URL to project from")
                continue
            per_url, at_100k = _projection(small, large, name, "pss_mb")
            # a split run's coordinator peaks once its workers are gone: growing faster, that peak may
            # be the tree's at 100,000 URLs although it is not at these sizes
            main_per_url, main_at_100k = _projection(small, large, name, "main_pss_mb")
            projected[name] = max(at_100k, main_at_100k)
            print(f"   {name} run: {per_url:.1f} KB more PSS per URL; projected at 100,000 URLs: {at_100k:.0f} MB; "
                  f"its main process alone {main_per_url:.1f} KB more per URL, {main_at_100k:.0f} MB")
    ok = lambda good: "PASS" if good else "MISS"  # noqa: E731
    for s in sizes:
        peak = max(s["first"].pss_mb, s["nightly"].pss_mb)
        limit = TARGETS.get(s["urls"])
        if limit:
            print(f"   {ok(peak <= limit)} peak memory at {s['urls']} URLs under {limit} MB: {peak:.0f} MB PSS")
    for name, at_100k in projected.items():
        print(f"   {ok(at_100k <= TARGETS[100_000])} peak memory at 100,000 URLs under {TARGETS[100_000]} MB "
              f"({name} run, projected): {at_100k:.0f} MB PSS")
    print(f"   {ok(max(s['kb_per_url'] for s in sizes) <= 35)} archive at most 35 KB per URL: "
          + ", ".join(f"{s['kb_per_url']:.1f} KB at {s['urls']}" for s in sizes))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
