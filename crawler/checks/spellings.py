"""One name in every spelling: Nawalny, Navalny and Навальный; Charkiw, Kharkiv and Харків.

A name is compared by its consonant skeleton: the word is romanised with
anyascii (Cyrillic and other scripts), the spelling conventions of its
language are folded (German "tsch", "sch", "ch", "w" against English "ch",
"sh", "kh", "v"), sounds the conventions write differently are merged (s/z,
the sibilants, i/y/j), and vowels are dropped but for a leading one. Case
endings follow the stem ("Навального", "Kasachstans", "Києва"), so one
skeleton may run on by a short ending beyond the other.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

# -- conventions (data) -----------------------------------------------------------------

GERMAN = (("tsch", "C"), ("sch", "S"), ("ch", "H"), ("zh", "S"), ("w", "v"), ("z", "S"), ("j", "y"),
          ("ck", "k"), ("ph", "f"), ("ks", "X"), ("x", "X"), ("ß", "S"))
ENGLISH = (("shch", "S"), ("sch", "S"), ("tch", "C"), ("ch", "C"), ("kh", "H"), ("zh", "S"), ("sh", "S"),
           ("ts", "C"), ("tz", "C"), ("ph", "f"), ("w", "v"), ("z", "S"), ("j", "y"), ("ks", "X"), ("x", "X"))
ROMANISED = ENGLISH  # anyascii writes Cyrillic the English way: Ч ch, Х kh, Ш sh, Ж zh, Ц ts
VOWELS = set("aeiouy")
ENDINGS = set("Snmrgvhy")  # what case endings add to a skeleton: -s, -ns, -om, -ogo (g), -ov, -ykh, -yi
MIN_PREFIX = 3


@functools.lru_cache(maxsize=65536)
def skeleton(word: str, lang: str | None = None) -> str:
    """The name's consonants in order (a leading vowel kept as "_"), spelling conventions folded."""
    text = unicodedata.normalize("NFC", word)
    script_latin = not re.search(r"[^\W\d_a-zA-ZÀ-ÿ]", text)
    text = anyascii(text).casefold()
    text = re.sub(r"[^a-z]", "", text.replace("ä", "a").replace("ö", "o").replace("ü", "u"))
    rules = GERMAN if (lang == "de" and script_latin) else ROMANISED if not script_latin else ENGLISH
    for old, new in rules:
        text = text.replace(old, new)
    text = text.casefold().replace("c", "C").replace("s", "S").replace("g", "h")  # Чернігів, Чернигов
    lead = "_" if text[:1] in VOWELS else ""
    consonants = "".join(ch for ch in text if ch not in VOWELS)
    return lead + re.sub(r"(.)\1+", r"\1", consonants).replace("C", "S")


@functools.lru_cache(maxsize=262144)
def same_name(name: str, name_lang: str | None, word: str, word_lang: str | None) -> bool:
    """Do ``name`` (from the sentence) and ``word`` (from the source) spell one name, endings aside?"""
    if name_lang == "de" and name.endswith("s") and len(name) > 4 and _same(name[:-1], name_lang, word, word_lang):
        return True  # a German genitive: "Nawalnys", "Kasachstans"
    return _same(name, name_lang, word, word_lang)


def _same(name: str, name_lang: str | None, word: str, word_lang: str | None) -> bool:
    a, b = skeleton(name, name_lang), skeleton(word, word_lang)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    core = len(short.lstrip("_"))
    if core < MIN_PREFIX or not long.startswith(short):
        return False
    tail = long[len(short):]
    return len(tail) <= 2 and set(tail) <= ENDINGS and (core >= 4 or _vowels_agree(name, word))


def _vowels_agree(name: str, word: str) -> bool:
    """Short skeletons ("Orsk", "Kasan") also need the first vowel to agree, so "Tomsk" is no "Tambov"."""
    def first_vowel(text: str) -> str:
        letters = re.sub(r"[^a-z]", "", anyascii(text).casefold())
        return next((ch for ch in letters if ch in "aeiou"), "")
    return first_vowel(name) == first_vowel(word)
