"""What every report must agree on, so that the terminal, the HTML page and CI
tell the same story: the order of references, which check a verdict is about,
and a one-line reading of the date evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

GROUP_ORDER = ("fail", "warn", "pass")
GROUP_LABELS = {"fail": "Failures", "warn": "Warnings", "pass": "Passes"}
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


def counts_text(tally: dict[str, int]) -> str:
    return ", ".join(f"{tally[k]} {k}" for k in GROUP_ORDER)


def sub(result: dict, part: str, key: str) -> object:
    """``result[part][key]`` where ``result[part]`` may be None."""
    return (result.get(part) or {}).get(key)


def reason_check(reason: str) -> str | None:
    """The check a reason line speaks of ("date: claimed ..." -> "date")."""
    head = reason.split(":", 1)[0].strip().lower()
    return head if head in CHECKS else None


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
