"""Compare what ``citecheck import`` read from a document with the case's expected.yaml.

Shared by the tests (every field of every reference, per format) and by
``bench/import_accuracy.py`` (field accuracy on documents nobody tuned on).
Comparisons forgive what is no reading error: whitespace, typographic
quotes and dashes, "Roe, Jane" for "Jane Roe", "pp. 14–19" for "14-19".
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from crawler.citing.citations import accessed_date, claimed_date, load_citations, parse_pages
from crawler.citing.importers import citations_text, import_document

FIELDS = ("source", "title", "author", "publisher", "url", "claimed_updated", "accessed", "pages", "context")
FORMATS = ("source.md", "document.txt", "document.docx", "document.odt", "document.html", "document.pdf",
           "document-endnotes.pdf")


def normal(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(str.maketrans("‘’‚“”„«»–—‐‑", "'''\"\"\"\"\"----"))
    text = re.sub(r"[*_]", "", text)
    return " ".join(text.split()).strip(" .,;").casefold()


def _names(text: str | None) -> set[str]:
    return set(re.findall(r"\w+", normal(text)))


def _date(value) -> str | None:
    if value is None:
        return None
    return "unknown" if value.unknown else value.value.isoformat()


def read_as_expected(path: Path, tmp: Path) -> dict:
    """Import ``path`` and give it back in expected.yaml's shape (footnote -> references)."""
    out = tmp / f"{path.name}.citations.yaml"
    out.write_text(citations_text(import_document(path)), encoding="utf-8")
    citations = load_citations(out)
    footnotes: dict[str, dict] = {}
    for ref in citations.references:
        source = citations.sources[ref.source]
        note = footnotes.setdefault(ref.footnote, {"context": ref.context, "references": []})
        note["references"].append({
            "source": ref.source, "title": source.title, "author": source.author, "publisher": source.publisher,
            "url": source.url or "", "claimed_updated": _date(claimed_date(ref, source)),
            "accessed": _date(accessed_date(ref, source)), "pages": ref.pages,
        })
    return {"title": citations.document.get("title"), "sources": len(citations.sources), "footnotes": footnotes}


def mismatches(got: dict, expected: dict, fields=FIELDS) -> tuple[int, list[str]]:
    """(fields compared, what differs), field by field, reference by reference."""
    problems, compared = [], 0
    labels: dict = {}  # expected source label -> imported id; ("dates", label) -> dates stated for it
    for note in expected["footnotes"].values():
        for want in note.get("references") or []:
            stated = {str(want[k]) for k in ("claimed_updated", "accessed") if want.get(k)}
            labels.setdefault(("dates", want["source"]), set()).update(stated)
    for number, note in expected["footnotes"].items():
        if not note.get("references"):
            continue  # an explanatory note ([a]) cites nothing
        have = got["footnotes"].get(str(number))
        if have is None:
            problems.append(f"fn {number}: missing")
            compared += len(note["references"])
            continue
        if "context" in fields and note.get("context") is not None:
            compared += 1
            if normal(have["context"]) != normal(note["context"]):
                problems.append(f"fn {number} context: {have['context']!r} != {note['context']!r}")
        if len(have["references"]) != len(note["references"]):
            problems.append(f"fn {number}: {len(have['references'])} references, expected {len(note['references'])}")
        for i, (mine, want) in enumerate(zip(have["references"], note["references"]), 1):
            for field in fields:
                if field == "context":
                    continue
                compared += 1
                problem = _field(field, mine, want, labels)
                if problem:
                    problems.append(f"fn {number}.{i} {field}: {problem}")
    return compared, problems


def _field(field: str, mine: dict, want: dict, labels: dict[str, str]) -> str | None:
    if field == "source":
        first = labels.setdefault(want["source"], mine["source"])
        others = {label for label, sid in labels.items() if isinstance(label, str) and sid == mine["source"]}
        if first != mine["source"] or others != {want["source"]}:
            return f"{mine['source']!r} groups differently from label {want['source']!r}"
        return None
    expected = want.get(field)
    got = mine.get(field)
    if field in ("claimed_updated", "accessed") and not expected and got and got in labels.get(("dates", want["source"]), ()):
        return None  # a repeat of a source carries the date stated for it once (the source's date)
    if field in ("claimed_updated", "accessed") and want.get("back_reference") and not expected:
        return None  # a back reference repeats its source: its date is the source's
    if field in ("claimed_updated", "accessed"):
        return None if (got or None) == (str(expected) if expected else None) else f"{got!r} != {expected!r}"
    if field == "pages":
        same = (not got and not expected) or (got and expected and
                                              parse_pages(str(got)) == parse_pages(str(expected)))
        return None if same else f"{got!r} != {expected!r}"
    if field == "author":
        if not expected:
            return None  # not every note names one; an extra author is no error
        got = got or mine.get("publisher")  # citations.yaml leaves out an author who is the publisher
        return None if _names(got) == _names(expected) else f"{got!r} != {expected!r}"
    if field == "url":
        return None if (got or "") == (expected or "") else f"{got!r} != {expected!r}"
    return None if normal(got) == normal(expected) else f"{got!r} != {expected!r}"


def load_expected(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
