"""Importing a plain-text document: the seed briefing, and small invented cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crawler.citing.citations import CitationsError, claimed_date, load_citations
from crawler.citing.importers import citations_text, import_document
from crawler.citing.importers.text import read_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "demo" / "entscheiderbrief-04-2026.txt"  # the seed document, bundled for the demo
SHARED_SEED = ROOT.parent / "shared" / "seed" / "entscheiderbrief-04-2026.txt"
HAND = ROOT / "citations.yaml"


@pytest.fixture(scope="module")
def seed_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("draft") / "citations.yaml"
    path.write_text(citations_text(import_document(SEED)), encoding="utf-8")
    return path


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="the workplace's seed is not beside this checkout")
def test_the_bundled_seed_is_the_workplace_seed():
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_footnotes_and_their_references_are_found():
    _, _, notes = read_text(SEED.read_text(encoding="utf-8"))
    assert [n.label for n in notes] == [str(n) for n in range(1, 14)]
    imported = import_document(SEED)
    per_note = [sum(c.footnote == n.label for c in imported.references) for n in notes]
    assert per_note == [3, 3, 3, 2, 1, 2, 1, 3, 1, 1, 2, 3, 1]


def test_seed_import_loads_with_the_hand_made_counts(seed_path):
    draft = load_citations(seed_path)
    assert len(draft.sources) == 14
    assert len(draft.references) == 26
    assert len({r.footnote for r in draft.references}) == 13
    assert all(s.url is None for s in draft.sources.values())  # every link was "(#)"
    assert seed_path.read_text(encoding="utf-8").count("# link lost in conversion") == 14
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


def test_seed_import_agrees_with_the_hand_made_file(seed_path):
    assert _as_cited(load_citations(seed_path)) == _as_cited(load_citations(HAND))


def test_seed_import_groups_references_into_the_hand_made_sources(seed_path):
    """The same 14 sources, each cited from the same footnotes, whatever their ids."""
    def grouping(citations):
        cited_from = {}
        for ref in citations.references:
            cited_from.setdefault(ref.source, []).append(ref.footnote)
        return sorted(cited_from.values())

    assert grouping(load_citations(seed_path)) == grouping(load_citations(HAND))


def test_seed_contexts_are_the_sentences_each_marker_closes(seed_path):
    contexts = {ref.footnote: ref.context for ref in load_citations(seed_path).references}
    assert contexts["1"].startswith("Seit Beginn der russischen Invasion") and contexts["1"].endswith("feststellen.")
    # a page of notes cut this paragraph in two; the context joins it again
    assert contexts["7"].startswith("Allein in den ersten Wochen nach der russischen Teilmobilmachung im September 2022")
    assert "über 400.000 Personen" in contexts["7"] and contexts["7"].endswith("eröffnet würde.")
    assert contexts["12"].startswith("Am 31. Januar 2026 wurde ein IT-Spezialist")  # "31." is no sentence end
    assert "Lefortowo" in contexts["12"] and "2001 als ukrainischer" in contexts["12"]
    assert contexts["11"].startswith("Im Januar 2026 wurde zwei russischen Auslieferungsgesuchen")
    assert contexts["9"].startswith("Mit Beginn der Präsidentschaft") and "Infolgedessen" not in contexts["9"]


TEXT = """Ein Testdokument

Fließtext mit Fußnote.¹ Ein zweiter Satz mit einer Behauptung.² Und ein dritter.³

1 Blatt, [Erster Artikel](https://example.org/a): Untertitel, Die Zeitung, letzte Aktualisierung 01.02.2026; Amt, [Bericht](#), S. 4 f.

2 Blatt, [Erster Artikel](https://example.org/a): Untertitel, Die Zeitung, letzte Aktualisierung 03.02.2026.

3 Blatt, [Zweiter Artikel](https://example.org/b), letzte Aktualisierung gestern.

90461 Nürnberg
"""


def _import_text(tmp_path, text: str):
    doc = tmp_path / "doc.txt"
    doc.write_text(text, encoding="utf-8")
    path = tmp_path / "draft.yaml"
    path.write_text(citations_text(import_document(doc)), encoding="utf-8")
    return path, load_citations(path)


def test_import_keeps_urls_and_overrides_a_differing_claim(tmp_path):
    _, cit = _import_text(tmp_path, TEXT.replace("letzte Aktualisierung gestern", "letzte Aktualisierung unbekannt"))
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
    assert [r.context for r in cit.references] == [
        "Fließtext mit Fußnote.", "Fließtext mit Fußnote.", "Ein zweiter Satz mit einer Behauptung.",
        "Und ein dritter."]


def test_an_unreadable_date_is_left_out_with_a_comment_quoting_it(tmp_path):
    """One unreadable date must not stop the whole document from loading (and from being verified)."""
    path, cit = _import_text(tmp_path, TEXT)
    text = path.read_text(encoding="utf-8")
    assert "claimed_updated not read from the note: 'gestern'" in text
    assert [s.claimed_updated for s in cit.sources.values()][2] is None


def test_a_postcode_or_year_opening_a_paragraph_is_no_note(tmp_path):
    text = TEXT + "\n2024 begann das Projekt, 90461 Nürnberg war der Ort.\n"
    _, cit = _import_text(tmp_path, text)
    assert {r.footnote for r in cit.references} == {"1", "2", "3"}


def test_a_note_block_without_blank_lines_between_notes(tmp_path):
    text = ("Titel\n\nErster Satz.¹ Zweiter Satz.² Dritter Satz.³\n\n"
            "1 Amt, [Bericht](https://example.org/r), S. 4\n2 Blatt, [Artikel](https://example.org/a),\n"
            "letzte Aktualisierung 03.02.2026\n3 Verband, [Studie](https://example.org/s)\n")
    _, cit = _import_text(tmp_path, text)
    assert [(r.footnote, cit.sources[r.source].title) for r in cit.references] == [
        ("1", "Bericht"), ("2", "Artikel"), ("3", "Studie")]
    assert cit.sources[cit.references[1].source].claimed_updated.value == dt.date(2026, 2, 3)  # the wrapped line


def test_a_loader_error_in_a_hand_edited_import_still_names_its_line(tmp_path):
    path, _ = _import_text(tmp_path, TEXT)
    text = path.read_text(encoding="utf-8").replace('pages: "4 f."', 'pages: "vier"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CitationsError) as info:
        load_citations(path)
    assert info.value.line == text.splitlines().index('      pages: "vier"') + 1


def test_an_address_no_loader_would_take_is_left_out_with_why(tmp_path):
    """A document can hold a broken link; the draft keeps it as a comment, so the file still loads."""
    doc = tmp_path / "broken.txt"
    doc.write_text("Ein Satz.1\n\n1 Meduza, Ein Titel, https://meduza.io:99999/news, 13.03.2026.\n", encoding="utf-8")
    text = citations_text(import_document(doc))
    assert "url:  # the document's address 'https://meduza.io:99999/news' is malformed: Port out of range" in text
    path = tmp_path / "citations.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_citations(path).sources and not next(iter(load_citations(path).sources.values())).url
