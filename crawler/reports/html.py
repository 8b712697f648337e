"""The report an editor opens in a browser or prints, built around one question: what must I fix, and how?

The first screen names the document and lists what needs action, most severe first, one line per
problem with its footnotes. Below, one card per cited source (not per reference: a source cited
by six footnotes says its warning once), with each problem's suggested fix, the verdicts of the
checks that applied, each footnote's pages and claim, and the evidence behind a disclosure in
plain words (the raw selectors stay in the JSON). Passing sources are collapsed. A card that needs
action holds the text citecheck read on the page, folded: the archive keeps texts compressed
(``text/<sha256>.txt.gz``), which a browser would only download, and an editor opening the report
from the archive folder or a mail needs it in the page. Each card's text is read as that card is
written, so the report's memory does not grow with the number of sources.

One self-contained page: inline CSS and a few lines of inline script (filters; printing opens the
collapsed cards), and a Content-Security-Policy that forbids loading anything, so it can be mailed,
archived next to the WARC and still opened years later. Every value is escaped: titles and URLs
come from the web. Verdicts carry a word as well as a colour, so a black-and-white printout still
says what failed.
"""

from __future__ import annotations

import html
import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO
from urllib.parse import quote, urlsplit

from crawler.checks import linkstatus
from crawler.record import archive

from . import i18n
from .common import (GROUP_ORDER, SEVERITY_RANK, Card, chosen_evidence, claim_words, document_title,
                     evidence_words, footnote_key, link_words, page_facts, run_alerts, scope_line, source_cards,
                     tallies)

TONES = {"fail": "tone-bad", "warn": "tone-warn", "note": "tone-info", "pass": "tone-good"}
MARKS = {"tone-good": "✓", "tone-warn": "!", "tone-bad": "✗", "tone-info": "i", "tone-muted": "·"}
KINDS = ("published", "modified", "unlabelled")
QUOTE_CHARS = 180  # of the citing sentence shown on a card; the whole sentence is under "Evidence"
TEXT_CHARS = 100_000  # of a page's archived text shown on a card: a long PDF's whole text stays in the archive
NEEDS_ACTION = ("fail", "warn")  # the cards whose page text is embedded

