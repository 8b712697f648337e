"""A 304 reuses the stored extraction, and its verdicts equal a full fetch's.

The unit tests round-trip every date fixture page through ``crawler.extract.serialize``;
the CLI tests run the real crawl: first fetch, a 304 run (with the previous
WARC moved away, so nothing can be re-extracted from it) and a ``--full`` run,
and compare the result dicts. The extraction pool is checked the same way.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from crawler.extract import serialize
from crawler.extract.dates.verdict import date_verdict
from crawler.extract.extraction import extract
from crawler.extract.pdf import extract_pdf
from crawler.record import audit
from crawler.models import ClaimedDate, DateCandidate, Extracted, PageDates
from tests.conftest import FAST, run_cli, write_citations
from tests.support.pdfgen import make_pdf
from tests.support.server import ARTICLE_HTML, ETAG, LAST_MODIFIED, SOFT_404_HTML, Response, minimal_pdf, not_modified

DATE_PAGES = Path(__file__).parent / "fixtures" / "dates"
CASES = sorted(p.name for p in DATE_PAGES.iterdir() if (p / "page.html").is_file())
# what a 304 changes by design: the status, its hop, the change note and where this run archived the text;
# and how many runs in a row a reference has failed, which the history decides, not the fetch
BY_DESIGN = ("http_status", "link_detail", "hops", "change", "snapshot", "failing_since")


def _roundtrip(extracted: Extracted) -> Extracted | None:
    return serialize.extracted_from_json(serialize.extracted_to_json(extracted), extracted.text)


@pytest.mark.parametrize("case", CASES)
def test_every_fixture_page_reads_back_exactly(case):
    meta = json.loads((DATE_PAGES / case / "meta.json").read_text())
    extracted = extract((DATE_PAGES / case / "page.html").read_bytes(), meta["url"], meta.get("headers") or {})
    again = _roundtrip(extracted)
    assert again == extracted
    claim = ClaimedDate(raw="2024-05-01", value=extracted.dates.published.day if extracted.dates.published else None)
    assert date_verdict(claim, again.dates) == date_verdict(claim, extracted.dates)  # evidence order included


def test_chosen_dates_stay_the_candidates_they_were():
    """The evidence list tells chosen dates from the others by identity."""
    extracted = extract(ARTICLE_HTML.encode(), "http://127.0.0.1/article", {"content-type": "text/html"})
    assert extracted.dates.published is not None
    again = _roundtrip(extracted)
    assert any(c is again.dates.published for c in again.dates.candidates)


def test_a_chosen_date_outside_the_candidates_is_kept_whole():
    import datetime as dt

    outside = DateCandidate("modified", "header", "Last-Modified", "Tue, 05 Mar 2024 10:00:00 GMT",
                            dt.datetime(2024, 3, 5, 10, tzinfo=dt.timezone.utc), 0.3)
    inside = DateCandidate("published", "meta", "meta[name=date]", "2024-03-01", dt.date(2024, 3, 1), 0.8)
    extracted = Extracted("html", "T", "text", PageDates(inside, outside, (inside,)), None, "de")
    again = _roundtrip(extracted)
    assert again == extracted
    assert again.dates.published is again.dates.candidates[0] and again.dates.modified.utc_offset == "+00:00"


def test_pdf_pages_survive():
    extracted = extract_pdf(minimal_pdf("Harbour minutes"))
    assert _roundtrip(extracted).page_texts == extracted.page_texts == ("Harbour minutes",)
    offprint = extract_pdf(make_pdf(["Title", "Text"], first_page_number=240))
    assert _roundtrip(offprint) == offprint and offprint.page_labels == ("240", "241")


def test_an_extraction_by_other_code_is_not_reused(monkeypatch):
    extracted = extract(ARTICLE_HTML.encode(), "http://127.0.0.1/article", {"content-type": "text/html"})
    stored = serialize.extracted_to_json(extracted)
    monkeypatch.setattr(serialize, "fingerprint", lambda: "another-version")
    assert serialize.extracted_from_json(stored, extracted.text) is None
    assert serialize.extracted_from_json(None, extracted.text) is None
    assert serialize.extracted_from_json("{not json", extracted.text) is None


def _article(request):
    """ARTICLE_HTML (JSON-LD and <time> dates) behind an ETag, as a revalidating site serves it."""
    validators = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
    if not_modified(request.headers, ETAG, LAST_MODIFIED):
        return Response(304, validators, b"")
    return Response(200, {"Content-Type": "text/html; charset=utf-8", **validators}, ARTICLE_HTML.encode())


def _comparable(result: dict) -> dict:
    return {k: v for k, v in result.items() if k not in BY_DESIGN}


def test_a_304_run_gives_the_full_fetch_verdicts_without_the_old_warc(http_server, cli_env):
    http_server.route("/story", _article)
    write_citations(cli_env.dir / "citations.yaml", {
        "story": {"url": http_server.url("/story"), "title": "River ferries return to the old harbour",
                  "claimed_updated": "2024-03-14"},
        "stale": {"url": http_server.url("/story"), "title": "Ferries are back", "claimed_updated": "2024-03-10"},
    })
    first = cli_env.verify("--allow-private", *FAST)
    warc = cli_env.dir / first.by_source()["story"]["snapshot"]["warc"]
    shutil.move(warc, warc.with_suffix(".moved"))  # a re-extraction from the old WARC would now find nothing
    reused = cli_env.verify("--allow-private", *FAST)
    shutil.move(warc.with_suffix(".moved"), warc)
    full = cli_env.verify("--allow-private", "--full", *FAST)

    assert [r["http_status"] for r in reused.report["results"]] == [304, 304]
    assert [r["http_status"] for r in full.report["results"]] == [200, 200]
    assert [r["change"]["status"] for r in reused.report["results"]] == ["unchanged", "unchanged"]
    assert [_comparable(r) for r in reused.report["results"]] == [_comparable(r) for r in full.report["results"]]
    assert reused.by_source()["story"]["date"]["verdict"] == "match"
    assert reused.by_source()["stale"]["date"]["verdict"] == "mismatch"
    db = sqlite3.connect(cli_env.dir / "archive" / "citecheck.db")
    (extracted,) = db.execute("select distinct e.extracted from snapshots s join snapshots e on e.id = s.reused_snapshot "
                              "where s.status = 304").fetchone()  # reused, so stored once, with the 200
    assert json.loads(extracted)["fingerprint"] == serialize.fingerprint()


def test_a_304_keeps_one_copy_of_the_text(http_server, cli_env):
    """The text and extraction stay in the run that extracted them; the 304's snapshot points there (its
    dates still listed), and diffs still read it."""
    http_server.route("/story", _article)
    write_citations(cli_env.dir / "citations.yaml", {"story": {"url": http_server.url("/story"), "title": "Ferries"}})
    first, reused = cli_env.verify("--allow-private", *FAST), cli_env.verify("--allow-private", *FAST)
    assert reused.by_source()["story"]["http_status"] == 304
    assert reused.by_source()["story"]["snapshot"] == first.by_source()["story"]["snapshot"] | {
        "warc": reused.by_source()["story"]["snapshot"]["warc"]}
    sha = first.by_source()["story"]["snapshot"]["sha256"]
    assert not (cli_env.dir / reused.report["run"]["archive"] / "text" / f"{sha}.txt.gz").exists()
    db = sqlite3.connect(cli_env.dir / "archive" / "citecheck.db")
    rows = db.execute("select status, text is null, extracted is null, reused_snapshot is not null, published "
                      "from snapshots where url = ? order by id", [http_server.url("/story")]).fetchall()
    assert rows == [(200, 1, 0, 0, "2024-03-14"), (304, 1, 1, 1, "2024-03-14")]  # the extraction, once too
    indexed = db.execute("select rowid from snapshots_fts where snapshots_fts match 'pontoon'").fetchall()
    assert len(indexed) == 1  # the text is in its file, indexed once, with the 200
    runs = [first.report["run"]["id"], reused.report["run"]["id"]]
    diff = run_cli("diff", "story", *runs, "--archive", "archive", cwd=cli_env.dir, json_name=None)
    assert diff.code == 0 and diff.stdout == f"story: text identical in runs {runs[0]} and {runs[1]}\n"


def test_a_stored_extraction_edited_in_the_database_is_not_reused_by_a_304(http_server, cli_env):
    """The attack: the stored dates rewritten to the claimed ones, so the night's 304 would turn a date
    mismatch into a pass. The row no longer matches its seal: fetched afresh, said so, audit names it."""
    http_server.route("/story", _article)
    write_citations(cli_env.dir / "citations.yaml", {
        "story": {"url": http_server.url("/story"), "title": "River ferries return to the old harbour",
                  "claimed_updated": "2025-06-01"}})
    first = cli_env.verify("--allow-private", *FAST)
    assert first.by_source()["story"]["date"]["verdict"] == "mismatch"
    db = sqlite3.connect(cli_env.dir / "archive" / "citecheck.db")
    with db:
        edited, stored = db.execute("select id, extracted from snapshots where url = ?", [http_server.url("/story")]).fetchone()
        db.execute("update snapshots set extracted = ?, modified = '2025-06-01' where id = ?",
                   [stored.replace("2024-03-14", "2025-06-01"), edited])
    db.close()

    night = cli_env.verify("--allow-private", *FAST)
    story = night.by_source()["story"]
    assert (story["http_status"], story["date"]["verdict"]) == (200, "mismatch")  # fetched in full, judged anew
    assert night.report["run"]["distrusted"] == [http_server.url("/story")]
    assert "**1 address was fetched afresh: its stored copy no longer matched (run citecheck audit).**" in night.stdout
    audited = run_cli("audit", "--archive", "archive", cwd=cli_env.dir, json_name=None)
    assert audited.code == 1
    assert f"ALTERED in citecheck.db: snapshot {edited} ({http_server.url('/story')})" in audited.stdout


def test_an_archived_body_edited_after_its_run_is_not_read_back(http_server, cli_env):
    """After an upgrade a 304 re-extracts the body archived in the earlier run's WARC: only from the
    WARC that run sealed. Edited, the page is fetched in full instead."""
    http_server.route("/story", _article)
    write_citations(cli_env.dir / "citations.yaml", {"story": {"url": http_server.url("/story"), "title": "Ferries"}})
    first = cli_env.verify("--allow-private", *FAST)
    db = sqlite3.connect(cli_env.dir / "archive" / "citecheck.db")
    with db:  # as if an older citecheck had extracted it, and sealed it so
        db.execute("update snapshots set extracted = replace(extracted, ?, 'older code')", [serialize.fingerprint()])
    db.close()
    audit.write_manifest(cli_env.dir / first.report["run"]["archive"])
    warc = cli_env.dir / first.by_source()["story"]["snapshot"]["warc"]
    warc.write_bytes(warc.read_bytes() + gzip.compress(b"WARC/1.1\r\n"))  # edited after the run
    night = cli_env.verify("--allow-private", *FAST)
    assert night.by_source()["story"]["http_status"] == 200
    assert night.report["run"]["distrusted"] == [http_server.url("/story")]


def test_after_an_upgrade_a_304_re_extracts_once(http_server, cli_env):
    """New extraction code re-reads the archived body on the first 304; later 304s reuse that."""
    http_server.route("/story", _article)
    write_citations(cli_env.dir / "citations.yaml", {"story": {"url": http_server.url("/story"), "title": "Ferries"}})
    first = cli_env.verify("--allow-private", *FAST)
    db_path = cli_env.dir / "archive" / "citecheck.db"
    with sqlite3.connect(db_path) as db:  # as if an older citecheck had extracted it
        (stored,) = db.execute("select extracted from snapshots where status = 200").fetchone()
        db.execute("update snapshots set extracted = ?", [stored.replace(serialize.fingerprint(), "older-code")])
    db.close()
    audit.write_manifest(cli_env.dir / first.report["run"]["archive"])  # and had sealed it so
    upgraded = cli_env.verify("--allow-private", *FAST)
    warc = cli_env.dir / first.by_source()["story"]["snapshot"]["warc"]
    shutil.move(warc, warc.with_suffix(".moved"))  # from now on the body cannot be read again
    later = cli_env.verify("--allow-private", *FAST)

    changes = [run.by_source()["story"]["change"] for run in (upgraded, later)]
    assert [(c["reused_snapshot"] is not None, c["reused_extraction"]) for c in changes] == [(True, False), (True, True)]
    assert _comparable(later.by_source()["story"]) == _comparable(first.by_source()["story"])
    assert later.by_source()["story"]["snapshot"]["text_path"] == upgraded.by_source()["story"]["snapshot"]["text_path"]
    rows = sqlite3.connect(db_path).execute("select status, extracted is null from snapshots where url = ? order by id",
                                            [http_server.url("/story")]).fetchall()
    assert rows == [(200, 0), (304, 0), (304, 1)]  # the re-extraction stored once; texts are in their files


def test_the_extraction_pool_gives_the_same_results(http_server, cli_env):
    write_citations(cli_env.dir / "citations.yaml", {
        "article": {"url": http_server.url("/article"), "title": "River ferries return", "claimed_updated": "2024-03-14"},
        "pdf": {"url": http_server.url("/doc.pdf"), "title": "Citecheck test PDF"},
        "chain": {"url": http_server.url("/r/301"), "title": "x"},
        "missing": {"url": http_server.url("/missing"), "title": "x"},
    })
    inline = cli_env.verify("--allow-private", *FAST, "-s", "CITECHECK_EXTRACT_WORKERS=0")
    pooled = cli_env.verify("--allow-private", "--full", *FAST, "-s", "CITECHECK_EXTRACT_POOL_MIN_URLS=1")
    assert [_comparable(r) for r in pooled.report["results"]] == [_comparable(r) for r in inline.report["results"]]
    assert pooled.by_source()["article"]["date"]["published"] == "2024-03-14"
    log = sorted((cli_env.dir / "archive").glob("*/crawl.log"))[-1].read_text()
    assert "'citecheck/extract_workers': 2" in log


def _revalidating(html: str, etag: str = '"v1"'):
    """``html`` behind an ETag: the second run gets a 304 for it."""
    def answer(request):
        if not_modified(request.headers, etag, LAST_MODIFIED):
            return Response(304, {"ETag": etag}, b"")
        return Response(200, {"Content-Type": "text/html; charset=utf-8", "ETag": etag}, html.encode())
    return answer


HEADING_ONLY_404 = """<!doctype html><html lang="en"><head><title>Tidewater Courier</title></head>
<body><h1>Page not found</h1><p>Try the search box, or start again from the front page of the site.</p></body></html>
"""


@pytest.mark.parametrize("html", [SOFT_404_HTML, HEADING_ONLY_404], ids=["title", "heading"])
def test_a_soft_404_answered_by_304_stays_a_soft_404(http_server, cli_env, html):
    """A 304 says the page is the same as last night's: still the error page, not a live source."""
    http_server.route("/story", _revalidating(html))
    write_citations(cli_env.dir / "citations.yaml", {"story": {"url": http_server.url("/story"), "title": "Ferries"}})
    first, second = cli_env.verify("--allow-private", *FAST), cli_env.verify("--allow-private", *FAST)
    (first,), (second,) = first.report["results"], second.report["results"]
    assert (first["link"], second["link"], second["http_status"]) == ("soft_404", "soft_404", 304)
    assert second["link_detail"] == first["link_detail"].replace("200, ", "304, ")
    assert _comparable(second) | {"reasons": None} == _comparable(first) | {"reasons": None}



