"""Does the source still say what the footnote's sentence claims? Its anchors, looked up in the source.

Each anchor of the sentence (``crawler.checks.anchors``) is looked for in the
archived text of the page the footnote cites, in whatever language and script
the page writes: a date at the sentence's precision, a number as a careful
reader would accept it, a name in any spelling, a quote word for word (in the
sentence's own language only: a translation cannot be checked word for word).
A small number ("zwei Männer") counts only beside another anchor found, since
small numbers stand everywhere. The verdict: ``supported`` (every anchor
found), ``partly`` (some), ``unsupported`` (none, or a number or date the
source contradicts where it speaks of the same thing), ``not_checked`` (no
context, no anchors, no text). Each anchor keeps the snippet of the source
where it was found, so an editor can check in seconds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import snowballstemmer

from crawler.checks import datementions, spellings
from crawler.checks.anchors import EXONYMS, Anchor, language, sentence_anchors
from crawler.checks.quantities import Quantity, agrees, quantities
from crawler.citing.context import SENTENCE_END, split_sentences

DATELINE = 60  # a date this close to the text's start is the text's own ("KOSTANAY, January 17, 2026 —")
SMALL = 13  # numbers below this stand everywhere: found only beside another anchor
SNIPPET = 220
QUOTE_SHARE = 0.8  # share of a quote's words (stemmed) one sentence of the source must hold
STEMMERS = {"de": "german", "en": "english", "ru": "russian", "uk": "russian", "fr": "french"}
WORD = re.compile(r"[^\W\d_][\w'’-]*")
EXONYM_GROUP = {name: group for group in EXONYMS for name in group}
GENERIC = {  # words of a name that any language translates: the name's own word decides
    "avenue", "street", "square", "river", "lake", "region", "province", "district", "oblast", "city", "prospekt",
    "platz", "straße", "strasse", "allee", "fluss", "see", "gebiet", "bezirk", "kreis", "provinz", "stadt",
    "проспект", "улица", "площадь", "область", "район", "город", "река",
}
# chosen by cross-validation on tests/fixtures/claims/dev.yaml, folds by language pair (bench/claims.py --folds):
CONTEXT = 1  # a contradiction stands in a sentence with this many of the claim's other anchors (and its own)
NUMBER_BESIDE = False  # True: every number, not only a small one, counts only beside another anchor found
WINDOW = 0  # "beside": in the same sentence, or this many sentences before or after
DATE_CONTEXT = 1  # a date is contradicted only where this many other anchors say it is the same event
COHERENCE = 4  # from this many anchors on, found ones must stand together somewhere (0: no such rule)


@dataclass
class _Sentence:
    text: str
    start: int
    dates: list = field(default_factory=list)
    numbers: list = field(default_factory=list)
    words: list = field(default_factory=list)


class SourceText:
    """The source's sentences with their dates, numbers and words, read once for all anchors."""

    def __init__(self, text: str, lang: str | None = None, published: dt.date | None = None):
        self.lang = lang or language(text[:4000])
        self.published = published or _dateline(text)
        self.dateline = text.lstrip()[:DATELINE]  # the text's own date, not an event's
        self.sentences: list[_Sentence] = []
        offset = 0
        for paragraph in _paragraphs(text):
            for sentence in split_sentences(paragraph):
                start = text.find(sentence, offset)
                offset = max(offset, start)
                self.sentences.append(self._read(sentence, start))

    def _read(self, sentence: str, start: int) -> _Sentence:
        dates = datementions.mentions(sentence)
        dates += datementions.bare_months(sentence, dates) + datementions.weekdays(sentence, self.published)
        numbers = [q for q in quantities(sentence, self.lang)
                   if not any(d.start <= q.start < d.end for d in dates)]
        words = [part for word in WORD.findall(sentence) for part in {word, *word.split("-")} if part]
        return _Sentence(sentence, start, dates, numbers, words)


def _paragraphs(text: str) -> list[str]:
    """Lines joined where a line ends mid-sentence (a PDF's or a wire's line breaks), split where one ends."""
    paragraphs: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            paragraphs.append("")
        elif paragraphs and paragraphs[-1] and not SENTENCE_END.search(paragraphs[-1]):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    return [p for p in paragraphs if p]


def _dateline(text: str) -> dt.date | None:
    """A news text's own date, when it opens with one ("March 4, 2026", "19. November 2025")."""
    opening = datementions.mentions(text.lstrip()[:DATELINE])
    day = next((m for m in opening if m.precision == "day"), None)
    return dt.date(day.year, day.month, day.day) if day else None


# -- finding each anchor -----------------------------------------------------------------


def find(anchor: Anchor, source: SourceText, lang: str) -> list[int]:
    """Indexes of the source sentences where the anchor stands."""
    return [i for i, sentence in enumerate(source.sentences) if _in_sentence(anchor, sentence, source.lang, lang)]


def _in_sentence(anchor: Anchor, sentence: _Sentence, source_lang: str, lang: str) -> bool:
    if anchor.kind == "date":
        return any(datementions.covers(anchor.date, d) for d in sentence.dates)
    if anchor.kind == "number":
        return any(agrees(anchor.quantity, q) for q in sentence.numbers)
    if anchor.kind == "name":
        return _name_in(anchor.text, lang, sentence.words, sentence.text, source_lang)
    return _quote_in(anchor.text, lang, sentence.words)