CSS = """
:root { --good:#1a7f37; --good-bg:#dafbe1; --warn:#7a4d00; --warn-bg:#fff1c2; --bad:#b3261e; --bad-bg:#ffe0dc;
  --info:#0b5cad; --info-bg:#ddeeff; --muted:#5f6368; --muted-bg:#eef0f2; --line:#d0d7de; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1f2328; margin: 1rem auto 2rem; max-width: 80rem; padding: 0 1.25rem; overflow-wrap: anywhere; }
h1 { font-size: 1.4rem; line-height: 1.25; margin: 0; } h2 { font-size: 1.05rem; margin: 0; }
a { color: var(--info); }
.doc-meta, .scope-line, .card-meta, .page-foot { color: var(--muted); margin: .1rem 0; font-size: .9rem; }
.tally-line { margin: .4rem 0; display: flex; flex-wrap: wrap; gap: .4rem; }
.sev-badge { display: inline-block; padding: 0 .55rem; border-radius: 1rem; font-size: .82rem; font-weight: 600;
  border: 1px solid currentColor; white-space: nowrap; }
.tone-good { color: var(--good); background: var(--good-bg); } .tone-warn { color: var(--warn); background: var(--warn-bg); }
.tone-bad { color: var(--bad); background: var(--bad-bg); } .tone-info { color: var(--info); background: var(--info-bg); }
.tone-muted { color: var(--muted); background: var(--muted-bg); }
.run-alert { font-weight: 600; color: var(--bad); margin: .2rem 0; }
.action-list { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem .8rem; margin: .5rem 0 1rem; }
.action-list ol { list-style: none; margin: .3rem 0 0; padding: 0; }
.action-item { display: grid; grid-template-columns: 5.2rem 7rem minmax(0, 16rem) minmax(0, 1fr); gap: .6rem;
  padding: .2rem 0; border-top: 1px solid var(--line); font-size: .9rem; align-items: baseline; }
.action-item > * { min-width: 0; }
.action-src { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.action-fix { color: var(--muted); }
.filter-bar { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center; padding: .45rem .8rem;
  margin: 0 0 .8rem; background: var(--muted-bg); border-radius: .5rem; font-size: .9rem; }
.filter-bar label { white-space: nowrap; cursor: pointer; }
.src-card { border: 1px solid var(--line); border-left-width: 5px; border-radius: .5rem; margin: 0 0 .8rem;
  padding: .55rem .9rem; overflow-wrap: anywhere; min-width: 0; }
.src-card.sev-fail { border-left-color: var(--bad); } .src-card.sev-warn { border-left-color: var(--warn); }
.src-card.sev-pass { border-left-color: var(--good); }
.card-head { cursor: pointer; list-style-position: outside; }
.card-head h2 { display: inline; margin-left: .3rem; } .card-head .card-meta { display: block; }
.card-body > * { margin: .45rem 0 0; }
.problem-list, .fn-list, .hop-list { margin: .4rem 0 0; padding-left: 1.2rem; }
.problem-item { margin: .25rem 0; } .problem-item p { margin: 0; }
.fix-line { padding-left: .2rem; }
.sev-word { font-weight: 700; }
.check-list { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .15rem .8rem; font-size: .92rem; }
.check-list dt { color: var(--muted); } .check-list dd { margin: 0; }
.check-mark { display: inline-block; width: 1.2rem; text-align: center; border-radius: .2rem; margin-right: .3rem;
  font-weight: 700; }
.fn-list li { margin: .15rem 0; font-size: .92rem; }
.fn-list li.fn-picked { background: var(--info-bg); }
.claim-quote { color: var(--muted); }
.evidence-box summary { cursor: pointer; color: var(--muted); font-size: .88rem; }
.evidence-table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: .85rem; margin: .3rem 0; }
.evidence-table th, .evidence-table td { border-top: 1px solid var(--line); padding: .15rem .35rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
.evidence-box p { margin: .3rem 0; font-size: .88rem; }
.hash-text { font: .8rem ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.page-text summary { cursor: pointer; color: var(--muted); font-size: .88rem; }
.page-text pre { font-family: inherit; font-size: .88rem; line-height: 1.45; white-space: pre-wrap;
  overflow-wrap: anywhere; max-height: 32rem; overflow-y: auto; margin: .3rem 0; padding: .4rem .6rem;
  background: var(--muted-bg); border-radius: .3rem; }
.page-text p { margin: .3rem 0; font-size: .88rem; color: var(--muted); }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .filter-bar { display: none !important; }
  .src-card, .action-item { break-inside: avoid; }
  .page-text pre { max-height: none; overflow: visible; }
  a { color: inherit; }
}
"""

SCRIPT = """
(function () {
  var bar = document.querySelector('.filter-bar');
  var cards = Array.prototype.slice.call(document.querySelectorAll('.src-card'));
  function apply() {
    var shown = {};
    bar.querySelectorAll('input[data-status]').forEach(function (box) { shown[box.dataset.status] = box.checked; });
    var fn = bar.querySelector('select').value;
    cards.forEach(function (card) {
      card.hidden = !shown[card.dataset.status] || (fn !== '' && card.dataset.footnotes.split(' ').indexOf(fn) < 0);
      card.querySelectorAll('[data-footnote]').forEach(function (row) {
        row.classList.toggle('fn-picked', fn !== '' && row.dataset.footnote === fn);
      });
    });
  }
  function reveal() {
    var card = location.hash && document.getElementById(location.hash.slice(1));
    if (card && card.classList.contains('src-card')) { card.hidden = false; card.open = true; }
  }
  bar.hidden = false;
  bar.addEventListener('change', apply);
  window.addEventListener('hashchange', reveal);
  window.addEventListener('beforeprint', function () {
    cards.forEach(function (card) { if (!card.open) { card.dataset.closed = '1'; card.open = true; } });
  });
  window.addEventListener('afterprint', function () {
    cards.forEach(function (card) { if (card.dataset.closed) { delete card.dataset.closed; card.open = false; } });
  });
  reveal();
})();
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def render(run: dict, results: Iterable[dict], *, relative_to: str | None = None, lang: str = "en") -> str:
    """``relative_to``: the report's folder, so archived-text links resolve from there; ``lang``: en or de."""
    out = io.StringIO()
    write(out, run, results, relative_to=relative_to, lang=lang)
    return out.getvalue()


