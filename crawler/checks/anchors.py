"""What a fact-checker checks first in a sentence: its numbers, dates, names and quotes.

Plain rules, no model: dates by ``datementions``, numbers by ``quantities``
(years are dates), quoted phrases by their quotation marks, names by capital
letters where the language reserves them for names. German capitalises every
noun, so there a capitalised word counts as a name only when nothing marks it
as a common noun: an article, an adjective or a number before it ("im
Gefängnis", "russische Behörden", "400.000 Personen"), or a common noun's
ending ("-ung", "-heit", "-schaft").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.checks.datementions import DateMention, mentions
from crawler.checks.quantities import MAGNITUDE, UNIT_OF, WORD_VALUE, Quantity, quantities
from crawler.citing.language import language

# -- patterns (data) ----------------------------------------------------------

QUOTES = re.compile(r"[„“”\"«‚‘](?P<inner>[^„“”\"«»‚‘’]{2,}?)[“”\"»‘’]")
TOKEN = re.compile(r"[^\W_][\w\-’'.]*[\w]|[^\W_]")
GERMAN_DETERMINERS = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen", "kein", "keine",
    "im", "am", "vom", "zum", "zur", "beim", "ins", "ans", "aufs", "sein", "seine", "seiner", "seinen", "seinem",
    "ihr", "ihre", "ihrer", "ihren", "ihrem", "unser", "unsere", "jede", "jeder", "jedes", "diese", "dieser",
    "dieses", "diesen", "diesem", "alle", "allen", "viele", "vielen", "mehrere", "einige", "beide", "beiden",
    "weitere", "weiteren", "je", "pro", "jeweils", "welche", "solche", "manche", "deren", "dessen",
}
GERMAN_NOUN_ENDINGS = (
    "ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "tion", "tionen", "sion", "tät",
    "täten", "ismus", "nis", "nisse", "tum", "ling", "chen", "lein", "ment", "enz", "anz", "ik", "ie", "ei",
    "ur", "ität", "ern", "eln", "ler", "ner", "erin", "innen", "ende", "enden", "ten", "ten", "gen", "nahme",
    "weise", "zeit", "stelle", "recht", "amt", "rat", "arbeit", "lage", "ort", "haft", "jahr", "jahre", "jahren",
    "tage", "tagen", "wochen", "monate", "monaten", "stunden", "menschen", "leute", "kräfte", "kräften",
)
STOPWORDS = {
    "en": {"the", "a", "an", "in", "on", "at", "by", "for", "of", "and", "or", "but", "after", "before", "since",
           "during", "when", "while", "as", "from", "to", "with", "about", "over", "under", "this", "that", "these",
           "those", "it", "its", "he", "she", "they", "we", "i", "his", "her", "their", "our", "some", "many",
           "most", "more", "official", "according", "two", "three", "four", "five", "annual", "about", "by"},
    "ru": {"в", "на", "по", "с", "у", "к", "о", "об", "из", "за", "от", "до", "для", "и", "а", "но", "это", "как",
           "при", "после", "перед", "когда", "его", "её", "их", "они", "он", "она", "мы"},
    "uk": {"в", "у", "на", "по", "з", "із", "зі", "до", "від", "для", "і", "й", "та", "але", "це", "як", "після",
           "коли", "його", "її", "їх", "вони", "він", "вона", "ми"},
}
MONTH_AND_DAY_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "januar", "februar",
    "märz", "juni", "juli", "oktober", "dezember", "montag", "dienstag", "mittwoch", "donnerstag", "freitag",
    "samstag", "sonntag", "anfang", "ende", "mitte",
}
POSSESSIVE = re.compile(r"['’]s?$")
INSTITUTION_WORDS = (
    "federation", "bank", "agency", "union", "ministry", "mission", "association", "committee", "council",
    "office", "foundation", "institute", "organisation", "organization", "authority", "court", "service",
    "verband", "bundes", "ministerium", "agentur", "stiftung", "gericht", "amt", "behörde", "kommission",
    "федерац", "банк", "агентств", "союз", "министерств", "мисси", "ассоциац", "комитет", "совет", "фонд",
    "служб", "суд", "федерац", "міністерств", "місі", "агенц", "рада", "служб",
)
NAME_JOINERS = {"of", "de", "von", "van", "der", "al", "bin", "-", "и", "la", "le", "du", "am", "an", "der", "on"}


@dataclass(frozen=True)
class Anchor:
    """One checkable part of a sentence."""

    text: str
    kind: str  # "number" | "date" | "name" | "quote"
    start: int
    end: int
    date: DateMention | None = None
    quantity: Quantity | None = None
    unit: str | None = None  # the word a number counts ("Personen", "people"): where a contradiction shows
    strong: bool = True  # a weak name (a German noun that may be common) counts only where it is found


# -- anchors ----------------------------------------------------------------------------


def sentence_anchors(text: str, lang: str | None = None) -> list[Anchor]:
    """The sentence's dates, numbers, quotes and names, in reading order, spans not overlapping."""
    lang = lang or language(text)
    anchors: list[Anchor] = []
    for quote in QUOTES.finditer(text):
        inner = quote["inner"].strip()
        kind = "name" if _title_cased(inner) and len(inner.split()) <= 3 else "quote"
        anchors.append(Anchor(quote[0] if kind == "quote" else inner, kind, quote.start(), quote.end()))
    for mention in mentions(text):
        if not _overlaps(anchors, mention.start, mention.end):
            anchors.append(Anchor(mention.text, "date", mention.start, mention.end, date=mention))
    for quantity in quantities(text, lang):
        if not _overlaps(anchors, quantity.start, quantity.end) and _meaningful(quantity):
            unit = _unit_after(text, quantity.end)
            anchors.append(Anchor(quantity.text, "number", quantity.start, quantity.end, quantity=quantity,
                                  unit=unit))
    for start, end, strong in _names(text, lang):
        name = POSSESSIVE.sub("", text[start:end])
        if not _overlaps(anchors, start, end):
            anchors.append(Anchor(name, "name", start, start + len(name), strong=strong and not _translated(name)))
    seen: set[tuple[str, str]] = set()
    unique = []
    for anchor in sorted(anchors, key=lambda a: a.start):  # "Russland … Russland": one anchor
        key = (anchor.kind, anchor.text.casefold())
        if key not in seen:
            seen.add(key)
            unique.append(anchor)
    return unique


