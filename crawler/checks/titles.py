"""Is the page the work the footnote names? Its title, also when the footnote gives a translation.

A footnote often gives the English title of a Russian page. Then the title
differs, and a bare similarity of 0.18 cannot tell a translation from a wrong
link. So when the cited title and the page are in different languages, the
page's own edition in the cited language decides (``<link rel="alternate"
hreflang>`` and the like, fetched in the same run); without one, the anchors
the two titles share (names, numbers, dates, in any script) tell a probable
translation from a page that has nothing in common with the citation.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from crawler.checks.anchors import language, sentence_anchors
from crawler.checks.support import SourceText, find
from crawler.models import Extracted, Source

TITLE_MATCH = 0.8
TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s*[|·•]\s*")
NOT_WORD = re.compile(r"[^\w]+")
NUMBER = re.compile(r"\b\d+\b")


def normalized(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(NOT_WORD.sub(" ", text).split())


def _token_containment(cited: str, page: str) -> float:
    """Share of the cited title's words found in the page title, spelling-tolerant.

    Catches reordered titles and transliteration variants ("Kirgizstan" for
    "Kyrgyzstan") that a character diff scores low.
    """
    cited_words, page_words = cited.split(), set(page.split())
    if len(cited_words) < 3:
        return 0.0
    found = sum(
        1 for word in cited_words
        if word in page_words or difflib.get_close_matches(word, page_words, n=1, cutoff=0.8)
    )
    return found / len(cited_words)


def title_similarity(cited: str, page: str) -> float:
    """Similarity in [0, 1], tolerant of site-name suffixes and truncated citations.

    Footnotes often cite only the first clause of a headline, and pages append
    "| Meduza"; either side contained in the other counts as a match.
    """
    cited_n, page_n = normalized(cited), normalized(page)
    variants = [v for v in dict.fromkeys([page_n, *map(normalized, TITLE_SEPARATORS.split(page))]) if v]
    if cited_n in variants:
        return 1.0
    best = _token_containment(cited_n, page_n)
    if any(len(shorter) >= 12 and shorter in longer
           for shorter, longer in (sorted((cited_n, variant), key=len) for variant in variants)):
        return round(max(0.9, best), 3)
    ratios = (difflib.SequenceMatcher(None, cited_n, variant, autojunk=False).ratio() for variant in variants)
    return round(max([best, *ratios]), 3)


def title_as_written(extracted: Extracted | None) -> str | None:
    """What the link verdict reads: trafilatura passes over a <title> with a dot in it
    ("Ошибка 404. Страница не найдена") for a heading."""
    return (extracted.title_tag or extracted.title) if extracted else None


def check_title(cited: str, extracted: Extracted | None) -> dict:
    """Against each title the page states (trafilatura's pick may be a kicker or the site's logo)."""
    titles = list(dict.fromkeys(filter(None, (extracted.title, extracted.title_tag, extracted.heading)))) \
        if extracted else []
    if not cited or not titles:
        return {"cited": cited or None, "page": titles[0] if titles else None, "verdict": "not_checked",
                "similarity": None}
    similarity, page = max(((title_similarity(cited, title), title) for title in titles), key=lambda pair: pair[0])
    verdict = "match" if similarity >= TITLE_MATCH and _numbers_agree(cited, page) else "differs"
    return {"cited": cited, "page": page, "verdict": verdict, "similarity": similarity}


def _numbers_agree(cited: str, page: str) -> bool:
    """"Country Report 2023" is not "Country Report 2022", however alike the rest; a page title
    with no number says nothing either way, and "2022/23" is "2022-2023"."""
    stated = NUMBER.findall(normalized(page))
    return not stated or all(any(n.endswith(c) for n in stated) for c in NUMBER.findall(normalized(cited)))




def check_translation(title: dict, cited: str, extracted: Extracted | None,
                      edition: tuple[str, Extracted | None] | None = None) -> dict:
    """A differing title in another language: a translation (confirmed by the page's edition in the
    cited language, or probable by shared names and numbers), or a page with nothing in common."""
    if title["verdict"] != "differs" or extracted is None:
        return title
    cited_lang, page_lang = language(cited), page_language(extracted)
    if not page_lang or cited_lang == page_lang:
        return title
    title = {**title, "language": page_lang, "cited_language": cited_lang}
    if edition is not None:
        url, page = edition
        confirmed = check_title(cited, page) if page is not None else None
        if confirmed and confirmed["verdict"] == "match":
            return {**title, "verdict": "translation", "edition_url": url, "edition_title": confirmed["page"],
                    "similarity": confirmed["similarity"]}
        title["edition_url"] = url
    shared = shared_anchors(cited, title["page"] or "", extracted.text)
    if shared:
        return {**title, "verdict": "translation", "shared": shared}
    return title


def shared_anchors(cited: str, page_title: str, text: str) -> list[str]:
    """The cited title's names, numbers and dates the page's title (else its text) also states."""
    anchors = [a for a in sentence_anchors(cited) if a.strong]
    lang = language(cited)
    for where in (page_title, text):
        if not where:
            continue
        source = SourceText(where)
        found = [a.text for a in anchors if find(a, source, lang)]
        if found:
            return found
    return []


def page_language(extracted: Extracted) -> str | None:
    """The page's language as two letters: what it declares, else what its text is written in."""
    declared = re.split(r"[-_]", (extracted.lang or "").strip().casefold())[0]
    if declared:
        return declared
    sample = " ".join(filter(None, (extracted.title, extracted.text[:2000])))
    return language(sample) if sample.strip() else None


def wanted_edition(source: Source, extracted: Extracted | None) -> str | None:
    """The URL of the page's edition in the language of the cited title, when the two differ."""
    if extracted is None or not extracted.editions or not source.title:
        return None
    cited_lang, page_lang = language(source.title), page_language(extracted)
    if cited_lang == page_lang:
        return None
    return next((url for lang, url in extracted.editions if lang == cited_lang and url), None)
