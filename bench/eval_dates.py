"""Score citecheck's published-date extraction against htmldate on a gold set,
on the whole set and on sites it was not tuned on, and as the verdicts it gives.

    .venv/bin/python bench/eval_dates.py [--gold DIR] [--failures] [--only TEXT] [--json FILE]

The gold folder (default ../shared/eval/dates from the repo root) holds
gold.json and html/ (format: its README.md). Pages are third-party and read
from there only. A page labelled ``no_date_expected`` is right when nothing is
returned; pages with neither a date nor that label are not scored.

Three figures per extractor, in one table:
- accuracy: the published day is the gold day (or none where none is expected);
- k-fold: the pages split by site into FOLDS folds; each fold is scored with the
  choice's thresholds (crawler.extract.dates.Tuning) picked from GRID on the other
  folds only, so a threshold that fits only the pages it was picked on shows up
  as a gap to the whole-set accuracy;
- verdicts: what ``verify`` says (crawler.extract.dates.date_verdict, the check
  crawler/checks/verify.py runs) to a footnote claiming the gold day, the day
  45 days before it and the day before it. An early claim that matches is
  counted apart when the page itself writes that day (then the page states it), and
  apart again when what matched is not a date the page states as this article's own
  (htmldate's guess, a lone unlabelled date): ``own_statement``.
htmldate is held to the same rule: its original date as published, its
newest date as modified. Timings are CPU time: ``extract()`` is the product's whole HTML
extraction (parse, trafilatura, dates); "dates" is the parse and date
extraction alone; htmldate's is one ``find_date`` with its parse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import re
import statistics
import sys
import time
import zlib
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.extract.dates import Tuning, date_verdict, page_evidence  # noqa: E402
from crawler.models import ClaimedDate, DateCandidate, PageDates  # noqa: E402

DEFAULT_GOLD = REPO.parent / "shared" / "eval" / "dates"
FOLDS = 5
EARLY = (45, 1)  # days before the gold day that a wrong claim names
# the thresholds k-fold picks from on the other folds; the default first (it wins ties)
GRID = [Tuning(fallback_below=f, contradiction_min=c, local_min_confidence=m, url_confidence=u,
               htmldate_confidence=h)
        for f, c, m, u, h in itertools.product((0.6, 0.5, 0.7), (0.8, 0.85, 0.95), (0.5, 0.6), (0.91, 0.88),
                                               (0.45, 0.56))]


# -- the gold set --------------------------------------------------------------


def load_gold(gold_dir: Path, only: str = "") -> list[tuple[str, dict, bytes]]:
    gold = json.loads((gold_dir / "gold.json").read_text(encoding="utf-8"))
    return [(name, entry, (gold_dir / "html" / name).read_bytes()) for name, entry in sorted(gold.items())
            if (entry.get("original") or entry.get("no_date_expected")) and only in name]


def site(url: str) -> str:
    """The site a page belongs to: its host without "www.", an archived page's own host."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host == "web.archive.org":
        inner = re.search(r"https?://[^/]+", parts.path)
        host = urlsplit(inner.group(0)).hostname.lower() if inner else host
    return host.removeprefix("www.")


def fold_of(url: str) -> int:
    return zlib.crc32(site(url).encode()) % FOLDS


def correct(found: str | None, entry: dict) -> bool:
    if entry.get("no_date_expected"):
        return found is None
    return found == entry["original"]


# -- the extractors --------------------------------------------------------------


def timed(read, *args):
    """``read(*args)`` and the CPU milliseconds it took: CPU time, not wall time, since the
    machine is shared and others' load would swing wall time from run to run."""
    start = time.process_time()
    try:
        out = read(*args)
    except Exception as exc:  # a crash is a miss, and worth seeing
        print(f"  error: {exc!r}", file=sys.stderr)
        out = None
    return out, (time.process_time() - start) * 1000


def product(body: bytes, url: str):
    from crawler.extract.extraction import extract

    return extract(body, url, {"content-type": "text/html"}).dates


def evidence_of(body: bytes, url: str):
    """The candidates of the page as the product parses it (extraction.py: trafilatura's parser)."""
    import trafilatura

    return page_evidence(body, url, tree=trafilatura.load_html(body))


def htmldate_dates(body: bytes, url: str) -> tuple[PageDates, float]:
    """htmldate's original date as published, its newest as modified; the time of the first call."""
    from htmldate import find_date

    def found(original: bool):
        day = find_date(body, url=url, original_date=original, extensive_search=True)
        return DateCandidate("published" if original else "modified", "htmldate", "find_date", day or "",
                             dt.date.fromisoformat(day), 0.5) if day else None

    published, ms = timed(found, True)
    modified = found(False)
    if modified is not None and published is not None and modified.day < published.day:
        modified = None
    return PageDates(published=published, modified=modified), ms


