"""Verdicts for one footnote reference: ``(reference, source, fetch, extracted) -> result``.

The result is the JSON contract's result object (see README). Each check
yields findings; which of them fail the reference is ``crawler.checks.policy``'s call.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from crawler.checks import linkstatus
from crawler.checks.policy import Policy, decide, failing_since
from crawler.checks.support import claim_support
from crawler.checks.titles import check_title, check_translation, normalized, title_as_written, title_similarity  # noqa: F401
from crawler.citing.citations import accessed_date, claimed_date, parse_pages
from crawler.citing.claims import claimed_text
from crawler.extract.dates import date_verdict
from crawler.models import Extracted, Fetch, PageDates, Reference, Source, utc_now

NUMBER = re.compile(r"\b\d+\b")


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
    needle = normalized(passage)
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
    return needle in normalized(text) or needle in normalized(LINE_END_HYPHEN.sub(r"\1\2", text))


def check_claim(reference: Reference, extracted: Extracted | None) -> dict:
    """Are the numbers, dates and names of the sentence the footnote closes in the page (on the cited
    pages of a PDF first)?"""
    text = extracted.text if extracted else None
    pages = None
    if extracted is not None and extracted.page_texts and reference.pages:
        spans = [(_physical(extracted, s), _physical(extracted, e) if e else len(extracted.page_texts))
                 for s, e in parse_pages(reference.pages)]
        pages = tuple(page for n, page in enumerate(extracted.page_texts, 1)
                      if any(s and e and s <= n <= e for s, e in spans)) or None
    return claim_support(reference.context, text, extracted.lang if extracted else None, pages)


def claim_reason(claim: dict) -> str | None:
    """The sentence an editor reads when the source does not bear the claim out."""
    if claim.get("verdict") != "unsupported":
        return None
    contradiction = claim.get("contradiction")
    if contradiction:
        return (f"claim: the sentence says {contradiction['anchor']}, the source says {contradiction['source_says']}: "
                f"«{contradiction['snippet']}»")
    missing = ", ".join(a["text"] for a in claim["anchors"])
    return f"claim: none of the sentence's numbers, dates and names is in the source ({missing})"


def findings(link: str, detail: str | None, date: dict, title: dict, pages: dict, passage: dict | None,
             claim: dict | None = None) -> list[tuple[str, str]]:
    """Every problem as (policy token, sentence); ``crawler.checks.policy`` decides which fail."""
    found = []
    if link not in linkstatus.LIVE:
        alive = (" (the page may be alive; not counted as dead)" if link in linkstatus.TRANSIENT
                 else " (the server answered; nothing it sent could be checked)" if link in linkstatus.UNREADABLE
                 else "")
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
    if title["verdict"] == "differs" and title.get("language"):
        found.append(("title", f"title in another language ({title['language']}); nothing shared with the cited "
                               f"title: check the link (page says {title['page']!r})"))
    elif title["verdict"] == "differs":
        found.append(("title", f"title differs (similarity {title['similarity']:.2f}): page says {title['page']!r}"))
    elif title["verdict"] == "translation" and not title.get("edition_title"):
        found.append(("title", f"title in another language ({title['language']}); probably a translation: "
                               f"shares {', '.join(title['shared'])}"))
    if pages["verdict"] == "out_of_range":
        found.append(("out_of_range", f"pages: cited {pages['cited']}, document has {pages['page_count']} pages"))
    if passage and passage["verdict"] == "not_found":
        found.append(("passage", "passage: the cited passage is no longer in the text"))
    reason = claim_reason(claim or {})
    if reason:
        found.append(("unsupported", reason))
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
    edition: tuple[str, Extracted | None] | None = None,
) -> dict:
    """The full verdict for one reference, JSON-ready.

    ``history``: earlier checks of this reference, newest first (see ``crawler.checks.policy``);
    ``probe``: the host's answer for a path that cannot exist (``linkstatus.probe_url``);
    ``edition``: (URL, extraction) of the page's edition in the cited title's language.
    """
    title_text = (title_as_written(extracted), extracted.text if extracted else "")
    link, detail = linkstatus.classify(fetch, title=title_text[0], text=title_text[1],
                                       heading=extracted.heading if extracted else None)
    if link == "ok" and probe is not None:
        probe_fetch, probe_page = probe
        if linkstatus.matches_probe(*title_text, probe_fetch, title_as_written(probe_page),
                                    probe_page.text if probe_page else ""):
            link, detail = "soft_404", "looks like this host's error page (a path that cannot exist gets the same page)"
    accepted = (link not in linkstatus.LIVE and not 200 <= (fetch.status or 0) < 300  # a 2xx is judged by its page
                and policy.accepts(fetch.final_url or fetch.url, fetch.status))
    if accepted:  # the editor knows this answer (a login wall): a live link, but no page to check
        link, detail = "ok", f"HTTP {fetch.status}, accepted by --accept" + (f" ({detail})" if detail else "")
    if link in linkstatus.LIVE and extracted is not None and extracted.kind == "empty":
        link, detail = "server_error", "the server sent an empty page (a failure that may pass: nothing to cite)"
    elif link in linkstatus.LIVE and extracted is not None and extracted.kind == "unreadable":
        link, detail = "unreadable", "; ".join(extracted.problems) or "what the server sent cannot be read"
    page = extracted if link in linkstatus.LIVE and not accepted else None
    claim = claimed_date(reference, source)
    # a dead, soft-404 or challenge page's dates say nothing about the source
    date = date_verdict(claim if page else None, page.dates if page else PageDates())
    date["claimed"] = claimed_text(claim)
    accessed = accessed_date(reference, source)
    if accessed is not None:  # when the author read it: shown, never compared with the page's dates
        date["accessed"] = claimed_text(accessed)
    title = check_translation(check_title(source.title, page), source.title, page, edition if page else None)
    pages = check_pages(reference.pages, page)
    passage = check_passage(reference.passage, page, reference.pages)
    claim = check_claim(reference, page)
    now = now or fetch.fetched_at or utc_now()
    found = findings(link, detail, date, title, pages, passage, claim)
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
        "claim": claim,
        "snapshot": snapshot,
        "unread": list(extracted.unread) if extracted is not None else [],
        "overall": overall,
        "reasons": reasons,
        "failing_since": failing_since(overall, list(history), now),
    }
    if passage is not None:
        result["passage"] = passage
    return result