def _name_in(name: str, lang: str, words: list[str], text: str, source_lang: str) -> bool:
    """A name in any spelling or language's name for it (Moskau, Moscow, Москве); a name of several
    words by most of its words, generic ones ("Avenue", "Gebiet") aside."""
    group = _exonyms(name, lang)
    if group and any(_variant_in(variant, word, source_lang) for variant in group for word in words
                     if len(variant.split()) == 1):
        return True
    if group and any(len(v.split()) > 1 and v.casefold() in text.casefold() for v in group):
        return True
    parts = [p for p in re.split(r"[\s-]+", name) if len(p) > 1 and p.casefold() not in GENERIC]
    hits = [any(spellings.same_name(part, lang, word, source_lang) for word in words) for part in parts]
    if not hits:
        return False
    return sum(hits) * 2 >= len(hits) and (hits[-1] or len(hits) > 2)


def _variant_in(variant: str, word: str, source_lang: str) -> bool:
    """An exonym as written in its own language ("Sachsen" in German text), with a case ending."""
    low = word.casefold()
    if re.search(r"[a-z]", variant):
        return low.startswith(variant) and len(low) - len(variant) <= 3
    return spellings.same_name(variant, None, word, source_lang)


def _exonyms(name: str, lang: str | None = None) -> tuple[str, ...] | None:
    """The place's names in other languages, whatever case ending the sentence gave it ("Миколаєві")."""
    key = name.casefold()
    for candidate in (key, key.removesuffix("s"), key.removesuffix("er"), key.removesuffix("en"), key.removesuffix("ern")):
        if candidate in EXONYM_GROUP:
            return EXONYM_GROUP[candidate]
    if " " in key:
        return None
    return next((group for variant, group in EXONYM_GROUP.items() if " " not in variant and
                 spellings.same_name(name, lang, variant, None)), None)


def _quote_in(quote: str, lang: str, words: list[str]) -> bool:
    wanted = _stems(WORD.findall(quote), lang)
    have = set(_stems(words, lang))
    return bool(wanted) and sum(w in have for w in wanted) >= QUOTE_SHARE * len(wanted)


def _stems(words: list[str], lang: str) -> list[str]:
    stemmer = snowballstemmer.stemmer(STEMMERS.get(lang, "english"))
    return stemmer.stemWords([w.casefold() for w in words])


# -- the verdict -------------------------------------------------------------------------


def claim_support(context: str | None, text: str | None, source_lang: str | None = None,
                  cited_pages: tuple[str, ...] | None = None) -> dict:
    """The claim object of a result: the context, each anchor found or not (with its snippet), the verdict.

    ``cited_pages`` (a PDF's cited pages' texts) are searched first; the rest of
    the text after, so a fact on a neighbouring page still counts.
    """
    result = {"context": context, "anchors": [], "support": None, "verdict": "not_checked"}
    if not context or not context.strip():
        return {**result, "reason": "no context: the citing sentence is not known"}
    if not text or not text.strip():
        return {**result, "reason": "no text of the source to search"}
    lang = language(context)
    source = SourceText(text)  # the language the text is written in, whatever the page declares
    first = SourceText("\n".join(cited_pages), source.lang) if cited_pages else None
    checked = []
    for anchor in sentence_anchors(context, lang):
        if anchor.kind == "quote" and lang != source.lang:
            continue  # a translation cannot be checked word for word
        where = (find(anchor, first, lang) and first) if first else None
        hits = find(anchor, where or source, lang)
        checked.append((anchor, where or source, hits))
    anywhere = {id(a) for a, _, h in checked if h}  # a figure the source states somewhere is not contradicted
    checked = _beside_others(checked)
    # a weak name (a German noun that may be common) counts only where found in text of its own
    # language: across languages, a common noun is translated, or found as a cognate ("Kontakt")
    checked = [(a, s, h) for a, s, h in checked if a.strong or (h and lang == source.lang)]
    if not checked:
        return {**result, "reason": "no number, date, name or quote in the sentence to look for"}
    contradiction = _contradiction([(a, s, h) for a, s, h in checked if id(a) not in anywhere or h], source, lang)
    result["anchors"] = [_anchor_row(a, s, h) for a, s, h in checked]
    found = sum(bool(h) for _, _, h in checked)
    result["support"] = round(found / len(checked), 2)
    if contradiction:
        result.update(verdict="unsupported", contradiction=contradiction)
    elif found and not _together(checked):
        result.update(verdict="unsupported", reason="its anchors stand apart in the source: never two together")
    else:
        result["verdict"] = "supported" if found == len(checked) else "partly" if found else "unsupported"
    return result


