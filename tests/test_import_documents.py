"""``citecheck import`` on documents made by real tools, every format of every case.

Each folder of tests/fixtures/documents/ holds one source text (pandoc Markdown
with footnotes) and what pandoc, LibreOffice and Chromium made of it (DOCX, ODT,
HTML, a PDF with footnotes at the foot of each page, a PDF with endnotes, a
text conversion); ``make_documents.py`` beside them remakes them. Every field
of every reference in expected.yaml must come out of every format.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.documents import FORMATS, load_expected, mismatches, read_as_expected

DOCUMENTS = Path(__file__).resolve().parent / "fixtures" / "documents"
CASES = sorted(p for p in DOCUMENTS.iterdir() if (p / "expected.yaml").exists())
PAIRS = [(case, name) for case in CASES for name in FORMATS if (case / name).exists()]


def test_every_case_comes_in_every_format():
    assert len(CASES) >= 5
    assert all((case / name).exists() for case in CASES for name in FORMATS)


@pytest.mark.parametrize("case, name", PAIRS, ids=[f"{c.name}/{n}" for c, n in PAIRS])
def test_every_reference_is_read_as_expected(case, name, tmp_path):
    expected = load_expected(case / "expected.yaml")
    got = read_as_expected(case / name, tmp_path)
    compared, problems = mismatches(got, expected)
    assert problems == [], f"{len(problems)} of {compared} fields differ"
    assert got["sources"] == expected["sources"]
    assert got["title"] == expected["title"]


HTML = DOCUMENTS / "html"
LIBRARY = DOCUMENTS / "library"
# (document, expectation, fields it may miss: the failure classes left open, each named)
WEB_AND_LIBRARY = [
    (HTML / "wikipedia.html", HTML / "wikipedia.expected.yaml", {"fn 4.1 claimed_updated"}),  # a date inside a title
    (HTML / "wordpress.html", HTML / "wordpress.expected.yaml", set()),
    (HTML / "kramdown.html", HTML / "kramdown.expected.yaml", set()),
    (HTML / "ol-footnotes.html", HTML / "ol-footnotes.expected.yaml", set()),
    (HTML / "hugo.html", HTML / "hugo.expected.yaml", {"fn 2.1 publisher"}),  # a decree's issuer, in the genitive
    (LIBRARY / "zotero.json", LIBRARY / "zotero.expected.yaml", set()),
    (LIBRARY / "zotero.bib", LIBRARY / "zotero.expected.yaml", set()),
    (LIBRARY / "better-bibtex.bib", LIBRARY / "better-bibtex.expected.yaml", set()),
]


@pytest.mark.parametrize("document, expectation, known", WEB_AND_LIBRARY, ids=[d.name for d, _, _ in WEB_AND_LIBRARY])
def test_web_pages_and_reference_manager_exports(document, expectation, known, tmp_path):
    """Footnote systems of real sites (Wikipedia, WordPress, kramdown, Hugo, hand-made) and Zotero's exports."""
    expected = load_expected(expectation)
    got = read_as_expected(document, tmp_path)
    _, problems = mismatches(got, expected)
    assert [p for p in problems if p.split(":")[0] not in known] == []
    assert got["sources"] == expected["sources"]
    assert got["title"] == expected.get("title")


@pytest.mark.parametrize("path", sorted((Path(__file__).parent / "fixtures" / "documents").glob("*-*/document*.*")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_documents_language_is_read_or_told_from_its_prose(path):
    """Declared by HTML, Markdown, DOCX and ODT; told from the prose of plain text and PDF."""
    from crawler.citing.importers import import_document

    assert import_document(path).lang.split("-")[0] == path.parent.name.split("-")[1]


def test_too_little_prose_tells_no_language():
    from crawler.citing.importers import prose_language

    assert prose_language("Bericht", ["Die Zahl stieg."]) is None
    assert prose_language(None, ["Die Zahl der Auslieferungen ist gestiegen, und die Behörden haben "
                                 "das nicht bestätigt. " * 4]) == "de"
