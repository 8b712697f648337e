"""Bounds on a citations file, checked while it is read.

A citations file can come from a pull request, so it is hostile input: a few
kilobytes of YAML aliases can stand for a million references (each ``*alias``
repeats a whole list), and brackets nested thousands deep exhaust the
recursion of any YAML composer. A ``Budget`` counts the parser's events as
the file is composed, one entry at a time (``yamlnodes``): nesting is refused
before the composer recurses into it, and an alias counts the values of what
it names, so the file is never composed, or walked, past ``MAX_VALUES`` values
whatever its aliases say.
"""

from __future__ import annotations

import yaml

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


class Budget:
    """What a file has spent so far: nesting, aliases and values (through aliases too). Lines are
    PyYAML's, 0-based; an ``Exceeded`` names the 1-based line where a bound was passed."""

    def __init__(self):
        self.depth = self.aliases = self.values = 0
        self.aliased = False  # has an alias added values? then it is the aliases that overspend

    def value(self, line: int) -> None:
        """A scalar, or the start of a collection (``enter`` counts it)."""
        self._spend(line, 1)

    def enter(self, line: int) -> None:
        """A collection starts: one value, one level deeper."""
        self.value(line)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Exceeded(line + 1, f"nested {MAX_DEPTH + 1} levels deep; a citations file "
                                     f"needs 6 and may nest at most {MAX_DEPTH}")

    def leave(self) -> None:
        self.depth -= 1

    def alias(self, line: int, values: int) -> None:
        """An ``*alias`` repeating ``values`` values (0 where only the aliases are counted)."""
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise Exceeded(line + 1, f"more than {MAX_ALIASES} aliases (*name); write the values out instead")
        self.aliased = self.aliased or values > 0
        self._spend(line, values)

    def _spend(self, line: int, values: int) -> None:
        self.values += values
        if self.values <= MAX_VALUES:
            return
        if self.aliased:
            raise Exceeded(line + 1, f"the file stands for more than {MAX_VALUES:,} values once its aliases "
                                     "(*name) are repeated out; write the values out instead")
        raise Exceeded(line + 1, f"more than {MAX_VALUES:,} values; split the document's citations into several files")


def scan(text: str, loader_class) -> None:
    """The budget over the parser's events alone, nothing composed (the parser keeps its own stack,
    so depth costs it nothing): YAML syntax errors raise as yaml.YAMLError, bounds as Exceeded."""
    budget = Budget()
    for event in yaml.parse(text, Loader=loader_class):
        line = event.start_mark.line
        if isinstance(event, yaml.CollectionStartEvent):
            budget.enter(line)
        elif isinstance(event, yaml.CollectionEndEvent):
            budget.leave()
        elif isinstance(event, yaml.ScalarEvent):
            budget.value(line)
        elif isinstance(event, yaml.AliasEvent):
            budget.alias(line, 0)
