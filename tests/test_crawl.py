"""The whole verify job against a real HTTP server on 127.0.0.1.

Each test runs the ``citecheck`` CLI in a subprocess (Scrapy, trafilatura,
warcio and sqlite-utils for real) and reads the JSON report it wrote.
"""

from __future__ import annotations

import gc
import gzip
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import FAST, ROOT, run_cli, write_citations
from tests.support.server import serve

LINK_CASES = {
    # source id: (path, expected link verdict, expected overall)
    "article": ("/article", "ok", None),
    "chain": ("/r/301", "redirected", None),
    "home": ("/old-article", "moved_to_homepage", "fail"),
    "to404": ("/gone-to-404", "not_found", "fail"),
    "to-error-page": ("/moved-away", "moved_to_homepage", "fail"),
    "missing": ("/missing", "not_found", "fail"),
    "removed": ("/removed", "gone", "fail"),
    "challenge": ("/challenge", "blocked", "warn"),
    "error": ("/error", "server_error", "warn"),
    "maintenance": ("/maintenance", "server_error", "warn"),
    "slow": ("/slow?delay=8", "timeout", "warn"),
    "loop": ("/loop/a", "redirect_loop", "fail"),
    "soft": ("/soft-404", "soft_404", "fail"),
    "ratelimited": ("/ratelimited", "rate_limited", "warn"),
    "robots": ("/private/page", "blocked", "warn"),
    "pdf": ("/doc.pdf", "ok", None),
    "empty": ("/empty", "server_error", "warn"),  # a 200 with nothing in it: nothing to cite, maybe for now
}


@pytest.fixture(scope="module")
def link_run(tmp_path_factory):
    """One crawl over every link class, shared by the tests that read its outcome."""
    workdir = tmp_path_factory.mktemp("links")
    with serve() as server:
        server.route("/moved-away", status=302, headers={"Location": "/not-found"})
        server.route("/not-found", body="<html><body><p>Sorry.</p></body></html>", headers={"Content-Type": "text/html"})
        server.route("/empty", body="", headers={"Content-Type": "text/html; charset=utf-8"})
        sources = {sid: {"url": server.url(path), "title": f"Source {sid}"} for sid, (path, _, _) in LINK_CASES.items()}
        sources["invalid-host"] = {"url": "http://citecheck-test.invalid/page", "title": "Nowhere"}
        sources["lost"] = {"url": None, "title": "A link lost in conversion"}
        write_citations(workdir / "citations.yaml", sources)
        result = run_cli("verify", "citations.yaml", "--allow-private", "--timeout", "2.5", *FAST, cwd=workdir)
        base = server.url("/").rstrip("/")
    server.url = lambda path: base + path  # the addresses stay meaningful in the archive
    return result, server, workdir


def test_every_link_status_is_reported(link_run):
    result, _, _ = link_run
    assert result.code == 1, result.stderr
    found = {sid: r["link"] for sid, r in result.by_source().items()}
    expected = {sid: link for sid, (_, link, _) in LINK_CASES.items()}
    expected |= {"invalid-host": "dns_error", "lost": "no_url"}
    assert found == expected


def test_live_pages_are_never_dead(link_run):
    result, _, _ = link_run
    by_source = result.by_source()
    for sid in ("article", "chain", "challenge", "ratelimited", "error", "maintenance", "robots"):
        assert by_source[sid]["overall"] != "fail", (sid, by_source[sid]["reasons"])
    for sid, (_, _, overall) in LINK_CASES.items():
        if overall:
            assert by_source[sid]["overall"] == overall, (sid, by_source[sid]["reasons"])


def test_redirect_chain_is_recorded_hop_by_hop(link_run):
    result, server, _ = link_run
    chain = result.by_source()["chain"]
    assert [(h["status"], h["url"]) for h in chain["hops"]] == [
        (301, server.url("/r/301")), (302, server.url("/r/302")), (200, server.url("/article"))]
    assert chain["final_url"] == server.url("/article")


def test_each_url_is_requested_once_with_our_user_agent(link_run):
    _, server, _ = link_run
    paths = [path for method, path, _ in server.requests if method == "GET"]
    assert paths.count("/article") == 2  # once cited, once as the end of the /r/301 chain
    assert paths.count("/missing") == 1
    assert paths.count("/robots.txt") == 1
    assert "/private/page" not in paths, server.requests  # robots.txt forbids it
    agents = {headers.get("user-agent") for _, _, headers in server.requests}
    assert len(agents) == 1 and agents.pop().startswith("citecheck/")