def write(out: TextIO, run: dict, results: Iterable[dict], *, relative_to: str | None = None,
          lang: str = "en") -> None:
    """``render`` into ``out`` one card at a time, each card's references read as it is written (from a
    written JSON report, ``jsonreport.Results``: a report of 100,000 references is never in memory)."""
    i18n.check(lang)
    cards = source_cards(results, lang, run.get("started_at"))
    title = i18n.text(lang, "page.title", document=document_title(run))
    out.write("".join((
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        _summary(run, results, cards, lang),
        _filters(cards, lang),
        "<main>\n")))
    for card in cards:
        out.write(_card(card.loaded(), lang, relative_to))
    out.write(f'</main>\n<footer class="page-foot">'
              f'{_e(i18n.text(lang, "footer", tool=run.get("tool") or "citecheck", run=run.get("id", "")))}'
              f"</footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n")


# -- the first screen --------------------------------------------------------------


def _summary(run: dict, results: list[dict], cards: list[Card], lang: str) -> str:
    doc = run.get("document") or {}
    meta = " · ".join(str(doc[k]) for k in ("publisher", "issue") if doc.get(k))
    checked = i18n.text(lang, "summary.checked", date=i18n.day(run.get("started_at"), lang)) if run.get("started_at") else ""
    if run.get("replay"):
        checked += " " + i18n.text(lang, "summary.replay", path=run["replay"])
    tally = "".join(f'<span class="sev-badge {TONES[k]}">{_e(words)}</span>' for k, words in tallies(cards, lang))
    alerts = "".join(f'<p class="run-alert">{_e(line)}</p>\n' for line in run_alerts(run, lang))
    return (f'<header class="run-summary">\n<h1>{_e(document_title(run))}</h1>\n'
            + (f'<p class="doc-meta">{_e(meta)}</p>\n' if meta else "")
            + f'<p class="scope-line">{_e(" · ".join(filter(None, (scope_line(results, cards, lang), checked))))}</p>\n'
            f'<p class="tally-line">{tally}</p>\n{alerts}{_actions(cards, lang)}</header>\n')


def _actions(cards: list[Card], lang: str) -> str:
    items = sorted(((problem, fns, card) for card in cards for problem, fns in card.problems
                    if problem.severity in ("fail", "warn")),
                   key=lambda item: (SEVERITY_RANK[item[0].severity], footnote_key(item[1][0])))
    heading = f'<h2>{_e(i18n.text(lang, "summary.actions"))}</h2>'
    if not items:
        return f'<section class="action-list">{heading}<p>{_e(i18n.text(lang, "summary.nothing"))}</p></section>\n'
    rows = "".join(
        f'<li class="action-item" data-source="{_e(card.source)}" data-severity="{problem.severity}">'
        f'<span><span class="sev-badge {TONES[problem.severity]}">{_e(i18n.text(lang, f"severity.{problem.severity}"))}'
        f'</span></span><a href="#{_e(_card_id(card.source))}">{_e(_fns(fns, lang))}</a>'
        f'<span class="action-src" title="{_e(_source_name(card))}">{_e(_source_name(card))}</span>'
        f'<span><span class="action-text">{_e(problem.text)}</span> '
        f'<span class="action-fix">{_linked(problem.fix, problem.urls)}</span></span></li>\n'
        for problem, fns, card in items)
    return f'<section class="action-list">{heading}\n<ol>\n{rows}</ol></section>\n'


