"""Who a reference names: an author or an institution, told apart from the prose and titles around it.

German capitalises every noun, so a name is known by what it is made of: a
few capitalised words and particles ("Jane Roe", "Tomasz Wójcik", "City of
Riverton Department of Parks and Recreation"), initials ("Roe, J. A."), or an
institution's word ("Stadt", "Ministerium", "Агентство", "Statistikagentur").
"""

from __future__ import annotations

import re

PROSE_START = {
    "see", "cf", "cf.", "compare", "also", "vgl", "vgl.", "siehe", "auch", "so", "etwa", "dazu", "hierzu",
    "näher", "ausführlich", "for", "in", "für", "zu", "zur", "zum", "nach", "according", "laut", "quoted",
    "zitiert", "zit.", "as", "wie", "see,", "ср.", "см.", "см",
}
NAME_PARTICLES = {"von", "van", "der", "den", "de", "du", "la", "le", "al", "el", "bin", "ibn", "da", "di", "zu",
                  "and", "und", "&", "et", "al.", "y", "e", "и", "of", "for", "the", "on", "in", "für", "des",
                  "e.", "v.", "e.v.", "gmbh", "ggmbh", "mbh", "ag", "kg", "co.", "inc.", "ltd.", "llc"}
# words that make a name an organisation's, and German noun endings no personal name has
ORGANISATION_WORDS = {
    "stadt", "gemeinde", "amt", "ministerium", "initiative", "verband", "institut", "verein", "stiftung",
    "zentrum", "behörde", "rat", "kommission", "gesellschaft", "partei", "senat", "agentur", "universität",
    "hochschule", "bureau", "office", "department", "council", "ministry", "agency", "society", "institute",
    "foundation", "association", "university", "committee", "trust", "board", "authority", "centre", "center",
    "network", "group", "forum", "union", "e.v", "gmbh", "ag", "inc", "ltd", "landkreis", "bezirk", "kreis",
}
ORGANISATION_PREFIXES = ("bundes", "landes", "staats", "stadtwerke", "verbraucherzentrale", "min.")
# German compounds and Russian nouns that name institutions: "Statistikagentur", "Informationsportal", "Агентство"
ORGANISATION_ENDINGS = ("agentur", "portal", "amt", "behörde", "institut", "verband", "zentrale", "kammer", "stelle",
                        "büro", "dienst", "zentrum", "stiftung", "ministerium", "gericht", "kommission", "netzwerk",
                        "verein", "gesellschaft", "akademie", "archiv", "bank", "rat")
ORGANISATION_WORDS_RU = ("агентств", "министерств", "комитет", "служб", "управлени", "институт", "центр", "фонд",
                         "союз", "ассоциаци", "департамент", "правительств", "администраци", "бюро", "совет", "суд")
NOUN_ENDINGS = ("ung", "heit", "keit", "schaft", "tion", "tät", "ismus", "programm", "bericht", "plan",
                "gesetz", "wende", "tausch", "politik", "ordnung", "recht", "markt", "wesen", "land")
NAME_LEADERS = {"von", "van", "de", "du", "da", "di", "al", "el", "bin", "ibn", "la", "le", "der", "den", "ten", "ter"}


def trailing_name(text: str) -> str:
    """The name at the end of "See the discussion of method in Jane Roe": prose before it dropped."""
    words = text.strip(" ,.:").split()
    name: list[str] = []
    for word in reversed(words):
        bare = word.strip(",.:;()")
        if not bare:
            continue
        if bare.lower() in PROSE_START and name:
            break
        if bare[:1].isupper() or bare.lower() in NAME_PARTICLES or re.match(r"^[A-ZÄÖÜА-Я]\.$", word):
            name.insert(0, word)
        else:
            break
    while name and name[0].lower().strip(",.") in NAME_PARTICLES:
        name.pop(0)
    return " ".join(name).strip(" ,:") if name else text.strip(" ,.:")


def name_like(segment: str) -> bool:
    """An author or organisation: a few capitalised words, no digits, no sentence."""
    words = segment.replace(",", " ").split()
    if not 1 <= len(words) <= 5 or any(ch.isdigit() for ch in segment) or segment.endswith(("?", "!")):
        return False
    return all(w[:1].isupper() or w.lower() in NAME_PARTICLES or re.match(r"^[A-Z]\.$", w) for w in words)


def author_like(text: str) -> bool:
    """Before a colon, an author rather than the first half of a title: an organisation ("Stadt …",
    "Ministerium für …", "… e. V."), initials, or a short personal name whose words are no German
    nouns ("Förderprogramm Heizungstausch: Fragen und Antworten" is a title)."""
    words = text.replace(",", " ").split()
    if not words or any(ch.isdigit() for ch in text):
        return False
    if any(institution(w) for w in words):
        return True
    if any(re.fullmatch(r"[A-ZÄÖÜА-ЯЁ]\.", w) for w in words):
        return name_like(text)
    return 2 <= len(words) <= 3 and name_like(text) and not any(
        len(w) > 16 or w.casefold().endswith(NOUN_ENDINGS) for w in words)


def institution(word: str) -> bool:
    word = word.strip(".,").casefold()
    return (word in ORGANISATION_WORDS or word.startswith(ORGANISATION_PREFIXES + ORGANISATION_WORDS_RU)
            or (len(word) > 6 and word.endswith(ORGANISATION_ENDINGS)))
