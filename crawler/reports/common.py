"""What every report must agree on, so that the terminal, the HTML page and CI
tell the same story: the order of references, which check a verdict is about,
a one-line reading of the date evidence, and for the editor's reports each
problem with a suggested fix (``problems``) in the report's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from crawler.checks import linkstatus
from crawler.checks.policy import ALIASES

from . import i18n

GROUP_ORDER = ("fail", "warn", "pass")
CHECKS = ("link", "date", "pages", "title")  # priority when several checks complain

# How much each field verdict weighs when deciding what a reference's trouble
# is "about" (2: wrong, 1: doubtful). Link verdicts not listed as fine weigh 2.
LINK_FINE = frozenset({"ok", "redirected"})
VERDICT_WEIGHTS = {
    "date": {"mismatch": 2, "claim_unknown": 1, "no_page_date": 1},
    "pages": {"out_of_range": 2},
    "title": {"differs": 1},
}

_FOOTNOTE = re.compile(r"\s*(\d+)(.*)", re.S)
_QUOTED = re.compile(r"""["']([^"']+)["']""")


def footnote_key(footnote: object) -> tuple:
    """Footnote "2" before "10", "6a" after "6", non-numbers last."""
    text = "" if footnote is None else str(footnote)
    match = _FOOTNOTE.match(text)
    if match:
        return (0, int(match[1]), match[2].strip())
    return (1, 0, text)


def ordered(results: Iterable[dict]) -> list[dict]:
    """Failures, then warnings, then passes; by footnote, then reference order."""
    rank = {overall: i for i, overall in enumerate(GROUP_ORDER)}
    return sorted(
        results,
        key=lambda r: (rank.get(r.get("overall"), len(rank)), footnote_key(r.get("footnote"))),
    )


def grouped(results: Iterable[dict]) -> list[tuple[str, list[dict]]]:
    """The non-empty verdict groups, in report order."""
    rows = ordered(results)
    return [
        (overall, [r for r in rows if r.get("overall") == overall])
        for overall in GROUP_ORDER
        if any(r.get("overall") == overall for r in rows)
    ]


def counts(results: Iterable[dict]) -> dict[str, int]:
    """Counted from the results themselves, so a report never contradicts its rows."""
    tally = dict.fromkeys(GROUP_ORDER, 0)
    for r in results:
        overall = r.get("overall")
        if overall in tally:
            tally[overall] += 1
    return tally


def sub(result: dict, part: str, key: str) -> object:
    """``result[part][key]`` where ``result[part]`` may be None."""
    return (result.get(part) or {}).get(key)


def reason_check(reason: str, areas: Iterable[str] = CHECKS) -> str | None:
    """The check (or other area) a reason line speaks of: "date: claimed ..." -> "date",
    "link no_url: ..." -> "link"."""
    head = re.split(r"[\s:]", reason.strip(), maxsplit=1)[0].lower()
    return head if head in areas else None


def check_weights(result: dict) -> dict[str, int]:
    link = result.get("link")
    weights = {"link": 0 if link is None or link in LINK_FINE else 2}
    for check, table in VERDICT_WEIGHTS.items():
        weights[check] = table.get(sub(result, check, "verdict"), 0)
    return weights


def primary_check(result: dict) -> str:
    """The one check a reference's verdict is mainly about (link, date, pages, title)."""
    weights = check_weights(result)
    worst = max(CHECKS, key=lambda c: weights[c])  # first of equals: CHECKS is priority
    if weights[worst]:
        return worst
    for reason in result.get("reasons") or ():
        check = reason_check(reason)
        if check:
            return check
    return "link"


def primary_reason(result: dict) -> str | None:
    """The reason line that belongs to the primary check, else the first one."""
    reasons = result.get("reasons") or []
    check = primary_check(result)
    for reason in reasons:
        if reason_check(reason) == check:
            return reason
    return reasons[0] if reasons else None


def where_label(evidence: dict) -> str:
    """'json-ld datePublished', 'meta article:published_time': where, briefly."""
    source = str(evidence.get("source") or "")
    where = str(evidence.get("where") or "")
    quoted = _QUOTED.findall(where)
    short = quoted[-1] if quoted else (where.split()[-1] if where.split() else "")
    if not short or short == source:
        return source
    if not source or short.startswith(source):
        return short
    return f"{source} {short}"


