"""date_verdict: every verdict, day comparison in the page's own time zone."""

import datetime as dt

from crawler.extract.dates import choose_dates, date_verdict
from crawler.models import ClaimedDate, DateCandidate, PageDates

KEYS = {"claimed", "published", "modified", "verdict", "matched", "updated_since_claim",
        "difference_days", "suggested", "evidence"}


def cand(kind, value, source="meta", confidence=0.85):
    return DateCandidate(kind, source, "test", str(value), value, confidence)


def tz(hours):
    return dt.timezone(dt.timedelta(hours=hours))


PUB = cand("published", dt.datetime(2026, 2, 18, 23, 30, tzinfo=tz(-5)))
MOD = cand("modified", dt.date(2026, 2, 23))
BOTH = PageDates(published=PUB, modified=MOD, candidates=(PUB, MOD))
NONE = PageDates()


def claim(day):
    return ClaimedDate(raw=day, value=dt.date.fromisoformat(day))


def test_not_checked_without_claim():
    out = date_verdict(None, BOTH)
    assert set(out) == KEYS
    assert out["verdict"] == "not_checked"
    assert out["claimed"] is None
    assert (out["published"], out["modified"]) == ("2026-02-18", "2026-02-23")


def test_match_published_in_page_time_zone():
    out = date_verdict(claim("2026-02-18"), BOTH)
    assert (out["verdict"], out["matched"]) == ("match", "published")
    assert out["updated_since_claim"] is True
    assert out["difference_days"] is None


def test_utc_day_is_not_the_page_day():
    out = date_verdict(claim("2026-02-19"), BOTH)
    assert out["verdict"] == "mismatch"
    assert out["difference_days"] == 1


def test_match_modified():
    out = date_verdict(claim("2026-02-23"), BOTH)
    assert (out["verdict"], out["matched"], out["updated_since_claim"]) == (
        "match", "modified", False)


def test_mismatch_signed_difference_to_nearest():
    assert date_verdict(claim("2026-02-25"), BOTH)["difference_days"] == 2
    assert date_verdict(claim("2026-02-10"), BOTH)["difference_days"] == -8
    out = date_verdict(claim("2026-02-20"), BOTH)
    assert (out["verdict"], out["difference_days"], out["updated_since_claim"]) == (
        "mismatch", 2, True)


def test_claim_unknown_suggests_modified_else_published():
    unknown = ClaimedDate(raw="unknown", unknown=True)
    out = date_verdict(unknown, BOTH)
    assert (out["claimed"], out["verdict"], out["suggested"]) == (
        "unknown", "claim_unknown", "2026-02-23")
    only_pub = PageDates(published=PUB, candidates=(PUB,))
    assert date_verdict(unknown, only_pub)["suggested"] == "2026-02-18"


def test_no_page_date():
    assert date_verdict(claim("2026-02-18"), NONE)["verdict"] == "no_page_date"
    unknown = ClaimedDate(raw="unknown", unknown=True)
    out = date_verdict(unknown, NONE)
    assert (out["verdict"], out["suggested"], out["evidence"]) == ("no_page_date", None, [])


def test_evidence_chosen_first_then_strongest():
    weak = cand("unlabelled", dt.date(2026, 1, 1), "htmldate", 0.45)
    url = cand("published", dt.date(2026, 2, 18), "url", 0.6)
    dates = choose_dates([weak, MOD, url, PUB])
    evidence = date_verdict(claim("2026-02-18"), dates)["evidence"]
    assert [e["source"] for e in evidence] == ["meta", "meta", "url", "htmldate"]
    assert evidence[0]["utc_offset"] == "-05:00"
    assert evidence[0]["date"] == "2026-02-18"


def test_choose_never_takes_published_from_modified_label():
    modified = cand("modified", dt.date(2026, 3, 1), confidence=0.95)
    other = cand("published", dt.date(2026, 2, 1), confidence=0.5)
    assert choose_dates([modified, other]).published is other


