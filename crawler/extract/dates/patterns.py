"""Where pages state their dates, as data.

Kept apart from the code that reads them so that a new meta name, label word
or page region to ignore is a one-line change here, not a change in logic.
"""

from __future__ import annotations

import re

# -- structured metadata -----------------------------------------------------

# <meta> name/property/itemprop (lower-cased) -> (kind, confidence)
META_FIELDS: dict[str, tuple[str, float]] = {
    "article:published_time": ("published", 0.85),
    "og:article:published_time": ("published", 0.85),
    "article:published": ("published", 0.8),
    "og:published_time": ("published", 0.8),
    "datepublished": ("published", 0.85),
    "article.published": ("published", 0.8),
    "published_time": ("published", 0.8),
    "publication_date": ("published", 0.8),
    "publish-date": ("published", 0.8),
    "publish_date": ("published", 0.8),
    "publishdate": ("published", 0.8),
    "pubdate": ("published", 0.8),
    "sailthru.date": ("published", 0.75),
    "parsely-pub-date": ("published", 0.8),
    "dc.date.issued": ("published", 0.8),
    "dcterms.issued": ("published", 0.8),
    "dc.date.created": ("published", 0.75),
    "dcterms.created": ("published", 0.75),
    "citation_publication_date": ("published", 0.8),
    "citation_date": ("published", 0.75),
    # bare "date" is often the last edit; a visible <time> outranks it
    "date": ("unlabelled", 0.55),
    "dc.date": ("unlabelled", 0.55),
    "dcterms.date": ("unlabelled", 0.55),
    "article:modified_time": ("modified", 0.85),
    "og:article:modified_time": ("modified", 0.85),
    "article:modified": ("modified", 0.8),
    "og:updated_time": ("modified", 0.8),
    "datemodified": ("modified", 0.85),
    "article.updated": ("modified", 0.8),
    "modified_time": ("modified", 0.8),
    "last-modified": ("modified", 0.7),
    "lastmod": ("modified", 0.7),
    "dc.date.modified": ("modified", 0.8),
    "dcterms.modified": ("modified", 0.8),
    "datecreated": ("published", 0.7),
}

# JSON-LD @type values that describe the page's own content
JSONLD_ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle",
        "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
        "backgroundnewsarticle", "scholarlyarticle", "techarticle", "report",
        "liveblogposting", "socialmediaposting", "posting", "creativework",
        "podcastepisode", "review", "medicalwebpage", "faqpage", "recipe", "howto",
    }
)
JSONLD_PAGE_TYPES = frozenset(
    {"webpage", "itempage", "aboutpage", "collectionpage", "profilepage", "qapage"}
)
# containers whose members are other pages (related stories, breadcrumbs)
JSONLD_SKIP_KEYS = frozenset(
    {"itemlistelement", "hasPart".lower(), "relatedlink", "breadcrumb",
     "comment", "review", "subjectof", "ispartof", "citation", "mentions",
     "associatedmedia", "image", "video", "potentialaction", "publisher"}
)
JSONLD_FIELDS: dict[str, str] = {
    "datepublished": "published",
    "datecreated": "published",
    "uploaddate": "published",
    "datemodified": "modified",
}

# -- page regions whose dates are never the page's own ----------------------

# tags whose content never dates the page itself
EXCLUDED_TAGS = frozenset({"footer", "nav", "aside", "script", "style", "noscript",
                           "select", "option", "template"})
