"""Tamper evidence for the archive: a run seals its files, an auditor re-checks them.

At the end of a run, ``write_manifest`` records the SHA-256 of every file in the
run directory in ``manifest.json`` together with the hash of the previous run's
manifest, so the runs form a chain: editing, deleting or adding a file in any
run, or rewriting an earlier manifest to hide it, shows up in ``audit``. The
newest manifest is covered by nothing after it; keep its hash elsewhere
(``audit`` prints it) to protect the newest run too.
"""

from __future__ import annotations

import datetime as dt

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from crawler import DB_NAME
from crawler.record import dbseal, lock
from crawler.record.dbseal import file_sha256

MANIFEST = "manifest.json"
RUN_ID = re.compile(r"^\d{8}T\d{6}(\.\d{3})?Z(-[0-9A-Za-z]+)?$")  # older ids: whole seconds


def run_dirs(archive_dir: Path) -> list[Path]:
    """Run directories, oldest first (run ids sort chronologically); other folders are ignored."""
    if not archive_dir.is_dir():
        return []
    return sorted(p for p in archive_dir.iterdir() if p.is_dir() and RUN_ID.match(p.name))


def hash_files(run_dir: Path) -> dict[str, str]:
    return {
        path.relative_to(run_dir).as_posix(): file_sha256(path)
        for path in sorted(run_dir.rglob("*"))
        if path.is_file() and path.relative_to(run_dir).as_posix() != MANIFEST
    }


def previous_sealed(run_dir: Path) -> Path | None:
    """The newest earlier run in the same archive that has a manifest."""
    earlier = [p for p in run_dirs(run_dir.parent) if p.name < run_dir.name and (p / MANIFEST).is_file()]
    return earlier[-1] if earlier else None


def write_manifest(run_dir: Path, interrupted: bool = False) -> dict:
    """Seal ``run_dir``: hash its files and chain to the previous sealed run. ``interrupted``: sealed
    afterwards by ``audit --repair``, its files as found then (the manifest says so)."""
    run_dir = Path(run_dir)
    prev = previous_sealed(run_dir)
    manifest = {
        "run": run_dir.name,
        "files": hash_files(run_dir),
        "previous": {"run": prev.name, "manifest_sha256": file_sha256(prev / MANIFEST)} if prev else None,
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"),  # orders seals a second apart
    }
    if interrupted:
        manifest["interrupted"] = "sealed by `citecheck audit --repair` after the run was stopped before its end"
    database = run_dir.parent / DB_NAME
    if database.exists():
        try:
            manifest["database"] = dbseal.seal(database, run_dir.name)
        except dbseal.Unreadable as exc:  # only a repair meets this: it seals the files all the same
            manifest["database"] = {"unreadable": str(exc)}
    (run_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


# -- audit ----------------------------------------------------------------------


@dataclass
class RunAudit:
    run: str
    sealed: bool = True
    interrupted: bool = False  # no manifest, and none referred to: stopped before its end, not tampered with
    in_progress: bool = False  # no manifest yet: the run is still going
    repaired: bool = False  # sealed afterwards by ``audit --repair``
    problem: str | None = None  # the manifest itself is unreadable or names another run
    intact: int = 0
    altered: list[tuple[str, str, str]] = field(default_factory=list)  # (path, expected, found)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (path, expected)
    extra: list[str] = field(default_factory=list)
    previous: str | None = None
    chain: str = "first"  # first | intact | altered | missing
    chain_expected: str | None = None
    chain_found: str | None = None
    manifest_sha256: str | None = None
    database: dict | None = None  # what the manifest sealed of citecheck.db (None: sealed before it was)
    rows: dbseal.RowFindings | None = None
    row_lines: list[str] = field(default_factory=list)  # the rows found changed, as sentences

    @property
    def ok(self) -> bool:
        if not self.sealed:
            return self.in_progress  # an interrupted run proves nothing until repaired
        return (not self.problem and not (self.altered or self.missing or self.extra) and self.chain in ("first", "intact")
                and (self.rows is None or self.rows.ok))


@dataclass
class AuditResult:
    runs: list[RunAudit]
    database: list[str] = field(default_factory=list)  # problems of citecheck.db beyond any one run's rows

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.ok for r in self.runs) and not self.database


def _load_manifest(run_dir: Path) -> tuple[dict | None, str | None]:
    path = run_dir / MANIFEST
    if not path.is_file():
        return None, None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None, "manifest.json is not valid JSON"
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return None, "manifest.json has no file list"
    if manifest.get("run") != run_dir.name:
        return None, f"manifest.json belongs to run {manifest.get('run')!r}, not to this run"
    return manifest, None


