"""Realistic news pages for the crawl benchmark, generated deterministically.

A cited page is mostly not its article: a real news page of 60-120 KB carries a
mega-menu, inline CSS and state blobs, JSON-LD, related-article lists and a
footer around a few KB of prose. Extraction cost scales with that whole tree,
so the benchmark serves pages with the same proportions. The prose is
invented from a word list; page ``n`` is always the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass

WORDS = (
    "harbour ferry council island quay tide pontoon winter summer timetable cooperative signature "
    "operator passenger crossing morning evening budget district mayor report committee vote plan "
    "bridge road railway station market square school library museum river valley coast village "
    "town region province ministry agency court ruling appeal hearing witness record archive letter "
    "survey study figure share percent rise fall increase decline estimate forecast season weather "
    "storm flood drought harvest farmer fisher worker union strike wage price rent housing tenant "
    "landlord builder engineer architect design contract tender delay cost overrun audit review "
    "inspector safety standard permit licence fee tax grant subsidy fund donor charity volunteer "
    "resident neighbour family child parent teacher student doctor nurse clinic hospital ward bed "
    "ambulance police officer patrol border customs port cargo container ship crane dock warehouse"
).split()
VERBS = ("said", "agreed", "rejected", "announced", "confirmed", "denied", "proposed", "approved",
         "delayed", "questioned", "welcomed", "criticised", "reported", "expected", "warned")
SECTIONS = ("Politics", "Economy", "Region", "Culture", "Science", "Sport", "Opinion", "Weather",
            "Transport", "Housing", "Health", "Education", "Environment", "Courts", "Media")
STYLE_RULE = ".{cls}{{margin:0 {a}px;padding:{b}px {a}px;font:{b}px/1.{a} system-ui,sans-serif;color:#{c:06x}}}\n"
ICON = ('<svg class="icon icon-{name}" viewBox="0 0 24 24" aria-hidden="true"><path d="M{a} {b}l{c} {a}'
        'c1.1 0 2-.9 2-2V{b}c0-1.1-.9-2-2-2H{c}l-{a} {b}z"/></svg>')


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    published: dt.datetime
    modified: dt.datetime | None
    html: bytes


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 22))]
    words.insert(rng.randint(2, len(words) - 1), rng.choice(VERBS))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def _headline(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 9))).capitalize()


def _links(rng: random.Random, count: int, prefix: str) -> str:
    return "".join(
        f'<li class="nav-item"><a class="nav-link" href="/{prefix}/{rng.randrange(10**6)}.html">'
        f"{_headline(rng)}</a></li>" for _ in range(count))


def _style(rng: random.Random, rules: int) -> str:
    return "".join(STYLE_RULE.format(cls=f"c{rng.randrange(10**5):05d}", a=rng.randint(1, 9),
                                     b=rng.randint(8, 24), c=rng.randrange(1 << 24)) for _ in range(rules))


def _state_blob(rng: random.Random, items: int) -> str:
    state = {"teasers": [{"id": rng.randrange(10**7), "title": _headline(rng), "section": rng.choice(SECTIONS),
                          "image": f"/img/{rng.randrange(10**6)}.jpg", "ts": rng.randrange(1_600_000_000, 1_800_000_000)}
                         for _ in range(items)], "flags": {"paywall": False, "ads": True}}
    return json.dumps(state, separators=(",", ":"))


def _icons(rng: random.Random, count: int) -> str:
    return "".join(ICON.format(name=rng.choice(SECTIONS).lower(), a=rng.randint(1, 20), b=rng.randint(1, 20),
                               c=rng.randint(1, 20)) for _ in range(count))


def _json_ld(headline: str, published: dt.datetime, modified: dt.datetime | None, url: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
            "mainEntityOfPage": url, "datePublished": published.isoformat(),
            "author": {"@type": "Person", "name": "Desk Reporter"},
            "publisher": {"@type": "Organization", "name": "Tidewater Courier"}}
    if modified:
        data["dateModified"] = modified.isoformat()
    return json.dumps(data)


def _article(rng: random.Random, headline: str, published: dt.datetime, modified: dt.datetime | None) -> str:
    paragraphs = [f"<p>{_paragraph(rng)}</p>" for _ in range(rng.randint(7, 14))]
    paragraphs.insert(len(paragraphs) // 2, f"<h2>{_headline(rng)}</h2>")
    paragraphs.insert(3, f'<figure><img src="/img/{rng.randrange(10**6)}.jpg" alt="">'
                         f"<figcaption>{_sentence(rng)}</figcaption></figure>")
    updated = (f' · Updated <time datetime="{modified.isoformat()}">{modified:%d %B %Y, %H:%M}</time>'
               if modified else "")
    return (f'<article class="story"><h1 class="headline">{headline}</h1>'
            f'<p class="byline">By Desk Reporter · <time datetime="{published.isoformat()}">'
            f"{published:%d %B %Y, %H:%M}</time>{updated}</p>"
            f'<p class="lead"><strong>{_sentence(rng)}</strong></p>{"".join(paragraphs)}</article>')


def make_page(n: int, base_url: str) -> Page:
    """Page ``n`` (60-120 KB of HTML); ``base_url`` is where it is served, for its JSON-LD."""
    rng = random.Random(n)
    path = f"/{rng.choice(SECTIONS).lower()}/{2023 + n % 3}/story-{n}.html"
    headline = _headline(rng)
    tz = dt.timezone(dt.timedelta(hours=rng.choice((0, 1, 2))))
    published = dt.datetime(2023 + n % 3, 1 + n % 12, 1 + n % 28, 6 + n % 12, n % 60, tzinfo=tz)
    modified = published + dt.timedelta(days=n % 5, hours=3) if n % 3 == 0 else None
    body_size = rng.randint(60_000, 120_000)
    head = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{headline} | Tidewater Courier</title>'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<meta property="og:title" content="{headline}"><meta property="og:type" content="article">'
            f'<meta name="description" content="{_sentence(rng)}">'
            f'<link rel="canonical" href="{base_url}{path}">'
            f'<script type="application/ld+json">{_json_ld(headline, published, modified, base_url + path)}</script>'
            f"<style>{_style(rng, 120)}</style></head>")
    nav = (f'<body><header class="site-header"><a class="logo" href="/">Tidewater Courier</a>{_icons(rng, 12)}'
           f'<nav class="menu"><ul>{_links(rng, 90, "section")}</ul></nav></header>'
           f'<div class="cookie-banner" role="dialog"><p>{_paragraph(rng)}</p><button>Accept</button></div>')
    main = f'<main class="layout"><div class="content">{_article(rng, headline, published, modified)}</div>'
    aside = f'<aside class="sidebar"><h3>Most read</h3><ol>{_links(rng, 12, "top")}</ol></aside></main>'
    footer = f'<footer class="site-footer"><ul>{_links(rng, 60, "about")}</ul><p>© Tidewater Courier</p></footer>'
    html = head + nav + main + aside + footer
    filler = []
    while len(html) + sum(map(len, filler)) < body_size:  # the rest is scripts, as on real pages
        filler.append(f"<script>window.__STATE_{len(filler)}__={_state_blob(rng, 25)};</script>")
    html += "".join(filler) + "</body></html>"
    return Page(path=path, title=headline, published=published, modified=modified, html=html.encode("utf-8"))
