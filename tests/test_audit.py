"""Integrity manifests and `citecheck audit` over real runs of the demo replica.

Each test tampers with a copy of an archive holding two sealed runs, the way
an editor or an intruder might, and checks the auditor is told exactly what.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from crawler.cli_audit import audit as audit_command
from crawler.cli_audit import history as history_command
from crawler.record import archive as run_archive
from crawler.record import audit
from tests.conftest import ROOT, run_cli


def demo_run(archive: Path) -> Path:
    """One real verify run against the bundled replica, sealed as the runner seals it."""
    before = set(audit.run_dirs(archive))
    result = run_cli("verify", str(ROOT / "citations.yaml"), "--replay", str(ROOT / "demo" / "replica.warc.gz"),
                     "--archive", str(archive), cwd=archive.parent, json_name=None)
    assert result.code == 1, result.stderr  # the demo's 4 lost links fail by design
    (run_dir,) = set(audit.run_dirs(archive)) - before
    audit.write_manifest(run_dir)
    return run_dir


@pytest.fixture(scope="module")
def sealed(tmp_path_factory) -> Path:
    archive = tmp_path_factory.mktemp("sealed") / "archive"
    demo_run(archive)
    demo_run(archive)
    return archive


@pytest.fixture
def archive(sealed, tmp_path) -> Path:
    copy = tmp_path / "archive"
    shutil.copytree(sealed, copy)
    return copy


def cli_audit(archive: Path, *args: str):
    """The command as users run it, through click (exit code, stdout, stderr)."""
    return CliRunner().invoke(audit_command, [*args, "--archive", str(archive)])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_manifest_lists_every_file_with_its_hash(archive):
    first, second = audit.run_dirs(archive)
    manifest = json.loads((first / "manifest.json").read_text())
    on_disk = {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(manifest["files"]) == on_disk
    assert {f"{first.name}.warc.gz", "report.json.gz", "report.xml.gz", "report.html", "crawl.log"} <= on_disk
    db = Database(archive / "citecheck.db")
    texts = {r["sha256"] for r in db.query("select sha256 from snapshots where run = ? and sha256 is not null",
                                            [first.name])}
    assert len(texts) == 13  # the replica's 12 cited URLs and the English edition of one, each with its own text
    assert {name for name in on_disk if name.startswith("text/")} == {f"text/{t}.txt.gz" for t in texts}
    assert all(manifest["files"][name] == sha(first / name) for name in on_disk)
    assert manifest["run"] == first.name and manifest["previous"] is None


def test_second_manifest_chains_to_the_first(archive):
    first, second = audit.run_dirs(archive)
    manifest = json.loads((second / "manifest.json").read_text())
    assert manifest["previous"] == {"run": first.name, "manifest_sha256": sha(first / "manifest.json")}


def test_intact_archive_passes_with_plain_sentences(archive):
    first, second = audit.run_dirs(archive)
    manifest = json.loads((first / "manifest.json").read_text())
    count, rows = len(manifest["files"]), sum(map(len, manifest["database"]["rows"].values()))
    result = cli_audit(archive)
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == f"run {first.name}: {count} files, {rows} database rows intact; first run in the chain"
    assert lines[1].startswith(f"run {second.name}: ") and lines[1].endswith(f"chain to run {first.name} intact")
    assert lines[2] == "2 runs audited: all intact"
    assert lines[3].startswith(f"newest manifest ({second.name}) sha256 {sha(second / 'manifest.json')}")


def test_altered_text_file_is_named_with_both_hashes(archive):
    first, _ = audit.run_dirs(archive)
    target = sorted((first / "text").iterdir())[0]
    expected = sha(target)
    target.write_bytes(gzip.compress(gzip.decompress(target.read_bytes()).replace(b"a", b"o", 1)))
    result = cli_audit(archive)
    assert result.exit_code == 1
    rel = f"text/{target.name}"
    assert (f"run {first.name}: {rel} was ALTERED after the run (expected sha256 {expected[:16]}…, "
            f"found {sha(target)[:16]}…)") in result.stdout.splitlines()
    assert "2 runs audited: 1 with problems" in result.stdout


def test_missing_and_added_files_are_reported(archive):
    _, second = audit.run_dirs(archive)
    expected = sha(second / "report.xml.gz")
    (second / "report.xml.gz").unlink()
    (second / "notes.txt").write_text("added later\n")
    result = audit.audit(archive, second.name)
    assert not result.ok
    (run,) = result.runs
    assert run.missing == [("report.xml.gz", expected)] and run.extra == ["notes.txt"] and run.altered == []
    assert audit.describe(run) == [
        f"run {second.name}: report.xml.gz is MISSING (the manifest lists it with sha256 {expected[:16]}…)",
        f"run {second.name}: notes.txt was ADDED after the run (not in the manifest)",
    ]


def test_rewritten_earlier_manifest_breaks_the_chain(archive):
    first, second = audit.run_dirs(archive)
    recorded = sha(first / "manifest.json")
    manifest = json.loads((first / "manifest.json").read_text())
    manifest["created_at"] = "2020-01-01T00:00:00+00:00"  # a forger's edit; the file list still matches
    (first / "manifest.json").write_text(json.dumps(manifest))
    result = cli_audit(archive)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"run {first.name}: ") and "intact; first run in the chain" in lines[0]
    assert lines[1] == (f"run {second.name}: chain BROKEN: the manifest of run {first.name} was ALTERED "
                        f"(this run recorded sha256 {recorded[:16]}…, found {sha(first / 'manifest.json')[:16]}…)")


def test_deleted_earlier_run_breaks_the_chain(archive):
    first, second = audit.run_dirs(archive)
    shutil.rmtree(first)
    result = cli_audit(archive)
    assert result.exit_code == 1
    assert f"run {second.name}: chain BROKEN: the manifest of run {first.name} is MISSING" in result.stdout


def test_a_deleted_manifest_fails_and_other_folders_are_ignored(archive):
    first, _ = audit.run_dirs(archive)
    (first / "manifest.json").unlink()
    (archive / "demo").mkdir()  # `make demo` keeps its reports here: not a run
    result = audit.audit(archive)
    assert [r.run for r in result.runs] == [d.name for d in audit.run_dirs(archive)]
    assert len(result.runs) == 2
    assert audit.describe(result.runs[0]) == [
        f"run {first.name}: its manifest.json was DELETED (a later run's manifest refers to it), so its files "
        "cannot be verified"]
    assert result.runs[1].chain == "missing" and not result.ok


def test_run_ids_sort_in_the_order_runs_started_even_within_a_second():
    """The chain links each run to the one before it by id order; a small run takes under a second."""
    start = dt.datetime(2026, 11, 25, 5, 41, 31, 904000, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    ids = [run_archive.new_run_id(start + dt.timedelta(milliseconds=n)) for n in range(60)]
    assert sorted(ids) == ids and ids[0].startswith("20261125T044131.904Z-")
    assert all(audit.RUN_ID.match(run_id) for run_id in ids) and audit.RUN_ID.match("20261124T233823Z-cb6b")


def test_new_manifest_chains_past_an_unsealed_run(tmp_path):
    archive = tmp_path / "archive"
    for name in ("20260101T000000Z-aaaa", "20260102T000000Z-bbbb", "20260103T000000Z-cccc"):
        (archive / name).mkdir(parents=True)
        (archive / name / "report.json").write_text(name)
    audit.write_manifest(archive / "20260101T000000Z-aaaa")
    manifest = audit.write_manifest(archive / "20260103T000000Z-cccc")
    assert manifest["previous"]["run"] == "20260101T000000Z-aaaa"
    assert manifest["files"] == {"report.json": hashlib.sha256(b"20260103T000000Z-cccc").hexdigest()}


def test_unknown_run_is_bad_input(archive):
    result = cli_audit(archive, "20990101T000000Z-0000")
    assert result.exit_code == 2
    assert "no run 20990101T000000Z-0000" in result.stderr


# -- the database inside the seal ------------------------------------------------


def _edit_db(archive: Path, sql: str, args=()) -> None:
    with sqlite3.connect(archive / "citecheck.db") as db:
        assert db.execute(sql, args).rowcount > 0
    db.close()


def test_manifest_seals_the_runs_rows_and_the_database_file(archive):
    first, second = audit.run_dirs(archive)
    sealed = json.loads((second / "manifest.json").read_text())["database"]
    db = Database(archive / "citecheck.db")
    assert set(sealed["rows"]["snapshots"]) == {str(r["id"]) for r in db.query(
        "select id from snapshots where run = ?", [second.name])}
    assert len(sealed["rows"]["checks"]) == db["checks"].count_where("run = ?", [second.name]) > 0
    assert sealed["rows"]["runs"].keys() == {second.name}
    assert sealed["sha256"] == sha(archive / "citecheck.db")  # the run left the file as it sealed it


@pytest.mark.parametrize("where", [0.5, 0.9, 0.1])
def test_a_flipped_byte_in_the_database_fails_the_audit(archive, where):
    path = archive / "citecheck.db"
    data = bytearray(path.read_bytes())
    data[int(len(data) * where)] ^= 0x01
    path.write_bytes(bytes(data))
    result = cli_audit(archive)
    assert result.exit_code == 1, result.stdout
    assert "citecheck.db" in result.stdout and "2 runs audited: " in result.stdout
    assert "all intact" not in result.stdout


def test_a_verdict_rewritten_from_fail_to_pass_is_named(archive):
    first, _ = audit.run_dirs(archive)
    db = Database(archive / "citecheck.db")
    check = next(db.query("select id, footnote, source from checks where run = ? and overall = 'fail'", [first.name]))
    db.close()
    _edit_db(archive, "update checks set overall = 'pass', link = 'ok' where id = ?", [check["id"]])
    result = cli_audit(archive)
    assert result.exit_code == 1
    assert (f"run {first.name}: ALTERED in citecheck.db: check {check['id']} "
            f"(footnote {check['footnote']}, source {check['source']})") in result.stdout.splitlines()


def test_a_snapshot_text_rewritten_and_deleted_rows_are_named(archive):
    first, second = audit.run_dirs(archive)
    db = Database(archive / "citecheck.db")
    snapshot = next(db.query("select id, url from snapshots where run = ? and title is not null", [second.name]))
    deleted = [r["id"] for r in db.query("select id from checks where run = ? limit 2", [first.name])]
    db.close()
    _edit_db(archive, "update snapshots set text = 'what the source never said' where id = ?", [snapshot["id"]])
    _edit_db(archive, "delete from checks where id in (?, ?)", deleted)
    lines = cli_audit(archive).stdout.splitlines()
    assert f"run {second.name}: ALTERED in citecheck.db: snapshot {snapshot['id']} ({snapshot['url']})" in lines
    assert [line for line in lines if "DELETED" in line] == [
        f"run {first.name}: DELETED from citecheck.db: checks row {row}" for row in deleted]


@pytest.mark.parametrize("how, said", [
    ("deleted", "citecheck.db is missing: the rows 2 sealed runs wrote to it cannot be checked"),
    ("emptied", "citecheck.db is empty (0 bytes): the rows 2 sealed runs wrote to it cannot be checked"),
    ("replaced", "citecheck.db is unreadable: file is not a database"),
])
def test_a_deleted_emptied_or_replaced_database_fails_the_audit(archive, how, said):
    path = archive / "citecheck.db"
    if how == "deleted":
        path.unlink()
    else:
        path.write_bytes(b"" if how == "emptied" else b"not a database at all\n" * 200)
    result = cli_audit(archive)
    assert result.exit_code == 1
    assert said in result.stdout
    assert "2 runs audited: the database has problems" in result.stdout


def test_rows_added_for_a_run_that_never_was_fail_the_audit(archive):
    _edit_db(archive, "insert into runs (id, started_at) values ('20260101T000000.000Z-fake', '2026-01-01')")
    result = cli_audit(archive)
    assert result.exit_code == 1
    assert ("citecheck.db holds 1 rows of run 20260101T000000.000Z-fake, which has no folder in the archive: "
            "added to the database") in result.stdout


def test_reading_the_archive_leaves_the_database_as_sealed(archive):
    """history, diff and audit only read: the newest seal still matches the file afterwards."""
    cli_audit(archive)
    db = Database(archive / "citecheck.db")
    source = next(db.query("select id from sources"))["id"]
    db.close()
    assert CliRunner().invoke(history_command, [source, "--archive", str(archive)]).exit_code == 0
    assert cli_audit(archive).exit_code == 0


def test_the_newest_manifest_deleted_reads_as_interrupted_and_repair_says_so_for_good(archive):
    """What no later seal covers can be removed with its manifest: audit cannot tell that from a run
    killed before its end (README: keep the newest manifest's hash elsewhere). --repair seals it
    marked interrupted, for every later audit to show."""
    _, second = audit.run_dirs(archive)
    (second / "manifest.json").unlink()
    result = cli_audit(archive)
    assert result.exit_code == 1
    assert f"run {second.name}: interrupted, not tampered" in result.stdout
    assert "2 runs audited: 1 interrupted (`citecheck audit --repair`)" in result.stdout
    repaired = cli_audit(archive, "--repair")
    assert repaired.exit_code == 0, repaired.stdout
    assert f"run {second.name}: sealed as interrupted (its files as they are now)" in repaired.stdout
    again = cli_audit(archive)
    assert "intact (interrupted; sealed afterwards by audit --repair)" in again.stdout and again.exit_code == 0
    assert cli_audit(archive, "--repair").stdout.count("sealed as interrupted") == 0  # nothing sealed is touched


def test_audit_without_an_archive_is_bad_input(tmp_path):
    result = cli_audit(tmp_path / "nothing-here")
    assert result.exit_code == 2 and "is no archive: run `citecheck verify --archive" in result.stderr
