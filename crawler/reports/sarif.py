"""SARIF 2.1.0, for code-scanning views that pin findings to file lines.

One result per reference that is not a clean pass, ruled by the check it is
mainly about and located at the reference's line in citations.yaml. A pass
that still has something to say (a redirect, say) becomes a note.
"""

from __future__ import annotations

import datetime as dt
import json

from .common import CHECKS, notes, primary_check, sub

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"fail": "error", "warn": "warning", "pass": "note"}
RULES = {
    "link": ("Cited link does not lead to the cited page",
             "The URL is missing, invalid, unsafe, unreachable, gone, or now lands somewhere else."),
    "date": ("Claimed date does not match the page",
             "The footnote's 'last updated' date differs from the dates the page itself states, "
             "or one of them is unknown."),
    "pages": ("Cited pages are outside the document",
              "The cited page range goes beyond the page count of the cited PDF."),
    "title": ("Cited title differs from the page title",
              "The title in the citation and the title of the fetched page are not similar enough."),
}


def render(run: dict, results: list[dict], citations_path: str = "citations.yaml") -> str:
    name, _, version = str(run.get("tool") or "citecheck").partition(" ")
    driver = {"name": name or "citecheck", "rules": [_rule(check) for check in CHECKS]}
    if version:
        driver["version"] = version
    sarif_run = {
        "tool": {"driver": driver},
        "automationDetails": {"id": f"citecheck/{run.get('id', '')}"},
        "invocations": [_invocation(run)],
        "results": [_result(r, citations_path) for r in results if _reportable(r)],
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [sarif_run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _reportable(result: dict) -> bool:
    return result.get("overall") != "pass" or bool(result.get("reasons"))


def _rule(check: str) -> dict:
    short, full = RULES[check]
    return {
        "id": check,
        "name": f"citation-{check}",
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": "warning"},
    }


def _result(result: dict, citations_path: str) -> dict:
    check = primary_check(result)
    reasons = (result.get("reasons") or [f"{check}: {result.get('overall')}"]) + notes(result)
    location = {"physicalLocation": {"artifactLocation": {"uri": citations_path}}}
    if result.get("line"):
        location["physicalLocation"]["region"] = {"startLine": int(result["line"])}
    properties = {
        "footnote": result.get("footnote"),
        "source": result.get("source"),
        "url": result.get("url"),
        "link": result.get("link"),
        "date_verdict": sub(result, "date", "verdict"),
    }
    return {
        "ruleId": check,
        "ruleIndex": CHECKS.index(check),
        "level": LEVELS.get(result.get("overall"), "warning"),
        "message": {"text": f"fn {result.get('footnote')} {result.get('source')}: " + "; ".join(reasons)},
        "locations": [location],
        "partialFingerprints": {"citecheckReference/v1": f"{result.get('footnote')}:{result.get('source')}"},
        "properties": {k: v for k, v in properties.items() if v is not None},
    }


def _invocation(run: dict) -> dict:
    invocation = {"executionSuccessful": run.get("exit_code") in (0, 1, None)}
    for key, field in (("started_at", "startTimeUtc"), ("finished_at", "endTimeUtc")):
        stamp = _utc(run.get(key))
        if stamp:
            invocation[field] = stamp
    return invocation


def _utc(stamp: str | None) -> str | None:
    """SARIF wants UTC with a Z; our run stamps carry an offset."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
