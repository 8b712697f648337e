"""The patterns a citation style is read by: data apart from the logic that uses them.

URLs and their placeholders, labelled and plain dates in the languages notes
are written in, pages and other pinpoints, back references, the parts of
APA, Wikipedia (CS1), Chicago, MLA, German and GOST references.
"""

from __future__ import annotations

import re

MD_LINK = re.compile(r"\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<url>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)")
ANGLE_URL = re.compile(r"<(?P<url>(?:https?://|www\.)[^<>\s]+)>")
BARE_URL = re.compile(r"(?<![\w/@])(?P<url>(?:https?://|www\.)[^\s<>\"“”„«»]+)")
# MLA 9 drops the scheme: "cityledger.example/water-tables" (a domain with a path, so "e.g." or "U.S." never match)
SCHEMELESS_URL = re.compile(r"(?<![\w/@.\uE000])(?P<url>(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>\"“”„«»]*)", re.I)
DOI = re.compile(r"\b(?:doi:?\s*)(?P<doi>10\.\d{4,9}/[^\s<>\"]+)", re.I)
URL_TRAILING = ".,;:!?'’”»"
LOST_TARGETS = {"", "#"}
PLACEHOLDER = re.compile(r"\uE000(\d+)\uE001")
# an address with the words that announce it ("URL: …", "available at …", "online unter …")
ADDRESS_WITH_LABEL = re.compile(
    r"(?:\b(?:URL|[Oo]nline(?:\s+unter)?|[Aa]vailable\s+(?:at|from)|verfügbar\s+unter|abrufbar\s+unter|unter|at|from)"
    r"\s*:?\s*)?(?P<link>\uE000(?P<n>\d+)\uE001)"
)

_MONTH = r"[^\W\d_]{3,10}\.?"
DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}\.\s?\d{1,2}\.\s?\d{4}"
    r"|\d{1,2}/\d{1,2}/\d{4}"
    rf"|\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}(?:\s?(?:г|р)\.|\s(?:года|року))?"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
