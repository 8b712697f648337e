"""Draft a citations.yaml from a document's footnotes, so nobody retypes them.

Reads footnotes written in the common German citation style of the seed
document ("N Publisher, [title](url): continuation, Full Publisher, S. 3-25;
... letzte Aktualisierung 13.03.2026"). The result is a draft for a person to
check, not a verdict: a link that did not survive conversion stays empty with
a comment instead of being guessed, and a date that cannot be read is kept
verbatim so that loading the draft points at it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from crawler.citing.claims import claimed_text, parse_claim

# -- patterns (data) ----------------------------------------------------------

FOOTNOTE = re.compile(r"^(?P<n>\d{1,3})\s+(?P<body>\S.*\]\(.*)$", re.MULTILINE)
REFERENCE_SEPARATOR = re.compile(r";\s+")
LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]*)\)")
CLAIM_TAIL = re.compile(
    r",\s*(?P<claim>(?:letzte\s+Aktualisierung|zuletzt\s+\w+|abgerufen|Stand|accessed|"
    r"last\s+updated|retrieved)\b[^,;]*?)\s*$",
    re.IGNORECASE,
)
PAGES_TAIL = re.compile(r",\s*(?:S\.|p\.|pp\.)\s*(?P<pages>\d+(?:\s*[-–]\s*\d+)?(?:\s*ff?\.)?)\.?\s*$")
LOST_LINKS = {"", "#"}
STOPWORDS = {"a", "an", "the", "they", "how", "why", "has", "have", "with", "of", "in", "on", "and",
             "to", "for", "by", "as", "is", "der", "die", "das", "ein", "eine", "und", "im", "von",
             "zu", "zur", "des", "den", "dem"}
HEADER = """\
# Draft citations.yaml, generated from the document's footnotes.
# Check every title, publisher, date and page against the document before use;
# see the format notes at the top of citecheck's own citations.yaml.
"""


@dataclass
class _Cited:
    """One reference as read from a footnote, before sources are merged."""

    footnote: str
    label: str  # the short publisher label before the link ("FH", "Meduza")
    publisher: str  # the full name after the title when given, else the label
    title: str
    url: str
    pages: str | None
    claim: str | None


# -- reading footnotes ---------------------------------------------------------------


def read_footnotes(text: str) -> list[tuple[str, list[str]]]:
    """(number, reference texts) for each footnote line carrying a link."""
    return [
        (m["n"], [part.strip() for part in REFERENCE_SEPARATOR.split(m["body"].strip()) if part.strip()])
        for m in FOOTNOTE.finditer(text)
    ]


def _read_reference(footnote: str, text: str) -> _Cited:
    text, claim = _cut(CLAIM_TAIL, text, "claim")
    text, pages = _cut(PAGES_TAIL, text, "pages")
    link = LINK.search(text)
    if link is None:
        label, _, title = text.partition(", ")
        return _Cited(footnote, label.strip(), label.strip(), title.strip(" ,."), "", pages, claim)
    label, _, prefix = text[: link.start()].partition(", ")
    continuation, full = _split_publisher(text[link.end():].rstrip(" ,"))
    title = (prefix + link["text"] + continuation).strip()
    return _Cited(footnote, label.strip(), full or label.strip(), title, link["url"], pages, claim)


def _cut(pattern: re.Pattern, text: str, group: str) -> tuple[str, str | None]:
    match = pattern.search(text)
    return (text[: match.start()], match[group]) if match else (text, None)


def _split_publisher(after: str) -> tuple[str, str | None]:
    """Split "…continuation, Full Publisher" where the last part names the publisher."""
    head, sep, last = after.rpartition(", ")
    if sep and last[:1].isupper():
        return head, last.strip()
    return after, None


def _resolve_labels(cited: list[_Cited]) -> None:
    """A link that swallowed its publisher ("[Meduza, Kazakhstan …]") gives it back."""
    labels = {c.label for c in cited if c.label}
    for c in cited:
        if c.label:
            continue
        head, sep, rest = c.title.partition(", ")
        if sep and head in labels:
            c.label, c.title = head, rest
    for c in cited:
        c.publisher = c.publisher or c.label


# -- merging into sources ------------------------------------------------------------


def _key(c: _Cited) -> tuple[str, str]:
    return _squash(c.title), _squash(c.label or c.publisher)


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _source_id(c: _Cited, taken: set[str]) -> str:
    words = [w for w in _words(re.split(r": | – ", c.title)[-1]) if w.casefold() not in STOPWORDS]
    year = _claim_year(c.claim) or next(iter(re.findall(r"\b(?:19|20)\d\d\b", c.title)), "")
    base = "-".join(filter(None, [_slug(c.label or c.publisher), year, *map(_slug, words[:2])]))
    sid, n = base or "source", 2
    while sid in taken:
        sid, n = f"{base}-{n}", n + 1
    taken.add(sid)
    return sid


def _words(text: str) -> list[str]:
    """Plain words of three letters or more: no digits, no "Kazakhstan's"."""
    tokens = (token.strip(".,;:!?\"„“”()[]") for token in text.split())
    return [t for t in tokens if len(t) >= 3 and t.isalpha()]


def _claim_year(claim: str | None) -> str:
    try:
        parsed = parse_claim(claim)
    except ValueError:
        return ""
    return str(parsed.value.year) if parsed and parsed.value else ""


def _claim_yaml(claim: str | None) -> str | None:
    """The claim as YAML: an ISO date, unknown, or the raw text when unreadable."""
    try:
        return claimed_text(parse_claim(claim))
    except ValueError:
        return _q(claim)  # loading the draft will point at it


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


# -- writing the draft ---------------------------------------------------------------


def draft_citations(text: str) -> str:
    """A draft citations.yaml for the footnotes found in a document's text."""
    cited = [_read_reference(n, ref) for n, refs in read_footnotes(text) for ref in refs]
    _resolve_labels(cited)
    ids: dict[tuple[str, str], str] = {}
    first: dict[str, _Cited] = {}
    taken: set[str] = set()
    for c in cited:
        key = _key(c)
        if key not in ids:
            ids[key] = _source_id(c, taken)
            first[ids[key]] = c
        source = first[ids[key]]
        if source.claim is None:
            source.claim = c.claim
    lines = [HEADER, _document_yaml(text), "sources:"]
    for sid, c in first.items():
        lines += _source_yaml(sid, c)
    lines.append("footnotes:")
    lines += _footnotes_yaml(cited, ids, first)
    return "\n".join(lines) + "\n"


def _document_yaml(text: str) -> str:
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return f"document:\n  title: {_q(title)}   # the document's first line; check\n"


def _source_yaml(sid: str, c: _Cited) -> list[str]:
    url = "url:   # link lost in conversion" if c.url in LOST_LINKS else f"url: {_q(c.url)}"
    lines = [f"  {sid}:", f"    {url}", f"    title: {_q(c.title)}"]
    if c.publisher:
        lines.append(f"    publisher: {_q(c.publisher)}")
    if c.claim is not None:
        lines.append(f"    claimed_updated: {_claim_yaml(c.claim)}")
    return lines + [""]


def _footnotes_yaml(cited: list[_Cited], ids: dict, first: dict) -> list[str]:
    lines, current = [], None
    for c in cited:
        if c.footnote != current:
            lines.append(f"  {_q(c.footnote)}:")
            current = c.footnote
        sid = ids[_key(c)]
        fields = [f"source: {sid}"]
        if c.pages:
            fields.append(f"pages: {_q(c.pages)}")
        claim = _claim_yaml(c.claim)
        if claim is not None and claim != _claim_yaml(first[sid].claim):
            fields.append(f"claimed_updated: {claim}")
        lines.append("    - {" + ", ".join(fields) + "}")
    return lines
