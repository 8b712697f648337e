"""Bounds on a citations file, checked before and while it is read.

A citations file can come from a pull request, so it is hostile input: a few
kilobytes of YAML aliases can stand for a million references (each ``*alias``
repeats a whole list), and brackets nested thousands deep exhaust the
recursion of any YAML composer. The events are scanned first (libyaml's parser
keeps its own stack, so depth costs it nothing), then the composed node tree is
measured as it would be expanded, each node once: the walk over the tree never
meets more than ``MAX_VALUES`` values, whatever the aliases say.
"""

from __future__ import annotations

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_BYTES = 8 * 1024 * 1024  # ~80,000 references written out; the seed's file is 12 KB
MAX_DEPTH = 24  # the schema needs 6 (top, footnotes, footnote, list, reference, value)
MAX_ALIASES = 1000
MAX_VALUES = 200_000  # keys, values and items, as written and as reached through aliases
MAX_REFERENCES = 10_000  # a 300-page report cites about 1,500 times


class Exceeded(Exception):
    """A bound passed, at a 1-based ``line``."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise Exceeded(0, f"the file is {size / 1048576:.1f} MB; a citations file is at most "
                          f"{MAX_BYTES // 1048576} MB")


def scan(text: str, loader_class) -> None:
    """Refuse nesting deeper than MAX_DEPTH, more than MAX_ALIASES aliases and more than MAX_VALUES
    values as written (what composing costs); YAML syntax errors raise as yaml.YAMLError, from the
    parser alone (no recursion however deep the text nests)."""
    depth = aliases = values = 0
    for event in yaml.parse(text, Loader=loader_class):
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            values += 1
            if values > MAX_VALUES:
                raise Exceeded(event.start_mark.line + 1, f"more than {MAX_VALUES:,} values; "
                                                          "split the document's citations into several files")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise Exceeded(event.start_mark.line + 1, f"nested {MAX_DEPTH + 1} levels deep; a citations file "
                                                          f"needs 6 and may nest at most {MAX_DEPTH}")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise Exceeded(event.start_mark.line + 1, f"more than {MAX_ALIASES} aliases (*name); "
                                                          "write the values out instead")


def check_expansion(root: Node) -> None:
    """Refuse a tree that stands for more than MAX_VALUES values once its aliases are followed,
    and an alias inside the very node it names (which stands for an endless tree)."""
    sizes: dict[int, int | None] = {}

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            if sizes[key] is None:
                raise Exceeded(node.start_mark.line + 1, "an alias refers to a value that contains it (endless)")
            return sizes[key]
        sizes[key] = None
        if isinstance(node, MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, SequenceNode):
            total = 1 + sum(size(item) for item in node.value)
        else:
            total = 1
        if total > MAX_VALUES:
            raise Exceeded(node.start_mark.line + 1, f"stands for more than {MAX_VALUES:,} values once its "
                                                     "aliases (*name) are repeated out; write the values out instead")
        sizes[key] = total
        return total

    size(root)  # depth is bounded by scan(): the recursion is too