# tags of page furniture that an <article> may also use for its own byline
PAGE_FURNITURE_TAGS = frozenset({"footer", "aside", "nav"})
# class/id words (camelCase split, matched anywhere in class+id) of regions
# holding other content: never the page's own date
OTHER_CONTENT_RE = re.compile(
    r"(?:^|[\s_-])(?:comments?|kommentare?|commentaires?|comentarios?|commenti|"
    r"reply|replies|respond|disqus|related|relatedposts|recommend(?:ed|ations)?|"
    r"more-?stories|morenews|read-?more|also-?read|popular|most-?read|"
    r"trending|calendar|calendario|calendrier|kalender|archives?|archivo|archiv|"
    r"ticker|today|clock|weather|"
    r"copyright)(?:$|[\s_-])",
    re.I,
)
# page furniture: skipped unless inside the <article> (an article's own
# "sidebar" or "footer" box often holds its byline)
FURNITURE_RE = re.compile(
    r"(?:^|[\s_-])(?:sidebar|widgets?|footer|site-?footer|nav|navbar|navigation|"
    r"site-?header|masthead|top-?bar|menu|breadcrumbs?|cookie|newsletter|promo|pagination|pager|"
    r"share|social|sharing|tagcloud|banner|advert|ads?)(?:$|[\s_-])",
    re.I,
)
# the footer words of FURNITURE_RE: a footer's labelled date dates the page
FOOTER_RE = re.compile(r"(?:^|[\s_-])(?:site-?)?footer(?=$|[\s_-])", re.I)
# furniture whose headings name the site or a section, never the article
NAVIGATION_RE = re.compile(
    r"(?:^|[\s_-])(?:breadcrumbs?|nav|navbar|navigation|menu|masthead|site-?header|"
    r"top-?bar|sidebar|widgets?|footer|site-?footer)(?:$|[\s_-])",
    re.I,
)
CAMEL_RE = re.compile(r"([a-z])([A-Z])")
# headings that introduce lists of other pages or readers' comments
RELATED_HEADING_RE = re.compile(
    r"\s*(?:related|more (?:from|on|stories|news|articles)|read (?:more|also|next)|"
    r"see also|you (?:may|might) also|recommended|most (?:read|popular)|latest|"
    r"recent (?:posts|articles|news)|comments?|\d+ comments?|"
    r"mehr zum thema|mehr aus|mehr zu|weitere (?:artikel|beiträge|nachrichten|themen)|"
    r"lesen sie (?:auch|mehr)|auch interessant|das könnte sie|ähnliche|kommentare?|"
    r"neueste|meistgelesen|"
    r"читайте также|другие материалы|по теме|ещё по теме|комментари|"
    r"читайте також|інші матеріали|по темі|коментар|"
    r"à lire aussi|lire aussi|sur le même sujet|articles? similaires|commentaires?|"
    r"leer más|lee también|te puede interesar|noticias relacionadas|comentarios?|"
    r"entradas recientes|art[ií]culos recientes|derniers articles|letzte beiträge|"
    r"leggi anche|potrebbe interessarti|articoli correlati|commenti)",
    re.I,
)
# a region like "entry-footer" or "post-meta-footer" often holds the byline
REGION_EXCEPTIONS_RE = re.compile(
    r"(?:entry|post|article|story|byline|meta)[\s_-]*(?:footer|info|meta|date|tags)", re.I
)

# text that marks a "today is" widget or a copyright line near a date
TODAY_RE = re.compile(
    r"(?<!\w)(?:today is|today:|heute ist|heute:|aujourd'hui(?: nous sommes| c'est|\s?:)|"
    r"hoy es|hoy:|oggi è|oggi:|сегодня(?:\s?:|,)|сьогодні(?:\s?:|,)|dzisiaj jest)",
    re.I,
)
# widget and copyright texts are short; longer runs are prose or scripts
SHORT_TEXT = 160
COPYRIGHT_RE = re.compile(r"©|\(c\)|&copy;|copyright|\ball rights reserved", re.I)

# -- labels in visible text --------------------------------------------------

PUBLISHED_LABELS = (
    # en
    "first published", "published on", "published", "posted on", "posted",
    "date published", "publication date", "written on", "written",
    # de
    "veröffentlicht am", "veröffentlicht", "erschienen am", "erschienen",
    "erstellt am", "erstellt", "publiziert am", "publiziert", "datum",
    "erscheinungsdatum", "veröffentlichungsdatum", "geschrieben am",
    # ru / uk
    "опубликовано", "дата публикации", "опубліковано", "дата публікації",
    # fr
    "publié le", "publié", "mis en ligne le", "mise en ligne", "date de publication",
    # es / pt
    "publicado el", "publicado", "fecha de publicación", "publicado em",
    # it
    "pubblicato il", "pubblicato", "data di pubblicazione",
)
MODIFIED_LABELS = (
    # en
    "last updated on", "last updated", "last modified", "updated on", "updated",
    "last reviewed", "page last updated", "modified",
    # de
    "zuletzt aktualisiert am", "zuletzt aktualisiert", "aktualisiert am",
    "aktualisiert", "letzte aktualisierung", "letzte änderung", "geändert am",
    "stand",
    # ru / uk
    "обновлено", "последнее обновление", "изменено", "оновлено",
    "останнє оновлення", "змінено",
    # fr
    "mis à jour le", "mis à jour", "dernière mise à jour", "modifié le",
    # es / pt
    "actualizado el", "actualizado", "última actualización", "atualizado em",
    "atualizado",
    # it
    "aggiornato il", "aggiornato", "ultimo aggiornamento", "ultima modifica",
)


