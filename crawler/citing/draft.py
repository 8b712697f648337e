"""From the references of a document's notes to citations.yaml: sources once, footnotes refer to them.

Back references are resolved first (Ibid. to the reference before, a. a. O. to
the author's earlier work, a short form "Roe, "Water Tables," 14" to the full
note it shortens); then references to one source are merged: the same URL, or,
when the URL is lost, the same title and publisher. A lost link becomes an
empty ``url`` with a comment saying why; a date that cannot be read is left
out with a comment quoting it. Nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from crawler import __version__
from crawler.citing.claims import parse_claim
from crawler.citing.notes import Cited, Imported
from crawler.citing.urls import url_problem

STOPWORDS = {"a", "an", "the", "they", "how", "why", "has", "have", "with", "of", "in", "on", "and", "to",
             "for", "by", "as", "is", "der", "die", "das", "ein", "eine", "und", "im", "von", "zu", "zur",
             "des", "den", "dem", "le", "la", "les", "de", "du", "et", "в", "и", "на", "с"}
HEADER = """\
citations.yaml imported by citecheck {version} from {document}.
Check each title, publisher, date and page against the document; fill in the
links the document lost. A later `citecheck import` keeps what you change here.
"""


# -- back references and short forms ----------------------------------------------


def resolve_back_references(references: list[Cited]) -> list[str]:
    """Point each Ibid./Ebd., a. a. O. and short form at the reference it repeats; problems as messages."""
    problems, previous, full = [], None, []
    for cited in references:
        if cited.back == "ibid":
            if previous is None:
                problems.append(f"fn {cited.footnote}: 'Ibid.' with no reference before it")
            else:
                cited.source_of = _root(previous)
        elif cited.back == "op_cit":
            earlier = _by_author(full, cited.author)
            if earlier is None:
                problems.append(f"fn {cited.footnote}: no earlier work by {cited.author!r} for 'a. a. O.' to refer to")
            else:
                cited.source_of = earlier
        elif cited.back == "same_author" and previous is not None:
            cited.author = _root(previous).author or previous.author
            cited.publisher = cited.publisher or cited.author
        if cited.source_of is None and not cited.url and cited.title:
            cited.source_of = _shortened(full, cited)
        if cited.source_of is None and cited.back not in ("ibid", "op_cit"):
            full.append(cited)
        previous = cited
    return problems


def _root(cited: Cited) -> Cited:
    return cited.source_of or cited


def _surname(author: str) -> str:
    """"Roe, Jane", "Jane Roe" and "Roe J. A." (GOST) all give "roe"."""
    author = author.strip()
    head = author.split(",")[0] if "," in author else re.split(r" and | und | & | и ", author)[0]
    words = [w for w in head.split() if not re.fullmatch(r"\w\.", w)]  # initials are no surname
    if "," in author or not words:
        return head.casefold().strip(".")
    return (words[0] if len(words) < len(head.split()) else words[-1]).casefold().strip(".")


def _by_author(full: list[Cited], author: str) -> Cited | None:
    name = _surname(author)
    return next((c for c in reversed(full) if c.author and _surname(c.author) == name), None)


def _shortened(full: list[Cited], cited: Cited) -> Cited | None:
    """The full reference a short form ("Roe, "Water Tables," 14") stands for: same author, title a prefix."""
    if not cited.author:
        return None
    short = _squash(cited.title)
    for earlier in reversed(full):
        long = _squash(earlier.title)
        if earlier.author and _surname(earlier.author) == _surname(cited.author) and long != short \
                and len(short) >= 4 and long.startswith(short):
            return earlier
    return None


def resolve_labels(references: list[Cited]) -> None:
    """A link that swallowed its author ("[Meduza, Kazakhstan …](#)") gives it back."""
    labels = {c.author for c in references if c.author}
    for cited in references:
        head, sep, rest = cited.title.partition(", ")
        if not cited.author and sep and head in labels:
            cited.author, cited.title = head, rest
            cited.publisher = cited.publisher or head


# -- sources ---------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def url_key(url: str) -> str:
    """One source per page: scheme, "www." and a trailing slash or fragment do not make another."""
    url = url.split("#")[0].rstrip("/")
    return re.sub(r"^https?://(?:www\.)?", "", url, flags=re.I).casefold()


def source_key(cited: Cited) -> tuple[str, ...]:
    root = _root(cited)
    if root.url:
        return ("url", url_key(root.url))
    return ("title", _squash(root.title), _squash(root.author or root.publisher))


def group_sources(references: list[Cited]) -> dict[tuple, list[Cited]]:
    """Source key -> its references, in the order sources are first cited."""
    groups: dict[tuple, list[Cited]] = {}
    for cited in references:
        groups.setdefault(source_key(cited), []).append(cited)
    return groups


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def source_id(cited: Cited, taken: set[str]) -> str:
    """A readable id: short author or publisher, year, two title words ("meduza-2026-kazakhstan-literally")."""
    words = [w for w in _words(re.split(r": | – ", cited.title)[-1]) if w.casefold() not in STOPWORDS]
    who = _slug(_short_name(cited.author or cited.publisher))
    year = _year(cited.claimed) or next(iter(re.findall(r"\b(?:19|20)\d\d\b", cited.title)), "")
    base = "-".join(filter(None, [who[:24].strip("-"), year, *map(_slug, words[:2])])) or "source"
    sid, n = base, 2
    while sid in taken:
        sid, n = f"{base}-{n}", n + 1
    taken.add(sid)
    return sid


def _short_name(name: str) -> str:
    """"Meduza", "Jane Roe" -> "Roe", "Roe, Jane" -> "Roe", "E-International Relations" -> "EIR"."""
    first = re.split(r",| and | und | & ", name)[0]
    capitals = [w for w in re.split(r"[\W_]+", first) if w[:1].isupper()]
    if len(capitals) <= 1:
        return capitals[0] if capitals else first
    if len(capitals) == 2:
        return capitals[-1]
    return "".join(c[0] for c in capitals)


def _words(text: str) -> list[str]:
    """Plain words of three letters or more: no digits, no "Kazakhstan's"."""
    tokens = (token.strip(".,;:!?\"„“”()[]«»") for token in text.split())
    return [t for t in tokens if len(t) >= 3 and t.isalpha()]


def _year(claim: str | None) -> str:
    day = claim_date(claim)
    return str(day.year) if isinstance(day, dt.date) else ""


def claim_date(claim: str | None) -> dt.date | str | None:
    """A claim as citations.yaml writes it: a date, "unknown", or None when it cannot be read."""
    try:
        parsed = parse_claim(claim)
    except ValueError:
        return None
    if parsed is None:
        return None
    return "unknown" if parsed.unknown else parsed.value


# -- the YAML ----------------------------------------------------------------------------


def yaml() -> YAML:
    writer = YAML()
    writer.width = 4096  # one line per value: a changed title is a one-line diff
    writer.preserve_quotes = True  # an editor's file comes back as written
    writer.indent(mapping=2, sequence=4, offset=2)
    return writer


def dump(data: CommentedMap) -> str:
    out = io.StringIO()
    yaml().dump(data, out)
    return out.getvalue()


def citations_map(imported: Imported) -> CommentedMap:
    """The whole citations.yaml of an imported document, comments included."""
    references = imported.references
    groups = group_sources(references)
    taken: set[str] = set()
    ids = {key: source_id(_root(refs[0]), taken) for key, refs in groups.items()}
    data = CommentedMap()
    data.yaml_set_start_comment(HEADER.format(version=__version__, document=imported.path))
    document = CommentedMap()
    if imported.title:
        document["title"] = imported.title
    if imported.lang:  # the editors' reports speak it (citecheck verify --lang)
        document["lang"] = imported.lang
    if document:
        data["document"] = document
    sources = data["sources"] = CommentedMap()
    for key, refs in groups.items():
        sources[ids[key]] = source_map(_root(refs[0]), refs)
    footnotes = data["footnotes"] = CommentedMap()
    for cited in references:
        label = DoubleQuotedScalarString(cited.footnote)
        footnotes.setdefault(label, CommentedSeq()).append(
            reference_map(cited, ids[source_key(cited)], sources[ids[source_key(cited)]]))
    return data


def source_map(root: Cited, refs: list[Cited]) -> CommentedMap:
    source = CommentedMap()
    problem = url_problem(root.url) if root.url else None
    source["url"] = None if problem else root.url or None
    if problem:  # kept for the editor to mend, not for the loader to refuse
        source.yaml_add_eol_comment(f"the document's address {root.url[:200]!r} {problem}", "url")
    elif not root.url:
        source.yaml_add_eol_comment(root.url_note or "no address given", "url")
    source["title"] = root.title or "(no title in the note)"
    publisher = root.publisher or next((r.publisher for r in refs if r.publisher), "")
    if publisher:
        source["publisher"] = publisher
    if root.author and root.author != publisher and not _abbreviates(root.author, publisher):
        source["author"] = root.author
    for field, raw in (("claimed_updated", _first(refs, "claimed")), ("accessed", _first(refs, "accessed"))):
        _put_date(source, field, raw)
    return source


def _first(refs: list[Cited], field: str) -> str | None:
    return next((getattr(r, field) for r in refs if getattr(r, field)), None)


def _put_date(target: CommentedMap, field: str, raw: str | None) -> None:
    """A readable date as a date; an unreadable one as a comment quoting it, for the editor to fix."""
    if raw is None:
        return
    value = claim_date(raw)
    if value is None:
        target.yaml_add_eol_comment(f"{field} not read from the note: {raw!r}", list(target)[-1])
    else:
        target[field] = value


def reference_map(cited: Cited, sid: str, source: CommentedMap) -> CommentedMap:
    reference = CommentedMap()
    reference["source"] = sid
    if cited.pages:
        reference["pages"] = DoubleQuotedScalarString(cited.pages)
    for field, raw in (("claimed_updated", cited.claimed), ("accessed", cited.accessed)):
        if raw is not None and claim_date(raw) is not None and claim_date(raw) != source.get(field):
            reference[field] = claim_date(raw)
    if cited.context:
        reference["context"] = cited.context
    return reference


def _abbreviates(short: str, long: str) -> bool:
    """"FH" for "Freedom House", "KIBHR" for "Kazakhstan International Bureau for Human Rights …"."""
    letters = [c for c in short if c.isalnum()]
    initials = [w[0] for w in re.split(r"[\W_]+", long) if w[:1].isupper()]
    it = iter(initials)
    return bool(letters) and short.replace("/", "").isupper() and all(any(c == i for i in it) for c in letters)
