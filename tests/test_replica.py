"""The demo's offline web (demo/replica.warc.gz) and the PDF generator it uses.

`make demo` replays this WARC instead of the network, so a stale or malformed
record would make the demo report something the fixtures do not say.
"""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import scrapy
import yaml
from protego import Protego
from pypdf import PdfReader
from warcio.archiveiterator import ArchiveIterator

from tests.support.pdfgen import make_pdf, pdf_date_to_iso

ROOT = Path(__file__).resolve().parent.parent
WARC = ROOT / "demo" / "replica.warc.gz"
PAGES = ROOT / "demo" / "pages"
UA = "citecheck/0.1.0"

# The URLs established for the seed document's sources (known-urls.md).
SEED_URLS = [
    "https://bti-project.org/en/reports/eastern-europe-caucasus-and-central-asia",
    "https://freedomhouse.org/report/nations-transit/2024/region-reordered-autocracy-and-democracy",
    "https://www.v-dem.net/documents/54/v-dem_dr_2025_lowres_v1.pdf",
    "https://freedomhouse.org/country/kyrgyzstan/nations-transit/2024",
    "https://freedomhouse.org/country/georgia/nations-transit/2024",
    "https://freedomhouse.org/country/ukraine/nations-transit/2024",
    "https://aspeniaonline.it/?p=57314",
    "https://www.e-ir.info/2024/08/19/central-asia-the-last-stronghold-of-a-declining-russia/",
    "https://e-ir.info/?p=105854",
    "https://taz.de/Russische-Deserteure-in-Kasachstan/!6155637/",
    "https://meduza.io/feature/2026/02/19/v-2026-godu-kazahstan-bukvalno-za-mesyats-prevratilsya-v-opasnuyu-stranu-dlya-antivoennyh-rossiyan-dazhe-teh-kto-ne-zhivet-tam-postoyanno",
    "https://bureau.kz/?p=63141",
    "https://www.svoboda.org/a/v-rossii-ego-zhdet-myasorubka-bezhentsy-iz-rf-v-kazahstane/33664068.html",
]

# Where each final page states its title and dates: what citations.yaml relies on.
PAGE_FACTS = {
    "https://meduza.io/feature/2026/02/19/v-2026-godu-kazahstan-bukvalno-za-mesyats-prevratilsya-v-opasnuyu-stranu-dlya-antivoennyh-rossiyan-dazhe-teh-kto-ne-zhivet-tam-postoyanno": [
        '<time class="Timestamp-module_root__aB3xY" data-testid="timestamp">19 февраля 2026, 14:05</time>',
        '<meta property="og:title" content="В 2026 году Казахстан буквально за месяц',
    ],
    "https://www.svoboda.org/a/v-rossii-ego-zhdet-myasorubka-bezhentsy-iz-rf-v-kazahstane/33664068.html": [
        '<body class="pg-article ',
        '"datePublished":"2026-01-29 08:14:58Z","dateModified":"2026-01-29 11:40:02Z"',
    ],
    "https://bureau.kz/novosti/extradition-as-a-gift/": [
        '<meta property="article:published_time" content="2026-02-26T10:03:11+05:00" />',
        '<meta property="article:modified_time" content="2026-02-26T16:47:30+05:00" />',
        'class="yoast-schema-graph">{"@context":"https://schema.org","@graph":',
        "<title>Extradition as a Gift: Kazakhstan&#039;s Mark of the War&#039;s Fifth Year - ",
    ],
    "https://www.e-ir.info/2024/08/19/central-asia-the-last-stronghold-of-a-declining-russia/": [
        '<meta property="article:published_time" content="2024-08-19T09:30:12+01:00" />',
        '<meta property="article:modified_time" content="2024-08-22T10:48:55+01:00" />',
        "<title>Central Asia: The Last Stronghold of a Declining Russia?</title>",
    ],
    "https://aspeniaonline.it/how-the-war-in-ukraine-reshaped-russias-ties-with-the-former-soviet-space-and-beyond/": [
        '<meta property="article:published_time" content="2026-02-23T09:00:00+01:00" />',
        '<meta property="og:locale" content="it_IT" />',
    ],
    "https://taz.de/Russische-Deserteure-in-Kasachstan/!6155637/": [
        '"datePublished":"2026-02-18T17:45:00+01:00"',
        '<meta name="taz:title" content="Russische Deserteure in Kasachstan: Ausgeliefert wegen „Rauchens einer Wasserpfeife“">',
    ],
    "https://freedomhouse.org/report/nations-transit/2024/region-reordered-autocracy-and-democracy": [
        "<title>Nations in Transit 2024: A Region Reordered by Autocracy and Democracy | Freedom House</title>",
    ],
    "https://freedomhouse.org/country/kyrgyzstan/nations-transit/2024": [
        "<title>Kyrgyzstan: Nations in Transit 2024 Country Report | Freedom House</title>",
    ],
    "https://bti-project.org/en/reports/eastern-europe-caucasus-and-central-asia": [
        '<meta property="og:title" content="Regional Report Eastern Europe, the Caucasus and Central Asia">',
    ],
}
UNDATED = [  # pages that must not carry a machine-readable date
    "https://freedomhouse.org/report/nations-transit/2024/region-reordered-autocracy-and-democracy",
    "https://freedomhouse.org/country/kyrgyzstan/nations-transit/2024",
    "https://freedomhouse.org/country/georgia/nations-transit/2024",
    "https://freedomhouse.org/country/ukraine/nations-transit/2024",
    "https://bti-project.org/en/reports/eastern-europe-caucasus-and-central-asia",
    "https://meduza.io/feature/2026/02/19/v-2026-godu-kazahstan-bukvalno-za-mesyats-prevratilsya-v-opasnuyu-stranu-dlya-antivoennyh-rossiyan-dazhe-teh-kto-ne-zhivet-tam-postoyanno",
]


