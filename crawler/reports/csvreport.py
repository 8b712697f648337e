"""One CSV row per reference, for a spreadsheet: the verdicts an editor sorts and filters by."""

from __future__ import annotations

import csv
import io

COLUMNS = ("footnote", "source", "url", "overall", "link", "date", "claimed", "page_date", "title", "pages",
           "claim", "reasons")


def render(run: dict, results: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for result in results:
        date, claim = result.get("date") or {}, result.get("claim") or {}
        writer.writerow([
            result["footnote"], result["source"], result.get("url") or "", result["overall"], result["link"],
            date.get("verdict", ""), date.get("claimed") or "", date.get("modified") or date.get("published") or "",
            (result.get("title") or {}).get("verdict", ""), (result.get("pages") or {}).get("verdict", ""),
            claim.get("verdict", ""), " | ".join(result.get("reasons") or []),
        ])
    return out.getvalue()
