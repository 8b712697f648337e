"""Verdicts for one footnote reference: ``(reference, source, fetch, extracted) -> result``.

The result is the JSON contract's result object (see README). Each check
yields findings; which of them fail the reference is ``crawler.checks.policy``'s call.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Callable

from crawler.checks import linkstatus
from crawler.checks.policy import Policy, decide, failing_since
from crawler.citing.citations import claimed_date, parse_pages
from crawler.citing.claims import claimed_text
from crawler.extract.dates import date_verdict
from crawler.models import Extracted, Fetch, PageDates, Reference, Source, utc_now

TITLE_MATCH = 0.8
TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s*[|·•]\s*")
NOT_WORD = re.compile(r"[^\w]+")
NUMBER = re.compile(r"\b\d+\b")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(NOT_WORD.sub(" ", text).split())


def _token_containment(cited: str, page: str) -> float:
    """Share of the cited title's words found in the page title, spelling-tolerant.

    Catches reordered titles and transliteration variants ("Kirgizstan" for
    "Kyrgyzstan") that a character diff scores low.
    """
    cited_words, page_words = cited.split(), set(page.split())
    if len(cited_words) < 3:
        return 0.0
    found = sum(
        1 for word in cited_words
        if word in page_words or difflib.get_close_matches(word, page_words, n=1, cutoff=0.8)
    )
    return found / len(cited_words)


def title_similarity(cited: str, page: str) -> float:
    """Similarity in [0, 1], tolerant of site-name suffixes and truncated citations.

    Footnotes often cite only the first clause of a headline, and pages append
    "| Meduza"; either side contained in the other counts as a match.
    """
    cited_n, page_n = _norm(cited), _norm(page)
    variants = [v for v in dict.fromkeys([page_n, *map(_norm, TITLE_SEPARATORS.split(page))]) if v]
    if cited_n in variants:
        return 1.0
    best = _token_containment(cited_n, page_n)
    if any(len(shorter) >= 12 and shorter in longer
           for shorter, longer in (sorted((cited_n, variant), key=len) for variant in variants)):
        return round(max(0.9, best), 3)
    ratios = (difflib.SequenceMatcher(None, cited_n, variant, autojunk=False).ratio() for variant in variants)
    return round(max([best, *ratios]), 3)


def _title_as_written(extracted: Extracted | None) -> str | None:
    """What the link verdict reads: trafilatura passes over a <title> with a dot in it
    ("Ошибка 404. Страница не найдена") for a heading."""
    return (extracted.title_tag or extracted.title) if extracted else None


def check_title(cited: str, extracted: Extracted | None) -> dict:
    """Against each title the page states (trafilatura's pick may be a kicker or the site's logo)."""
    titles = list(dict.fromkeys(filter(None, (extracted.title, extracted.title_tag, extracted.heading)))) \
        if extracted else []
    if not cited or not titles:
        return {"cited": cited or None, "page": titles[0] if titles else None, "verdict": "not_checked",
                "similarity": None}
    similarity, page = max(((title_similarity(cited, title), title) for title in titles), key=lambda pair: pair[0])
    verdict = "match" if similarity >= TITLE_MATCH and _numbers_agree(cited, page) else "differs"
    return {"cited": cited, "page": page, "verdict": verdict, "similarity": similarity}


def _numbers_agree(cited: str, page: str) -> bool:
    """"Country Report 2023" is not "Country Report 2022", however alike the rest; a page title
    with no number says nothing either way, and "2022/23" is "2022-2023"."""
    stated = NUMBER.findall(_norm(page))
    return not stated or all(any(n.endswith(c) for n in stated) for c in NUMBER.findall(_norm(cited)))


def check_pages(spec: str | None, extracted: Extracted | None) -> dict:
    """Cited pages must exist in a PDF; HTML pages have no page numbers to check."""
    count = extracted.page_count if extracted else None
    result = {"cited": spec, "page_count": count, "verdict": "not_checked"}
    if not spec:
        result["verdict"] = "not_applicable"
    elif count is not None:
        physical = [_physical(extracted, n) for start, end in parse_pages(spec) for n in (start, end) if n]
        result["verdict"] = "ok" if None not in physical else "out_of_range"
    return result


def _printed(extracted: Extracted, physical: int) -> int:
    """What the reader looks up: the page's printed number where the PDF declares one."""
    label = extracted.page_labels[physical - 1] if extracted.page_labels else ""
    return int(label) if label.isdigit() else physical


def _physical(extracted: Extracted, printed: int) -> int | None:
    """The PDF page (from 1) that bears this cited number: by its declared label, else by position."""
    if extracted.page_labels:
        return extracted.page_labels.index(str(printed)) + 1 if str(printed) in extracted.page_labels else None
    return printed if printed <= (extracted.page_count or 0) else None


def check_passage(passage: str | None, extracted: Extracted | None, spec: str | None) -> dict | None:
    """Does the cited passage still stand on the cited pages (or anywhere in the text)?"""
    if not passage:
        return None
    if extracted is None or not extracted.text.strip():  # a scanned PDF has pages but no text layer
        return {"cited": passage, "verdict": "not_checked", "found_on": None}
    needle = _norm(passage)
    pages = extracted.page_texts
    if pages:
        wanted = range(1, len(pages) + 1)
        if spec:  # as PDF pages: a span whose ends have no page leaves nothing to search
            spans = [(_physical(extracted, s), _physical(extracted, e) if e else len(pages)) for s, e in parse_pages(spec)]
            wanted = [n for n in wanted if any(s and e and s <= n <= e for s, e in spans)]
        contains = functools.cache(lambda text: _contains(text, needle))  # a page is also the next one's "before"
        for number in wanted:
            if _on_page(pages, number, contains):
                return {"cited": passage, "verdict": "found", "found_on": _printed(extracted, number)}
        return {"cited": passage, "verdict": "not_found", "found_on": None}
    found = _contains(extracted.text, needle)
    return {"cited": passage, "verdict": "found" if found else "not_found", "found_on": None}


