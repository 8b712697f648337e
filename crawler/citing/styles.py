"""Read the references of one note, whatever citation style wrote them.

A note is cut into references at top-level semicolons; each reference is read
by removing what can be recognised for sure (URLs, labelled dates, pages, an
APA date in parentheses) and then finding the title: a linked title, a quoted
title, the APA title after the date, or the comma-separated part after an
author. What stands before the title is the author (prose such as "See the
discussion in" is dropped); what stands after it is the publisher and a plain
publication date. Back references (Ibid., Ebd., a. a. O., Ders.) are marked
here and resolved over the whole document by ``resolve_back_references``.

Nothing is guessed: a lost link stays an empty URL with the reason, and a date
that names no day (2025, March 2025) is no claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.citing.context import split_sentences
from crawler.citing.names import NAME_LEADERS, PROSE_START, author_like, name_like, trailing_name
from crawler.citing.notes import Cited
from crawler.citing.stylepatterns import (
    ACCESSED,
    ACCESSED_ANY,
    ADDRESS_WITH_LABEL,
    ANGLE_URL,
    ANNOTATION,
    APA_DATE,
    ARCHIVED,
    BARE_PAGES,
    BARE_URL,
    DATE_SEGMENT,
    DOI,
    GOST_AUTHOR,
    GOST_CONTAINER,
    GOST_DATE,
    GOST_PLACE,
    IBID,
    IN_CONTAINER,
    JOURNAL,
    LOCATOR,
    LOST_TARGETS,
    MD_LINK,
    NO_DATE,
    OP_CIT,
    PAGES,
    PARTIAL_DATE,
    PLACEHOLDER,
    PLAIN_DATE,
    PUBLICATION_FACTS,
    QUOTE_PAIRS,
    QUOTED,
    QUOTED_LINK,
    SAME_AUTHOR,
    SCHEMELESS_URL,
    SEPARATORS,
    UPDATED,
    UPDATED_ANY,
    URL_TRAILING,
    WAYBACK,
)


@dataclass
class _Link:
    text: str
    url: str  # "" when lost
    titled: bool  # the link's text is a title, not the address itself
    note: str | None = None  # why the url is empty


# -- one note -----------------------------------------------------------------------


def read_note(footnote: str, text: str) -> list[Cited]:
    """The references of one note, in the order written."""
    text, links = _protect(" ".join(text.split()))
    return [cited for part in _split(text) if (cited := _read_reference(footnote, part, links))]


def _protect(text: str) -> tuple[str, list[_Link]]:
    """Links and URLs replaced by placeholders, so no comma or full stop inside them splits anything."""
    links: list[_Link] = []

    def keep(link: _Link) -> str:
        links.append(link)
        return f"\uE000{len(links) - 1}\uE001"

    def markdown(match: re.Match) -> str:
        label, url = match["text"].strip(), match["url"].strip()
        if _is_address(label) or label == url:
            return keep(_Link(label, _clean_url(url or label), titled=False))
        lost = _lost(url)
        return keep(_Link(label, "" if lost else _clean_url(url), titled=True, note=lost))

    text = MD_LINK.sub(markdown, text)
    text = ANGLE_URL.sub(lambda m: keep(_Link(m["url"], _clean_url(m["url"]), titled=False)), text)
    text = DOI.sub(lambda m: keep(_Link(m["doi"], "https://doi.org/" + m["doi"].rstrip(URL_TRAILING), False)), text)

    def bare(match: re.Match) -> str:
        url, tail = _split_trailing(match["url"])
        return keep(_Link(url, _clean_url(url), titled=False)) + tail

    text = BARE_URL.sub(bare, text)
    return SCHEMELESS_URL.sub(lambda m: bare(m) if "\uE000" not in m["url"] else m[0], text), links


def _is_address(text: str) -> bool:
    return bool(re.match(r"^(?:https?://|www\.)\S+$", text))


def _lost(url: str) -> str | None:
    """Why a link target is no address: the conversion lost it, it points inside the document, or runs script."""
    if url in LOST_TARGETS:
        return f"link lost in conversion (the document's link reads {url or 'empty'!r})"
    if url.startswith("#"):
        return f"link lost in conversion (the document's link points inside the document: {url[:20]!r})"
    if url.lower().startswith("javascript:"):
        return "the document's link runs a script instead of naming a page"
    if not re.match(r"^(?:[a-z][a-z0-9+.-]*:|www\.|(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/|$))", url, re.I):
        return f"the document's link is no web address ({url[:40]!r})"
    return None


def _split_trailing(url: str) -> tuple[str, str]:
    """A URL without the sentence's punctuation after it (a closing bracket only if unbalanced)."""
    tail = ""
    while url and (url[-1] in URL_TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        tail, url = url[-1] + tail, url[:-1]
    return url, tail


def _clean_url(url: str) -> str:
    """The address to fetch; one written without its scheme ("www.…", MLA's "site.org/page") is https."""
    url = _split_trailing(url)[0]
    return url if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I) else "https://" + url


