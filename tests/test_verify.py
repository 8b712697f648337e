"""Verdicts for one reference, from constructed fetches and extracted pages."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest

from crawler.checks.verify import check_pages, check_reference, check_title, title_similarity
from crawler.extract.extraction import extract
from crawler.models import ClaimedDate, DateCandidate, Extracted, Fetch, Hop, PageDates, Reference, Source
from tests.support.pdfgen import make_pdf

TZ = dt.timezone(dt.timedelta(hours=5))


def _source(claim: ClaimedDate | None = None, url: str | None = "https://example.org/a", title="Extradition as a Gift"):
    return Source(id="src", url=url, title=title, publisher="P", claimed_updated=claim, line=3)


def _page(published=None, modified=None, title="Extradition as a Gift: Kazakhstan's Mark", text="body " * 400):
    cands = []
    if published:
        cands.append(DateCandidate("published", "meta", "article:published_time", published.isoformat(), published, 0.9))
    if modified:
        cands.append(DateCandidate("modified", "meta", "article:modified_time", modified.isoformat(), modified, 0.9))
    dates = PageDates(published=cands[0] if published else None, modified=cands[-1] if modified else None,
                      candidates=tuple(cands))
    return Extracted(kind="html", title=title, text=text, dates=dates)


OK = Fetch(url="https://example.org/a", final_url="https://example.org/a", status=200,
           hops=[Hop("https://example.org/a", 200)])
CLAIM = ClaimedDate("26.02.2026", dt.date(2026, 2, 26))
REF = Reference(footnote="8", source="src", line=40)


def test_matching_claim_passes():
    page = _page(published=dt.datetime(2026, 2, 26, 10, 3, tzinfo=TZ))
    result = check_reference(REF, _source(CLAIM), OK, page)
    assert (result["overall"], result["date"]["verdict"], result["date"]["matched"]) == ("pass", "match", "published")
    assert result["line"] == 40 and result["link"] == "ok"


def test_local_day_not_utc_day_decides():
    # 2026-02-26 02:00 at +05:00 is still the 25th in UTC; readers of the page see the 26th
    page = _page(published=dt.datetime(2026, 2, 26, 2, 0, tzinfo=TZ))
    assert check_reference(REF, _source(CLAIM), OK, page)["date"]["verdict"] == "match"


def test_wrong_claim_fails_with_the_difference():
    page = _page(published=dt.datetime(2026, 2, 20, 9, 0, tzinfo=TZ))
    result = check_reference(REF, _source(CLAIM), OK, page)
    assert result["overall"] == "fail"
    assert result["date"]["difference_days"] == 6
    assert any(r.startswith("date: claimed 2026-02-26") for r in result["reasons"])


def test_modified_after_claim_warns():
    page = _page(published=dt.datetime(2026, 2, 26, 9, tzinfo=TZ), modified=dt.datetime(2026, 3, 2, 9, tzinfo=TZ))
    result = check_reference(REF, _source(CLAIM), OK, page)
    assert result["overall"] == "warn" and result["date"]["updated_since_claim"] is True


def test_unknown_claim_suggests_the_page_date():
    page = _page(published=dt.datetime(2026, 2, 26, 9, tzinfo=TZ))
    result = check_reference(REF, _source(ClaimedDate("unbekannt", unknown=True)), OK, page)
    assert (result["overall"], result["date"]["verdict"], result["date"]["suggested"]) == ("warn", "claim_unknown", "2026-02-26")


def test_dead_link_fails_and_skips_page_checks():
    dead = Fetch(url="https://example.org/a", final_url="https://example.org/a", status=404,
                 hops=[Hop("https://example.org/a", 404)])
    result = check_reference(REF, _source(CLAIM), dead, _page(published=dt.datetime(2026, 1, 1, tzinfo=TZ)))
    assert result["overall"] == "fail" and result["link"] == "not_found"
    assert result["date"]["verdict"] == "not_checked" and result["date"]["claimed"] == "2026-02-26"
    assert result["title"]["verdict"] == "not_checked"


def test_lost_link_is_no_url():
    fetch = Fetch(url="", error="no_url", error_detail="the citation has no URL")
    result = check_reference(REF, _source(CLAIM, url=None), fetch, None)
    assert (result["link"], result["overall"], result["url"]) == ("no_url", "fail", None)


def test_bot_wall_warns_never_fails():
    wall = Fetch(url="https://example.org/a", final_url="https://example.org/a", status=403,
                 headers={"cf-mitigated": "challenge", "server": "cloudflare"}, hops=[Hop("https://example.org/a", 403)])
    result = check_reference(REF, _source(CLAIM), wall, _page(title="Just a moment..."))
    assert (result["link"], result["overall"]) == ("blocked", "warn")


@pytest.mark.parametrize("cited, page, verdict", [
    ("Nations in Transit 2024 – Kirgizstan", "Kyrgyzstan: Nations in Transit 2024 Country Report", "match"),
    ("Extradition as a Gift", "Extradition as a Gift: Kazakhstan's Mark of the War's Fifth Year | KIBHR", "match"),
    ("Central Asia: The Last Stronghold of a Declining Russia?", "Central Asia: The Last Stronghold of a Declining Russia?", "match"),
    ("In 2026, Kazakhstan literally turned into a dangerous country", "В 2026 году Казахстан буквально за месяц", "differs"),
    ("Russische Deserteure in Kasachstan", "Wetter in Berlin: Sonne am Wochenende", "differs"),
    ("Kazakhstan: Freedom in the World 2023 Country Report", "Kazakhstan: Freedom in the World 2022 Country Report",
     "differs"),  # another year's edition
    ("World Report 2023: Kazakhstan", "World Report: Kazakhstan | Human Rights Watch", "match"),  # no year to differ
    ("Annual Report 2022/23", "Annual Report 2022-2023", "match"),
])
def test_title_verdicts(cited, page, verdict):
    result = check_reference(REF, _source(None, title=cited), OK, _page(title=page))
    assert result["title"]["verdict"] == verdict, title_similarity(cited, page)


def test_title_similarity_is_the_same_whichever_order_the_page_title_parts_come_in():
    """An exact part scores 1.0 and a containing one 0.9, not whatever an earlier part's diff scored."""
    assert title_similarity("Extradition as a Gift", "KIBHR | Extradition as a Gift") == 1.0
    assert title_similarity("Freedom Houses", "Freedom Housez | Freedom Houses and more") == 0.9
    assert title_similarity("Freedom Houses", "Freedom Houses and more | Freedom Housez") == 0.9
    assert title_similarity("Any cited title", "–") == 0.0  # a title of punctuation alone has nothing to compare


