"""Report renderers over a saved run (tests/fixtures/reports/sample.json).

The sample holds seven references: two fails (fn 4 date mismatch, fn 10 no_url),
two warns (both fn 6: claim_unknown; no_page_date + title differs) and three
passes (fn 2 plain, fn 11 redirected, fn 12 PDF with pages ok).
"""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest

from crawler import reports
from crawler.record import archive
from crawler.reports import common, github, html, jsonreport, junit, markdown, sarif

SAMPLE = Path(__file__).parent / "fixtures" / "reports" / "sample.json"

EXPECTED_ORDER = [
    ("FAIL", "4", "rferl-grenze-2026"),
    ("FAIL", "10", "dekoder-exil-gnose"),
    ("WARN", "6", "taz-2026-deserteure"),
    ("WARN", "6", "mediazona-urteile"),
    ("PASS", "2", "meduza-kordon"),
    ("PASS", "11", "novaya-europe-lager"),
    ("PASS", "12", "unhcr-zentralasien-2026"),
]


@pytest.fixture
def sample():
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return data["run"], data["results"]


def by_source(results, source):
    return next(r for r in results if r["source"] == source)


# -- common ------------------------------------------------------------------


def test_footnote_key_sorts_numbers_numerically_and_text_last():
    keys = ["10", "x", "2", "10a", "6"]
    assert sorted(keys, key=common.footnote_key) == ["2", "6", "10", "10a", "x"]


def test_ordered_keeps_reference_order_within_a_footnote(sample):
    _, results = sample
    rows = common.ordered(results)
    assert [(r["overall"].upper(), r["footnote"], r["source"]) for r in rows] == EXPECTED_ORDER


@pytest.mark.parametrize(
    ("evidence", "label"),
    [
        ({"source": "json-ld", "where": "script[type=application/ld+json] datePublished"}, "json-ld datePublished"),
        ({"source": "meta", "where": 'meta[property="article:published_time"]'}, "meta article:published_time"),
        ({"source": "site:meduza", "where": 'div[data-testid="Timestamp"]'}, "site:meduza Timestamp"),
        ({"source": "time", "where": "time[datetime]"}, "time[datetime]"),
        ({"source": "header", "where": ""}, "header"),
    ],
)
def test_where_label(evidence, label):
    assert common.where_label(evidence) == label


def test_primary_check_follows_the_worst_field(sample):
    _, results = sample
    assert common.primary_check(by_source(results, "dekoder-exil-gnose")) == "link"
    assert common.primary_check(by_source(results, "rferl-grenze-2026")) == "date"
    # date (no_page_date) and title (differs) weigh the same: date comes first
    assert common.primary_check(by_source(results, "mediazona-urteile")) == "date"
    pdf = copy.deepcopy(by_source(results, "unhcr-zentralasien-2026"))
    pdf["pages"].update(cited="80-82", verdict="out_of_range")
    assert common.primary_check(pdf) == "pages"
    # a redirect alone is not the trouble; the title is
    redirected = copy.deepcopy(by_source(results, "novaya-europe-lager"))
    redirected["title"]["verdict"] = "differs"
    assert common.primary_check(redirected) == "title"


# -- markdown ----------------------------------------------------------------


def test_markdown_header_has_document_scope_run_and_tally(sample):
    run, results = sample
    lines = markdown.render(run, results).splitlines()
    assert lines[0] == "# Wer geht, wer bleibt: Desertion und Exil 2026 (Ostblick Dossiers, Heft 4/2026)"
    assert lines[2] == "6 footnotes cite 7 sources (7 references) · run 20261124T231700Z-3f9a · exit 1"
    assert lines[3] == "2 sources fail · 2 sources need a look · 3 sources pass"


def test_markdown_lists_sources_needing_action_first(sample):
    run, results = sample
    text = markdown.render(run, results)
    entries = [line for line in text.splitlines() if line.startswith("- ")]
    marks = [(e[2:].split(" · ")[0], e.split(" · ")[-1]) for e in entries]
    assert marks == [(f"{mark} fn {fn}", source) for mark, fn, source in EXPECTED_ORDER]
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## What needs action (4)", "## Passes (3)"]


