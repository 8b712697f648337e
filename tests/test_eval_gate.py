"""The date extraction's accuracy on sites it was not tuned on stays above a pinned floor.

Runs bench/eval_dates.py's k-fold scoring (folds by site; the choice's thresholds picked on
the other folds) over the evaluation set, which lives outside the repository: the test is
skipped where it is absent (a fresh clone), as trafilatura's tests/eval_gate.py is. The set's
folder is $CITECHECK_EVAL_DATES, else ../shared/eval/dates beside the repository. Raise the
floor in bench/eval_baseline.json when a change lifts the figure; never lower it to pass.
"""

import json
import os
from pathlib import Path

import pytest

from bench.eval_dates import DEFAULT_GOLD, kfold_accuracy

BASELINE = Path(__file__).resolve().parent.parent / "bench" / "eval_baseline.json"
GOLD = Path(os.environ.get("CITECHECK_EVAL_DATES") or DEFAULT_GOLD)


@pytest.fixture(scope="module")
def figures():
    if not (GOLD / "gold.json").is_file():
        pytest.skip(f"no evaluation set at {GOLD}")
    return kfold_accuracy(GOLD)


def test_kfold_accuracy_stays_above_the_floor(figures):
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert figures["pages"] == baseline["pages"], "the evaluation set changed: measure a new baseline"
    assert figures["kfold_accuracy"] >= baseline["kfold_floor"]


def test_kfold_stays_close_to_the_whole_set(figures):
    """A large gap means thresholds that fit the pages they were picked on, not pages in general."""
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert figures["accuracy"] - figures["kfold_accuracy"] <= baseline["max_gap"]
