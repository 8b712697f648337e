"""The dateline: the date printed just under (or over) the page's headline.

News and blog templates put the article's date line next to its title
("1. Februar 2022, Daniel Dillenburg", "13 Jan 2020, 22:11 GMT+10") with no
markup or label a collector could key on, while the same page's masthead may
show today's date and its sidebars other articles' dates. The headline is
found by matching a heading against the page's <title>/og:title, and only a
short line within a few words of it counts, so prose dates in the article
body never become datelines.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from crawler.extract.dates import patterns as P
from crawler.extract.dates.labels import label_in, profile_date
from crawler.extract.dates.page import WORD_TOKEN, Page, marks, squashed
from crawler.extract.dates.parse import date_span, first_date, parse_date, parse_iso
from crawler.models import DateCandidate

CONFIDENCE = 0.66  # above an unlabelled <time> (a masthead clock is often one)
# a line above the headline may be the masthead's clock: below a visible date with its time
# that could outrank a bare neighbouring day (choose.PRECISE_MIN)
BEFORE_CONFIDENCE = 0.61
LABELLED_CONFIDENCE = 0.7
# characters of visible text read on each side of the headline
AFTER, BEFORE = 300, 60
# the element holding a dateline is a short line, not a paragraph of prose
MAX_LINE = 100
MIN_HEADLINE = 12
# words other than the date itself that a date line may carry (a byline)
MAX_WORDS = 6
SENTENCE_WORDS = 4  # with a full stop at the end
_WORD = re.compile(r"[^\W\d_]{2,}")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
TITLE_OVERLAP = 0.75


def from_dateline(page: Page) -> list[DateCandidate]:
    headline = find_headline(page)
    if headline is None:
        return []
    before, after = around(page, headline)
    opening = _opening_post(page, headline, after)
    for side, runs, order in (("after", after, range(len(after))),
                              ("before", before, reversed(range(len(before))))):
        for i in order:
            text, owner = runs[i]
            prior = " ".join(t for t, _ in runs[max(0, i - 3):i])
            found = _dateline(text, owner, prior, page, side, opening)
            # an "updated ..." line is read by from_text; the date line is what
            # the page calls its date
            if found is not None and found.kind != "modified":
                return [found]
    return []


_POST_RE = re.compile(r"(?:^|[\s_-])(?:comments?|kommentare?|commentaires?|comentarios?|commenti|"
                      r"posts?|beitr(?:ag|ä|ae)ge?|messages?)(?=$|[\s_-])", re.I)
# posts of other threads or stories: "related-posts", "recent-posts", "popular-posts"
_OTHER_POSTS_RE = re.compile(r"related|recommend|popular|trending|teaser|recent|latest|newest|more|similar", re.I)


def _opening_post(page: Page, headline, after):
    """A forum thread's opening post, which the page marks up like the replies under it
    ("comment", "post"): its date is the thread's. Only the block that starts right at the
    headline, with no other text between them; after an article's text, such blocks are readers'."""
    if not after:
        return None
    opening = None
    for node in (after[0][1], *after[0][1].iterancestors()):
        if node.tag in ("body", "html", "main", "article") or headline in node.iterdescendants():
            break
        named = marks(node)
        if named and _OTHER_POSTS_RE.search(named):
            return None
        if named and _POST_RE.search(named):
            opening = node  # the outermost such block: the post, not its author line
    if opening is None or page.other_content(opening.getparent()):
        return None
    return opening


def find_headline(page: Page):
    """The first h1 (else h2/h3) that says what the page's title says, outside
    breadcrumbs, menus and mastheads."""
    titles = [t for t in _titles(page) if t.strip()]
    if not titles:
        return None
    for tag in ("h1", "h2", "h3"):
        for heading in page.tree.iter(tag):
            text = heading_text(heading)
            if (_matches(text, titles) and not _site_name(heading, page.url)
                    and not page.excluded(heading) and not _in_navigation(heading)):
                return heading
    return None


def _titles(page: Page) -> list[str]:
    """What the page says its title is: the <title> in its head, and its og:title."""
    titles = [title.text for title in page.elements("title")
              if title.text and getattr(title.getparent(), "tag", None) == "head"]
    return titles + [meta.get("content") for meta in page.elements("meta")
                     if meta.get("property") == "og:title" and meta.get("content")]


def heading_text(heading) -> str:
    """A heading's words as its <title> has them: "<br>" separates words, and a ruby's reading
    (Japanese furigana, <rt>/<rp>) is a gloss over the characters, not more of the text."""
    if heading.find(".//rt") is None:
        return " ".join(heading.itertext())
    return " ".join(heading.xpath(".//text()[not(ancestor::rt or ancestor::rp)]"))


def _matches(heading: str, titles: list[str]) -> bool:
    """The heading is the title or part of it ("Title | Site"), or nearly all
    of its words are the title's (a subtitle worded slightly differently)."""
    words = squashed(heading)
    if len(words) < MIN_HEADLINE:
        return False
    if any(words in squashed(t) or squashed(t) in words for t in titles):
        return True
    mine = set(WORD_TOKEN.findall(heading.lower()))
    return len(mine) >= 3 and any(
        len(mine & set(WORD_TOKEN.findall(t.lower()))) >= TITLE_OVERLAP * len(mine) for t in titles)


