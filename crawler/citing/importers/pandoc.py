"""Word (DOCX), LibreOffice (ODT) and Markdown documents, read through pandoc.

pandoc reads all three into one document tree in which a footnote or endnote
is a ``Note`` element where its marker stands and a hyperlink is a ``Link``
with its real target, so the notes, their links and the sentences before each
marker come out of one walk over the tree. pandoc itself ships as the
``pypandoc-binary`` wheel: nothing to install beside citecheck.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from crawler.citing.context import marker_contexts
from crawler.citing.notes import DocumentError, Note

FORMATS = {".docx": "docx", ".odt": "odt", ".md": "markdown", ".markdown": "markdown"}
SPACES = {"Space", "SoftBreak", "LineBreak"}
WRAPPERS = {"Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Span"}
QUOTES = {"DoubleQuote": ("“", "”"), "SingleQuote": ("‘", "’")}
PARAGRAPHS = {"Para", "Plain"}
CONTAINERS = {"BlockQuote", "Div"}
LISTS = {"BulletList", "OrderedList"}


def read(path: Path) -> tuple[str | None, str | None, list[Note]]:
    tree = _pandoc_tree(path)
    walker = _Walker()
    walker.blocks(tree.get("blocks", []))
    contexts = marker_contexts(walker.paragraphs)
    for note in walker.notes:
        note.context = contexts.get(note.label)
    meta = tree.get("meta", {})
    title = _meta_text(meta.get("title")) or _odt_title(path) or walker.first_heading
    return title or None, _meta_text(meta.get("lang")) or None, walker.notes


def _odt_title(path: Path) -> str | None:
    """pandoc's ODT reader leaves out the document's own title (meta.xml's dc:title): read it there."""
    if path.suffix.lower() != ".odt":
        return None
    try:
        with zipfile.ZipFile(path) as odt:
            meta = etree.fromstring(odt.read("meta.xml"))
    except (KeyError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    titles = meta.xpath("//dc:title/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"})
    return " ".join(titles[0].split()) if titles and titles[0].strip() else None


def _pandoc_tree(path: Path) -> dict:
    """pandoc's JSON document tree; a file pandoc cannot read is a DocumentError naming pandoc's reason."""
    import pypandoc

    try:
        # the wheel's own binary: the same pandoc on every machine, whatever else is installed
        out = subprocess.run(
            [pypandoc.get_pandoc_path(), "--from", FORMATS[path.suffix.lower()], "--to", "json", str(path)],
            capture_output=True, timeout=120, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DocumentError(str(path), f"pandoc could not run: {exc}") from None
    if out.returncode != 0:
        reason = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DocumentError(str(path), f"not a readable {path.suffix.lstrip('.').upper()} file "
                                       f"({reason[-1] if reason else 'pandoc failed'})")
    return json.loads(out.stdout)


def _meta_text(value: dict | None) -> str:
    if not value:
        return ""
    if value["t"] == "MetaString":
        return value["c"]
    if value["t"] == "MetaInlines":
        return _Walker().inlines(value["c"]).strip()
    if value["t"] == "MetaBlocks":
        return " ".join(_Walker().note_text(value["c"]).split())
    return ""


class _Walker:
    """One pass over pandoc's tree: body paragraphs with ``[^N]`` markers, and the notes."""

    def __init__(self):
        self.paragraphs: list[str] = []
        self.notes: list[Note] = []
        self.first_heading: str | None = None

    def blocks(self, blocks: list[dict]) -> None:
        for block in blocks:
            kind, content = block["t"], block.get("c")
            if kind in PARAGRAPHS:
                self.paragraphs.append(self.inlines(content))
            elif kind == "Header":
                text = self.inlines(content[2])
                self.first_heading = self.first_heading or text.strip()
            elif kind in CONTAINERS:
                self.blocks(content[-1] if kind == "Div" else content)
            elif kind in LISTS:
                for item in content[-1] if kind == "OrderedList" else content:
                    self.blocks(item)
            elif kind == "Table":
                self._table(content)

    def _table(self, content: list) -> None:
        """Cells hold paragraphs (and markers) too; walked in reading order."""
        def walk(node):
            if isinstance(node, dict) and node.get("t") in PARAGRAPHS | CONTAINERS | LISTS:
                self.blocks([node])
            elif isinstance(node, (list, dict)):
                for child in (node.values() if isinstance(node, dict) else node):
                    walk(child)
        walk(content)

    def inlines(self, inlines: list[dict]) -> str:
        parts = []
        for inline in inlines:
            kind, content = inline["t"], inline.get("c")
            if kind == "Str":
                parts.append(content)
            elif kind in SPACES:
                parts.append(" ")
            elif kind in WRAPPERS:
                parts.append(self.inlines(content[-1] if kind == "Span" else content))
            elif kind == "Quoted":
                opening, closing = QUOTES[content[0]["t"]]
                parts.append(opening + self.inlines(content[1]) + closing)
            elif kind == "Link":
                parts.append(self._link(content))
            elif kind == "Cite":
                parts.append(self.inlines(content[1]))
            elif kind in ("Code", "Math"):
                parts.append(content[-1])
            elif kind == "Note":
                parts.append(self._note(content))
        return "".join(parts)

    def _link(self, content: list) -> str:
        text = self.inlines(content[1]).strip()
        url = content[2][0].strip()
        return url if text == url else f"[{text.replace('[', '(').replace(']', ')')}]({url})"

    def _note(self, blocks: list[dict]) -> str:
        label = str(len(self.notes) + 1)
        self.notes.append(Note(label=label, text=""))  # numbered where its marker stands
        self.notes[int(label) - 1].text = self.note_text(blocks)
        return f"[^{label}]"

    def note_text(self, blocks: list[dict]) -> str:
        texts = []
        for block in blocks:
            if block["t"] in PARAGRAPHS:
                texts.append(self.inlines(block["c"]))
            elif block["t"] in CONTAINERS:
                texts.append(self.note_text(block["c"][-1] if block["t"] == "Div" else block["c"]))
            elif block["t"] in LISTS:
                items = block["c"][-1] if block["t"] == "OrderedList" else block["c"]
                texts += [self.note_text(item) for item in items]
        return " ".join(" ".join(texts).split())