def _label_re(labels: tuple[str, ...]) -> str:
    ordered = sorted(labels, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


# a label, optional punctuation/preposition, then the date text (captured)
LABEL_RE = re.compile(
    r"(?<![\w])(?:(?P<mod>" + _label_re(MODIFIED_LABELS) + r")|(?P<pub>"
    + _label_re(PUBLISHED_LABELS) + r"))"
    r"(?![\w])\s*[:：.\-–—]?\s*(?:(?:on|am|le|el|il|em|on the|at|den|am:)\s+)?"
    r"(?=(?P<rest>.{4,60}))",
    re.I | re.S,
)

# German puts the verb last: "Dieser Beitrag wurde am 19. Mai 2010 um 23:03
# Uhr veröffentlicht"; the date sits between "am" and the participle
VERB_LAST_RE = re.compile(
    r"(?<![\w])(?:wurde|ist|war)\s+am\s+(?P<rest>[^\n]{6,45}?)\s+"
    r"(?:(?P<mod>aktualisiert|geändert|überarbeitet)|(?P<pub>veröffentlicht|gepostet|"
    r"publiziert|erstellt|geschrieben|eingestellt|erschienen))(?![\w])",
    re.I,
)

# at most this many characters between a label and its date
LABEL_GAP = 12
# ... and between a label and a date line's date, when only a time, a zone or
# punctuation stand between them ("Updated 1210 GMT (2010 HKT) March 14")
LABEL_REACH = 30
TIME_WORDS_RE = re.compile(r"\b(?:(?i:[ap]\.?m\.?|uhr|h|utc|gmt|at|um|à|le|el|on|am|the|den|"
                           r"il|em)|[A-Z]{1,4}T)\b")
LETTERS_RE = re.compile(r"[^\W\d_]")
# a labelled phrase ends at a line break, bar or bullet
PHRASE_END_RE = re.compile(r"[\n|·•]")
YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")

# class/itemprop words marking a <time> or byline element as one kind
KIND_HINT_RE = (
    ("modified", re.compile(r"updat|modif|aktualis|edited|changed|lastmod|actualiz|"
                            r"atualiz|aggiorn|mis-?a-?jour|obnovl", re.I)),
    ("published", re.compile(r"publish|posted|pubdate|created|entry-date|dateline|"
                             r"byline|post-date|article-date|date-published", re.I)),
)
# class words that name a visible date as the publication date ("publishInfo",
# "date-published"), unlike "byline" or "entry-date", which may show either
PUBLISHED_CLASS_RE = re.compile(r"publish|pubdate|posted-?on", re.I)
# a date the page visibly labels as published ("Veröffentlicht: 20. März",
# <p class="publish-date">) outranks hidden metadata that says otherwise: it is
# what readers see and cite
VISIBLE_PUBLISHED = 0.905

# class/id words of an element that carries the article's own date
DATE_CLASS_RE = re.compile(
    r"(?:^|[\s_-])(?:date|datum|time|timestamp|published|pubdate|posted|byline|"
    r"dateline|meta|entry-meta|post-meta|article-meta|fecha|data)(?:$|[\s_-])|"
    r"^Timestamp", re.I
)

# one element signature stating this many different days is a listing
LISTING_MIN_DAYS = 3

# -- URL paths -----------------------------------------------------------------

# a full date in the path is set when the page is first published and cannot
# change later without breaking links, unlike CMS metadata
URL_CONFIDENCE = 0.91
URL_DATE_RE = re.compile(
    r"(?<!\d)/((?:19|20)\d{2})[/_-]([01]?\d)[/_-]([0-3]?\d)(?:/|[_-]|\.|$)"
)
URL_COMPACT_RE = re.compile(r"(?<!\d)/?((?:19|20)\d{2})([01]\d)([0-3]\d)(?:[/_.-]|$)")
