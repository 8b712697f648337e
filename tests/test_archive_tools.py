"""citecheck's archive as auditors open it: warcio, cdxj-indexer, pywb and py-wacz, for real.

Three runs over a loopback server: a live night (a page behind an ETag, a redirect
chain, a PDF, a timeout and a name that does not resolve), the next night (the
page answers 304) and a replay of the first night. Each tool reads the files as
they are; pywb is started on a free port (its own venv: ``tests/support/archive_tools``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import iso_date_to_timestamp

from crawler.record import wacz_export
from tests.conftest import FAST, run_cli, write_citations
from tests.support import signer
from tests.support.archive_tools import cdxj, fetch, pywb
from tests.support.server import ARTICLE_HTML, ETAG, LAST_MODIFIED, Response, minimal_pdf, not_modified, serve

NOWHERE = "http://citecheck-test.invalid/page"
ELSEWHERE = "http://elsewhere.example/page"  # only the replay asks for it: its archive never held it


def _article(request):
    validators = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
    if not_modified(request.headers, ETAG, LAST_MODIFIED):
        return Response(304, validators, b"")
    return Response(200, {"Content-Type": "text/html; charset=utf-8", **validators}, ARTICLE_HTML.encode())


def _records(warc: Path) -> list:
    """Every record with its payload read (ArchiveIterator streams: read while iterating)."""
    out = []
    with open(warc, "rb") as fh:
        for rec in ArchiveIterator(fh):
            rec.payload = rec.content_stream().read()
            out.append(rec)
    return out


def _warc(workdir: Path, result) -> Path:
    run = workdir / result.report["run"]["archive"]
    return run / f"{run.name}.warc.gz"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("tools")
    with serve() as server:
        server.route("/story", _article)
        sources = {
            "story": {"url": server.url("/story"), "title": "River ferries return to the old harbour"},
            "chain": {"url": server.url("/r/301"), "title": "River ferries return to the old harbour"},
            "pdf": {"url": server.url("/doc.pdf"), "title": "Citecheck test PDF"},
            "slow": {"url": server.url("/slow?delay=8"), "title": "Slow"},
            "nowhere": {"url": NOWHERE, "title": "Nowhere"},
        }
        write_citations(workdir / "citations.yaml", sources)
        args = ("--allow-private", "--timeout", "2.5", *FAST)
        night1 = run_cli("verify", "citations.yaml", *args, cwd=workdir)
        night2 = run_cli("verify", "citations.yaml", *args, cwd=workdir)
        write_citations(workdir / "replay.yaml", {**sources, "elsewhere": {"url": ELSEWHERE, "title": "Elsewhere"}})
        replay = run_cli("verify", "replay.yaml", *args, "--replay", str(_warc(workdir, night1)),
                         "--archive", "replayed", cwd=workdir)
    # night 2 replayed in its own archive, whose database knows what its 304 confirmed
    replay2 = run_cli("verify", "citations.yaml", *args, "--replay", str(_warc(workdir, night2)), cwd=workdir)
    for result in (night1, night2, replay, replay2):
        assert result.report is not None, result.stderr
    assert night2.by_source()["story"]["http_status"] == 304
    return {"dir": workdir, "server": server, "night1": _warc(workdir, night1), "night2": _warc(workdir, night2),
            "replay": _warc(workdir, replay), "replay2": _warc(workdir, replay2), "sources": sources,
            "results": {"night2": night2, "replay2": replay2}}


def test_every_warc_passes_warcio_check(runs):
    for name in ("night1", "night2", "replay", "replay2"):
        check = subprocess.run([str(Path(sys.executable).parent / "warcio"), "check", "-v", str(runs[name])],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout
        assert "digest pass" in check.stdout and "fail" not in check.stdout.replace("digest pass", "")


def test_cdxj_indexes_no_failure_as_a_capture(runs):
    lines = cdxj(runs["night1"])
    entries = [json.loads(line.split(" ", 2)[2]) for line in lines]
    urls = {entry["url"] for entry in entries}
    sources = runs["sources"]
    assert {sources[s]["url"] for s in ("story", "chain", "pdf")} <= urls
    assert sources["slow"]["url"] not in urls and NOWHERE not in urls  # a timeout and a DNS error are no captures
    run_id = runs["night1"].parent.name
    failures = [e for e in entries if e.get("mime") == "application/vnd.citecheck.failure+json"]
    assert len(failures) >= 2 and {e["url"] for e in failures} == {f"urn:citecheck:run:{run_id}"}


def test_night2_304_is_a_revisit_of_night1s_capture(runs):
    first = {r.rec_headers.get_header("WARC-Target-URI"): r for r in _records(runs["night1"]) if r.rec_type == "response"}
    story = runs["sources"]["story"]["url"]
    records = _records(runs["night2"])
    (revisit,) = [r for r in records if r.rec_type == "revisit"]
    head, original = revisit.rec_headers, first[story].rec_headers
    assert head.get_header("WARC-Target-URI") == story
    assert head.get_header("WARC-Profile") == "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
    assert head.get_header("WARC-Refers-To") == original.get_header("WARC-Record-ID")
    assert head.get_header("WARC-Refers-To-Target-URI") == story
    assert head.get_header("WARC-Refers-To-Date") == original.get_header("WARC-Date")
    assert head.get_header("WARC-Payload-Digest") == original.get_header("WARC-Payload-Digest")
    assert revisit.http_headers is None and revisit.payload == b""  # replay tools serve the capture's
    (said,) = [r for r in records if r.rec_headers.get_header("WARC-Refers-To") == head.get_header("WARC-Record-ID")]
    assert said.rec_type == "metadata" and said.rec_headers.get_header("WARC-Target-URI").startswith("urn:citecheck:run:")
    assert said.payload.startswith(b"HTTP/1.1 304 Not Modified\r\n") and f"Etag: {ETAG}".encode() in said.payload  # Scrapy re-cases names


def test_pywb_replays_captures_and_answers_not_archived_for_failures(runs, tmp_path):
    sources = runs["sources"]
    with pywb(tmp_path / "pywb", [runs["night1"]]) as base:
        status, _, body = fetch(f"{base}/runs/2030id_/{sources['story']['url']}")
        assert status == 200 and body == ARTICLE_HTML.encode()
        status, _, body = fetch(f"{base}/runs/2030id_/{sources['pdf']['url']}")
        assert status == 200 and body == minimal_pdf("Citecheck test PDF")
        status, headers, _ = fetch(f"{base}/runs/2030id_/{sources['chain']['url']}")
        assert status == 301 and headers["location"].endswith("/r/302")
        for url in (sources["slow"]["url"], NOWHERE):
            status, _, body = fetch(f"{base}/runs/2030id_/{url}")
            assert status == 404 and b"not found" in body.lower(), (url, status)


@pytest.fixture(scope="module")
def signing():
    with signer.signer() as url:
        yield url


@pytest.fixture(scope="module")
def night2_wacz(runs, signing):
    out = runs["dir"] / "night2.wacz"
    result = run_cli("export", runs["night2"].parent.name, "--wacz", "-o", str(out), "--signing-url", signing,
                     cwd=runs["dir"], env={"CITECHECK_SIGNING_TOKEN": signer.TOKEN})
    assert result.code == 0, result.stderr
    assert result.stdout.strip().endswith("WACZ valid per py-wacz's validator and signed")
    return out


def _validate(wacz: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "wacz"), "validate", "-f", str(wacz), *args],
                          capture_output=True, text=True)


def test_wacz_validate_checks_the_signature(night2_wacz, signing, tmp_path):
    verifier = signing.replace("/sign", "/verify")
    checked = _validate(night2_wacz, "--verify-auth", "--verifier-url", verifier)
    assert checked.returncode == 0 and f"Successfully verified signature via: {verifier}" in checked.stdout
    forged = tmp_path / "forged.wacz"  # the signature of another package put on this one
    other = signer.sign_elsewhere(json.loads(zipfile.ZipFile(night2_wacz).read("datapackage-digest.json")))
    with zipfile.ZipFile(night2_wacz) as src, zipfile.ZipFile(forged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "datapackage-digest.json":
                data = json.dumps(other).encode()
            dst.writestr(item, data)
    refused = _validate(forged, "--verify-auth", "--verifier-url", verifier)
    assert refused.returncode != 0 and "Signature not verified" in refused.stdout


def test_night2_wacz_replays_the_304_with_night1s_body(night2_wacz, runs, tmp_path):
    story = runs["sources"]["story"]["url"]
    with zipfile.ZipFile(night2_wacz) as z:
        warcs = [name for name in z.namelist() if name.startswith("archive/")]
        assert sorted(warcs) == sorted([f"archive/{runs['night2'].name}",
                                        f"archive/{runs['night2'].parent.name}-referred.warc.gz"])
        z.extractall(tmp_path / "wacz", members=warcs)
    referred = _records(tmp_path / "wacz" / warcs[-1] if "referred" in warcs[-1] else tmp_path / "wacz" / warcs[0])
    assert [r.rec_type for r in referred] == ["warcinfo", "response"]  # only what the revisit needs
    night2_date = next(r.rec_headers.get_header("WARC-Date") for r in _records(runs["night2"]) if r.rec_type == "revisit")
    with pywb(tmp_path / "pywb", [tmp_path / "wacz" / name for name in warcs]) as base:
        status, headers, body = fetch(f"{base}/runs/{iso_date_to_timestamp(night2_date)}id_/{story}")
    assert status == 200 and body == ARTICLE_HTML.encode()
    assert headers["memento-datetime"] == parsedate_to_datetime(headers["memento-datetime"]).strftime(
        "%a, %d %b %Y %H:%M:%S GMT")


def test_night2_wacz_is_signed_and_carries_text_reports_and_seal(night2_wacz, runs):
    signed = wacz_export.signed_data(night2_wacz)
    assert signer.verify(signed)
    forged = {**signed, "hash": "sha256:" + "0" * 64}
    assert not signer.verify(forged)
    valid, log = wacz_export.validate_wacz(night2_wacz)
    assert valid and "Has signature" in log
    with zipfile.ZipFile(night2_wacz) as z:
        names = set(z.namelist())
        package = json.loads(z.read("datapackage.json"))
        digest = json.loads(z.read("datapackage-digest.json"))
        pages = [json.loads(line) for line in z.read("pages/pages.jsonl").decode().splitlines()]
        manifest = json.loads(z.read("logs/manifest.json"))
        warc_in_wacz = z.read(f"archive/{runs['night2'].name}")
    assert {"logs/manifest.json", "logs/report.citecheck.json", "logs/report.html", "logs/citations.yaml"} <= names
    assert signed["created"] == package["created"] and signed["hash"] == digest["hash"]
    # the seal inside names the WARC beside it: an auditor checks one against the other
    assert manifest == json.loads((runs["night2"].parent / "manifest.json").read_text())
    assert manifest["files"][runs["night2"].name] == hashlib.sha256(warc_in_wacz).hexdigest()
    assert pages[0]["hasText"] is True
    by_url = {p["url"]: p for p in pages[1:]}
    story = by_url[runs["sources"]["story"]["url"]]  # the 304 is a page, with the text it confirmed
    assert story["title"] == "River ferries return to the old harbour" and "ferries" in story["text"].lower()
    assert by_url[runs["sources"]["pdf"]["url"]]["text"].startswith("Citecheck test PDF")
    assert runs["sources"]["slow"]["url"] not in by_url and NOWHERE not in by_url


def test_a_replay_keeps_the_capture_dates_and_points_to_what_it_read(runs, tmp_path):
    original = {r.rec_headers.get_header("WARC-Record-ID"): r for r in _records(runs["night1"])}
    replayed = _records(runs["replay"])
    responses = [r for r in replayed if r.rec_type == "response"]
    assert responses
    for rec in responses:
        source = original[rec.rec_headers.get_header("WARC-Refers-To")]
        assert rec.rec_headers.get_header("WARC-Date") == source.rec_headers.get_header("WARC-Date")
        assert rec.rec_headers.get_header("WARC-Payload-Digest") == source.rec_headers.get_header("WARC-Payload-Digest")
    uris = {r.rec_headers.get_header("WARC-Target-URI") for r in replayed}
    assert "http://elsewhere.example/robots.txt" not in uris  # the 404 the replay made up is not archived
    missed = [json.loads(r.payload) for r in replayed if r.rec_type == "metadata"]
    assert {"url": ELSEWHERE, "error": "connection_error"}.items() <= next(
        m for m in missed if m["url"] == ELSEWHERE).items()
    story = runs["sources"]["story"]["url"]
    night1_date = next(r.rec_headers.get_header("WARC-Date") for r in original.values()
                       if r.rec_type == "response" and r.rec_headers.get_header("WARC-Target-URI") == story)
    with pywb(tmp_path / "pywb", [runs["replay"]]) as base:
        status, headers, body = fetch(f"{base}/runs/2030id_/{story}")
    assert status == 200 and body == ARTICLE_HTML.encode()
    assert parsedate_to_datetime(headers["memento-datetime"]).strftime("%Y%m%d%H%M%S") == iso_date_to_timestamp(
        night1_date)


def test_a_replayed_304_stays_a_revisit_of_the_capture_it_confirmed(runs):
    (night2,) = [r for r in _records(runs["night2"]) if r.rec_type == "revisit"]
    (again,) = [r for r in _records(runs["replay2"]) if r.rec_type == "revisit"]
    for field in ("WARC-Target-URI", "WARC-Date", "WARC-Profile", "WARC-Refers-To", "WARC-Refers-To-Target-URI",
                  "WARC-Refers-To-Date", "WARC-Payload-Digest"):
        assert again.rec_headers.get_header(field) == night2.rec_headers.get_header(field), field
    replayed, original = (runs["results"][name].by_source()["story"] for name in ("replay2", "night2"))
    assert replayed["http_status"] == original["http_status"] == 304
    assert replayed["link"] == original["link"] == "ok" and replayed["title"] == original["title"]


def test_a_wacz_that_could_not_replay_its_304s_is_refused(runs, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(runs["dir"] / "archive", archive)
    (archive / runs["night1"].parent.name / runs["night1"].name).unlink()  # the capture night 2 confirmed
    out = tmp_path / "night2.wacz"
    result = run_cli("export", runs["night2"].parent.name, "--wacz", "-o", str(out), "--archive", str(archive),
                     cwd=tmp_path)
    assert result.code == 2 and not out.exists()
    assert "this run's 304s confirm 1 record(s) found in none of the earlier runs" in result.stderr


def test_a_wacz_copies_no_record_from_an_altered_warc(runs, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(runs["dir"] / "archive", archive)
    night1 = archive / runs["night1"].parent.name / runs["night1"].name
    night1.write_bytes(night1.read_bytes() + gzip.compress(b"WARC/1.1\r\n"))  # edited after its run was sealed
    out = tmp_path / "night2.wacz"
    result = run_cli("export", runs["night2"].parent.name, "--wacz", "-o", str(out), "--archive", str(archive),
                     cwd=tmp_path)
    assert result.code == 2 and not out.exists()
    assert f"{runs['night1'].parent.name}/{runs['night1'].name}, which holds records this run's 304s confirm, " \
           "is not the file its run sealed" in result.stderr
