"""What a run leaves on disk for auditors: ``archive/<run-id>/``.

- ``<run-id>.warc.gz`` (WARC/1.1; older runs wrote ``run.warc.gz``):
  every request and raw response (redirect hops, robots.txt, retries); a 304
  as a ``revisit`` of the record it confirms (its own status line and headers in a
  ``metadata`` record that refers to the revisit); a fetch that got no response
  as a ``metadata`` record about the run (target ``urn:citecheck:run:<run-id>``,
  the URL in its JSON body), so that no replay tool takes a failure for a
  capture of the URL;
- ``text/<sha256>.txt.gz``: each snapshot's extracted main text, gzip-compressed (a third of
  the size; ``zcat`` and ``zgrep`` read it), named by the hash of the text itself (runs of
  older versions wrote ``text/<sha256>.txt``, which ``read_text`` reads alike);
- the run's reports.

Which bytes the digests cover: see docs/DESIGN.md ("What the WARC holds").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import hashlib
import io
import json
import secrets
import shutil
import struct
import zlib
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import __version__

WARC_SUFFIX = ".warc.gz"
LEGACY_WARC_NAME = "run.warc.gz"  # every run's file, before runs named theirs
# a run's machine reports, compressed (older runs: report.json, report.xml); report.html stays plain for editors
REPORT_JSON = "report.json.gz"
REPORT_XML = "report.xml.gz"
FAILURE_CONTENT_TYPE = "application/vnd.citecheck.failure+json"
NOT_MODIFIED_CONTENT_TYPE = "application/vnd.citecheck.not-modified+http"  # a revisit's 304, status line and headers
CERTIFICATE_CONTENT_TYPE = "application/x-pem-file"
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
HOP_BY_HOP = frozenset({"transfer-encoding", "content-length", "connection", "keep-alive"})


def warc_name(run_id: str) -> str:
    """A run's WARC is named for the run, so a collection of runs' WARCs needs no renaming."""
    return f"{run_id}{WARC_SUFFIX}"


def run_warc(run_dir: Path) -> Path:
    """The WARC of the run in ``run_dir``: ``<run-id>.warc.gz``, or ``run.warc.gz`` of older runs."""
    named = Path(run_dir) / warc_name(Path(run_dir).name)
    legacy = Path(run_dir) / LEGACY_WARC_NAME
    return legacy if not named.exists() and legacy.exists() else named


def failure_target(run_id: str) -> str:
    """What a failure (or a 304's headers) record is about: the run, never the URL, which replay
    tools would otherwise index as a capture."""
    return f"urn:citecheck:run:{run_id}"


@dataclasses.dataclass(frozen=True)
class Origin:
    """The record a new one stands on: the capture a 304 confirms, or the one a replay read."""

    record_id: str
    target: str
    date: str  # its WARC-Date, as written there
    payload_digest: str | None = None
    revisit: dict | None = None  # a replayed revisit's own refers-to fields (what it confirmed)

    @classmethod
    def of(cls, record) -> Origin:
        """A warcio record's identity and date, and a revisit's refers-to fields."""
        head = record.rec_headers
        revisit = None
        if record.rec_type == "revisit":
            revisit = {name: head.get_header(name) for name in (
                "WARC-Profile", "WARC-Refers-To", "WARC-Refers-To-Target-URI", "WARC-Refers-To-Date",
                "WARC-Payload-Digest") if head.get_header(name)}
        return cls(head.get_header("WARC-Record-ID"), head.get_header("WARC-Target-URI"), head.get_header("WARC-Date"),
                   head.get_header("WARC-Payload-Digest"), revisit)


def response_offsets(path: Path):
    """(target URI, offset) of each 200 response in a WARC, in the order written: where a later run's
    304 finds the capture it confirms, each record read at its offset when asked for."""
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
            if record.rec_type == "response" and record.http_headers and record.http_headers.get_statuscode() == "200":
                yield record.rec_headers.get_header("WARC-Target-URI"), records.get_record_offset()


def new_run_id(now: dt.datetime | None = None) -> str:
    """When the run started (UTC, to the millisecond) and a random tag: ids sort in the order runs
    started, which the manifest chain and the history rely on, even for runs a second apart."""
    now = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    return f"{now:%Y%m%dT%H%M%S}.{now.microsecond // 1000:03d}Z-{secrets.token_hex(2)}"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


TEXT_SUFFIX = ".txt.gz"
LEGACY_TEXT_SUFFIX = ".txt"  # texts of older versions, stored as they are


def write_text(run_dir: Path, text: str) -> tuple[str, Path]:
    """Store extracted text under the hash of the text; identical text is stored once. Compressed
    without a timestamp or name, so the same text always makes the same file."""
    data = text.encode("utf-8")
    digest = sha256_hex(data)
    path = run_dir / "text" / f"{digest}{TEXT_SUFFIX}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(data, compresslevel=6, mtime=0))
    return digest, path


def read_text_bytes(path: Path) -> bytes:
    """An archived text's UTF-8 bytes (what its name's hash covers), compressed or of an older run.
    Raises OSError when the file cannot be read, or is no gzip file though its name says so."""
    data = Path(path).read_bytes()
    if not str(path).endswith(".gz"):
        return data
    try:
        return gzip.decompress(data)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise OSError(f"{path}: not a readable gzip file ({exc})") from exc


def read_text(path: Path) -> str:
    return read_text_bytes(path).decode("utf-8")


def compress_file(plain: Path, packed: Path) -> None:
    """``plain`` written gzip-compressed to ``packed`` (a run's machine reports), streamed."""
    with open(plain, "rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)


def copy_plain(path: Path, out: Path) -> None:
    """A plain copy of an archived file, compressed (its name ends in .gz) or not, streamed."""
    with (gzip.open if str(path).endswith(".gz") else open)(path, "rb") as source, open(out, "wb") as target:
        shutil.copyfileobj(source, target)


def text_file(run_dir: Path, digest: str) -> Path:
    """Where a run keeps the text of this hash: its compressed file, else an older version's."""
    path = Path(run_dir) / "text" / f"{digest}{TEXT_SUFFIX}"
    legacy = path.with_name(f"{digest}{LEGACY_TEXT_SUFFIX}")
    return legacy if not path.exists() and legacy.exists() else path


def _warc_date(when: dt.datetime | None) -> str:
    when = when or dt.datetime.now(dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def warc_protocol(http: str | None) -> list[str]:
    """``WARC-Protocol`` (IIPC's WARC 1.1 extension): ``http/1.1`` or ``h2``, as Scrapy names the response's."""
    return [http.lower()] if http else []


def _request_target(url: str) -> tuple[str, str]:
    """The request line's target and the ``Host`` the client sent (Twisted adds it; Scrapy's headers
    lack it): the host, and the port unless it is the scheme's default."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else parts.hostname or ""
    if parts.port and parts.port != {"http": 80, "https": 443}.get(parts.scheme):
        host += f":{parts.port}"
    return target, host


class GzipMembers:
    """The WARC file as warcio writes it with ``gzip=True``: each record one gzip member (replay tools
    seek to members), but compressed as its content needs. warcio's own wrapper always spends level 9;
    here a record is compressed at zlib's default (within a few per cent of level 9's size), except
    the body of a response that came compressed (gzip, br), which does not shrink again: its member
    compresses the record's headers and stores the body (``store_body``)."""

    def __init__(self, fh):
        self._fh = fh
        self._store_body = False
        self._compressor = None

    def store_body(self) -> None:
        """The next record's body is stored as it is; its WARC and HTTP headers are compressed."""
        self._store_body = True

    def write(self, data: bytes) -> None:
        if self._compressor is None:
            self._compressor = (_HeadersThenStored() if self._store_body else
                                zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, zlib.MAX_WBITS + 16))
        self._fh.write(self._compressor.compress(data))

    def flush(self) -> None:  # warcio flushes once, at the end of each record
        if self._compressor is not None:
            self._fh.write(self._compressor.flush())
            self._compressor = None
        self._store_body = False
        self._fh.flush()


class _HeadersThenStored:
    """One gzip member whose deflate stream compresses a record up to the end of its HTTP headers
    (the second blank line: the WARC headers', then the HTTP message's) and stores the rest in stored
    blocks. zlib cannot change level within a stream, so the two are joined as deflate allows: the
    first ends on a sync flush (byte-aligned, not final), the second finishes the stream; the gzip
    header and trailer (CRC-32 and size of all the data) are written here."""

    HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, OS unknown
    HEADS = 2

    def __init__(self):
        self._head = b""  # the record until the end of its headers, compressed once it is whole
        self._stored = None
        self._crc = self._size = 0
        self._started = False

    def compress(self, data: bytes) -> bytes:
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        out = b"" if self._started else self.HEADER
        self._started = True
        if self._stored is not None:
            return out + self._stored.compress(data)
        self._head += data
        end = 0
        for _ in range(self.HEADS):
            found = self._head.find(b"\r\n\r\n", end)
            if found < 0:
                return out  # the headers are not whole yet
            end = found + 4
        head, rest = self._head[:end], self._head[end:]
        self._head = b""
        headers = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -zlib.MAX_WBITS)
        self._stored = zlib.compressobj(0, zlib.DEFLATED, -zlib.MAX_WBITS)
        return out + headers.compress(head) + headers.flush(zlib.Z_SYNC_FLUSH) + self._stored.compress(rest)

    def flush(self) -> bytes:
        out = b"" if self._started else self.HEADER
        if self._stored is None:  # never reached a body: all of it compressed
            self._stored = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -zlib.MAX_WBITS)
            out += self._stored.compress(self._head)
        return out + self._stored.flush() + struct.pack("<II", self._crc & 0xFFFFFFFF, self._size & 0xFFFFFFFF)


