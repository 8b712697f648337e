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
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    title = blocks[0] if blocks else None
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
        for line in _note_lines(block, len(notes) + 1):
            start = NOTE_START.match(line)
            number = start and int((start["plain"] or start["bracket"] or start["sup"]).translate(SUPERSCRIPTS))
            if start and number == len(notes) + 1 and (notes or _marked(body, number)):
                notes.append(Note(label=str(number), text=line[start.end():].strip()))
            elif notes and _continues_note(line, notes, body):
                notes[-1].text += " " + line
            else:
                body.append(_mark(line))
    return body, notes


def _note_lines(block: str, expected: int) -> list[str]:
    """A block of notes written one per line without blank lines between them is split at each number."""
    pattern = re.compile(rf"\s(?=(?:{expected + 1}|\[{expected + 1}\])\s)")
    return [part for part in pattern.split(block, maxsplit=1) if part] if NOTE_START.match(block) else [block]


def _marked(body: list[str], number: int) -> bool:
    """Has the body shown marker ``number`` yet? (A text without markers still has notes: the first is 1.)"""
    return any(f"[^{number}]" in paragraph for paragraph in body) or not any("[^" in p for p in body)


def _continues_note(line: str, notes: list[Note], body: list[str]) -> bool:
    return False


def _mark(paragraph: str) -> str:
    paragraph = SUPERSCRIPT_MARKER.sub(lambda m: f"[^{m[1].translate(SUPERSCRIPTS)}]", paragraph)
    return BRACKET_MARKER.sub(lambda m: f"[^{m[1]}]", paragraph)
