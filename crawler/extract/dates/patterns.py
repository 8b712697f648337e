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
    # embedded posts of other accounts, schedules and programme guides
    r"twitter-?tweet|instagram-?media|tiktok-?embed|fb-?post|social-?embed|embedded-?post|"
    r"schedule|tv-?guide|epg|programme-?guide|sendeplan|spielplan|upcoming|event-?list|events-?list|"
    r"copyright)(?=$|[\s_-])",
    re.I,
)
# a region word in a compound class name names only part of a byline when the
# name also says byline/meta/date ("byline-comments", "entry-meta-replies"), or
# ends in a part such as a count or link ("comments-count", "related-link")
REGION_PART_RE = re.compile(
    r"(?:byline|dateline|meta|author|posted|published)|"
    r"(?:[_-])(?:count|counter|counts|number|num|link|links|icon|btn|button|bubble|label|"
    r"text|total|anchor|toggle)$", re.I)
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
    r"hoy es|hoy:|oggi è|oggi:|сегодня(?:\s?:|,)|сьогодні(?:\s?:|,)|dzisiaj jest|"
    r"bugün(?:\s?:|,)|бүгін(?:\s?:|,)|امروز\s?:|اليوم\s?:|今日は|今天是|오늘은)",
    re.I,
)
# a member's profile line in a forum post: never when the page was published (by its
# label: a class such as "user-profile" also wraps the author line of a byline)
PROFILE_RE = re.compile(
    r"(?<!\w)(?:joined|member since|registered(?: since| on)?|mitglied seit|registriert seit|"
    r"dabei seit|beigetreten|anmeldedatum|inscrit(?: le| depuis)?|membre depuis|miembro desde|"
    r"registrado(?: desde| el)?|iscritto (?:dal|il)|lid sinds|зарегистрирован|на сайте с|"
    r"участник с|з нами з|üyelik tarihi|katılım)\s*:?", re.I)
# a press release opens its first paragraph with place and date: "WASHINGTON (March 3,
# 2026) – ...", "Berlin (dpa, 12.03.2026) - ...", "NEW YORK, March 3, 2026 /PRNewswire/ -- ..."
PRESS_DATELINE_RE = re.compile(
    r"^\s*[^\W\d_][^()\n]{0,50}?\(\s*(?P<date>[^()\n]{6,40}?)\s*\)\s*[-–—:]"
    r"|^\s*[^\W\d_][^\n/]{0,50}?,\s*(?P<wire>[^\n/]{6,30}?)\s*/[^/\n]{2,30}/\s*[-–—]")
# widget and copyright texts are short; longer runs are prose or scripts
SHORT_TEXT = 160
COPYRIGHT_RE = re.compile(r"©|\(c\)|&copy;|copyright|\ball rights reserved", re.I)

# -- labels in visible text --------------------------------------------------

PUBLISHED_LABELS = (
    # en
    "first published", "published on", "published", "posted on", "posted",
    "date published", "publication date", "written on", "written", "pub date",
    # de
    "veröffentlicht am", "veröffentlicht", "erschienen am", "erschienen",
    "erstellt am", "erstellt", "publiziert am", "publiziert", "datum",
    "erscheinungsdatum", "veröffentlichungsdatum", "geschrieben am", "verfasst am",
    # ru / uk / kk
    "опубликовано", "дата публикации", "опубліковано", "дата публікації",
    "жарияланды", "жарияланған", "жариялану уақыты", "jarııalandy", "jariyalandi",
    # fr
    "publié le", "publié", "mis en ligne le", "mise en ligne", "date de publication",
    # es / pt
    "publicado el", "publicado", "fecha de publicación", "publicado em", "publicação",
    # it
    "pubblicato il", "pubblicato", "data di pubblicazione",
    # nl / nordic / pl / cs / hu / tr
    "gepubliceerd op", "gepubliceerd", "geplaatst op", "publicerad", "publiceret", "udgivet",
    "publisert", "julkaistu", "opublikowano", "publikováno", "zveřejněno", "publikálva",
    "közzétéve", "yayınlanma tarihi", "yayınlanma", "yayınlandı", "yayın tarihi",
    # ar / fa
    "نشر في", "نُشر في", "تاريخ النشر", "نشر بتاريخ", "تاریخ انتشار", "منتشر شده",
    "زمان انتشار",
    # zh / ja / ko (no spaces: the label runs straight into the date)
    "发布时间", "發布時間", "发布日期", "發佈時間", "发表于", "發表於", "公開日", "投稿日",
    "掲載日", "配信日", "公開", "投稿", "입력", "게시일", "등록일",
)
MODIFIED_LABELS = (
    # en
    "last updated on", "last updated", "last modified", "updated on", "updated",
    "last reviewed", "page last updated", "modified", "last edited",
    # abbreviated: only with their full stop or colon ("Upd.:", "Akt.", "Act:", "Обн.")
    "upd.", "upd:", "updt.", "akt.", "aktual.", "act.", "act:", "agg.", "обн.", "maj.", "màj",
    # de
    "zuletzt aktualisiert am", "zuletzt aktualisiert", "aktualisiert am",
    "aktualisiert", "letzte aktualisierung", "letzte änderung", "geändert am",
    "stand", "zuletzt geändert", "überarbeitet am",
    # ru / uk / kk
    "обновлено", "последнее обновление", "изменено", "оновлено", "обновлён", "обновлен",
    "останнє оновлення", "змінено", "жаңартылды", "jańartyldy", "janartildi",
    # fr
    "mis à jour le", "mis à jour", "dernière mise à jour", "modifié le",
    "actualisé le", "actualisé",
    # es / pt
    "actualizado el", "actualizado", "última actualización", "atualizado em",
    "atualizado", "actualización", "atualização",
    # it
    "aggiornato il", "aggiornato", "ultimo aggiornamento", "ultima modifica",
    # nl / nordic / pl / cs / hu / tr
    "bijgewerkt op", "bijgewerkt", "gewijzigd op", "laatst gewijzigd", "uppdaterad", "opdateret",
    "oppdatert", "päivitetty", "zaktualizowano", "aktualizacja", "aktualizováno", "frissítve",
    "módosítva", "güncellendi", "güncelleme", "son güncelleme", "güncelleme tarihi",
    # ar / fa
    "آخر تحديث", "تم التحديث", "تحديث", "تاريخ التحديث", "به‌روزرسانی", "بروزرسانی",
    "به روز رسانی", "آخرین به‌روزرسانی",
    # zh / ja / ko
    "更新时间", "更新時間", "更新日", "最終更新日", "最終更新", "更新", "수정", "업데이트",
)
LABELS: dict[str, str] = {
    **{w: "published" for w in PUBLISHED_LABELS}, **{w: "modified" for w in MODIFIED_LABELS}}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _is_word(label: str) -> bool:
    """A label that must end a word: it ends in a letter of a script with spaces."""
    return label[-1].isalpha() and not _CJK.match(label[-1])


