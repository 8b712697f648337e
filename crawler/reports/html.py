"""The report an editor opens in a browser or prints: one self-contained page.

No scripts, fonts or images from anywhere, so it can be mailed, archived next
to the WARC and still opened years later. Every value is escaped: titles and
URLs come from the web. Verdicts carry a word as well as a colour, so that a
black-and-white printout still says what failed.
"""

from __future__ import annotations

import html
import os
from urllib.parse import quote, urlsplit

from .common import GROUP_LABELS, counts, document_line, document_title, evidence_brief, grouped, notes, where_label

# Colour family of each verdict value, per check (unknown link verdicts are "bad").
TONES = {
    "overall": {"pass": "good", "warn": "warn", "fail": "bad"},
    "link": {"ok": "good", "redirected": "info", "rate_limited": "warn", "timeout": "warn",
             "blocked": "warn", "server_error": "warn", "no_url": "bad"},
    "date": {"match": "good", "mismatch": "bad", "claim_unknown": "warn", "no_page_date": "warn",
             "not_checked": "muted"},
    "title": {"match": "good", "differs": "warn", "translation": "info", "not_checked": "muted"},
    "claim": {"supported": "good", "partly": "info", "unsupported": "warn", "not_checked": "muted"},
    "pages": {"ok": "good", "out_of_range": "bad", "not_checked": "muted", "not_applicable": "muted"},
}
RUN_FIELDS = (("Run", "id"), ("Started", "started_at"), ("Finished", "finished_at"), ("Tool", "tool"),
              ("Citations", "citations"), ("Replayed from", "replay"), ("Archive", "archive"),
              ("Exit code", "exit_code"))

CSS = """
:root { --good:#1a7f37; --good-bg:#dafbe1; --warn:#8a5a00; --warn-bg:#fff1c2; --bad:#b3261e;
  --bad-bg:#ffe0dc; --info:#0b5cad; --info-bg:#ddeeff; --muted:#5f6368; --muted-bg:#eef0f2;
  --line:#d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1f2328; margin: 2rem auto; max-width: 76rem; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 0; }
h3 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 .3rem; }
code, .mono { font: .85em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
a { color: var(--info); overflow-wrap: anywhere; }
.counts { margin: .75rem 0; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; font-size: .8rem; font-weight: 600;
  border: 1px solid currentColor; white-space: nowrap; }
.counts .badge { font-size: 1rem; padding: .15rem .8rem; margin-right: .4rem; }
.good { color: var(--good); background: var(--good-bg); } .warn { color: var(--warn); background: var(--warn-bg); }
.bad { color: var(--bad); background: var(--bad-bg); } .info { color: var(--info); background: var(--info-bg); }
.muted { color: var(--muted); background: var(--muted-bg); }
dl.run { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0 0 1.5rem; }
dl.run dt { color: var(--muted); } dl.run dd { margin: 0; }
table.refs { width: 100%; border-collapse: collapse; }
table.refs > thead th { text-align: left; border-bottom: 2px solid var(--line); padding: .4rem; }
tbody.group th { text-align: left; padding: 1.25rem .4rem .4rem; border-bottom: 2px solid var(--line); }
tbody.ref > tr > td { vertical-align: top; padding: .5rem .4rem; }
tbody.ref { border-bottom: 1px solid var(--line); break-inside: avoid; }
tbody.ref.fail > tr > td:first-child { border-left: 4px solid var(--bad); }
tbody.ref.warn > tr > td:first-child { border-left: 4px solid var(--warn); }
tbody.ref.pass > tr > td:first-child { border-left: 4px solid var(--good); }
td.fn { font-weight: 700; font-size: 1.1rem; } .src-title { font-weight: 600; } .sub { color: var(--muted); font-size: .85rem; }
ul.reasons { margin: 0; padding-left: 1.1rem; }
.checks { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: .75rem 1.5rem; }
.checks section { min-width: 0; } .checks section.wide { grid-column: 1 / -1; }
details.evidence { overflow-x: auto; } details.evidence summary { cursor: pointer; color: var(--muted); font-size: .85rem; }
table.evidence col.kind { width: 6rem; } table.evidence col.date { width: 9rem; } table.evidence col.conf { width: 3.5rem; }
table.evidence { table-layout: fixed; min-width: 36rem; }
.checks p { margin: .15rem 0; }
table.evidence { border-collapse: collapse; font-size: .82rem; margin-top: .3rem; width: 100%; }
table.evidence th, table.evidence td { border-top: 1px solid var(--line); padding: .15rem .3rem; text-align: left;
  vertical-align: top; }
ol.hops { margin: .2rem 0; padding-left: 1.2rem; font-size: .85rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .8rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tbody.ref { break-inside: avoid; } tbody.group { break-after: avoid; }
  a { color: inherit; }
}
"""


