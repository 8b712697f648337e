"""GitHub Actions outputs: inline annotations on citations.yaml and a step summary.

Annotations put each failing reference's reasons on its line in the pull
request diff; the step summary is the table a reviewer sees on the run page.
Escaping follows GitHub's toolkit (``@actions/core`` ``escapeData`` and
``escapeProperty``), since an unescaped newline or comma silently cuts a
message short.
"""

from __future__ import annotations

from . import i18n
from .common import Card, document_line, grouped, notes, primary_reason, source_cards, tally_line

COMMANDS = {"fail": "error", "warn": "warning"}
_DATA_ESCAPES = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_PROPERTY_ESCAPES = _DATA_ESCAPES + ((":", "%3A"), (",", "%2C"))
_CELL_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("\r", " "), ("\n", " "))


def render_annotations(run: dict, results: list[dict], citations_path: str = "citations.yaml") -> str:
    lines = []
    for overall, rows in grouped(results):
        if overall in COMMANDS:
            lines += [_annotation(COMMANDS[overall], r, citations_path) for r in rows]
    return "".join(line + "\n" for line in lines)


def render_step_summary(run: dict, results: list[dict], lang: str = "en") -> str:
    """The editor's summary as GitHub renders it: a table of the sources that need action, the passes folded."""
    cards = source_cards(results, lang, run.get("started_at"))
    lines = [f"### citecheck: {_cell(document_line(run))}", "",
             f"**{_cell(tally_line(cards, lang))}** · {_cell(i18n.text(lang, 'md.run', id=run.get('id', '?')))}", ""]
    flagged = [c for c in cards if c.overall != "pass"]
    if flagged:
        lines += [i18n.text(lang, "gh.head"), "|---|---|---|---|"]
        lines += [_row(card, lang) for card in flagged]
        lines.append("")
    passed = [c for c in cards if c.overall == "pass"]
    if passed:
        items = ", ".join(f"{_cell(_fns(c, lang))} `{_cell(c.source)}`" for c in passed)
        lines += [f"<details><summary>{_cell(i18n.text(lang, 'gh.passed', n=len(passed)))}</summary>", "", items, "",
                  "</details>", ""]
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


def _row(card: Card, lang: str) -> str:
    todo = "<br>".join(_cell(f"{p.text} {p.fix}".strip()) for p, _ in card.problems) or "—"
    cells = (i18n.text(lang, f"gh.mark.{card.overall}"), _cell(_fns(card, lang)), f"`{_cell(card.source)}`", todo)
    return "| " + " | ".join(cells) + " |"


def _fns(card: Card, lang: str) -> str:
    return i18n.text(lang, "fn", numbers=", ".join(card.footnotes))


def _cell(text: str) -> str:
    return _replace(text, _CELL_ESCAPES)


def _replace(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text