def trie_pattern(words) -> str:
    """One regex for many words, as a trie ("publi(?:shed|é)..."): the scanner
    tries each position's character once instead of every word in turn."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [(r"\s+" if c == " " else re.escape(c)) + emit(node[c]) for c in sorted(node) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
        return body + ("?" if "" in node else "")

    return emit(root)


# any label, in lower-cased text; a word label must end a word, a CJK one (or "upd.") may run into its date.
# Scanned once over the page's text: kept free of look-behinds and IGNORECASE, which
# make the scanner try every word at every position (the caller checks the word start)
# The look-ahead of every label's first character changes no match (the trie starts with one of
# them) but lets the scanner pass over any other position at once: half the scan's time.
_LABEL_FIRSTS = sorted({w[0] for w in LABELS})
assert " " not in _LABEL_FIRSTS  # a leading space would be \s+ in the trie, not this character
LABEL_SCAN_RE = re.compile(
    "(?=[" + re.escape("".join(_LABEL_FIRSTS)) + "])(?:"
    "(?:" + trie_pattern(w for w in LABELS if _is_word(w)) + r")(?!\w)|"
    + trie_pattern(w for w in LABELS if not _is_word(w)) + ")")
# what may stand between a label and its date: punctuation, a preposition
LABEL_TAIL_RE = re.compile(
    r"\.?\s*[:：.\-–—]?\s*(?:(?:on|am|le|el|il|em|on the|at|den|am:|في|در)\s+)?", re.I)
# characters of text after a label read for its date
LABEL_TEXT = 60
# a character that no label holds, nor what LABEL_TAIL_RE passes over between a label and its
# date: a digit, or a sign other than theirs (".", ":", a dash, a Persian zero-width non-joiner)
_LABEL_SIGNS = {c for w in LABELS for c in w if not re.match(r"[\w\s]", c)} | set(":：.-–—")
LABEL_WALL_RE = re.compile("[^\\w\\s" + re.escape("".join(sorted(_LABEL_SIGNS))) + "]|\\d")

# German puts the verb last: "Dieser Beitrag wurde am 19. Mai 2010 um 23:03
# Uhr veröffentlicht"; the date sits between "am" and the participle
# (the look-ahead, under the same IGNORECASE, matches what the verbs' first letters match: it only skips
# every other position at once, half the scan's time)
VERB_LAST_RE = re.compile(
    r"(?=[wis])(?<![\w])(?:wurde|ist|war)\s+am\s+(?P<rest>[^\n]{6,45}?)\s+"
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


def date_classed(named: str) -> bool:
    """Whether class/id words name a date or byline element (DATE_CLASS_RE). Every match holds
    one of these words; tested first with ``in`` on the lower-cased names, they spare the
    pattern's scan of the nine elements in ten that name nothing of the kind."""
    low = named.lower()
    return (("dat" in low or "time" in low or "meta" in low or "byline" in low or "publish" in low
             or "posted" in low or "fecha" in low) and DATE_CLASS_RE.search(named) is not None)


# one element signature stating this many different days is a listing
LISTING_MIN_DAYS = 3
# ... or this many different moments (times of day) of any days
LISTING_MIN_MOMENTS = 3

# -- URL paths -----------------------------------------------------------------

# a full date in the path is set when the page is first published and cannot
# change later without breaking links, unlike CMS metadata
URL_CONFIDENCE = 0.91
URL_DATE_RE = re.compile(
    r"(?<!\d)/((?:19|20)\d{2})[/_-]([01]?\d)[/_-]([0-3]?\d)(?:/|[_-]|\.|$)"
)
URL_COMPACT_RE = re.compile(r"(?<!\d)/?((?:19|20)\d{2})([01]\d)([0-3]\d)(?:[/_.-]|$)")
