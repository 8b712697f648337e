"""The summary an editor reads in the terminal right after a run, in the document's language.

The HTML report's story in plain lines: what needs action first, one entry per cited source
(a source six footnotes cite says its problem once) with the suggested fix, then one line per
passing source (left out with ``passes=False``, which is what ``-q`` prints). Valid Markdown, so
it can be pasted into an issue or a chat as is; no internal codes, the machine reports keep those.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import i18n
from .common import (
    Card,
    document_line,
    evidence_line,
    run_alerts,
    scope_line,
    source_cards,
    tally_line,
)

TITLE_CHARS = 90  # of "Publisher: title" on a source's line


def render(run: dict, results: Iterable[dict], *, lang: str = "en", passes: bool = True) -> str:
    return "\n".join(lines(run, results, lang=lang, passes=passes)) + "\n"


def lines(run: dict, results: Iterable[dict], *, lang: str = "en", passes: bool = True) -> Iterator[str]:
    """``render``'s lines as they are made: a terminal is written one source at a time."""
    cards = source_cards(results, lang, run.get("started_at"))
    yield from _header(run, results, cards, lang)
    flagged = [c for c in cards if c.overall != "pass"]
    yield from ["", f"## {i18n.text(lang, 'summary.actions')} ({len(flagged)})", ""]
    if not flagged:
        yield i18n.text(lang, "summary.nothing")
    for card in flagged:
        yield from _entry(card, lang)
    passed = [c for c in cards if c.overall == "pass"]
    if passes and passed:
        yield from ["", f"## {i18n.text(lang, 'md.group.pass')} ({len(passed)})", ""]
        for card in passed:
            yield from _entry(card, lang)
    yield from _skipped(run, lang)


def _skipped(run: dict, lang: str) -> list[str]:
    """What the editor chose not to check (``skip:`` or ``--exclude``), each with its reason."""
    entries = run.get("skipped") or ()
    if not entries:
        return []
    return ["", f"## {i18n.text(lang, 'md.skipped')} ({len(entries)})", ""] + [
        f"- {i18n.text(lang, 'fn', numbers=e['footnote'])} · {e['source']} · {e.get('url') or '—'}: {e['reason']}"
        for e in entries]


def _header(run: dict, results: list[dict], cards: list[Card], lang: str) -> list[str]:
    facts = [scope_line(results, cards, lang), i18n.text(lang, "md.run", id=run.get("id", "?"))]
    if run.get("exit_code") is not None:
        facts.append(i18n.text(lang, "md.exit", code=run["exit_code"]))
    if run.get("replay"):
        facts.append(i18n.text(lang, "md.replay", path=run["replay"]))
    return [f"# {document_line(run)}", "", " · ".join(facts), tally_line(cards, lang),
            *(f"**{alert}**" for alert in run_alerts(run, lang))]


def _entry(card: Card, lang: str) -> list[str]:
    """'- FAIL fn 5, 8, 9 · Meduza: title · source-id', its problems and fixes indented below."""
    first = card.refs[0]
    fns = card.footnotes
    mark = i18n.text(lang, f"md.mark.{card.overall}") if card.overall in ("fail", "warn", "pass") else "?"
    head = f"- {mark} {i18n.text(lang, 'fn', numbers=', '.join(fns))} · {_name(first)} · {card.source}"
    lines = [head]
    for problem, footnotes in card.problems:
        shared = "" if footnotes == fns else f"{i18n.text(lang, 'fn', numbers=', '.join(footnotes))}: "
        lines.append(f"  - {shared}{problem.text}")
        if problem.fix:
            lines.append(f"    {i18n.text(lang, 'md.fix', fix=problem.fix)}")
    page = evidence_line(first.get("date"), lang)
    if page:
        lines.append(f"  - {i18n.text(lang, 'md.page', facts=page)}")
    return lines


def _name(result: dict) -> str:
    title = str(result.get("source_title") or "")
    name = f"{result['publisher']}: {title}" if result.get("publisher") and title else title or "?"
    return name if len(name) <= TITLE_CHARS else name[: TITLE_CHARS - 1].rsplit(" ", 1)[0] + " …"
