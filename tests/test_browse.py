"""`citecheck serve`: Datasette over a real archive, queried over HTTP as JSON.

The server runs as users start it (a subprocess on a free loopback port) over
the database of a real verify run against the demo replica; the canned queries
and full-text search must return the rows the database holds.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.record import browse
from tests.conftest import ROOT, run_cli

pytest.importorskip("datasette", reason="Datasette (the browse extra) is not installed")

SERVE = "from crawler.cli_audit import serve; serve(prog_name='citecheck serve')"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(base: str, path: str):
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(base URL, database) of `citecheck serve` over a fresh demo archive; always stopped."""
    workdir = tmp_path_factory.mktemp("browse")
    result = run_cli("verify", str(ROOT / "citations.yaml"), "--replay", str(ROOT / "demo" / "replica.warc.gz"),
                     "--archive", "archive", cwd=workdir, json_name=None)
    assert result.code == 1, result.stderr
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, "--archive", str(workdir / "archive"), "--host", "127.0.0.1",
         "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get_json(base, "/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"citecheck serve did not start:\n{proc.stdout.read()}") from None
                time.sleep(0.2)
        yield base, Database(workdir / "archive" / "citecheck.db")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_failing_references_of_the_latest_run(server):
    base, db = server
    rows = get_json(base, "/citecheck/failing_references.json?_shape=array")
    latest = max(r["id"] for r in db["runs"].rows)
    expected = {(r["footnote"], r["source"]) for r in db["checks"].rows_where("run = ? and overall = 'fail'", [latest])}
    assert len(rows) == 4 and {(r["footnote"], r["source"]) for r in rows} == expected
    assert {r["link"] for r in rows} == {"no_url"} and {r["run"] for r in rows} == {latest}
    assert [r["footnote"] for r in rows] == ["5", "8", "9", "12"]  # ordered as numbers, not as text


def test_sources_modified_after_the_claimed_date(server):
    base, _ = server
    rows = get_json(base, "/citecheck/sources_changed_since_cited.json?_shape=array")
    assert [(r["source"], r["claimed_updated"], r["page_modified"], r["why"]) for r in rows] == [
        ("eir-2024-last-stronghold", "2024-08-19", "2024-08-22", "modified after the claimed date")]


def test_references_with_unknown_claimed_dates(server):
    base, db = server
    rows = get_json(base, "/citecheck/unknown_claimed_dates.json?_shape=array")
    unknown = {r["id"] for r in db["sources"].rows_where("claimed_updated = 'unknown'")}
    assert unknown == {"fh-nit-2024-kyrgyzstan", "fh-nit-2024-georgia", "fh-nit-2024-ukraine"}
    expected = {(r["footnote"], r["source"]) for r in db["citations"].rows if r["source"] in unknown}
    assert {(r["footnote"], r["source"]) for r in rows} == expected
    published = {r["url"]: r["published"] for r in db["snapshots"].rows}  # one run: one snapshot per URL
    assert [r["page_published"] for r in rows] == [published[r["url"]] for r in rows]


def test_full_text_search_over_snapshot_text(server):
    base, _ = server
    rows = get_json(base, "/citecheck/snapshots.json?_search=Wasserpfeife&_shape=array&_col=url")
    assert [r["url"] for r in rows] == ["https://taz.de/Russische-Deserteure-in-Kasachstan/!6155637/"]
    assert get_json(base, "/citecheck/snapshots.json?_search=Wasserpfeifenzubehoer&_shape=array") == []


def test_metadata_titles_are_served(server):
    base, _ = server
    queries = get_json(base, "/citecheck.json")["queries"]
    titles = {q["name"]: q["title"] for q in queries}
    assert titles == {"failing_references": "Failing references (latest run)",
                      "sources_changed_since_cited": "Sources changed since they were cited",
                      "unknown_claimed_dates": "References with unknown claimed dates"}


def test_serve_command_line_and_missing_database(tmp_path):
    assert browse.datasette_args(Path("a/citecheck.db"), "127.0.0.1", 9) == [
        "serve", "a/citecheck.db", "--metadata", str(browse.METADATA), "--host", "127.0.0.1", "--port", "9"]
    proc = subprocess.run([sys.executable, "-c", SERVE, "--archive", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "citecheck.db does not exist" in proc.stderr