def test_only_a_modified_date_is_inferred_as_published_and_matches_as_modified():
    """ "Stand: 01.03.2026" alone: the reader's publication date, shown as inferred."""
    modified = cand("modified", dt.date(2026, 3, 1), confidence=0.95)
    dates = choose_dates([modified])
    assert dates.published is modified and dates.modified is modified
    verdict = date_verdict(ClaimedDate("01.03.2026", dt.date(2026, 3, 1)), dates)
    assert (verdict["verdict"], verdict["matched"]) == ("match", "modified")


def test_choose_drops_modified_before_published():
    early = cand("modified", dt.date(2026, 1, 5), confidence=0.9)
    later = cand("modified", dt.date(2026, 2, 20), "text", 0.62)
    dates = choose_dates([PUB, early, later])
    assert dates.modified is later
    assert choose_dates([PUB, early]).modified is None


def test_choose_prefers_local_offset_twin_of_utc_winner():
    utc = cand("published", dt.datetime(2026, 2, 19, 4, 30, tzinfo=dt.timezone.utc),
               "json-ld", 0.9)
    dates = choose_dates([utc, PUB])
    assert dates.published is PUB
    assert dates.published.day == dt.date(2026, 2, 18)


def test_pdf_candidates_built_elsewhere():
    created = cand("published", dt.datetime(2025, 11, 3, 9, 0, tzinfo=tz(1)), "pdf")
    changed = cand("modified", dt.datetime(2025, 12, 1, 9, 0, tzinfo=tz(1)), "pdf")
    out = date_verdict(claim("2025-12-01"), choose_dates([created, changed]))
    assert (out["verdict"], out["matched"]) == ("match", "modified")


def _page(body: str, head: str = "") -> bytes:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Ferry timetable changes | Site'
            f"</title>{head}</head><body>{body}</body></html>").encode()


def test_a_day_early_claim_matches_only_what_the_page_states_as_this_articles_date():
    """The day before publication is written on the page, but as another item's date (a teaser),
    as the UTC day of the page's local timestamp, or as a forum member's joining date: a claim of
    it is a mismatch. Stated as this article's own date (its metadata), it matches."""
    from crawler.extract.dates import extract_dates

    url = "https://news.example/ferry-timetable"
    headline = "<h1>Ferry timetable changes</h1>"
    pages = {
        "teaser": _page(f"""<article>{headline}<time datetime="2026-03-04T09:00:00+01:00">4 March 2026</time>
<p>Boats leave earlier from Monday.</p></article>
<aside class="related"><a href="/other">Harbour dredging</a> <time datetime="2026-03-03">3 March 2026</time></aside>"""),
        "utc": _page(f"{headline}<p>Boats leave earlier from Monday.</p>",
                     head='<meta property="article:published_time" content="2026-03-04T00:30:00+01:00">'
                          '<script>var s = {"stamp": "2026-03-03T23:30:00Z"};</script>'),
        "profile": _page(f"""{headline}<div class="byline">4 March 2026</div>
<div class="profile">Member since: 3 March 2026</div><p>Boats leave earlier from Monday.</p>"""),
    }
    for name, html in pages.items():
        dates = extract_dates(html, url)
        assert date_verdict(claim("2026-03-04"), dates)["verdict"] == "match", name
        assert date_verdict(claim("2026-03-03"), dates)["verdict"] == "mismatch", name
    stated = _page(f"{headline}<p>Boats leave earlier from Monday.</p>",
                   head='<meta property="article:published_time" content="2026-03-03T18:00:00+01:00">'
                        '<meta property="article:modified_time" content="2026-03-04T08:00:00+01:00">')
    dates = extract_dates(stated, url)
    assert date_verdict(claim("2026-03-03"), dates)["matched"] == "published"
    assert date_verdict(claim("2026-03-04"), dates)["matched"] == "modified"