def test_what_the_pool_logs_goes_to_the_crawl_log(http_server, cli_env):
    """A pool worker is a fresh interpreter: without this its warnings went to the terminal, not the archive."""
    broken = re.sub(rb"startxref\s+\d+", b"startxref\n999", minimal_pdf("Citecheck test PDF"))  # pypdf warns, recovers
    http_server.route("/broken.pdf", headers={"Content-Type": "application/pdf"}, body=broken)
    write_citations(cli_env.dir / "citations.yaml", {"pdf": {"url": http_server.url("/broken.pdf"), "title": "x"}})
    pooled = cli_env.verify("--allow-private", *FAST, "-s", "CITECHECK_EXTRACT_POOL_MIN_URLS=1")
    assert pooled.by_source()["pdf"]["pages"]["page_count"] == 1
    log = next((cli_env.dir / "archive").glob("*/crawl.log")).read_text()
    assert "'citecheck/extract_workers': 2" in log
    assert re.search(r"\[pypdf\._reader\] WARNING: incorrect startxref pointer", log)
    assert "startxref" not in pooled.stderr


def _last_modified_only(html: str, last_modified: str = LAST_MODIFIED):
    """A server with no ETag that honours If-Modified-Since (many static hosts)."""
    def answer(request):
        if not_modified(request.headers, "no etag", last_modified) and "if-none-match" not in request.headers:
            return Response(304, {"Last-Modified": last_modified}, b"")
        return Response(200, {"Content-Type": "text/html; charset=utf-8", "Last-Modified": last_modified},
                        html.encode())
    return answer