def test_markdown_says_each_problem_with_its_fix_in_words(sample):
    run, results = sample
    text = markdown.render(run, results)
    assert ("- FAIL fn 4 · RFE/RL: Q&A: Why Russians Are Still Crossing Into Georgia · rferl-grenze-2026\n"
            "  - The claimed date 13 March 2026 is not on the page (published 9 March 2026, "
            "last updated 10 March 2026).\n"
            "    fix: Set the claimed date to 10 March 2026 (the page's last update).\n") in text
    assert "  - page: published 27 February 2026 (the PDF's document properties)\n" in text
    for internal in ("json-ld", "no_url", "claim_unknown", "datePublished", "/CreationDate"):
        assert internal not in text


def test_markdown_quiet_leaves_out_the_passes_and_german_writes_german_dates(sample):
    run, results = sample
    quiet = markdown.render(run, results, lang="de", passes=False)
    assert "PASS" not in quiet and "OK Fn." not in quiet and "meduza-kordon" not in quiet
    assert "## Was zu tun ist (4)" in quiet
    assert "Setzen Sie das angegebene Datum auf 10.03.2026 (letzte Aktualisierung der Seite)." in quiet
    assert "13 March" not in quiet


def test_markdown_lists_what_was_skipped_with_its_reason(sample):
    run, results = sample
    run = {**run, "skipped": [{"footnote": "3", "source": "ft", "url": "https://www.ft.com/a", "reason": "paywalled"}]}
    text = markdown.render(run, results)
    assert "**1 address was skipped, as citations.yaml or --exclude asks.**" in text
    assert text.endswith("## Skipped (1)\n\n- fn 3 · ft · https://www.ft.com/a: paywalled\n")


# -- json --------------------------------------------------------------------


def test_json_round_trips_in_contract_order(sample):
    run, results = sample
    text = jsonreport.render(run, results)
    data = json.loads(text)
    assert data == {"run": run, "results": results}
    assert list(data) == ["run", "results"]
    assert list(data["results"][0])[:6] == ["footnote", "source", "line", "source_title", "publisher", "url"]
    assert list(data["results"][0])[-3:] == ["snapshot", "overall", "reasons"]
    assert "Как уехать, если тебя ищет военкомат" in text  # not \u-escaped
    assert text.endswith("}\n")


def test_json_has_one_reference_per_line(sample):
    """A diff of two nightly reports names the references that changed."""
    run, results = sample
    lines = jsonreport.render(run, results).splitlines()
    start = lines.index('  "results": [')
    assert [json.loads(line.strip().rstrip(",")) for line in lines[start + 1:-2]] == results
    assert lines[-2:] == ["  ]", "}"] and lines[1] == '  "run": {'
    assert json.loads(jsonreport.render(run, [])) == {"run": run, "results": []}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_reports_read_back_from_the_written_json_are_the_reports_of_the_results(sample, tmp_path, lang):
    """A run renders its other reports from report.json, one result at a time (each card reads its own
    back): the same bytes as from the results in memory, also for a report with no results."""
    run, results = sample
    for given in (results, list(reversed(results)), []):
        path = tmp_path / "report.json"
        path.write_text(jsonreport.render(run, given), encoding="utf-8")
        read_back = jsonreport.Results(path, len(given))
        assert list(read_back) == given and len(read_back) == len(given)
        assert html.render(run, read_back, lang=lang) == html.render(run, given, lang=lang)
        assert markdown.render(run, read_back, lang=lang) == markdown.render(run, given, lang=lang)
        assert github.render_step_summary(run, read_back, lang=lang) == github.render_step_summary(run, given, lang=lang)
        assert sarif.render(run, read_back) == sarif.render(run, given)
        assert junit.render(run, read_back) == junit.render(run, given)


def test_json_key_order_does_not_depend_on_insertion(sample):
    run, results = sample
    shuffled = [dict(reversed(list(r.items()))) for r in results]
    shuffled[0]["zz_extra"] = 1
    shuffled[0]["aa_extra"] = 2
    text = jsonreport.render(dict(reversed(list(run.items()))), shuffled)
    first = json.loads(text)["results"][0]
    assert list(first)[-2:] == ["aa_extra", "zz_extra"]
    base = copy.deepcopy(results)
    base[0].update(zz_extra=1, aa_extra=2)
    assert text == jsonreport.render(run, base)