def render(run: dict, results: list[dict], *, relative_to: str | None = None) -> str:
    """``relative_to``: the report's folder, so snapshot text links resolve from there."""
    title = f"citecheck: {document_title(run)} ({run.get('id', '')})"
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        _header(run, results),
        _table(results, relative_to),
        f"<footer>Generated by {_e(run.get('tool') or 'citecheck')}.</footer>\n</body>\n</html>\n",
    ]
    return "".join(parts)


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _badge(tone: str, text: object) -> str:
    return f'<span class="badge {tone}">{_e(text)}</span>'


def _verdict(check: str, value: object) -> str:
    default = "bad" if check == "link" else "muted"
    return _badge(TONES[check].get(value, default), value if value is not None else "—")


def _header(run: dict, results: list[dict]) -> str:
    tally = counts(results)
    badges = " ".join(_badge(TONES["overall"][k], f"{tally[k]} {k}") for k in ("fail", "warn", "pass"))
    facts = "".join(
        f"<dt>{label}</dt><dd>{_e(run[key])}</dd>" for label, key in RUN_FIELDS if run.get(key) is not None
    )
    return (
        f"<header>\n<h1>{_e(document_line(run))}</h1>\n"
        f'<p class="counts">{badges} <span class="sub">of {len(results)} references</span></p>\n'
        f'<dl class="run">{facts}</dl>\n</header>\n'
    )


def _table(results: list[dict], relative_to: str | None) -> str:
    rows = ['<main>\n<table class="refs">\n<thead><tr><th>Verdict</th><th>Fn</th><th>Source</th>'
            "<th>Why</th></tr></thead>\n"]
    for overall, group in grouped(results):
        rows.append(f'<tbody class="group"><tr><th colspan="4"><h2>{GROUP_LABELS[overall]} '
                    f"({len(group)})</h2></th></tr></tbody>\n")
        rows += [_reference(r, relative_to) for r in group]
    rows.append("</table>\n</main>\n")
    return "".join(rows)


def _reference(result: dict, relative_to: str | None) -> str:
    overall = result.get("overall")
    reasons = "".join(f"<li>{_e(r)}</li>" for r in result.get("reasons") or ()) or "<li>All checks passed.</li>"
    reasons += "".join(f'<li class="note">{_e(n)}</li>' for n in notes(result))
    source = (
        f'<div class="src-title">{_e(result.get("source_title") or result.get("source"))}</div>'
        f'<div class="sub">{_e(result.get("publisher") or "")} · <code>{_e(result.get("source"))}</code>'
        f' · line {_e(result.get("line"))}</div>'
    )
    checks = "".join((_link(result), _date(result.get("date") or {}), _title(result.get("title") or {}),
                      _pages(result.get("pages") or {}), _claim(result.get("claim") or {}),
                      _snapshot(result.get("snapshot"), relative_to)))
    return (
        f'<tbody class="ref {_e(overall)}">\n'
        f'<tr><td>{_badge(TONES["overall"].get(overall, "muted"), str(overall).upper())}</td>'
        f'<td class="fn">{_e(result.get("footnote"))}</td><td>{source}</td>'
        f'<td><ul class="reasons">{reasons}</ul></td></tr>\n'
        f'<tr><td></td><td colspan="3"><div class="checks">{checks}</div></td></tr>\n</tbody>\n'
    )


