"""`citecheck history` and `citecheck diff` over real runs.

A loopback newspaper page is crawled, then edited (a sentence reworded, a
paragraph added, a new modified date) and crawled again: the history must list
both snapshots newest first and the diff must show exactly that edit.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from crawler.cli_audit import diff
from crawler.cli_audit import history as history_command
from crawler.record import archive as run_archive
from crawler.record import browse, history
from tests.conftest import FAST, ROOT, run_cli, write_citations
from tests.support.server import serve

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour ferry timetable extended into winter | Tidewater Courier</title>
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Harbour ferry timetable extended into winter",
 "datePublished": "2026-01-12T08:00:00+01:00", "dateModified": "{modified}"}}
</script></head>
<body><header><a href="/">Tidewater Courier</a></header>
<main><article>
<h1>Harbour ferry timetable extended into winter</h1>
<p>The two refitted ferries will keep crossing to the island quay until the end of February, the operator
announced on Monday after a season with more passengers than the council had expected.</p>
<p>{middle}</p>
<p>Tickets bought for the summer season remain valid on every winter crossing, and children under twelve
travel free when they are accompanied by an adult.</p>
{extra}
</article></main></body></html>"""
V1 = dict(modified="2026-01-12T08:00:00+01:00", extra="",
          middle="Crossings leave the old harbour every ninety minutes between seven in the morning and six in "
                 "the evening.")
V2 = dict(modified="2026-02-03T10:15:00+01:00",
          middle="Crossings leave the old harbour every two hours between eight in the morning and five in the "
                 "afternoon.",
          extra="<p>A third vessel, on loan from the northern cooperative, will cover the weeks when one of the "
                "ferries is in dry dock for its annual inspection.</p>")


def verify(workdir: Path) -> None:
    result = run_cli("verify", "citations.yaml", "--allow-private", *FAST, cwd=workdir, json_name=None)
    assert result.code in (0, 1), result.stderr


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """An archive with two runs over the same page, edited in between."""
    workdir = tmp_path_factory.mktemp("history")
    with serve() as server:
        write_citations(workdir / "citations.yaml", {"courier-ferry": {
            "url": server.url("/ferry"), "title": "Harbour ferry timetable extended into winter",
            "claimed_updated": "2026-01-12"}})
        server.route("/ferry", body=PAGE.format(**V1), headers={"Content-Type": "text/html; charset=utf-8"})
        verify(workdir)
        server.route("/ferry", body=PAGE.format(**V2), headers={"Content-Type": "text/html; charset=utf-8"})
        verify(workdir)
    archive = workdir / "archive"
    rows = list(Database(archive / "citecheck.db").query(
        "select * from snapshots where url not like '%/citecheck-probe-%' order by run"))  # not the host probes
    return archive, rows


def invoke(command, *args: str):
    return CliRunner().invoke(command, list(args))


def test_history_lists_snapshots_newest_first(edited):
    archive, (old, new) = edited
    result = invoke(history_command, "courier-ferry", "--archive", str(archive))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"courier-ferry: {new['url']}"
    assert lines[1] == "2 snapshots, newest first"
    assert lines[2].split() == ["run", "fetched_at", "status/link", "published", "modified", "text", "sha256"]
    assert lines[3].split() == [new["run"], new["fetched_at"], "200/ok", "2026-01-12", "2026-02-03", new["sha256"][:16]]
    assert lines[4].split() == [old["run"], old["fetched_at"], "200/ok", "2026-01-12", "2026-01-12", old["sha256"][:16]]
    assert old["sha256"] != new["sha256"]


def test_diff_shows_the_edit_between_the_last_two_runs(edited):
    archive, (old, new) = edited
    result = invoke(diff, "courier-ferry", "--archive", str(archive))
    assert result.exit_code == 1  # like diff(1): the texts differ
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"courier-ferry: 3 lines changed (1 removed, 2 added) from run {old['run']} "
                               f"to run {new['run']}; line similarity 0.")
    assert lines[1:3] == [f"--- run {old['run']}", f"+++ run {new['run']}"]
    removed = [line for line in lines[3:] if line.startswith("-")]
    added = [line for line in lines[3:] if line.startswith("+")]
    assert removed == ["-" + V1["middle"]]
    assert added[0] == "+" + V2["middle"] and added[1].startswith("+A third vessel, on loan")