# -- junit -------------------------------------------------------------------


def test_junit_parses_with_counts(sample):
    run, results = sample
    root = ET.fromstring(junit.render(run, results).encode("utf-8"))
    suite = root.find("testsuite")
    for element in (root, suite):
        assert {k: element.get(k) for k in ("tests", "failures", "skipped", "errors", "time")} == {
            "tests": "7", "failures": "2", "skipped": "2", "errors": "0", "time": "102.500"}
    cases = suite.findall("testcase")
    assert [(c.get("classname"), c.get("name"), c.get("line")) for c in cases] == [
        (f"citecheck.footnote{r['footnote']}", r["source"], str(r["line"])) for r in results]
    assert {c.get("file") for c in cases} == {"citations.yaml"}


def test_junit_failure_types_and_warnings_skipped(sample):
    run, results = sample
    suite = ET.fromstring(junit.render(run, results).encode("utf-8")).find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    failures = {name: c.find("failure") for name, c in cases.items() if c.find("failure") is not None}
    assert {name: f.get("type") for name, f in failures.items()} == {
        "rferl-grenze-2026": "date", "dekoder-exil-gnose": "link"}
    assert failures["dekoder-exil-gnose"].get("message") == (
        "link: no_url — the document lost this link and no URL is known")
    assert "evidence modified 2026-03-10 from json-ld" in failures["rferl-grenze-2026"].text
    skipped = {name for name, c in cases.items() if c.find("skipped") is not None}
    assert skipped == {"taz-2026-deserteure", "mediazona-urteile"}
    assert "title: differs — similarity 12%" in cases["mediazona-urteile"].find("system-out").text
    pdf_out = cases["unhcr-zentralasien-2026"].find("system-out").text
    assert "pages: ok, cited 3-25, document has 72" in pdf_out
    hops_out = cases["novaya-europe-lager"].find("system-out").text
    assert "  hop 301 http://novayagazeta.eu/articles/2026/01/14/lager -> https://" in hops_out


def test_junit_survives_control_characters(sample):
    run, results = sample
    dirty = copy.deepcopy(results[:1])
    dirty[0]["reasons"] = ["title: page says 'Bad\x0bTitle\x00'"]
    dirty[0]["overall"] = "fail"
    case = ET.fromstring(junit.render(run, dirty).encode("utf-8")).find("testsuite/testcase")
    assert case.find("failure").get("message") == "title: page says 'Bad\ufffdTitle\ufffd'"


# -- github ------------------------------------------------------------------


def test_annotations_one_per_non_pass_in_report_order(sample):
    run, results = sample
    lines = github.render_annotations(run, results).splitlines()
    assert len(lines) == 4
    assert lines[1] == (
        "::error file=citations.yaml,line=77,title=citecheck fn 10 dekoder-exil-gnose::"
        "link: no_url — the document lost this link and no URL is known")
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::error", "::warning", "::warning"]
    assert lines[3].endswith(
        "cannot be confirmed%0Atitle: differs — similarity 12%25 to the page title (the page is in Russian)")


def test_annotation_escaping():
    assert github.escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert github.escape_property("fn 3: a,b%") == "fn 3%3A a%2Cb%25"
    result = {"footnote": "3", "source": "x,y:z", "line": 0, "overall": "warn", "reasons": ["a\nb"]}
    line = github.render_annotations({}, [result], citations_path="docs/cite,s.yaml")
    assert line == "::warning file=docs/cite%2Cs.yaml,title=citecheck fn 3 x%2Cy%3Az::a%0Ab\n"


def test_step_summary_table(sample):
    run, results = sample
    text = github.render_step_summary(run, results)
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(rows) == 5  # header + 2 fail + 2 warn
    assert rows[1].startswith("| ❌ fail | fn 4 | `rferl-grenze-2026` | The claimed date 13 March 2026 is not on the page")
    assert "<summary>3 passed</summary>" in text
    piped = copy.deepcopy(by_source(results, "mediazona-urteile"))
    piped["title"]["page"] = "A | B <i>"
    assert "«A \\| B &lt;i&gt;»" in github.render_step_summary(run, [piped])
    assert "| ⚠️ Warnung | Fn. 6 |" in github.render_step_summary(run, [piped], lang="de")


