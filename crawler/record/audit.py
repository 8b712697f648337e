"""Tamper evidence for the archive: a run seals its files, an auditor re-checks them.

At the end of a run, ``write_manifest`` records the SHA-256 of every file in the
run directory in ``manifest.json`` together with the hash of the previous run's
manifest, so the runs form a chain: editing, deleting or adding a file in any
run, or rewriting an earlier manifest to hide it, shows up in ``audit``. The
newest manifest is covered by nothing after it; keep its hash elsewhere
(``audit`` prints it) to protect the newest run too.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from crawler.models import utc_now

MANIFEST = "manifest.json"
RUN_ID = re.compile(r"^\d{8}T\d{6}(\.\d{3})?Z(-[0-9A-Za-z]+)?$")  # older ids: whole seconds
CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


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


def write_manifest(run_dir: Path) -> dict:
    """Seal ``run_dir``: hash its files and chain to the previous sealed run."""
    run_dir = Path(run_dir)
    prev = previous_sealed(run_dir)
    manifest = {
        "run": run_dir.name,
        "files": hash_files(run_dir),
        "previous": {"run": prev.name, "manifest_sha256": file_sha256(prev / MANIFEST)} if prev else None,
        "created_at": utc_now(),
    }
    (run_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


# -- audit ----------------------------------------------------------------------


@dataclass
class RunAudit:
    run: str
    sealed: bool = True
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

    @property
    def ok(self) -> bool:
        return (self.sealed and not self.problem and not (self.altered or self.missing or self.extra)
                and self.chain in ("first", "intact"))


@dataclass
class AuditResult:
    runs: list[RunAudit]

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.ok for r in self.runs)


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
        return AuditResult([audit_run(run_dir)])
    return AuditResult([audit_run(d) for d in run_dirs(archive_dir)])


# -- plain sentences for people -------------------------------------------------


def _short(digest: str | None) -> str:
    return f"{digest[:16]}…" if digest else "nothing"


def describe(result: RunAudit) -> list[str]:
    """One sentence per finding; the first line says whether the run is intact."""
    head = f"run {result.run}:"
    if not result.sealed:
        return [f"{head} has NO manifest.json, so its files cannot be verified "
                "(the run was never sealed, or its manifest was deleted)"]
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
    if not lines:
        chain = (f"chain to run {result.previous} intact" if result.chain == "intact"
                 else "first run in the chain")
        lines.append(f"{head} {result.intact} files intact; {chain}")
    return lines


def summary(result: AuditResult) -> str:
    if not result.runs:
        return "no runs found to audit"
    bad = sum(not r.ok for r in result.runs)
    noun = "run" if len(result.runs) == 1 else "runs"
    verdict = "all intact" if not bad else f"{bad} with problems"
    newest = next((r for r in reversed(result.runs) if r.manifest_sha256), None)
    anchor = (f"\nnewest manifest ({newest.run}) sha256 {newest.manifest_sha256}: "
              "keep this hash elsewhere to detect later edits to that run") if newest else ""
    return f"{len(result.runs)} {noun} audited: {verdict}{anchor}"