def _read(path: Path) -> list:
    """Every record as plain data; bodies decoded from their content coding."""
    records = []
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh, check_digests="raise"):
            raw = rec.raw_stream.read()
            http = rec.http_headers
            headers = http.headers if http is not None else []
            encoding = http.get_header("Content-Encoding") if http is not None else None
            records.append(
                {
                    "type": rec.rec_type,
                    "warc": dict(rec.rec_headers.headers),
                    "status": http.get_statuscode() if http is not None and rec.rec_type == "response" else None,
                    "statusline": http.statusline if http is not None else None,
                    "headers": headers,
                    "raw": raw,
                    "body": gzip.decompress(raw) if encoding == "gzip" else raw,
                }
            )
    return records


@pytest.fixture(scope="module")
def records():
    return _read(WARC)


@pytest.fixture(scope="module")
def responses(records):
    return {r["warc"]["WARC-Target-URI"]: r for r in records if r["type"] == "response"}


@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location("build_replica", ROOT / "demo" / "build_replica.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_replica", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _comparable(rec: dict) -> tuple:
    """A record minus what depends on the zlib build (compressed sizes, digests)."""
    warc = {k: v for k, v in rec["warc"].items() if k not in ("WARC-Payload-Digest", "WARC-Block-Digest", "Content-Length")}
    headers = [(k, v) for k, v in rec["headers"] if k != "Content-Length" or not _is_gzip(rec)]
    return rec["type"], warc, rec["statusline"], headers, rec["body"]


def _is_gzip(rec: dict) -> bool:
    return ("Content-Encoding", "gzip") in rec["headers"]


# -- the shipped WARC is what the builder makes --------------------------------


def test_shipped_warc_is_up_to_date(builder, records, tmp_path):
    rebuilt = tmp_path / "replica.warc.gz"
    builder.build(PAGES, rebuilt)
    assert [_comparable(r) for r in _read(rebuilt)] == [_comparable(r) for r in records]


def test_rebuild_is_byte_identical(builder, tmp_path):
    a, b = tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"
    builder.build(PAGES, a)
    builder.build(PAGES, b)
    assert a.read_bytes() == b.read_bytes()


# -- structure the replay reader depends on ------------------------------------


def test_warcinfo_first_then_one_pair_per_manifest_entry(builder, records):
    fetches = builder.load_manifest(PAGES)["fetches"]
    assert records[0]["type"] == "warcinfo"
    assert b"software: citecheck demo replica builder\r\n" in records[0]["raw"]
    assert b"all prose is invented" in records[0]["raw"]
    assert [r["type"] for r in records[1:]] == ["response", "request"] * len(fetches)
    assert [r["warc"]["WARC-Target-URI"] for r in records[1::2]] == [f["url"] for f in fetches]


def test_every_response_has_its_request(records):
    ids = {r["warc"]["WARC-Record-ID"]: r for r in records if r["type"] == "response"}
    requests = [r for r in records if r["type"] == "request"]
    linked = [r["warc"]["WARC-Concurrent-To"] for r in requests]
    assert sorted(linked) == sorted(ids)
    for req in requests:
        resp = ids[req["warc"]["WARC-Concurrent-To"]]
        url = req["warc"]["WARC-Target-URI"]
        assert url == resp["warc"]["WARC-Target-URI"]
        assert req["warc"]["WARC-Date"] == resp["warc"]["WARC-Date"]
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        assert req["statusline"] == f"{target} HTTP/1.1"
        assert ("Host", parts.netloc) in req["headers"]


def test_record_ids_unique_and_dates_in_crawl_window(records):
    ids = [r["warc"]["WARC-Record-ID"] for r in records]
    assert len(set(ids)) == len(ids)
    assert all("2026-02-01" <= r["warc"]["WARC-Date"] < "2026-04-01" for r in records)


def test_urls_are_in_scrapy_canonical_form(responses):
    for url in responses:
        assert scrapy.Request(url).url == url


def test_content_length_is_wire_length(responses):
    for url, rec in responses.items():
        assert dict(rec["headers"])["Content-Length"] == str(len(rec["raw"])), url


def test_some_bodies_travel_gzip_encoded(responses):
    gzipped = [u for u, r in responses.items() if _is_gzip(r)]
    assert "https://taz.de/Russische-Deserteure-in-Kasachstan/!6155637/" in gzipped
    for url in gzipped:
        rec = responses[url]
        assert rec["raw"][:2] == b"\x1f\x8b"
        assert rec["body"].lstrip().lower().startswith(b"<!doctype html>"), url


def test_every_seed_url_resolves_to_a_200(responses):
    for url in SEED_URLS:
        final, hops = url, 0
        while responses[final]["status"] in ("301", "302", "303", "307", "308"):
            final = urljoin(final, dict(responses[final]["headers"])["Location"])
            hops += 1
            assert hops <= 3, url
        assert responses[final]["status"] == "200", url


def test_redirect_targets_are_in_the_warc(responses):
    redirects = {u: r for u, r in responses.items() if r["status"].startswith("3")}
    assert set(redirects) >= {"https://bureau.kz/?p=63141", "https://aspeniaonline.it/?p=57314"}
    for url, rec in redirects.items():
        assert urljoin(url, dict(rec["headers"])["Location"]) in responses, url


def test_robots_txt_allows_every_cited_page(responses):
    robots = {}
    for url, rec in responses.items():
        if url.endswith("/robots.txt") and rec["status"] == "200":
            robots[urlsplit(url).netloc] = Protego.parse(rec["body"].decode("utf-8"))
    for url in responses:
        host = urlsplit(url).netloc
        robots_url = f"https://{host}/robots.txt"
        assert robots_url in responses, url
        if url.endswith("/robots.txt") or host not in robots:
            continue  # a host whose robots.txt redirects (checked by the redirect test)
        assert robots[host].can_fetch(url, UA), url


# -- what the pages say ---------------------------------------------------------


@pytest.mark.parametrize("url", sorted(PAGE_FACTS))
def test_page_states_its_title_and_dates_where_the_site_does(responses, url):
    html = responses[url]["body"].decode("utf-8")
    for fact in PAGE_FACTS[url]:
        assert fact in html


@pytest.mark.parametrize("url", UNDATED)
def test_undated_pages_carry_no_machine_readable_date(responses, url):
    html = responses[url]["body"].decode("utf-8")
    for marker in ("datePublished", "dateModified", "published_time", "modified_time", "datetime="):
        assert marker not in html


def test_html_pages_declare_utf8_and_parse_as_json_ld(responses):
    for url, rec in responses.items():
        if not dict(rec["headers"]).get("Content-Type", "").startswith("text/html") or rec["status"] != "200":
            continue
        html = rec["body"].decode("utf-8")
        assert re.search(r'<meta charset="?utf-8"?', html, re.IGNORECASE), url
        for block in html.split('<script type="application/ld+json"')[1:]:
            payload = block.split(">", 1)[1].split("</script>", 1)[0]
            json.loads(payload)


def test_vdem_pdf_matches_its_recipe(responses):
    rec = responses["https://www.v-dem.net/documents/54/v-dem_dr_2025_lowres_v1.pdf"]
    recipe = yaml.safe_load((PAGES / "www.v-dem.net" / "v-dem_dr_2025_lowres_v1.pdf.yaml").read_text("utf-8"))
    assert dict(rec["headers"])["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(rec["body"]))
    assert len(reader.pages) == recipe["page_count"] == 72
    assert reader.metadata.title == "Democracy Report 2025: 25 Years of Autocratization – Democracy Trumped?"
    assert reader.metadata["/CreationDate"] == "D:20250313101500+01'00'"
    assert reader.metadata["/ModDate"] == "D:20250313113205+01'00'"
    first = reader.pages[0].extract_text()
    assert "Democracy Report 2025: 25 Years of Autocratization – Democracy Trumped?" in first
    assert "March 2025" in first
    for n in (3, 63, 72):
        lines = reader.pages[n - 1].extract_text().split("\n")
        assert lines[0] == "V-Dem Democracy Report 2025" and lines[-1] == str(n)


# -- tests/support/pdfgen -------------------------------------------------------


def test_make_pdf_round_trips_pages_text_and_metadata():
    pages = ["Title (draft) \\ one\nsecond line", "Seite zwei – Übersicht", "3"]
    data = make_pdf(
        pages,
        title="Bericht – 2025",
        author="Someone",
        creation_date="D:20250313101500+01'00'",
        mod_date="D:20250401090000Z",
    )
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert [p.extract_text() for p in reader.pages] == pages
    assert reader.metadata.title == "Bericht – 2025"
    assert reader.metadata.author == "Someone"
    assert reader.metadata.creation_date.isoformat() == "2025-03-13T10:15:00+01:00"
    assert reader.metadata["/ModDate"] == "D:20250401090000Z"
    assert reader.xmp_metadata is None


def test_make_pdf_without_metadata_has_no_dates():
    reader = PdfReader(io.BytesIO(make_pdf(["only page"])), strict=True)
    assert "/CreationDate" not in reader.metadata and "/Title" not in reader.metadata
    assert reader.pages[0].extract_text() == "only page"


def test_make_pdf_writes_matching_xmp():
    data = make_pdf(["x"], title="T & U", creation_date="D:20250313101500+01'00'", mod_date="D:20250314084210-05'00'", xmp=True)
    xmp = PdfReader(io.BytesIO(data), strict=True).xmp_metadata
    assert xmp.dc_title == {"x-default": "T & U"}
    assert b"<xmp:CreateDate>2025-03-13T10:15:00+01:00</xmp:CreateDate>" in data
    assert b"<xmp:ModifyDate>2025-03-14T08:42:10-05:00</xmp:ModifyDate>" in data


def test_make_pdf_is_deterministic_and_rejects_no_pages():
    assert make_pdf(["a", "b"], title="t") == make_pdf(["a", "b"], title="t")
    with pytest.raises(ValueError):
        make_pdf([])


@pytest.mark.parametrize(
    "raw, iso",
    [
        ("D:20250313101500+01'00'", "2025-03-13T10:15:00+01:00"),
        ("D:20250313101500Z", "2025-03-13T10:15:00Z"),
        ("20250313101500", "2025-03-13T10:15:00"),
    ],
)
def test_pdf_date_to_iso(raw, iso):
    assert pdf_date_to_iso(raw) == iso
