"""PDF documents: footnotes at the foot of each page, or endnotes after the text.

pdfplumber gives every word with its font size and position, and every link
annotation with its rectangle. From these: the body's font size (the most
common); markers are smaller digits raised above their line; a footnote is a
run of smaller lines at the foot of a page that opens with the next note
number (a note may run on to the next page); endnotes open with note 1 after
the body has shown marker 1, and run to the end. A note's links are the
annotations over its words, so a URL broken across a line end ("…/street-" +
"tree-master-plan") is read whole, the annotation deciding whether the hyphen
belongs to it; without an annotation a line ending in "-" or "/" inside a URL
is joined as written.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from crawler.citing.context import SENTENCE_END, marker_contexts
from crawler.citing.notes import DocumentError, Note

SMALL = 0.92  # a line set smaller than this share of the body size is note text (or a caption)
RAISED = 0.9  # a superscript marker: digits smaller than this share of their line's size
HEADING = 1.15
PARAGRAPH_GAP = 1.45  # a gap between lines this many times the usual line pitch starts a paragraph
MARGIN = 0.09  # share of the page height at top and bottom where running heads and page numbers sit
NOTE_START = re.compile(r"^(?P<n>\d{1,3})(?:[.)])?$")
GLUED_NUMBER = re.compile(r"^(?P<n>\d{1,3})(?=[^\W\d_]|[„“\"«(\[])")  # "10Ebd.": number and text set without a gap
BACKLINKS = re.compile(r"[↩↑]\ufe0e?")
JOIN_WITHOUT_SPACE = ("-", "–", "/", "_", "=", "?", "&", "#")


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    uri: str | None = None
    marker: bool = False


@dataclass
class _Line:
    page: int
    words: list[_Word]
    page_height: float
    size: float = 0.0
    top: float = field(init=False)

    def __post_init__(self):
        self.words.sort(key=lambda w: w.x0)
        self.top = min(w.top for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def read(path: Path) -> tuple[str | None, str | None, list[Note]]:
    pages, title = _read_pdf(path)
    lines = [line for page in pages for line in page]
    if not lines:
        raise DocumentError(str(path), "the PDF has no text to read (a scan without a text layer?)")
    for line in lines:
        line.size = _line_size(line)
        _mark_markers(line)
    body_size = _body_size([line for line in lines if any(w.marker for w in line.words)] or lines)
    body, notes = _split(pages, body_size)
    contexts = marker_contexts(_paragraphs(body, body_size))
    for note in notes:
        note.context = contexts.get(note.label)
    return title or _largest_text(lines, body_size), None, notes


def _read_pdf(path: Path) -> tuple[list[list[_Line]], str | None]:
    """Lines of words per page, each word with the link over it; any failure of the PDF a DocumentError."""
    import pdfplumber

    _refuse_encrypted(path)
    try:
        with pdfplumber.open(path) as pdf:
            title = (pdf.metadata or {}).get("Title")
            pages = [_page_lines(page, n) for n, page in enumerate(pdf.pages)]
    except Exception as exc:  # pdfminer raises many kinds for damaged files; each is "unreadable" here
        reason = str(getattr(exc, "__cause__", None) or exc).strip() or type(exc).__name__
        raise DocumentError(str(path), f"not a readable PDF: damaged or truncated ({reason})") from None
    return pages, title if isinstance(title, str) and title.strip() else None


def _refuse_encrypted(path: Path) -> None:
    """A PDF that needs a password to open is refused by name (one with an empty password is read)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.ERROR  # a damaged file's warnings: pdfplumber's error says it once
    try:
        reader = PdfReader(path)
        locked = reader.is_encrypted and not reader.decrypt("")
    except (PyPdfError, OSError, ValueError, KeyError):
        return  # damaged: pdfplumber's reading says how
    finally:
        quiet.setLevel(level)
    if locked:
        raise DocumentError(str(path), "the PDF is encrypted (it needs a password to open): "
                                       "save an unprotected copy and import that")