def chosen_evidence(date: dict, kind: str) -> dict | None:
    """The evidence that backs the page's chosen published/modified day."""
    day = date.get(kind)
    matches = [
        e for e in date.get("evidence") or () if e.get("kind") == kind and e.get("date") == day
    ]
    if not matches:
        matches = [e for e in date.get("evidence") or () if e.get("date") == day]
    return max(matches, key=lambda e: e.get("confidence") or 0, default=None)


def evidence_brief(date: dict | None) -> str | None:
    """'page: published 2026-02-18 (json-ld datePublished); modified ...'."""
    if not date:
        return None
    parts = []
    for kind in ("published", "modified"):
        day = date.get(kind)
        if not day:
            continue
        evidence = chosen_evidence(date, kind)
        parts.append(f"{kind} {day}" + (f" ({where_label(evidence)})" if evidence else ""))
    return "page: " + "; ".join(parts) if parts else None


def document_title(run: dict) -> str:
    doc = run.get("document") or {}
    return str(doc.get("title") or run.get("citations") or "citecheck run")


def document_line(run: dict) -> str:
    """'Title (publisher, issue)' for headers."""
    doc = run.get("document") or {}
    extra = ", ".join(str(doc[k]) for k in ("publisher", "issue") if doc.get(k))
    title = document_title(run)
    return f"{title} ({extra})" if extra else title


def notes(result: dict) -> list[str]:
    """What an editor can do next, shown in every report beside the reasons:
    the archived copy nearest the claimed date, a change since the last run,
    how long a failure has lasted."""
    lines = []
    rescue = result.get("rescue")
    if rescue:
        days = rescue.get("days_from_claim")
        when = "" if days is None else f", {abs(days)} days {'after' if days >= 0 else 'before'} the claimed date"
        lines.append(f"archived copy: {rescue['archived_url']} ({rescue['archived_at'][:10]}{when}; {rescue['service']})")
    change = result.get("change") or {}
    if change.get("status") == "changed":
        at_risk = sub(result, "date", "claimed")
        risk = f"; claimed date {at_risk} at risk" if at_risk and at_risk != "unknown" else ""
        lines.append(f"changed since last run {change.get('previous_run')} "
                     f"(text similarity {change.get('text_similarity')}){risk}")
    since = result.get("failing_since")
    if since and since["runs"] > 1:  # a first failure has no history to tell
        lines.append(f"failing since {since['first_run_at'][:10]} ({since['runs']} runs)")
    claim = claim_note(result.get("claim"))
    if claim:
        lines.append(claim)
    return lines


def claim_note(claim: dict | None) -> str | None:
    """One line on the citing sentence: which of its anchors the source bears out (unsupported ones
    are a reason already)."""
    if not claim or claim.get("verdict") not in ("supported", "partly"):
        return None
    found = [a["text"] for a in claim["anchors"] if a["found"]]
    missing = [a["text"] for a in claim["anchors"] if not a["found"]]
    if not missing:
        return f"claim: the source bears out the sentence's {', '.join(found)}"
    return (f"claim: partly borne out ({len(found)} of {len(found) + len(missing)}): found {', '.join(found)}; "
            f"not in the source: {', '.join(missing)}")


# -- what the editor must fix, and how -------------------------------------------

DEFAULT_FAILS = ALIASES["default"]
SEVERITY_RANK = {"fail": 0, "warn": 1, "note": 2, "pass": 3}
BAD_ADDRESS = frozenset({"invalid_url", "unsafe_url"})
TURNED_AWAY = frozenset({"blocked", "rate_limited"})


class Problem(NamedTuple):
    """One thing wrong with a reference (or a tip, severity "note") and what to do about it."""

    severity: str  # fail | warn | note
    check: str  # link | date | title | pages | passage | claim | other
    text: str
    fix: str
    urls: tuple[str, ...] = ()  # addresses named in the text or fix, for renderers that link them


def problems(result: dict, lang: str = "en", checked_on: str | None = None) -> list[Problem]:
    """Each problem of a reference with its suggested fix, built from the result's fields (not its English
    reasons, so that it can be said in any language), then the tips. ``checked_on``: the run's start,
    the day an editor can cite as the date of access."""
    found = [*_link(result, lang), *_date(result, lang, checked_on), *_title(result, lang), *_pages(result, lang),
             *_passage(result, lang), *_claim(result, lang)]
    found += _unexplained(result, found, lang)
    out = [Problem(_severity(result, token, check), check, text, fix, urls)
           for token, check, text, fix, urls in found]
    return out + _tips(result, lang, rescued=any("rescue" == t for t, *_ in found))


