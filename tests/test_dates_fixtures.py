"""Each fixture page yields exactly its expected published and modified days.

Fixture folders (tests/fixtures/dates/<case>/) hold page.html, meta.json
(url, headers) and expected.json: published/modified days (null when the page
has none), optionally the winning source, and ``never``: days stated only in
copyright lines, related lists, comments or widgets, which must not even
become candidates.
"""

import json
from pathlib import Path

import pytest

from crawler.extract.dates import extract_dates

FIXTURES = Path(__file__).parent / "fixtures" / "dates"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "page.html").is_file())


def load(case):
    folder = FIXTURES / case
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return (folder / "page.html").read_bytes(), meta, expected


def day(candidate):
    return candidate.day.isoformat() if candidate else None


@pytest.fixture(scope="module")
def results():
    out = {}
    for case in CASES:
        body, meta, expected = load(case)
        out[case] = (extract_dates(body, meta["url"], meta.get("headers") or {}), expected)
    return out


def test_enough_fixtures():
    assert len(CASES) >= 6


@pytest.mark.parametrize("case", CASES)
def test_published(results, case):
    dates, expected = results[case]
    assert day(dates.published) == expected["published"]


@pytest.mark.parametrize("case", CASES)
def test_modified(results, case):
    dates, expected = results[case]
    assert day(dates.modified) == expected["modified"]


@pytest.mark.parametrize("case", CASES)
def test_sources(results, case):
    dates, expected = results[case]
    if "published_source" in expected:
        assert dates.published.source == expected["published_source"]
    if "modified_source" in expected:
        assert dates.modified.source == expected["modified_source"]


@pytest.mark.parametrize("case", CASES)
def test_header_dates_are_evidence_not_choices(results, case):
    """Last-Modified is the CMS's render time: recorded, never chosen."""
    dates, expected = results[case]
    found = {c.day.isoformat() for c in dates.candidates if c.source == "header"}
    assert set(expected.get("evidence_only", [])) <= found
    chosen = {c.source for c in (dates.published, dates.modified) if c is not None}
    assert "header" not in chosen


@pytest.mark.parametrize("case", CASES)
def test_trap_dates_never_candidates(results, case):
    dates, expected = results[case]
    found = {c.day.isoformat() for c in dates.candidates}
    assert not found & set(expected.get("never", []))


@pytest.mark.parametrize("case", CASES)
def test_same_result_from_tree(results, case):
    """The caller's already-parsed tree gives the same answer as the bytes."""
    import lxml.html

    body, meta, _ = load(case)
    tree = lxml.html.document_fromstring(body)
    dates = extract_dates(b"", meta["url"], meta.get("headers") or {}, tree=tree)
    assert (day(dates.published), day(dates.modified)) == (
        day(results[case][0].published), day(results[case][0].modified))
