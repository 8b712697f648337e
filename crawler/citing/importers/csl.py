"""Reference-manager exports: CSL-JSON (Zotero, Mendeley, pandoc) and BibTeX / BibLaTeX.

An export has no notes, only entries: each entry is one source, cited from a
footnote of its own, numbered in file order. BibTeX is parsed by bibtexparser
(LaTeX accents decoded, co-authors split) and its fields mapped onto CSL's
names, so one mapping reads both.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from crawler.citing.notes import Cited, DocumentError

# BibTeX field -> CSL variable; the first field present wins
BIBTEX_FIELDS = {
    "title": ("title",),
    "URL": ("url", "howpublished"),
    "DOI": ("doi",),
    "container-title": ("journaltitle", "journal", "booktitle", "titleaddon", "maintitle"),
    "publisher": ("publisher", "institution", "organization", "school"),
    "page": ("pages",),
}
MONTHS = {name: n for n, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


def read_json(path: Path) -> tuple[str | None, str | None, list[Cited]]:
    try:
        items = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError(str(path), f"not CSL-JSON ({exc})") from None
    if isinstance(items, dict) and "items" in items:  # CSL-JSON as some tools wrap it
        items = items["items"]
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise DocumentError(str(path), "not CSL-JSON: expected a list of entries")
    return None, None, [cited for n, item in enumerate(items, 1) if (cited := from_csl(item, str(n)))]


def read_bibtex(path: Path) -> tuple[str | None, str | None, list[Cited]]:
    import bibtexparser
    from bibtexparser import middlewares

    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    library = bibtexparser.parse_string(text, append_middleware=[
        middlewares.LatexDecodingMiddleware(), middlewares.SeparateCoAuthors()])
    if library.failed_blocks and not library.entries:
        block = library.failed_blocks[0]
        raise DocumentError(str(path), f"not BibTeX: cannot read the entry at line {block.start_line + 1}")
    items = [_bibtex_item(entry) for entry in library.entries]
    return None, None, [cited for n, item in enumerate(items, 1) if (cited := from_csl(item, str(n)))]


def _bibtex_item(entry) -> dict:
    fields = {key.lower(): field.value for key, field in entry.fields_dict.items()}
    item: dict = {"type": entry.entry_type}
    for csl, names in BIBTEX_FIELDS.items():
        value = next((fields[name] for name in names if fields.get(name)), None)
        if value and not (csl == "URL" and not re.match(r"^(?:https?://|www\.)", _plain(value))):
            item[csl] = _plain(value)
    if isinstance(fields.get("author"), list):
        item["author"] = [_bibtex_name(name) for name in fields["author"]]
    issued = _bibtex_date(fields.get("date"), fields.get("year"), fields.get("month"), fields.get("day"))
    if issued:
        item["issued"] = {"date-parts": [issued]}
    accessed = _bibtex_date(fields.get("urldate"), None, None, None)
    if accessed:
        item["accessed"] = {"date-parts": [accessed]}
    return item


def _plain(value) -> str:
    return " ".join(str(value).replace("{", "").replace("}", "").replace("--", "–").split())


def _bibtex_name(name: str) -> dict:
    """"Roe, Jane" is family and given name; an organisation (no comma) is a literal name."""
    name = _plain(name)
    family, sep, given = name.partition(",")
    return {"family": family.strip(), "given": given.strip()} if sep else {"literal": name}


def _bibtex_date(date, year, month, day) -> list | None:
    if date:
        parts = [int(p) for p in re.findall(r"\d+", str(date).split("/")[0])[:3]]
        return parts or None
    if not year or not str(year).strip().isdigit():
        return None
    parts = [int(year)]
    month = str(month or "").strip().lower()[:3]
    if month:
        parts.append(int(month) if month.isdigit() else MONTHS.get(month, 0))
        if day and str(day).strip().isdigit() and parts[-1]:
            parts.append(int(day))
    return [p for p in parts if p]


# -- CSL -> a reference -----------------------------------------------------------


def from_csl(item: dict, footnote: str) -> Cited | None:
    """One entry as a reference cited from footnote ``footnote``; None for an entry without a title."""
    title = " ".join(str(item.get("title") or "").split())
    if not title:
        return None
    authors = "; ".join(filter(None, (_name(a) for a in item.get("author") or [] if isinstance(a, dict))))
    url = str(item.get("URL") or "").strip()
    if not url and item.get("DOI"):
        url = "https://doi.org/" + str(item["DOI"]).strip()
    publisher = str(item.get("container-title") or item.get("publisher") or "").strip() or authors
    cited = Cited(footnote=footnote, title=title, url=url, author=authors, publisher=publisher,
                  claimed=_day(item.get("issued")), accessed=_day(item.get("accessed")),
                  pages=str(item["page"]).strip() if item.get("page") else None)
    if not url:
        cited.url_note = "the entry has no URL"
    return cited


def _name(author: dict) -> str:
    if author.get("literal"):
        return str(author["literal"]).strip()
    return " ".join(str(author.get(part) or "").strip() for part in ("given", "non-dropping-particle", "family")
                    if author.get(part)).strip()


def _day(date: dict | None) -> str | None:
    """A CSL date naming a day, as YYYY-MM-DD; a year or month alone is no claim."""
    try:
        parts = [int(p) for p in (date or {}).get("date-parts", [[]])[0]]
    except (TypeError, ValueError, IndexError):
        return None
    return f"{parts[0]:04d}-{parts[1]:02d}-{parts[2]:02d}" if len(parts) >= 3 else None