def _severity(result: dict, token: str, check: str) -> str:
    """The policy's reasons list failures first, so a failing reference's first reason fails; so do the
    findings that fail by default. (A custom ``--fail-on`` with several findings may be told as a warning.)"""
    overall = result.get("overall")
    if overall == "pass" or token == "tip":
        return "note"
    reasons = result.get("reasons") or [""]
    if overall == "fail" and (token in DEFAULT_FAILS or check == _area(reasons[0])):
        return "fail"
    return "warn"


def _area(reason: str) -> str:
    """The part of the report a reason belongs to: a check, the cited passage, a claim, or other."""
    return reason_check(reason, (*CHECKS, "passage", "claim")) or "other"


def _link(result: dict, lang: str) -> list[tuple]:
    link = result.get("link")
    if link is None or link in linkstatus.LIVE:
        return []
    t = lambda key, **kw: i18n.text(lang, key, **kw)  # noqa: E731
    what, source = link_words(result, lang), result.get("source")
    if link == "no_url":
        return [(link, "link", t("problem.no_url"), t("fix.no_url", id=source), ())]
    if link in BAD_ADDRESS:
        return [(link, "link", t("problem.bad_address", what=what), t("fix.bad_address", id=source), ())]
    if link in linkstatus.DEAD:
        rescue = result.get("rescue")
        if rescue:
            fix = t("fix.dead_rescue", date=i18n.day(rescue["archived_at"], lang), when=_when(rescue, lang),
                    url=rescue["archived_url"])
            return [("rescue", "link", t("problem.dead", what=what), fix, (rescue["archived_url"],))]
        return [(link, "link", t("problem.dead", what=what), t("fix.dead"), ())]
    if link in TURNED_AWAY:
        return [(link, "link", t("problem.blocked", what=what), t("fix.blocked"), ())]
    if link in linkstatus.UNREADABLE:
        return [(link, "link", t("problem.unreadable", what=what), t("fix.unreadable"), ())]
    since = result.get("failing_since")
    fix = (t("fix.transient_lasting", runs=i18n.count(lang, "n.run", since["runs"]),
             date=i18n.day(since["first_run_at"], lang))
           if result.get("overall") == "fail" and since else t("fix.transient"))
    return [(link, "link", t("problem.transient", what=what), fix, ())]


def link_words(result: dict, lang: str) -> str:
    """A link verdict as a phrase, with the HTTP status where it helps."""
    link = str(result.get("link"))
    key = f"link.{link}"
    words = (i18n.text(lang, key) if key in i18n.MESSAGES[lang]
             else str(result.get("link_detail") or i18n.text(lang, "link.other", code=link)))
    status = result.get("http_status")
    return f"{words} (HTTP {status})" if status and "HTTP" not in words else words


def _when(rescue: dict, lang: str) -> str:
    days = rescue.get("days_from_claim")
    if days is None:
        return rescue.get("service") or ""
    return i18n.count(lang, "n.day_after" if days >= 0 else "n.day_before", abs(days))


def _date(result: dict, lang: str, checked_on: str | None) -> list[tuple]:
    date = result.get("date") or {}
    verdict, claimed = date.get("verdict"), i18n.claimed_day(date.get("claimed"), lang)
    t = lambda key, **kw: i18n.text(lang, key, **kw)  # noqa: E731
    out = []
    if verdict in ("mismatch", "claim_unknown"):
        target, which = page_day(date)
        fix, urls = _or_archived(t("fix.set_date", date=i18n.day(target, lang), which=t(f"which.{which}")),
                                 result, lang)
        out.append((verdict, "date", t(f"problem.{verdict}", claimed=claimed, page=page_facts(date, lang)), fix, urls))
    elif verdict == "no_page_date" and date.get("claimed") == "unknown":
        out.append(("no_page_date", "date", t("problem.no_date_anywhere"),
                    t("fix.no_date_anywhere", date=i18n.day(checked_on, lang)) if checked_on else "", ()))
    elif verdict == "no_page_date":
        out.append(("no_page_date", "date", t("problem.no_page_date", claimed=claimed), t("fix.no_page_date"), ()))
    if date.get("updated_since_claim"):
        modified = i18n.day(date.get("modified"), lang)
        fix, urls = _or_archived(t("fix.updated", date=modified), result, lang)
        out.append(("updated", "date", t("problem.updated", modified=modified, claimed=claimed), fix, urls))
    return [("rescue" if urls else token, *rest, urls) for token, *rest, urls in out]


