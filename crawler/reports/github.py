"""GitHub Actions outputs: inline annotations on citations.yaml and a step summary.

Annotations put each failing reference's reasons on its line in the pull
request diff; the step summary is the table a reviewer sees on the run page.
Escaping follows GitHub's toolkit (``@actions/core`` ``escapeData`` and
``escapeProperty``), since an unescaped newline or comma silently cuts a
message short.
"""

from __future__ import annotations

from .common import counts, counts_text, document_line, grouped, notes, primary_reason

COMMANDS = {"fail": "error", "warn": "warning"}
MARKS = {"fail": "❌ fail", "warn": "⚠️ warn", "pass": "✅ pass"}
_DATA_ESCAPES = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_PROPERTY_ESCAPES = _DATA_ESCAPES + ((":", "%3A"), (",", "%2C"))
_CELL_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("\r", " "), ("\n", " "))


def render_annotations(run: dict, results: list[dict], citations_path: str = "citations.yaml") -> str:
    lines = []
    for overall, rows in grouped(results):
        if overall in COMMANDS:
            lines += [_annotation(COMMANDS[overall], r, citations_path) for r in rows]
    return "".join(line + "\n" for line in lines)


def render_step_summary(run: dict, results: list[dict]) -> str:
    lines = [
        f"### citecheck: {_cell(document_line(run))}",
        "",
        f"**{counts_text(counts(results))}** · run `{run.get('id', '?')}`",
        "",
    ]
    groups = dict(grouped(results))
    flagged = groups.get("fail", []) + groups.get("warn", [])
    if flagged:
        lines += ["| Verdict | Fn | Source | Reasons |", "|---|---|---|---|"]
        lines += [_row(r) for r in flagged]
        lines.append("")
    passed = groups.get("pass", [])
    if passed:
        items = ", ".join(f"fn {_cell(str(r.get('footnote')))} `{_cell(str(r.get('source')))}`" for r in passed)
        lines += [f"<details><summary>{len(passed)} passed</summary>", "", items, "", "</details>", ""]
    return "\n".join(lines)


def escape_data(text: str) -> str:
    return _replace(text, _DATA_ESCAPES)


def escape_property(text: str) -> str:
    return _replace(text, _PROPERTY_ESCAPES)


def _annotation(command: str, result: dict, citations_path: str) -> str:
    props = [f"file={escape_property(citations_path)}"]
    if result.get("line"):
        props.append(f"line={int(result['line'])}")
    title = f"citecheck fn {result.get('footnote')} {result.get('source')}"
    props.append(f"title={escape_property(title)}")
    reasons = (result.get("reasons") or [primary_reason(result) or str(result.get("overall"))]) + notes(result)
    return f"::{command} {','.join(props)}::{escape_data(chr(10).join(reasons))}"


def _row(result: dict) -> str:
    reasons = "<br>".join(_cell(r) for r in [*(result.get("reasons") or ()), *notes(result)]) or "—"
    cells = (MARKS.get(result.get("overall"), str(result.get("overall"))), _cell(str(result.get("footnote"))),
             f"`{_cell(str(result.get('source')))}`", reasons)
    return "| " + " | ".join(cells) + " |"


def _cell(text: str) -> str:
    return _replace(text, _CELL_ESCAPES)


def _replace(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text