def day_of(dates: PageDates | None) -> str | None:
    return dates.published.day.isoformat() if dates is not None and dates.published else None


# -- verdicts --------------------------------------------------------------------


def claim(day: dt.date) -> ClaimedDate:
    return ClaimedDate(raw=day.isoformat(), value=day)


def spelled(body: bytes, day: dt.date) -> bool:
    """Whether the page writes ``day`` anywhere, in a form htmldate or we read."""
    from crawler.extract.dates.fallback import spellings

    text = body.decode("utf-8", "replace")
    return any(p.search(text) for p in spellings(day))


def verdicts(dates: PageDates | None, entry: dict, body: bytes) -> dict:
    """match on the true claim; for each early claim: matched, whether the page writes that day,
    and whether the page's own metadata or header states it as this article's date (``own``)."""
    gold = dt.date.fromisoformat(entry["original"])
    dates = dates or PageDates()
    out = {"true": date_verdict(claim(gold), dates)["verdict"] == "match"}
    for days in EARLY:
        early = gold - dt.timedelta(days=days)
        verdict = date_verdict(claim(early), dates)
        matched = verdict["verdict"] == "match"
        out[days] = matched
        out[f"{days}_shown"] = matched and spelled(body, early)
        by = (dates.published if verdict["matched"] == "published" else dates.modified) if matched else None
        out[f"{days}_own"] = by is not None and own_statement(by)
        out[f"{days}_by"] = f"{by.source} {by.where} {by.raw!r}" if by is not None else None
    return out


def own_statement(cand: DateCandidate) -> bool:
    """A date the page states as this article's: its metadata, URL, a site rule, its dateline or a
    labelled date line, or its own object in a script; not htmldate's guess of any date on the page,
    the server's header, or a lone unlabelled date (choose.PRECISE_MIN and above)."""
    from crawler.extract.dates.choose import OWN_SOURCES_EXCLUDED, PRECISE_MIN

    return cand.source not in OWN_SOURCES_EXCLUDED and cand.confidence >= PRECISE_MIN


def rates(rows: list[dict]) -> dict:
    n = len(rows) or 1
    out = {"true": sum(r["true"] for r in rows) / n}
    for days in EARLY:
        out[f"early_{days}"] = sum(r[days] for r in rows) / n
        out[f"early_{days}_unshown"] = sum(r[days] and not r[f"{days}_shown"] for r in rows)
        out[f"early_{days}_not_own"] = sum(r[days] and not r[f"{days}_own"] for r in rows)
    return out


# -- k-fold -----------------------------------------------------------------------


def kfold(pages, evidence: dict) -> tuple[dict[str, PageDates], list[Tuning]]:
    """Each page's dates under the tuning picked on the other folds, and the picks."""
    chosen = {name: {t: ev.choose(t) for t in GRID} for name, ev in evidence.items()}
    right = {name: {t: correct(day_of(d), entry) for t, d in chosen[name].items()} for name, entry, _ in pages}
    out, picks = {}, []
    for fold in range(FOLDS):
        train = [name for name, entry, _ in pages if fold_of(entry["url"]) != fold]
        best = max(GRID, key=lambda t: (sum(right[n][t] for n in train), -GRID.index(t)))
        picks.append(best)
        for name, entry, _ in pages:
            if fold_of(entry["url"]) == fold:
                out[name] = chosen[name][best]
    return out, picks


def kfold_accuracy(gold_dir: Path) -> dict:
    """Whole-set and k-fold accuracy of the date extraction alone (no htmldate, no
    trafilatura): what the gate test (tests/test_eval_gate.py) holds to a floor."""
    pages = load_gold(gold_dir)
    evidence = {name: evidence_of(body, entry["url"]) for name, entry, body in pages}
    held_out, _ = kfold(pages, evidence)
    whole = sum(correct(day_of(evidence[n].choose()), e) for n, e, _ in pages) / len(pages)
    folded = sum(correct(day_of(held_out[n]), e) for n, e, _ in pages) / len(pages)
    return {"pages": len(pages), "accuracy": round(whole, 4), "kfold_accuracy": round(folded, 4)}