def page_day(date: dict) -> tuple[str, str]:
    """The page's day a claim should name, and which it is: the suggestion, else the last update."""
    day = date.get("suggested") or date.get("modified") or date.get("published")
    return day, "modified" if day == date.get("modified") else "published"


def page_facts(date: dict, lang: str) -> str:
    """'published 9 March 2026, last updated 10 March 2026'."""
    return ", ".join(f"{i18n.text(lang, f'kind.{k}')} {i18n.day(date[k], lang)}"
                     for k in ("published", "modified") if date.get(k))


def _or_archived(fix: str, result: dict, lang: str) -> tuple[str, tuple[str, ...]]:
    rescue = result.get("rescue")
    if not rescue:
        return fix, ()
    url = rescue["archived_url"]
    return f"{fix} {i18n.text(lang, 'fix.or_archived', date=i18n.day(rescue['archived_at'], lang), url=url)}", (url,)


def _title(result: dict, lang: str) -> list[tuple]:
    title = result.get("title") or {}
    verdict, page = title.get("verdict"), i18n.quoted(title.get("page"), lang)
    t = lambda key, **kw: i18n.text(lang, key, **kw)  # noqa: E731
    language = i18n.language_name(title.get("language"), lang)
    cited = i18n.language_name(title.get("cited_language"), lang)
    if verdict == "differs" and title.get("language"):
        return [("title", "title", t("problem.title_foreign", language=language, page=page), t("fix.title_foreign"), ())]
    if verdict == "differs":
        return [("title", "title", t("problem.title_differs", page=page), t("fix.title_differs"), ())]
    if verdict != "translation":
        return []
    problem = t("problem.translation", language=language, cited=cited)
    if title.get("edition_title") and title.get("edition_url"):
        url = title["edition_url"]
        return [("tip", "title", problem, t("fix.edition", cited=cited, url=url), (url,))]
    return [("title", "title", problem, t("fix.translation", cited=cited, page=page), ())]


def _pages(result: dict, lang: str) -> list[tuple]:
    pages = result.get("pages") or {}
    if pages.get("verdict") != "out_of_range":
        return []
    return [("out_of_range", "pages",
             i18n.text(lang, "problem.out_of_range", cited=pages.get("cited"), count=pages.get("page_count")),
             i18n.text(lang, "fix.out_of_range"), ())]


def _passage(result: dict, lang: str) -> list[tuple]:
    if (result.get("passage") or {}).get("verdict") != "not_found":
        return []
    return [("passage", "passage", i18n.text(lang, "problem.passage"), i18n.text(lang, "fix.passage"), ())]


def _claim(result: dict, lang: str) -> list[tuple]:
    claim = result.get("claim") or {}
    if claim.get("verdict") != "unsupported":
        return []
    contradiction = claim.get("contradiction")
    if contradiction:
        return [("unsupported", "claim", i18n.text(lang, "problem.contradiction", **contradiction),
                 i18n.text(lang, "fix.contradiction"), ())]
    missing = ", ".join(a["text"] for a in claim.get("anchors") or ())
    return [("unsupported", "claim", i18n.text(lang, "problem.unsupported", missing=missing),
             i18n.text(lang, "fix.unsupported"), ())]


def _unexplained(result: dict, found: list[tuple], lang: str) -> list[tuple]:
    """A reason no field explains (a finding newer than this renderer) is still shown, as written."""
    if result.get("overall") == "pass":
        return []
    explained = {check for _, check, *_ in found}
    return [("other", _area(reason), i18n.text(lang, "problem.other", reason=reason), "", ())
            for reason in result.get("reasons") or () if _area(reason) not in explained]


