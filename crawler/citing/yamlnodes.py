"""citations.yaml composed one entry at a time, into nodes that keep what the reader reads of them.

PyYAML's nodes keep two marks each, a tag string of their own and an attribute dictionary: a
citations file of 10,000 references composed into 42 MB of them (4 KB a reference). These are
PyYAML's node classes with slots (tag, value, line), so ``isinstance`` and the reader's code stay as
they are, composed from the loader's events by PyYAML's composer's rules (tags resolved by the
loader, anchors and aliases, a single document). A node's ``start_mark`` is the node itself: its
``line`` is all the reader reads of a mark. Errors carry the mark where they are found,
and the reader words them from PyYAML's own composer.

A ``Reading`` composes a mapping entry by entry, so the reader holds one source or one footnote's
nodes at a time, never the tree: a whole tree of 10,000 references left 25 MB of arenas behind it,
freed but fragmented by the strings the citations keep. Each event is counted by a
``yamlbounds.Budget`` as it is read, so a hostile file is refused as soon as it overspends.
"""

from __future__ import annotations

from collections.abc import Iterator

from yaml.composer import ComposerError
from yaml.events import AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent, StreamEndEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from crawler.citing.yamlbounds import Budget, Exceeded

SHARED_LENGTH = 32  # a value this short is kept once however often it is written: keys, dates, numbers


class _Lean:
    """A node's mark is the node: its ``line`` is all the reader reads of a mark."""

    __slots__ = ()

    @property
    def start_mark(self):
        return self


class LeanScalar(_Lean, ScalarNode):
    __slots__ = ("tag", "value", "line")


class LeanSequence(_Lean, SequenceNode):
    __slots__ = ("tag", "value", "line")


class LeanMapping(_Lean, MappingNode):
    __slots__ = ("tag", "value", "line")


def _node(cls, tag: str, value, line: int) -> Node:
    node = cls.__new__(cls)  # not Node.__init__, which would set marks and a style
    node.tag, node.value, node.line = tag, value, line
    return node


class Reading:
    """One YAML document read front to back: whole nodes, or a mapping's entries one at a time.

    Calls follow the document: ``start``, then the root through ``node``, ``entries`` or ``keys``
    (reading each key's value before the next key), then ``finish``.
    """

    def __init__(self, text: str, loader_class):
        self.loader = loader_class(text)
        self.budget = Budget()
        self.anchors: dict[str, Node] = {}
        self.sizes: dict[str, int | None] = {}  # values an anchor stands for; None while it is composed
        self.tags: dict[str, str] = {}  # one string per tag, not one per node
        self.strings: dict[str, str] = {}  # ... and per short value (keys, dates, numbers)

    def __enter__(self) -> Reading:
        return self

    def __exit__(self, *exc) -> None:
        self.loader.dispose()

    def start(self) -> bool:
        """Past the stream's start: is there a document?"""
        self.loader.get_event()  # stream start
        if self.loader.check_event(StreamEndEvent):
            return False
        self.loader.get_event()  # document start
        return True

    def finish(self) -> None:
        loader = self.loader
        if not loader.check_event(StreamEndEvent):
            loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            raise ComposerError(None, None, "expected a single document in the stream", loader.peek_event().start_mark)

    def entries(self) -> tuple[Node, Iterator[tuple[Node, Node]] | None]:
        """The next node, and when it is a mapping its entries (key, value) as each is composed; the
        node is then a mapping without entries, which names the mapping's line and tag. Any other
        node, or a mapping an alias may repeat, is composed whole (its entries from the tree)."""
        event = self.loader.peek_event()
        if not isinstance(event, MappingStartEvent) or event.anchor is not None:
            node = self.node()
            return node, (iter(node.value) if isinstance(node, MappingNode) else None)
        shell = self._open_mapping()
        return shell, self._entries()

    def keys(self) -> tuple[Node, Iterator[Node] | None]:
        """For the root: as ``entries``, but each key is yielded before its value is composed, and
        the caller reads the value (``node`` or ``entries``) before it asks for the next key. An
        alias to the root can only be inside it: it is refused as endless."""
        if not self.loader.check_event(MappingStartEvent):
            return self.node(), None
        shell = self._open_mapping()
        return shell, self._keys()

    def _open_mapping(self) -> Node:
        event = self.loader.get_event()
        self.budget.enter(event.start_mark.line)
        if event.anchor is not None:
            self.sizes[event.anchor] = None  # never known: composing it never ends before the alias
        return self._anchor(event, _node(LeanMapping, self._tag(event, MappingNode, None), [], event.start_mark.line))

    def _keys(self) -> Iterator[Node]:
        while not self.loader.check_event(MappingEndEvent):
            yield self.node()
        self.loader.get_event()
        self.budget.leave()

    def _entries(self) -> Iterator[tuple[Node, Node]]:
        for key in self._keys():
            yield key, self.node()

    def node(self) -> Node:
        """The next node, whole."""
        loader = self.loader
        event = loader.get_event()
        line = event.start_mark.line
        if isinstance(event, AliasEvent):
            return self._alias(event.anchor, event.start_mark)
        if event.anchor is not None:
            if event.anchor in self.anchors:
                raise ComposerError(None, None, f"found duplicate anchor {event.anchor!r}", event.start_mark)
            self.sizes[event.anchor] = None
            spent = self.budget.values
        if isinstance(event, ScalarEvent):
            self.budget.value(line)
            value = event.value
            if len(value) <= SHARED_LENGTH:
                value = self.strings.setdefault(value, value)
            node = self._anchor(event, _node(LeanScalar, self._tag(event, ScalarNode, value), value, line))
        elif isinstance(event, MappingStartEvent):
            self.budget.enter(line)
            node = self._anchor(event, _node(LeanMapping, self._tag(event, MappingNode, None), [], line))
            while not loader.check_event(MappingEndEvent):
                key = self.node()
                node.value.append((key, self.node()))
        else:
            self.budget.enter(line)
            node = self._anchor(event, _node(LeanSequence, self._tag(event, SequenceNode, None), [], line))
            while not loader.check_event(SequenceEndEvent):
                node.value.append(self.node())
        if not isinstance(event, ScalarEvent):
            loader.get_event()  # the collection's end
            self.budget.leave()
        if event.anchor is not None:
            self.sizes[event.anchor] = self.budget.values - spent
        return node

    def _alias(self, anchor: str, mark) -> Node:
        if anchor not in self.anchors:
            raise ComposerError(None, None, f"found undefined alias {anchor!r}", mark)
        size = self.sizes[anchor]
        if size is None:
            raise Exceeded(mark.line + 1, "an alias refers to a value that contains it (endless)")
        self.budget.alias(mark.line, size)
        return self.anchors[anchor]

    def _tag(self, event, kind, value) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(kind, value, event.implicit)
        return self.tags.setdefault(tag, tag)

    def _anchor(self, event, node: Node) -> Node:
        if event.anchor is not None:
            self.anchors[event.anchor] = node
        return node
