"""What a fetched document says: ``(body, url, headers) -> Extracted``.

HTML is parsed once (``load_html``); trafilatura reads the main text and title from
the tree, ``crawler.extract.dates`` reads the dates from the same tree. Of trafilatura's
metadata only the title is read, by the steps ``extract_metadata`` takes for it
(meta tags, else JSON-LD, else the page's headings): the rest of that function
(authors, licence, categories, a second date search by htmldate) cost a fifth of
a page's extraction and was never used. PDFs go to ``crawler.extract.pdf``.
Plain text is its own text (an HTML parser would find no tree in it and drop
it, so a 200 that only says "Not Found" would pass for a page). An empty body
is kind "empty", whatever its type. Anything else, binary bodies labelled
text/plain included, keeps only its dates from the HTTP headers.
"""

from __future__ import annotations

import logging
import re
from html import unescape
from collections.abc import Mapping

import trafilatura
from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HTMLParser, HtmlProcessingInstruction, fromstring
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
from trafilatura.utils import decode_file, is_dubious_html, line_processing, repair_faulty_html
from w3lib.encoding import html_to_unicode, http_content_type_encoding

from crawler.extract.dates import extract_dates
from crawler.extract.editions import editions
from crawler.extract.pdf import extract_pdf, is_pdf
from crawler.models import Extracted

logger = logging.getLogger(__name__)
UTF8_BOM = b"\xef\xbb\xbf"
HTML_TYPES = ("text/html", "application/xhtml+xml", "")
HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype html|html[\s>])", re.S)


def _content_type(headers: Mapping[str, str]) -> str:
    return headers.get("content-type", "").split(";")[0].strip().lower()


def extract(body: bytes, url: str = "", headers: Mapping[str, str] | None = None) -> Extracted:
    headers = headers or {}
    if _empty(body):
        return Extracted(kind="empty", dates=extract_dates(b"", url, headers))
    ctype = _content_type(headers)
    if is_pdf(body, ctype):
        return extract_pdf(body)
    if ctype in HTML_TYPES or _looks_like_html(body):
        if not _looks_like_html(body) and _binary(body, headers):
            return Extracted(kind="unreadable", dates=extract_dates(b"", url, headers), problems=(
                f"the body is binary data, not the HTML it was served as ({ctype or 'no content type'})",))
        return extract_html(body, url, headers)
    if ctype == "text/plain" and not _binary(body, headers):
        return extract_text(body, url, headers)
    return Extracted(kind="other", dates=extract_dates(b"", url, headers))


def _looks_like_html(body: bytes) -> bool:
    """Servers label HTML as text/plain or octet-stream often enough to sniff for it (after a
    byte-order mark, an XML declaration or a comment)."""
    return HTML_START.search(body[:1024].lower()) is not None


def _empty(body: bytes) -> bool:
    """Nothing to read, whatever the type says (isspace stops at the first character; strip would copy)."""
    body = body[3:] if body.startswith(UTF8_BOM) else body
    return not body or body.isspace()


CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b") + b"\x7f"
BINARY_SHARE = 0.05  # random bytes hold 12% control bytes; text in any 8-bit charset none


def _binary(body: bytes, headers: Mapping[str, str]) -> bool:
    """A NUL byte, or control bytes no text holds, in the first 4 KB, UTF-16 and UTF-32 aside (named by
    a byte-order mark or the header): a gzip, image or other file mislabelled as text, whose "text"
    would be noise."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")) or (
            http_content_type_encoding(headers.get("content-type")) or "").startswith(("utf-16", "utf-32")):
        return False
    sample = body[:4096]
    return b"\x00" in sample or len(sample) - len(sample.translate(None, CONTROL_BYTES)) > BINARY_SHARE * len(sample)


def _decoded(body: bytes, headers: Mapping[str, str]) -> bytes | str:
    """A charset named in the HTTP header decides, as in a browser (trafilatura's own guess reads only
    the page, and takes a short windows-1252 page for something else); else trafilatura's guess."""
    if http_content_type_encoding(headers.get("content-type")):
        return html_to_unicode(headers.get("content-type"), body)[1]
    return body


