"""Claims and translated titles in a real run against pages served on 127.0.0.1."""

from __future__ import annotations

import gzip

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import FAST, run_cli, write_citations

RU = """<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">
<title>В 2026 году Казахстан стал опасной страной для антивоенных россиян</title>
<link rel="alternate" hreflang="en" href="{edition}"/></head><body><article>
<h1>В 2026 году Казахстан стал опасной страной для антивоенных россиян</h1>
<p>31 января 2026 года в Алматы задержали 25-летнего IT-специалиста, родившегося в 2001 году в Крыму.</p>
<p>В тот же день его доставили в Москву, в СИЗО «Лефортово». Правозащитники называют это новой практикой.</p>
</article></body></html>"""
EN = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>In 2026, Kazakhstan became a dangerous country for anti-war Russians</title></head><body><article>
<h1>In 2026, Kazakhstan became a dangerous country for anti-war Russians</h1>
<p>On January 31, 2026, a 25-year-old IT specialist born in Crimea in 2001 was detained in Almaty.</p>
</article></body></html>"""
CITED = "In 2026, Kazakhstan became a dangerous country for anti-war Russians"
CONTEXT = ("Am 31. Januar 2026 wurde ein IT-Spezialist in Almaty verhaftet und nach Moskau gebracht, wo er im "
           "Gefängnis Lefortowo inhaftiert wurde.")
WRONG = "Im März 2024 verurteilte ein Gericht in Schymkent über 300 Demonstranten zu Geldstrafen."


def _serve(http_server):
    edition = http_server.url("/en/article")
    html = {"Content-Type": "text/html; charset=utf-8"}
    http_server.route("/article", headers=html, body=RU.format(edition=edition))
    http_server.route("/en/article", headers=html, body=EN)
    return http_server.url("/article"), edition


def _citations(tmp_path, url, context):
    write_citations(tmp_path / "citations.yaml", {"meduza": {"url": url, "title": CITED, "publisher": "Meduza"}},
                    {"1": [{"source": "meduza", "context": context}]})


def test_the_page_s_edition_in_the_cited_language_is_fetched_archived_and_settles_the_title(tmp_path, http_server):
    url, edition = _serve(http_server)
    _citations(tmp_path, url, CONTEXT)
    result = run_cli("verify", "citations.yaml", "--allow-private", *FAST, cwd=tmp_path)
    assert result.code == 0, result.stderr
    row = result.report["results"][0]
    assert row["title"]["verdict"] == "translation"
    assert row["title"]["language"] == "ru" and row["title"]["edition_url"] == edition
    assert row["overall"] == "pass" and not any("title" in r for r in row["reasons"])
    assert ("GET", "/en/article") in [(m, p) for m, p, _ in http_server.requests]
    warc = tmp_path / row["snapshot"]["warc"]
    with gzip.open(warc, "rb") as fh:
        uris = {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh) if r.rec_type == "response"}
    assert edition in uris  # archived like any page
    claim = row["claim"]
    assert claim["verdict"] == "supported", claim
    assert {a["text"] for a in claim["anchors"]} >= {"31. Januar 2026", "Almaty", "Moskau", "Lefortowo"}


def test_an_unsupported_claim_warns_and_fails_only_when_asked(tmp_path, http_server):
    url, _ = _serve(http_server)
    _citations(tmp_path, url, WRONG)
    warned = run_cli("verify", "citations.yaml", "--allow-private", *FAST, cwd=tmp_path)
    row = warned.report["results"][0]
    assert warned.code == 0 and row["overall"] == "warn"
    assert row["claim"]["verdict"] == "unsupported"
    assert any(r.startswith("claim: none of the sentence's numbers, dates and names is in the source") for r in
               row["reasons"])
    failed = run_cli("verify", "citations.yaml", "--allow-private", "--fail-on", "default,unsupported", *FAST,
                     cwd=tmp_path, json_name="again.json")
    assert failed.code == 1 and failed.report["results"][0]["overall"] == "fail"


@pytest.mark.parametrize("edition_first", [True, False])
def test_an_edition_the_run_also_cites_settles_the_title_and_is_fetched_once(tmp_path, http_server, edition_first):
    """Cited too, the edition is crawled with the cited pages, before or after the page that wants it
    (then its snapshot is read back from the run's record): either way it is not fetched again."""
    url, edition = _serve(http_server)
    sources = [("meduza", {"url": url, "title": CITED, "publisher": "Meduza"}),
               ("meduza-en", {"url": edition, "title": CITED, "publisher": "Meduza"})]
    write_citations(tmp_path / "citations.yaml", dict(sources[::-1] if edition_first else sources),
                    {"1": [{"source": "meduza", "context": CONTEXT}], "2": [{"source": "meduza-en"}]})
    result = run_cli("verify", "citations.yaml", "--allow-private", *FAST, cwd=tmp_path)
    assert result.code == 0, result.stderr
    rows = {row["source"]: row for row in result.report["results"]}
    assert rows["meduza"]["title"]["verdict"] == "translation" and rows["meduza"]["title"]["edition_url"] == edition
    assert rows["meduza"]["overall"] == "pass" and rows["meduza-en"]["overall"] == "pass"
    assert [path for method, path, _ in http_server.requests if method == "GET"].count("/en/article") == 1