def _pdf(pages: int) -> Extracted:
    body = make_pdf([f"Report page {n}\nFreedom and autocracy, page {n}." for n in range(1, pages + 1)],
                    title="Nations in Transit 2024", creation_date="D:20240410090000+02'00'")
    return extract(body, "https://example.org/r.pdf", {"content-type": "application/pdf"})


@pytest.mark.parametrize("spec, verdict", [("3-25", "ok"), ("5 ff.", "ok"), ("29", "ok"), ("26-30", "out_of_range"), ("31", "out_of_range")])
def test_pdf_page_references(spec, verdict):
    assert check_pages(spec, _pdf(29)) == {"cited": spec, "page_count": 29, "verdict": verdict}


def test_pages_on_html_are_not_checked_and_absent_pages_not_applicable():
    assert check_pages("3-25", _page())["verdict"] == "not_checked"
    assert check_pages(None, _pdf(3))["verdict"] == "not_applicable"


def test_pdf_reference_checks_pages_dates_and_passage():
    ref = Reference(footnote="3", source="src", pages="10", passage="Freedom and autocracy, page 10", line=12)
    claim = ClaimedDate("10.04.2024", dt.date(2024, 4, 10))
    result = check_reference(ref, _source(claim, title="Nations in Transit 2024"), OK, _pdf(29))
    assert result["pages"]["verdict"] == "ok"
    assert result["date"]["verdict"] == "match"
    assert result["passage"] == {"cited": ref.passage, "verdict": "found", "found_on": 10}
    moved = Reference(footnote="3", source="src", pages="11", passage="Freedom and autocracy, page 10", line=12)
    assert check_reference(moved, _source(claim, title="Nations in Transit 2024"), OK, _pdf(29))["overall"] == "fail"


