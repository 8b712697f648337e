"""Claim anchoring measured: precision and recall of ``unsupported`` on sentence/source pairs.

    .venv/bin/python bench/claims.py [--set dev|heldout|seed|all] [--folds]

``dev`` and ``dev2`` are tests/fixtures/claims/dev*.yaml (the sets the rules were developed on),
``heldout`` is bench/claims/heldout.yaml (written apart, never tuned on: the
figures to report), ``seed`` the seed briefing's sentences against the demo
replica's pages (tests/fixtures/claims/seed.yaml). A false ``unsupported`` on a
correct citation costs an editor's trust more than a missed one: precision is
the figure that matters. ``--folds`` chooses the thresholds by cross-validation,
folds by language pair, and prints what each fold chose and scored.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.checks import support  # noqa: E402

SETS = {
    "dev": REPO / "tests" / "fixtures" / "claims" / "dev.yaml",
    "dev2": REPO / "tests" / "fixtures" / "claims" / "dev2.yaml",
    "heldout": REPO / "bench" / "claims" / "heldout.yaml",
    "seed": REPO / "tests" / "fixtures" / "claims" / "seed.yaml",
}
VERDICTS = ("supported", "partly", "unsupported")


def load(name: str) -> list[dict]:
    names = list(SETS) if name == "all" else [name]
    pairs = []
    for n in names:
        if SETS[n].exists():
            pairs += yaml.safe_load(SETS[n].read_text(encoding="utf-8"))["pairs"]
    return pairs


def verdicts(pairs: list[dict]) -> list[tuple[str, str]]:
    return [(p["expected"], support.claim_support(p["sentence"], p["source"], p.get("source_lang"))["verdict"])
            for p in pairs]


def scores(rows: list[tuple[str, str]]) -> dict:
    tp = sum(e == "unsupported" and g == "unsupported" for e, g in rows)
    fp = sum(e != "unsupported" and g == "unsupported" for e, g in rows)
    fn = sum(e == "unsupported" and g != "unsupported" for e, g in rows)
    return {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
            "accuracy": sum(e == g for e, g in rows) / max(len(rows), 1), "tp": tp, "fp": fp, "fn": fn}


def report(name: str, pairs: list[dict]) -> None:
    rows = verdicts(pairs)
    s = scores(rows)
    print(f"{name}: {len(rows)} pairs; unsupported precision {s['precision']:.2f} recall {s['recall']:.2f} "
          f"(tp {s['tp']}, fp {s['fp']}, fn {s['fn']}); all three verdicts right {s['accuracy']:.0%}")
    matrix = Counter(rows)
    print("  expected \\ got " + "".join(f"{v:>13}" for v in (*VERDICTS, "not_checked")))
    for e in VERDICTS:
        print(f"  {e:<15}" + "".join(f"{matrix[(e, g)]:>13}" for g in (*VERDICTS, "not_checked")), flush=True)


GRID = {"CONTEXT": (1, 2), "DATE_CONTEXT": (1, 2), "NUMBER_BESIDE": (False, True), "COHERENCE": (0, 3, 4)}


def folds(pairs: list[dict]) -> None:
    """Leave one language pair out: choose the grid point best on the others, score it on the one left out."""
    def pair_of(p):
        return f"{p['sentence_lang']}-{p['source_lang']}"
    groups = sorted({pair_of(p) for p in pairs})
    rows = []
    for left_out in groups:
        train = [p for p in pairs if pair_of(p) != left_out]
        test = [p for p in pairs if pair_of(p) == left_out]
        best = max(itertools.product(*GRID.values()), key=lambda point: _objective(train, point))
        _set(best)
        rows += verdicts(test)
        print(f"  fold {left_out:<6} chose {dict(zip(GRID, best))}")
    s = scores(rows)
    print(f"cross-validated (folds by language pair): precision {s['precision']:.2f} recall {s['recall']:.2f}")


def _objective(pairs: list[dict], point: tuple) -> tuple:
    """Precision first (a false "unsupported" costs trust), then recall."""
    _set(point)
    s = scores(verdicts(pairs))
    return (round(s["precision"], 3), s["recall"])


def _set(point: tuple) -> None:
    for name, value in zip(GRID, point):
        setattr(support, name, value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="all", choices=[*SETS, "all"])
    parser.add_argument("--folds", action="store_true", help="cross-validate the thresholds (folds by language pair)")
    parser.add_argument("--show", action="store_true", help="print every pair whose verdict differs")
    args = parser.parse_args()
    names = list(SETS) if args.set == "all" else [args.set]
    for name in names:
        pairs = load(name)
        if pairs:
            report(name, pairs)
            if args.show:
                for p in pairs:
                    got = support.claim_support(p["sentence"], p["source"], p.get("source_lang"))
                    if got["verdict"] != p["expected"]:
                        print(f"   {p['id']}: expected {p['expected']}, got {got['verdict']}: "
                              + "; ".join(f"{a['text']}={'Y' if a['found'] else 'n'}" for a in got["anchors"])
                              + (f" CONTRADICTION {got['contradiction']['anchor']} vs {got['contradiction']['source_says']}"
                                 if got.get("contradiction") else ""))
    if args.folds:
        folds(load("dev") + load("dev2"))


if __name__ == "__main__":
    main()