def _on_page(pages: tuple[str, ...], number: int, contains: Callable[[str], bool]) -> bool:
    """On this page, or starting here and running on over the page break (not wholly on the next)."""
    here, after = pages[number - 1], pages[number] if number < len(pages) else ""
    return contains(here) or bool(after) and contains(f"{here}\n{after}") and not contains(after)


LINE_END_HYPHEN = re.compile(r"(\w)[-\u00ad]\s*\n\s*(\w)")


def _contains(text: str, needle: str) -> bool:
    """As printed, or with words hyphenated at a line end joined again ("govern-\\nment")."""
    return needle in _norm(text) or needle in _norm(LINE_END_HYPHEN.sub(r"\1\2", text))


def findings(link: str, detail: str | None, date: dict, title: dict, pages: dict, passage: dict | None) -> list[tuple[str, str]]:
    """Every problem as (policy token, sentence); ``crawler.checks.policy`` decides which fail."""
    found = []
    if link not in linkstatus.LIVE:
        alive = " (the page may be alive; not counted as dead)" if link in linkstatus.TRANSIENT else ""
        found.append((link, f"link {link}: {detail}{alive}" if detail else f"link {link}{alive}"))
    verdict = date["verdict"]
    if verdict == "mismatch":
        page = ", ".join(f"{k} {date[k]}" for k in ("published", "modified") if date.get(k))
        found.append(("mismatch", f"date: claimed {date['claimed']}, page says {page} "
                                  f"({date.get('difference_days')} days off)"))
    elif verdict == "claim_unknown":
        found.append(("claim_unknown", f"date: footnote says unknown; page gives {date.get('suggested')}: cite that"))
    elif verdict == "no_page_date" and date["claimed"] == "unknown":
        found.append(("no_page_date", "date: neither the footnote nor the page states a date"))
    elif verdict == "no_page_date":
        found.append(("no_page_date", f"date: claimed {date['claimed']}, but the page states no date to check it against"))
    if date.get("updated_since_claim"):
        found.append(("updated", f"date: page modified {date.get('modified')}, after the claimed {date['claimed']}"))
    if title["verdict"] == "differs":
        found.append(("title", f"title differs (similarity {title['similarity']:.2f}): page says {title['page']!r}"))
    if pages["verdict"] == "out_of_range":
        found.append(("out_of_range", f"pages: cited {pages['cited']}, document has {pages['page_count']} pages"))
    if passage and passage["verdict"] == "not_found":
        found.append(("passage", "passage: the cited passage is no longer in the text"))
    return found


def check_reference(
    reference: Reference,
    source: Source,
    fetch: Fetch,
    extracted: Extracted | None,
    snapshot: dict | None = None,
    *,
    policy: Policy = Policy(),
    history: list[dict] = (),
    now: str | None = None,
    probe: tuple[Fetch, Extracted | None] | None = None,
) -> dict:
    """The full verdict for one reference, JSON-ready.

    ``history``: earlier checks of this reference, newest first (see ``crawler.checks.policy``);
    ``probe``: the host's answer for a path that cannot exist (``linkstatus.probe_url``).
    """
    title_text = (_title_as_written(extracted), extracted.text if extracted else "")
    link, detail = linkstatus.classify(fetch, title=title_text[0], text=title_text[1],
                                       heading=extracted.heading if extracted else None)
    if link == "ok" and probe is not None:
        probe_fetch, probe_page = probe
        if linkstatus.matches_probe(*title_text, probe_fetch, _title_as_written(probe_page),
                                    probe_page.text if probe_page else ""):
            link, detail = "soft_404", "looks like this host's error page (a path that cannot exist gets the same page)"
    if link in linkstatus.LIVE and extracted is not None and extracted.kind == "empty":
        link, detail = "server_error", "the server sent an empty page (a failure that may pass: nothing to cite)"
    page = extracted if link in linkstatus.LIVE else None
    claim = claimed_date(reference, source)
    # a dead, soft-404 or challenge page's dates say nothing about the source
    date = date_verdict(claim if page else None, page.dates if page else PageDates())
    date["claimed"] = claimed_text(claim)
    title = check_title(source.title, page)
    pages = check_pages(reference.pages, page)
    passage = check_passage(reference.passage, page, reference.pages)
    now = now or fetch.fetched_at or utc_now()
    found = findings(link, detail, date, title, pages, passage)
    overall, reasons = decide(found, link, list(history), now, policy)
    result = {
        "footnote": reference.footnote,
        "source": source.id,
        "line": reference.line,
        "source_title": source.title,
        "publisher": source.publisher,
        "url": source.url or None,
        "final_url": fetch.final_url,
        "http_status": fetch.status,
        "link": link,
        "link_detail": detail,
        "hops": [{"url": h.url, "status": h.status, "location": h.location} for h in fetch.hops],
        "date": date,
        "title": title,
        "pages": pages,
        "snapshot": snapshot,
        "overall": overall,
        "reasons": reasons,
        "failing_since": failing_since(overall, list(history), now),
    }
    if passage is not None:
        result["passage"] = passage
    return result