def _filters(cards: list[Card], lang: str) -> str:
    """Shown by the script only: without it, they would do nothing."""
    boxes = "".join(
        f'<label><input type="checkbox" data-status="{k}" checked> '
        f'{_e(i18n.text(lang, f"filter.{k}"))} ({sum(c.overall == k for c in cards)})</label>'
        for k in GROUP_ORDER)
    numbers = sorted({footnote for c in cards for footnote in c.footnotes}, key=footnote_key)
    options = "".join(f'<option value="{_e(n)}">{_e(n)}</option>' for n in numbers)
    return (f'<nav class="filter-bar" hidden><span>{_e(i18n.text(lang, "filter.show"))}:</span>{boxes}'
            f'<label>{_e(i18n.text(lang, "filter.footnote"))} <select><option value="">'
            f'{_e(i18n.text(lang, "filter.all"))}</option>{options}</select></label></nav>\n')


# -- one card per source -----------------------------------------------------------


def _card(card: Card, lang: str, relative_to: str | None) -> str:
    first = card.refs[0]
    fns = card.footnotes
    opened = "" if card.overall == "pass" else " open"
    meta = " · ".join(filter(None, (_e(first.get("publisher") or ""), _e(_fns(fns, lang)), _link_to(first, lang))))
    body = "".join((_problem_list(card, lang), _checks(card, lang), _footnotes(card, lang),
                    _card_links(card, lang, relative_to), _evidence(card, lang)))
    return (f'<details class="src-card sev-{_e(card.overall)}" id="{_e(_card_id(card.source))}" '
            f'data-status="{_e(card.overall)}" data-footnotes="{_e(" ".join(fns))}"{opened}>\n'
            f'<summary class="card-head"><span class="sev-badge {TONES.get(card.overall, "tone-muted")}">'
            f'{_e(i18n.text(lang, f"severity.{card.overall}"))}</span><h2>{_e(_source_name(card, full=True))}</h2>'
            f'<span class="card-meta">{meta}</span></summary>\n<div class="card-body">{body}</div>\n</details>\n')


def _problem_list(card: Card, lang: str) -> str:
    if not card.problems:
        return ""
    todo = _e(i18n.text(lang, "card.todo"))
    items = "".join(
        f'<li class="problem-item"><p><span class="sev-badge {TONES[p.severity]}">'
        f'{_e(i18n.text(lang, f"severity.{p.severity}"))}</span> {_e(_fns(fns, lang))}: {_linked(p.text, p.urls)}</p>'
        + (f'<p class="fix-line"><span class="sev-word">{todo}</span> {_linked(p.fix, p.urls)}</p>' if p.fix else "")
        + "</li>"
        for p, fns in card.problems)
    return f'<ul class="problem-list">{items}</ul>'


def _checks(card: Card, lang: str) -> str:
    """The verdicts of the checks that applied: a check that did not is neither passed nor failed."""
    rows = [(i18n.text(lang, "check.link"), *_link_row(card.refs[0], lang)),
            *_date_rows(card.refs, lang), *_title_row(card.refs[0], lang)]
    return '<dl class="check-list">' + "".join(
        f'<dt>{_e(label)}</dt><dd><span class="check-mark {tone}">{MARKS[tone]}</span>{value}</dd>'
        for label, tone, value in rows) + "</dl>"


def _link_row(result: dict, lang: str) -> tuple[str, str]:
    link = result.get("link")
    if link == "redirected" and result.get("final_url"):
        text = _e(i18n.text(lang, "link.redirects", url="\x00"))
        return "tone-info", text.replace("\x00", _link_to(result, lang, final=True))
    if link in linkstatus.LIVE:
        return "tone-good", _e(i18n.text(lang, "link.works", status=result.get("http_status") or "?"))
    tone = "tone-bad" if result.get("overall") == "fail" else "tone-warn"
    return tone, _e(link_words(result, lang))