def _split(text: str) -> list[str]:
    """Top-level parts: a semicolon inside quotes or brackets separates nothing."""
    parts, depth, closer, current = [], 0, None, []
    for char in text:
        if closer and char in closer:
            closer = None
        elif not closer and char in QUOTE_PAIRS:
            closer = QUOTE_PAIRS[char]
        elif char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if char in SEPARATORS and not depth and not closer:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip(" .,")]


# -- one reference -------------------------------------------------------------------


def _read_reference(footnote: str, text: str, links: list[_Link]) -> Cited | None:
    cited = Cited(footnote=footnote)
    text = text.strip().rstrip(".").strip()
    if IBID.match(text):
        cited.back = "ibid"
        cited.pages = _loose_pages(text[IBID.match(text).end():])
        return cited
    op_cit = OP_CIT.match(text)
    if op_cit and not PLACEHOLDER.search(op_cit["author"]):
        cited.back, cited.author = "op_cit", trailing_name(op_cit["author"])
        cited.pages = _loose_pages(text[op_cit.end():])
        return cited
    same = SAME_AUTHOR.match(text)
    if same:
        cited.back, text = "same_author", text[same.end():]
    if _prose(text, links):
        return None  # "the canopy figures used here are the ones each city reports itself"
    text = ARCHIVED.sub("", text)
    text = _take_urls(cited, text, links)
    text = _take_dates(cited, text)
    text, cited.pages = _take_pages(text)
    text = _tidy(ANNOTATION.sub("", text))
    _read_title_and_names(cited, text, links)
    if not (cited.title or cited.url or cited.back):
        return None  # prose without a reference ("For the method, see below.")
    return cited


def _prose(text: str, links: list[_Link]) -> bool:
    """A part of a note that cites nothing: it opens in lower case and names no address, title or date."""
    first = text.split()[0] if text.split() else ""
    return (first[:1].islower() and first.lower() not in NAME_LEADERS and not PLACEHOLDER.search(text)
            and not QUOTED.search(text) and not ACCESSED.search(text) and not UPDATED.search(text))


def _take_urls(cited: Cited, text: str, links: list[_Link]) -> str:
    """The address becomes the URL (an archived copy's original, when only the copy is linked);
    address placeholders leave the text, titled links stay for the title."""
    found = [links[int(i)] for i in PLACEHOLDER.findall(text)]
    live = [link for link in found if link.url and not WAYBACK.match(link.url)]
    archived = [WAYBACK.match(link.url)["original"] for link in found if link.url and WAYBACK.match(link.url)]
    chosen = next((link for link in live if not link.titled), None) or next(iter(live), None)
    if chosen is not None:
        cited.url = chosen.url
    elif archived:
        cited.url = archived[0]
    else:
        lost = next((link for link in found if link.titled and link.note), None)
        cited.url_note = lost.note if lost else "the note gives no address"

    def drop(match: re.Match) -> str:  # a linked title stays: it is the title
        return match["link"] if links[int(match["n"])].titled else ""

    return _tidy(ADDRESS_WITH_LABEL.sub(drop, text))


def _take_dates(cited: Cited, text: str) -> str:
    """Labelled dates: an access date apart from a stated publication or update date."""
    access = ACCESSED.search(text) or ACCESSED_ANY.search(text)
    if access:
        cited.accessed = access["date"].strip()
        text = text[: access.start()] + text[access.end():]
    update = UPDATED.search(text) or UPDATED_ANY.search(text)
    if update:
        cited.claimed = update["date"].strip()
        text = text[: update.start()] + text[update.end():]
    return _tidy(text)


