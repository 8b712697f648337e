"""Pick the page's published and modified dates from its candidates.

Precedence is carried by each candidate's confidence, set where it is found:

| confidence | source                                                         |
|-----------:|----------------------------------------------------------------|
| 0.92-0.96  | a site rule (siterules.py): the publisher's known date element |
| 0.91       | a date in the URL path (/2024/08/19/): fixed when published    |
| 0.905      | a visible date the page labels as published, by a word         |
|            | ("Veröffentlicht:", an icon titled "Erscheinungsdatum") or a   |
|            | publish* class: what readers see outranks hidden metadata      |
| 0.90       | JSON-LD of the first Article-type object (0.80 for later ones) |
| 0.85/0.80  | `article:*` / OpenGraph / Dublin Core / `pubdate`-style meta   |
| 0.83       | `itemprop` datePublished/dateModified in the body              |
| 0.82       | JSON-LD of a WebPage-type object                               |
| 0.78/0.68  | the page's own object in a script's state (scripts.py: Next.js,|
|            | Nuxt, window.__INITIAL_STATE__), tied to it by URL, slug, id or|
|            | headline; 0.68 for createdAt; read only when nothing of 0.66   |
|            | (a dateline) or more dates the publication                     |
| 0.72       | `<time>` whose class or preceding label names its kind         |
| 0.70/0.62  | a date after a published/updated label in visible text (also   |
|            | German verb-last "wurde am ... veröffentlicht")                |
| 0.66       | the dateline: a short date line under the headline (0.61 over |
|            | it, where the masthead's clock may be; dateline.py); 0.70 for  |
|            | a press release's "PLACE (DATE) –" opening                     |
| 0.62       | a day under the headline printed without its year ("6月24日", |
|            | "24 июня, 11:30"), its year from the page's other dates        |
|            | (yearless.py; only where nothing of 0.66 dates the publication)|
| 0.60       | the first unlabelled `<time>`                                  |
| 0.58/0.50  | an unlabelled date line in a byline/date-classed element       |
| 0.58       | a lone dated object of a script tied to nothing (a data layer) |
| 0.58       | a header date kept only in an attribute right under the        |
|            | headline (`data-date`, `data-timestamp`; attributes.py; only   |
|            | where nothing of 0.66 dates the publication)                   |
| 0.55       | an unlabelled `<meta name="date">` / `dc.date`                 |
| 0.45       | htmldate's guess (only when no candidate at all, not even a    |
|            | modified-labelled one, reached 0.6, and never a day the page   |
|            | labels as modified)                                            |
| 0.20       | the HTTP Last-Modified header: evidence only, never chosen     |

The thresholds below and the weights of the URL and of htmldate's guess are one
``Tuning`` (the defaults are shown): the evaluation picks them on some sites and
scores them on others (bench/eval_dates.py, k-fold), so none is fitted to the pages
it is scored on.

Rules on top of the order:
- published comes from published- or unlabelled candidates, never from a
  modified-labelled one; modified only from modified-labelled ones. On a tie
  the labelled candidate wins, then the one found first in the page.
- when the winner is hidden metadata that the visible page does not confirm,
  and other metadata of at least 0.8 states a day the visible page does show
  (text, <time>), that day wins: the page contradicts itself and the reader
  sees one of its answers. A day the page labels as modified is never
  promoted this way (a visible date then shows the last edit).
- a modified date earlier than the published day is a mislabel and dropped,
  unless the page shows it and does not show the published day (its byline
  then tells the reader of an update the hidden metadata post-dates).
- a bare day from metadata or the URL yields to a date the page shows with its
  time of day on the neighbouring day: the bare day's zone is unknown.
- when the winner is stated in UTC and another candidate states the same
  instant with the page's own offset, the local one is kept, so the day is
  the one the page's readers see; failing that, a local statement (URL,
  visible text) of the adjacent day that instant falls on elsewhere wins
  unless another local statement confirms the UTC day; failing that, the
  instant is read in the zone of the page's own date statements (its
  metadata, its byline's <time>); only without one, in the zone the page
  writes its other timestamps in (page.page_zone), when one clearly dominates.
- a page that states only a modified date ("Stand: 12.03.2026", "Last
  updated ...") was, as far as its reader can tell, published then: that
  candidate fills both slots (its kind stays "modified", so verdicts and
  evidence show it was inferred). The gold set's label is "the date a careful
  reader would call the publication date", and that is this one.
- the HTTP Last-Modified header is never chosen: CMSs and caches set it to
  when the page was rendered, not when the article changed.
JSON-LD dateCreated counts as published at 0.10 below datePublished.
Candidates from comments, related-story lists, footers and widgets never get
here: the region rules in page.py keep collectors (and htmldate) away from
them; only a labelled "published/updated" statement in a footer, or in a
sidebar box that links to the page itself, counts as the page's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from crawler.extract.dates.fallback import CONFIDENCE as HTMLDATE_CONFIDENCE
from crawler.extract.dates.patterns import URL_CONFIDENCE
from crawler.models import DateCandidate, PageDates

PUBLISHED_KINDS = ("published", "unlabelled")
EVIDENCE_ONLY = frozenset({"header"})
# dates the reader sees on the page
VISIBLE = frozenset({"text", "time"})


@dataclass(frozen=True)
class Tuning:
    """The choice's thresholds, as one object: the evaluation (bench/eval_dates.py)
    picks them on some sites and scores them on others, so a value that only
    fits the pages it was chosen on shows up as a gap."""

    # below this, no candidate is trusted enough to skip htmldate's wider search
    fallback_below: float = 0.6
    # metadata this strong contradicting the winner makes the visible page arbiter
    contradiction_min: float = 0.8
    # a local day statement weaker than this does not overrule a UTC timestamp
    local_min_confidence: float = 0.5
    # weights of two sources whose rank decides many pages: a date in the URL path
    # (above JSON-LD and visible labels by default) and htmldate's guess
    url_confidence: float = URL_CONFIDENCE
    htmldate_confidence: float = HTMLDATE_CONFIDENCE

    def weighed(self, cand: DateCandidate) -> DateCandidate:
        """The candidate with this tuning's weight for its source, where it differs from the
        weight its collector gives (the default tuning changes nothing)."""
        if cand.source == "url":
            weight, default = self.url_confidence, URL_CONFIDENCE
        elif cand.source == "htmldate":
            weight, default = self.htmldate_confidence, HTMLDATE_CONFIDENCE
        else:
            return cand
        return cand if weight == default else replace(cand, confidence=weight)


DEFAULT = Tuning()
Fallback = Callable[[], "DateCandidate | None"]


def choose_dates(candidates: Iterable[DateCandidate],
                 page_zone: dt.timezone | Callable[[], dt.timezone | None] | None = None,
                 fallback: Fallback | None = None, tuning: Tuning = DEFAULT) -> PageDates:
    """``page_zone``: the offset the page writes its own timestamps in
    (page.page_zone), for a winner stated only in UTC; or a function that
    reads it, called only then (reading it scans every script of the page).
    ``fallback``: a function returning one more, weak candidate (htmldate's
    guess), called only when no candidate reaches ``tuning.fallback_below``."""
    cands = tuple(tuning.weighed(c) for c in candidates)
    if fallback is not None and not any(c.confidence >= tuning.fallback_below for c in cands):
        guess = fallback()
        # htmldate reads any date; one the page labels as modified is not published
        if guess is not None and all(c.day != guess.day for c in cands if c.kind == "modified"):
            cands += (tuning.weighed(guess),)
    choosable = tuple(c for c in cands if c.source not in EVIDENCE_ONLY)
    modified_days = {c.day for c in choosable if c.kind == "modified"}
    published = _best(choosable, PUBLISHED_KINDS, tuning, modified_days)
    later = choosable
    if published is not None:
        # an update the page shows stays though earlier than a published day it does not show
        shown = published.source in VISIBLE or _seen(published.day, choosable)
        later = tuple(c for c in choosable if c.day >= published.day or (c.source in VISIBLE and not shown))
    modified = _best(later, ("modified",), tuning)
    if published is None and modified is not None:
        published = modified  # the page's only date: inferred, see the module docstring
    if any(c is not None and _is_utc(c) for c in (published, modified)):
        page_zone = own_zone(cands) or (page_zone() if callable(page_zone) else page_zone)
    if page_zone is not None and not callable(page_zone):
        published, modified = _in_zone(published, page_zone), _in_zone(modified, page_zone)
    return PageDates(published=published, modified=modified, candidates=cands)


# sources that state the page's own dates (not htmldate's guess of any date, not the server's header)
OWN_SOURCES_EXCLUDED = frozenset({"htmldate", "header"})


def own_zone(cands: tuple[DateCandidate, ...]) -> dt.timezone | None:
    """The UTC offset the page's own date statements are written in (its metadata,
    its byline's <time>): the strongest one that is not UTC. Stray timestamps
    elsewhere in the page (other items, scripts) are page.page_zone's last resort."""
    local = [c for c in cands if c.source not in OWN_SOURCES_EXCLUDED
             and c.utc_offset not in (None, "+00:00")]
    if not local:
        return None
    best = max(local, key=lambda c: c.confidence)
    return dt.timezone(best.value.utcoffset())