def _date_rows(refs: list[dict], lang: str) -> list[tuple[str, str, str]]:
    """One row when the footnotes agree on the date, else one per footnote that states one."""
    rows = {}
    for ref in refs:
        row = _date_row(ref, lang)
        if row:
            rows.setdefault(row, []).append(str(ref.get("footnote")))
    label = i18n.text(lang, "check.date")
    if len(rows) <= 1:
        return [(label, tone, _e(text)) for tone, text in rows]
    return [(f"{label}, {_fns(fns, lang)}", tone, _e(text)) for (tone, text), fns in rows.items()]


def _date_row(ref: dict, lang: str) -> tuple[str, str] | None:
    date = ref.get("date") or {}
    verdict, facts = date.get("verdict"), page_facts(date, lang)
    page = i18n.text(lang, "date.page", facts=facts) if facts else i18n.text(lang, "date.none")
    claimed = i18n.claimed_day(date.get("claimed"), lang)
    accessed = f"; {i18n.text(lang, 'date.accessed', date=i18n.day(date['accessed'], lang))}" if date.get("accessed") else ""
    if verdict == "match":
        which = i18n.text(lang, f"kind.{date.get('matched') or 'published'}")
        tone = "tone-warn" if date.get("updated_since_claim") else "tone-good"
        return tone, i18n.text(lang, "date.match", claimed=claimed, which=which) + f"; {page}{accessed}"
    if verdict in ("mismatch", "claim_unknown", "no_page_date"):
        tone = "tone-bad" if verdict == "mismatch" else "tone-warn"
        return tone, f"{i18n.text(lang, 'date.claimed', claimed=claimed)}; {page}{accessed}"
    if facts:  # not checked, but the page's dates are worth knowing
        return "tone-muted", i18n.text(lang, "date.unclaimed", page=page) + accessed
    return None


def _title_row(result: dict, lang: str) -> list[tuple[str, str, str]]:
    title = result.get("title") or {}
    verdict, label = title.get("verdict"), i18n.text(lang, "check.title")
    if verdict == "match":
        return [(label, "tone-good", _e(i18n.text(lang, "title.match", page=i18n.quoted(title.get("page"), lang))))]
    if verdict == "translation" and title.get("edition_title"):
        text = i18n.text(lang, "title.edition", language=i18n.language_name(title.get("language"), lang),
                         cited=i18n.language_name(title.get("cited_language"), lang))
        return [(label, "tone-info", _e(text))]
    if verdict in ("differs", "translation"):
        return [(label, "tone-warn", _e(i18n.quoted(title.get("page"), lang)))]
    return []


def _footnotes(card: Card, lang: str) -> str:
    """Each footnote's own pages, passage and claim; the sentence shortened (in full under Evidence)."""
    items = []
    for ref in card.refs:
        parts = [p for p in (_pages(ref, lang), _passage(ref, lang)) if p]
        claim = ref.get("claim") or {}
        if claim.get("context"):
            parts.append(f'<span class="claim-quote">«{_e(_shorten(claim["context"]))}»</span>')
        words = claim_words(claim, lang)
        if words:
            parts.append(_e(words))
        items.append(f'<li data-footnote="{_e(ref.get("footnote"))}"><span class="sev-word">'
                     f'{_e(_fns([str(ref.get("footnote"))], lang))}</span> {" · ".join(parts)}</li>')
    return f'<ul class="fn-list">{"".join(items)}</ul>'


def _pages(ref: dict, lang: str) -> str:
    pages = ref.get("pages") or {}
    if not pages.get("cited"):
        return ""
    if pages.get("verdict") == "ok":
        return _e(i18n.text(lang, "pages.ok", cited=pages["cited"], count=pages.get("page_count")))
    return _e(i18n.text(lang, "pages.cited", cited=pages["cited"]))


