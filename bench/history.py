"""History benchmark: what a run reads of the archive before it crawls, as the nights add up.

    .venv/bin/python bench/history.py [--pages 2000] [--nights 1,10,100] [--keep DIR]

Builds an archive database the way nightly runs fill it: night 1 fetches every
page (200), later nights get 304s, with rows of the sizes real runs write (the
text and extraction once, a verdict's JSON per check every night; one page in fifty
keeps failing with a timeout, so its streak grows). After each step it times
the two lookups a run makes before its crawl, ``store.previous_snapshots`` and
``store.check_history``, cold (first call after opening) and warm, and prints
them with the database's size. A nightly job must not get slower with its own
history: the times should stay flat while the database grows. Then the seal:
the time to hash the newest night's rows and the whole file into its manifest
(``dbseal.seal``), the size that adds to the manifest, and the time ``audit``
takes to re-check one night's rows (an audit of every run takes nights times that).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.record import dbseal, store  # noqa: E402

EXTRACTED = json.dumps({"format": 2, "fingerprint": "bench", "kind": "html", "candidates": [
    {"kind": "published", "source": "json-ld", "where": "NewsArticle.datePublished", "raw": f"2026-03-{d:02d}",
     "value": f"2026-03-{d:02d}T08:00:00+01:00", "confidence": 0.9} for d in range(1, 9)],
    "title": "A headline of ordinary length for a news article", "page_texts": None, "lang": "en"})
RESULT = json.dumps({"reasons": [], "date": {"evidence": [{"element": "json-ld", "raw": "2026-03-01"}] * 12},
                     "title": {"page": "A headline of ordinary length for a news article " * 3}, "hops": []})
TEXT = "An ordinary paragraph of an article's main text, repeated to the length of a story. " * 120
FAILING = 50  # one page in this many times out every night


def add_nights(db, first: int, last: int, pages: int) -> None:
    """Nights ``first``..``last`` as runs, snapshots and checks, committed per night."""
    for night in range(first, last + 1):
        run = f"night{night:05d}"
        with db.conn:
            started = dt.datetime(2026, 1, 1, 2, tzinfo=dt.timezone.utc) + dt.timedelta(days=night)
            db["runs"].insert({"id": run, "started_at": started.isoformat()})
            db["snapshots"].insert_all(({
                "run": run, "url": _url(n), "status": 200 if night == 1 else 304, "etag": f'"{n}"',
                "warc": f"{run}/run.warc.gz", "text": TEXT if night == 1 else None,
                "extracted": EXTRACTED if night == 1 else None,  # a 304 reuses night 1's, stored once
                "reused_snapshot": None if night == 1 else n + 1,
            } for n in range(pages)), batch_size=500)
            db["checks"].insert_all(({
                "run": run, "citation": f"fn{n}:s{n}:", "url": _url(n), "snapshot": None,
                "link": "timeout" if n % FAILING == 0 else "ok", "overall": "warn" if n % FAILING == 0 else "pass",
                "result": RESULT,
            } for n in range(pages)), batch_size=500)


def _url(n: int) -> str:
    return f"https://host{n % 20}.example/articles/{n}"


def time_lookups(path: Path, pages: int) -> tuple[float, float, float, float]:
    """(previous cold, history cold, previous warm, history warm) in seconds."""
    urls = [_url(n) for n in range(pages)]
    links = [(f"fn{n}:s{n}:", _url(n)) for n in range(pages)]
    times = []
    db = store.open_db(path)
    for _ in range(2):
        start = time.perf_counter()
        store.previous_snapshots(db, path.parent, urls)
        middle = time.perf_counter()
        store.check_history(db, links)
        times += [middle - start, time.perf_counter() - middle]
    db.close()
    return times[0], times[1], times[2], times[3]


def time_seal(path: Path, run: str) -> tuple[float, float, float]:
    """(seconds to seal ``run``'s rows and the file, KB the seal adds to the manifest, seconds to audit them)."""
    start = time.perf_counter()
    sealed = dbseal.seal(path, run)
    middle = time.perf_counter()
    db = dbseal.connect(path)
    try:
        assert dbseal.check_rows(db, run, sealed).ok
    finally:
        db.close()
    return middle - start, len(json.dumps(sealed)) / 1024, time.perf_counter() - middle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--nights", default="1,10,100", help="comma-separated, increasing")
    parser.add_argument("--keep", type=Path, help="build the database in DIR (new) and leave it there")
    args = parser.parse_args()
    steps = [int(n) for n in args.nights.split(",")]
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="citecheck-history-"))
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "citecheck.db"
    if path.exists():
        parser.error(f"{path} exists: --keep takes a new folder (the benchmark builds its own database)")
    print(f"{args.pages} pages, one run a night; lookups before the crawl (ms: cold / warm)")
    print(f"{'nights':>7} {'db MB':>8} {'previous_snapshots':>20} {'check_history':>15}  build s"
          f"  {'seal s':>6} {'manifest KB':>11} {'audit/run s':>11}")
    done = 0
    try:
        for nights in steps:
            start = time.perf_counter()
            db = store.open_db(path)
            add_nights(db, done + 1, nights, args.pages)
            db.close()
            built, done = time.perf_counter() - start, nights
            p_cold, h_cold, p_warm, h_warm = time_lookups(path, args.pages)
            seal_s, manifest_kb, audit_s = time_seal(path, f"night{nights:05d}")
            print(f"{nights:>7} {path.stat().st_size / 1e6:>8.0f} {p_cold * 1e3:>11.0f} / {p_warm * 1e3:<6.0f}"
                  f" {h_cold * 1e3:>7.0f} / {h_warm * 1e3:<5.0f}  {built:6.1f}"
                  f"  {seal_s:>6.2f} {manifest_kb:>11.0f} {audit_s:>11.2f}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