def _together(checked: list) -> bool:
    """Do two of the claim's anchors stand together somewhere (a sentence and its neighbours)? A claim of
    several anchors whose found ones each stand alone in the source is about something else there."""
    found = [(a, h) for a, _, h in checked if h and a.kind != "quote"]
    if COHERENCE == 0 or len(checked) < COHERENCE or len(found) < 2:
        return True
    for i, (a, hits) in enumerate(found):
        for b, other in found[i + 1:]:
            if any(abs(x - y) <= 1 for x in hits for y in other):
                return True
    return False


def _beside_others(checked: list) -> list:
    """A number stands for the claim only beside another of its anchors (in its sentence or the one
    before or after): found alone, it may count anything else (a page number, last year's figure)."""
    def others(anchor):
        return {i + d for a, _, hits in checked if a is not anchor and not _small(a) for i in hits
                for d in range(-WINDOW, WINDOW + 1)}
    return [(a, s, [i for i in h if i in others(a)] if _needs_company(a) else h) for a, s, h in checked]


def _needs_company(anchor: Anchor) -> bool:
    return anchor.kind == "number" and (NUMBER_BESIDE or _small(anchor))


def _small(anchor: Anchor) -> bool:
    return anchor.kind == "number" and anchor.quantity.value < SMALL and not anchor.quantity.percent


def _contradiction(checked: list, source: SourceText, lang: str) -> dict | None:
    """A number or date the sentence states that the source gives otherwise, where it speaks of the same thing:
    in a sentence that holds another of the anchors, and nowhere agrees."""
    for anchor, _, hits in checked:
        if hits or anchor.kind not in ("number", "date") or (anchor.date and anchor.date.precision == "year"):
            continue  # a year names no event: texts mention many, and another one contradicts nothing
        needed = DATE_CONTEXT if anchor.kind == "date" else CONTEXT
        for i in _sentences_with_others(checked, anchor, needed):
            if not 0 <= i < len(source.sentences) or (i == 0 and anchor.kind == "date" and source.dateline):
                continue  # the dateline dates the text, not the event
            sentence = source.sentences[i]
            other = _conflicting(anchor, sentence, [a for a, _, _ in checked])
            if other is not None:
                return {"anchor": anchor.text, "source_says": other, "snippet": _snippet(sentence.text, other)}
    return None


def _sentences_with_others(checked: list, anchor: Anchor, needed: int) -> list[int]:
    """Sentences that speak of the claim's matter: with enough of its other anchors in or around them."""
    near: dict[int, set] = {}
    inside: set[int] = set()
    for other, _, hits in checked:
        if other is anchor or other.kind == "quote":
            continue
        inside.update(hits)
        for i in set(hits):
            for j in range(i - WINDOW, i + WINDOW + 1):
                near.setdefault(j, set()).add(id(other))
    return [i for i, others in sorted(near.items()) if i in inside and len(others) >= needed]


def _conflicting(anchor: Anchor, sentence: _Sentence, claimed: list[Anchor]) -> str | None:
    """Another value of the same kind, which no other anchor of the claim accounts for ("zwischen
    3.000 und 5.000": the source's 5,000 is the claim's own other figure, no contradiction)."""
    if anchor.kind == "date":
        other = next((d for d in sentence.dates if datementions.contradicts(anchor.date, d)
                      and not any(a.date and datementions.covers(a.date, d) for a in claimed)), None)
        return other.text if other else None
    claim = anchor.quantity
    for quantity in sentence.numbers:
        if _comparable(claim, quantity) and not agrees(claim, quantity, units=False) and \
                not any(a.quantity and agrees(a.quantity, quantity, units=False) for a in claimed) and \
                not _of_another_period(quantity, sentence, claimed):
            return quantity.text
    return None


def _of_another_period(quantity: Quantity, sentence: _Sentence, claimed: list[Anchor]) -> bool:
    """"up from 61 in 2024": a figure tied to a date the claim does not speak of is another period's."""
    for mention in sentence.dates:
        near = 0 <= mention.start - quantity.end <= 20 or 0 <= quantity.start - mention.end <= 12
        if near and not any(a.date and (datementions.covers(a.date, mention) or datementions.covers(mention, a.date))
                            for a in claimed):
            return True
    return False


def _comparable(claim: Quantity, stated: Quantity) -> bool:
    """Two figures of one kind: both shares, both ages, or counts of the same order of magnitude."""
    if claim.percent or stated.percent:
        return claim.percent and stated.percent
    if claim.age or stated.age:
        return claim.age and stated.age
    if claim.unit != stated.unit:
        return False
    if claim.value < SMALL or stated.value < SMALL:
        return False
    ratio = max(claim.value, stated.value) / max(min(claim.value, stated.value), 1)
    return ratio < 10


def _anchor_row(anchor: Anchor, source: SourceText, hits: list[int]) -> dict:
    snippet = _snippet(source.sentences[hits[0]].text, None) if hits else None
    return {"text": anchor.text, "kind": anchor.kind, "found": bool(hits), "snippet": snippet}


def _snippet(sentence: str, around: str | None) -> str:
    if len(sentence) <= SNIPPET:
        return sentence
    at = sentence.find(around) if around else -1
    start = max(0, min(at - SNIPPET // 2, len(sentence) - SNIPPET)) if at >= 0 else 0
    return ("…" if start else "") + sentence[start:start + SNIPPET].strip() + "…"