def _link_to(url: object) -> str:
    """A clickable link only for http(s): a citation may hold anything."""
    if not url:
        return '<span class="sub">no URL</span>'
    text = str(url)
    if urlsplit(text).scheme.lower() in ("http", "https"):
        return f'<a href="{_e(text)}" rel="noreferrer">{_e(text)}</a>'
    return f"<code>{_e(text)}</code>"


def _link(result: dict) -> str:
    status = f" HTTP {_e(result['http_status'])}" if result.get("http_status") else ""
    lines = [f"<p>{_verdict('link', result.get('link'))}{status}</p>", f"<p>{_link_to(result.get('url'))}</p>"]
    if result.get("final_url") and result.get("final_url") != result.get("url"):
        lines.append(f"<p>→ {_link_to(result['final_url'])}</p>")
    if result.get("link_detail"):
        lines.append(f'<p class="sub">{_e(result["link_detail"])}</p>')
    hops = result.get("hops") or []
    if len(hops) > 1 or any(h.get("location") for h in hops):
        items = "".join(
            f"<li><code>{_e(h.get('status'))}</code> {_e(h.get('url'))}"
            + (f" → {_e(h['location'])}" if h.get("location") else "") + "</li>"
            for h in hops
        )
        lines.append(f'<ol class="hops">{items}</ol>')
    return _section("Link", lines)


def _date(date: dict) -> str:
    if not date:
        return _section("Date", ['<p class="sub">not checked</p>'])
    lines = [f"<p>{_verdict('date', date.get('verdict'))}"
             + (f" matched the page's {_e(date['matched'])} date" if date.get("matched") else "") + "</p>",
             f"<p>Claimed: <b>{_e(date.get('claimed') or '—')}</b></p>",
             f"<p>Page: published <b>{_e(date.get('published') or '—')}</b>, "
             f"modified <b>{_e(date.get('modified') or '—')}</b></p>"]
    notes = []
    if date.get("difference_days") is not None:
        notes.append(f"{_e(date['difference_days'])} days apart")
    if date.get("updated_since_claim"):
        notes.append("updated since the claimed date")
    if date.get("suggested"):
        notes.append(f"suggested claim: <b>{_e(date['suggested'])}</b>")
    if notes:
        lines.append(f'<p class="sub">{"; ".join(notes)}</p>')
    brief = evidence_brief(date)
    if brief:
        lines.append(f'<p class="sub">{_e(brief)}</p>')
    if date.get("verdict") != "not_checked" or date.get("evidence"):
        lines.append(_evidence(date.get("evidence") or []))
    return _section("Date", lines, wide=True)


def _evidence(evidence: list[dict]) -> str:
    if not evidence:
        return '<p class="sub">The page states no date we could find.</p>'
    rows = "".join(
        f"<tr><td>{_e(ev.get('kind'))}</td><td><b>{_e(ev.get('date'))}</b>"
        + (f" <span class=\"sub\">UTC{_e(ev['utc_offset'])}</span>" if ev.get("utc_offset") else "")
        + f"</td><td>{_e(where_label(ev))}<div class=\"sub mono\">{_e(ev.get('where'))}</div></td>"
        f"<td class=\"mono\">{_e(ev.get('raw'))}</td><td>{_e(ev.get('confidence'))}</td></tr>"
        for ev in evidence
    )
    return ('<details class="evidence"><summary>Evidence: where the page states '
            f'{len(evidence)} date{"s" if len(evidence) != 1 else ""} (element, raw text, confidence)</summary>'
            '<table class="evidence"><colgroup><col class="kind"><col class="date"><col><col><col class="conf">'
            '</colgroup><thead><tr><th>Kind</th><th>Date</th><th>Found in</th>'
            f"<th>Raw text</th><th>Conf.</th></tr></thead><tbody>{rows}</tbody></table></details>")