def _tips(result: dict, lang: str, rescued: bool) -> list[Problem]:
    """What is worth knowing beside the verdicts: a change since the last run, a lasting failure,
    an archived copy no fix has named yet, parts of the page that could not be read."""
    t = lambda key, **kw: i18n.text(lang, key, **kw)  # noqa: E731
    out = []
    change = result.get("change") or {}
    if change.get("status") == "changed":
        claimed = sub(result, "date", "claimed")
        similarity = change.get("text_similarity")
        text = t("note.changed", date=i18n.day(_run_day(change.get("previous_run")), lang),
                 similarity=i18n.percent(similarity, lang) if isinstance(similarity, (int, float)) else "?")
        fix = (t("fix.changed_claim", claimed=i18n.day(claimed, lang)) if claimed and claimed != "unknown"
               else t("fix.changed"))
        out.append(Problem("note", "other", text, fix))
    since = result.get("failing_since")
    if since and since["runs"] > 1:
        out.append(Problem("note", "other", t("note.failing_since", date=i18n.day(since["first_run_at"], lang),
                                              runs=i18n.count(lang, "n.run", since["runs"])), ""))
    rescue = result.get("rescue")
    if rescue and not rescued:
        out.append(Problem("note", "link", t("note.rescue", date=i18n.day(rescue["archived_at"], lang),
                                             when=_when(rescue, lang), url=rescue["archived_url"]), "",
                           (rescue["archived_url"],)))
    if result.get("unread"):
        out.append(Problem("note", "other", t("note.unread"), ""))
    return out


def _run_day(run_id: object) -> str:
    """'20261101T000000Z-aaaa' -> '2026-11-01' (a run id starts with its UTC start)."""
    text = str(run_id or "")
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if re.match(r"\d{8}T", text) else text


def claim_words(claim: dict | None, lang: str) -> str | None:
    """'the source bears out X; not in the source: Y' for a checked claim."""
    if not claim or claim.get("verdict") in (None, "not_checked") or not claim.get("anchors"):
        return None
    found = [a["text"] for a in claim["anchors"] if a["found"]]
    missing = [a["text"] for a in claim["anchors"] if not a["found"]]
    parts = ([i18n.text(lang, "claim.found", items=", ".join(found))] if found else []) + (
        [i18n.text(lang, "claim.missing", items=", ".join(missing))] if missing else [])
    return "; ".join(parts)


def evidence_words(evidence: dict, lang: str) -> str:
    """Where a date was found, as an editor would say it (the raw selector stays in the JSON)."""
    source, where = str(evidence.get("source") or ""), str(evidence.get("where") or "")
    t = lambda key, **kw: i18n.text(lang, key, **kw)  # noqa: E731
    label = _QUOTED.findall(where)
    if source == "url":
        return t("place.url")
    if source == "header":
        return t("place.header")
    if source == "htmldate":
        return t("place.guess")
    if source == "pdf":
        page = re.match(r"page (\d+)", where)
        return t("place.pdf_page", page=page[1]) if page else t("place.pdf")
    if source in ("json-ld", "meta", "itemprop") or where.startswith(("json-ld", "meta[")) or "itemprop" in where:
        return t("place.metadata")
    if "dateline" in where:
        return t("place.above_headline" if "before" in where else "place.below_headline")
    if source == "text" and label:
        return t("place.labelled", label=label[-1])
    if source == "text":
        return t("place.text")
    return t("place.shown") if source == "time" or source.startswith("site:") else t("place.page")


def evidence_line(date: dict | None, lang: str) -> str | None:
    """'published 19 February 2026 (the date shown on the page)', for each of the page's chosen days."""
    if not date:
        return None
    parts = []
    for kind in ("published", "modified"):
        if date.get(kind):
            evidence = chosen_evidence(date, kind)
            where = f" ({evidence_words(evidence, lang)})" if evidence else ""
            parts.append(f"{i18n.text(lang, f'kind.{kind}')} {i18n.day(date[kind], lang)}{where}")
    return "; ".join(parts) or None


# -- one card per cited source ----------------------------------------------------


class Card(NamedTuple):
    """One cited source: its references (by footnote), the worst of their verdicts, and its problems,
    each with the footnotes it concerns (one line for a problem six footnotes share)."""

    source: str
    refs: Sequence[dict]  # a list, or ``Refs`` read back from a written report (``loaded``)
    overall: str
    problems: list[tuple[Problem, list[str]]]

    @property
    def footnotes(self) -> list[str]:
        """The footnotes that cite the source, in order, each once."""
        if isinstance(self.refs, Refs):
            return list(self.refs.footnotes)
        return list(dict.fromkeys(str(r.get("footnote")) for r in self.refs))

    @property
    def snapshot(self) -> dict | None:
        """The snapshot of the source's page, as the first reference that has one gives it."""
        return next((r["snapshot"] for r in self.refs if r.get("snapshot")), None)

    def loaded(self) -> Card:
        """The card with its references in memory: read once for rendering it, then let go."""
        return self if isinstance(self.refs, list) else self._replace(refs=list(self.refs))


