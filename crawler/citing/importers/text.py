"""Plain text: a PDF or Word file converted to text, its notes kept as numbered lines.

Markers are superscript digits glued to the text ("feststellen.¹") or bracketed
numbers ("[1]"); notes are paragraphs opening with their number ("1 BTI, …",
"[1] …", "¹ …"), wherever a page ended. Numbers must follow one another, so a
body paragraph that opens with a year or a postcode is not taken for a note.
A body paragraph cut by a page (it ends without a full stop, and the notes of
that page stand between its halves) is joined again before contexts are read.
"""

from __future__ import annotations

import re
from pathlib import Path

from crawler.citing.context import join_cut_paragraphs, marker_contexts
from crawler.citing.notes import DocumentError, Note

SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
SUPERSCRIPT_MARKER = re.compile(r"(?<=\S)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
BRACKET_MARKER = re.compile(r"(?<=\S)\[(\d{1,3})\]")
NOTE_START = re.compile(r"^(?:(?P<plain>\d{1,3})\.?\s+|\[(?P<bracket>\d{1,3})\]\s*|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*)(?=\S)")


def read(path: Path) -> tuple[str | None, str | None, list[Note]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return read_text(text)


def read_text(text: str) -> tuple[str | None, str | None, list[Note]]:
    """(title, language, notes) of a text with numbered notes."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    title = " ".join(blocks[0].split()) if blocks else None
    body, notes = _split_blocks(blocks[1:])
    contexts = marker_contexts(join_cut_paragraphs(body))
    for note in notes:
        note.context = contexts.get(note.label)
    return title, None, notes


def _split_blocks(blocks: list[str]) -> tuple[list[str], list[Note]]:
    """Body paragraphs (markers as [^N]) and notes, telling a note by the number that comes next."""
    body: list[str] = []
    notes: list[Note] = []
    for block in blocks:
        if not _opens_note(block, len(notes) + 1, body, notes):
            body.append(_mark(" ".join(block.split())))
            continue
        for line in block.splitlines():  # notes one per line, or a note wrapped over several lines
            line = " ".join(line.split())
            if _opens_note(line, len(notes) + 1, body, notes):
                start = NOTE_START.match(line)
                notes.append(Note(label=str(len(notes) + 1), text=line[start.end():].strip()))
            elif line:
                notes[-1].text += " " + line
    return body, notes


def _opens_note(text: str, expected: int, body: list[str], notes: list[Note]) -> bool:
    """Does the text open with the number of the next note (shown as a marker in the body before)?"""
    start = NOTE_START.match(text)
    if not start:
        return False
    number = int((start["plain"] or start["bracket"] or start["sup"]).translate(SUPERSCRIPTS))
    return number == expected and bool(notes or _marked(body, number))


def _marked(body: list[str], number: int) -> bool:
    """Has the body shown marker ``number`` yet? (A text without markers still has notes: the first is 1.)"""
    return any(f"[^{number}]" in paragraph for paragraph in body) or not any("[^" in p for p in body)


def _mark(paragraph: str) -> str:
    paragraph = SUPERSCRIPT_MARKER.sub(lambda m: f"[^{m[1].translate(SUPERSCRIPTS)}]", paragraph)
    return BRACKET_MARKER.sub(lambda m: f"[^{m[1]}]", paragraph)
