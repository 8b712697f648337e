"""Web pages: footnote markers that link to notes on the same page.

Every footnote system of the web (pandoc, Wikipedia's Cite, WordPress,
kramdown, Hugo, hand-made pages) comes down to the same structure: a marker
``<a href="#fn1">`` in the text, and the element it points to, a list item
of an ``<ol>``, with a link back. So a note is any element a marker points
to that stands in a list or a container named for notes; its number is the
marker's; the backlinks are dropped; its links keep their targets.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from crawler.citing.context import marker_contexts
from crawler.citing.notes import DocumentError, Note

NOTES_CONTAINER = re.compile(r"foot-?notes?|end-?notes?|references|reflist|fn-list|notes", re.I)
NOTE_ROLES = {"doc-endnotes", "doc-footnote", "doc-endnote", "doc-footnotes"}
BACKLINK = re.compile(r"back|reverse|return|mw-cite-backlink|fnref|footnote-return", re.I)
BACKLINK_TEXT = re.compile(r"^\s*(?:[↩↑^⏎]\ufe0e?|\^|[a-z])\s*$")
MARKER_TEXT = re.compile(r"^\s*\[?\s*(?P<label>\d{1,3}|[a-z])\s*\]?\s*$")
PARAGRAPHS = ("p", "li", "blockquote", "dd", "td", "figcaption")
NEVER_TEXT = ("script", "style", "noscript", "template")  # not even inside a note (Wikipedia's TemplateStyles)
SKIPPED = ("nav", "header", "footer", "form", "button", "aside")  # page furniture, unless notes stand in it


def read(path: Path) -> tuple[str | None, str | None, list[Note]]:
    try:
        tree = lxml.html.fromstring(path.read_bytes())
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(str(path), f"not readable as HTML ({exc})") from None
    return read_tree(tree)


def read_tree(tree) -> tuple[str | None, str | None, list[Note]]:
    """(title, language, notes) of a parsed page."""
    title = _title(tree)
    for element in tree.xpath("//" + " | //".join(NEVER_TEXT)):
        element.drop_tree()
    for element in tree.xpath("//" + " | //".join(SKIPPED)):
        if not _inside_note_list(element):
            element.drop_tree()
    targets = _note_targets(tree)
    notes = [Note(label=label, text=_note_text(target)) for target, label in targets.items()]
    for target in targets:
        target.getparent().remove(target)  # the notes are no body text
    contexts = marker_contexts(_paragraphs(tree))
    for note in notes:
        note.context = contexts.get(note.label)
    return title, tree.get("lang") or None, [n for n in notes if n.text]


def _note_targets(tree) -> dict:
    """Note element -> its label, in the order of the notes; markers become ``[^N]`` in the body."""
    by_id = {element.get("id"): element for element in tree.xpath("//*[@id]")}
    by_name = {element.get("name"): element for element in tree.xpath("//a[@name]")}
    targets: dict = {}
    for anchor in tree.xpath("//a[starts-with(@href, '#')]"):
        fragment = anchor.get("href")[1:]
        target = by_id.get(fragment)
        target = by_name.get(fragment) if target is None else target
        if target is None or not _is_note(target) or _inside(anchor, target) or _in_note_list(anchor):
            continue
        label = targets.get(target) or _label(anchor, target)
        if label is None:
            continue
        targets[target] = label
        _replace_marker(anchor, label)
    return dict(sorted(targets.items(), key=lambda item: _order(item[0])))


def _is_note(element) -> bool:
    """An item of a list of notes, or the element a note list wraps."""
    node = element if element.tag == "li" else element.getparent()
    if node is None:
        return False
    for ancestor in [node, *node.iterancestors()][:4]:
        if ancestor.get("role") in NOTE_ROLES or NOTES_CONTAINER.search(ancestor.get("class", "") + " " + ancestor.get("id", "")):
            return True
    return element.tag == "li" and element.getparent() is not None and element.getparent().tag == "ol"


def _inside(anchor, target) -> bool:
    return any(ancestor is target for ancestor in anchor.iterancestors())


def _in_note_list(anchor) -> bool:
    """A link inside the notes (a backlink, a note citing another note) is no marker in the text."""
    return any(_is_note(ancestor) for ancestor in anchor.iterancestors() if ancestor.tag == "li")


def _label(anchor, target) -> str | None:
    """The number the marker shows ("1", "[3]"), else the note's place in its list."""
    match = MARKER_TEXT.match(anchor.text_content())
    if match and match["label"].isdigit():
        return match["label"]
    if target.tag == "li" and target.getparent() is not None:
        items = [li for li in target.getparent() if li.tag == "li"]
        start = int(target.getparent().get("start", "1") or 1)
        if match and match["label"].isalpha():
            return None  # a lettered note ([a]): explanation, not a numbered footnote
        return str(start + items.index(target))
    return None


def _replace_marker(anchor, label: str) -> None:
    """The marker (with the <sup> around it) becomes ``[^N]`` in the text."""
    marker = anchor
    parent = anchor.getparent()
    if parent is not None and parent.tag == "sup" and parent.text_content().strip() == anchor.text_content().strip():
        marker = parent
    _replace(marker, f"[^{label}]")


def _replace(element, text: str) -> None:
    """The element gives way to ``text``; what followed it stays where it was."""
    tail, parent, previous = element.tail or "", element.getparent(), element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text + tail
    else:
        parent.text = (parent.text or "") + text + tail
    parent.remove(element)


def _order(element) -> int:
    return element.sourceline or 0


def _note_text(element) -> str:
    """The note's text, links as [text](url), backlinks left out."""
    for backlink in element.xpath(".//a[starts-with(@href, '#')] | .//*[@class]"):
        if backlink.getparent() is None:
            continue
        if backlink.tag == "a" and (BACKLINK.search(backlink.get("class", "") + backlink.get("role", ""))
                                    or BACKLINK_TEXT.match(backlink.text_content())):
            _replace(backlink, "")
        elif backlink.tag != "a" and BACKLINK.search(backlink.get("class", "")):
            _replace(backlink, "")
    return " ".join(_text(element).split())


def _text(element) -> str:
    """Text with links written as [text](url): the form every citation-style reader takes."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if child.tag == "a" and child.get("href") is not None:
            text = " ".join(_text(child).split())
            href = child.get("href").strip()
            parts.append(href if text == href else f"[{text.replace('[', '(').replace(']', ')')}]({href})")
        elif child.tag == "br":
            parts.append(" ")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _paragraphs(tree) -> list[str]:
    """Body text blocks, innermost first so a paragraph is never counted inside its list item too."""
    blocks = []
    for element in tree.iter(*PARAGRAPHS):
        if any(child.tag in PARAGRAPHS for child in element.iterdescendants()):
            continue
        blocks.append(" ".join(element.text_content().split()))
    return blocks


def _title(tree) -> str | None:
    """The article's heading (a site's name in its header is an <h1> too), else og:title, else <title>."""
    for xpath in ("//article//h1 | //main//h1 | //*[@role='main']//h1", "//h1[not(ancestor::header or ancestor::nav)]",
                  "//meta[@property='og:title']/@content", "//h1", "//title"):
        found = tree.xpath(xpath)
        if found:
            text = found[0] if isinstance(found[0], str) else found[0].text_content()
            if text.strip():
                return " ".join(text.split())
    return None


def _inside_note_list(element) -> bool:
    return any(_is_note(ancestor) for ancestor in element.iterancestors() if ancestor.tag == "li")