def _in_zone(cand: DateCandidate | None, zone: dt.timezone) -> DateCandidate | None:
    """A UTC instant as the page's readers see it, in the page's own zone."""
    if cand is None or not _is_utc(cand):
        return cand
    return replace(cand, value=cand.value.astimezone(zone),
                   where=f"{cand.where} (in the page's zone)")


def _best(cands: tuple[DateCandidate, ...], kinds: tuple[str, ...], tuning: Tuning,
          modified_days: frozenset | set = frozenset()) -> DateCandidate | None:
    pool = [c for c in cands if c.kind in kinds]
    if not pool:
        return None
    order = {id(c): i for i, c in enumerate(pool)}
    best = max(pool, key=lambda c: (round(c.confidence, 3), c.kind != "unlabelled",
                                    -order[id(c)]))
    if "modified" not in kinds:
        best = _confirmed(best, pool, modified_days, tuning.contradiction_min)
    best = _precise_neighbour(best, pool)
    return _local_day(_local_twin(best, pool), pool, tuning.local_min_confidence)


# a visible date with its time of day at least this sure overrules a bare neighbouring day:
# a dateline or a labelled date, not the first unlabelled <time> (often a masthead clock,
# which shows the day after publication on a page fetched the next morning)
PRECISE_MIN = 0.62