def _page_lines(page, number: int) -> list[_Line]:
    links = [link for link in page.hyperlinks if link.get("uri")]
    words = [
        _Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], round(w["size"], 1), _uri(w, links))
        for w in page.extract_words(extra_attrs=["size"], keep_blank_chars=False, use_text_flow=False)
    ]
    lines: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (w.bottom, w.x0)):
        line = next((line for line in lines if _same_line(line, word)), None)
        if line is None:
            lines.append([word])
        else:
            line.append(word)
    return sorted((_Line(number, ws, float(page.height)) for ws in lines), key=lambda line: line.top)


def _same_line(line: list[_Word], word: _Word) -> bool:
    """Words that overlap vertically by half their height share a line: so does a raised marker."""
    top, bottom = min(w.top for w in line), max(w.bottom for w in line)
    overlap = min(bottom, word.bottom) - max(top, word.top)
    return overlap >= 0.5 * min(bottom - top, word.bottom - word.top)


def _uri(word: dict, links: list[dict]) -> str | None:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    for link in links:
        if link["x0"] - 1 <= cx <= link["x1"] + 1 and link["top"] - 2 <= cy <= link["bottom"] + 2:
            return link["uri"]
    return None


def _body_size(lines: list[_Line]) -> float:
    counts = Counter()
    for line in lines:
        for word in line.words:
            counts[word.size] += len(word.text)
    return counts.most_common(1)[0][0]


def _line_size(line: _Line) -> float:
    counts = Counter()
    for word in line.words:
        counts[word.size] += len(word.text)
    return counts.most_common(1)[0][0]


def _mark_markers(line: _Line) -> None:
    """Digits set smaller than their line and raised above it are note markers."""
    bottom = statistics.median(w.bottom for w in line.words if w.size == line.size) if line.words else 0
    for word in line.words:
        if word.size < RAISED * line.size and word.text.strip(",").isdigit() and word.bottom < bottom - 0.8:
            word.marker = True


# -- notes and body ----------------------------------------------------------------


def _split(pages: list[list[_Line]], body_size: float) -> tuple[list[_Line], list[Note]]:
    """Body lines (markers as [^N]) and the notes, read as a reader does: foot of page, then endnotes."""
    body: list[_Line] = []
    notes: list[tuple[str, list[_Line]]] = []
    endnotes = False
    seen: set[str] = set()
    for page in pages:
        lines = [line for line in page if not _running_head(line, body_size)]
        foot = _foot_start(lines, body_size)
        for i, line in enumerate(lines):
            number = _note_number(line, len(notes) + 1)
            in_notes = endnotes or i >= foot
            if number and (in_notes or (number == "1" and "1" in seen)):
                endnotes = endnotes or i < foot
                notes.append((number, [line]))
            elif in_notes and notes:
                notes[-1][1].append(line)
            elif line.size <= HEADING * body_size:
                seen.update(w.text.strip(",") for w in line.words if w.marker)
                body.append(line)
    return body, [Note(label=n, text=_note_text(ls)) for n, ls in notes]


def _running_head(line: _Line, body_size: float) -> bool:
    """A page number or running head: digits alone (or "Seite 3") near the top or the foot of the page."""
    near_edge = line.top < MARGIN * line.page_height or line.top > (1 - 2 * MARGIN) * line.page_height
    return near_edge and bool(re.fullmatch(r"[\d\s/–-]+|(?:page|seite|s\.)\s*\d+.*", line.text, re.I))


def _foot_start(lines: list[_Line], body_size: float) -> int:
    """Where the page's footnotes begin: the run of smaller lines below the last body line."""
    start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].size < SMALL * body_size:
            start = i
        else:
            break
    return start


def _note_number(line: _Line, expected: int) -> str | None:
    """The note number a line opens with, if it is the one expected next ("7", "7.", "10Ebd.")."""
    first = line.words[0]
    match = NOTE_START.match(first.text)
    if match and int(match["n"]) == expected and len(line.words) > 1:
        return match["n"]
    glued = GLUED_NUMBER.match(first.text)
    if glued and int(glued["n"]) == expected:
        line.words[:1] = [_Word(glued["n"], first.x0, first.x0, first.top, first.bottom, first.size),
                          _Word(first.text[len(glued["n"]):], first.x0, first.x1, first.top, first.bottom, first.size,
                                first.uri)]
        return glued["n"]
    return None


