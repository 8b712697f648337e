"""The stage packages keep their rule: the pure stages never reach the Scrapy edge.

``document → citing → crawl → extract → checks → record → reports``: ``crawl``
is the only stage that may import Scrapy or Twisted; the pure stages import
neither, nor anything from ``crawl``, nor a stage that comes after them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "crawler"
PURE = ("citing", "extract", "checks", "record", "reports")  # in the order data flows
EDGE_LIBRARIES = ("scrapy", "twisted")


def imported_modules(source: str, module: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``source``, at any depth."""
    package = module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names = [f"{base}.{alias.name}" for alias in node.names]
            found += [(node.lineno, name) for name in names]
    return found


def violations(stage: str, module: str, source: str) -> list[str]:
    """Why each import of a pure stage's module breaks the rule."""
    later = PURE[PURE.index(stage) + 1:]
    problems = []
    for line, name in imported_modules(source, module):
        top = name.split(".")[0]
        parts = name.split(".")
        if top in EDGE_LIBRARIES:
            problems.append(f"{module}:{line} imports {name} (only crawl/ may use {top})")
        elif top == "crawler" and len(parts) > 1 and parts[1] == "crawl":
            problems.append(f"{module}:{line} imports {name} from the crawl edge")
        elif top == "crawler" and len(parts) > 1 and parts[1] in later:
            problems.append(f"{module}:{line} imports {name}, a later stage than {stage}")
    return problems


def pure_modules():
    for stage in PURE:
        for path in sorted((PACKAGE / stage).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if parts[-1] == "__init__":
                module += ".__init__"  # relative imports resolve against the package itself
            yield stage, module, path


@pytest.mark.parametrize("stage, module, path", list(pure_modules()), ids=lambda v: str(v))
def test_pure_stage_imports_neither_scrapy_nor_the_crawl_edge(stage, module, path):
    assert violations(stage, module, path.read_text(encoding="utf-8")) == []


def test_the_rule_catches_each_kind_of_violation():
    source = (
        "from scrapy.http import HtmlResponse\n"
        "def late():\n"
        "    import twisted.internet.reactor\n"
        "    from crawler.crawl import safety\n"
        "    from crawler.reports import html\n"
        "from crawler.citing.claims import parse_claim\n"
        "from ..crawl.incremental import conditional_headers\n"
    )
    found = violations("checks", "crawler.checks.verify", source)
    assert found == [
        "crawler.checks.verify:1 imports scrapy.http.HtmlResponse (only crawl/ may use scrapy)",
        "crawler.checks.verify:7 imports crawler.crawl.incremental.conditional_headers from the crawl edge",
        "crawler.checks.verify:3 imports twisted.internet.reactor (only crawl/ may use twisted)",
        "crawler.checks.verify:4 imports crawler.crawl.safety from the crawl edge",
        "crawler.checks.verify:5 imports crawler.reports.html, a later stage than checks",
    ]


def test_importing_every_pure_stage_loads_no_scrapy():
    """What the static rule cannot see (an import through a third-party module) shows at run time."""
    modules = [module.removesuffix(".__init__") for _, module, _ in pure_modules()]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'twisted'}),"
        " sorted(m for m in sys.modules if m.startswith('crawler.crawl')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] []"


def test_the_extraction_fingerprint_still_covers_the_extraction_code():
    """A 304 reuses a stored extraction only while the code that made it is unchanged: each pattern of
    ``EXTRACTION_CODE`` must name files where the modules now live (a move must not empty it)."""
    from crawler.extract import serialize

    for pattern in serialize.EXTRACTION_CODE:
        assert list(serialize.PACKAGE.glob(pattern)), pattern
