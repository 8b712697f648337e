"""Drafting citations.yaml from footnotes: the seed document, and small invented cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crawler.citing.citations import CitationsError, claimed_date, load_citations
from crawler.citing.footnotes import draft_citations, read_footnotes

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = Path("/work/shared/seed/entscheiderbrief-04-2026.txt")
HAND = ROOT / "citations.yaml"

pytestmark = pytest.mark.skipif(not SEED_TEXT.exists(), reason="seed document not available")


@pytest.fixture(scope="module")
def draft_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("draft") / "citations.yaml"
    path.write_text(draft_citations(SEED_TEXT.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_seed_footnotes_are_found():
    footnotes = read_footnotes(SEED_TEXT.read_text(encoding="utf-8"))
    assert [n for n, _ in footnotes] == [str(n) for n in range(1, 14)]
    assert [len(refs) for _, refs in footnotes] == [3, 3, 3, 2, 1, 2, 1, 3, 1, 1, 2, 3, 1]


def test_seed_draft_loads_with_the_expected_counts(draft_path):
    draft = load_citations(draft_path)
    assert len(draft.sources) == 14
    assert len(draft.references) == 26
    assert len({r.footnote for r in draft.references}) == 13
    assert all(s.url is None for s in draft.sources.values())  # every link was "(#)"
    assert draft_path.read_text(encoding="utf-8").count("# link lost in conversion") == 14
    assert draft.document["title"] == "Im Schatten des Ukraine-Kriegs: Zunahme kasachischer Auslieferungen an Russland"


def _as_cited(citations):
    """Each reference as (footnote, title, publisher, claim, pages), independent of source ids."""
    rows = []
    for ref in citations.references:
        source = citations.sources[ref.source]
        claim = claimed_date(ref, source)
        rows.append((ref.footnote, source.title, source.publisher,
                     None if claim is None else ("unknown" if claim.unknown else claim.value), ref.pages))
    return rows


def test_seed_draft_agrees_with_the_hand_written_file(draft_path):
    assert _as_cited(load_citations(draft_path)) == _as_cited(load_citations(HAND))


TEXT = """Ein Testdokument

Fließtext mit Fußnote.¹

1 Blatt, [Erster Artikel](https://example.org/a): Untertitel, Die Zeitung, letzte Aktualisierung 01.02.2026; Amt, [Bericht](#), S. 4 f.

2 Blatt, [Erster Artikel](https://example.org/a): Untertitel, Die Zeitung, letzte Aktualisierung 03.02.2026.

3 Blatt, [Zweiter Artikel](https://example.org/b), letzte Aktualisierung gestern.

90461 Nürnberg
"""


def test_draft_keeps_urls_and_overrides_a_differing_claim(tmp_path):
    path = tmp_path / "draft.yaml"
    text = TEXT.replace("letzte Aktualisierung gestern", "letzte Aktualisierung unbekannt")
    path.write_text(draft_citations(text), encoding="utf-8")
    cit = load_citations(path)
    assert [(s.title, s.publisher, s.url) for s in cit.sources.values()] == [
        ("Erster Artikel: Untertitel", "Die Zeitung", "https://example.org/a"),
        ("Bericht", "Amt", None),
        ("Zweiter Artikel", "Blatt", "https://example.org/b"),
    ]
    claims = [(r.footnote, claimed_date(r, cit.sources[r.source])) for r in cit.references]
    assert [(n, c and (c.unknown or c.value)) for n, c in claims] == [
        ("1", dt.date(2026, 2, 1)),
        ("1", None),
        ("2", dt.date(2026, 2, 3)),
        ("3", True),
    ]
    assert [r.pages for r in cit.references] == [None, "4 f.", None, None]


def test_draft_keeps_an_unreadable_date_for_the_loader_to_point_at(tmp_path):
    path = tmp_path / "draft.yaml"
    draft = draft_citations(TEXT)
    path.write_text(draft, encoding="utf-8")
    line = draft.splitlines().index('    claimed_updated: "letzte Aktualisierung gestern."') + 1
    with pytest.raises(CitationsError) as info:
        load_citations(path)
    assert info.value.line == line
    assert info.value.message.startswith(
        "source 'blatt-zweiter-artikel': claimed_updated: unrecognised date claim 'letzte Aktualisierung gestern.'"
    )