def _passage(ref: dict, lang: str) -> str:
    passage = ref.get("passage") or {}
    if passage.get("verdict") != "found":
        return ""
    if passage.get("found_on"):
        return _e(i18n.text(lang, "passage.on_page", page=passage["found_on"]))
    return _e(i18n.text(lang, "passage.found"))


def _card_links(card: Card, lang: str, relative_to: str | None) -> str:
    """Where the archive keeps the page's text, and where to edit the source. Only an uncompressed
    ``.txt`` (of an older run) is a link: a browser would download a ``.gz`` instead of showing it."""
    snapshot = card.snapshot
    parts = []
    if snapshot and snapshot.get("text_path"):
        where = _relative(snapshot["text_path"], relative_to)
        shown = (f'<a href="{_e(quote(where))}">{_e(where)}</a>' if where.endswith(archive.LEGACY_TEXT_SUFFIX)
                 else f'<span class="hash-text">{_e(where)}</span>')
        parts.append(_e(i18n.text(lang, "card.archived", path="\x00")).replace("\x00", shown))
    parts.append(_e(i18n.text(lang, "card.source_id", id=card.source)))
    return f'<p class="card-meta">{" · ".join(parts)}</p>' + _page_text(card, snapshot, lang, relative_to)


def _page_text(card: Card, snapshot: dict | None, lang: str, relative_to: str | None) -> str:
    """The text citecheck read, folded, on a card that needs action: its first ``TEXT_CHARS``
    characters, escaped (it comes from the web). A text that cannot be read is one line."""
    if card.overall not in NEEDS_ACTION or not snapshot or not snapshot.get("text_path"):
        return ""
    where = _relative(snapshot["text_path"], relative_to)
    try:
        text = archive.read_text(Path(snapshot["text_path"]))  # as the run named it: from where it ran
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return f'<p class="card-meta">{_e(i18n.text(lang, "card.text_unread", path=where, reason=reason))}</p>'
    cut = ""
    if len(text) > TEXT_CHARS:
        words = i18n.text(lang, "card.text_cut", shown=i18n.number(TEXT_CHARS, lang),
                          total=i18n.number(len(text), lang), path=where)
        cut = f"<p>{_e(words)}</p>"
        text = text[:TEXT_CHARS]
    return (f'<details class="page-text"><summary>{_e(i18n.text(lang, "card.page_text"))}</summary>'
            f"<pre>{_e(text)}</pre>{cut}</details>")


def _evidence(card: Card, lang: str) -> str:
    """Where each date came from, redirects, the citing sentences and the fingerprints: behind a disclosure."""
    first = next((r for r in card.refs if (r.get("date") or {}).get("evidence")), card.refs[0])
    snapshot = card.snapshot
    if first.get("link") == "no_url" and not snapshot:
        return ""
    parts = [_dates_table(first.get("date") or {}, lang), _hops(first, lang), _sentences(card, lang)]
    if snapshot:
        parts.append(f'<p>{_e(i18n.text(lang, "ev.sha"))}: <span class="hash-text">{_e(snapshot.get("sha256"))}</span></p>')
        if snapshot.get("warc"):
            parts.append(f'<p>{_e(i18n.text(lang, "ev.warc"))}: {_e(snapshot["warc"])}</p>')
    unread = [u for r in card.refs[:1] for u in r.get("unread") or ()]
    if unread:
        parts.append(f'<p>{_e(i18n.text(lang, "ev.unread"))}: {_e("; ".join(unread))}</p>')
    return (f'<details class="evidence-box"><summary>{_e(i18n.text(lang, "ev.summary"))}</summary>'
            f'{"".join(parts)}</details>')