def _note_text(lines: list[_Line]) -> str:
    """A note's text with its links as [visible](uri), or the bare URI when the visible text is the URL."""
    words = [w for line in lines for w in line.words]
    words = words[1:]  # the note's number
    parts: list[str] = []
    previous_line_end = {id(line.words[-1]) for line in lines}
    i = 0
    while i < len(words):
        word = words[i]
        if word.uri:
            j = i
            while j + 1 < len(words) and words[j + 1].uri == word.uri:
                j += 1
            parts.append(_link_text(words[i:j + 1], word.uri, previous_line_end))
            i = j + 1
        else:
            parts.append(word.text)
            i += 1
        if i < len(words):
            parts.append("" if id(words[i - 1]) in previous_line_end and _joins(words[i - 1].text) else " ")
    return BACKLINKS.sub("", "".join(parts)).strip()


def _joins(text: str) -> bool:
    """A line that ends inside a URL, a range or a hyphenated word ("…/street-", "2025–", "e-") runs on
    without a space; the hyphen is kept (typesetters here break after hyphens, they do not add them)."""
    if text.endswith(("-", "–", "/")):
        return True
    return text.endswith(JOIN_WITHOUT_SPACE) and ("/" in text or "www." in text)  # "…?id=", "…#" of a URL


def _link_text(words: list[_Word], uri: str, line_ends: set[int]) -> str:
    visible = ""
    for k, word in enumerate(words):
        visible += word.text
        if k + 1 < len(words):
            visible += "" if id(word) in line_ends and _joins(word.text) else " "
    bare = visible.strip("<>.,;:()")
    if _same_address(bare, uri):
        lead, tail = visible[: visible.find(bare)], visible[visible.find(bare) + len(bare):]
        return f"{lead}{uri}{tail}"
    title = visible.rstrip(",.;:")  # a word carries its punctuation; the link's text does not
    return f"[{title.replace('[', '(').replace(']', ')')}]({uri}){visible[len(title):]}"


def _same_address(visible: str, uri: str) -> bool:
    """Is the visible text the address itself (perhaps broken at a hyphen the annotation lacks)?"""
    def squash(text: str) -> str:
        return re.sub(r"^(?:https?://)?(?:www\.)?", "", re.sub(r"\s+", "", text)).rstrip("/")
    return squash(visible) == squash(uri) or squash(visible).replace("-", "") == squash(uri).replace("-", "")


def _paragraphs(body: list[_Line], body_size: float) -> list[str]:
    """Body lines joined into paragraphs: a larger gap, or a new page after a finished sentence, breaks one."""
    pitches = [b.top - a.top for a, b in zip(body, body[1:]) if a.page == b.page and 0 < b.top - a.top < 3 * body_size]
    pitch = statistics.median(pitches) if pitches else body_size * 1.2
    paragraphs: list[list[_Line]] = []
    for line in body:
        previous = paragraphs[-1][-1] if paragraphs else None
        new_page = previous is not None and previous.page != line.page
        if previous is None or (new_page and SENTENCE_END.search(_body_text([previous]))) or (
                not new_page and line.top - previous.top > PARAGRAPH_GAP * pitch):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [_body_text(lines) for lines in paragraphs]


def _body_text(lines: list[_Line]) -> str:
    parts = []
    for line in lines:
        text = ""
        for word in line.words:
            text += f"[^{word.text.strip(',')}]" if word.marker else (" " if text else "") + word.text
        if parts and parts[-1].endswith(("-", "–")) and text[:1].islower():
            parts[-1] += text
        else:
            parts.append(text)
    return " ".join(parts)


def _largest_text(lines: list[_Line], body_size: float) -> str | None:
    first_page = [line for line in lines if line.page == 0 and line.size > HEADING * body_size]
    return " ".join(line.text for line in first_page[:3]) or None