def _precise_neighbour(best: DateCandidate, pool: list[DateCandidate]) -> DateCandidate:
    """A bare day from metadata or the URL ("2026-02-20", /2026/02/20/) does not say
    in which zone it was written; a date the page shows with its local time
    ("19. Februar 2026, 23:40") on the day before or after is the one its
    readers see, and wins."""
    if isinstance(best.value, dt.datetime) or best.source in VISIBLE:
        return best
    precise = [c for c in pool if c.source in VISIBLE and isinstance(c.value, dt.datetime)
               and c.confidence >= PRECISE_MIN and abs((c.day - best.day).days) == 1]
    if not precise or any(c.day == best.day and c.source in VISIBLE for c in pool):
        return best
    return max(precise, key=lambda c: c.confidence)


def _confirmed(best: DateCandidate, pool: list[DateCandidate], modified_days,
               contradiction_min: float) -> DateCandidate:
    """When the page's metadata contradicts itself (JSON-LD says the 4th,
    article:published_time the 6th), the day the visible page also states
    wins over an unconfirmed one, unless the page labels that day as its
    modified one (a visible date then shows the last edit)."""
    if best.source in VISIBLE or _seen(best.day, pool):
        return best
    rivals = [c for c in pool if c.day != best.day and c.source not in VISIBLE
              and c.confidence >= contradiction_min and c.day not in modified_days
              and _seen(c.day, pool)]
    return max(rivals, key=lambda c: c.confidence) if rivals else best


def _seen(day: dt.date, pool: list[DateCandidate]) -> bool:
    return any(c.source in VISIBLE and c.day == day for c in pool)


def _is_utc(cand: DateCandidate) -> bool:
    return cand.utc_offset == "+00:00"


def _local_day(best: DateCandidate, pool: list[DateCandidate], local_min: float) -> DateCandidate:
    """A UTC timestamp does not say which day the page's readers saw: when no
    local statement confirms its UTC day but one names a day that the same
    instant falls on somewhere (UTC-12 to UTC+14), that local day is kept."""
    if not _is_utc(best):
        return best
    local = [c for c in pool if not _is_utc(c) and c.confidence >= local_min]
    if any(c.day == best.day for c in local):
        return best
    instant = best.value
    days = {(instant + dt.timedelta(hours=h)).date() for h in (-12, 14)} - {best.day}
    nearby = [c for c in local if c.day in days]
    if not nearby:
        return best
    return max(nearby, key=lambda c: c.confidence)


def _local_twin(best: DateCandidate, pool: list[DateCandidate]) -> DateCandidate:
    """Prefer the same instant stated with the page's own (non-UTC) offset."""
    if not _is_utc(best):
        return best
    for cand in pool:
        if cand.utc_offset not in (None, "+00:00") and cand.value == best.value:  # aware, not UTC
            return cand
    return best
