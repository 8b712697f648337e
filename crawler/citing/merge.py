"""Import into a citations.yaml an editor already keeps: add what is new, keep what they wrote.

The editor's file is the authority. An imported source is matched to one of
theirs by its URL, else its title, else by standing at the same place in the
same footnote (so a source they renamed or whose title they corrected is still
theirs). Of a matched source only an empty ``url`` is filled; of a matched
reference only a missing ``context``. Everything else the document says
differently is reported, not written. New footnotes, references and sources
are added; footnotes the document no longer has are kept and marked. The file
is rewritten round-trip (comments, quotes and layout kept), so a second import
of the same document changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from crawler.citing.draft import _squash, dump, url_key, yaml

GONE = "no longer in the document"


@dataclass
class Changes:
    """What an import did to the file, for the summary it prints."""

    added_footnotes: list[str] = field(default_factory=list)
    added_references: list[str] = field(default_factory=list)
    added_sources: list[str] = field(default_factory=list)
    filled_urls: list[str] = field(default_factory=list)
    contexts: int = 0
    gone: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # the document says otherwise; the file's value stays

    def lines(self) -> list[str]:
        out = []
        for what, items in (("added footnotes", self.added_footnotes), ("added references", self.added_references),
                            ("added sources", self.added_sources), ("filled in URLs", self.filled_urls)):
            if items:
                out.append(f"{what}: {', '.join(items)}")
        if self.contexts:
            out.append(f"added the citing sentences (context) to {self.contexts} references")
        if self.gone:
            out.append(f"footnotes {GONE} (kept, marked): {', '.join(self.gone)}")
        out += [f"kept yours: {line}" for line in self.kept]
        return out or ["nothing changed: the file already holds everything the document says"]


def merge(existing_text: str, imported: CommentedMap) -> tuple[str, Changes]:
    """The editor's file with the import merged in, and what changed."""
    data = yaml().load(existing_text)
    changes = Changes()
    sources = data["sources"]
    ids = _match_sources(sources, data["footnotes"], imported)
    for new_id, source in imported["sources"].items():
        if new_id in ids:
            _update_source(ids[new_id], sources[ids[new_id]], source, changes)
        else:
            ids[new_id] = _free_id(new_id, sources)
    _merge_footnotes(data["footnotes"], imported["footnotes"], ids, changes, existing_text)
    cited = {ref["source"] for refs in data["footnotes"].values() for ref in refs}
    for new_id, source in imported["sources"].items():
        if ids[new_id] not in sources and ids[new_id] in cited:  # only what an added reference cites
            sources[ids[new_id]] = source
            changes.added_sources.append(ids[new_id])
    text = dump(data)
    return (existing_text, changes) if text == existing_text else (text, changes)


# -- sources -------------------------------------------------------------------------


def _match_sources(sources: CommentedMap, footnotes: CommentedMap, imported: CommentedMap) -> dict[str, str]:
    """Imported source id -> the editor's id, by URL, then title, then place in the footnotes."""
    by_url = {url_key(s["url"]): sid for sid, s in sources.items() if s.get("url")}
    by_title = {_squash(str(s.get("title", ""))): sid for sid, s in sources.items()}
    ids: dict[str, str] = {}
    for new_id, source in imported["sources"].items():
        match = (source.get("url") and by_url.get(url_key(source["url"]))) or by_title.get(_squash(source["title"]))
        if match and match not in ids.values():
            ids[new_id] = match
    for label, refs in imported["footnotes"].items():
        theirs = footnotes.get(label) or footnotes.get(str(label))
        if not theirs or len(theirs) != len(refs):
            continue
        for ours, their in zip(refs, theirs):
            if ours["source"] not in ids and their["source"] not in ids.values():
                ids[ours["source"]] = their["source"]
    return ids


def _update_source(sid: str, theirs: CommentedMap, ours: CommentedMap, changes: Changes) -> None:
    if not theirs.get("url") and ours.get("url"):
        theirs["url"] = ours["url"]
        changes.filled_urls.append(sid)
    for key in ("url", "title", "claimed_updated"):
        if theirs.get(key) and ours.get(key) and str(theirs[key]) != str(ours[key]):
            changes.kept.append(f"{sid} {key} {_short(theirs[key])} (the document: {_short(ours[key])})")


def _free_id(sid: str, sources: CommentedMap) -> str:
    base, n = sid, 2
    while sid in sources:
        sid, n = f"{base}-{n}", n + 1
    return sid


def _short(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "…")


# -- footnotes -----------------------------------------------------------------------


def _merge_footnotes(footnotes: CommentedMap, imported: CommentedMap, ids: dict[str, str], changes: Changes,
                     existing_text: str) -> None:
    keys = {str(int(str(k))): k for k in footnotes}
    for label, refs in imported.items():
        for ref in refs:
            ref["source"] = ids.get(ref["source"], ref["source"])
        key = keys.get(str(label))
        if key is None:
            footnotes[label] = refs
            changes.added_footnotes.append(str(label))
        else:
            _merge_references(str(label), footnotes[key], refs, changes)
    _sort_numerically(footnotes)
    for number, key in keys.items():
        if number not in {str(k) for k in imported}:
            if _gone_line(key) not in existing_text:
                footnotes.yaml_set_comment_before_after_key(key, before=_gone_line(key), indent=2)
            changes.gone.append(number)


def _merge_references(label: str, theirs: CommentedSeq, ours: CommentedSeq, changes: Changes) -> None:
    for i, ref in enumerate(ours):
        if i >= len(theirs):
            theirs.append(ref)
            changes.added_references.append(f"fn {label} ({ref['source']})")
        elif theirs[i]["source"] != ref["source"]:
            changes.kept.append(f"fn {label} reference {i + 1} cites {theirs[i]['source']} "
                                f"(the document: {ref['source']})")
        elif ref.get("context") and not theirs[i].get("context"):
            theirs[i].fa.set_block_style()  # a sentence does not fit a one-line {source: …}
            theirs[i]["context"] = ref["context"]
            changes.contexts += 1


def _sort_numerically(footnotes: CommentedMap) -> None:
    """New footnotes go where their number puts them."""
    order = sorted(footnotes, key=lambda k: int(str(k)))
    if list(footnotes) != order:
        for key in order:
            footnotes.move_to_end(key)


def _gone_line(key) -> str:
    """The mark above a footnote the document dropped, written once: the editor decides whether it goes."""
    return f'footnote "{key}" is {GONE}: delete it, or keep it if it still applies'
