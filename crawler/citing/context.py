"""Which sentences of the body a footnote marker closes: a reference's ``context``.

Readers put each marker into the body text as ``[^N]``. A marker supports the
text written since the previous marker of its paragraph (at most six
sentences, should a conversion have lost the paragraph breaks): "A.¹ B. C.²"
gives fn 2 "B. C.", and a marker in mid-sentence closes the clause before it. Sentence ends are found by plain rules that know
abbreviations, initials and German ordinals ("am 31. Januar"), so that a
context never starts in the middle of a sentence.
"""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"[.!?:…\"“”»)\]]\s*(?:\[\^\w+\])*$")
MARKER = re.compile(r"\[\^(?P<label>[0-9]+|[a-z])\]")
MAX_SENTENCES = 6  # a paragraph since the previous marker, bounded where a conversion lost its breaks
JOIN = " […] "  # contexts of one note cited from several places (a reused reference)

# a full stop, ? or ! (with closing quotes or brackets) followed by a capital letter, digit or opening quote
BOUNDARY = re.compile(r"(?<=[.!?…])(?P<close>[\"'»«“”’)\]]*)\s+(?=[„\"«“‘(\[]?[A-ZÄÖÜÀ-ÞА-ЯЁІЇЄҐ0-9])")
WORD_BEFORE = re.compile(r"(\S+)$")
ABBREVIATIONS = {
    "abb", "abs", "art", "bd", "bzw", "ca", "cf", "chr", "co", "corp", "dr", "e.g", "etc", "evtl", "f", "ff",
    "gen", "ggf", "hrsg", "i.e", "inc", "jh", "jr", "kap", "lt", "ltd", "mio", "mr", "mrd", "mrs", "ms", "nr",
    "no", "op", "p", "pp", "prof", "s", "sen", "sog", "sr", "st", "str", "tel", "u.a", "usw", "vgl", "vol",
    "vs", "z.b", "zit", "ziff", "bzw", "d.h", "u.ä", "o.ä", "z.t", "jan", "feb", "febr", "apr", "aug", "sep",
    "sept", "okt", "oct", "nov", "dez", "dec", "г", "гг", "им", "ул", "т.е", "т.д", "см", "т.п", "д", "с", "стр",
}


def split_sentences(text: str) -> list[str]:
    """The text's sentences, in order, each stripped."""
    sentences, start = [], 0
    for match in BOUNDARY.finditer(text):
        if _abbreviation_before(text, match.start()):
            continue
        sentences.append(text[start:match.end("close")].strip())
        start = match.end()
    tail = text[start:].strip()
    return [s for s in [*sentences, tail] if s]


def _abbreviation_before(text: str, end: int) -> bool:
    """Does the full stop ending at ``end`` close an abbreviation, an initial or an ordinal?"""
    head = text[:end].rstrip("\"'»«“”’)]")
    if not head.endswith("."):
        return False
    word = WORD_BEFORE.search(head[:-1])
    if word is None:
        return False
    token = word.group(1).lstrip("(„\"«“‘[").casefold()
    if token in ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isalpha():  # an initial: "J. Roe", "d. h."
        return True
    return token.isdigit() and len(token) <= 2  # a German ordinal: "am 31. Januar"


def clean(text: str) -> str:
    """Whitespace collapsed, markers removed."""
    return " ".join(MARKER.sub("", text).split())


def marker_contexts(paragraphs: list[str]) -> dict[str, str]:
    """Label -> the body text its marker(s) close, over paragraphs holding ``[^N]`` markers."""
    found: dict[str, list[str]] = {}
    for paragraph in paragraphs:
        previous_end, previous_context = 0, ""
        for marker in MARKER.finditer(paragraph):
            context = _last_sentences(clean(paragraph[previous_end:marker.start()]))
            if not context.strip(" ,;:.–—-"):  # "…text.¹ ²": both close the same text
                context = previous_context
            if context and context not in found.setdefault(marker["label"], []):
                found[marker["label"]].append(context)
            previous_end, previous_context = marker.end(), context
    return {label: JOIN.join(parts) for label, parts in found.items()}


def _last_sentences(text: str) -> str:
    text = text.lstrip(" ,;:)]–—-")
    sentences = split_sentences(text)
    return " ".join(sentences[-MAX_SENTENCES:])


def join_cut_paragraphs(body: list[str]) -> list[str]:
    """A paragraph that ends mid-sentence continues in the next body paragraph (the notes of a page came between)."""
    joined: list[str] = []
    for paragraph in body:
        if joined and not SENTENCE_END.search(joined[-1]) and paragraph[:1].islower():
            joined[-1] += " " + paragraph
        else:
            joined.append(paragraph)
    return joined
