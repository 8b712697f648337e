"""Content that cannot be read gets a verdict of its own, never a pass; one failing extractor never
drops the others. Each case is served for real from 127.0.0.1 and verified by the real command."""

from __future__ import annotations

import gzip
import io
import random

import pytest
from pypdf import PdfWriter

from crawler.extract.extraction import extract
from crawler.extract.pdf import extract_pdf
from tests.conftest import FAST, write_citations
from tests.support.pdfgen import make_pdf
from tests.support.server import ARTICLE_HTML, Response

HTML = {"Content-Type": "text/html; charset=utf-8"}
PDF = {"Content-Type": "application/pdf"}
CAP = 1_000_000  # DOWNLOAD_MAXSIZE for these runs


def _noise(size: int, seed: int, low: int = 0) -> bytes:
    return random.Random(seed).randbytes(size) if not low else bytes(
        b for b in random.Random(seed).randbytes(size * 2) if b >= low)[:size]


def _encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(["Annual report", "Page two", "Page three"])))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _deep_jsonld(depth: int = 200_000) -> bytes:
    """ARTICLE_HTML (dated by JSON-LD, <time> and meta) with a second JSON-LD block nested past any
    parser's depth, before the good one."""
    bomb = '<script type="application/ld+json">' + "[" * depth + "]" * depth + "</script>"
    return ARTICLE_HTML.replace("<head>", "<head>" + bomb, 1).encode()


def test_a_json_ld_block_nested_past_the_parser_costs_only_itself():
    plain = extract(ARTICLE_HTML.encode(), "https://news.example/a", {"content-type": "text/html"})
    deep = extract(_deep_jsonld(), "https://news.example/a", {"content-type": "text/html"})
    assert deep.kind == "html" and deep.text == plain.text and deep.title == plain.title
    assert deep.dates.published.day == plain.dates.published.day  # told by <time> and meta instead
    assert deep.dates.published.source != "json-ld" and plain.dates.published.source == "json-ld"
    assert [p.split(":")[0] for p in deep.unread] == ["JSON-LD"] and "RecursionError" in deep.unread[0]


def test_a_pdf_page_that_breaks_the_reader_is_named_and_the_others_kept(monkeypatch):
    from pypdf import PageObject

    real = PageObject.extract_text

    def fails_on_two(page, *args, **kwargs):
        text = real(page, *args, **kwargs)
        if "Page two" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return text

    monkeypatch.setattr(PageObject, "extract_text", fails_on_two)
    pdf = extract_pdf(make_pdf(["Annual report", "Page two", "Page three"]))
    assert pdf.kind == "pdf" and pdf.page_count == 3 and "Page three" in pdf.page_texts[2] and pdf.page_texts[1] == ""
    assert pdf.problems == ("PDF page 2: RecursionError: maximum recursion depth exceeded",)


@pytest.mark.parametrize("body, why", [
    (make_pdf(["Annual report", "Page two", "Page three"])[:400], "the PDF cannot be read (damaged or cut short)"),
    (b"%PDF-1.7\n" + _noise(20_000, 3), "the PDF cannot be read"),
    (_encrypted("reader-secret"), "the PDF is locked with a password"),
])
def test_an_unopenable_pdf_is_unreadable_saying_why(body, why):
    extracted = extract_pdf(body)
    assert extracted.kind == "unreadable" and extracted.page_texts is None
    assert extracted.problems[0].startswith(why)


def test_a_pdf_that_only_restricts_printing_opens_as_in_any_viewer():
    extracted = extract_pdf(_encrypted(""))
    assert extracted.kind == "pdf" and extracted.page_count == 3 and "Page three" in extracted.text


def test_binary_bytes_served_as_html_are_unreadable_and_real_pages_are_not():
    noise = _noise(200_000, 7, low=1)  # not even a NUL byte
    assert extract(noise, "https://x.example/", {"content-type": "text/html"}).kind == "unreadable"
    for page in (ARTICLE_HTML.encode(), ARTICLE_HTML.encode("utf-16"), "<p>Привет, мир</p>".encode("cp1251")):
        assert extract(page, "https://x.example/", {"content-type": "text/html"}).kind == "html"


def test_unreadable_content_never_passes(http_server, cli_env):
    big = ARTICLE_HTML.replace("</body>", "<p>" + "ferry timetable " * 100_000 + "</p></body>").encode()
    routes = {
        "/cut.pdf": Response(200, PDF, make_pdf(["Annual report", "Page two", "Page three"])[:400]),
        "/locked.pdf": Response(200, PDF, _encrypted("reader-secret")),
        "/noise.html": Response(200, HTML, _noise(900_000, 1)),
        "/big.html": Response(200, HTML, big),
        "/streamed.html": Response(200, HTML, big, length=False),
        "/bomb.html": Response(200, {**HTML, "Content-Encoding": "gzip"}, gzip.compress(b" " * 50_000_000)),
        "/deep.html": Response(200, HTML, _deep_jsonld()),
    }
    for path, response in routes.items():
        http_server.route(path, response)
    sources = {path.strip("/").replace(".", "-"): {"url": http_server.url(path), "title": "River ferries return",
                                                   "claimed_updated": "2025-06-01"} for path in routes}
    footnotes = {str(n): [{"source": sid, **({"pages": "3"} if sid.endswith("pdf") else {})}]
                 for n, sid in enumerate(sources, 1)}
    write_citations(cli_env.dir / "citations.yaml", sources, footnotes)
    run = cli_env.verify("--allow-private", *FAST, "-s", f"DOWNLOAD_MAXSIZE={CAP}", "-s", "DOWNLOAD_WARNSIZE=0")
    results = run.by_source()
    links = {sid: results[sid]["link"] for sid in sources}
    assert links == {"cut-pdf": "unreadable", "locked-pdf": "unreadable", "noise-html": "unreadable",
                     "big-html": "too_large", "streamed-html": "too_large", "bomb-html": "too_large",
                     "deep-html": "ok"}
    assert all(results[sid]["overall"] != "pass" for sid in sources)
    assert "locked with a password" in results["locked-pdf"]["link_detail"]
    assert "more than the download max size (1000000), before the body ended" in results["streamed-html"]["link_detail"]
    assert results["deep-html"]["date"]["verdict"] == "mismatch"  # the good JSON-LD and <time> still decided
    assert results["deep-html"]["unread"][0].startswith("JSON-LD: RecursionError")
    assert run.code == 1  # the mismatch fails; the unreadable ones warn
    assert {results[sid]["overall"] for sid in sources if sid != "deep-html"} == {"warn"}