def _take_pages(text: str) -> tuple[str, str | None]:
    """Pages ("S. 3-25", "pp. 14–19", "С. 88–94") leave the text; so do other pinpoints ("Tabelle 4")."""
    text = LOCATOR.sub("", text)
    match = PAGES.search(text)
    if not match:
        return _tidy(text), None
    return _tidy(text[: match.start()] + text[match.end():]), _page_spec(match["pages"])


def _loose_pages(rest: str) -> str | None:
    """Pages after a back reference: "Ibid., 14", "Ebd., S. 5 f.", "a. a. O., S. 12"."""
    rest = rest.strip(" ,.:")
    if not rest:
        return None
    match = PAGES.search(" " + rest)
    if match:
        return _page_spec(match["pages"])
    match = BARE_PAGES.match(rest)
    return _page_spec(match["pages"]) if match else None


def _page_spec(pages: str) -> str:
    """Pages as the loader reads them: "26 ff." keeps its full stop however the note ended."""
    spec = " ".join(pages.split()).rstrip(",")
    return spec + "." if re.search(r"\bff?$", spec) else spec


def _tidy(text: str) -> str:
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
    text = re.sub(r"\s+([,.;])(?!\S)", r"\1", text)  # GOST's " : " stays: it separates title parts
    text = re.sub(r"([,;])(?:\s*[,;])+", r"\1", text)
    return " ".join(text.split()).strip(" ,;:")


# -- title, author, publisher ---------------------------------------------------------


def _read_title_and_names(cited: Cited, text: str, links: list[_Link]) -> None:
    text = QUOTED_LINK.sub(r"\g<link>\g<punct>", text)  # “[Title](url),” reads as [Title](url),
    text = _author_date(cited, text)
    placeholder = PLACEHOLDER.search(text)
    quoted = QUOTED.search(text)
    if _gost(text) and not placeholder:
        _read_gost(cited, text)
    elif placeholder and (not quoted or placeholder.start() < quoted.end()):
        _linked_title(cited, text, placeholder, links[int(placeholder[1])])
    elif quoted:
        before, after = text[: quoted.start()], text[quoted.end():]
        cited.title = quoted["title"].strip().rstrip(",.").strip()
        cited.author = cited.author or trailing_name(before)
        _after_title(cited, after)
    elif cited.author:  # APA: "Author (date). Title. Site."
        parts = _sentences(text)
        if parts:
            cited.title = parts[0]
            _after_title(cited, ", ".join(parts[1:]))
    else:
        _plain(cited, text)
    if not cited.publisher:
        cited.publisher = cited.author


def _author_date(cited: Cited, text: str) -> str:
    """APA's and Wikipedia's "Author (date)." opening: the author, the date, and the rest to read."""
    apa = APA_DATE.match(text)
    if not apa or not apa["author"].strip(" .") or PLACEHOLDER.search(apa["author"]) or QUOTED.search(apa["author"]):
        return text
    cited.author = _keep_initial(apa["author"].strip().rstrip(",").strip())
    day = _apa_day(apa["date"])
    if day and not cited.claimed:
        cited.claimed = day
    return apa["rest"]


def _keep_initial(author: str) -> str:
    """"Roe, J. A." keeps its last full stop; "World Health Organization." does not."""
    return author if re.search(r"\b[A-ZÄÖÜА-ЯЁ]\.$", author) else author.rstrip(".").strip()


def _apa_day(date: str) -> str | None:
    """APA writes "2025, February 19": as a claim, "February 19, 2025"; "n.d." states no date."""
    if date.replace(" ", "").lower() == "n.d.":
        return "unknown"
    if PLAIN_DATE.match(date.strip()):
        return date.strip()  # CS1: "(19 March 2024)"
    match = re.match(r"^(\d{4})[a-z]?,\s*([^\W\d_]+\.?)\s+(\d{1,2})", date)
    return f"{match[2]} {match[3]}, {match[1]}" if match else None