def _dates_table(date: dict, lang: str) -> str:
    evidence = date.get("evidence") or []
    if not evidence:
        return f'<p>{_e(i18n.text(lang, "ev.no_dates"))}</p>'
    chosen = [chosen_evidence(date, k) for k in ("published", "modified") if date.get(k)]
    rows = "".join(_evidence_row(ev, any(ev is c for c in chosen), lang) for ev in evidence)
    head = "".join(f"<th>{_e(i18n.text(lang, k))}</th>" for k in ("ev.what", "ev.where", "ev.raw"))
    return f'<table class="evidence-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _evidence_row(evidence: dict, chosen: bool, lang: str) -> str:
    """One date the page states: the one a verdict rests on in bold."""
    kind = evidence.get("kind")
    what = f"{i18n.text(lang, f'kind.{kind}') if kind in KINDS else ''} {i18n.day(evidence.get('date'), lang)}".strip()
    what = f"<b>{_e(what)}</b>" if chosen else _e(what)
    return (f"<tr><td>{what}</td><td>{_e(evidence_words(evidence, lang))}</td>"
            f"<td>«{_e(evidence.get('raw'))}»</td></tr>")


def _hops(result: dict, lang: str) -> str:
    hops = result.get("hops") or []
    if len(hops) < 2 and not any(h.get("location") for h in hops):
        return ""
    items = "".join(f"<li>{_e(h.get('status'))} {_e(h.get('url'))}"
                    + (f" → {_e(h['location'])}" if h.get("location") else "") + "</li>" for h in hops)
    return f'<p>{_e(i18n.text(lang, "ev.redirects"))}:</p><ol class="hop-list">{items}</ol>'


def _sentences(card: Card, lang: str) -> str:
    """Each footnote's citing sentence in full, with where the source states its anchors."""
    out = []
    for ref in card.refs:
        claim = ref.get("claim") or {}
        if not claim.get("context"):
            continue
        found = "".join(f"<li>{_e(a['text'])}: «{_e(a['snippet'])}»</li>"
                        for a in claim.get("anchors") or () if a.get("found") and a.get("snippet"))
        out.append(f'<p>{_e(i18n.text(lang, "ev.sentence", fn=ref.get("footnote")))}: «{_e(claim["context"])}»</p>'
                   + (f'<ul class="hop-list">{found}</ul>' if found else ""))
    return "".join(out)


# -- small helpers -----------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _fns(numbers: list[str], lang: str) -> str:
    return i18n.text(lang, "fn", numbers=", ".join(numbers))


def _card_id(source: str) -> str:
    return "src-" + quote(source, safe="")


def _source_name(card: Card, full: bool = False) -> str:
    """'Publisher: cited title' for the action list; the cited title alone as a card's heading."""
    first = card.refs[0]
    title = str(first.get("source_title") or first.get("source") or "")
    if full or not first.get("publisher"):
        return title
    return f"{first['publisher']}: {title}"


def _link_to(result: dict, lang: str, final: bool = False) -> str:
    """A clickable, shortened link, only for http(s): a citation may hold anything."""
    url = str(result.get("final_url" if final else "url") or "")
    if not url:
        return _e(i18n.text(lang, "card.no_url"))
    parts = urlsplit(url)
    shown = (parts.netloc.removeprefix("www.") + parts.path.rstrip("/")) or url
    shown = shown if len(shown) <= 70 else shown[:69] + "…"
    if parts.scheme.lower() in ("http", "https"):
        return f'<a href="{_e(url)}" title="{_e(url)}" rel="noreferrer">{_e(shown)}</a>'
    return _e(url)


def _linked(text: str, urls: tuple[str, ...]) -> str:
    """Escaped text with its known http(s) addresses made links."""
    out = _e(text)
    for url in urls:
        if urlsplit(url).scheme.lower() in ("http", "https"):
            out = out.replace(_e(url), f'<a href="{_e(url)}" rel="noreferrer">{_e(url)}</a>')
    return out


def _shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _relative(path: str, relative_to: str | None) -> str:
    if relative_to is None or os.path.isabs(path):
        return path.replace(os.sep, "/")
    return os.path.relpath(path, relative_to).replace(os.sep, "/")
