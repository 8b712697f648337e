"""The machine-readable record of a run, for auditors and scripts.

Keys come out in the contract's order (so the file reads like the spec and two
runs diff cleanly), with any key the contract does not know sorted after them.
Results keep the reference order of citations.yaml, one per line. ``write``
streams them to a file one at a time: a nightly report of 100,000 references is
never held whole in memory, neither as a string nor as its canonical copy.
"""

from __future__ import annotations

import functools
import io
import json
import os
import tempfile
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

# The contract's key order for each object, named by the key that holds it
# (a list passes its own key on to its items; "" is the top level).
KEY_ORDERS = {
    "": ("run", "results"),
    "run": ("id", "started_at", "finished_at", "tool", "citations", "imported_from", "document", "replay",
            "archive", "counts", "skipped", "unreached", "network", "distrusted", "exit_code"),
    "document": ("title", "publisher", "issue"),
    "counts": ("pass", "warn", "fail"),
    "results": ("footnote", "source", "line", "source_title", "publisher", "url", "final_url",
                "http_status", "link", "link_detail", "hops", "date", "title", "pages", "claim",
                "snapshot", "unread", "overall", "reasons"),
    "claim": ("context", "anchors", "support", "verdict", "contradiction", "reason"),
    "anchors": ("text", "kind", "found", "snippet"),
    "hops": ("url", "status", "location"),
    "skipped": ("footnote", "source", "url", "reason"),
    "date": ("claimed", "accessed", "published", "modified", "verdict", "matched", "updated_since_claim",
             "difference_days", "suggested", "evidence"),
    "evidence": ("kind", "source", "where", "raw", "date", "value", "utc_offset", "confidence"),
    "title": ("cited", "page", "verdict", "similarity", "language", "cited_language", "edition_url", "edition_title",
              "shared"),
    "pages": ("cited", "page_count", "verdict"),
    "snapshot": ("sha256", "text_path", "warc"),
}


def render(run: dict, results: Iterable[dict]) -> str:
    """The run indented; one reference per line, without spaces after separators (a diff names
    the references that changed, and a nightly report of thousands is written by the C encoder,
    not the indenting one, 6 % smaller)."""
    out = io.StringIO()
    write(out, run, results)
    return out.getvalue()


def write(out: TextIO, run: dict, results: Iterable[dict]) -> None:
    """``render`` into ``out``, each result put in the contract's order and written as it comes."""
    write_lines(out, run, map(line, results))


def line(result: dict) -> str:
    """One result as its line of the report: a run holds it so until the report is written."""
    return json.dumps(_canonical(result, "results"), ensure_ascii=False, separators=(",", ":"))


def write_lines(out: TextIO, run: dict, lines: Iterable[str]) -> None:
    """``write`` with each result already a ``line``."""
    head = json.dumps(_canonical(run, "run"), indent=2, ensure_ascii=False).replace("\n", "\n  ")
    out.write(f'{{\n  "run": {head},\n  "results": ')
    opening = "[\n    "
    for text in lines:
        out.write(opening)
        out.write(text)
        opening = ",\n    "
    out.write("[]" if opening.startswith("[") else "\n  ]")
    out.write("\n}\n")


class Results:
    """The results of a report ``write`` wrote, read back one at a time each time they are iterated
    (a result is one line there): the other reports of a large run are built from it, not from a list."""

    def __init__(self, path: str | os.PathLike, count: int):
        self.path, self.count = Path(path), count

    @classmethod
    def written(cls, run: dict, lines: Iterable[str], count: int) -> Results:
        """The report written plain into a working file of its own, removed with the object: reports
        read results back at random, which the archive's compressed copy cannot serve."""
        handle, name = tempfile.mkstemp(prefix="citecheck-report-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            write_lines(out, run, lines)
        results = cls(name, count)
        weakref.finalize(results, os.unlink, name)
        return results

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[dict]:
        return (result for _, result in self.entries())

    def entries(self) -> Iterator[tuple[int, dict]]:
        """(where the result's line starts, the result), in the report's order."""
        with self.path.open("rb") as report:
            for text in report:
                if text.startswith(b'  "results": '):
                    break
            while text := report.readline():
                if not text.startswith(b"    "):
                    return
                yield report.tell() - len(text), json.loads(text.rstrip().removesuffix(b","))

    def at(self, offsets: Iterable[int]) -> list[dict]:
        """The results whose lines start at ``offsets`` (from ``entries``)."""
        with self.path.open("rb") as report:
            found = []
            for offset in offsets:
                report.seek(offset)
                found.append(json.loads(report.readline().rstrip().removesuffix(b",")))
            return found


RANKS = {holder: {key: n for n, key in enumerate(keys)} for holder, keys in KEY_ORDERS.items()}
CONTAINERS = (dict, list, tuple)


def _canonical(value: object, holder: str) -> object:
    """Leaves are copied where they stand: a nightly report has hundreds of thousands."""
    if isinstance(value, dict):
        return {k: _canonical(v, str(k)) if isinstance(v := value[k], CONTAINERS) else v
                for k in _ordered(holder, tuple(value))}
    return [_canonical(v, holder) if isinstance(v, CONTAINERS) else v for v in value]


@functools.lru_cache(maxsize=1024)
def _ordered(holder: str, keys: tuple) -> tuple:
    """Sorted once per shape: thousands of results share a handful of key sets."""
    rank = RANKS.get(holder, {})
    return tuple(sorted(keys, key=lambda k: (rank.get(k, len(rank)), str(k))))
