"""The database inside the seal: each run's rows of ``citecheck.db`` hashed into its manifest.

A run's files are sealed by its manifest (``audit.py``); its rows in the
database are sealed the same way: the manifest's ``database`` entry holds the
SHA-256 of every row the run wrote (its ``runs`` row, its ``snapshots`` and its
``checks``, each row as canonical JSON over the columns it had then, so a column
added by a later version leaves old digests valid) and the SHA-256 of the whole
database file as the run left it. ``audit`` re-reads the rows and names each one
altered, deleted or added; the whole-file digest of the newest run catches what
lies outside any run's rows (``sources``, ``citations``, the full-text index,
free pages) until the next run seals the file anew. A 304 reuses a stored
extraction only when its row still matches the digest its run sealed.

The database is opened read-only here: auditing must not change what it checks.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

# table -> the column naming the run that wrote the row; every row is keyed by its primary key
RUN_ROWS = {"runs": "id", "snapshots": "run", "checks": "run"}
KEYS = {"runs": "id", "snapshots": "id", "checks": "id"}
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")  # a column name a manifest may name


class Unreadable(Exception):
    """The database cannot be read as SQLite (corrupted, replaced, emptied)."""


def connect(path: Path) -> sqlite3.Connection:
    """A read-only connection; raises Unreadable when the file is not a readable SQLite database."""
    if not path.is_file():
        raise Unreadable(f"{path.name} is missing")
    if path.stat().st_size == 0:
        raise Unreadable(f"{path.name} is empty (0 bytes)")
    db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)  # as a URI: '#' and '?' in paths escaped
    try:
        problems = [row[0] for row in db.execute("pragma quick_check")]
    except sqlite3.DatabaseError as exc:
        db.close()
        raise Unreadable(f"{path.name} is unreadable: {exc}") from None
    if problems != ["ok"]:
        db.close()
        raise Unreadable(f"{path.name} is damaged: {'; '.join(problems[:3])}")
    return db


def row_digest(values: dict) -> str:
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_blob)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _blob(value):
    """A value citecheck never writes (a blob put in by hand) still has a digest, so it reads as altered."""
    if isinstance(value, bytes):
        return {"blob": value.hex()}
    raise TypeError(f"{type(value).__name__} in a database row")


def well_formed(sealed) -> bool:
    """Is a manifest's ``database`` entry one this module wrote (an edited manifest may hold anything)?"""
    return (isinstance(sealed, dict) and isinstance(sealed.get("sha256"), str)
            and isinstance(sealed.get("columns"), dict) and isinstance(sealed.get("rows"), dict)
            and all(table in RUN_ROWS and isinstance(rows, dict) and isinstance(sealed["columns"].get(table), list)
                    and all(isinstance(c, str) and IDENTIFIER.match(c) for c in sealed["columns"][table])
                    for table, rows in sealed["rows"].items()))


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"pragma table_info([{table}])")]


def _rows(db: sqlite3.Connection, table: str, columns: list[str], where: str, args: list) -> dict[str, str]:
    """Key -> digest of each row of ``table`` meeting ``where``, over ``columns``."""
    selected = ", ".join(f"[{c}]" for c in columns)
    cursor = db.execute(f"select [{KEYS[table]}], {selected} from [{table}] where {where}", args)
    return {str(row[0]): row_digest(dict(zip(columns, row[1:]))) for row in cursor}


def seal(db_path: Path, run_id: str) -> dict:
    """The manifest's ``database`` entry for ``run_id``: its rows' digests and the whole file's."""
    db = connect(db_path)
    try:
        columns = {table: _columns(db, table) for table in RUN_ROWS}
        rows = {table: _rows(db, table, columns[table], f"[{column}] = ?", [run_id])
                for table, column in RUN_ROWS.items()}
    except sqlite3.DatabaseError as exc:  # a table or column gone
        raise Unreadable(f"{db_path.name} is not citecheck's database: {exc}") from None
    finally:
        db.close()
    return {"file": db_path.name, "sha256": file_sha256(db_path), "columns": columns, "rows": rows}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class RowFindings:
    """What differs between a run's sealed rows and the database now: (table, key) pairs."""
    altered: list[tuple[str, str]] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    intact: int = 0

    @property
    def ok(self) -> bool:
        return not (self.altered or self.missing or self.extra)