def _title(title: dict) -> str:
    if not title or title.get("verdict") in (None, "not_checked"):
        return _section("Title", [f"<p>Cited: {_e(title.get('cited') or '—')}</p>",
                                  '<p class="sub">not checked</p>'])
    similarity = title.get("similarity")
    score = f" similarity {similarity:.2f}" if isinstance(similarity, (int, float)) else ""
    lines = [f"<p>{_verdict('title', title.get('verdict'))}{_e(score)}</p>",
             f"<p>Cited: {_e(title.get('cited') or '—')}</p>",
             f"<p>Page ({_e(title.get('language') or '?')}): {_e(title.get('page') or '—')}</p>"
             if title.get("language") else f"<p>Page: {_e(title.get('page') or '—')}</p>"]
    if title.get("edition_title"):
        lines.append(f"<p>Edition in the cited language: {_link_to(title.get('edition_url'))}<br>"
                     f"{_e(title['edition_title'])}</p>")
    elif title.get("shared"):
        lines.append(f'<p class="sub">The two titles share {_e(", ".join(title["shared"]))}</p>')
    return _section("Title", lines)


def _claim(claim: dict) -> str:
    """Each number, date and name of the citing sentence, with where the source states it."""
    if not claim or claim.get("verdict") in (None, "not_checked"):
        return ""
    rows = "".join(
        f"<tr><td>{_e(a['text'])}</td><td>{_e(a['kind'])}</td>"
        f"<td>{_badge('good', 'found') if a['found'] else _badge('warn', 'not found')}</td>"
        f"<td>{_e(a.get('snippet') or '')}</td></tr>" for a in claim.get("anchors") or ())
    contradiction = claim.get("contradiction")
    share = claim.get("support") or 0
    lines = [f"<p>{_verdict('claim', claim.get('verdict'))} {share:.0%} of the sentence's anchors found</p>",
             f'<p class="sub">{_e(claim.get("context") or "")}</p>']
    if contradiction:
        lines.append(f"<p>The sentence says <b>{_e(contradiction['anchor'])}</b>; the source says "
                     f"<b>{_e(contradiction['source_says'])}</b>: «{_e(contradiction['snippet'])}»</p>")
    lines.append('<table class="evidence"><thead><tr><th>Anchor</th><th>Kind</th><th>In the source</th>'
                 f"<th>Where</th></tr></thead><tbody>{rows}</tbody></table>")
    return _section("Claim", lines, wide=True)


def _pages(pages: dict) -> str:
    verdict = pages.get("verdict")
    if not pages or verdict == "not_applicable" or (verdict == "not_checked" and not pages.get("cited")):
        return ""
    count = pages.get("page_count")
    return _section("Pages", [f"<p>{_verdict('pages', verdict)}</p>",
                              f"<p>Cited: {_e(pages.get('cited') or '—')}; document has "
                              f"{_e(count if count is not None else '?')} pages</p>"])


def _snapshot(snapshot: dict | None, relative_to: str | None) -> str:
    if not snapshot:
        return _section("Snapshot", ['<p class="sub">nothing archived</p>'])
    sha = snapshot.get("sha256") or ""
    lines = [f'<p>SHA-256 <code title="{_e(sha)}">{_e(sha[:16])}…</code></p>']
    if snapshot.get("text_path"):
        href = _relative(snapshot["text_path"], relative_to)
        lines.append(f'<p>Text: <a href="{_e(quote(href))}">{_e(snapshot["text_path"])}</a></p>')
    if snapshot.get("warc"):
        lines.append(f'<p class="sub">WARC: <code>{_e(snapshot["warc"])}</code></p>')
    return _section("Snapshot", lines)


def _relative(path: str, relative_to: str | None) -> str:
    if relative_to is None or os.path.isabs(path):
        return path.replace(os.sep, "/")
    return os.path.relpath(path, relative_to).replace(os.sep, "/")


def _section(heading: str, lines: list[str], wide: bool = False) -> str:
    attrs = ' class="wide"' if wide else ""
    return f"<section{attrs}><h3>{heading}</h3>{''.join(lines)}</section>"