def test_diff_takes_runs_in_the_order_given(edited):
    archive, (old, new) = edited
    result = invoke(diff, "courier-ferry", new["run"], old["run"], "--archive", str(archive))
    assert result.exit_code == 1
    assert f"(2 removed, 1 added) from run {new['run']} to run {old['run']}" in result.stdout.splitlines()[0]


def test_diff_of_identical_replays_says_so(tmp_path):
    for _ in range(2):
        run_cli("verify", str(ROOT / "citations.yaml"), "--replay", str(ROOT / "demo" / "replica.warc.gz"),
                "--archive", "archive", cwd=tmp_path, json_name=None)
    runs = sorted(p.name for p in (tmp_path / "archive").iterdir() if p.is_dir())
    result = invoke(diff, "eir-2024-last-stronghold", "--archive", str(tmp_path / "archive"))
    assert result.exit_code == 0
    assert result.stdout == f"eir-2024-last-stronghold: text identical in runs {runs[0]} and {runs[1]}\n"


def test_diff_and_history_refuse_what_is_not_there(edited):
    archive, (old, _) = edited
    unknown = invoke(history_command, "no-such-source", "--archive", str(archive))
    assert unknown.exit_code == 2 and "no source 'no-such-source'" in unknown.stderr
    one_run = invoke(diff, "courier-ferry", old["run"], "--archive", str(archive))
    assert one_run.exit_code == 2 and "exactly two" in one_run.stderr
    missing_run = invoke(diff, "courier-ferry", old["run"], "20990101T000000Z-0000", "--archive", str(archive))
    assert missing_run.exit_code == 2 and "not found among 2 snapshot(s)" in missing_run.stderr
    no_db = invoke(history_command, "courier-ferry", "--archive", str(archive / "nowhere"))
    assert no_db.exit_code == 2 and "citecheck.db does not exist" in no_db.stderr


def test_canned_query_flags_the_edited_page(edited):
    import yaml

    archive, (old, new) = edited
    metadata = yaml.safe_load(browse.METADATA.read_text(encoding="utf-8"))
    sql = metadata["databases"]["citecheck"]["queries"]["sources_changed_since_cited"]["sql"]
    rows = list(Database(archive / "citecheck.db").query(sql))
    assert [(r["source"], r["page_modified"], r["text_versions"], r["first_run"], r["latest_run"], r["why"])
            for r in rows] == [("courier-ferry", "2026-02-03", 2, old["run"], new["run"],
                                "modified after the claimed date; text changed between runs")]


def test_diff_counts_and_similarity():
    result = history.diff_texts("one\ntwo\nthree\nfour", "one\n2\nthree\nfour", "A", "B")
    assert (result.removed, result.added, result.changed) == (1, 1, 2)
    assert result.similarity == pytest.approx(0.75)
    assert result.lines[3:] == [" one", "-two", "+2", " three", " four"]


def test_text_falls_back_to_the_run_text_file(tmp_path):
    (tmp_path / "R1" / "text").mkdir(parents=True)
    (tmp_path / "R1" / "text" / "abc.txt").write_text("from the file", encoding="utf-8")
    assert history.snapshot_text({"run": "R1", "sha256": "abc", "text": None}, tmp_path) == "from the file"
    assert history.snapshot_text({"run": "R1", "sha256": "def", "text": None}, tmp_path) is None
    # a 304's snapshot names the file of the run that extracted the text
    assert history.snapshot_text({"run": "R2", "sha256": "abc", "text": None, "text_path": "R1/text/abc.txt"},
                                 tmp_path) == "from the file"


def test_archived_text_is_compressed_and_named_by_the_text_hash(tmp_path):
    digest, path = run_archive.write_text(tmp_path / "R1", "Ferries return to the harbour.\n")
    assert path == tmp_path / "R1" / "text" / f"{digest}.txt.gz"
    assert digest == hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest()
    first = path.read_bytes()
    path.unlink()
    assert run_archive.write_text(tmp_path / "R1", "Ferries return to the harbour.\n")[1].read_bytes() == first
    assert history.snapshot_text({"run": "R1", "sha256": digest, "text": None}, tmp_path) == (
        "Ferries return to the harbour.\n")
    assert history.snapshot_text({"run": "R2", "sha256": digest, "text": None,
                                  "text_path": f"R1/text/{digest}.txt.gz"}, tmp_path) == "Ferries return to the harbour.\n"
    path.write_bytes(first[:-8])  # cut short: no longer a whole gzip file
    with pytest.raises(OSError, match="not a readable gzip file"):
        history.snapshot_text({"run": "R1", "sha256": digest, "text": None}, tmp_path)