class Refs(Sequence):
    """A card's references, each read back from the report that holds them whenever it is asked for
    (``jsonreport.Results``): the cards of a large run fit in memory, their references do not."""

    def __init__(self, results, offsets: list[int], footnotes: tuple[str, ...]):
        self.results, self.offsets, self.footnotes = results, offsets, footnotes

    def __len__(self) -> int:
        return len(self.offsets)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.results.at(self.offsets[index])
        return self.results.at([self.offsets[index]])[0]

    def __iter__(self):
        return iter(self.results.at(self.offsets))


def source_cards(results: Iterable[dict], lang: str, checked_on: str | None = None) -> list[Card]:
    """Failing sources first, then those to check, then the passes; each by its first footnote.

    Results a report holds (``jsonreport.Results``: they know where each is) are read once here,
    and each card reads its own back when it is rendered (``Card.loaded``)."""
    entries = results.entries() if hasattr(results, "entries") else ((r, r) for r in results)
    by_source: dict[str, list[tuple]] = {}
    for position, (handle, result) in enumerate(entries):
        footnote = result.get("footnote")
        by_source.setdefault(str(result.get("source")), []).append((
            footnote_key(footnote), position, handle, str(footnote), result.get("overall"),
            problems(result, lang, checked_on)))
    cards = []
    for source, refs in sorted(by_source.items(), key=lambda item: min(ref[:2] for ref in item[1])):
        refs.sort(key=lambda ref: ref[:2])
        handles = [ref[2] for ref in refs]
        held = handles if not hasattr(results, "entries") else Refs(
            results, handles, tuple(dict.fromkeys(ref[3] for ref in refs)))
        cards.append(Card(source, held, _worst_of([ref[4] for ref in refs]),
                          _merged_problems([(ref[3], ref[5]) for ref in refs])))
    return sorted(cards, key=lambda c: (SEVERITY_RANK.get(c.overall, 4), footnote_key(_first_footnote(c))))


def _first_footnote(card: Card):
    return card.refs.footnotes[0] if isinstance(card.refs, Refs) else card.refs[0].get("footnote")


def _worst_of(verdicts: list[str]) -> str:
    return min(verdicts, key=lambda o: SEVERITY_RANK.get(o, 4))


def _merged_problems(found: list[tuple[str, list[Problem]]]) -> list[tuple[Problem, list[str]]]:
    """(footnote, its problems) of a source's references, in order: each problem once, with its footnotes."""
    footnotes: dict[Problem, list[str]] = {}
    for footnote, ref_problems in found:
        for problem in ref_problems:
            footnotes.setdefault(problem, [])
            if footnote not in footnotes[problem]:
                footnotes[problem].append(footnote)
    return sorted(footnotes.items(), key=lambda item: SEVERITY_RANK[item[0].severity])


def scope_line(results: list[dict], cards: list[Card], lang: str) -> str:
    """'13 footnotes cite 14 sources (26 references)'."""
    footnotes = len({footnote for card in cards for footnote in card.footnotes})
    return i18n.count(lang, "scope", footnotes, footnotes=i18n.count(lang, "n.footnote", footnotes),
                     sources=i18n.count(lang, "n.source", len(cards)),
                     references=i18n.count(lang, "n.reference", len(results)))


def tallies(cards: list[Card], lang: str) -> list[tuple[str, str]]:
    """(verdict, '2 sources fail') for each verdict some source has."""
    return [(k, i18n.count(lang, f"tally.{k}", n)) for k in GROUP_ORDER if (n := sum(c.overall == k for c in cards))]


def tally_line(cards: list[Card], lang: str) -> str:
    return " · ".join(words for _, words in tallies(cards, lang))


def run_alerts(run: dict, lang: str) -> list[str]:
    """What makes the run incomplete or its archive suspect: said before anything else."""
    lines = []
    if run.get("unreached"):
        lines.append(i18n.count(lang, "summary.unreached", run["unreached"]))
    if run.get("network"):
        lines.append(i18n.text(lang, "summary.network", detail=run["network"]))
    for key in ("distrusted", "skipped"):
        if run.get(key):
            lines.append(i18n.count(lang, f"summary.{key}", len(run[key])))
    return lines