def _translated(name: str) -> bool:
    """An institution's name ("Russian Chess Federation", "Миссия ОБСЕ") and an acronym ("ОБСЕ", "OSCE")
    are translated between languages: they count where found, and say nothing where not."""
    words = re.split(r"[\s/-]+", name)
    if any(w.casefold().startswith(INSTITUTION_WORDS) for w in words):
        return True
    return all(re.fullmatch(r"[A-ZÄÖÜА-ЯЁІЇЄҐ]{2,8}", w) for w in words if w)


def _overlaps(anchors: list[Anchor], start: int, end: int) -> bool:
    return any(a.start < end and start < a.end for a in anchors)


def _meaningful(quantity: Quantity) -> bool:
    """"One", "both", a lone digit standing for a list item: not what a fact-checker checks."""
    return quantity.value >= 2 or quantity.percent


def _unit_after(text: str, end: int) -> str | None:
    match = re.match(r"[\s\u00a0\u202f%]*(?:[-‑–]?\w*\s+)?(?P<word>[^\W\d_]{3,})", text[end:end + 40])
    return match["word"] if match else None


def _title_cased(text: str) -> bool:
    words = text.split()
    return bool(words) and all(w[:1].isupper() or w[:1].isdigit() for w in words)


# -- names ------------------------------------------------------------------------------


def _names(text: str, lang: str) -> list[tuple[int, int, bool]]:
    """Spans of names and whether each is sure: runs of name-like tokens, a joiner ("of", "von") inside."""
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    flags = [_name_like(tokens, i, text, lang) for i in range(len(tokens))]
    spans, i = [], 0
    while i < len(tokens):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and _adjacent(text, tokens, j) and (
                _joins(flags[j], flags[j + 1]) or (tokens[j + 1][2].casefold() in NAME_JOINERS and j + 2 < len(tokens)
                                                   and flags[j] == "strong" and flags[j + 2] == "strong"
                                                   and _adjacent(text, tokens, j + 1))):
            j += 1
        strong = j > i or any(flags[k] in ("strong", "adjective") for k in range(i, j + 1))
        spans.append((tokens[i][0], tokens[j][1], strong))
        i = j + 1
    return spans


def _joins(this: str | None, following: str | None) -> bool:
    """Tokens of one name: alike ("Alexej Nawalny"), or an adjective and its noun ("Mitteldeutschen
    Verkehrsverbund"); a name and a common noun beside it ("Kasachstans Hauptstadt") are two."""
    return following is not None and (this == following or this == "adjective")


