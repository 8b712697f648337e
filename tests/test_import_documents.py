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