def _in_navigation(el) -> bool:
    for node in el.iterancestors():
        named = marks(node)
        if P.NAVIGATION_RE.search(named) and not P.REGION_EXCEPTIONS_RE.search(named):
            return True
    return False


def _site_name(heading, url: str) -> bool:
    """A heading that is one link to the site's (or blog's) home page names
    the site, which the <title> also carries, not the article."""
    links = heading.findall(".//a")
    if len(links) != 1 or squashed(links[0].text_content()) != squashed(heading.text_content()):
        return False
    target = urlsplit(urljoin(url, links[0].get("href", "")))
    here = urlsplit(url)
    if here.netloc and target.netloc and target.netloc != here.netloc:
        return False
    home = target.path.rstrip("/")
    return target.path != here.path and (here.path + "/").startswith(home + "/")


def around(page: Page, headline):
    """Visible text runs (text, owner) just before and just after the headline."""
    runs = page.runs() if page.elements("body") else []
    inside = set(headline.iter())
    positions = [i for i, (_, owner) in enumerate(runs) if owner in inside]
    if not positions:
        return [], []
    start, end = positions[0], positions[-1]
    return (_take(reversed(runs[:start]), BEFORE)[::-1],
            _take(runs[end + 1:], AFTER))


def _take(runs, limit: int) -> list[tuple[str, object]]:
    """Runs up to ``limit`` characters, stopping at the next heading: past it
    starts another section (a sidebar's "Recent posts", the next teaser)."""
    out, size = [], 0
    for text, owner in runs:
        if size >= limit or _in_heading(owner):
            break
        if text.strip():
            out.append((text, owner))
            size += len(text.strip())
    return out


def _in_heading(el) -> bool:
    return any(node.tag in _HEADINGS for node in (el, *el.iterancestors()))


def _dateline(text: str, owner, prior: str, page: Page, side: str, opening=None) -> DateCandidate | None:
    """``prior``: the text just before ``text``, where a label would be; ``opening``: a thread's
    opening post right under the headline (``_opening_post``), the page's own though marked as a reply."""
    stamp = parse_iso(owner.get("datetime") or "") if owner.tag == "time" else None
    # a <time> shows "2 days ago" or "14:05" to readers; its datetime is the date
    hit = (stamp, 0) if stamp is not None else first_date(text, page.month_first)
    if hit is not None and profile_date(prior + " " + text[:hit[1]]):
        return None
    line = re.sub(r"\s+", " ", owner.text_content()).strip()
    press = _press_dateline(line, page) if len(line) > MAX_LINE and not page.other_content(owner) else None
    if press is not None:
        return DateCandidate("published", "text", f"press-release dateline {side} headline",
                             line[:120], press, LABELLED_CONFIDENCE)
    if hit is None:
        return None
    own_post = opening is not None and (owner is opening or opening in owner.iterancestors())
    if (len(line) > MAX_LINE or _prose(line) or P.COPYRIGHT_RE.search(line)
            or P.TODAY_RE.search(line) or (page.other_content(owner) and not own_post)):
        return None
    kind, conf = "unlabelled", CONFIDENCE if side == "after" else BEFORE_CONFIDENCE
    label = label_in(prior + " " + text[:hit[1]])
    if label:
        kind, conf = label, LABELLED_CONFIDENCE
    return DateCandidate(kind, "text", f"dateline {side} headline", line[:200],
                         hit[0], conf)


# a dateline's place has a few words ("NEW YORK", "Frankfurt am Main"); beside the date, its
# parenthesis holds at most an agency's name ("ots", "dpa", "AP")
PLACE_WORDS, AGENCY_WORDS = 4, 2


def _press_dateline(line: str, page: Page):
    """The date of a press release's opening "PLACE (DATE) –" or "PLACE, DATE /WIRE/ --",
    which starts a paragraph of prose that would otherwise not count as a date line; an aside
    in a sentence ("The summit (held on 3 March 2026) – ...") has more words around it."""
    m = P.PRESS_DATELINE_RE.match(line)
    if m is None:
        return None
    group = "date" if m["date"] else "wire"
    place = line[:m.start(group)].rstrip(" ,(")
    if len(place.split()) > PLACE_WORDS:
        return None
    inside = m[group]
    hit = date_span(inside, page.month_first, page.lang)
    if hit is not None:
        rest = inside[:hit[1]] + " " + inside[hit[2]:]
        return hit[0] if len(_WORD.findall(rest)) <= AGENCY_WORDS else None
    value = parse_date(inside, page.lang, page.month_first, slow=True)
    return value if value is not None and len(inside.split()) <= AGENCY_WORDS + 4 else None


def _prose(line: str) -> bool:
    """A sentence that mentions a date ("the next meeting is on 5 May 2020 at
    the library"), unlike a date line ("5 May 2020, Jane Roe")."""
    hit = date_span(line)
    start, end = (hit[1], hit[2]) if hit else (len(line), len(line))
    words = _WORD.findall(line[:start]) + _WORD.findall(line[end:])
    sentence = line.endswith((".", "!", "?")) and len(words) >= SENTENCE_WORDS
    return sentence or len(words) > MAX_WORDS
