"""Load and validate citations.yaml, pointing at the exact line of any problem.

The file is written by hand, so mistakes are expected: a typo in a key, a
footnote naming a source that does not exist, a date nobody can read. PyYAML
would accept much of that silently (a duplicate key keeps the last value), so
the file is composed into nodes, one source or footnote at a time
(``yamlnodes.py``), and every node is checked, each error naming file, line and
problem; the first problem in the file is the one reported. A URL must be well
formed (``urls.py``); whether it is safe to fetch is decided at crawl time and
reported as a verdict. The file is hostile input too: its size, nesting and
aliases are bounded as it is read (``yamlbounds.py``), so no file makes the load
run long or large.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from crawler.citing import yamlbounds, yamlnodes
from crawler.citing.claims import parse_claim
from crawler.citing.urls import url_problem
from crawler.models import Citations, ClaimedDate, Reference, Source

# -- schema (data) ------------------------------------------------------------

TOP_KEYS = ("document", "sources", "footnotes")
TOP_REQUIRED = ("sources", "footnotes")
DOCUMENT_KEYS = ("title", "publisher", "issue", "date", "url", "lang")  # lang: of the editors' reports
SOURCE_KEYS = ("url", "title", "publisher", "author", "claimed_updated", "accessed", "skip")
SOURCE_REQUIRED = ("url", "title")
REFERENCE_KEYS = ("source", "pages", "passage", "claimed_updated", "accessed", "context")
REFERENCE_REQUIRED = ("source",)

SOURCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
FOOTNOTE_LABEL = re.compile(r"^0*[1-9][0-9]*$")
# "S. 3-25", "Seiten 3–5", "p. 12", "pp. 3–5", "5 ff.": the prefix is the citation style, not the pages
PAGE_PREFIX = re.compile(r"^(?:S\.|Seiten?|pp?\.|pages?)\s*", re.I)
PAGE_ITEM = re.compile(r"^(?P<start>\d+)(?:\s*[-–—]\s*(?P<end>\d+)|\s*(?P<ff>ff?)\.?)?$")
PAGE_EXAMPLES = "10, 3-25, 5 f., 5 ff., S. 3-25, pp. 3–5 or a comma-separated list of these"

TAG = "tag:yaml.org,2002:"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built in: 5x faster on big files
REWORDED_MAX = 256 * 1024  # characters the pure-Python parser reads to word an error (half a second)
TYPE_NAMES = {"str": "text", "int": "a number", "float": "a number", "bool": "a boolean",
              "null": "empty", "timestamp": "a date", "seq": "a list", "map": "a mapping"}


class CitationsError(Exception):
    """A problem in citations.yaml, with the file and 1-based line it is on."""

    def __init__(self, path: str | Path, line: int, message: str):
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class CitedReference(Reference):
    """A Reference whose footnote states its own dates for the source.

    Used only when a reference overrides the source's claim or access date, so
    that plain references still compare equal to ``Reference(...)``. Read them
    with ``claimed_date(reference, source)`` and ``accessed_date(…)``.
    """

    claimed_updated: ClaimedDate | None = None
    accessed: ClaimedDate | None = None


def claimed_date(reference: Reference, source: Source) -> ClaimedDate | None:
    """The date this reference claims for its source: its own, else the source's."""
    return getattr(reference, "claimed_updated", None) or source.claimed_updated


def accessed_date(reference: Reference, source: Source) -> ClaimedDate | None:
    """When this reference says the source was read: its own date, else the source's."""
    return getattr(reference, "accessed", None) or source.accessed


def parse_pages(spec: str) -> tuple[tuple[int, int | None], ...]:
    """Page spans of a spec like "3-25", "5 ff.", "10, 12-14"; end None means open.

    Raises ValueError when the spec is not one of the accepted forms.
    """
    spans = []
    for item in spec.split(","):
        match = PAGE_ITEM.match(PAGE_PREFIX.sub("", item.strip()))
        if not match:
            raise ValueError(f"bad page spec {spec!r} (expected e.g. {PAGE_EXAMPLES})")
        spans.append(_span(match, spec))
    return tuple(spans)


def _span(match: re.Match, spec: str) -> tuple[int, int | None]:
    start = int(match["start"])
    end = int(match["end"]) if match["end"] else start
    if match["end"] and end < start and len(match["end"]) < len(match["start"]):
        end = int(match["start"][: -len(match["end"])] + match["end"])  # "201–15" is 201 to 215 (MLA, Chicago)
    if match["ff"]:
        end = start + 1 if match["ff"] == "f" else None
    if start < 1 or (end is not None and end < start):
        raise ValueError(f"bad page spec {spec!r}: pages run from 1 upwards, start before end")
    return start, end