EDITED_ARTICLE = ARTICLE_HTML.replace("River ferries return", "Ferries are back")  # its headline rewritten


def _story(cli_env, http_server, path="/story", **extra):
    write_citations(cli_env.dir / "citations.yaml", {"story": {
        "url": http_server.url(path), "title": "River ferries return to the old harbour",
        "claimed_updated": "2024-03-14", **extra}})


def test_validators_do_not_follow_a_redirect(http_server, cli_env):
    """The article is removed and redirects to an older static error page, which would answer 304
    to the article's If-Modified-Since: the dead citation passed as the article, every night."""
    http_server.route("/story", _last_modified_only(ARTICLE_HTML))
    _story(cli_env, http_server)
    assert cli_env.verify("--allow-private", *FAST).by_source()["story"]["overall"] == "pass"
    http_server.route("/story", status=301, headers={"Location": "/notice/removed.html"})
    http_server.route("/notice/removed.html", _last_modified_only(SOFT_404_HTML, "Mon, 01 Jan 2018 00:00:00 GMT"))
    second = cli_env.verify("--allow-private", *FAST).by_source()["story"]
    sent = [headers for _, path, headers in http_server.requests if path == "/notice/removed.html"]
    assert sent and not any("if-modified-since" in h for h in sent)
    assert (second["link"], second["overall"], second["http_status"]) == ("soft_404", "fail", 200)