# -- the report -------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--failures", action="store_true", help="list our wrong pages")
    parser.add_argument("--only", default="", help="only files whose name contains this")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not (args.gold / "gold.json").is_file():
        print(f"skipped: no gold set at {args.gold}")
        return 0
    pages = load_gold(args.gold, args.only)
    # warm everything up (imports, dateparser/htmldate caches) outside the timings
    product(pages[0][2], pages[0][1]["url"])
    htmldate_dates(pages[0][2], pages[0][1]["url"])
    evidence_of(pages[0][2], pages[0][1]["url"]).choose()

    ms = {"extract": [], "dates": [], "htmldate": []}
    mine, evidence, ref = {}, {}, {}
    for name, entry, body in pages:
        url = entry["url"]
        mine[name], t = timed(product, body, url)
        ms["extract"].append(t)
        start = time.process_time()
        evidence[name] = evidence_of(body, url)
        evidence[name].choose()
        ms["dates"].append((time.process_time() - start) * 1000)
        ref[name], t = htmldate_dates(body, url)
        ms["htmldate"].append(t)
    held_out, picks = kfold(pages, evidence)
    drift = [n for n, _, _ in pages if day_of(evidence[n].choose()) != day_of(mine[n])]

    if args.failures:
        for name, entry, _ in pages:
            if not correct(day_of(mine[name]), entry):
                modified = mine[name].modified.day.isoformat() if mine[name] and mine[name].modified else None
                print(f"  {name}: got {day_of(mine[name])} want {entry['original']} (modified {modified}; "
                      f"htmldate {day_of(ref[name])}) lang={entry.get('html_lang')} fold={fold_of(entry['url'])}")

    dated = [(n, e, b) for n, e, b in pages if not e.get("no_date_expected")]
    if args.failures:
        for name, entry, body in dated:
            row = verdicts(mine[name], entry, body)
            if not row["true"] or any(row[d] for d in EARLY):
                early = "; ".join(f"-{d}d matched by {row[f'{d}_by']}" for d in EARLY if row[d])
                print(f"  verdict {name}: true claim {'match' if row['true'] else 'MISSED'}"
                      + (f"; {early}" if early else ""))
    rows = {
        "citecheck": {"dates": mine, "ms": ms["extract"]},
        "citecheck k-fold": {"dates": held_out, "ms": None},
        "htmldate": {"dates": ref, "ms": ms["htmldate"]},
    }
    figures = {"pages": len(pages), "dated": len(dated), "folds": FOLDS,
               "sites": len({site(e["url"]) for _, e, _ in pages})}
    print(f"pages scored: {len(pages)} ({len(dated)} with a date; {figures['sites']} sites in {FOLDS} folds)")
    print(f"{'':18s} {'accuracy':>9s} {'true=match':>11s} {'-45d match':>11s} {'-1d match':>10s} "
          f"{'coverage':>9s} {'CPU ms/page med':>16s} {'p95':>6s}")
    for label, row in rows.items():
        right = sum(correct(day_of(row["dates"][n]), e) for n, e, _ in pages) / len(pages)
        claimed = rates([verdicts(row["dates"][n], e, b) for n, e, b in dated])
        covered = sum(day_of(row["dates"][n]) is not None for n, _, _ in dated) / len(dated)
        timing = sorted(row["ms"]) if row["ms"] else None
        med = f"{statistics.median(timing):.1f}" if timing else "-"
        p95 = f"{timing[min(len(timing) - 1, int(0.95 * len(timing)))]:.1f}" if timing else "-"
        print(f"{label:18s} {right:9.3f} {claimed['true']:11.3f} {claimed['early_45']:11.3f} "
              f"{claimed['early_1']:10.3f} {covered:9.3f} {med:>16s} {p95:>6s}")
        figures[label] = {"accuracy": round(right, 4), "coverage": round(covered, 4),
                          **{k: round(v, 4) for k, v in claimed.items()}}
    unshown = {d: figures["citecheck"][f"early_{d}_unshown"] for d in EARLY}
    print("early claims matched where the page does not write that day: "
          + ", ".join(f"-{d}d {n}" for d, n in unshown.items()))
    print("early claims matched by a date the page does not state as this article's own (metadata, URL,"
          " dateline, labelled line): " + ", ".join(f"-{d}d {figures['citecheck'][f'early_{d}_not_own']}"
                                                    for d in EARLY))
    print(f"CPU ms/page median: extract() {statistics.median(ms['extract']):.1f}, its dates alone (parse +"
          f" extract_dates) {statistics.median(ms['dates']):.1f}, htmldate {statistics.median(ms['htmldate']):.1f}")
    print("k-fold picks: " + "; ".join(
        f"fold {i}: fallback<{t.fallback_below} contradiction>={t.contradiction_min} local>={t.local_min_confidence}"
        f" url={t.url_confidence} htmldate={t.htmldate_confidence}" for i, t in enumerate(picks)))
    if drift:
        print(f"note: {len(drift)} pages where extract() and extract_dates() disagree: {', '.join(drift[:5])}")
    gap = figures["citecheck"]["accuracy"] - figures["citecheck k-fold"]["accuracy"]
    print(f"published accuracy {figures['citecheck']['accuracy']:.3f}, k-fold {figures['citecheck k-fold']['accuracy']:.3f}"
          f" (gap {gap * 100:.1f} points); htmldate {figures['htmldate']['accuracy']:.3f}")
    figures["ms_median"] = {k: round(statistics.median(v), 2) for k, v in ms.items()}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
