"""What a run leaves on disk for auditors: ``archive/<run-id>/``.

- ``run.warc.gz``: every request and raw response (redirect hops, robots.txt,
  retries), and a ``metadata`` record for every fetch that failed before a
  response arrived, so a replay reproduces failures as well as pages;
- ``text/<sha256>.txt``: each snapshot's extracted main text, named by its hash;
- the run's reports.

Bodies are stored as received on the wire (still content-encoded); the HTTP
layer has already removed chunked transfer-encoding, so the stored headers say
``Content-Length`` instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import secrets
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import __version__

WARC_NAME = "run.warc.gz"
FAILURE_CONTENT_TYPE = "application/vnd.citecheck.failure+json"
HOP_BY_HOP = frozenset({"transfer-encoding", "content-length", "connection", "keep-alive"})


def new_run_id(now: dt.datetime | None = None) -> str:
    """When the run started (UTC, to the millisecond) and a random tag: ids sort in the order runs
    started, which the manifest chain and the history rely on, even for runs a second apart."""
    now = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    return f"{now:%Y%m%dT%H%M%S}.{now.microsecond // 1000:03d}Z-{secrets.token_hex(2)}"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_text(run_dir: Path, text: str) -> tuple[str, Path]:
    """Store extracted text under its own hash; identical text is stored once."""
    data = text.encode("utf-8")
    digest = sha256_hex(data)
    path = run_dir / "text" / f"{digest}.txt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return digest, path


def _warc_date(when: dt.datetime | None) -> str:
    when = when or dt.datetime.now(dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class WarcArchive:
    """Append-only WARC writer for one run."""

    def __init__(self, path: Path, info: dict, filename: str | None = None):
        """``filename``: the WARC these records end up in, when ``path`` is a part of it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fh = open(path, "ab")
        self._writer = WARCWriter(self._fh, gzip=True)
        fields = {"software": f"citecheck/{__version__}", "format": "WARC File Format 1.1", **info}
        self._writer.write_record(self._writer.create_warcinfo_record(filename or path.name, fields))
        self._fh.flush()

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
    ) -> str:
        """Write a request/response pair; returns the response record's id."""
        date = _warc_date(when)
        parts = url.split("/", 3)
        target = "/" + (parts[3] if len(parts) > 3 else "")
        req = self._writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(f"{method} {target} HTTP/1.1", request_headers, is_http_request=True),
            warc_headers_dict={"WARC-Date": date},
        )
        headers = [(k, v) for k, v in response_headers if k.lower() not in HOP_BY_HOP]
        headers.append(("Content-Length", str(len(body))))
        extra = {"WARC-Date": date}
        if ip_address:
            extra["WARC-IP-Address"] = ip_address
        resp = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1"),
            warc_headers_dict=extra,
        )
        req.rec_headers.add_header("WARC-Concurrent-To", resp.rec_headers.get_header("WARC-Record-ID"))
        self._writer.write_record(resp)
        self._writer.write_record(req)
        self._fh.flush()
        return resp.rec_headers.get_header("WARC-Record-ID")

    def write_failure(self, url: str, verdict: str, detail: str, when: dt.datetime | None = None) -> None:
        """Record a fetch that ended without a response (timeout, DNS, TLS...)."""
        payload = json.dumps({"error": verdict, "detail": detail}, ensure_ascii=False).encode()
        rec = self._writer.create_warc_record(
            url,
            "metadata",
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_content_type=FAILURE_CONTENT_TYPE,
            warc_headers_dict={"WARC-Date": _warc_date(when)},
        )
        self._writer.write_record(rec)
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()