def _linked_title(cited: Cited, text: str, placeholder: re.Match, link: _Link) -> None:
    """"Label, prefix [Title](url): continuation, Publisher", the Chicago form with a linked title,
    "Author: [Title](url), in: Container" and Wikipedia's "[Title](url). Publisher. Date."."""
    before, after = text[: placeholder.start()], text[placeholder.end():]
    if before.rstrip().endswith(":") and ", " not in before and author_like(before.rstrip(" :")):
        label, prefix = before.rstrip(" :"), ""  # German: "Mara Lindqvist: [Title](url)"
    else:
        label, sep, prefix = before.partition(", ")
        if not sep:
            label, prefix = before, ""
    after = _take_plain_date(cited, after)
    sentences = _dot_parts(after.lstrip(" .")) if after.lstrip().startswith(".") else []
    if sentences and name_like(sentences[0]):  # "[Title](url). Publisher. 2 December 2024."
        continuation, publisher = "", sentences[0]
        _after_title(cited, ", ".join(sentences[1:]))
    else:
        continuation, publisher = _split_publisher(after)
    if label.strip(" ,"):
        words = label.split()
        cited.author = trailing_name(label) if words and words[0].lower().strip(":") in PROSE_START else label.strip(" ,:")
    cited.title = _title(prefix + _unquoted(link.text) + continuation)
    cited.publisher = publisher or cited.publisher or ""


def _unquoted(text: str) -> str:
    """A linked title in quotes (Wikipedia: ["Title"](url)) without them."""
    match = re.fullmatch(r"[\"“„«‘](.+?)[\"”“»’]", text.strip())
    return match[1] if match else text


def _split_publisher(after: str) -> tuple[str, str | None]:
    """Split "…continuation, Full Publisher" where the last part names the publisher."""
    container = IN_CONTAINER.search(after)
    if container:
        return after[: container.start()], _first_segment(after[container.end():])
    head, sep, last = after.rpartition(", ")
    if sep and last[:1].isupper():
        return head, last.strip(" ,.")
    return after, None


def _after_title(cited: Cited, after: str) -> None:
    """What follows a title: container or publisher, a plain date or "n.d.", pages."""
    after = _take_plain_date(cited, after)
    facts = PUBLICATION_FACTS.search(after)
    if facts:
        cited.publisher = cited.publisher or facts["publisher"].strip()
        after = after[: facts.start()] + after[facts.end():]
    container = IN_CONTAINER.search(after)
    if container:
        after = after[container.end():]
    journal = JOURNAL.match(after.strip(" ,."))
    if journal:  # "Structures Today 41, no. 3 (2024): 22–27"
        cited.publisher = cited.publisher or journal["container"].strip(" *_")
        cited.pages = cited.pages or (_page_spec(journal["pages"]) if journal["pages"] else None)
        after = after.strip(" ,.")[journal.end():]
    for segment in (s for s in _segments(after) if s):
        pages = BARE_PAGES.match(segment)
        if pages and not cited.pages and not _is_year(segment):
            cited.pages = _page_spec(pages["pages"])
        elif NO_DATE.match(segment):
            cited.claimed = cited.claimed or "unknown"
        elif not cited.publisher and not PARTIAL_DATE.match(segment) and not segment[:1].isdigit():
            cited.publisher = segment.strip(" *_")


def _plain(cited: Cited, text: str) -> None:
    """No quotes, no link, no APA date: "Author, Title, in: Container, date", "Author: Title, …",
    "Author. Title. Publisher" (MLA) or "Author, Title (City: Publisher, Year)" (Chicago books)."""
    text = _take_plain_date(cited, text)
    facts = PUBLICATION_FACTS.search(text)
    if facts:
        cited.publisher = facts["publisher"].strip()
        text = text[: facts.start()] + text[facts.end():]
    container = IN_CONTAINER.search(text)
    if container:
        head, tail = text[: container.start()], text[container.end():]
        cited.publisher = cited.publisher or _first_segment(tail)
    else:
        head = text
    colon = re.match(r"^(?P<author>[^:]+?):\s+(?P<title>\S.*)$", head)
    if colon and all(author_like(part) for part in colon["author"].split(",")):  # German: "Stadt Kaltenbruch: Beschlussvorlage 2024/118, …"
        cited.author, cited.title = colon["author"].strip(), _title(colon["title"])
        return
    sentences = _sentences(head)
    if len(sentences) >= 2 and name_like(sentences[0]):  # MLA: "Okonkwo, Ada. Title. Publisher"
        segments = sentences
    else:
        segments = [s for s in (_segments(head) if "," in head else sentences) if s]
    if len(segments) >= 2 and name_like(segments[0]):
        cited.author, segments = trailing_name(segments[0]), segments[1:]
    if segments:
        title, rest = segments[0], segments[1:]
        while rest and rest[0][:1].islower():  # "Fenwick goods yard, plans and sections": one title
            title, rest = f"{title}, {rest[0]}", rest[1:]
        cited.title = _title(title)
        if rest:
            _after_title(cited, ", ".join(rest))


