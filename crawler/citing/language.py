"""The language of a piece of prose: de, en, ru or uk, by script and the commonest words.

Enough to read names and numbers right in a citing sentence and to tell a document's language
when it declares none (plain text, most PDFs); it needs no model, and the reports speak only
German and English.
"""

from __future__ import annotations

import re

GERMAN_HINTS = re.compile(r"\b(?:der|die|das|und|wurde|wurden|nach|nicht|ist|sind|ein|eine|einer|im|am|zu|vom|zum|"
                          r"dem|den|des|mit|von|bei|für|auf|sich|aus)\b|[äöüß]", re.I)
ENGLISH_HINTS = re.compile(r"\b(?:the|and|was|were|of|is|are|to|has|had|with|that|for|from|said)\b", re.I)


def language(text: str) -> str:
    """de, en, ru or uk, by script and the commonest words: enough to read names and numbers right."""
    cyrillic = len(re.findall(r"[а-яёіїєґ]", text, re.I))
    latin = len(re.findall(r"[a-zäöüß]", text, re.I))
    if cyrillic > latin:
        return "uk" if re.search(r"[іїєґ]", text, re.I) else "ru"
    return "de" if len(GERMAN_HINTS.findall(text)) > len(ENGLISH_HINTS.findall(text)) else "en"