def _compressed(headers: list[tuple[str, str]]) -> bool:
    """Does the body come content-encoded (so that gzip would only spend time on it)?"""
    return any(k.lower() == "content-encoding" and v.strip().lower() not in ("", "identity") for k, v in headers)


class WarcArchive:
    """Append-only WARC/1.1 writer for one run (or one worker's part of it)."""

    def __init__(self, path: Path, info: dict):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        filename = path.name
        self.run_id = info.get("isPartOf") or filename.removesuffix(WARC_SUFFIX)
        self._fh = open(path, "ab")
        self._members = GzipMembers(self._fh)
        self._writer = WARCWriter(self._members, gzip=False, warc_version="1.1")
        fields = {"software": f"citecheck/{__version__}", "format": "WARC File Format 1.1",
                  "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                  **info}
        warcinfo = self._writer.create_warcinfo_record(filename, fields)
        self.warcinfo_id = warcinfo.rec_headers.get_header("WARC-Record-ID")
        self._writer.write_record(warcinfo)
        self._fh.flush()

    def _fields(self, date: str, **extra: str | None) -> dict[str, str]:
        """The WARC fields every record carries, and ``extra`` where it has a value."""
        fields = {"WARC-Date": date, "WARC-Warcinfo-ID": self.warcinfo_id}
        fields.update({name.replace("_", "-"): value for name, value in extra.items() if value})
        return fields

    def write_exchange(
        self,
        *,
        url: str,
        method: str,
        request_headers: list[tuple[str, str]],
        status: int,
        reason: str,
        response_headers: list[tuple[str, str]],
        body: bytes,
        ip_address: str | None = None,
        when: dt.datetime | None = None,
        protocols: list[str] = (),
        confirms: Origin | None = None,
        replayed: Origin | None = None,
    ) -> str:
        """Write a request/response pair; returns the response (or revisit) record's id.

        ``confirms``: the capture a 304 confirms (the pair becomes a server-not-modified
        revisit of it). ``replayed``: the record a replay read this answer from; the pair
        keeps that record's date and points to it, as no new capture of the live web.
        """
        date = replayed.date if replayed else _warc_date(when)
        target, host = _request_target(url)
        if not any(k.lower() == "host" for k, _ in request_headers):
            request_headers = [("Host", host), *request_headers]
        req = self._writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(f"{method} {target} HTTP/1.1", request_headers, is_http_request=True),
            warc_headers_dict=self._fields(date),
        )
        headers = [(k, v) for k, v in response_headers if k.lower() not in HOP_BY_HOP]
        headers.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
        extra = self._fields(date, WARC_IP_Address=ip_address)
        revisit = (replayed.revisit if replayed else None) or (_not_modified(confirms) if status == 304 and confirms
                                                              else None)
        if revisit:  # an empty block: replay tools serve the capture's headers and body (its 304 they would serve
            # as an empty redirect), and the 304's own headers follow in a metadata record about it
            resp = self._writer.create_warc_record(url, "revisit", payload=io.BytesIO(b""), length=0,
                                                   warc_headers_dict={**extra, **revisit})
        else:
            resp = self._writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                   http_headers=http, warc_headers_dict=extra)
        if replayed:
            _refer(resp, replayed)
        for protocol in protocols:
            resp.rec_headers.add_header("WARC-Protocol", protocol)
        record_id = resp.rec_headers.get_header("WARC-Record-ID")
        req.rec_headers.add_header("WARC-Concurrent-To", record_id)
        if _compressed(headers) and not revisit:
            self._members.store_body()  # it is compressed already
        self._writer.write_record(resp)
        self._writer.write_record(req)
        if revisit:
            head = http.to_bytes()
            self._writer.write_record(self._writer.create_warc_record(
                failure_target(self.run_id), "metadata", payload=io.BytesIO(head), length=len(head),
                warc_content_type=NOT_MODIFIED_CONTENT_TYPE, warc_headers_dict=self._fields(date, WARC_Refers_To=record_id)))
        self._fh.flush()
        return record_id

    def write_failure(self, url: str, verdict: str, detail: str, when: dt.datetime | None = None,
                      replayed: Origin | None = None) -> str:
        """Record a fetch that ended without a response (timeout, DNS, TLS...): about the run, not the URL."""
        fields = {"url": url, "error": verdict, "detail": detail}
        payload = json.dumps(fields, ensure_ascii=False).encode()
        rec = self._writer.create_warc_record(
            failure_target(self.run_id),
            "metadata",
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_content_type=FAILURE_CONTENT_TYPE,
            warc_headers_dict=self._fields(replayed.date if replayed else _warc_date(when)),
        )
        if replayed:
            _refer(rec, replayed)
        self._writer.write_record(rec)
        self._fh.flush()
        return rec.rec_headers.get_header("WARC-Record-ID")

    def write_certificate(self, pem: bytes, response_id: str) -> str:
        """The TLS certificate a host presented, once per crawl, pointing to the first response it carried."""
        rec = self._writer.create_warc_record(
            failure_target(self.run_id), "metadata", payload=io.BytesIO(pem), length=len(pem),
            warc_content_type=CERTIFICATE_CONTENT_TYPE,
            warc_headers_dict=self._fields(_warc_date(None), WARC_Refers_To=response_id))
        self._writer.write_record(rec)
        self._fh.flush()
        return rec.rec_headers.get_header("WARC-Record-ID")

    def close(self) -> None:
        self._fh.close()


def _not_modified(origin: Origin) -> dict[str, str]:
    """A 304's revisit fields: the capture it confirms, whose payload it says is unchanged."""
    fields = {"WARC-Profile": NOT_MODIFIED_PROFILE, "WARC-Refers-To": origin.record_id,
              "WARC-Refers-To-Target-URI": origin.target, "WARC-Refers-To-Date": origin.date}
    if origin.payload_digest:  # replay tools find the body by it
        fields["WARC-Payload-Digest"] = origin.payload_digest
    return {k: v for k, v in fields.items() if v}


def _refer(record, origin: Origin) -> None:
    """Point a replayed record to the one it was read from (a revisit already points to its capture)."""
    if record.rec_type != "revisit":
        record.rec_headers.replace_header("WARC-Refers-To", origin.record_id)
