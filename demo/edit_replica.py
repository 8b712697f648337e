"""A copy of the demo replica in which one page was reworded after it was cited: something to find.

    .venv/bin/python demo/edit_replica.py [OUT]        (default: demo/replica-edited.warc.gz)

E-International Relations' article says "Four factors" where the replica says
"Three factors"; every other record is copied as it is. The README's auditor
session (``citecheck history``, ``diff``) runs the demo over both replicas.
"""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
PAGE = "https://www.e-ir.info/2024/08/19/central-asia-the-last-stronghold-of-a-declining-russia/"
EDIT = (b"Three factors stand out.", b"Four factors stand out.")


def edited(source: Path, out: Path) -> int:
    """Copy ``source`` to ``out`` with the page's body edited; the number of records changed."""
    changed = 0
    with open(source, "rb") as fh, open(out, "wb") as target:
        writer = WARCWriter(target, gzip=True)
        for record in ArchiveIterator(fh):
            if record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") == PAGE:
                encoded = record.http_headers.get_header("Content-Encoding") == "gzip"
                body = record.content_stream().read()  # decoded
                body = body.replace(*EDIT)
                payload = gzip.compress(body, mtime=0) if encoded else body
                headers = [(k, v) for k, v in record.http_headers.headers if k.lower() != "content-length"]
                http = StatusAndHeaders(record.http_headers.statusline, headers + [("Content-Length", str(len(payload)))],
                                        protocol=record.http_headers.protocol)
                warc_headers = [(k, v) for k, v in record.rec_headers.headers
                                if k not in ("WARC-Payload-Digest", "WARC-Block-Digest", "Content-Length")]
                record = writer.create_warc_record(PAGE, "response", payload=io.BytesIO(payload), http_headers=http,
                                                   warc_headers_dict=dict(warc_headers))
                changed += 1
            writer.write_record(record)
    return changed


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "demo" / "replica-edited.warc.gz"
    count = edited(ROOT / "demo" / "replica.warc.gz", out)
    print(f"wrote {out} ({count} record edited)")


if __name__ == "__main__":
    main()