def _adjacent(text: str, tokens, j: int) -> bool:
    """No punctuation between two tokens of one name."""
    return not re.search(r"[,;:.()„“”\"«»]", text[tokens[j][1]:tokens[j + 1][0]])


def _name_like(tokens, i: int, text: str, lang: str) -> str | None:
    """"strong", "weak" (a German noun that may be common) or None."""
    start, end, word = tokens[i]
    if re.fullmatch(r"[A-ZÄÖÜА-ЯЁІЇЄҐ][A-ZÄÖÜА-ЯЁІЇЄҐ0-9\-]{1,7}", word) or re.fullmatch(r"[A-ZА-Я]+-?\d+\w*", word):
        return "strong"  # an acronym or code: EU, ООН, IK-3, A100
    if len(word.rstrip(".")) <= 2:
        return None  # "St.", "Dr.": an abbreviation, not a name
    if not word[:1].isupper() or word.casefold() in MONTH_AND_DAY_WORDS or word.casefold() in FUNCTION_WORDS \
            or word.casefold() in STOPWORDS.get(lang, ()):
        return None
    first = i == 0 or re.search(r"[.!?:]\s*[\"„“«]?\s*$", text[:start]) is not None
    previous = tokens[i - 1][2] if i else ""
    following = tokens[i + 1][2] if i + 1 < len(tokens) else ""
    if lang == "de":
        return _german_name(word, previous, following, first)
    if lang == "en" and DEMONYM.search(word) and following[:1].islower():
        return "weak"  # "Russian citizens": an adjective of a name
    if first:
        return "strong" if following[:1].isupper() or _foreign(word) else "weak" if lang == "en" else None
    return "strong"


def _german_name(word: str, previous: str, following: str, first: bool) -> str | None:
    """German capitalises nouns: a name is a capitalised word nothing marks as a common noun."""
    if word.endswith("er") and following[:1].isupper() and len(word) > 4:
        return "strong" if _foreign(word[:-2]) else "weak"  # "Kiewer Stadtteil", "Berliner Senat"
    if not first and ADJECTIVE.search(word) and following[:1].isupper() and following.casefold() not in FUNCTION_WORDS:
        return "adjective"  # capitalised inside a sentence, it belongs to a name: "Mitteldeutschen Verkehrsverbund"
    low = word.casefold()
    stem = low[:-1] if low.endswith("s") and len(low) > 4 else low
    counted = re.fullmatch(r"[\d.,]+", previous) or previous.casefold().rstrip(".") in COUNTING_WORDS
    if counted or word.casefold() in UNIT_OF or (previous.casefold() in GERMAN_DETERMINERS and not _foreign(word)):
        return None  # "400.000 Personen", "zwölf Jahren", "3 Mrd. Euro", "im Gefängnis"
    inflected = previous[:1].islower() and re.search(r"[a-zäöüß](?:e|en|er|es|em)$", previous) \
        and previous.casefold() not in FUNCTION_WORDS
    if inflected and not _foreign(word):
        return None  # an adjective before it: "russische Behörden", "25-jähriger Student"
    if low.endswith(GERMAN_NOUN_ENDINGS) or stem.endswith(GERMAN_NOUN_ENDINGS):
        return None
    if _foreign(word) or _foreign(stem):
        return "strong"
    if first:
        return None  # a sentence opens with a capital anyway
    return "weak"


def _foreign(word: str) -> bool:
    """Spelled as German nouns are not: a transliterated or foreign name ("Schymkent", "Tokajew", "Priosersk")."""
    low = word.casefold()
    return bool(FOREIGN_SPELLING.search(low)) or low in EXONYM_WORDS or low.removesuffix("s") in EXONYM_WORDS


ADJECTIVE = re.compile(r"(?:isch|lich|ig|deutsch|al|ell|iv|är|ar|ten|nen|ern|ner)(?:e|en|er|es|em)$")
COUNTING_WORDS = set(WORD_VALUE) | set(MAGNITUDE) | {"mrd", "mio", "tsd", "je", "rund", "etwa", "über", "knapp"}
FUNCTION_WORDS = {
    "im", "in", "am", "an", "nach", "der", "die", "das", "den", "dem", "des", "seit", "bis", "mit", "von", "vom",
    "zum", "zur", "auf", "aus", "bei", "für", "über", "unter", "gegen", "ohne", "um", "durch", "laut", "wegen",
    "trotz", "während", "nachdem", "als", "wie", "wenn", "weil", "dass", "da", "auch", "und", "oder", "aber",
    "doch", "so", "es", "er", "sie", "wir", "ich", "ihr", "ein", "eine", "einer", "allein", "insgesamt", "zudem",
    "dabei", "damit", "danach", "dann", "erst", "noch", "nur", "bereits", "zuvor", "jedoch", "rund", "etwa",
}
DEMONYM = re.compile(r"(?:ian|ish|ese|ean|ic)$|^(?:german|kazakh|uzbek|tajik|turkmen|kyrgyz|czech|dutch|french|greek|"
                     r"swiss|thai|pakistani|azerbaijani|israeli|iraqi|yemeni)$", re.I)