def _check_chain(result: RunAudit, archive_dir: Path, previous: dict | None) -> None:
    if not previous:
        return
    result.previous = previous.get("run")
    result.chain_expected = previous.get("manifest_sha256")
    path = archive_dir / str(result.previous) / MANIFEST
    if not RUN_ID.match(str(result.previous)) or not path.is_file():
        result.chain = "missing"
        return
    result.chain_found = file_sha256(path)
    result.chain = "intact" if result.chain_found == result.chain_expected else "altered"


def audit_run(run_dir: Path) -> RunAudit:
    result = RunAudit(run=run_dir.name)
    manifest, problem = _load_manifest(run_dir)
    if problem:
        result.problem = problem
        return result
    if manifest is None:
        result.sealed = False
        return result
    result.repaired = bool(manifest.get("interrupted"))
    database = manifest.get("database")
    if database is not None and not dbseal.well_formed(database) and not (
            isinstance(database, dict) and set(database) == {"unreadable"}):
        result.problem = "manifest.json's database entry is malformed (edited by hand?)"
        return result
    result.database = database
    result.manifest_sha256 = file_sha256(run_dir / MANIFEST)
    found = hash_files(run_dir)
    for path, expected in sorted(manifest["files"].items()):
        if path not in found:
            result.missing.append((path, expected))
        elif found[path] != expected:
            result.altered.append((path, expected, found[path]))
        else:
            result.intact += 1
    result.extra = sorted(set(found) - set(manifest["files"]))
    _check_chain(result, run_dir.parent, manifest.get("previous"))
    return result


def audit(archive_dir: Path, run_id: str | None = None) -> AuditResult:
    """Re-hash one run (``run_id``) or every run of ``archive_dir``; raises FileNotFoundError for an unknown run."""
    archive_dir = Path(archive_dir)
    if run_id is not None:
        run_dir = archive_dir / run_id
        if not run_dir.is_dir():
            raise FileNotFoundError(str(run_dir))
        runs = [audit_run(run_dir)]
    else:
        runs = [audit_run(d) for d in run_dirs(archive_dir)]
    _unsealed(runs, archive_dir)
    return AuditResult(runs, _audit_database(archive_dir, runs, whole=run_id is None))


def _audit_database(archive_dir: Path, runs: list[RunAudit], whole: bool) -> list[str]:
    """Check each run's sealed rows; with ``whole``, also the file against the newest seal and rows
    that no run sealed. Returns the problems that belong to no single run."""
    sealing = [r for r in runs if dbseal.well_formed(r.database)]
    if not sealing:
        return []  # sealed before the database was: nothing to check it against
    try:
        db = dbseal.connect(archive_dir / DB_NAME)
    except dbseal.Unreadable as exc:
        return [f"{exc}: the rows {len(sealing)} sealed runs wrote to it cannot be checked"]
    try:
        for result in sealing:
            result.rows = dbseal.check_rows(db, result.run, result.database)
            result.row_lines = _row_lines(db, result.rows)
        if not whole or any(r.in_progress for r in runs):
            return []  # a run going on is writing the file
        return _whole_file(db, archive_dir, runs, sealing)
    finally:
        db.close()


def _row_lines(db, rows: dbseal.RowFindings) -> list[str]:
    lines = [f"ALTERED in {DB_NAME}: {dbseal.describe_row(db, table, key)}" for table, key in rows.altered]
    lines += [f"DELETED from {DB_NAME}: {table} row {key}" for table, key in rows.missing]
    lines += [f"ADDED to {DB_NAME}: {dbseal.describe_row(db, table, key)}, not sealed with the run"
              for table, key in rows.extra]
    return lines


def _whole_file(db, archive_dir: Path, runs: list[RunAudit], sealing: list[RunAudit]) -> list[str]:
    """Rows of runs with no manifest, and the file against the newest seal (which alone covers what
    lies outside the runs' rows: sources, citations, the full-text index, free pages)."""
    problems = []
    folders = {r.run: r for r in runs}
    for run, count in dbseal.unsealed_rows(db, {r.run for r in runs if r.sealed}).items():
        if run not in folders:
            problems.append(f"{DB_NAME} holds {count} rows of run {run}, which has no folder in the archive: "
                            "added to the database")
    newest = max(sealing, key=lambda r: (_sealed_at(archive_dir / r.run), r.run))
    if not dbseal.file_matches(archive_dir / DB_NAME, newest.database):
        unsealed = [r.run for r in runs if r.interrupted]
        why = (f"run {', '.join(unsealed)} was interrupted after writing to it" if unsealed
               else "every row the runs sealed is intact, so what changed lies outside them (sources, citations, "
                    "the full-text index or free pages)" if all(r.rows.ok for r in sealing)
               else "see the rows named above")
        problems.append(f"{DB_NAME} is NOT the file run {newest.run} sealed (sha256 {_short(newest.database['sha256'])}"
                        f" expected, {_short(file_sha256(archive_dir / DB_NAME))} found): {why}")
    return problems