def _gost(text: str) -> bool:
    """Russian GOST references: "Фамилия И. О. Title // Container" or "Title : designation"."""
    cyrillic = re.search(r"[а-яё]", text, re.I) is not None
    return GOST_CONTAINER.search(text) is not None or (cyrillic and (GOST_AUTHOR.match(text) is not None
                                                                     or " : " in text))


def _read_gost(cited: Cited, text: str) -> None:
    author = GOST_AUTHOR.match(text)
    if author:
        cited.author, text = author["author"], author["rest"]
    work, _, container = _gost_parts(text)
    title, _, designation = work.partition(" : ")
    cited.title = _title(title.rstrip(" ."))
    date = GOST_DATE.search(container or designation)
    if date and not cited.claimed:
        cited.claimed = f"{date['day']} {date['month']} {date['year']}"
    if container:
        name = re.split(r"\.\s", container, maxsplit=1)[0]
        cited.publisher = _title(name.split(" : ")[0].rstrip(" :."))
    else:
        place = GOST_PLACE.search(work.split(". ", 1)[1] if ". " in work else "")
        if place:
            cited.publisher = place["publisher"].strip()
        cited.title = _title(title.split(". ")[0])


def _gost_parts(text: str) -> tuple[str, str, str]:
    parts = GOST_CONTAINER.split(text, maxsplit=1)
    return (parts[0], "//", parts[1]) if len(parts) == 2 else (text, "", "")


def _take_plain_date(cited: Cited, text: str) -> str:
    """An unlabelled date between commas (after the title in Chicago, MLA and German styles) is the
    publication date; "o. D." or "n.d." says there is none; a year or month alone names no day."""
    def take(match: re.Match) -> str:
        if match["date"] and not cited.claimed:
            cited.claimed = match["date"]
        elif match["none"] and not cited.claimed:
            cited.claimed = "unknown"
        return ""

    return DATE_SEGMENT.sub(take, text)


def _segments(text: str, keep_separators: bool = False) -> list[str]:
    """Comma-separated parts outside quotes and brackets."""
    parts, depth, current = [], 0, []
    for char in text:
        depth += char in "([" 
        depth -= char in ")]" and depth > 0
        current.append(char)
        if char == "," and not depth:
            parts.append("".join(current))
            current = []
    parts.append("".join(current))
    if keep_separators:
        return parts
    return [p.strip(" ,.") for p in parts]


def _sentences(text: str) -> list[str]:
    """Full-stop separated parts (initials and abbreviations do not end one), keeping a title's ? or !."""
    return [s.rstrip(".").strip() if not s.endswith(("?", "!")) else s for s in split_sentences(text.strip())
            if s.strip(" .")]


def _dot_parts(text: str) -> list[str]:
    """Wikipedia's ". Publisher. n.d." after a title: parts at every full stop that ends no initial."""
    parts = re.split(r"(?<![\s.][A-ZÄÖÜ])\.\s+", text.strip())
    return [p.strip(" .") for p in parts if p.strip(" .")]


def _first_segment(text: str) -> str:
    segments = [s for s in _segments(text) if s and not PLAIN_DATE.match(s)]
    return segments[0].strip(" *_") if segments else ""


def _title(text: str) -> str:
    return " ".join(text.split()).strip(" ,;:").removesuffix(",").strip()


def _is_year(segment: str) -> bool:
    return bool(re.match(r"^(?:1[5-9]|20)\d\d$", segment.strip()))


def _is_year_or_month(segment: str) -> bool:
    return bool(re.search(r"\d{4}", segment))
