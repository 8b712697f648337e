"""Crawl benchmark: ``citecheck verify`` side by side with its peers, on the same loopback pages.

    .venv/bin/python bench/crawl.py [--pages 2000] [--hosts 20] [--latency-ms 50] [--pairs 2] [--quick]
                                    [--mode polite|unthrottled] [--no-peers] [--keep DIR]

Serves N generated news pages (60-120 KB, JSON-LD dates, ETag/Last-Modified,
304s, gzip) from H loopback addresses (127.0.0.1 ... 127.0.0.H), each response
after a fixed latency, and writes a citations.yaml with one source and one
footnote per page. Then, in alternating pairs (citecheck first in odd pairs,
the peer first in even ones, so a shared machine's drift falls on both):

- ``citecheck verify`` over all pages into a fresh archive, LinkChecker
  (``bench/peers.py``, installed into ``build/``) over the same URLs, and
  Scrapy alone (``bench/bare_scrapy.py``): the same politeness, nothing done
  with the pages, the stack's own cost;
- citecheck's ``extract()`` and htmldate + trafilatura alone on sample pages
  (``bench/extraction.py``): what the extraction libraries cost on their own.

Every figure is the median over the pairs: wall time, CPU summed over the whole
process tree and its peak memory (``bench/tree.py``: the extraction pool's
forkserver grandchildren included). After the pairs, an incremental second run
over the last archive counts the 304s. Printed: the figures, their ratios, the
archive's size per URL, the floor (``bench/floor.py``) and one verdict line per
target of issue 19.

``polite`` uses the product's politeness settings (at most 2 requests in flight
per host, AutoThrottle pacing by latency); ``unthrottled`` turns AutoThrottle
off, leaving only the per-host cap, to measure the machinery itself. Archive
lookups (CITECHECK_RESCUE) are off: the benchmark must not leave loopback.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import floor as floors  # noqa: E402
from bench import peers  # noqa: E402
from bench.extraction import compare  # noqa: E402
from bench.pages import make_page  # noqa: E402
from bench.server import Hosts  # noqa: E402
from bench.tree import Measured, measure  # noqa: E402

MODES = {"polite": [], "unthrottled": ["AUTOTHROTTLE_ENABLED=False"]}
ALWAYS = ["CITECHECK_RESCUE=False"]
TARGETS = {"wall_vs_linkchecker": 1.6, "cpu_vs_libraries": 1.3, "extract_vs_libraries": 1.0, "tree_mb": 300,
           "archive_kb_per_url": 35, "share_304": 0.95}
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


def run_cli(workdir: Path, archive: Path, settings: list[str], report: Path, timeout: float) -> tuple[Measured, dict]:
    """One ``citecheck verify`` in a subprocess, measured as a process tree; returns its JSON report too."""
    cmd = [sys.executable, "-m", "crawler", "verify", "citations.yaml", "--allow-private", "--archive", str(archive),
           "--json", str(report), "--no-progress"] + [arg for s in settings for arg in ("-s", s)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    measured = measure(cmd, workdir, env, workdir / f"{report.stem}.out", timeout)
    if measured.exit_code not in (0, 1):
        sys.exit(f"citecheck exited {measured.exit_code}; see {workdir / (report.stem + '.out')}")
    return measured, json.loads(report.read_text())


def archive_size(archive: Path) -> dict[str, int]:
    """Bytes of the archive by kind: the WARC, the text files, the database, the rest."""
    sizes = {"warc": 0, "texts": 0, "database": 0, "other": 0}
    for path in archive.rglob("*"):
        if path.is_file():
            kind = ("warc" if ".warc" in path.name else "database" if path.name.startswith("citecheck.db")
                    else "texts" if path.name.endswith((".txt", ".txt.gz")) else "other")
            sizes[kind] += path.stat().st_size
    return sizes


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


def run_pairs(args, work: Path, hosts: Hosts, urls: list[str], sample: list[tuple[str, bytes]]) -> dict:
    """``args.pairs`` alternating pairs of (citecheck, LinkChecker) crawls and (extract(), libraries) timings."""
    settings = MODES[args.mode] + ALWAYS
    exe = peers.linkchecker(REPO / "build") if args.peers else None
    runs: dict[str, list] = {"citecheck": [], "linkchecker": [], "scrapy": [], "extraction": []}
    archive = None
    for pair in range(args.pairs):
        order = ["citecheck", "linkchecker", "scrapy"]
        for tool in order if pair % 2 == 0 else order[::-1]:
            hosts.counters.reset()
            if tool == "citecheck":
                archive = work / f"archive-{pair}"
                shutil.rmtree(archive, ignore_errors=True)
                measured, report = run_cli(work, archive, settings, work / f"report-{pair}.json", args.timeout)
                runs["citecheck"].append({"m": measured, "report": report, "served": hosts.counters.snapshot(),
                                          "archive": archive_size(archive)})
            elif tool == "scrapy":
                measured = peers.run_bare_scrapy(urls, work, {**os.environ, "PYTHONPATH": str(REPO)}, args.timeout)
                runs["scrapy"].append({"m": measured})
            elif exe is not None:
                measured, valid = peers.run_linkchecker(exe, urls, work, f"linkchecker-{pair}", args.timeout)
                runs["linkchecker"].append({"m": measured, "valid": valid, "served": hosts.counters.snapshot()})
            else:
                continue
            print(f"   pair {pair + 1}: {tool:<11} wall {measured.wall:6.1f} s · CPU (tree) {measured.cpu:6.1f} s · "
                  f"peak {measured.pss_mb:4.0f} MB PSS / {measured.rss_mb:4.0f} MB RSS over {measured.processes} "
                  "processes", flush=True)
        runs["extraction"].append(compare(sample, rounds=2))
    hosts.counters.reset()
    second, second_report = run_cli(work, archive, settings, work / "report-second.json", args.timeout)
    runs["second"] = {"m": second, "report": second_report, "served": hosts.counters.snapshot()}
    runs["settings"] = settings
    return runs


def _median(values) -> float:
    return statistics.median(list(values))


def report(runs: dict, args) -> list[str]:
    ours = runs["citecheck"]
    med = {key: _median(getattr(r["m"], key) for r in ours) for key in ("wall", "cpu", "cpu_main", "pss_mb", "rss_mb")}
    ext = {key: _median(e[key] for e in runs["extraction"]) for key in ("ours_median", "ours_mean", "libs_median",
                                                                         "libs_mean")}
    libs_cpu = ext["libs_mean"] * args.pages  # what htmldate + trafilatura alone spend on all pages
    politeness = floors.Politeness.from_settings(effective_settings(runs["settings"]))
    fl = floors.floor(args.pages, args.hosts, args.latency, 200, politeness, med["cpu"] / args.pages, args.cores)
    sizes = {key: _median(r["archive"][key] for r in ours) for key in ours[0]["archive"]}
    kb_url = sum(sizes.values()) / 1024 / args.pages
    pairs = len(ours)
    lines = [
        f"== medians of {pairs} alternating pair{'s' * (pairs > 1)} ({args.mode}: {politeness.describe()})",
        f"   citecheck   wall {med['wall']:6.1f} s · {args.pages / med['wall']:5.1f} pages/s · CPU (tree) "
        f"{med['cpu']:6.1f} s = {med['cpu'] / args.pages * 1000:.1f} ms/page, of which the crawl process "
        f"{med['cpu_main']:.1f} s · peak {med['pss_mb']:.0f} MB PSS ({med['rss_mb']:.0f} MB RSS)",
        f"   extraction  citecheck extract() {ext['ours_mean'] * 1000:.1f} ms/page (median {ext['ours_median'] * 1000:.1f})"
        f" · htmldate + trafilatura alone {ext['libs_mean'] * 1000:.1f} ms/page (median "
        f"{ext['libs_median'] * 1000:.1f}) on {CPU_SAMPLE} sample pages: {libs_cpu:.1f} s for all pages",
    ]
    lc = runs["linkchecker"]
    wall_ratio = None
    if lc:
        lcm = {key: _median(getattr(r["m"], key) for r in lc) for key in ("wall", "cpu", "pss_mb", "rss_mb")}
        wall_ratio = med["wall"] / lcm["wall"]
        lines += [
            f"   LinkChecker wall {lcm['wall']:6.1f} s · {args.pages / lcm['wall']:5.1f} pages/s · CPU (tree) "
            f"{lcm['cpu']:6.1f} s = {lcm['cpu'] / args.pages * 1000:.1f} ms/page · peak {lcm['pss_mb']:.0f} MB PSS "
            f"({lcm['rss_mb']:.0f} MB RSS) · {_median(r['valid'] for r in lc):.0f} URLs valid",
            f"   ratios      citecheck / LinkChecker: wall {wall_ratio:.2f}x, CPU {med['cpu'] / lcm['cpu']:.1f}x, "
            f"memory {med['pss_mb'] / lcm['pss_mb']:.1f}x (PSS)",
        ]
    cpu_ratio = med["cpu"] / libs_cpu
    extract_ratio = ext["ours_median"] / ext["libs_median"]
    scrapy_cpu = _median(r["m"].cpu for r in runs["scrapy"])
    lines += [
        f"   Scrapy alone (bench/bare_scrapy.py: same politeness, no work done with the pages) CPU {scrapy_cpu:.1f} s "
        f"= {scrapy_cpu / args.pages * 1000:.1f} ms/page; with the libraries alone that is "
        f"{(scrapy_cpu + libs_cpu) / libs_cpu:.2f}x the libraries' CPU: the least a Scrapy-based job can cost. "
        f"citecheck's own work on top: {med['cpu'] - scrapy_cpu - libs_cpu:.1f} s",
        f"   ratios      citecheck's CPU / the extraction libraries' alone on the same pages: {cpu_ratio:.2f}x; "
        f"extract() / the libraries per page: {extract_ratio:.2f}x (median), "
        f"{ext['ours_mean'] / ext['libs_mean']:.2f}x (mean)",
        f"   archive     {kb_url:.1f} KB per URL: " + ", ".join(
            f"{kind} {size / 1024 / args.pages:.1f}" for kind, size in sizes.items()),
        f"   floor       {fl['seconds']:.1f} s ({fl['bound_by']}): network {fl['network']['seconds']:.1f} s, CPU "
        f"{fl['cpu']:.1f} s (the run's own CPU, crawl process included, on {args.cores} cores); wall / floor = "
        f"{med['wall'] / fl['seconds']:.2f}",
    ]
    second, first = runs["second"], ours[-1]
    served = second["served"]["responses"]
    pages = sum(n for (kind, _), n in served.items() if kind == "page")
    share = served.get(("page", 304), 0) / args.pages
    lines += [
        f"-- second run (incremental, over the last pair's archive): wall {second['m'].wall:.1f} s · CPU (tree) "
        f"{second['m'].cpu:.1f} s · peak {second['m'].pss_mb:.0f} MB PSS · {pages} page responses, "
        f"{share:.1%} 304 · results differing beyond status/change/snapshot: "
        f"{same_verdicts(first['report']['results'], second['report']['results'])}",
        f"   verdicts: {json.dumps(summary(first['report']['results']), sort_keys=True)}",
    ]
    ok = lambda good: "PASS" if good else "MISS"  # noqa: E731
    peak = max(med["pss_mb"], second["m"].pss_mb)
    if wall_ratio is not None:
        lines.append(f"   {ok(wall_ratio <= TARGETS['wall_vs_linkchecker'])} whole job within 1.6x LinkChecker's "
                     f"polite wall time: {wall_ratio:.2f}x")
    lines += [
        f"   {ok(cpu_ratio <= TARGETS['cpu_vs_libraries'])} CPU over the process tree within 1.3x of htmldate + "
        f"trafilatura alone: {cpu_ratio:.2f}x",
        f"   {ok(extract_ratio <= TARGETS['extract_vs_libraries'])} extract() per page within 1.0x of htmldate + "
        f"trafilatura alone (bench pages; the gold set: bench/extraction.py): {extract_ratio:.2f}x",
        f"   {ok(peak <= TARGETS['tree_mb'])} peak memory of the tree at {args.pages} URLs under 300 MB: {peak:.0f} MB "
        f"PSS ({max(med['rss_mb'], second['m'].rss_mb):.0f} MB RSS summed)",
        f"   {ok(kb_url <= TARGETS['archive_kb_per_url'])} archive at most 35 KB per URL: {kb_url:.1f} KB",
        f"   {ok(share >= TARGETS['share_304'])} second run at least 95 % 304: {share:.1%}",
    ]
    return lines


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--pairs", type=int, default=2, help="alternating pairs (medians over them)")
    parser.add_argument("--quick", action="store_true", help="200 pages over 5 hosts, one pair: a fast sanity run")
    parser.add_argument("--mode", choices=sorted(MODES), default="polite")
    parser.add_argument("--no-peers", dest="peers", action="store_false", help="citecheck alone, no LinkChecker")
    parser.add_argument("--cores", type=int, default=2, help="cores the CPU floor may use")
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds one run may take")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it (default: a temp dir)")
    args = parser.parse_args(argv)
    if args.quick:
        args.pages, args.hosts, args.pairs = 200, 5, 1
    if not 1 <= args.hosts <= 254:
        parser.error("--hosts must be 1..254 (127.0.0.1 ... 127.0.0.254)")
    args.latency = args.latency_ms / 1000
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="citecheck-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    with Hosts(args.hosts, args.latency, lifetime=args.timeout * (2 * args.pairs + 2) + 600) as hosts:
        started = time.monotonic()
        site = build_site(hosts, args.pages)
        sample = site.pop("_sample")
        (work / "citations.yaml").write_text(json.dumps(site, indent=0), encoding="utf-8")
        urls = [source["url"] for source in site["sources"].values()]
        size = sum(s.size for h in hosts.pages for s in h.values())
        print(f"citecheck crawl benchmark: {args.pages} pages over {args.hosts} hosts (127.0.0.1-{args.hosts}), "
              f"latency {args.latency_ms:g} ms, mean page {size / args.pages / 1000:.0f} KB "
              f"(gzip on the wire), built in {time.monotonic() - started:.1f} s", flush=True)
        print("\n".join(report(run_pairs(args, work, hosts, urls, sample), args)), flush=True)
    print(f"work dir {work}" + ("" if args.keep else " (removed)"))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
