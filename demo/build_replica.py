"""Build demo/replica.warc.gz, the offline web that `make demo` replays.

The demo must run without network and give the same result every time, so the
cited pages are served from a WARC instead of the live sites. This script turns
demo/pages/fetches.yaml (one entry per HTTP exchange, in crawl order) and the
fixture bodies beside it into WARC request/response pairs, with dates and
record IDs derived from the manifest so that a rebuild yields the same records.

Run from the repository root:  .venv/bin/python demo/build_replica.py
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import http
import io
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.pdfgen import make_pdf  # noqa: E402

PAGES_DIR = ROOT / "demo" / "pages"
OUT_PATH = ROOT / "demo" / "replica.warc.gz"
MANIFEST = "fetches.yaml"
WARC_FILENAME = "replica.warc.gz"
RECORD_NAMESPACE = uuid.UUID("6d1f3c2a-8b4e-5f0a-9c7d-2e1b0a9f8c31")
WARCINFO = {
    "software": "citecheck demo replica builder",
    "format": "WARC File Format 1.0",
    "description": (
        "Synthetic replicas of the pages cited in Entscheiderbrief 04/2026, for the "
        "citecheck demo. Each page copies the structure of the real site (where titles, "
        "dates and text appear); all prose is invented and is not the sites' content."
    ),
    "isPartOf": "citecheck demo",
}


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and the response the replica answers it with."""

    url: str
    when: dt.datetime
    request: StatusAndHeaders
    response: StatusAndHeaders
    wire_body: bytes  # the body as sent on the wire (compressed when gzip)


def load_manifest(pages_dir: Path = PAGES_DIR) -> dict:
    return yaml.safe_load((pages_dir / MANIFEST).read_text(encoding="utf-8"))


def pdf_page_text(recipe: dict, n: int) -> str:
    """Text of page n (1-based): running head, own or section text, folio."""
    own = recipe.get("pages", {}).get(n)
    if own is not None:
        body = own.rstrip("\n")
    else:
        sections = [s for s in recipe["sections"] if s["from"] <= n]
        section = sections[-1]
        body = "\n".join([section["heading"], *section["lines"]])
    return f"{recipe['running_head']}\n{body}\n{n}"


def render_pdf(recipe: dict) -> bytes:
    pages = [pdf_page_text(recipe, n) for n in range(1, recipe["page_count"] + 1)]
    return make_pdf(
        pages,
        title=recipe.get("title"),
        author=recipe.get("author"),
        creation_date=recipe.get("creation_date"),
        mod_date=recipe.get("mod_date"),
        xmp=bool(recipe.get("xmp")),
    )


def load_body(entry: dict, pages_dir: Path = PAGES_DIR) -> bytes:
    """The response body before any content coding."""
    if "pdf" in entry:
        recipe = yaml.safe_load((pages_dir / entry["pdf"]).read_text(encoding="utf-8"))
        return render_pdf(recipe)
    if "body" in entry:
        return (pages_dir / entry["body"]).read_bytes()
    return b""


def wire_body(body: bytes, entry: dict) -> bytes:
    return gzip.compress(body, compresslevel=6, mtime=0) if entry.get("gzip") else body


def exchange_time(crawl: dict, index: int) -> dt.datetime:
    start = dt.datetime.fromisoformat(crawl["start"].replace("Z", "+00:00"))
    return start + dt.timedelta(seconds=index * crawl["step_seconds"])


def warc_date(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_date(when: dt.datetime) -> str:
    return email.utils.format_datetime(when.astimezone(dt.timezone.utc), usegmt=True)


def record_id(kind: str, index: int, url: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(RECORD_NAMESPACE, f'{kind}|{index}|{url}')}>"


def request_headers(url: str, crawl: dict) -> StatusAndHeaders:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc), *crawl["request_headers"].items()]
    return StatusAndHeaders(f"GET {target} HTTP/1.1", headers, is_http_request=True)


def response_headers(entry: dict, wire: bytes, when: dt.datetime) -> StatusAndHeaders:
    status = entry.get("status", 200)
    headers = [("Date", http_date(when)), *entry.get("headers", {}).items()]
    if entry.get("gzip"):
        headers.append(("Content-Encoding", "gzip"))
    headers.append(("Content-Length", str(len(wire))))
    statusline = f"{status} {http.HTTPStatus(status).phrase}"
    return StatusAndHeaders(statusline, headers, protocol="HTTP/1.1")


def exchanges(manifest: dict, pages_dir: Path = PAGES_DIR) -> list[Exchange]:
    crawl = manifest["crawl"]
    result = []
    for index, entry in enumerate(manifest["fetches"]):
        when = exchange_time(crawl, index)
        wire = wire_body(load_body(entry, pages_dir), entry)
        result.append(
            Exchange(
                url=entry["url"],
                when=when,
                request=request_headers(entry["url"], crawl),
                response=response_headers(entry, wire, when),
                wire_body=wire,
            )
        )
    return result


def _warcinfo_record(writer: WARCWriter, when: dt.datetime):
    payload = "".join(f"{k}: {v}\r\n" for k, v in WARCINFO.items()).encode("utf-8")
    headers = StatusAndHeaders(
        "",
        [
            ("WARC-Type", "warcinfo"),
            ("WARC-Record-ID", record_id("warcinfo", 0, WARC_FILENAME)),
            ("WARC-Filename", WARC_FILENAME),
            ("WARC-Date", warc_date(when)),
        ],
        protocol="WARC/1.0",
    )
    return writer.create_warc_record(
        "", "warcinfo", payload=io.BytesIO(payload), length=len(payload), warc_headers=headers
    )


def _pair(writer: WARCWriter, ex: Exchange, index: int):
    def warc_headers(kind):
        return {"WARC-Record-ID": record_id(kind, index, ex.url), "WARC-Date": warc_date(ex.when)}

    response = writer.create_warc_record(
        ex.url,
        "response",
        payload=io.BytesIO(ex.wire_body),
        length=len(ex.wire_body),
        http_headers=ex.response,
        warc_headers_dict=warc_headers("response"),
    )
    request = writer.create_warc_record(
        ex.url,
        "request",
        payload=io.BytesIO(b""),
        length=0,
        http_headers=ex.request,
        warc_headers_dict=warc_headers("request"),
    )
    return request, response


def write_warc(fh, manifest: dict, pages_dir: Path = PAGES_DIR) -> int:
    """Write the replica to a binary file object; returns the number of exchanges."""
    writer = WARCWriter(fh, gzip=True)
    items = exchanges(manifest, pages_dir)
    writer.write_record(_warcinfo_record(writer, exchange_time(manifest["crawl"], 0)))
    for index, ex in enumerate(items):
        request, response = _pair(writer, ex, index)
        writer.write_request_response_pair(request, response)
    return len(items)


def build(pages_dir: Path = PAGES_DIR, out: Path = OUT_PATH) -> int:
    manifest = load_manifest(pages_dir)
    with open(out, "wb") as fh:
        return write_warc(fh, manifest, pages_dir)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else OUT_PATH
    count = build(PAGES_DIR, out)
    print(f"wrote {out} ({count} exchanges)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