def test_a_304_that_confirms_nothing_is_not_a_live_page(http_server, cli_env):
    """A broken cache answers 304 to a first, unconditional request: the page was never seen."""
    http_server.route("/story", Response(304, {"ETag": '"x"'}, b""))
    _story(cli_env, http_server)
    result = cli_env.verify("--allow-private", *FAST).by_source()["story"]
    assert (result["link"], result["overall"]) == ("server_error", "warn")
    assert "no earlier copy of this page" in result["link_detail"]


def test_an_upgrade_with_the_old_warc_gone_fetches_the_page_in_full(http_server, cli_env):
    """A 304 would need the old WARC to re-extract: it was lost, and every night exited 3."""
    http_server.route("/story", _revalidating(ARTICLE_HTML))
    _story(cli_env, http_server)
    first = cli_env.verify("--allow-private", *FAST)
    db = sqlite3.connect(cli_env.dir / "archive" / "citecheck.db")
    db.execute("update snapshots set extracted = replace(extracted, ?, 'older code')", [serialize.fingerprint()])
    db.commit()
    db.close()
    audit.write_manifest(cli_env.dir / first.report["run"]["archive"])  # as the older version sealed it
    (cli_env.dir / first.by_source()["story"]["snapshot"]["warc"]).unlink()
    second = cli_env.verify("--allow-private", *FAST)
    assert second.code == 0, second.stderr
    assert second.by_source()["story"]["http_status"] == 200 and "distrusted" not in second.report["run"]
    assert _comparable(second.by_source()["story"]) == _comparable(first.by_source()["story"])


