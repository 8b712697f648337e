"""Hostile citations files, made on demand (too big or too silly to commit): the bounds tests and
``bench/hostile_input.py`` read the same ones."""

from __future__ import annotations

from pathlib import Path

HEAD = 'sources:\n  s:\n    url: "https://www.example.org/a"\n    title: "A page"\n'


def alias_bomb(levels: int = 9, width: int = 10) -> str:
    """~0.5 KB standing for width ** levels values ("billion laughs"), all in one reference: each
    list repeats the one before it ``width`` times by alias."""
    lists = [f"        - &l0 [{', '.join(['lol'] * width)}]"]
    lists += [f"        - &l{n} [{', '.join([f'*l{n - 1}'] * width)}]" for n in range(1, levels)]
    return HEAD + 'footnotes:\n  "1":\n    - source: s\n      passage:\n' + "\n".join(lists) + "\n"


def repeated_footnotes(lists: int = 1000, items: int = 1000) -> str:
    """~26 KB standing for lists × items references: footnote 1 anchors a long list, every other
    footnote repeats it by alias."""
    refs = ", ".join("{source: s}" for _ in range(items))
    body = [f'  "1": &refs [{refs}]'] + [f'  "{n}": *refs' for n in range(2, lists + 1)]
    return HEAD + "footnotes:\n" + "\n".join(body) + "\n"


def nested(depth: int = 5000) -> str:
    return HEAD + 'footnotes:\n  "1": ' + "[" * depth + "]" * depth + "\n"


def many_references(count: int) -> str:
    return HEAD + "footnotes:\n" + "".join(f'  "{n}": [{{source: s}}]\n' for n in range(1, count + 1))


def many_values(count: int = 200_001) -> str:
    return HEAD + 'footnotes:\n  "1": [{source: s, pages: [' + "1, " * count + "]}]\n"


def late_syntax_error(sources: int = 7000, title: int = 1000) -> str:
    """~7.5 MB of good references (long titles), then a bracket never closed: an error the YAML
    parser meets only at the end of the file."""
    head = "sources:\n" + "".join(f'  s{n}:\n    url: "https://www.example.org/{n}"\n    title: "{"t" * title}"\n'
                                  for n in range(sources))
    return head + "footnotes:\n" + "".join(f'  "{n + 1}": [{{source: s{n}}}]\n' for n in range(sources)) + '  "0": [\n'


def oversized(megabytes: int = 9) -> str:
    padding = "# " + "x" * 1000 + "\n"
    return HEAD + padding * (megabytes * 1024 * 1024 // len(padding) + 1) + 'footnotes:\n  "1": [{source: s}]\n'


CASES = {"alias-bomb": alias_bomb, "repeated-footnotes": repeated_footnotes, "nested-5000": nested, "references-10001": lambda: many_references(10001),
         "values-200001": many_values, "late-syntax-error": late_syntax_error, "oversized-9mb": oversized}


def write(directory: Path, name: str) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(CASES[name](), encoding="utf-8")
    return path
