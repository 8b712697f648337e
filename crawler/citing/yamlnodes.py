"""citations.yaml composed into nodes that keep what the reader reads of them: tag, value and line.

PyYAML's nodes keep two marks each, a tag string of their own and an attribute dictionary: a
citations file of 10,000 references composed into 42 MB of them (4 KB a reference), the most a
nightly run held at any moment. These are PyYAML's node classes with slots, so ``isinstance`` and
the reader's code stay as they are, composed from the loader's events by PyYAML's composer's rules
(tags resolved by the loader, anchors and aliases, a single document). A node's ``start_mark`` is
the node itself: its ``line`` is the only part of a mark the reader reads. Errors are raised without
marks; the reader words them from PyYAML's own composer.
"""

from __future__ import annotations

from yaml.composer import ComposerError
from yaml.events import AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent, StreamEndEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


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


def compose(text: str, loader_class) -> Node | None:
    """``loader_class(text).get_single_node()``, in lean nodes."""
    loader = loader_class(text)
    try:
        loader.get_event()  # stream start
        root = None
        if not loader.check_event(StreamEndEvent):
            loader.get_event()  # document start
            root = _Composer(loader).node()
            loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            raise ComposerError("expected a single document in the stream")
        return root
    finally:
        loader.dispose()


class _Composer:
    def __init__(self, loader):
        self.loader = loader
        self.anchors: dict[str, Node] = {}
        self.tags: dict[str, str] = {}  # one string per tag, not one per node
        self.strings: dict[str, str] = {}  # ... and per short value (keys, dates, numbers)

    def node(self) -> Node:
        loader = self.loader
        if loader.check_event(AliasEvent):
            anchor = loader.get_event().anchor
            if anchor not in self.anchors:
                raise ComposerError(None, None, f"found undefined alias {anchor!r}")
            return self.anchors[anchor]
        event = loader.get_event()
        if event.anchor is not None and event.anchor in self.anchors:
            raise ComposerError(f"found duplicate anchor {event.anchor!r}")
        line = event.start_mark.line
        if isinstance(event, ScalarEvent):
            value = event.value
            if len(value) <= SHARED_LENGTH:
                value = self.strings.setdefault(value, value)
            node = _node(LeanScalar, self._tag(event, ScalarNode, value), value, line)
            self._anchor(event, node)
            return node
        if isinstance(event, MappingStartEvent):
            node = _node(LeanMapping, self._tag(event, MappingNode, None), [], line)
            self._anchor(event, node)
            while not loader.check_event(MappingEndEvent):
                key = self.node()
                node.value.append((key, self.node()))
        else:
            node = _node(LeanSequence, self._tag(event, SequenceNode, None), [], line)
            self._anchor(event, node)
            while not loader.check_event(SequenceEndEvent):
                node.value.append(self.node())
        loader.get_event()  # the collection's end
        return node

    def _tag(self, event, kind, value) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(kind, value, event.implicit)
        return self.tags.setdefault(tag, tag)

    def _anchor(self, event, node: Node) -> None:
        if event.anchor is not None:
            self.anchors[event.anchor] = node