def _first_text(tree, path: str) -> str | None:
    """The first such element's text, whitespace collapsed: what a reader (and linkstatus) sees."""
    element = tree.find(path)
    return " ".join(" ".join(element.itertext()).split()) or None if element is not None else None


def extract_text(body: bytes, url: str = "", headers: Mapping[str, str] | None = None) -> Extracted:
    """Its charset from the header or a byte-order mark, else UTF-8, as a browser reads it."""
    headers = headers or {}
    _, text = html_to_unicode(headers.get("content-type"), body)
    return Extracted(kind="text", text=text.strip(), dates=extract_dates(b"", url, headers))


def extract_html(body: bytes, url: str = "", headers: Mapping[str, str] | None = None) -> Extracted:
    tree = load_html(_decoded(body, headers or {}))
    if tree is None:
        return Extracted(kind="html", dates=extract_dates(b"", url, headers or {}))
    problems: list[str] = []
    title = _part("title", problems, page_title, tree)
    text = _part("main text", problems, trafilatura.extract, tree, url=url or None, include_comments=False,
                 include_tables=True, deduplicate=False) or ""
    return Extracted(
        kind="html",
        title=title or None,
        heading=_part("heading", problems, _first_text, tree, ".//h1"),
        title_tag=_part("title tag", problems, _first_text, tree, ".//title"),
        text=text,
        dates=extract_dates(body, url, headers or {}, tree=tree),
        lang=tree.get("lang"),
        editions=_part("editions", problems, editions, tree, url) or (),
        problems=tuple(problems),
    )


# trafilatura's parser options; the element classes chosen in C: lxml.html's own lookup is a Python
# call for every element any step touches (a tenth of a page's extraction, trafilatura's included),
# and the form-field classes it picks are used by none of them.
HTML_PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                         remove_pis=True)
HTML_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))


def load_html(content: bytes | str) -> HtmlElement | None:
    """``trafilatura.load_html``'s steps (decoding, repairs, a second try from bytes, the rejection
    of a non-HTML text), with ``HTML_PARSER``."""
    content = decode_file(content)
    beginning = content[:50].lower()
    content = repair_faulty_html(content, beginning)
    tree, from_bytes = None, False
    try:
        tree = fromstring(content, parser=HTML_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, from_bytes = _from_bytes(content), True
    except Exception as exc:  # noqa: BLE001 - as trafilatura: a parser failure is no tree
        logger.warning("lxml could not parse the page: %s", exc)
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = _from_bytes(content)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None  # no <html> in its first characters and a single block: not an HTML page
    return tree


def _from_bytes(content: str) -> HtmlElement | None:
    try:
        return fromstring(content.encode("utf8", "surrogatepass"), parser=HTML_PARSER)
    except Exception as exc:  # noqa: BLE001 - as trafilatura
        logger.warning("lxml could not parse the page's bytes: %s", exc)
        return None


def page_title(tree) -> str | None:
    """The title trafilatura's ``extract_metadata`` gives, by its own steps and nothing else: meta
    tags (OpenGraph first), else a JSON-LD headline, else the page's headings and title tag. The
    JSON-LD is read only without a meta title: it sets the title only then, and reading it (every
    block parsed, its escapes undone character by character) costs more than the rest."""
    meta = examine_meta(tree)
    if not meta.title:
        try:
            meta = extract_meta_json(tree, meta)
        except Exception:  # noqa: BLE001 - trafilatura's own guard: broken JSON-LD leaves no title
            pass
    title = meta.title or extract_title(tree)
    return line_processing(unescape(title[:10000])) if title else None  # as Document.clean_and_trim


def _part(name: str, problems: list[str], read, *args, **kwargs):
    """One part of a page read by one library; its failure (RecursionError on deep markup included)
    is recorded and costs that part alone."""
    try:
        return read(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - a parser's failure is a finding about the page
        logger.warning("the page's %s could not be read: %s: %s", name, type(exc).__name__, exc)
        problems.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
        return None