def load_citations(path: str | Path) -> Citations:
    """Read citations.yaml; raise CitationsError at the first problem found."""
    return parse_citations(read_citations_text(path), path)


def parse_citations(text: str, path: str | Path) -> Citations:
    """Citations from YAML text; errors name ``path`` (the file the text is, or will be, saved as)."""
    reader = _Reader(str(path))
    try:
        yamlbounds.check_size(len(text.encode("utf-8")))
        try:
            with yamlnodes.Reading(text, LOADER) as reading:
                return reader.citations(reading)
        except yaml.YAMLError as exc:
            reader.word_syntax_error(text, exc)
    except yamlbounds.Exceeded as exc:
        raise CitationsError(path, exc.line, exc.message) from None


def read_citations_text(path: str | Path) -> str:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # opening a FIFO must not wait for a writer
        with open(descriptor, "rb") as fh:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # a FIFO or /dev/zero would never end
                raise CitationsError(path, 0, "not a regular file")
            data = fh.read(yamlbounds.MAX_BYTES + 1)
        yamlbounds.check_size(len(data) if len(data) <= yamlbounds.MAX_BYTES else Path(path).stat().st_size)
    except yamlbounds.Exceeded as exc:
        raise CitationsError(path, 0, exc.message) from None
    except OSError as exc:
        raise CitationsError(path, 0, f"cannot read file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CitationsError(path, line, f"not UTF-8 text ({exc.reason} at byte {exc.start}, "
                                         f"column {column} of the line)") from None


# -- the walk over the node tree -------------------------------------------------


class _Reader:
    """Walks one file's node tree; holds the path for error messages."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, node: Node | None, message: str) -> None:
        raise CitationsError(self.path, _line(node), message)

    def word_syntax_error(self, text: str, found: yaml.YAMLError) -> None:
        """Raise the YAML error libyaml ``found`` as the pure-Python parser words it (the same on every
        machine), else as libyaml words it. That parser takes 2 s a megabyte: it reads up to the line
        after libyaml's mark, the whole text only when the error it finds there is not at or before
        that mark, and never more than ``REWORDED_MAX`` characters."""
        mark = getattr(found, "problem_mark", None) or getattr(found, "context_mark", None)
        cut = _line_end(text, mark.line + 1) if mark is not None else len(text)
        for part in (text[:cut], text) if cut < len(text) else (text,):
            if len(part) > REWORDED_MAX:
                break
            try:
                yamlbounds.scan(part, yaml.SafeLoader)  # no recursion, however deep the text nests
                _compose(part, yaml.SafeLoader)
            except yaml.YAMLError as exc:
                line = _error_line(exc, part)
                if part is text or line <= mark.line + 1:
                    raise CitationsError(self.path, line, _syntax_message(exc)) from None
        raise CitationsError(self.path, _error_line(found, text), _syntax_message(found)) from None

    def citations(self, reading: yamlnodes.Reading) -> Citations:
        """The top level read key by key; sources and footnotes one entry at a time (footnotes
        written before the sources are read once the sources are known)."""
        if not reading.start():
            raise CitationsError(self.path, 1, "empty file: expected a mapping with 'sources' and 'footnotes'")
        root, keys = reading.keys()
        if keys is None:
            self.fail(root, f"top level must be a mapping, got {_type_name(root)}")
        seen: dict[str, int] = {}
        document, sources, references, footnotes_first = {}, None, None, None
        for key_node in keys:
            key = self.entry_key(key_node, "top level", seen, TOP_KEYS)
            if key == "document":
                document = self.document(reading.entries())
            elif key == "sources":
                sources = self.sources(reading.entries())
            elif sources is None:
                footnotes_first = reading.node()
            else:
                references = self.footnotes(reading.entries(), sources)
        reading.finish()
        self.require(seen, TOP_REQUIRED, "top level", root)
        if footnotes_first is not None:
            references = self.footnotes((footnotes_first, _pairs(footnotes_first)), sources)
        self.check_all_cited(sources, references)
        return Citations(path=self.path, document=document, sources=sources, references=references)

    # -- generic node readers

    def mapping(self, node: Node, where: str, allowed=None, required=(), owner=None) -> dict[str, Node]:
        """Key -> value node of a small mapping, refusing duplicates and, given allowed, unknown keys;
        a missing key is reported at ``owner`` (the line naming the mapping) when given."""
        seen: dict[str, int] = {}
        values = {key: value for key, _, value in self.entries((node, _pairs(node)), where, seen, allowed)}
        self.require(seen, required, where, owner or node)
        return values

    def entries(self, read: tuple[Node, Iterable | None], where: str, seen: dict[str, int], allowed=None,
                item="key") -> Iterator[tuple[str, Node, Node]]:
        """(key, key node, value node) of a mapping as ``Reading.entries`` reads it, refusing what is
        no mapping, duplicate keys and, given allowed, unknown ones. ``seen`` gathers each key's
        line; ``item`` names a key in messages ("source id")."""
        node, pairs = read
        if pairs is None:
            self.fail(node, f"{where} must be a mapping, got {_type_name(node)}")
        for key_node, value_node in pairs:
            yield self.entry_key(key_node, where, seen, allowed, item), key_node, value_node

    def entry_key(self, node: Node, where: str, seen: dict[str, int], allowed=None, item="key") -> str:
        key = self.key(node, where)
        if key in seen:
            self.fail(node, f"{where}: duplicate {item} {key!r} (first at line {seen[key]})")
        if allowed is not None and key not in allowed:
            self.fail(node, f"{where}: unknown key {key!r}{_suggest(key, allowed)}")
        seen[key] = _line(node)
        return key

    def require(self, seen: dict[str, int], required, where: str, owner: Node) -> None:
        for key in required:
            if key not in seen:
                self.fail(owner, f"{where}: missing required key {key!r}")

    def key(self, node: Node, where: str) -> str:
        if not isinstance(node, ScalarNode) or node.tag not in (TAG + "str", TAG + "int"):
            self.fail(node, f"{where}: a key must be text, got {_type_name(node)}")
        return node.value

    def text(self, node: Node, where: str, empty_ok: bool = False) -> str | None:
        """A string value; None for an empty one when that is allowed."""
        if isinstance(node, ScalarNode) and node.tag == TAG + "null" and empty_ok:
            return None
        if not isinstance(node, ScalarNode) or node.tag != TAG + "str":
            hint = " (put it in quotes)" if isinstance(node, ScalarNode) and node.tag != TAG + "null" else ""
            self.fail(node, f"{where} must be text, got {_type_name(node)}{hint}")
        value = node.value.strip()
        if not value and not empty_ok:
            self.fail(node, f"{where} must not be empty")
        return value or None

    def claim(self, node: Node, where: str) -> ClaimedDate:
        if not isinstance(node, ScalarNode) or node.tag == TAG + "null":
            self.fail(node, f"{where} must be a date or 'unknown', got {_type_name(node)}"
                      " (leave the key out if the footnote states no date)")
        try:
            return parse_claim(node.value)
        except ValueError as exc:
            self.fail(node, f"{where}: {exc}")

    # -- the three sections

    def document(self, read: tuple[Node, Iterable | None]) -> dict:
        document = {}
        for key, _, value in self.entries(read, "document", {}, DOCUMENT_KEYS):
            if not isinstance(value, ScalarNode):
                self.fail(value, f"document {key} must be text, got {_type_name(value)}")
            document[key] = value.value.strip()
        return document

    def sources(self, read: tuple[Node, Iterable | None]) -> dict[str, Source]:
        sources = {sid: self.source(sid, key_node, value)
                   for sid, key_node, value in self.entries(read, "sources", {}, item="source id")}
        if not sources:
            self.fail(read[0], "sources: no sources listed")
        return sources

    def source(self, sid: str, key_node: Node, node: Node) -> Source:
        where = f"source {sid!r}"
        if not SOURCE_ID.match(sid):
            self.fail(key_node, f"{where}: a source id is a short slug of letters, digits, '.', '_' or '-'")
        value = self.mapping(node, where, SOURCE_KEYS, SOURCE_REQUIRED, owner=key_node)
        publisher = self.text(value["publisher"], f"{where}: publisher", empty_ok=True) if "publisher" in value else None
        author = self.text(value["author"], f"{where}: author", empty_ok=True) if "author" in value else None
        claim = self.claim(value["claimed_updated"], f"{where}: claimed_updated") if "claimed_updated" in value else None
        accessed = self.claim(value["accessed"], f"{where}: accessed") if "accessed" in value else None
        skip = self.skip(value["skip"], f"{where}: skip") if "skip" in value else None
        url = self.text(value["url"], f"{where}: url", empty_ok=True)
        if url and (problem := url_problem(url)):
            self.fail(value["url"], f"{where}: url {url[:200]!r} {problem}")
        return Source(
            id=sid,
            url=url,
            title=self.text(value["title"], f"{where}: title"),
            publisher=publisher or "",
            claimed_updated=claim,
            line=_line(key_node),
            author=author or "",
            accessed=accessed,
            skip=skip,
        )

    def skip(self, node: Node, where: str) -> str | None:
        """``skip: <why>`` sets a source aside; ``skip: true`` too, ``skip: false`` does not."""
        if isinstance(node, ScalarNode) and node.tag == TAG + "bool":
            return "skipped in citations.yaml" if node.value.lower() in ("true", "yes", "on") else None
        return self.text(node, f"{where} must be the reason (or true)")

    def footnotes(self, read: tuple[Node, Iterable | None], sources: dict[str, Source]) -> list[Reference]:
        labels: dict[str, int] = {}
        references: list[Reference] = []
        for raw, key_node, value in self.entries(read, "footnotes", {}, item="footnote"):
            label = self.label(raw, key_node, labels)
            references.extend(self.footnote(label, value, sources))
            if len(references) > yamlbounds.MAX_REFERENCES:
                self.fail(key_node, f"footnotes: more than {yamlbounds.MAX_REFERENCES:,} references; "
                                    "split the document's citations into several files")
        if not labels:
            self.fail(read[0], "footnotes: no footnotes listed")
        return sorted(references, key=lambda ref: int(ref.footnote))  # stable: written order within

    def label(self, raw: str, key_node: Node, seen: dict[str, int]) -> str:
        if not FOOTNOTE_LABEL.match(raw):
            self.fail(key_node, f"footnote label {raw!r} must be a footnote number (1, 2, ...)")
        label = str(int(raw))
        if label in seen:
            self.fail(key_node, f"footnotes: duplicate footnote {label!r} (first at line {seen[label]})")
        seen[label] = _line(key_node)
        return label

    def footnote(self, label: str, node: Node, sources: dict[str, Source]) -> list[Reference]:
        where = f'footnote "{label}"'
        if isinstance(node, ScalarNode) and node.tag == TAG + "null" or (
            isinstance(node, SequenceNode) and not node.value
        ):
            self.fail(node, f"{where} has no references")
        if not isinstance(node, SequenceNode):
            self.fail(node, f"{where} must be a list of references, got {_type_name(node)}")
        return [self.reference(label, n, item, sources) for n, item in enumerate(node.value, 1)]

    def reference(self, label: str, n: int, node: Node, sources: dict[str, Source]) -> Reference:
        where = f'footnote "{label}", reference {n}'
        value = self.mapping(node, where, REFERENCE_KEYS, REFERENCE_REQUIRED)
        sid = self.text(value["source"], f"{where}: source")
        if sid not in sources:
            self.fail(value["source"], f'footnote "{label}" refers to unknown source {sid!r}')
        fields = dict(
            footnote=label,
            source=sid,
            pages=self.pages(value["pages"], where) if "pages" in value else None,
            passage=self.text(value["passage"], f"{where}: passage") if "passage" in value else None,
            line=_line(node),
            context=self.text(value["context"], f"{where}: context", empty_ok=True) if "context" in value else None,
        )
        dates = {key: self.claim(value[key], f"{where}: {key}") for key in ("claimed_updated", "accessed") if key in value}
        return CitedReference(**fields, **dates) if dates else Reference(**fields)

    def pages(self, node: Node, where: str) -> str:
        if isinstance(node, ScalarNode) and node.tag == TAG + "int":
            spec = node.value
        else:
            spec = self.text(node, f"{where}: pages")
        try:
            parse_pages(spec)
        except ValueError as exc:
            self.fail(node, f"{where}: {exc}")
        return spec

    def check_all_cited(self, sources: dict[str, Source], references: list[Reference]) -> None:
        cited = {ref.source for ref in references}
        for source in sources.values():
            if source.id not in cited:
                raise CitationsError(self.path, source.line, f"source {source.id!r} is not cited by any footnote")


# -- small helpers ------------------------------------------------------------------


def _pairs(node: Node) -> Iterable | None:
    """A composed node's entries as ``Reading.entries`` gives them: None for what is no mapping."""
    return node.value if isinstance(node, MappingNode) else None


def _line(node: Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 0


def _error_line(exc: yaml.YAMLError, text: str) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return mark.line + 1
    position = getattr(exc, "position", None)  # a reader error counts characters, not lines
    return text.count("\n", 0, position) + 1 if position is not None else 0


def _line_end(text: str, line: int) -> int:
    """Where 0-based ``line`` ends, its newline included (the text's end if it has no such line)."""
    end = -1
    for _ in range(line + 1):
        end = text.find("\n", end + 1)
        if end < 0:
            return len(text)
    return end + 1


def _compose(text: str, loader_class) -> Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _syntax_message(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    if problem is None:
        return f"YAML syntax error: {exc}"
    context = getattr(exc, "context", None)
    return f"YAML syntax error: {problem}" + (f" ({context})" if context else "")


def _type_name(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    return TYPE_NAMES.get(node.tag.removeprefix(TAG), node.tag)


def _suggest(key: str, allowed) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return " (allowed: " + ", ".join(allowed) + ")"