@pytest.mark.parametrize("lost", [("text_path",), ("text_path", "warc")])
def test_a_lost_text_file_is_read_again_from_the_warc_or_the_page(http_server, cli_env, lost):
    """The text lives in its archived file alone: lost, the 304 re-extracts the WARC's body; with the
    WARC lost too, the page is fetched in full. Never a 304 that stands for nothing."""
    http_server.route("/story", _revalidating(ARTICLE_HTML))
    _story(cli_env, http_server)
    first = cli_env.verify("--allow-private", *FAST)
    for what in lost:
        (cli_env.dir / first.by_source()["story"]["snapshot"][what]).unlink()
    second = cli_env.verify("--allow-private", *FAST)
    assert second.code == 0, second.stderr
    assert second.by_source()["story"]["http_status"] == (304 if len(lost) == 1 else 200)
    assert _comparable(second.by_source()["story"]) == _comparable(first.by_source()["story"])


def test_a_full_run_still_reports_how_the_page_changed(http_server, cli_env):
    http_server.route("/story", _revalidating(ARTICLE_HTML))
    _story(cli_env, http_server)
    first = cli_env.verify("--allow-private", *FAST)
    http_server.route("/story", _revalidating(EDITED_ARTICLE, '"v2"'))
    full = cli_env.verify("--allow-private", "--full", *FAST).by_source()["story"]
    assert not any("if-none-match" in h for _, _, h in http_server.requests[-2:])
    assert full["change"]["status"] == "changed" and full["change"]["previous_run"] == first.report["run"]["id"]


