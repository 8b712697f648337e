"""The other-language editions a page declares, so a title cited in English can be checked there.

Sites say where a page's translation lives in three ways: ``<link
rel="alternate" hreflang="en" href="…">`` in the head, ``og:locale:alternate``
(a locale without its address), and a link in the text ("Read in English",
"English version", "На русском"). Each gives (language, absolute URL or None).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

# -- patterns (data) ----------------------------------------------------------

LINK_TEXTS = {
    "en": re.compile(r"^\s*(?:read (?:this |it )?in english|english version|in english|english|eng|en)\s*$", re.I),
    "de": re.compile(r"^\s*(?:auf deutsch|deutsche version|deutsch|lesen sie auf deutsch|de)\s*$", re.I),
    "ru": re.compile(r"^\s*(?:на русском(?: языке)?|русская версия|читать на русском|по-русски|русский|рус|ru)\s*$",
                     re.I),
    "uk": re.compile(r"^\s*(?:українською|українська версія|українська|укр|ua|uk)\s*$", re.I),
    "kk": re.compile(r"^\s*(?:қазақша|казахский|kz|kk)\s*$", re.I),
}
# any of them: most links say something else, and one pattern turns them away at once
ANY_LINK_TEXT = re.compile("|".join(p.pattern for p in LINK_TEXTS.values()), re.I)


def editions(tree, url: str = "") -> tuple[tuple[str, str | None], ...]:
    """(language, URL) of each other-language edition the page declares, in the order declared."""
    found: dict[str, str | None] = {}
    own = _lang(tree.get("lang") or "")
    # the three kinds of element read, found in one scan in C (an XPath per kind walked the tree each)
    linked, metas = [], []  # <link> and <a>, and <meta>, each in document order
    for el in tree.getroottree().iter("link", "a", "meta"):
        (metas if el.tag == "meta" else linked).append(el)
    for link in linked:
        if link.get("hreflang") is None or link.get("href") is None or (
                link.tag == "link" and link.get("rel") != "alternate"):
            continue
        lang = _lang(link.get("hreflang"))
        if lang and lang != own and lang != "x-default":
            found.setdefault(lang, urljoin(url, link.get("href").strip()))
    for anchor in (el for el in linked if el.tag == "a"):
        if anchor.get("href") is None:
            continue
        # a link without child elements is its own text, read without text_content's XPath
        text = " ".join((anchor.text_content() if len(anchor) else anchor.text or "").split())
        if len(text) >= 40 or not ANY_LINK_TEXT.match(text):  # no edition link says that much
            continue
        for lang, pattern in LINK_TEXTS.items():
            if pattern.match(text) and lang != own:
                found.setdefault(lang, urljoin(url, anchor.get("href").strip()))
    for meta in metas:
        if meta.get("property") != "og:locale:alternate" or meta.get("content") is None:
            continue
        lang = _lang(meta.get("content"))
        if lang and lang != own:
            found.setdefault(lang, None)
    return tuple((lang, href) for lang, href in found.items() if href is None or href.startswith(("http://", "https://")))


def _lang(code: str) -> str:
    """"en-US", "en_GB", "EN" -> "en"."""
    return re.split(r"[-_]", code.strip().casefold())[0] if code else ""
