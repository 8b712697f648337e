"""What a document's notes say, between reading the file and writing citations.yaml.

Every format reader gives the same two things: the notes, each with its text
(links written as ``[text](url)``, whatever the format stored) and the body
sentences its marker closes; and the references read from them. Keeping one
form for all formats means one citation-style reader serves PDF, Word, HTML,
Markdown and text alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class DocumentError(Exception):
    """A document that cannot be imported, with the file and what is wrong."""

    def __init__(self, path: str, message: str):
        self.path = str(path)
        self.message = message
        super().__init__(f"{self.path}: {message}")


@dataclass
class Note:
    """One footnote or endnote as the document shows it."""

    label: str  # "1", "12": the number its marker shows
    text: str  # the note's text, links as [text](url)
    context: str | None = None  # the body sentence(s) its marker closes


@dataclass
class Cited:
    """One reference as read from a note, before references to one source are merged."""

    footnote: str
    title: str = ""
    url: str = ""  # "" when the document gives none or lost it (see ``url_note``)
    url_note: str | None = None  # why the url is empty: shown as a comment, never guessed
    author: str = ""
    publisher: str = ""
    claimed: str | None = None  # a stated publication or update date, as written
    accessed: str | None = None  # an access date, as written
    pages: str | None = None
    context: str | None = None
    back: str | None = None  # "ibid" (Ibid., Ebd.), "op_cit" (a. a. O., op. cit.) until resolved
    source_of: Cited | None = field(default=None, repr=False)  # the earlier reference a back reference resolves to


@dataclass
class Imported:
    """A document read: its own title and language, and every reference of every note."""

    path: str
    title: str | None
    lang: str | None
    notes: list[Note]
    references: list[Cited]
    format: str = ""
    warnings: list[str] = field(default_factory=list)  # back references that point nowhere, ...