def test_changes_are_measured_from_the_last_live_run(http_server, cli_env):
    """Not from a replay an auditor ran in between, and not from the run that last extracted the text."""
    http_server.route("/story", _revalidating(ARTICLE_HTML))
    _story(cli_env, http_server)
    first = cli_env.verify("--allow-private", *FAST)
    second = cli_env.verify("--allow-private", *FAST)
    assert second.by_source()["story"]["http_status"] == 304
    cli_env.verify("--allow-private", *FAST, "--replay", str(cli_env.dir / first.by_source()["story"]["snapshot"]["warc"]))
    http_server.route("/story", _revalidating(EDITED_ARTICLE, '"v2"'))
    third = cli_env.verify("--allow-private", *FAST).by_source()["story"]
    assert third["change"]["status"] == "changed"
    assert third["change"]["previous_run"] == second.report["run"]["id"]


def test_a_replayed_304_stands_for_the_page_it_confirmed_then(http_server, cli_env):
    """An auditor replays a nightly run after the page changed: judged by the newest snapshot, it passed."""
    http_server.route("/story", _revalidating(ARTICLE_HTML))
    _story(cli_env, http_server, claimed_updated="2024-03-10")
    cli_env.verify("--allow-private", *FAST)
    nightly = cli_env.verify("--allow-private", *FAST).by_source()["story"]
    assert (nightly["http_status"], nightly["overall"]) == (304, "fail")  # the claim was wrong then
    edited = ARTICLE_HTML.replace("2024-03-14T09:30:00+01:00", "2024-03-10T09:30:00+01:00")
    http_server.route("/story", _revalidating(edited, '"v2"'))
    assert cli_env.verify("--allow-private", *FAST).by_source()["story"]["overall"] == "pass"
    warc = str(cli_env.dir / nightly["snapshot"]["warc"])
    replayed = cli_env.verify("--allow-private", *FAST, "--replay", warc).by_source()["story"]
    assert _comparable(replayed) == _comparable(nightly)
    elsewhere = cli_env.verify("--allow-private", *FAST, "--replay", warc, "--archive", "other").by_source()["story"]
    assert (elsewhere["link"], elsewhere["overall"]) == ("server_error", "warn")
    assert "replay the run in the archive that holds" in elsewhere["link_detail"]


