"""How much of each reference ``citecheck import`` reads right, on documents it was not tuned on.

    .venv/bin/python bench/import_accuracy.py [CASE_DIR ...]

Default: the held-out cases in bench/documents/ (written apart from the
tests' cases, never used to adjust the readers). Each case folder holds
source.md, expected.yaml and the formats make_documents.py makes of it
(``.venv/bin/python tests/fixtures/documents/make_documents.py bench/documents``).
Prints the share of fields read right per format and per field, and every
miss, so a drop can be traced to its failure class.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support.documents import FIELDS, FORMATS, load_expected, mismatches, read_as_expected  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", type=Path, default=sorted((REPO / "bench" / "documents").iterdir()))
    parser.add_argument("--quiet", action="store_true", help="totals only, no list of misses")
    args = parser.parse_args()
    by_format: dict[str, list[int]] = {}
    by_field: Counter = Counter()
    compared_fields: Counter = Counter()
    misses = []
    for case in args.cases:
        if not (case / "expected.yaml").exists():
            continue
        expected = load_expected(case / "expected.yaml")
        for name in FORMATS:
            if not (case / name).exists():
                continue
            with tempfile.TemporaryDirectory() as tmp:
                got = read_as_expected(case / name, Path(tmp))
            compared, problems = mismatches(got, expected)
            total = by_format.setdefault(name, [0, 0])
            total[0] += compared - len(problems)
            total[1] += compared
            for field in FIELDS:
                compared_fields[field] += sum(len(n["references"]) for n in expected["footnotes"].values()
                                              if n.get("references")) if field != "context" else len(expected["footnotes"])
            for problem in problems:
                field = problem.split(":")[0].split()[-1]
                by_field[field if field in FIELDS else "reference"] += 1
                misses.append(f"{case.name}/{name}: {problem[:160]}")
    print(f"{'format':<24}{'fields right':>14}")
    right = sum(r for r, _ in by_format.values())
    total = sum(t for _, t in by_format.values())
    for name, (r, t) in by_format.items():
        print(f"{name:<24}{r:>7}/{t:<5} {r / t:6.1%}")
    print(f"{'all':<24}{right:>7}/{total:<5} {right / max(total, 1):6.1%}")
    print("\nmisses by field (all formats):", dict(by_field) or "none")
    if not args.quiet:
        print("\n".join(["", *misses]) if misses else "")


if __name__ == "__main__":
    main()
