"""Extraction CPU: citecheck's ``extract()`` against htmldate + trafilatura alone, on the same pages.

    .venv/bin/python bench/extraction.py [--gold DIR] [--bench-pages 40] [--rounds 4]

The libraries' cost is what a user pays who calls them on their own, each on
the page's bytes: ``htmldate.find_date(extensive_search=True, original_date=True)``
for the dates and ``trafilatura.extract()`` for the main text. citecheck's
``extract()`` gives more (title, heading, published *and* modified dates with
their evidence, editions), so a ratio of 1.0 means that all of that costs no
more than the two libraries alone.

Each round times both on every page, in turns (citecheck first in even
rounds, the libraries first in odd ones), so the drift of a shared machine
falls on both; each page's figure is its median over the rounds, and the
printed figure is the median over pages (and the mean, which the crawl pays).
The pages are the crawl benchmark's generated news pages and, when the folder
exists, the date gold set's real pages (``../shared/eval/dates/html``; read
from there only).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# ../shared from the main checkout, ../../shared from a worktree under wt/
DEFAULT_GOLD = next((p for p in (REPO.parent / "shared" / "eval" / "dates", REPO.parent.parent / "shared" / "eval" / "dates")
                     if p.is_dir()), REPO.parent / "shared" / "eval" / "dates")
HEADERS = {"content-type": "text/html"}


def citecheck(body: bytes, url: str) -> None:
    from crawler.extract.extraction import extract

    extract(body, url, HEADERS)


def libraries(body: bytes, url: str) -> None:
    import htmldate
    import trafilatura

    htmldate.find_date(body, url=url, original_date=True, extensive_search=True)
    trafilatura.extract(body, url=url)


def dates_only(body: bytes, url: str, tree) -> None:
    from crawler.extract.dates import extract_dates

    extract_dates(body, url, HEADERS, tree=tree)


def _cpu(fn, body: bytes, url: str) -> float:
    start = time.process_time()
    fn(body, url)
    return time.process_time() - start


def compare(pages: list[tuple[str, bytes]], rounds: int) -> dict:
    """Per-page CPU seconds of both, each the median of ``rounds`` alternating turns."""
    for url, body in pages[:3]:  # imports, caches and dateparser's first languages outside the timing
        citecheck(body, url)
        libraries(body, url)
    ours: list[list[float]] = [[] for _ in pages]
    theirs: list[list[float]] = [[] for _ in pages]
    for turn in range(rounds):
        for i, (url, body) in enumerate(pages):
            if turn % 2 == 0:
                ours[i].append(_cpu(citecheck, body, url))
                theirs[i].append(_cpu(libraries, body, url))
            else:
                theirs[i].append(_cpu(libraries, body, url))
                ours[i].append(_cpu(citecheck, body, url))
    ours_page = [statistics.median(times) for times in ours]
    theirs_page = [statistics.median(times) for times in theirs]
    return {"pages": len(pages), "ours_median": statistics.median(ours_page), "ours_mean": statistics.fmean(ours_page),
            "libs_median": statistics.median(theirs_page), "libs_mean": statistics.fmean(theirs_page),
            "ratio_median": statistics.median(o / t for o, t in zip(ours_page, theirs_page) if t > 0),
            "dates_mean": dates_share(pages)}


def dates_share(pages: list[tuple[str, bytes]]) -> float:
    """Mean CPU seconds per page of the date extraction (``crawler.extract.dates``) within ``extract()``,
    on the tree ``extract()`` parses: where the rest of the difference lies."""
    from crawler.extract.extraction import _decoded, load_html

    trees = [(url, body, load_html(_decoded(body, HEADERS))) for url, body in pages]
    start = time.process_time()
    for url, body, tree in trees:
        if tree is not None:
            dates_only(body, url, tree)
    return (time.process_time() - start) / len(pages)


def describe(name: str, m: dict) -> str:
    return (f"{name}: {m['pages']} pages · citecheck extract() median {m['ours_median'] * 1000:.1f} ms/page "
            f"(mean {m['ours_mean'] * 1000:.1f}) · htmldate + trafilatura alone median {m['libs_median'] * 1000:.1f} "
            f"ms/page (mean {m['libs_mean'] * 1000:.1f}) · ratio of medians {m['ours_median'] / m['libs_median']:.2f}, "
            f"of means {m['ours_mean'] / m['libs_mean']:.2f}, median of per-page ratios {m['ratio_median']:.2f}; "
            f"of extract()'s mean, the dates (crawler.extract.dates) {m['dates_mean'] * 1000:.1f} ms, the rest "
            f"{(m['ours_mean'] - m['dates_mean']) * 1000:.1f} ms")


def bench_pages(count: int, stride: int = 50) -> list[tuple[str, bytes]]:
    """Pages of the crawl benchmark (``bench/pages.py``), as served there."""
    from bench.pages import make_page

    base = "http://127.0.0.1:8000"
    return [(base + page.path, page.html) for page in (make_page(n * stride, base) for n in range(count))]


def gold_pages(gold: Path) -> list[tuple[str, bytes]]:
    import json

    entries = json.loads((gold / "gold.json").read_text(encoding="utf-8"))
    return [(entry.get("url") or "", (gold / "html" / name).read_bytes()) for name, entry in sorted(entries.items())
            if (gold / "html" / name).is_file()]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--bench-pages", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=4, help="alternating turns per page (at least 2)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the libraries' warnings about odd pages are not the benchmark's output
    print(describe("bench pages (generated news pages, 60-120 KB)", compare(bench_pages(args.bench_pages),
                                                                          max(2, args.rounds))), flush=True)
    if (args.gold / "gold.json").is_file():
        print(describe(f"gold set {args.gold}", compare(gold_pages(args.gold), max(2, args.rounds))))
    else:
        print(f"gold set {args.gold}: absent, skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
