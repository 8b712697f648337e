"""Compare a footnote's date claim with the page's own dates.

Returns the "date" object of the report contract. Days are compared as the
page's readers see them (the candidate's own UTC offset), never in UTC.
"""

from __future__ import annotations

from crawler.citing.claims import claimed_text
from crawler.models import ClaimedDate, DateCandidate, PageDates

MAX_EVIDENCE = 5


def date_verdict(claim: ClaimedDate | None, dates: PageDates) -> dict:
    published, modified = dates.published, dates.modified
    result = {
        "claimed": claimed_text(claim),
        "published": published.day.isoformat() if published else None,
        "modified": modified.day.isoformat() if modified else None,
        "verdict": "not_checked",
        "matched": None,
        "updated_since_claim": False,
        "difference_days": None,
        "suggested": None,
        "evidence": _evidence(dates),
    }
    page_days = [c.day for c in (published, modified) if c is not None]
    if claim is None:
        return result
    if claim.unknown or claim.value is None:
        if not page_days:
            result["verdict"] = "no_page_date"
        else:
            result["verdict"] = "claim_unknown"
            result["suggested"] = (modified or published).day.isoformat()
        return result
    if not page_days:
        result["verdict"] = "no_page_date"
        return result
    day = claim.value
    result["updated_since_claim"] = modified is not None and modified.day > day
    stated_published = published is not None and published.kind != "modified"  # not inferred
    if stated_published and published.day == day:
        result.update(verdict="match", matched="published")
    elif modified is not None and modified.day == day:
        result.update(verdict="match", matched="modified")
    else:
        nearest = min(page_days, key=lambda d: (abs((day - d).days), d))
        result.update(verdict="mismatch", difference_days=(day - nearest).days)
    return result


def _evidence(dates: PageDates) -> list[dict]:
    """The chosen candidates first, then the strongest of the others."""
    chosen = [c for c in (dates.published, dates.modified) if c is not None]
    others = sorted((c for c in dates.candidates if all(c is not x for x in chosen)),
                    key=lambda c: -c.confidence)
    picked: list[DateCandidate] = chosen + others[: max(0, MAX_EVIDENCE - len(chosen))]
    return [c.as_evidence() for c in picked]
