"""The archive database: what a run reads of the history before it crawls, and how it finds it.

A nightly job adds a run every night; what each run looks up before it
crawls (the previous snapshots, the failure streaks) must not grow with them.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from crawler.crawl import incremental
from crawler.record import archive, audit, dbseal, store

URL, OTHER = "https://news.example/story", "https://news.example/other"
CITATION = "fn1:story:"


def _night(db, night: int, url: str = URL, status: int = 200, overall: str = "pass", link: str = "ok",
           replay: str | None = None) -> None:
    run = f"202603{night:02d}T020000.000Z-0000"
    db["runs"].insert({"id": run, "started_at": f"2026-03-{night:02d}T02:00:00+00:00", "replay": replay})
    snapshot = db["snapshots"].insert({
        "run": run, "url": url, "status": status, "etag": f'"v{night}"', "warc": f"{run}/run.warc.gz",
        "text": "text" if status == 200 else None, "extracted": "{}" if status == 200 else None,
        "reused_snapshot": None if status == 200 else 1}).last_pk
    db["checks"].insert({"run": run, "citation": CITATION, "url": url, "snapshot": snapshot, "link": link,
                         "overall": overall, "result": json.dumps({"url": url})})
    archive = Path(db.execute("pragma database_list").fetchone()[2]).parent
    (archive / run).mkdir(exist_ok=True)
    audit.write_manifest(archive / run)  # its rows sealed, as a run seals them


def test_history_goes_back_to_the_links_last_pass_and_no_further(tmp_path):
    db = store.open_db(tmp_path / "citecheck.db")
    _night(db, 1, overall="warn", link="timeout")
    _night(db, 2)
    _night(db, 3, overall="warn", link="timeout")
    _night(db, 4, url=OTHER, overall="warn", link="timeout")  # another document's footnote 1
    _night(db, 5, overall="warn", link="timeout", replay="old/run.warc.gz")  # a replay is no night
    _night(db, 6, overall="warn", link="timeout")
    history = store.check_history(db, [(CITATION, URL), (CITATION, OTHER), ("fn2:gone:", None)])
    assert [row["run"][:8] for row in history[CITATION, URL]] == ["20260306", "20260303", "20260302"]
    assert [row["run"][:8] for row in history[CITATION, OTHER]] == ["20260304"]
    assert history["fn2:gone:", None] == []


def test_a_run_counts_once_in_a_streak_however_often_it_checked_the_link(tmp_path):
    """A footnote that cites one source twice (two passages, no pages) is one citation checked twice a run."""
    db = store.open_db(tmp_path / "citecheck.db")
    for night in (1, 2):
        _night(db, night, overall="warn", link="timeout")
        db["checks"].insert({"run": f"202603{night:02d}T020000.000Z-0000", "citation": CITATION, "url": URL,
                             "link": "timeout", "overall": "warn"})
    history = store.check_history(db, [(CITATION, URL), (CITATION, URL)])
    assert [row["run"][:8] for row in history[CITATION, URL]] == ["20260302", "20260301"]


def test_the_lookups_before_a_crawl_walk_indexes_not_the_history(tmp_path):
    """Every table is reached through an index (SEARCH), never read whole (SCAN); runs is small."""
    db = store.open_db(tmp_path / "citecheck.db")
    for night in range(1, 8):
        _night(db, night, status=200 if night in (1, 5) else 304)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    previous, distrusted = store.previous_snapshots(db, tmp_path, [URL, OTHER])
    store.check_history(db, [(CITATION, URL)])
    db.conn.set_trace_callback(None)
    assert (previous[URL]["id"], previous[URL]["run"][:8]) == (5, "20260307")  # night 5's 200, seen on night 7
    assert distrusted == []
    lookups = [sql for sql in statements  # the run's own temporary table aside, which it reads whole
               if re.match(r"\s*(select|with|insert)", sql, re.I) and re.search(r"\b(snapshots|checks)\b", sql)]
    assert len(lookups) == 3  # the rows built on, their seals, the checks' history
    for sql in lookups:
        plan = [row[-1] for row in db.execute("explain query plan " + sql).fetchall()]
        assert not [step for step in plan if re.match(r"SCAN (snapshots|checks|s|c|p)\b", step)], (sql, plan)
    used = " ".join(row[-1] for sql in lookups for row in db.execute("explain query plan " + sql).fetchall())
    assert "idx_snapshots_url_extraction" in used and "idx_snapshots_url_seen" in used


def test_the_previous_snapshots_wait_in_the_database_and_are_read_as_asked_for(tmp_path):
    """A nightly run holds no row in memory: each, with its stored extraction, is read when its URL is crawled."""
    db = store.open_db(tmp_path / "citecheck.db")
    for night in range(1, 5):
        _night(db, night, status=200 if night in (1, 3) else 304)
    _night(db, 5, url=OTHER)
    previous, distrusted = store.previous_snapshots(db, tmp_path, [URL, OTHER, "https://news.example/new"])
    assert distrusted == [] and sorted(previous) == [OTHER, URL] and len(previous) == 2
    assert db.execute(f"select count(*) from {previous.table}").fetchone()[0] == 2
    row = previous[URL]  # night 3's 200 and its extraction, seen last on night 4
    assert (row["id"], row["run"][:8], row["extracted_id"], row["extracted"]) == (3, "20260304", 3, "{}")
    assert row["etag"] is None  # an extraction of older code and no WARC to read the body from: no 304 wanted
    assert row["warc_path"] == str(tmp_path / "20260303T020000.000Z-0000" / "run.warc.gz")
    assert row["text"] == "text" and row["text_file"] is None  # an old row's text, with no file to read it from
    assert previous.get("https://news.example/new") is None and "https://news.example/new" not in previous
    again, _ = store.previous_snapshots(db, tmp_path, [URL])
    previous.clear()
    assert URL not in previous and len(previous) == 0
    assert list(again) == [URL] and again[URL]["id"] == 3  # each call its own table


def test_a_304_finds_the_body_it_confirms_at_its_offset_and_a_file_that_is_no_warc_places_none(tmp_path):
    """Each WARC a 304 may need is read once before the crawl, for the offsets of its 200s; each record is
    then read where it lies, and only as the URL it was asked for."""
    db = store.open_db(tmp_path / "citecheck.db")
    first, second = (tmp_path / f"202603{night:02d}T020000.000Z-0000" for night in (1, 2))
    first.mkdir()
    warc = archive.WarcArchive(first / "run.warc.gz", {})
    for page in (OTHER, URL):  # the URL's body is the second record of its night
        warc.write_exchange(url=page, method="GET", request_headers=[], status=200, reason="OK",
                            response_headers=[("Content-Type", "text/html")], body=f"<p>{page}</p>".encode())
    warc.close()
    second.mkdir()
    (second / "run.warc.gz").write_bytes(b"not a WARC at all\n")
    _night(db, 1)
    _night(db, 2, url=OTHER)
    previous, distrusted = store.previous_snapshots(db, tmp_path, [URL, OTHER])
    row = previous[URL]
    assert distrusted == [] and row["etag"] == '"v1"' and row["warc_offset"] > 0
    assert incremental.archived_origin(row, URL).target == URL
    assert incremental.archived_response(row, URL)[1] == f"<p>{URL}</p>".encode()
    assert incremental.archived_response(row, OTHER) is None  # the record there is another URL's
    assert previous[OTHER]["etag"] == '"v2"' and previous[OTHER]["warc_offset"] is None
    assert incremental.archived_origin(previous[OTHER], OTHER) is None


def test_a_stored_snapshot_edited_after_its_run_sealed_it_is_not_built_on(tmp_path):
    """A 304 would reuse the stored extraction: edited in the database, it must be fetched afresh instead."""
    db = store.open_db(tmp_path / "citecheck.db")
    _night(db, 1)
    _night(db, 2, url=OTHER)
    previous, distrusted = store.previous_snapshots(db, tmp_path, [URL, OTHER])
    assert set(previous) == {URL, OTHER} and distrusted == []
    db.execute("update snapshots set extracted = '{\"dates\": []}' where url = ?", [URL])
    db.conn.commit()
    previous, distrusted = store.previous_snapshots(db, tmp_path, [URL, OTHER])
    assert set(previous) == {OTHER} and distrusted == [URL]
    (tmp_path / "20260302T020000.000Z-0000" / audit.MANIFEST).unlink()  # a run with no seal is not built on
    previous, distrusted = store.previous_snapshots(db, tmp_path, [URL, OTHER])
    assert previous == {} and distrusted == [OTHER, URL]


def test_an_older_archive_gets_the_url_of_each_check_once(tmp_path, monkeypatch):
    """Checks recorded before they named their URL take it from their snapshot, or a refused one's result."""
    path = tmp_path / "citecheck.db"
    db = store.open_db(path)
    _night(db, 1, overall="warn", link="timeout")
    db.execute("insert into checks (run, citation, overall, link, result) values (?, ?, 'fail', 'unsafe_url', ?)",
               ["20260301T020000.000Z-0000", "fn2:local:", json.dumps({"url": "http://10.0.0.1/"})])
    db.conn.commit()
    db.close()
    old = sqlite3.connect(path)
    old.execute("drop index idx_checks_citation_url")
    old.execute("alter table checks drop column url")
    old.execute("create index idx_checks_citation on checks (citation)")
    old.commit()
    old.close()

    with monkeypatch.context() as broken:  # stopped halfway, the upgrade leaves the archive as it was
        broken.setitem(store.BACKFILL, ("checks", "url"), "update checks set url = no_such_function()")
        with pytest.raises(sqlite3.OperationalError):
            store.open_db(path)
    assert "url" not in {row[1] for row in sqlite3.connect(path).execute("pragma table_info(checks)")}
    db = store.open_db(path)
    assert dict(db.execute("select citation, url from checks").fetchall()) == {
        CITATION: URL, "fn2:local:": "http://10.0.0.1/"}
    assert [row["link"] for row in store.check_history(db, [(CITATION, URL)])[CITATION, URL]] == ["timeout"]
    assert "idx_checks_citation" not in {index.name for index in db["checks"].indexes}  # (citation, url) serves