UNKNOWN_DATE = r"(?:unbekannt|unknown|n\.\s?d\.?|o\.\s?D\.?|ohne\s+Datum|без\s+даты)"
ACCESS_LABEL = (
    r"(?:(?:zuletzt\s+)?(?:abgerufen|aufgerufen|eingesehen|besucht)(?:\s+am)?|zugriff(?:\s+am)?"
    r"|(?:last\s+)?accessed(?:\s+on)?|retrieved(?:\s+on)?|viewed(?:\s+on)?|consulté\s+le"
    r"|дата\s+обращения|дата\s+звернення|просмотрено)"
)
UPDATE_LABEL = (
    r"(?:letzte\s+aktualisierung(?:\s+am)?|zuletzt\s+aktualisiert(?:\s+am)?|aktualisiert(?:\s+am)?|stand"
    r"|last\s+(?:updated|modified|revised)(?:\s+on)?|updated(?:\s+on)?|modified(?:\s+on)?"
    r"|published(?:\s+on)?|posted(?:\s+on)?|veröffentlicht(?:\s+am)?|erschienen(?:\s+am)?"
    r"|mis\s+à\s+jour\s+le|publié\s+le|обновлено|опубликовано|дата\s+публикации|от(?=\s+\d))"
)
ACCESSED = re.compile(
    rf",?\s*[(\[]?\s*\b{ACCESS_LABEL}\s*:?\s*(?P<date>{DATE}|{UNKNOWN_DATE})(?:,?\s+(?:from|von|unter)\b)?\s*[)\]]?",
    re.I,
)
UPDATED = re.compile(rf",?\s*[(\[]?\s*\b{UPDATE_LABEL}\s*:?\s*(?P<date>{DATE}|{UNKNOWN_DATE})\s*[)\]]?", re.I)
# a label followed by something that is no date ("letzte Aktualisierung gestern"): kept for the editor to see
ACCESSED_ANY = re.compile(rf",?\s*[(\[]?\s*\b{ACCESS_LABEL}\s*:?\s*(?P<date>[^,;()\[\]\uE000]+?)\s*[)\]]?(?=[,;]|$)", re.I)
UPDATED_ANY = re.compile(rf",?\s*[(\[]?\s*\b{UPDATE_LABEL}\s*:?\s*(?P<date>[^,;()\[\]\uE000]+?)\s*[)\]]?(?=[,;]|$)", re.I)
PLAIN_DATE = re.compile(rf"^(?:{DATE})$")
# a date standing alone between commas or at either end ("…, April 9, 2024, <url>"); a year or month alone too
DATE_SEGMENT = re.compile(
    rf"(?:^|,)\s*(?:(?P<date>{DATE})|(?P<none>{UNKNOWN_DATE})|(?:{_MONTH}\s+)?(?:1[5-9]|20)\d\d)\s*(?=,|$|\s*\uE000)",
    re.I,
)
# a pinpoint that is no page: "Tabelle 4", "Table 2", "Abb. 3", "Kap. 5", "Rn. 12"
LOCATOR = re.compile(
    r",?\s*\b(?:(?:Tabelle|Table|Tab\.|Abb\.|Abbildung|Fig\.|Figure|Kap\.|Kapitel|ch\.|Rn\.|para\.)\s*\d+[a-z]?\b"
    r"|(?:ref\.|Ref\.|Sign\.|Signatur|Az\.|Aktenzeichen|Best\.)\s*[\w/.-]*\w)"
)
PARTIAL_DATE = re.compile(rf"^(?:(?:{_MONTH}\s+)?\d{{4}}|\d{{4}},?\s+{_MONTH}|{_MONTH}\s+\d{{4}})$")
# APA and Wikipedia's CS1 put the date in parentheses after the author: "Roe, J. (2025, February 19).",
# "Pelham, Ruth (19 March 2024).", "Unit (2019).", "(n.d.)"
APA_DATE = re.compile(
    rf"^(?P<author>[^()]*?)\s*\((?P<date>{DATE}|\d{{4}}[a-z]?(?:,\s*[^\W\d_]+\.?(?:\s+\d{{1,2}}(?:[-–]\d{{1,2}})?)?)?"
    r"|n\.\s?d\.)\)\.?\s*(?P<rest>.*)$",
    re.S,
)
# what a reference says about the file rather than the work: "(PDF)", "(Report)", "(in German)", "[сайт]"
ANNOTATION = re.compile(
    r"\s*(?:\((?:PDF|pdf|Report|Press release|Video|Map|Thesis|PhD thesis|Dissertation|in [A-Z][a-z]+|"
    r"auf [A-Z][a-z]+|Pressemitteilung|Bericht)\)|\[[^\]\uE000]*\])"
)
# an archived copy's note: its date is the archive's, not the page's ("Archived from the original on 6 May 2025")
ARCHIVED = re.compile(
    rf"\b(?:Archived|Archiviert)(?:\s*\(PDF\))?\s+(?:from|vom)\s+(?:the\s+)?(?:\uE000\d+\uE001|original|Original)"
    rf"(?:\s+(?:on|am)\s+(?:{DATE}))?\.?",
    re.I,
)
WAYBACK = re.compile(r"^https?://(?:web\.)?archive\.org/web/\d+(?:[a-z_]+)?/(?P<original>https?://.+)$", re.I)
NO_DATE = re.compile(rf"^{UNKNOWN_DATE}$", re.I)
# a journal: "Structures Today 41, no. 3 (2024): 22–27"
JOURNAL = re.compile(
    r"^(?P<container>.+?)\s+\d+(?:,\s*(?:no|nr|H|Heft|issue)\.?\s*\d+)?\s*\([^()]*\d{4}\)"
    r"(?::\s*(?P<pages>\d+(?:\s*[-–]\s*\d+)?))?"
)
# GOST 7.0.5 (Russian): "Петрова Е. С. Title // Container. 2025. 19 февр." and "Город : Издательство, 2021"
GOST_AUTHOR = re.compile(r"^(?P<author>[А-ЯЁA-Z][а-яёa-z-]+(?:\s+[А-ЯЁA-Z]\.){1,2})\s+(?P<rest>\S.*)$")
GOST_CONTAINER = re.compile(r"\s+//\s+")
GOST_DATE = re.compile(r"\b(?P<year>\d{4})\.\s+(?P<day>\d{1,2})\s+(?P<month>[а-яё]+)\.?")
GOST_PLACE = re.compile(r"^[А-ЯЁA-Z][\w-]+(?:\s[\w-]+)?\s:\s(?P<publisher>[^,.]+)")
PAGES = re.compile(
    r"(?:^|[,.;]?\s+|,|(?<=\())(?P<prefix>S\.|Seiten?|pp?\.|pages?|[сС]\.|стр\.)\s*(?P<pages>\d+(?:\s*[-–—]\s*\d+)?(?:\s*ff?\.?)?)",
)
BARE_PAGES = re.compile(r"^(?P<pages>\d{1,4}(?:\s*[-–—]\s*\d{1,4})?(?:\s*ff?\.?)?)$")
IBID = re.compile(r"^(?:ibid(?:em)?|ebd|ebenda|ebendort|id|там\s+же)\b\.?", re.I)
OP_CIT = re.compile(
    r"^(?P<author>.+?),?\s+(?:a\.\s?a\.\s?O\b\.?|op\.\s?cit\b\.?|loc\.\s?cit\b\.?|(?:указ|ук)\.\s?соч\b\.?)", re.I)
SAME_AUTHOR = re.compile(r"^(?:ders|dies|idem|eadem|он\s+же|она\s+же)\b\.?\s*,?\s*", re.I)
IN_CONTAINER = re.compile(r"(?:^|,|\.)\s*(?:in|In|dans|в|//)\s*:?\s+(?=\S)")
QUOTED_LINK = re.compile(r"[\"“„«‘](?P<link>\uE000\d+\uE001)(?P<punct>[,.]?)[\"”“»’]")
QUOTED = re.compile(r"[\"“„”«‘](?P<title>[^\"“”„«»‘’]{2,}?)[\"”“»’]")
PUBLICATION_FACTS = re.compile(r"\((?:[^():]+):\s*(?P<publisher>[^(),]+),\s*\d{4}\)")
SEPARATORS = ";"
QUOTE_PAIRS = {"„": "“”", "“": "”", "«": "»", '"': '"', "‚": "‘’"}  # opening quote -> what closes it


