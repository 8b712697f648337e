"""Document formats in, the references of their notes out: one reader per format.

Each reader gives the document's title and language and its notes (text with
links as ``[text](url)``, and the body sentences each marker closes), or, for
a reference manager's export, the references themselves. The rest is shared:
``read_note`` reads the citation style, back references are resolved, and
``crawler.citing.draft`` makes citations.yaml of it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crawler.citing.citations import parse_citations, read_citations_text
from crawler.citing.draft import resolve_back_references, resolve_labels
from crawler.citing.language import language
from crawler.citing.notes import Cited, DocumentError, Imported, Note
from crawler.citing.styles import read_note
from crawler.models import Citations

# suffix -> (format, reader module, function); a reader's libraries load only when its format is read
READERS = {
    ".pdf": ("pdf", "pdf", "read"),
    ".docx": ("docx", "pandoc", "read"),
    ".odt": ("odt", "pandoc", "read"),
    ".html": ("html", "html", "read"),
    ".htm": ("html", "html", "read"),
    ".md": ("markdown", "pandoc", "read"),
    ".markdown": ("markdown", "pandoc", "read"),
    ".txt": ("text", "text", "read"),
    ".json": ("csl-json", "csl", "read_json"),
    ".bib": ("bibtex", "csl", "read_bibtex"),
}
SUFFIXES = tuple(READERS)


def _reader(suffix: str) -> tuple[str, Callable]:
    kind, module, function = READERS[suffix]
    return kind, getattr(importlib.import_module(f"crawler.citing.importers.{module}"), function)

PROSE_WORDS = 40  # fewer words tell no language reliably


def is_document(path: str | Path) -> bool:
    """Is this a document to import (by its extension), rather than a citations.yaml?"""
    return Path(path).suffix.lower() in SUFFIXES


def import_document(path: str | Path) -> Imported:
    """Every reference of the document's notes; DocumentError when there is none to read."""
    path = Path(path)
    if path.suffix.lower() not in READERS:
        raise DocumentError(str(path), f"unknown document format {path.suffix or '(no extension)'!r}; "
                                       f"citecheck imports {', '.join(SUFFIXES)}")
    if not path.is_file():
        raise DocumentError(str(path), "no such file")
    kind, reader = _reader(path.suffix.lower())
    title, lang, notes_or_refs = reader(path)
    if notes_or_refs and isinstance(notes_or_refs[0], Cited):
        notes, references = [], list(notes_or_refs)
    else:
        notes, references = list(notes_or_refs), references_of(notes_or_refs)
    warnings = resolve_back_references(references) if notes else []
    if not notes and not references:
        raise DocumentError(str(path), _nothing_found(kind))
    if not references:
        raise DocumentError(str(path), f"{len(notes)} notes found, but no reference could be read in any of them")
    lang = lang or prose_language(title, [r.context for r in references])
    return Imported(path=str(path), title=title, lang=lang, notes=notes, references=references, format=kind,
                    warnings=warnings)


def prose_language(title: str | None, sentences: list[str | None]) -> str | None:
    """The language of a document that does not declare one (plain text, most PDFs), told from its title and
    citing sentences, so that the editors' reports speak it; None when there is too little prose to tell."""
    sample = " ".join(filter(None, (title, *sentences)))
    return language(sample) if len(sample.split()) >= PROSE_WORDS else None


def references_of(notes: list[Note]) -> list[Cited]:
    references = []
    for note in notes:
        for cited in read_note(note.label, note.text):
            cited.context = note.context
            references.append(cited)
    resolve_labels(references)
    return references


def _nothing_found(kind: str) -> str:
    if kind in ("docx", "odt"):
        return "the document has no footnotes or endnotes"
    if kind in ("csl-json", "bibtex"):
        return "the export holds no entries"
    return "no footnotes found (no numbered notes, and no markers in the text that point to them)"


# -- citations.yaml from a document ----------------------------------------------------


@dataclass
class Loaded:
    """The citations to verify, the document they come from, and their YAML as the run archives it:
    each handed over once (``take_text``, ``take_citations``), so that no caller holds the text through
    the crawl (2 MB at 10,000 references), nor the citations through the reports."""
    citations: Citations | None
    document: Path | None
    text: str | None

    def take_text(self) -> str:
        text, self.text = self.text, None
        if text is None:
            raise RuntimeError("the citations' text was handed over already")
        return text

    def take_citations(self) -> Citations:
        citations, self.citations = self.citations, None
        if citations is None:
            raise RuntimeError("the citations were handed over already")
        return citations


def load(path: Path) -> Loaded:
    """The citations of ``path``, a citations.yaml or a document.

    A document (PDF, Word, HTML, ...) is imported in memory; errors in either
    are CitationsError or DocumentError, raised before anything is created or
    fetched (and before the crawl's libraries load: bad input fails fast).
    """
    if is_document(path):
        text = citations_text(import_document(path))
        return Loaded(parse_citations(text, f"{path} (imported)"), Path(path), text)
    text = read_citations_text(path)
    return Loaded(parse_citations(text, path), None, text)


def citations_text(imported: Imported) -> str:
    """The citations.yaml of an imported document, as a new file."""
    from crawler.citing.draft import citations_map, dump

    return dump(citations_map(imported))


def write_citations(imported: Imported, output: Path) -> list[str]:
    """Write (or merge into) ``output``; returns the summary lines an editor reads.

    An existing file is validated first: importing into a broken file would
    hide its problem. The file is replaced in one step, never left half written.
    """
    from crawler.citing.citations import load_citations
    from crawler.citing.draft import citations_map
    from crawler.citing.merge import merge

    lines = summary(imported)
    if output.exists():
        load_citations(output)  # CitationsError names the file and line
        existing = output.read_text(encoding="utf-8")
        text, changes = merge(existing, citations_map(imported))
        lines += [f"merged into {output}:", *(f"  {line}" for line in changes.lines())]
        if text == existing:
            return lines
    else:
        text = citations_text(imported)
        lines.append(f"wrote {output}")
    temporary = output.with_name(f".{output.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    load_citations(temporary)  # what is written must load: a bug here must not cost the editor their file
    temporary.replace(output)
    return lines


def summary(imported: Imported) -> list[str]:
    from crawler.citing.draft import group_sources

    footnotes = len({c.footnote for c in imported.references})
    groups = group_sources(imported.references)
    lost = [refs[0] for refs in groups.values() if not (refs[0].source_of or refs[0]).url]
    lines = [f"read {imported.path} ({imported.format}): {footnotes} footnotes, {len(imported.references)} "
             f"references, {len(groups)} sources"]
    if lost:
        lines.append(f"  {len(lost)} sources without a URL (the document lost or never gave them): "
                     "fill them in by hand; citecheck never guesses one")
    lines += [f"  warning: {w}" for w in imported.warnings]
    return lines