def test_warc_holds_requests_raw_responses_and_failures(link_run):
    result, server, workdir = link_run
    warc = workdir / result.report["results"][0]["snapshot"]["warc"]
    records = []
    with open(warc, "rb") as fh:
        for rec in ArchiveIterator(fh):
            records.append((rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"), rec))
            rec.payload = rec.content_stream().read()
    kinds = [kind for kind, _, _ in records]
    assert kinds[0] == "warcinfo"
    uris = {(kind, uri) for kind, uri, _ in records}
    for path in ("/r/301", "/r/302", "/article", "/missing", "/robots.txt"):
        assert ("response", server.url(path)) in uris
        assert ("request", server.url(path)) in uris
    info = records[0][2]
    assert info.rec_headers.get_header("WARC-Type") == "warcinfo"
    run_id = warc.parent.name
    assert warc.name == f"{run_id}.warc.gz" and info.rec_headers.get_header("WARC-Filename") == warc.name
    assert {rec.rec_headers.protocol for _, _, rec in records} == {"WARC/1.1"}
    info_id = None  # each crawl of the run (cited pages, archive lookups) opens with its warcinfo
    for kind, _, rec in records:
        if kind == "warcinfo":
            info_id = rec.rec_headers.get_header("WARC-Record-ID")
        else:
            assert rec.rec_headers.get_header("WARC-Warcinfo-ID") == info_id
    # a failure is data too, about the run: no record of the URL that never answered
    failed = {json.loads(rec.payload)["url"]: rec for kind, uri, rec in records
              if kind == "metadata" and uri == f"urn:citecheck:run:{run_id}"}
    assert "http://citecheck-test.invalid/page" in failed and server.url("/slow?delay=8") in failed
    assert not {uri for _, uri, _ in records} & {"http://citecheck-test.invalid/page", server.url("/slow?delay=8")}
    protocols = {rec.rec_headers.get_header("WARC-Protocol") for kind, _, rec in records if kind == "response"}
    assert protocols == {"http/1.1"}
    # the request records' Host is the one the server received (Twisted adds it; Scrapy's headers lack it)
    seen = {headers.get("host") for _, _, headers in server.requests}
    recorded = {rec.http_headers.get_header("Host") for kind, uri, rec in records
                if kind == "request" and uri.startswith(server.url("/"))}
    assert len(seen) == 1 and recorded == seen


def test_the_crawl_uses_no_deprecated_scrapy_setting(link_run):
    _, _, workdir = link_run
    log = next((workdir / "archive").glob("*/crawl.log")).read_text()
    assert "[scrapy.core.engine] INFO: Spider closed" in log  # the whole crawl is in it
    assert "DeprecationWarning" not in log


def test_the_crawl_log_warns_only_of_requests_that_failed(link_run):
    """A warning in every night's log (a component that is off by design) teaches auditors to skip them."""
    _, _, workdir = link_run
    log = next((workdir / "archive").glob("*/crawl.log")).read_text()
    warnings = [line for line in log.splitlines() if re.search(r"\] (WARNING|ERROR|CRITICAL): ", line)]
    assert any("/maintenance" in line for line in warnings)  # the failing link classes are there
    assert [line for line in warnings if not re.search(r"<GET https?://", line)] == []


def test_warc_passes_warcio_checker_and_names_tool_and_settings(link_run):
    from warcio.checker import Checker

    result, _, workdir = link_run
    warc = workdir / result.report["results"][0]["snapshot"]["warc"]
    checker = Checker(type("Args", (), {"inputs": [str(warc)], "verbose": False})())
    assert checker.process_all() == 0  # every payload and block digest verifies
    with open(warc, "rb") as fh:
        info = next(iter(ArchiveIterator(fh))).content_stream().read().decode()
    assert "software: citecheck/" in info
    assert "robotstxt-obey: True" in info and "download-timeout: 2.5" in info


def test_database_holds_run_snapshots_and_checks(link_run):
    result, _, workdir = link_run
    db = sqlite3.connect(workdir / "archive" / "citecheck.db")
    run_id = result.report["run"]["id"]
    assert db.execute("select exit_code from runs where id = ?", [run_id]).fetchone() == (1,)
    checks = dict(db.execute("select source, link from checks where run = ?", [run_id]).fetchall())
    assert checks["missing"] == "not_found" and checks["lost"] == "no_url"
    article, text = db.execute("select id, text from snapshots where url like '%/article'").fetchone()
    assert text is None  # kept once, in its archived file, and full-text indexed from it
    assert article in {row[0] for row in db.execute("select rowid from snapshots_fts where snapshots_fts match 'pontoon'")}


def test_text_is_archived_under_its_hash(link_run):
    result, _, workdir = link_run
    snap = result.by_source()["article"]["snapshot"]
    path = workdir / snap["text_path"]
    import hashlib

    assert hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest() == snap["sha256"]  # the text's hash
    assert path.name == f"{snap['sha256']}.txt.gz"


def test_private_addresses_are_refused_without_opt_in(http_server, cli_env):
    write_citations(cli_env.dir / "citations.yaml", {
        "local": {"url": http_server.url("/article"), "title": "Local"},
        "ftp": {"url": "ftp://example.org/file", "title": "FTP"},
    })
    result = cli_env.verify(*FAST)
    assert result.code == 1
    links = {sid: r["link"] for sid, r in result.by_source().items()}
    assert links == {"local": "unsafe_url", "ftp": "unsafe_url"}
    assert http_server.requests == []  # not even robots.txt


def test_redirect_to_a_private_address_is_refused(http_server, cli_env):
    """A public-looking start that redirects inward is stopped at the hop."""
    write_citations(cli_env.dir / "citations.yaml", {"hop": {"url": "http://127.0.0.1:1/", "title": "x"}})
    result = cli_env.verify(*FAST)
    assert result.by_source()["hop"]["link"] == "unsafe_url"


def test_gzip_body_is_archived_raw_and_extracted_decoded(http_server, cli_env):
    write_citations(cli_env.dir / "citations.yaml", {"gz": {"url": http_server.url("/gzip"), "title": "x"}})
    result = cli_env.verify("--allow-private", *FAST)
    snap = result.by_source()["gz"]["snapshot"]
    with open(cli_env.dir / snap["warc"], "rb") as fh:
        raw = [rec.raw_stream.read() for rec in ArchiveIterator(fh)
               if rec.rec_type == "response" and rec.rec_headers.get_header("WARC-Target-URI").endswith("/gzip")]
    assert gzip.decompress(raw[0])  # stored compressed, as received
    assert gzip.decompress((cli_env.dir / snap["text_path"]).read_bytes()).strip()


def test_replay_reproduces_the_verdicts_without_network(link_run, tmp_path):
    first, _, workdir = link_run  # its server has stopped: nothing but the WARC can answer
    warc = workdir / first.report["results"][0]["snapshot"]["warc"]
    (tmp_path / "citations.yaml").write_text((workdir / "citations.yaml").read_text())
    again = run_cli("verify", "citations.yaml", "--allow-private", "--timeout", "1", "--replay", str(warc), *FAST,
                    cwd=tmp_path)
    strip = lambda r: {k: r[k] for k in ("source", "link", "http_status", "final_url", "hops", "overall", "reasons",
                                         "date", "title", "pages")}
    assert [strip(r) for r in again.report["results"]] == [strip(r) for r in first.report["results"]]
    pdf = again.by_source()["pdf"]
    assert pdf["link"] == "ok" and pdf["pages"]["page_count"] == 1
    assert again.report["run"]["replay"]


def test_a_second_run_adds_history(http_server, cli_env):
    write_citations(cli_env.dir / "citations.yaml", {"a": {"url": http_server.url("/article"), "title": "x"}})
    cli_env.verify("--allow-private", *FAST)
    cli_env.verify("--allow-private", *FAST)
    db = sqlite3.connect(cli_env.dir / "archive" / "citecheck.db")
    assert db.execute("select count(*) from runs").fetchone() == (2,)
    assert db.execute("select count(*) from snapshots where url like '%/article'").fetchone() == (2,)


def test_a_run_leaves_nothing_behind_but_its_archive(http_server, cli_env):
    """The command ends without freeing its objects, but only after the exit handlers (which remove the
    extraction pool's temporary folder); the run closes its database, so no write-ahead log is left."""
    write_citations(cli_env.dir / "citations.yaml", {"a": {"url": http_server.url("/article"), "title": "x"}})
    tmp = cli_env.dir / "tmp"
    tmp.mkdir()
    run = run_cli("verify", "citations.yaml", "--allow-private", *FAST, "-s", "CITECHECK_EXTRACT_POOL_MIN_URLS=1",
                  cwd=cli_env.dir, env={"TMPDIR": str(tmp)})
    assert run.code == 0, run.stderr
    log = next((cli_env.dir / "archive").glob("*/crawl.log")).read_text()
    assert "'citecheck/extract_workers': 2" in log  # the pool ran
    assert list(tmp.iterdir()) == []
    assert sorted(p.name for p in (cli_env.dir / "archive").iterdir() if p.is_file()) == [".lock", "citecheck.db"]


def test_bad_citations_exit_2_and_fetch_nothing(http_server, cli_env):
    (cli_env.dir / "citations.yaml").write_text(json.dumps({
        "document": {"title": "t"},
        "sources": {"a": {"url": http_server.url("/article"), "title": "x"}},
        "footnotes": {"1": [{"source": "b"}]},
    }))
    result = cli_env.verify("--allow-private", *FAST)
    assert result.code == 2
    assert "citations.yaml" in result.stderr and "'b'" in result.stderr
    assert http_server.requests == []
    assert not (cli_env.dir / "archive").exists()


def test_second_run_asks_conditionally_and_reuses_the_snapshot(http_server, cli_env):
    write_citations(cli_env.dir / "citations.yaml", {
        "versioned": {"url": http_server.url("/etag"), "title": "x"},
        "article": {"url": http_server.url("/article"), "title": "x"},
    })
    first = cli_env.verify("--allow-private", *FAST)
    before = len(http_server.requests)
    second = cli_env.verify("--allow-private", *FAST)
    sent = {path: headers for _, path, headers in http_server.requests[before:]}
    assert sent["/etag"]["if-none-match"] == '"v1-5f2b"'
    assert "if-none-match" not in sent["/article"]  # it sent no validators
    again = second.by_source()["versioned"]
    assert again["http_status"] == 304 and again["link"] == "ok"
    assert again["change"]["status"] == "unchanged" and again["change"]["reused_snapshot"]
    assert again["snapshot"]["sha256"] == first.by_source()["versioned"]["snapshot"]["sha256"]
    assert (cli_env.dir / again["snapshot"]["text_path"]).exists()


def test_a_changed_page_reports_how_much_changed(http_server, cli_env):
    body = "<html><head><title>Notes</title></head><body><article>{}</article></body></html>"
    paragraphs = [f"<p>Paragraph {n} says something about the harbour and its ferries.</p>" for n in range(12)]
    http_server.route("/notes", body=body.format("".join(paragraphs)), headers={"Content-Type": "text/html"})
    write_citations(cli_env.dir / "citations.yaml", {"notes": {"url": http_server.url("/notes"), "title": "Notes"}})
    first = cli_env.verify("--allow-private", *FAST)
    assert first.by_source()["notes"]["change"]["status"] == "new"
    paragraphs[3] = "<p>Paragraph 3 was rewritten after the footnote was written.</p>"
    http_server.route("/notes", body=body.format("".join(paragraphs)), headers={"Content-Type": "text/html"})
    change = cli_env.verify("--allow-private", *FAST).by_source()["notes"]["change"]
    assert change["status"] == "changed" and change["previous_run"] == first.report["run"]["id"]
    assert 0.5 < change["text_similarity"] < 1.0


def test_retry_after_is_honoured_before_retrying(http_server, cli_env):
    from tests.support.server import Response

    seen = []

    def busy_then_ok(request):
        seen.append(time.monotonic())
        if len(seen) == 1:
            return Response(429, {"Retry-After": "2", "Content-Type": "text/plain"}, b"slow down")
        return Response(200, {"Content-Type": "text/html"}, b"<html><head><title>Busy</title></head><body>ok</body></html>")

    http_server.route("/busy", busy_then_ok)
    write_citations(cli_env.dir / "citations.yaml", {"busy": {"url": http_server.url("/busy"), "title": "Busy"}})
    result = cli_env.verify("--allow-private", *FAST)
    assert result.by_source()["busy"]["link"] == "ok"
    assert len(seen) == 2 and seen[1] - seen[0] >= 2.0


def test_retry_after_beyond_the_cap_is_not_waited_for(http_server, cli_env):
    http_server.route("/closed", status=503, headers={"Retry-After": "86400", "Content-Type": "text/plain"}, body="later")
    write_citations(cli_env.dir / "citations.yaml", {"closed": {"url": http_server.url("/closed"), "title": "x"}})
    result = cli_env.verify("--allow-private", *FAST)
    assert result.by_source()["closed"]["link"] == "server_error"
    assert [p for _, p, _ in http_server.requests].count("/closed") == 1


def _timed_pages(server, paths, times):
    from tests.support.server import Response

    def page(request):
        times.append(time.monotonic())
        return Response(200, {"Content-Type": "text/html"},
                        f"<html><head><title>{request.route}</title></head><body>ok</body></html>".encode())

    for path in paths:
        server.route(path, page)
    return {path.strip("/"): {"url": server.url(path), "title": path} for path in paths}


@pytest.mark.parametrize("throttle", ["on", "off"])
def test_robots_crawl_delay_spaces_a_hosts_requests(http_server, cli_env, throttle):
    """With AutoThrottle (the default) and without: it must not lower the host's own floor."""
    times = []
    http_server.route("/robots.txt", body="User-agent: *\nCrawl-delay: 1\n", headers={"Content-Type": "text/plain"})
    sources = _timed_pages(http_server, ["/a", "/b", "/c"], times)
    write_citations(cli_env.dir / "citations.yaml", sources)
    result = cli_env.verify("--allow-private", *FAST, "-s", f"AUTOTHROTTLE_ENABLED={throttle == 'on'}")
    assert {r["link"] for r in result.report["results"]} == {"ok"}
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(times) == 3 and min(gaps) >= 0.95, gaps


def test_a_crawl_delay_beyond_the_cap_is_capped(http_server, cli_env):
    times = []
    http_server.route("/robots.txt", body="User-agent: *\nCrawl-delay: 3600\n", headers={"Content-Type": "text/plain"})
    sources = _timed_pages(http_server, ["/a", "/b"], times)
    write_citations(cli_env.dir / "citations.yaml", sources)
    result = cli_env.verify("--allow-private", *FAST, "-s", "CITECHECK_CRAWL_DELAY_MAX=0.5")
    assert {r["link"] for r in result.report["results"]} == {"ok"}
    assert len(times) == 2 and 0.45 <= times[1] - times[0] < 30


def test_dead_and_changed_sources_get_the_nearest_archived_copy(http_server, cli_env):
    from tests.support.archive_server import serve_archive

    http_server.route("/story", body="""<html><head><title>Harbour story</title>
        <meta property="article:published_time" content="2026-02-10T09:00:00+01:00"></head>
        <body><article><p>The ferries came back.</p></article></body></html>""", headers={"Content-Type": "text/html"})
    dead, changed = http_server.url("/missing"), http_server.url("/story")
    captures = {dead: ["20260101120000", "20260220083000", "20260601000000"], changed: ["20260219101500"]}
    with serve_archive(captures) as arch:
        write_citations(cli_env.dir / "citations.yaml", {
            "dead": {"url": dead, "title": "x", "claimed_updated": "2026-02-19"},
            "changed": {"url": changed, "title": "Harbour story", "claimed_updated": "2026-02-19"},
            "fine": {"url": http_server.url("/article"), "title": "x"},
        })
        result = cli_env.verify(
            "--allow-private", *FAST, "-s", "CITECHECK_RESCUE=True",
            "-s", f"CITECHECK_WAYBACK_ENDPOINT={arch.wayback_endpoint}",
            "-s", f"CITECHECK_TIMEGATE_ENDPOINT={arch.timegate_endpoint}")
    by_source = result.by_source()
    assert by_source["dead"]["rescue"]["archived_url"].endswith("/20260220083000/" + dead)
    assert by_source["dead"]["rescue"]["days_from_claim"] == 1
    assert by_source["changed"]["date"]["verdict"] == "mismatch"
    assert by_source["changed"]["rescue"]["archived_at"].startswith("2026-02-19")
    assert "rescue" not in by_source["fine"]


def test_fail_on_chooses_what_fails(http_server, cli_env):
    write_citations(cli_env.dir / "citations.yaml", {"wall": {"url": http_server.url("/challenge"), "title": "x"}})
    assert cli_env.verify("--allow-private", *FAST).code == 0  # a bot wall only warns by default
    strict = cli_env.verify("--allow-private", "--fail-on", "default,blocked", *FAST)
    assert strict.code == 1 and strict.by_source()["wall"]["overall"] == "fail"
    assert strict.by_source()["wall"]["failing_since"]["runs"] == 2  # the first run warned: not a pass
    bad = cli_env.verify("--fail-on", "deadd", *FAST)
    assert bad.code == 2 and "unknown verdict 'deadd'" in bad.stderr


def test_host_that_answers_200_for_anything_is_probed_for_soft_404s(http_server, cli_env):
    from crawler.checks.linkstatus import probe_url

    oops = ("<html><head><title>Hafenblatt</title></head><body><nav>Home · Archiv</nav>"
            "<div class='box'><p>Hoppla! Hier ist leider nichts. Zurück zur Startseite?</p></div></body></html>")
    for path in ("/vanished-story", probe_url(http_server.url("/"))[len(http_server.url("/")) - 1:]):
        http_server.route(path, body=oops, headers={"Content-Type": "text/html"})
    write_citations(cli_env.dir / "citations.yaml", {
        "vanished": {"url": http_server.url("/vanished-story"), "title": "Fähren kehren zurück"},
        "article": {"url": http_server.url("/article"), "title": "x"},
    })
    result = cli_env.verify("--allow-private", *FAST)
    by_source = result.by_source()
    assert by_source["vanished"]["link"] == "soft_404" and by_source["vanished"]["overall"] == "fail"
    assert "error page" in by_source["vanished"]["link_detail"]  # found by the probe, not by wording
    assert by_source["article"]["link"] == "ok"
    probes = [p for _, p, _ in http_server.requests if p.startswith("/citecheck-probe-")]
    assert len(probes) == 1  # one probe per host


def test_github_actions_get_annotations_and_a_step_summary(http_server, cli_env, monkeypatch):
    write_citations(cli_env.dir / "citations.yaml", {"gone": {"url": http_server.url("/missing"), "title": "x"}})
    summary = cli_env.dir / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = cli_env.verify("--allow-private", *FAST)
    line = (cli_env.dir / "citations.yaml").read_text().splitlines().index('  "1": [') + 1
    annotations = [l for l in result.stdout.splitlines() if l.startswith("::error ")]
    assert len(annotations) == 1
    assert annotations[0].startswith(f"::error file=citations.yaml,line={line + 1},")
    assert "not_found" in annotations[0]
    assert "gone" in summary.read_text()


def test_tls_failures_are_reported_with_their_reason(tmp_path, cli_env, monkeypatch):
    from contextlib import ExitStack

    from tests.support.tls import TLSServer, make_certificates

    pems = make_certificates(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(pems["ca"]))  # trust the test CA, as a system CA is trusted
    with ExitStack() as stack:
        servers = {case: stack.enter_context(TLSServer(pems[case]))
                   for case in ("good", "expired", "wrong_host", "self_signed")}
        write_citations(cli_env.dir / "citations.yaml",
                        {case: {"url": server.url("/article"), "title": "x"} for case, server in servers.items()})
        result = cli_env.verify("--allow-private", *FAST)
        good = servers["good"].url("/")
    by_source = result.by_source()
    assert by_source["good"]["link"] == "ok"
    # the certificate the good host presented is archived, pointing to the response it came with
    records = {}
    with open(cli_env.dir / by_source["good"]["snapshot"]["warc"], "rb") as fh:
        for rec in ArchiveIterator(fh):
            records[rec.rec_headers.get_header("WARC-Record-ID")] = (rec, rec.content_stream().read())
    (cert,) = [(rec, body) for rec, body in records.values() if rec.content_type == "application/x-pem-file"]
    leaf = pems["good"].read_text().split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----"
    assert cert[1].decode().strip() == leaf.strip()
    carrier = records[cert[0].rec_headers.get_header("WARC-Refers-To")][0]
    assert carrier.rec_type == "response" and carrier.rec_headers.get_header("WARC-Target-URI").startswith(good)
    reasons = {"expired": "has expired", "wrong_host": "for another host name", "self_signed": "self-signed"}
    for case, reason in reasons.items():
        assert by_source[case]["link"] == "tls_error", (case, by_source[case]["link_detail"])
        assert reason in by_source[case]["link_detail"].split(" (")[0], by_source[case]["link_detail"]
        assert by_source[case]["overall"] == "warn"  # not dead: the page is probably there


def test_user_agent_names_the_tool_and_the_configured_contact(http_server, cli_env):
    write_citations(cli_env.dir / "citations.yaml", {"a": {"url": http_server.url("/article"), "title": "x"}})
    cli_env.verify("--allow-private", *FAST, "-s", "CITECHECK_CONTACT_URL=https://newsroom.example/crawler")
    agents = {headers.get("user-agent") for _, _, headers in http_server.requests}
    assert agents == {"citecheck/0.1.0 (+https://newsroom.example/crawler)"}


def test_retry_after_reads_seconds_and_http_dates():
    import datetime as dt

    from crawler.crawl.middlewares import retry_after_seconds

    now = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Sun, 01 Mar 2026 12:02:00 GMT", now) == 120
    assert retry_after_seconds("Sun, 01 Mar 2026 11:00:00 GMT", now) == 0  # already past: retry at once
    assert retry_after_seconds("soon", now) is None and retry_after_seconds(None) is None


def test_a_stopped_crawl_is_recorded_but_does_not_pass(http_server, cli_env):
    """SIGTERM (a cancelled CI job, systemd): what was fetched is kept, and the exit code says incomplete."""
    write_citations(cli_env.dir / "citations.yaml", {
        f"s{n}": {"url": http_server.url(f"/slow?delay=1&n={n}"), "title": "x"} for n in range(4)})
    cmd = [sys.executable, "-m", "crawler", "verify", "citations.yaml", "--allow-private", *FAST,
           "-s", "CONCURRENT_REQUESTS=1", "--json", "report.json"]  # the rest wait in the scheduler
    proc = subprocess.Popen(cmd, cwd=cli_env.dir, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(path.startswith("/slow") for _, path, _ in http_server.requests) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    report = json.loads((cli_env.dir / "report.json").read_text())
    assert proc.returncode == 3, stderr
    assert report["run"]["exit_code"] == 3 and 1 <= report["run"]["unreached"] <= 3
    unreached = [r for r in report["results"] if r.get("link_detail") == "the crawl ended without an outcome"]
    assert len(unreached) == report["run"]["unreached"]
    assert f"before {len(unreached)} of 4 URLs had an outcome" in stderr
    db = sqlite3.connect(cli_env.dir / "archive" / "citecheck.db")  # unchecked: no link streak to extend later
    checked = {row[0] for row in db.execute("select source from checks where run = ?", [report["run"]["id"]])}
    assert checked == {r["source"] for r in report["results"]} - {r["source"] for r in unreached}


def test_a_crawl_stopped_outright_still_ends_its_extraction_pool(http_server, cli_env):
    """A second Ctrl-C stops Scrapy without closing the spider: the pool's workers must end all the
    same, or the command would wait for them forever when it exits."""
    write_citations(cli_env.dir / "citations.yaml", {
        f"s{n}": {"url": http_server.url(f"/slow?delay=5&n={n}"), "title": "x"} for n in range(3)})
    tmp = cli_env.dir / "tmp"
    tmp.mkdir()
    cmd = [sys.executable, "-m", "crawler", "verify", "citations.yaml", "--allow-private", *FAST,
           "-s", "CITECHECK_EXTRACT_POOL_MIN_URLS=1", "--json", "report.json"]
    proc = subprocess.Popen(cmd, cwd=cli_env.dir, env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(path.startswith("/slow") for _, path, _ in http_server.requests) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)  # the graceful stop waits for the slow answers...
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)  # ...the second does not
    try:
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 3, stderr
    assert list(tmp.iterdir()) == []  # the pool's temporary folder went with it


def test_the_run_gives_back_the_collector_as_it_found_it():
    """A crawl collects less often and recording not at all; afterwards the interpreter collects as before."""
    from crawler import runner

    before = gc.get_threshold()
    with runner._collecting_less():
        assert gc.get_threshold()[0] == runner.CRAWL_GC_THRESHOLD and gc.get_freeze_count() > 0
        with runner._not_collecting():
            assert not gc.isenabled()
        assert gc.isenabled()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    gc.disable()
    try:
        with runner._not_collecting():
            pass
        assert not gc.isenabled()  # not switched on behind a caller who had switched it off
    finally:
        gc.enable()


def test_a_crawl_runs_scrapys_extensions_but_not_the_remote_control():
    """Scrapy imports every extension it is told about, disabled ones too: the remote control (and
    aiohttp with it) is left out of the list, and the rest of Scrapy's own still runs."""
    script = ("import json, sys\n"
              "from scrapy.settings import Settings\n"
              "from scrapy.utils.conf import build_component_list\n"
              "settings = Settings()\n"
              "settings.setmodule('crawler.crawl.settings', priority='project')\n"
              "names = build_component_list(settings.get_component_priority_dict_with_base('EXTENSIONS'))\n"
              "print(json.dumps([names, 'aiohttp' in sys.modules]))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
    names, aiohttp_loaded = json.loads(out)
    assert {"scrapy.extensions.corestats.CoreStats", "scrapy.extensions.logstats.LogStats",
            "scrapy.extensions.closespider.CloseSpider", "crawler.crawl.throttle.AutoThrottle"} <= set(names)
    assert not any(name.endswith(("RemoteControl", "extensions.throttle.AutoThrottle")) for name in names)
    assert not aiohttp_loaded


def test_a_failure_streak_belongs_to_one_link(http_server, cli_env):
    """Two documents in one archive both cite footnote 1, source 'report'; and a fixed link starts afresh."""
    write_citations(cli_env.dir / "a.yaml", {"report": {"url": http_server.url("/error"), "title": "x"}})
    write_citations(cli_env.dir / "b.yaml", {"report": {"url": http_server.url("/maintenance"), "title": "y"}})
    confirm = ("--confirm-runs", "3", "--confirm-days", "0", *FAST)
    cli_env.verify("--allow-private", *confirm, citations="a.yaml")
    cli_env.verify("--allow-private", *confirm, citations="b.yaml")
    second_b = cli_env.verify("--allow-private", *confirm, citations="b.yaml").report["results"][0]
    assert (second_b["overall"], second_b["failing_since"]["runs"]) == ("warn", 2)  # its own 2 runs, not 3
    third_b = cli_env.verify("--allow-private", *confirm, citations="b.yaml").report["results"][0]
    assert third_b["overall"] == "fail"
    write_citations(cli_env.dir / "b.yaml", {"report": {"url": http_server.url("/error"), "title": "y"}})
    moved = cli_env.verify("--allow-private", *confirm, citations="b.yaml").report["results"][0]
    # b's failures were another link's; this link failed before only in a.yaml's run of it
    assert (moved["overall"], moved["failing_since"]["runs"]) == ("warn", 2)


def test_a_refused_link_is_failing_since_its_first_run(cli_env):
    """A refused URL has no snapshot: its earlier checks still belong to it."""
    write_citations(cli_env.dir / "citations.yaml", {"intranet": {"url": "http://127.0.0.1:9/x", "title": "x"}})
    runs = [cli_env.verify(*FAST).report["results"][0] for _ in range(3)]
    assert [r["link"] for r in runs] == ["unsafe_url"] * 3
    assert [r["failing_since"]["runs"] for r in runs] == [1, 2, 3]


def test_a_slow_host_does_not_hold_back_the_others(cli_env):
    """The URLs reach Scrapy a few per host at a time (``crawl.feed``): a host with a long Crawl-delay
    keeps its own turn, not the crawl's room, so the other host's pages are all fetched meanwhile."""
    times: dict[str, list[float]] = {"slow": [], "fast": []}
    with serve(host="127.0.0.2") as slow_server, serve(host="127.0.0.3") as fast_server:
        slow_server.route("/robots.txt", body="User-agent: *\nCrawl-delay: 1\n", headers={"Content-Type": "text/plain"})
        sources = _timed_pages(slow_server, [f"/slow{n}" for n in range(6)], times["slow"])  # cited first
        sources.update(_timed_pages(fast_server, [f"/fast{n}" for n in range(24)], times["fast"]))
        write_citations(cli_env.dir / "citations.yaml", sources)
        result = cli_env.verify("--allow-private", *FAST, "-s", "CONCURRENT_REQUESTS=2",
                                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
    assert {r["link"] for r in result.report["results"]} == {"ok"}
    assert len(times["slow"]) == 6 and len(times["fast"]) == 24
    # the slow host has more pages waiting (5 s of them) than the crawl has room (4 requests in all);
    # the fast host is done before the slow one's second page all the same
    assert max(times["fast"]) < sorted(times["slow"])[1], [t - times["slow"][0] for t in times["fast"]]
