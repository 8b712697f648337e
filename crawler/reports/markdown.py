"""The summary an editor reads in the terminal right after a run.

Plain enough to scan without rendering (no tables, little markup), yet valid
Markdown so it can be pasted into an issue or a chat as is. Failures come
first because they are what the editor has to act on.
"""

from __future__ import annotations

from .common import GROUP_LABELS, counts, counts_text, document_line, evidence_brief, grouped, notes


def render(run: dict, results: list[dict]) -> str:
    lines = _header(run, results)
    for overall, rows in grouped(results):
        lines += ["", f"## {GROUP_LABELS[overall]} ({len(rows)})", ""]
        for result in rows:
            lines += _entry(result)
    return "\n".join(lines) + "\n"


def _header(run: dict, results: list[dict]) -> list[str]:
    facts = [f"run {run.get('id', '?')}", f"{len(results)} references: {counts_text(counts(results))}"]
    if run.get("exit_code") is not None:
        facts.append(f"exit {run['exit_code']}")
    if run.get("unreached"):
        facts.append(f"incomplete: {run['unreached']} URLs without an outcome (the crawl was stopped)")
    if run.get("network"):
        facts.append(f"incomplete: {run['network']}")
    if run.get("distrusted"):
        facts.append(f"{len(run['distrusted'])} URLs fetched afresh: their stored snapshots no longer match "
                     "what their runs sealed (run `citecheck audit`)")
    if run.get("replay"):
        facts.append(f"replayed from {run['replay']}")
    return [f"# {document_line(run)}", "", " · ".join(facts)]


def _entry(result: dict) -> list[str]:
    """One line per reference; extra reasons and the date evidence indented below."""
    reasons = list(result.get("reasons") or [])
    evidence = evidence_brief(result.get("date"))
    lines = reasons + ([evidence] if evidence else []) + notes(result)
    if not lines:
        lines = [_link_note(result)]
    head = f"- {str(result.get('overall', '?')).upper()} fn {result.get('footnote', '?')}"
    first = f"{head} · {result.get('source', '?')} · {lines[0]}"
    return [first] + [f"  - {line}" for line in lines[1:]]


def _link_note(result: dict) -> str:
    status = result.get("http_status")
    return f"link: {result.get('link') or 'not checked'}" + (f" ({status})" if status else "")