# transliterated Slavic, Turkic and Caucasian names as German spells them (a German noun's "y" is Greek or
# English, inside the word: "Asyl", "Hybrid"; a name's "y" ends it or follows "sch": "Almaty", "Schymkent")
FOREIGN_SPELLING = re.compile(
    r"y$|ys$|schy|tschy|[^aeiouäöü]w$|ows?$|ews?$|sks?$|owo$|ovo$|ijs?$|yjs?$|stans?$|kents?$|grad$|insks?$|"
    r"enkos?$|kos$|skis?$|sky$|^tsch|^dsch|^jek|^jew|zk|kh|ow[aeiu]|ew[aeiu]|[aeiou]ja$|awa$|anda$|ana$|ija$"
)
EXONYMS = (  # one place or body in its German, English, Russian and Ukrainian names
    ("moskau", "moscow", "москва"), ("kiew", "kyiv", "kiev", "киев", "київ"), ("warschau", "warsaw", "варшава"),
    ("tiflis", "tbilisi", "тбилиси", "тбілісі"), ("wien", "vienna", "вена", "відень"),
    ("prag", "prague", "прага"), ("steiermark", "styria", "штирия"), ("krim", "crimea", "крым", "крим"),
    ("russland", "russia", "россия", "росія"), ("weißrussland", "belarus", "беларусь", "білорусь"),
    ("deutschland", "germany", "германия", "німеччина"), ("österreich", "austria", "австрия", "австрія"),
    ("tschechien", "czechia", "czech republic", "чехия", "чехія"), ("polen", "poland", "польша", "польща"),
    ("georgien", "georgia", "грузия", "грузія"), ("armenien", "armenia", "армения", "вірменія"),
    ("kirgisistan", "kyrgyzstan", "киргизия", "кыргызстан", "киргизстан"), ("china", "китай"),
    ("usa", "united states", "сша"), ("eu", "european union", "ес", "евросоюз", "єс"),
    ("uno", "un", "united nations", "оон", "оон"), ("litauen", "lithuania", "литва"),
    ("lettland", "latvia", "латвия", "латвія"), ("estland", "estonia", "эстония", "естонія"),
    ("sankt petersburg", "st. petersburg", "saint petersburg", "санкт-петербург", "петербург"),
    ("aserbaidschan", "azerbaijan", "азербайджан"), ("türkei", "turkey", "türkiye", "турция", "туреччина"),
    ("schweiz", "switzerland", "швейцария"), ("berlin", "берлин", "берлін"), ("köln", "cologne"),
    ("münchen", "munich", "мюнхен"), ("rom", "rome", "рим"), ("brüssel", "brussels", "брюссель"),
    ("europa", "europe", "европа", "європа"), ("ukraine", "украина", "україна"),
    ("sachsen", "saxony", "саксония", "саксонія"), ("bayern", "bavaria", "бавария", "баварія"),
    ("frankreich", "france", "франция", "франція"), ("italien", "italy", "италия", "італія"),
    ("moldau", "moldova", "молдова", "молдавия"), ("kaukasus", "caucasus", "кавказ"),
    ("weißes haus", "white house", "белый дом"), ("kreml", "kremlin", "кремль"),
    # Ukrainian cities by their Ukrainian and their Russian names
    ("mykolajiw", "mykolaiv", "nikolaev", "nikolajew", "николаев", "миколаїв"), ("lwiw", "lviv", "lvov", "lemberg",
    "львов", "львів"), ("saporischschja", "zaporizhzhia", "zaporozhye", "запорожье", "запоріжжя"),
    ("dnipro", "dnepropetrovsk", "днепр", "дніпро"), ("odessa", "odesa", "одесса", "одеса"),
    ("riwne", "rivne", "rovno", "ровно", "рівне"), ("tscherniwzi", "chernivtsi", "черновцы", "чернівці"),
)
EXONYM_WORDS = {name for group in EXONYMS for name in group}
