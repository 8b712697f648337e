"""What a cited source looked like over time, read back from the archive database.

Every run stores one snapshot per URL, so the database already holds a source's
history; this module lists it and diffs the extracted text of two snapshots, so
an auditor can see *what* changed on a page after it was cited.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from crawler.checks.change import line_similarity
from crawler.record import archive

SNAPSHOTS_SQL = """
select sn.id, sn.run, sn.url, sn.final_url, sn.fetched_at, sn.status, sn.error, sn.published, sn.modified,
       sn.title, sn.sha256, sn.text, sn.text_path,
       (select group_concat(distinct c.link) from checks c where c.snapshot = sn.id) as link
from snapshots sn where sn.url = ? order by sn.run desc, sn.id desc
"""
COLUMNS = (("run", 25), ("fetched_at", 25), ("status/link", 16), ("published", 10), ("modified", 10),
           ("text sha256", 16))


def source_url(db: Database, source: str) -> str | None:
    """The URL a source id stands for; a URL given directly is taken as is."""
    if "sources" in db.table_names():
        row = next(db.query("select url from sources where id = ?", [source]), None)
        if row:
            return row["url"]
    return source if source.startswith(("http://", "https://")) else None


def snapshots(db: Database, url: str) -> list[dict]:
    """Every snapshot of ``url``, newest first."""
    return list(db.query(SNAPSHOTS_SQL, [url]))


def status_link(row: dict) -> str:
    status = str(row["status"]) if row["status"] is not None else (row["error"] or "—")
    return f"{status}/{row['link']}" if row["link"] else status


def history_lines(rows: list[dict]) -> list[str]:
    """A fixed-width table, one line per snapshot."""
    def fmt(values):
        return "  ".join(str(v).ljust(width) for v, (_, width) in zip(values, COLUMNS)).rstrip()

    lines = [fmt(name for name, _ in COLUMNS)]
    for row in rows:
        lines.append(fmt([row["run"], row["fetched_at"] or "—", status_link(row), row["published"] or "—",
                          row["modified"] or "—", (row["sha256"] or "—")[:16]]))
    return lines


def snapshot_text(row: dict, archive_dir: Path) -> str | None:
    """The extracted text: from the database, else from the archived file it names.

    A snapshot answered by a 304 stores no copy of the text; its ``text_path``
    is the file of the run that first extracted it.
    """
    if row.get("text") is not None:
        return row["text"]
    if row.get("text_path"):
        path = Path(archive_dir) / row["text_path"]
    else:
        path = archive.text_file(Path(archive_dir) / row["run"], row["sha256"]) if row.get("sha256") else None
    return archive.read_text(path) if path and path.is_file() else None


@dataclass(frozen=True)
class TextDiff:
    old_run: str
    new_run: str
    lines: list[str]  # unified diff, without trailing newlines
    removed: int
    added: int
    similarity: float  # difflib ratio over lines, 1.0 = identical

    @property
    def changed(self) -> int:
        return self.removed + self.added

    def summary(self) -> str:
        if not self.changed:
            return f"text identical in runs {self.old_run} and {self.new_run}"
        return (f"{self.changed} lines changed ({self.removed} removed, {self.added} added) "
                f"from run {self.old_run} to run {self.new_run}; line similarity {self.similarity:.2f}")


def diff_texts(old: str, new: str, old_run: str, new_run: str) -> TextDiff:
    a, b = old.splitlines(), new.splitlines()
    lines = list(difflib.unified_diff(a, b, fromfile=f"run {old_run}", tofile=f"run {new_run}", lineterm=""))
    body = lines[2:]
    removed = sum(1 for line in body if line.startswith("-"))
    added = sum(1 for line in body if line.startswith("+"))
    return TextDiff(old_run, new_run, lines, removed, added, line_similarity(a, b))


def pick_pair(rows: list[dict], run_a: str | None, run_b: str | None) -> tuple[dict, dict] | None:
    """The two snapshots to compare: the named runs in the order given, or the newest two (older first)."""
    if run_a and run_b:
        by_run = {}
        for row in rows:  # newest first: keep a run's last snapshot
            by_run.setdefault(row["run"], row)
        if run_a not in by_run or run_b not in by_run:
            return None
        return by_run[run_a], by_run[run_b]
    if len(rows) < 2:
        return None
    return rows[1], rows[0]