def _sealed_at(run_dir: Path) -> dt.datetime:
    """When the run was sealed (older manifests say it to the second); the epoch when it cannot be read."""
    manifest = _load_manifest(run_dir)[0] or {}
    try:
        return dt.datetime.fromisoformat(str(manifest.get("created_at")))
    except ValueError:
        return dt.datetime.fromtimestamp(0, dt.timezone.utc)


def _unsealed(runs: list[RunAudit], archive_dir: Path) -> None:
    """An unsealed run is in progress (it holds the archive), interrupted (no manifest ever referred to
    it), or one whose manifest was deleted (a later run's manifest names it as its previous)."""
    referred = {manifest["previous"]["run"] for d in run_dirs(archive_dir)
                if (manifest := _load_manifest(d)[0]) and manifest.get("previous")}
    holder = lock.held(archive_dir) or ""
    for result in runs:
        if not result.sealed and not result.problem:
            result.in_progress = f"run {result.run}," in holder
            result.interrupted = not result.in_progress and result.run not in referred


def repair(archive_dir: Path) -> list[str]:
    """Seal every interrupted run as its files are now, marked interrupted; nothing sealed is touched,
    so no edit of a sealed run can be covered up. The runs sealed, oldest first."""
    with lock.holding(Path(archive_dir), "audit --repair"):  # never seal a run that is still going
        result = audit(archive_dir)
        repaired = [r.run for r in result.runs if r.interrupted]
        for run in repaired:
            write_manifest(Path(archive_dir) / run, interrupted=True)
    return repaired


# -- plain sentences for people -------------------------------------------------


def _short(digest: str | None) -> str:
    return f"{digest[:16]}…" if digest else "nothing"


def describe(result: RunAudit) -> list[str]:
    """One sentence per finding; the first line says whether the run is intact."""
    head = f"run {result.run}:"
    if result.in_progress:
        return [f"{head} in progress: it is sealed when it ends"]
    if result.interrupted:
        return [f"{head} interrupted, not tampered: stopped before it was sealed (no manifest.json, and no later "
                "run refers to one); its files prove nothing either way. `citecheck audit --repair` seals them "
                "as they are, marked interrupted"]
    if not result.sealed:
        return [f"{head} its manifest.json was DELETED (a later run's manifest refers to it), so its files "
                "cannot be verified"]
    if result.problem:
        return [f"{head} {result.problem}; its files cannot be verified"]
    lines = []
    for path, expected, found in result.altered:
        lines.append(f"{head} {path} was ALTERED after the run (expected sha256 {_short(expected)}, "
                     f"found {_short(found)})")
    for path, expected in result.missing:
        lines.append(f"{head} {path} is MISSING (the manifest lists it with sha256 {_short(expected)})")
    for path in result.extra:
        lines.append(f"{head} {path} was ADDED after the run (not in the manifest)")
    if result.chain == "altered":
        lines.append(f"{head} chain BROKEN: the manifest of run {result.previous} was ALTERED "
                     f"(this run recorded sha256 {_short(result.chain_expected)}, found {_short(result.chain_found)})")
    elif result.chain == "missing":
        lines.append(f"{head} chain BROKEN: the manifest of run {result.previous} is MISSING")
    lines += [f"{head} {line}" for line in result.row_lines]
    if not lines:
        chain = (f"chain to run {result.previous} intact" if result.chain == "intact"
                 else "first run in the chain")
        rows = f", {result.rows.intact} database rows" if result.rows else ""
        repaired = " (interrupted; sealed afterwards by audit --repair)" if result.repaired else ""
        lines.append(f"{head} {result.intact} files{rows} intact{repaired}; {chain}")
    return lines


def summary(result: AuditResult) -> str:
    if not result.runs:
        return "no runs found to audit"
    bad = sum(not r.ok and not r.interrupted for r in result.runs)
    interrupted = sum(r.interrupted for r in result.runs)
    noun = "run" if len(result.runs) == 1 else "runs"
    verdict = ", ".join(filter(None, (
        f"{bad} with problems" if bad else "", f"{interrupted} interrupted (`citecheck audit --repair`)" if interrupted else "",
        f"{going} in progress" if (going := sum(r.in_progress for r in result.runs)) else "",
        "the database has problems" if result.database else ""))) or "all intact"
    lines = [f"{DB_NAME}: {problem}" if not problem.startswith(DB_NAME) else problem for problem in result.database]
    newest = next((r for r in reversed(result.runs) if r.manifest_sha256), None)
    anchor = (f"\nnewest manifest ({newest.run}) sha256 {newest.manifest_sha256}: "
              "keep this hash elsewhere to detect later edits to that run") if newest else ""
    return "\n".join(lines + [f"{len(result.runs)} {noun} audited: {verdict}{anchor}"])
