"""Has the cited page's text changed since the last run, and by how much?

Pure text comparison, shared by the crawl (each new snapshot against the
previous one) and the auditor's ``diff`` (any two snapshots), so both report
the same measure.
"""

from __future__ import annotations

import difflib


def line_similarity(old: list[str], new: list[str]) -> float:
    """difflib's ratio over lines: 1.0 identical, 0.0 nothing in common (the run's and history's measure)."""
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()


def text_change(previous_text: str | None, text: str, previous_run: str | None) -> dict:
    """How the extracted text compares with the previous snapshot's."""
    if previous_text is None:
        return {"status": "new", "previous_run": None, "text_similarity": None}
    if previous_text == text:
        return {"status": "unchanged", "previous_run": previous_run, "text_similarity": 1.0}
    ratio = line_similarity(previous_text.splitlines(), text.splitlines())
    return {"status": "changed", "previous_run": previous_run, "text_similarity": round(ratio, 3)}
