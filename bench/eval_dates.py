"""Score citecheck's published-date extraction against htmldate on a gold set.

    .venv/bin/python bench/eval_dates.py [--gold DIR] [--failures] [--per-page]

The gold folder (default ../shared/eval/dates from the repo root) holds
gold.json and html/ (format: its README.md). Pages are third-party and read
from there only. A page labelled ``no_date_expected`` is right when nothing is
returned; pages with neither a date nor that label are not scored. Both
extractors get the same bytes and URL in the same run; timings include parsing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_GOLD = REPO.parent / "shared" / "eval" / "dates"


MODIFIED_SEEN: dict[str, str] = {}  # url -> our modified day, for the diagnosis line


def ours(body: bytes, url: str) -> str | None:
    from crawler.extract.dates import extract_dates

    dates = extract_dates(body, url=url)
    if dates.modified is not None:
        MODIFIED_SEEN[url] = dates.modified.day.isoformat()
    return dates.published.day.isoformat() if dates.published else None


def reference(body: bytes, url: str) -> str | None:
    from htmldate import find_date

    return find_date(body, url=url, original_date=True, extensive_search=True)


def load_gold(gold_dir: Path) -> list[tuple[str, dict]]:
    gold = json.loads((gold_dir / "gold.json").read_text(encoding="utf-8"))
    return [(name, entry) for name, entry in sorted(gold.items())
            if entry.get("original") or entry.get("no_date_expected")]


def correct(found: str | None, entry: dict) -> bool:
    if entry.get("no_date_expected"):
        return found is None
    return found == entry["original"]


def run(extractor, pages: list[tuple[str, dict, bytes]]) -> dict:
    times, answers = [], {}
    for name, entry, body in pages:
        start = time.perf_counter()
        try:
            found = extractor(body, entry["url"])
        except Exception as exc:  # a crash is a miss, and worth seeing
            found = f"error: {exc!r}"
        times.append((time.perf_counter() - start) * 1000)
        answers[name] = found
    return {"answers": answers, "times": times}


def summary(label: str, result: dict, pages) -> float:
    answers = result["answers"]
    dated = [(n, e) for n, e, _ in pages if not e.get("no_date_expected")]
    covered = sum(answers[n] is not None for n, _ in dated)
    right = sum(correct(answers[n], e) for n, e, _ in pages)
    times = sorted(result["times"])
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    accuracy = right / len(pages)
    print(f"{label:10s} coverage {covered}/{len(dated)} = {covered / len(dated):.3f}  "
          f"accuracy {right}/{len(pages)} = {accuracy:.3f}  "
          f"ms/page median {statistics.median(times):.1f} p95 {p95:.1f}")
    return accuracy


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--failures", action="store_true", help="list our wrong pages")
    parser.add_argument("--only", default="", help="only files whose name contains this")
    args = parser.parse_args(argv)
    if not (args.gold / "gold.json").is_file():
        print(f"skipped: no gold set at {args.gold}")
        return 0
    pages = [(n, e, (args.gold / "html" / n).read_bytes())
             for n, e in load_gold(args.gold) if args.only in n]
    # warm both up (imports, dateparser/htmldate caches) outside the timings
    ours(pages[0][2], pages[0][1]["url"])
    reference(pages[0][2], pages[0][1]["url"])
    mine, ref = run(ours, pages), run(reference, pages)
    if args.failures:
        for name, entry, _ in pages:
            if not correct(mine["answers"][name], entry):
                print(f"  {name}: got {mine['answers'][name]} want {entry['original']}"
                      f" (htmldate {ref['answers'][name]}) lang={entry.get('html_lang')}")
    print(f"pages scored: {len(pages)}")
    acc_mine = summary("citecheck", mine, pages)
    acc_ref = summary("htmldate", ref, pages)
    as_modified = sum(1 for n, e, _ in pages if not correct(mine["answers"][n], e)
                      and MODIFIED_SEEN.get(e["url"]) == e["original"])
    print(f"citecheck misses whose gold day is our modified day: {as_modified}")
    print(f"published accuracy: {acc_mine:.3f} (htmldate {acc_ref:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