def test_a_check_edited_after_its_run_sealed_it_is_no_part_of_a_streak(tmp_path):
    """Deleting or rewriting failures must not stop a dead link from escalating, nor start it."""
    db = store.open_db(tmp_path / "citecheck.db")
    for night in (1, 2, 3):
        _night(db, night, overall="warn", link="timeout")
    sealed = lambda: store.check_history(db, [(CITATION, URL)], dbseal.SealedRows(tmp_path))[CITATION, URL]  # noqa: E731
    assert [row["run"][:8] for row in sealed()] == ["20260303", "20260302", "20260301"]
    db.execute("update checks set link = 'ok', overall = 'pass' where run like '20260302%'")
    db.execute("update runs set started_at = '2025-01-01T02:00:00+00:00' where id like '20260301%'")
    db.conn.commit()
    assert [row["run"][:8] for row in sealed()] == ["20260303"]
    assert len(store.check_history(db, [(CITATION, URL)])[CITATION, URL]) == 2  # unsealed reading: the edit wins


def test_an_older_archives_full_text_index_becomes_contentless_and_keeps_finding_its_rows(tmp_path):
    """Older versions indexed the snapshots' text column (external content, kept in step by triggers);
    opened now, the index holds no copy of any text and still finds those rows, and new rows are added."""
    from sqlite_utils import Database

    path = tmp_path / "citecheck.db"
    old = Database(path)
    old["snapshots"].insert({"id": 1, "run": "R1", "url": URL, "title": "Harbour news", "text": "ferries return"},
                            pk="id")
    old["snapshots"].enable_fts(["title", "text"], create_triggers=True)
    old.close()
    db = store.open_db(path)
    (sql,) = db.execute("select sql from sqlite_master where name = 'snapshots_fts'").fetchone()
    assert "content=''" in sql
    assert not db.execute("select name from sqlite_master where type = 'trigger'").fetchall()
    store.index_texts(db, [(2, "Other news", "the pontoon is finished")])
    found = lambda word: [row[0] for row in db.execute(  # noqa: E731
        "select rowid from snapshots_fts where snapshots_fts match ?", [word])]
    assert (found("ferries"), found("harbour"), found("pontoon")) == ([1], [1], [2])
    store.ensure_schema(db)  # idempotent: built once
    assert found("ferries") == [1]


