"""What ``extract()`` returns, as one JSON per page: the check that a speed-up changed no output.

    .venv/bin/python bench/extract_fingerprint.py OUT.json [--gold DIR] [--bench-pages 40]

Runs ``extract()`` on the crawl benchmark's generated pages and, when present, the
date gold set's pages (read from there only), and writes every field that matters:
kind, title, heading, title tag, language, editions, problems, a hash of the text,
and the published/modified dates and every candidate with their evidence. Dump
before a change and after; the two files must be byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.extraction import DEFAULT_GOLD, HEADERS, bench_pages, gold_pages  # noqa: E402


def _candidate(c) -> dict | None:
    if c is None:
        return None
    return {"kind": c.kind, "source": c.source, "where": c.where, "raw": c.raw, "value": c.value.isoformat(),
            "confidence": c.confidence}


def fingerprint(body: bytes, url: str) -> dict:
    from crawler.extract.extraction import extract

    got = extract(body, url, HEADERS)
    return {"url": url, "kind": got.kind, "title": got.title, "heading": got.heading, "title_tag": got.title_tag,
            "lang": got.lang, "editions": [list(e) for e in got.editions], "problems": list(got.problems),
            "text_sha1": hashlib.sha1(got.text.encode("utf-8")).hexdigest(), "text_len": len(got.text),
            "published": _candidate(got.dates.published), "modified": _candidate(got.dates.modified),
            "candidates": [_candidate(c) for c in got.dates.candidates], "date_problems": list(got.dates.problems)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--bench-pages", type=int, default=40)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    pages = bench_pages(args.bench_pages)
    if (args.gold / "gold.json").is_file():
        pages += gold_pages(args.gold)
    dump = [fingerprint(body, url) for url, body in pages]
    args.out.write_text(json.dumps(dump, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(dump)} pages fingerprinted into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