def test_pdf_dates_come_from_metadata_xmp_and_the_title_page():
    body = make_pdf(["Annual Review\nPublished 12 March 2025\n", "Contents"], title="Annual Review",
                    creation_date="D:20250311230000-05'00'", mod_date="D:20250314100000+01'00'", xmp=True)
    page = extract(body, "https://example.org/r.pdf", {"content-type": "application/octet-stream"})
    assert page.kind == "pdf" and page.title == "Annual Review"
    sources = {(c.source, c.where.split()[0]) for c in page.dates.candidates}
    assert ("pdf", "info") in sources and ("pdf", "XMP") in sources and ("pdf", "page") in sources
    text_date = [c for c in page.dates.candidates if c.where == "page 1 text"][0]
    assert text_date.day == dt.date(2025, 3, 12) and text_date.raw == "Published 12 March 2025"
    # the creation date keeps its own offset: the 11th in New York, though the 12th in UTC
    assert page.dates.published.day == dt.date(2025, 3, 11)
    assert page.dates.modified.day == dt.date(2025, 3, 14)


@pytest.mark.parametrize("ctype", ["text/html", "text/plain", "application/pdf", ""])
def test_an_empty_body_is_an_empty_page_not_an_error(caplog, ctype):
    """Error pages and host probes often come with no body at all."""
    for body in (b"", b" \r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n"):
        extracted = extract(body, "http://127.0.0.1/missing", {"content-type": ctype})
        assert (extracted.kind, extracted.title, extracted.text) == ("empty", None, ""), body
    assert [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")] == []


@pytest.mark.parametrize("status", [200, 304])
def test_a_live_link_to_an_empty_page_warns_as_a_server_error(status):
    """Nothing to cite, though it may be a passing fault: a warning, and a failure only if it lasts."""
    url = "https://example.org/a"
    fetch = Fetch(url=url, final_url=url, status=status, hops=[Hop(url, status)], headers={"content-type": "text/html"})
    result = check_reference(REF, _source(CLAIM), fetch, extract(b"", url, fetch.headers))
    assert (result["link"], result["overall"], result["date"]["verdict"]) == ("server_error", "warn", "not_checked")


def test_a_plain_text_body_is_read_as_text_in_its_charset(caplog):
    body = "Страница обновлена: текст доклада.\n".encode("koi8-r")
    extracted = extract(body, "http://127.0.0.1/doc.txt", {"content-type": "text/plain; charset=koi8-r"})
    assert (extracted.kind, extracted.text) == ("text", "Страница обновлена: текст доклада.")
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []


def test_a_binary_body_labelled_plain_text_is_no_text():
    """A gzip file served as text/plain: its bytes read as text would be noise, and a cited passage
    'not found' in it would fail a live page; it is checked as any other file, with no text."""
    url = "https://example.org/report.txt"
    body = gzip.compress("The cited passage stands in the report.".encode(), mtime=0)
    page = extract(body, url, {"content-type": "text/plain"})
    assert (page.kind, page.text) == ("other", "")
    assert extract("Отчёт".encode("utf-16"), url, {"content-type": "text/plain"}).text == "Отчёт"  # its BOM
    assert extract("Report".encode("utf-16-le"), url, {"content-type": "text/plain; charset=utf-16le"}).text == "Report"
    ref = Reference(footnote="4", source="src", passage="The cited passage stands in the report", line=9)
    fetch = Fetch(url=url, final_url=url, status=200, hops=[Hop(url, 200)], headers={"content-type": "text/plain"})
    result = check_reference(ref, _source(None), fetch, page)
    assert (result["link"], result["passage"]["verdict"], result["overall"]) == ("ok", "not_checked", "pass")


def test_a_plain_text_200_that_says_not_found_is_a_soft_404():
    """The HTML parser finds no tree in plain text: read as HTML, the page said nothing and passed."""
    url = "https://example.org/a"
    page = extract(b"Page not found\n", url, {"content-type": "text/plain"})
    fetch = Fetch(url=url, final_url=url, status=200, body=b"Page not found\n", hops=[Hop(url, 200)],
                  headers={"content-type": "text/plain"})
    assert check_reference(REF, _source(), fetch, page)["link"] == "soft_404"


@pytest.mark.parametrize("start", [b"", b"\xef\xbb\xbf", b"<!-- cached 12:00 -->\n", b'<?xml version="1.0"?>\n'],
                         ids=["doctype", "bom", "comment", "xml declaration"])
def test_html_served_as_plain_text_is_still_parsed_as_html(start):
    body = start + b"<!DOCTYPE html><html><head><title>River Ferries</title></head><body><p>Eleven.</p></body></html>"
    extracted = extract(body, "https://example.org/a", {"content-type": "text/plain"})
    assert (extracted.kind, extracted.title) == ("html", "River Ferries")


@pytest.mark.parametrize("date", ["D:20240231", "D:00000000", "D:20240101120000+25'00'"])
def test_an_impossible_pdf_date_is_no_date_not_a_crash(date):
    page = extract(make_pdf(["Annual Review"], creation_date=date), "https://example.org/r.pdf",
                   {"content-type": "application/pdf"})
    assert page.kind == "pdf" and page.page_count == 1 and page.dates.published is None


def test_a_document_that_breaks_extraction_is_kept_and_logged(monkeypatch, caplog):
    """The crawl's item would otherwise be dropped: the URL 'never reached', the run exit 3, every night."""
    import crawler.extract.extraction
    from crawler.crawl import pipelines

    def broken(body, url, headers):
        raise ValueError("day is out of range for month")

    monkeypatch.setattr(crawler.extract.extraction, "extract", broken)
    extracted = pipelines.extract(b"%PDF-1.7", "https://example.org/r.pdf", {"content-type": "application/pdf"})
    assert extracted == Extracted(kind="unreadable", problems=("extraction failed: ValueError: day is out of range for month",))
    assert "extraction failed for https://example.org/r.pdf" in caplog.text and "day is out of range" in caplog.text


def test_an_error_page_whose_title_has_a_dot_is_a_soft_404():
    """trafilatura skips a <title> with a dot for the first h2: the "not found" was never read."""
    url = "https://example.org/a"
    body = ("<html><head><title>Ошибка 404. Страница не найдена</title></head><body><h2>Попробуйте поиск</h2>"
            "<ul><li><a href='/news'>Новости</a></li><li><a href='/about'>О нас</a></li></ul></body></html>").encode()
    page = extract(body, url, {"content-type": "text/html; charset=utf-8"})
    fetch = Fetch(url=url, final_url=url, status=200, body=body, hops=[Hop(url, 200)],
                  headers={"content-type": "text/html; charset=utf-8"})
    assert check_reference(REF, _source(), fetch, page)["link"] == "soft_404"


@pytest.mark.parametrize("html", [
    "<html><head><title>U.S. sanctions Kazakh bank | Meduza</title></head><body><h1>Meduza</h1>"
    "<h1>U.S. sanctions Kazakh bank</h1>{body}</body></html>",
    "<html><head><title>Court frees activist in Almaty | Meduza</title></head><body>"
    "<h1 class=logo><a href='/'>Meduza</a></h1><h2>Court frees activist</h2>{body}</body></html>",
], ids=["dot-in-title", "logo-h1"])
def test_the_title_check_reads_every_title_the_page_states(html):
    body = "<p>" + "Some article text about the subject at hand. " * 10 + "</p>"
    page = extract(html.format(body=body).encode(), "https://example.org/a", {"content-type": "text/html"})
    cited = "U.S. sanctions Kazakh bank" if "U.S." in html else "Court frees activist in Almaty"
    assert page.title == "Meduza"  # trafilatura's pick
    assert check_title(cited, page)["verdict"] == "match"


APP_SHELL = (b"<!doctype html><html><head><title>Office of the Prime Minister</title></head><body><noscript>"
             b"You need to enable JavaScript to run this app.</noscript><div id='root'></div><p>Loading the"
             b" portal, please wait.</p><script src='/static/js/main.js'></script></body></html>")
ERROR_TEMPLATE = (b"<html><head><title>Hafenblatt</title></head><body><p>Hoppla! Hier ist leider nichts."
                  b" Zur\xc3\xbcck zur Startseite?</p></body></html>")


@pytest.mark.parametrize("body,link", [(APP_SHELL, "ok"), (ERROR_TEMPLATE, "soft_404")], ids=["app shell", "template"])
def test_a_page_the_same_as_the_probe_is_a_soft_404_unless_it_is_an_app_shell(body, link):
    """A JavaScript app serves one shell for every path: that its probe looks the same proves nothing."""
    url, probe = "https://pm.example/ru/news/decree", "https://pm.example/citecheck-probe-0123456789abcdef"
    headers = {"content-type": "text/html; charset=utf-8"}
    fetches = [Fetch(url=u, final_url=u, status=200, body=body, hops=[Hop(u, 200)], headers=headers) for u in (url, probe)]
    page, probe_page = (extract(body, u, headers) for u in (url, probe))
    result = check_reference(REF, _source(url=url), fetches[0], page, probe=(fetches[1], probe_page))
    assert result["link"] == link


def _pdf_reference(pages: list[str], passage: str, spec: str | None) -> dict:
    page = extract(make_pdf(pages), "https://example.org/r.pdf", {"content-type": "application/pdf"})
    reference = Reference(footnote="9", source="src", line=41, pages=spec, passage=passage)
    return check_reference(reference, _source(url="https://example.org/r.pdf"), OK, page)["passage"]


@pytest.mark.parametrize("pages,passage,spec,verdict", [
    (["", "", ""], "the detention was lawful", "S. 2", "not_checked"),  # scanned: no text layer
    (["Intro", "The court held that the detention\n", "was lawful under the treaty.", "End"],
     "the detention was lawful", "S. 2f.", "found"),  # over the page break
    (["Intro", "a matter for the govern-\nment alone, said the court.", "End"], "the government alone", "S. 2", "found"),
    (["Intro", "Nothing here.", "the detention was lawful", "End"], "the detention was lawful", "S. 2", "not_found"),
], ids=["scanned", "page break", "hyphenated", "only on an uncited page"])
def test_a_cited_passage_is_read_as_a_reader_reads_the_pages(pages, passage, spec, verdict):
    assert _pdf_reference(pages, passage, spec)["verdict"] == verdict


@pytest.mark.parametrize("charset", ["windows-1252", "iso-8859-1"])
def test_a_charset_named_only_in_the_http_header_decides(charset):
    html = "<html><head><title>Le ministère répond</title></head><body><p>Le ministère a répondu.</p></body></html>"
    page = extract(html.encode(charset), "https://example.org/a", {"content-type": f"text/html; charset={charset}"})
    assert page.title == "Le ministère répond" and "Le ministère a répondu." in page.text


def test_an_offprint_is_cited_by_its_printed_page_numbers():
    """Pages 240-245 of a journal, in a 6-page PDF that labels its pages so."""
    pages = ["Title page", "Intro", "The court held that the detention was lawful.", "More", "More", "End"]
    page = extract(make_pdf(pages, first_page_number=240), "https://example.org/r.pdf",
                   {"content-type": "application/pdf"})
    assert page.page_labels == ("240", "241", "242", "243", "244", "245")
    reference = Reference(footnote="9", source="src", line=41, pages="S. 240-245", passage="the detention was lawful")
    result = check_reference(reference, _source(url="https://example.org/r.pdf"), OK, page)
    assert (result["pages"]["verdict"], result["passage"]["found_on"]) == ("ok", 242)
    beyond = check_reference(Reference(footnote="9", source="src", pages="S. 3"), _source(), OK, page)
    assert beyond["pages"]["verdict"] == "out_of_range"  # page 3 is not one of this offprint's