def test_a_new_database_packs_its_rows_in_larger_pages_and_an_older_one_keeps_its_own(tmp_path):
    """A checks row (~2.5 KB) fills a 4 KB page to 60 %; a new archive's database uses 8 KB pages.
    An older archive's database keeps its pages (a new size would mean rewriting the whole file)."""
    new = store.open_db(tmp_path / "new" / "citecheck.db")
    assert new.execute("pragma page_size").fetchone()[0] == store.PAGE_SIZE == 8192
    old_path = tmp_path / "old" / "citecheck.db"
    old_path.parent.mkdir()
    with sqlite3.connect(old_path) as old:
        old.execute("pragma page_size = 4096")
        old.execute("create table runs (id text primary key)")
        old.execute("insert into runs values ('R1')")
    old.close()
    db = store.open_db(old_path)
    assert db.execute("pragma page_size").fetchone()[0] == 4096
    assert [row[0] for row in db.execute("select id from runs")] == ["R1"]
    assert "checks" in db.table_names()  # and it is upgraded as before


def test_the_full_text_index_finds_words_and_refuses_phrases_it_keeps_no_positions_for(tmp_path):
    """A new archive's index stores which words a row holds, not where (a third of the size): words,
    prefixes, boolean queries and column filters are found; a quoted phrase is refused, never answered wrong."""
    db = store.open_db(tmp_path / "citecheck.db")
    store.index_texts(db, [(1, "Harbour news", "the ferry strike ended"), (2, "Other news", "strike the ferry")])
    found = lambda query: sorted(row[0] for row in db.execute(  # noqa: E731
        "select rowid from snapshots_fts where snapshots_fts match ?", [query]))
    assert (found("ferry"), found('"ferry" "strike"'), found("harb*"), found("title: harbour"),
            found("ferry NOT ended")) == ([1, 2], [1, 2], [1], [1], [2])
    with pytest.raises(sqlite3.OperationalError, match="phrase queries are not supported"):
        found('"ferry strike"')


def test_an_older_contentless_index_keeps_its_positions_and_phrases(tmp_path):
    path = tmp_path / "citecheck.db"
    with sqlite3.connect(path) as old:
        old.execute("create virtual table snapshots_fts using fts5 (title, text, content='')")
        old.execute("insert into snapshots_fts (rowid, title, text) values (1, 'Harbour news', 'the ferry strike ended')")
    old.close()
    db = store.open_db(path)
    assert db.execute("select rowid from snapshots_fts where snapshots_fts match '\"ferry strike\"'").fetchall() == [(1,)]
