"""``citecheck import`` as editors run it: write, merge into their file, refuse bad documents;
and ``citecheck verify DOCUMENT`` in one step."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.citing.citations import load_citations
from tests.conftest import FAST, run_cli

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "tests" / "fixtures" / "documents"
BAD = DOCUMENTS / "bad"
SEED = ROOT / "demo" / "entscheiderbrief-04-2026.txt"


def _import(tmp_path: Path, document: Path, output: str = "citations.yaml"):
    return run_cli("import", str(document), "-o", output, cwd=tmp_path)


def test_import_writes_a_file_the_loader_reads_and_says_what_it_read(tmp_path):
    result = _import(tmp_path, DOCUMENTS / "chicago-en" / "document.docx")
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[0].endswith("(docx): 9 footnotes, 10 references, 7 sources")
    assert "1 sources without a URL" in result.stdout and "wrote citations.yaml" in result.stdout
    citations = load_citations(tmp_path / "citations.yaml")
    assert len(citations.references) == 10 and len(citations.sources) == 7


def test_a_second_import_of_the_same_document_changes_nothing(tmp_path):
    _import(tmp_path, DOCUMENTS / "deutsch-de" / "document.odt")
    first = (tmp_path / "citations.yaml").read_bytes()
    again = _import(tmp_path, DOCUMENTS / "deutsch-de" / "document.odt")
    assert again.code == 0
    assert "nothing changed" in again.stdout
    assert (tmp_path / "citations.yaml").read_bytes() == first


def test_merge_keeps_what_the_editor_filled_in_corrected_and_renamed(tmp_path):
    _import(tmp_path, DOCUMENTS / "chicago-en" / "source.md")
    path = tmp_path / "citations.yaml"
    text = path.read_text(encoding="utf-8")
    lost = next(sid for sid, s in load_citations(path).sources.items() if s.url is None)
    okafor = next(sid for sid, s in load_citations(path).sources.items() if "Cooling the Grid" in s.title)
    text = text.replace(f"  {lost}:\n    url:", f"  {lost}:\n    url: https://greencities.example/budgets  # found by hand\n    x:")
    text = text.replace("\n    x:  #", "\n    #")  # (the lost-link comment moves to a line of its own)
    text = text.replace("Cooling the Grid: Street Trees and Summer Peaks", "Cooling the Grid: Street Trees & Summer Peaks")
    text = text.replace(okafor, "okafor-grid")
    path.write_text(text, encoding="utf-8")
    edited = load_citations(path)
    assert edited.sources[lost].url == "https://greencities.example/budgets"

    again = _import(tmp_path, DOCUMENTS / "chicago-en" / "document.pdf")
    assert again.code == 0, again.stderr
    merged = load_citations(path)
    assert merged.sources[lost].url == "https://greencities.example/budgets"
    assert merged.sources["okafor-grid"].title == "Cooling the Grid: Street Trees & Summer Peaks"
    assert okafor not in merged.sources
    assert [r.source for r in merged.references] == [r.source for r in edited.references]
    assert "# found by hand" in path.read_text(encoding="utf-8")
    assert "kept yours: okafor-grid title" in again.stdout


def test_merge_adds_new_footnotes_and_marks_those_the_document_dropped(tmp_path):
    source = (DOCUMENTS / "apa-en" / "source.md").read_text(encoding="utf-8")
    _import_text(tmp_path, source)
    path = tmp_path / "citations.yaml"
    last = max(int(r.footnote) for r in load_citations(path).references)
    # the next version of the document adds a sentence with a note citing a new source
    longer = source.replace("\n[^1]:", "\nA new sentence closes the text.[^new]\n\n[^1]:", 1) + (
        "\n[^new]: Vega, R. (2026, January 8). *Shelves without owners*. Civic Stacks. <https://civicstacks.example/shelves>\n")
    result = _import_text(tmp_path, longer)
    assert result.code == 0, result.stderr
    after = load_citations(path)
    new = [r for r in after.references if after.sources[r.source].url == "https://civicstacks.example/shelves"]
    assert [(r.footnote, r.context) for r in new] == [(str(last + 1), "A new sentence closes the text.")]
    assert f"added footnotes: {last + 1}" in result.stdout and "added sources: vega-2026" in result.stdout
    # the version after drops that sentence and its note again: the editor's footnote is kept, and marked
    result = _import_text(tmp_path, source)
    assert result.code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert str(last + 1) in {r.footnote for r in load_citations(path).references}
    assert f"footnote \"{last + 1}\" is no longer in the document" in text
    assert f"no longer in the document (kept, marked): {last + 1}" in result.stdout
    assert _import_text(tmp_path, source).code == 0
    assert path.read_text(encoding="utf-8") == text  # marked once, not again


def _import_text(tmp_path: Path, markdown: str):
    doc = tmp_path / "doc.md"
    doc.write_text(markdown, encoding="utf-8")
    return _import(tmp_path, doc)


def _without_contexts(source: Path, target: Path) -> None:
    """The hand-made file as it was before its first import: no reference names its sentence."""
    from crawler.citing.draft import dump, yaml

    data = yaml().load(source.read_text(encoding="utf-8"))
    for refs in data["footnotes"].values():
        for ref in refs:
            ref.pop("context", None)
    target.write_text(dump(data), encoding="utf-8")


def test_importing_the_seed_into_the_hand_made_file_adds_only_the_contexts(tmp_path):
    _without_contexts(ROOT / "citations.yaml", tmp_path / "citations.yaml")
    hand = load_citations(tmp_path / "citations.yaml")
    original = (tmp_path / "citations.yaml").read_text(encoding="utf-8")
    result = _import(tmp_path, SEED)
    assert result.code == 0, result.stderr
    merged = load_citations(tmp_path / "citations.yaml")
    assert {sid: s.url for sid, s in merged.sources.items()} == {sid: s.url for sid, s in hand.sources.items()}
    assert [(r.footnote, r.source, r.pages) for r in merged.references] == [
        (r.footnote, r.source, r.pages) for r in hand.references]
    assert all(r.context for r in merged.references)
    text = (tmp_path / "citations.yaml").read_text(encoding="utf-8")
    for line in original.splitlines():
        if line.lstrip().startswith("#"):
            assert line in text  # the editor's comments survive
    assert "added the citing sentences (context) to" in result.stdout
    assert _import(tmp_path, SEED).code == 0
    assert (tmp_path / "citations.yaml").read_text(encoding="utf-8") == text


BAD_INPUT = [
    ("encrypted.pdf", "the PDF is encrypted"),
    ("truncated.pdf", "not a readable PDF: damaged or truncated"),
    ("corrupt.pdf", "not a readable PDF: damaged or truncated"),
    ("no-notes.docx", "the document has no footnotes or endnotes"),
    ("no-notes.md", "no footnotes found"),
    ("prose-notes.md", "2 notes found, but no reference could be read"),
    ("notes.rtf", "unknown document format '.rtf'"),
]


@pytest.mark.parametrize("name, message", BAD_INPUT, ids=[n for n, _ in BAD_INPUT])
def test_bad_documents_exit_2_naming_file_and_problem_and_overwrite_nothing(tmp_path, name, message):
    (tmp_path / "citations.yaml").write_text("# the editor's file\n", encoding="utf-8")
    result = _import(tmp_path, BAD / name)
    assert result.code == 2
    assert f"{BAD / name}: {message}" in result.stderr
    assert (tmp_path / "citations.yaml").read_text(encoding="utf-8") == "# the editor's file\n"


def test_import_into_a_broken_citations_file_names_its_line_and_changes_nothing(tmp_path):
    broken = "sources:\n  a: {url: , title: T}\nfootnotes:\n  \"1\": [{source: b}]\n"
    (tmp_path / "citations.yaml").write_text(broken, encoding="utf-8")
    result = _import(tmp_path, DOCUMENTS / "mla-en" / "source.md")
    assert result.code == 2
    assert "citations.yaml:4: footnote \"1\" refers to unknown source 'b'" in result.stderr
    assert (tmp_path / "citations.yaml").read_text(encoding="utf-8") == broken


def test_verify_a_document_in_one_step_and_archive_what_was_checked(tmp_path, http_server):
    http_server.route("/article", headers={"Content-Type": "text/html"},
                      body="<html><head><title>Cooling the Grid</title></head><body><h1>Cooling the Grid</h1>"
                           "<p>Street trees cool the city, the lab found.</p></body></html>")
    page = http_server.url("/article")
    doc = tmp_path / "memo.md"
    doc.write_text("---\ntitle: A memo\n---\n\nStreet trees cool the city.[^1]\n\n"
                   f"[^1]: Maria Okafor, “Cooling the Grid,” Urban Climate Lab, <{page}>.\n", encoding="utf-8")
    result = run_cli("verify", str(doc), "--allow-private", *FAST, cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.report["run"]["imported_from"] == "memo.md"  # relative to where the run was started
    archived = Path(tmp_path / result.report["run"]["citations"])
    assert archived.parent.parent == tmp_path / "archive" and archived.name == "citations.yaml"
    assert load_citations(archived).sources[result.report["results"][0]["source"]].url == page
    assert "citations.yaml" in (archived.parent / "manifest.json").read_text(encoding="utf-8")
    assert result.report["results"][0]["link"] == "ok"


def test_verify_a_bad_document_exits_2_before_anything_is_created(tmp_path):
    result = run_cli("verify", str(BAD / "encrypted.pdf"), cwd=tmp_path)
    assert result.code == 2
    assert "the PDF is encrypted" in result.stderr
    assert not (tmp_path / "archive").exists()


def test_the_loaded_text_is_handed_over_once(tmp_path):
    """The run archives the citations' text and keeps no copy through the crawl; a second taker is a bug."""
    from crawler.citing.importers import load

    path = tmp_path / "citations.yaml"
    path.write_text("sources:\n  a: {url: 'https://example.org/a', title: A page}\n"
                    "footnotes:\n  '1': [{source: a}]\n", encoding="utf-8")
    loaded = load(path)
    assert loaded.take_text() == path.read_text(encoding="utf-8") and loaded.text is None
    assert loaded.citations.sources["a"].url == "https://example.org/a" and loaded.document is None
    with pytest.raises(RuntimeError):
        loaded.take_text()