def test_a_304_that_confirmed_nothing_is_no_run_that_saw_the_page(http_server, cli_env):
    http_server.route("/story", _revalidating(ARTICLE_HTML))
    _story(cli_env, http_server)
    first = cli_env.verify("--allow-private", *FAST)
    http_server.route("/story", Response(304, {"ETag": '"v1"'}, b""))  # a broken cache, asked nothing
    assert cli_env.verify("--allow-private", "--full", *FAST).by_source()["story"]["link"] == "server_error"
    http_server.route("/story", _revalidating(EDITED_ARTICLE, '"v2"'))
    third = cli_env.verify("--allow-private", *FAST).by_source()["story"]
    assert third["change"]["previous_run"] == first.report["run"]["id"]


def test_pages_fetched_in_full_are_new_pages():
    """What decides the extraction pool and the crawl's split: pages to extract, not pages seen before."""
    from crawler.crawl.incremental import new_pages

    seen = {"url": "https://a.example/1", "final_url": "https://a.example/1", "etag": '"v1"', "last_modified": None}
    no_validators = seen | {"url": "https://a.example/2", "final_url": "https://a.example/2", "etag": None}
    previous = {"https://a.example/1": seen, "https://a.example/2": no_validators}
    assert new_pages(["https://a.example/1", "https://a.example/2", "https://a.example/3",
                      "https://a.example/citecheck-probe-0123456789abcdef"], previous) == 2


def test_a_text_leaves_memory_once_archived_and_reads_back_whole(tmp_path):
    """What the checks see is the archived file's text, byte for byte; once its first reader (the
    recorder) has taken the text, the snapshot holds only its path."""
    from crawler.crawl.pipelines import finish, previous_text
    from crawler.models import Fetch

    extracted = extract(ARTICLE_HTML.encode(), "http://127.0.0.1/article", {"content-type": "text/html"})
    snap = finish(Fetch(url="http://127.0.0.1/article", status=200, body=b"x"), extracted, None, tmp_path, None, None)
    assert snap.extracted.text == "" and snap.fetch.body == b""
    aside = snap.text_file.rename(tmp_path / "aside.gz")
    assert snap.take_extraction() == extracted  # handed on by finish, not read back from the file
    assert snap.handed_text is None
    with pytest.raises(FileNotFoundError):
        snap.take_extraction()  # taken once: a second reader reads the file
    aside.rename(snap.text_file)
    assert snap.extraction() == snap.take_extraction() == extracted
    previous = {"text_file": str(snap.text_file), "sha256": snap.files["sha256"]}
    assert previous_text(previous) == extracted.text
    snap.text_file.write_text(extracted.text.replace("ferries", "buses"), encoding="utf-8")
    assert previous_text(previous) is None  # no longer the text the sealed row names


def test_a_text_file_edited_after_its_run_is_not_what_a_304_reuses(http_server, cli_env):
    """The night's 304 reads the previous text from its archived file: edited, the page is extracted
    again from the sealed WARC, and the verdicts are the full fetch's, not the edited text's."""
    http_server.route("/story", _article)
    write_citations(cli_env.dir / "citations.yaml", {
        "story": {"url": http_server.url("/story"), "title": "River ferries return to the old harbour",
                  "claimed_updated": "2024-03-14"}})
    first = cli_env.verify("--allow-private", *FAST)
    text_file = cli_env.dir / first.by_source()["story"]["snapshot"]["text_path"]
    text_file.write_bytes(gzip.compress(b"Nothing about any harbour."))
    night = cli_env.verify("--allow-private", *FAST)
    story = night.by_source()["story"]
    assert story["http_status"] == 304
    assert story["snapshot"]["sha256"] == first.by_source()["story"]["snapshot"]["sha256"]  # the page's own text
    assert _comparable(story) == _comparable(first.by_source()["story"])
