"""The WARC writer on its own: one gzip member per record, a body that came compressed stored as it is."""

from __future__ import annotations

import zlib

from warcio.archiveiterator import ArchiveIterator
from warcio.checker import Checker

from crawler.record import archive

HTML = ("<html><body>" + "<p>Die Fähre legt wieder am alten Hafen an.</p>" * 400 + "</body></html>").encode()


def _members(path) -> list[bytes]:
    """The file's gzip members, as a replay tool seeking from record to record finds them."""
    data, members = path.read_bytes(), []
    while data:
        reader = zlib.decompressobj(zlib.MAX_WBITS + 16)
        reader.decompress(data)
        members.append(data[: len(data) - len(reader.unused_data)])
        data = reader.unused_data
    return members


def test_each_record_is_its_own_member_and_compressed_bodies_are_stored(tmp_path):
    path = tmp_path / "r1.warc.gz"
    warc = archive.WarcArchive(path, {"isPartOf": "r1"})
    common = dict(method="GET", request_headers=[("User-Agent", "t")], status=200, reason="OK")
    warc.write_exchange(url="https://a.example/plain", response_headers=[("Content-Type", "text/html")],
                        body=HTML, **common)
    # what the server says is compressed is stored as it came; a body that says so but is not (so that
    # its size tells stored from gzipped) shows the choice is made on the header, before any work
    warc.write_exchange(url="https://a.example/zipped", body=HTML, **common,
                        response_headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
    warc.close()

    with open(path, "rb") as fh:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.raw_stream.read())
                   for r in ArchiveIterator(fh)]
    assert [(kind, uri) for kind, uri, _ in records] == [
        ("warcinfo", None), ("response", "https://a.example/plain"), ("request", "https://a.example/plain"),
        ("response", "https://a.example/zipped"), ("request", "https://a.example/zipped")]
    assert records[1][2] == records[3][2] == HTML
    members = _members(path)
    assert len(members) == 5
    assert len(members[1]) < len(HTML) // 5  # text is compressed
    assert HTML in members[3]  # a content-encoded body is stored as it is, not compressed again,
    assert b"WARC-Target-URI" not in members[3] and b"Content-Encoding" not in members[3]  # its headers are
    record = zlib.decompress(members[3], zlib.MAX_WBITS + 16)  # the whole record, headers and body
    assert len(members[3]) - len(HTML) < 0.8 * (len(record) - len(HTML))  # gzip's framing included
    checker = Checker(type("Args", (), {"inputs": [str(path)], "verbose": False})())
    assert checker.process_all() == 0  # every digest holds
