"""Small, real PDFs for tests and the demo replica.

Written object by object (no PdfWriter) so the bytes are deterministic: no
random /ID, no timestamps beyond the ones the caller passes. Text uses the
standard Helvetica font with WinAnsiEncoding, so pypdf extracts each page's
text back exactly; characters outside cp1252 are not representable.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

_LEADING = 14
_TOP = 770
_LEFT = 56
_FONT_SIZE = 11

_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/">
{fields}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def make_pdf(
    pages: list[str],
    *,
    title: str | None = None,
    author: str | None = None,
    creation_date: str | None = None,
    mod_date: str | None = None,
    xmp: bool = False,
    first_page_number: int | None = None,
) -> bytes:
    """Build a PDF with one page per string; lines of a string become lines of text.

    Dates are PDF date strings (``D:20250313101500+01'00'``); with ``xmp`` the
    same title and dates are also written as an XMP metadata stream; ``first_page_number``
    declares page labels counting from it, as an offprint numbers its pages.
    """
    if not pages:
        raise ValueError("a PDF needs at least one page")
    objects: list[bytes] = []  # object n is objects[n - 1]
    n_pages = len(pages)
    first_page_obj = 4
    kids = " ".join(f"{first_page_obj + 2 * i} 0 R" for i in range(n_pages))
    meta_ref = f" /Metadata {first_page_obj + 2 * n_pages} 0 R" if xmp else ""
    labels = f" /PageLabels << /Nums [0 << /S /D /St {first_page_number} >>] >>" if first_page_number else ""
    objects.append(f"<< /Type /Catalog /Pages 2 0 R{meta_ref}{labels} >>".encode())
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
        b" /Encoding /WinAnsiEncoding >>"
    )
    for i, text in enumerate(pages):
        content_ref = first_page_obj + 2 * i + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            f" /Resources << /Font << /F1 3 0 R >> >> /Contents {content_ref} 0 R >>".encode()
        )
        objects.append(_stream(b"", _content_stream(text)))
    info = _info_dict(title, author, creation_date, mod_date)
    if xmp:
        packet = _xmp_packet(title, author, creation_date, mod_date).encode("utf-8")
        objects.append(_stream(b" /Type /Metadata /Subtype /XML", packet))
    objects.append(info)
    return _assemble(objects, info_obj=len(objects))


def _content_stream(text: str) -> bytes:
    ops = [f"BT /F1 {_FONT_SIZE} Tf {_LEADING} TL {_LEFT} {_TOP} Td".encode()]
    for n, line in enumerate(text.split("\n")):
        ops.append((b"" if n == 0 else b"T* ") + _literal(line) + b" Tj")
    ops.append(b"ET")
    return b"\n".join(ops)


def _literal(text: str) -> bytes:
    raw = text.encode("cp1252")
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + raw + b")"


def _text_string(text: str) -> bytes:
    """A PDF text string: plain literal for ASCII, UTF-16BE hex otherwise."""
    if text.isascii():
        return _literal(text)
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _info_dict(title, author, creation_date, mod_date) -> bytes:
    fields = [
        (b"/Title", title),
        (b"/Author", author),
        (b"/Producer", "citecheck test pdfgen"),
        (b"/CreationDate", creation_date),
        (b"/ModDate", mod_date),
    ]
    body = b" ".join(k + b" " + _text_string(v) for k, v in fields if v is not None)
    return b"<< " + body + b" >>"


def _xmp_packet(title, author, creation_date, mod_date) -> str:
    lines = []
    if title is not None:
        lines.append(
            "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">"
            f"{escape(title)}</rdf:li></rdf:Alt></dc:title>"
        )
    if author is not None:
        lines.append(f"   <dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>")
    for tag, value in (("xmp:CreateDate", creation_date), ("xmp:ModifyDate", mod_date)):
        if value is not None:
            lines.append(f"   <{tag}>{pdf_date_to_iso(value)}</{tag}>")
    return _XMP.format(fields="\n".join(lines))


def pdf_date_to_iso(value: str) -> str:
    """``D:20250313101500+01'00'`` -> ``2025-03-13T10:15:00+01:00`` (XMP form)."""
    s = value[2:] if value.startswith("D:") else value
    iso = f"{s[0:4]}-{s[4:6]}-{s[6:8]}T{s[8:10]}:{s[10:12]}:{s[12:14]}"
    tz = s[14:]
    if tz.startswith("Z"):
        return iso + "Z"
    if tz[:1] in "+-" and len(tz) >= 6:
        return f"{iso}{tz[0]}{tz[1:3]}:{tz[4:6]}"
    return iso


def _stream(extra_dict: bytes, data: bytes) -> bytes:
    head = b"<< /Length " + str(len(data)).encode() + extra_dict + b" >>\nstream\n"
    return head + data + b"\nendstream"


def _assemble(objects: list[bytes], *, info_obj: int) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_obj} 0 R >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return bytes(out)