# -- sarif -------------------------------------------------------------------


def test_sarif_structure(sample):
    run, results = sample
    doc = json.loads(sarif.render(run, results))
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    (sarif_run,) = doc["runs"]
    driver = sarif_run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("citecheck", "0.1.0")
    assert [rule["id"] for rule in driver["rules"]] == ["link", "date", "pages", "title"]
    assert sarif_run["invocations"][0]["startTimeUtc"] == "2026-11-24T23:17:00Z"
    found = {
        r["properties"]["source"]: (r["ruleId"], r["level"],
                                    r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in sarif_run["results"]
    }
    assert found == {
        "rferl-grenze-2026": ("date", "error", 29),
        "dekoder-exil-gnose": ("link", "error", 77),
        "taz-2026-deserteure": ("date", "warning", 41),
        "mediazona-urteile": ("date", "warning", 47),
        "novaya-europe-lager": ("link", "note", 85),  # a pass with something to say
    }
    for r in sarif_run["results"]:
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "citations.yaml"
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["message"]["text"].startswith(f"fn {r['properties']['footnote']} ")


# -- html --------------------------------------------------------------------


def _visible_text(tree) -> str:
    """What a reader sees: the body without the script."""
    body = copy.deepcopy(tree.xpath("//body")[0])
    for script in body.xpath(".//script"):
        script.getparent().remove(script)
    return body.text_content()


def test_html_one_card_per_source_failures_first(sample):
    run, results = sample
    tree = lxml.html.fromstring(html.render(run, results))
    assert tree.get("lang") == "en"
    cards = tree.xpath('//details[contains(@class, "src-card")]')
    seen = [(c.get("data-status").upper(), c.get("data-footnotes"), c.get("id")) for c in cards]
    assert seen == [(mark, fn, f"src-{source}") for mark, fn, source in EXPECTED_ORDER]
    assert [c.get("open") is not None for c in cards] == [True] * 4 + [False] * 3  # passes folded
    badges = [b.text_content() for b in tree.xpath('//p[@class="tally-line"]/span')]
    assert badges == ["2 sources fail", "2 sources need a look", "3 sources pass"]


def test_html_summary_lists_each_problem_with_its_fix(sample):
    run, results = sample
    tree = lxml.html.fromstring(html.render(run, results))
    items = tree.xpath('//section[@class="action-list"]//li')
    assert [i.get("data-severity") for i in items] == ["fail", "fail", "warn", "warn", "warn"]
    assert [i.xpath("string(a)") for i in items] == ["fn 4", "fn 10", "fn 6", "fn 6", "fn 6"]
    assert items[0].xpath("string(a/@href)") == "#src-rferl-grenze-2026"
    assert items[0].xpath('string(.//span[@class="action-fix"])') == (
        "Set the claimed date to 10 March 2026 (the page's last update).")
    assert tree.xpath('string(//p[@class="scope-line"])').startswith("6 footnotes cite 7 sources (7 references)")


def test_html_says_nothing_in_internal_words(sample):
    run, results = sample
    text = _visible_text(lxml.html.fromstring(html.render(run, results)))
    for internal in ("no_url", "claim_unknown", "not_checked", "no_page_date", "json-ld", "datePublished",
                     "site:", "/CreationDate", "tone-", "sev-"):
        assert internal not in text, internal
    assert "All checks passed" not in text


def test_html_in_german_writes_german_words_and_dates(sample):
    run, results = sample
    tree = lxml.html.fromstring(html.render(run, results, lang="de"))
    text = _visible_text(tree)
    assert tree.get("lang") == "de"
    assert "Was zu tun ist" in text and "Setzen Sie das angegebene Datum auf 10.03.2026" in text
    assert "March" not in text and "What to do" not in text
    with pytest.raises(ValueError, match="unknown report language 'fr'"):
        html.render(run, results, lang="fr")


def test_html_loads_nothing_from_elsewhere(sample):
    run, results = sample
    tree = lxml.html.fromstring(html.render(run, results))
    assert tree.xpath("//script[@src] | //link | //img | //iframe | //object | //@src") == []
    assert "default-src 'none'" in tree.xpath('string(//meta[@http-equiv="Content-Security-Policy"]/@content)')
    assert "url(" not in tree.xpath("string(//style)")
    external = {a.get("href") for a in tree.xpath("//a") if a.get("href").startswith("http")}
    cited = {r["url"] for r in results if r["url"]} | {r["final_url"] for r in results if r["final_url"]}
    assert external <= cited and external


def test_html_evidence_in_plain_words_with_hops_and_archived_text(sample):
    run, results = sample
    tree = lxml.html.fromstring(html.render(run, results, relative_to="archive/20261124T231700Z-3f9a"))
    taz = tree.xpath('//details[@id="src-taz-2026-deserteure"]')[0]
    rows = [[td.text_content() for td in tr.xpath("td")] for tr in taz.xpath('.//table[@class="evidence-table"]/tbody/tr')]
    assert ["published 18 February 2026", "the page's metadata", "«2026-02-18T16:45:00Z»"] in rows
    assert taz.xpath('.//details[@class="evidence-box"]')  # behind a disclosure
    novaya = tree.xpath('//details[@id="src-novaya-europe-lager"]')[0]
    assert len(novaya.xpath('.//ol[@class="hop-list"]/li')) == 3
    sha = by_source(results, "taz-2026-deserteure")["snapshot"]["sha256"]
    assert taz.xpath('.//a[contains(@href, ".txt")]/@href') == [f"text/{sha}.txt"]


def _archived(results, tmp_path, text_of):
    """The sample's results with each snapshot's text archived as a run writes it (compressed), its
    ``text_path`` relative to ``tmp_path`` (the working directory), as a run names it."""
    run_dir = tmp_path / "archive" / "r1"
    out = copy.deepcopy(results)
    for result in out:
        if result.get("snapshot"):
            _, path = archive.write_text(run_dir, text_of(result))
            result["snapshot"]["text_path"] = path.relative_to(tmp_path).as_posix()
    return out


def test_html_embeds_the_page_text_on_cards_that_need_action(sample, tmp_path, monkeypatch):
    run, results = sample
    monkeypatch.chdir(tmp_path)
    text_of = lambda r: f"Text of {r['source']}:\n<script>alert('{r['source']}')</script> & 5 < 6\n"  # noqa: E731
    archived = _archived(results, tmp_path, text_of)
    page = html.render(run, archived, relative_to="archive/r1")
    tree = lxml.html.fromstring(page)
    assert len(tree.xpath("//script")) == 1  # the page's <script> stays text
    assert "&lt;script&gt;alert(&#x27;rferl-grenze-2026&#x27;)&lt;/script&gt; &amp; 5 &lt; 6" in page
    for result in archived:
        card = tree.xpath(f'//details[@id="src-{result["source"]}"]')[0]
        texts = card.xpath('.//details[@class="page-text"]')
        if result["overall"] == "pass" or not result.get("snapshot"):
            assert texts == [], result["source"]
        else:
            assert [t.get("open") for t in texts] == [None]  # folded
            assert texts[0].xpath("string(summary)") == "What citecheck read on the page"
            assert texts[0].xpath("string(pre)") == text_of(result)
        if result.get("snapshot"):
            where = result["snapshot"]["text_path"].removeprefix("archive/r1/")
            assert f"archived text: {where}" in card.xpath('string(.//p[@class="card-meta"])')
    assert not [h for h in tree.xpath("//a/@href") if ".txt" in h]  # a browser would download a .gz
    german = lxml.html.fromstring(html.render(run, archived, lang="de"))
    assert german.xpath('string(//details[@id="src-taz-2026-deserteure"]//details[@class="page-text"]/summary)') == (
        "Was citecheck auf der Seite gelesen hat")


def test_html_embeds_at_most_the_first_characters_and_says_where_the_rest_is(sample, tmp_path, monkeypatch):
    run, results = sample
    monkeypatch.chdir(tmp_path)
    long = "Wort " * (html.TEXT_CHARS // 5) + "das Ende der Seite"
    archived = _archived([by_source(results, "rferl-grenze-2026")], tmp_path, lambda r: long)
    where = archived[0]["snapshot"]["text_path"].removeprefix("archive/r1/")
    total = f"{len(long):,}"
    english = f"Only the first 100,000 of its {total} characters are shown; the whole text is in {where}."
    german = (f"Gezeigt sind nur die ersten 100.000 der {total.replace(',', '.')} Zeichen; "
              f"der ganze Text steht in {where}.")
    for lang, words in (("en", english), ("de", german)):
        box = lxml.html.fromstring(html.render(run, archived, relative_to="archive/r1", lang=lang)).xpath(
            '//details[@class="page-text"]')[0]
        assert box.xpath("string(pre)") == long[:html.TEXT_CHARS] and "das Ende" not in box.xpath("string(pre)")
        assert box.xpath("string(p)") == words


def test_html_says_in_one_line_when_an_archived_text_cannot_be_read(sample, tmp_path, monkeypatch):
    run, results = sample
    monkeypatch.chdir(tmp_path)
    archived = _archived(results, tmp_path, lambda r: f"Text of {r['source']}")
    rferl, taz = by_source(archived, "rferl-grenze-2026"), by_source(archived, "taz-2026-deserteure")
    Path(rferl["snapshot"]["text_path"]).unlink()  # the archive moved
    Path(taz["snapshot"]["text_path"]).write_bytes(b"not gzip at all")
    tree = lxml.html.fromstring(html.render(run, archived, relative_to="archive/r1"))
    for result in (rferl, taz):
        card = tree.xpath(f'//details[@id="src-{result["source"]}"]')[0]
        assert card.xpath('.//details[@class="page-text"]') == []
        notes = [p.text_content() for p in card.xpath('.//p[@class="card-meta"]')
                 if "could not be read" in p.text_content()]
        where = result["snapshot"]["text_path"].removeprefix("archive/r1/")
        assert len(notes) == 1 and notes[0].startswith(f"The archived text {where} could not be read (")
    assert "No such file or directory" in tree.xpath('string(//details[@id="src-rferl-grenze-2026"])')
    mediazona = tree.xpath('//details[@id="src-mediazona-urteile"]//details[@class="page-text"]/pre')
    assert [p.text_content() for p in mediazona] == ["Text of mediazona-urteile"]  # the others still shown


def test_html_checks_that_did_not_apply_are_not_shown(sample):
    run, results = sample
    tree = lxml.html.fromstring(html.render(run, results))
    meduza = tree.xpath('//details[@id="src-meduza-kordon"]')[0]  # an HTML page: no page count
    assert [dt.text_content() for dt in meduza.xpath(".//dl/dt")] == ["Link", "Date", "Title"]
    assert "pp." not in meduza.text_content()
    unhcr = tree.xpath('//details[@id="src-unhcr-zentralasien-2026"]')[0]
    assert "(the document has " in unhcr.text_content()


def test_html_escapes_hostile_content(sample):
    run, results = sample
    hostile = copy.deepcopy(results[:1])
    hostile[0]["source_title"] = "<script>alert('x')</script> & Co"
    hostile[0]["url"] = "javascript:alert(1)"
    hostile[0]["final_url"] = None
    tree = lxml.html.fromstring(html.render(run, hostile))
    assert len(tree.xpath("//script")) == 1 and "alert" not in tree.xpath("string(//script)")
    assert tree.xpath('string(//details[contains(@class, "src-card")]//h2)') == "<script>alert('x')</script> & Co"
    assert not [a for a in tree.xpath("//a/@href") if a.startswith("javascript")]


# -- write_reports -----------------------------------------------------------


def test_write_reports_writes_only_the_files_given(sample, tmp_path):
    run, results = sample
    reports.write_reports(run, results, json_path=tmp_path / "a" / "run.json",
                          junit_path=tmp_path / "b" / "c" / "junit.xml")
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["a/run.json", "b/c/junit.xml"]
    assert json.loads((tmp_path / "a" / "run.json").read_text(encoding="utf-8"))["run"]["id"] == run["id"]


def test_write_reports_links_snapshots_relative_to_the_html_file(sample, tmp_path, monkeypatch):
    run, results = sample
    monkeypatch.chdir(tmp_path)
    reports.write_reports(run, results, html_path="reports/out/index.html", sarif_path="reports/run.sarif")
    tree = lxml.html.fromstring((tmp_path / "reports" / "out" / "index.html").read_text(encoding="utf-8"))
    hrefs = [h for h in tree.xpath("//a/@href") if h.endswith(".txt")]
    assert len(hrefs) == 6
    assert all(h.startswith("../../archive/20261124T231700Z-3f9a/text/") for h in hrefs)
    assert json.loads((tmp_path / "reports" / "run.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_package_reexports_renderers():
    assert reports.render_markdown is markdown.render
    assert reports.render_junit is junit.render
    assert reports.render_sarif is sarif.render
    assert reports.render_annotations is github.render_annotations


RESCUED = {
    "footnote": "5", "source": "gone-page", "line": 9, "overall": "fail", "link": "not_found",
    "reasons": ["link not_found: 404 Not Found"], "date": {"claimed": "2026-02-19", "verdict": "not_checked"},
    "title": {"verdict": "not_checked"}, "pages": {"verdict": "not_applicable"}, "hops": [],
    "rescue": {"archived_url": "https://web.archive.org/web/20260220083000/https://x.example/a",
               "archived_at": "2026-02-20T08:30:00+00:00", "days_from_claim": 1, "service": "wayback"},
    "change": {"status": "changed", "previous_run": "20261101T000000Z-aaaa", "text_similarity": 0.81},
    "failing_since": {"first_run_at": "2026-11-20T02:00:00+00:00", "runs": 4},
}
RUN = {"id": "r1", "counts": {"pass": 0, "warn": 0, "fail": 1}, "exit_code": 1}


@pytest.mark.parametrize("render", [junit.render, github.render_annotations, sarif.render])
def test_rescue_change_and_failing_since_in_the_machine_reports(render):
    text = render(RUN, [RESCUED])
    assert "web.archive.org/web/20260220083000" in text
    assert "1 days after the claimed date" in text
    assert "changed since last run" in text and "failing since 2026-11-20 (4 runs)" in text


@pytest.mark.parametrize("render", [markdown.render, html.render])
def test_rescue_change_and_failing_since_in_the_editors_reports(render):
    text = render(RUN, [RESCUED])
    assert "Archived copy from 20 February 2026 (1 day after the claimed date): " in text
    assert "https://web.archive.org/web/20260220083000/https://x.example/a" in text
    assert "The page changed since the run of 1 November 2026 (81% of the text the same)." in text
    assert "Failing since 20 November 2026 (4 runs)." in text
    german = render(RUN, [RESCUED], lang="de")
    assert "Archivierte Kopie vom 20.02.2026 (1 Tag nach dem angegebenen Datum)" in german
    assert "Fehlerhaft seit 20.11.2026 (4 Läufe)." in german


def test_both_languages_say_the_same_things():
    from crawler.reports import i18n
    import string

    def fields(value):
        forms = value if isinstance(value, tuple) else (value,)
        return [sorted(f for _, f, _, _ in string.Formatter().parse(form) if f) for form in forms]

    assert i18n.MESSAGES["en"].keys() == i18n.MESSAGES["de"].keys()
    for key, english in i18n.MESSAGES["en"].items():
        assert fields(english) == fields(i18n.MESSAGES["de"][key]), key


def test_a_title_with_its_own_guillemets_is_not_quoted_twice(sample):
    run, results = sample
    russian = copy.deepcopy(by_source(results, "mediazona-urteile"))
    russian["title"]["page"] = "«В России его ждет мясорубка». Беженцы из РФ"
    text = markdown.render(run, [russian]) + html.render(run, [russian], lang="de")
    assert "««" not in text
    assert "“«В России его ждет мясорубка». Беженцы из РФ”" in text  # English Markdown
    assert "„«В России его ждет мясорубка». Беженцы из РФ“" in text  # German HTML