def check_rows(db: sqlite3.Connection, run_id: str, sealed: dict) -> RowFindings:
    """Compare ``run_id``'s rows now with the digests its manifest sealed."""
    findings = RowFindings()
    for table, expected in sealed["rows"].items():
        columns = sealed["columns"][table]
        try:
            found = _rows(db, table, columns, f"[{RUN_ROWS[table]}] = ?", [run_id])
            found.update(_rows(db, table, columns, f"[{KEYS[table]}] in (select value from json_each(?))",
                               [json.dumps([_key(table, k) for k in expected])]))  # moved to another run: altered
        except sqlite3.DatabaseError:  # the table or a column is gone
            found = {}
        for key, digest in expected.items():
            if key not in found:
                findings.missing.append((table, key))
            elif found[key] != digest:
                findings.altered.append((table, key))
            else:
                findings.intact += 1
        findings.extra.extend((table, key) for key in sorted(set(found) - set(expected), key=_order))
    return findings


def _key(table: str, key: str):
    return int(key) if table != "runs" else key


def _order(key: str):
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def file_matches(db_path: Path, sealed: dict) -> bool:
    return db_path.is_file() and file_sha256(db_path) == sealed.get("sha256")


def describe_row(db: sqlite3.Connection, table: str, key: str) -> str:
    """A row as an auditor recognises it: a check by its footnote, a snapshot by its URL."""
    if table == "runs":
        return f"the runs row of run {key}"
    try:
        if table == "checks":
            row = db.execute("select footnote, source from checks where id = ?", [int(key)]).fetchone()
            what = f" (footnote {row[0]}, source {row[1]})" if row else ""
            return f"check {key}{what}"
        row = db.execute("select url from snapshots where id = ?", [int(key)]).fetchone()
        return f"snapshot {key}{f' ({row[0]})' if row else ''}"
    except sqlite3.DatabaseError:
        return f"{table} row {key}"


def unsealed_rows(db: sqlite3.Connection, sealed_runs: set[str]) -> dict[str, int]:
    """Rows of runs no manifest seals (added to the database, or written by an unsealed run): run -> count."""
    counts: dict[str, int] = {}
    for table, column in RUN_ROWS.items():
        try:
            for run, count in db.execute(f"select [{column}], count(*) from [{table}] group by [{column}]"):
                if run not in sealed_runs:
                    counts[run] = counts.get(run, 0) + count
        except sqlite3.DatabaseError:
            continue
    return counts


class SealedRows:
    """Checks stored rows against their runs' sealed digests, for reuse by a later run.

    ``intact(table, row)`` is True when the row (all its columns as read now) is
    the one its run sealed. A row of a run that sealed no rows (no manifest, or
    one written before the database was sealed) is not trusted either: it could
    be any row relabelled so; after an upgrade its page is fetched in full once.
    One run's seal is held at a time (a run of 100,000 pages seals 200,000 rows):
    rows are best checked in the order they were written, a run's rows together.
    """

    def __init__(self, archive_dir: Path, manifest_name: str = "manifest.json"):
        self.archive_dir = Path(archive_dir)
        self.manifest_name = manifest_name
        self._held: tuple[str | None, dict | None] = (None, None)  # (run id, its manifest's database entry)
        self._files: dict[str, bool] = {}

    def _sealed(self, run_id: str) -> dict | None:
        if self._held[0] != run_id:
            self._held = (None, None)  # the previous run's seal leaves before the next is read
            path = self.archive_dir / str(run_id) / self.manifest_name
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
                sealed = manifest.get("database") if isinstance(manifest, dict) else None
            except (OSError, ValueError):
                sealed = None
            self._held = (run_id, sealed if well_formed(sealed) else None)
        return self._held[1]

    def intact(self, table: str, row: dict) -> bool:
        sealed = self._sealed(row[RUN_ROWS[table]])
        if sealed is None:
            return False
        digest = sealed["rows"].get(table, {}).get(str(row[KEYS[table]]))
        columns = sealed["columns"].get(table)
        if not digest or not columns or any(c not in row for c in columns):
            return False
        return row_digest({c: row[c] for c in columns}) == digest

    def file_intact(self, relative: str) -> bool:
        """Is ``<run>/<file>`` (a WARC a 304 reads a body back from) the file its run sealed?"""
        if relative not in self._files:
            run, _, name = relative.partition("/")
            try:
                manifest = json.loads((self.archive_dir / run / self.manifest_name).read_text(encoding="utf-8"))
                expected = manifest["files"][name]
                self._files[relative] = file_sha256(self.archive_dir / relative) == expected
            except (OSError, ValueError, KeyError, TypeError):
                self._files[relative] = False
        return self._files[relative]
