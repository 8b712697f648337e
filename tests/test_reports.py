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


def test_markdown_header_has_document_run_and_counts(sample):
    run, results = sample
    lines = markdown.render(run, results).splitlines()
    assert lines[0] == "# Wer geht, wer bleibt: Desertion und Exil 2026 (Ostblick Dossiers, Heft 4/2026)"
    assert lines[2] == "run 20261124T231700Z-3f9a · 7 references: 2 fail, 2 warn, 3 pass · exit 1"


def test_markdown_lists_every_reference_failures_first(sample):
    run, results = sample
    entries = [line for line in markdown.render(run, results).splitlines() if line.startswith("- ")]
    parsed = [tuple(e[2:].split(" · ")[0].replace(" fn ", "|").split("|")) + (e.split(" · ")[1],)
              for e in entries]
    assert parsed == EXPECTED_ORDER
    headings = [line for line in markdown.render(run, results).splitlines() if line.startswith("## ")]
    assert headings == ["## Failures (2)", "## Warnings (2)", "## Passes (3)"]


def test_markdown_entry_shows_reasons_and_evidence(sample):
    run, results = sample
    text = markdown.render(run, results)
    assert (
        "- FAIL fn 10 · dekoder-exil-gnose · link: no_url — the document lost this link and no URL is known\n"
        "\n## Warnings" in text
    )
    assert (
        "- FAIL fn 4 · rferl-grenze-2026 · date: claimed 2026-03-13, page says published 2026-03-09, "
        "modified 2026-03-10 (3 days apart)\n"
        "  - page: published 2026-03-09 (json-ld datePublished); modified 2026-03-10 (json-ld dateModified)\n"
    ) in text
    assert "- PASS fn 12 · unhcr-zentralasien-2026 · page: published 2026-02-27 (pdf /CreationDate)\n" in text


def test_markdown_pass_without_evidence_names_the_link(sample):
    run, results = sample
    bare = copy.deepcopy(by_source(results, "meduza-kordon"))
    bare["date"] = None
    assert markdown.render(run, [bare]).splitlines()[-1] == "- PASS fn 2 · meduza-kordon · link: ok (200)"


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
    assert rows[1].startswith("| ❌ fail | 4 | `rferl-grenze-2026` | date: claimed 2026-03-13")
    assert "<summary>3 passed</summary>" in text
    piped = copy.deepcopy(results[2:3])
    piped[0]["reasons"] = ["title: page says 'A | B <i>'"]
    assert "title: page says 'A \\| B &lt;i&gt;' |" in github.render_step_summary(run, piped)


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


def test_html_lists_every_reference_grouped(sample):
    run, results = sample
    page = html.render(run, results)
    tree = lxml.html.fromstring(page)
    assert tree.get("lang") == "en"
    refs = tree.xpath('//tbody[contains(@class, "ref")]')
    seen = [(r.get("class").split()[1].upper(), r.xpath('string(.//td[@class="fn"])'),
             r.xpath("string(.//code)")) for r in refs]
    assert seen == EXPECTED_ORDER
    groups = [g.text_content() for g in tree.xpath('//tbody[@class="group"]//h2')]
    assert groups == ["Failures (2)", "Warnings (2)", "Passes (3)"]
    badges = [b.text_content() for b in tree.xpath('//p[@class="counts"]/span[contains(@class, "badge")]')]
    assert badges == ["2 fail", "2 warn", "3 pass"]


def test_html_is_self_contained(sample):
    run, results = sample
    tree = lxml.html.fromstring(html.render(run, results))
    assert tree.xpath("//script | //link | //img | //iframe | //object | //@src") == []
    assert "url(" not in tree.xpath("string(//style)")
    external = {a.get("href") for a in tree.xpath("//a") if a.get("href").startswith("http")}
    cited = {r["url"] for r in results if r["url"]} | {r["final_url"] for r in results if r["final_url"]}
    assert external <= cited and external


def test_html_shows_evidence_hops_and_snapshot_link(sample):
    run, results = sample
    tree = lxml.html.fromstring(html.render(run, results, relative_to="archive/20261124T231700Z-3f9a"))
    taz = tree.xpath('//tbody[.//code="taz-2026-deserteure"]')[0]
    rows = [[td.text_content() for td in tr.xpath("td")] for tr in taz.xpath('.//table[@class="evidence"]/tbody/tr')]
    assert rows[1] == ["published", "2026-02-18 UTC+00:00",
                       'meta article:published_timemeta[property="article:published_time"]',
                       "2026-02-18T16:45:00Z", "0.85"]
    novaya = tree.xpath('//tbody[.//code="novaya-europe-lager"]')[0]
    assert len(novaya.xpath('.//ol[@class="hops"]/li')) == 3
    sha = by_source(results, "taz-2026-deserteure")["snapshot"]["sha256"]
    assert taz.xpath('.//a[contains(., ".txt")]/@href') == [f"text/{sha}.txt"]


def test_html_escapes_hostile_content(sample):
    run, results = sample
    hostile = copy.deepcopy(results[:1])
    hostile[0]["source_title"] = "<script>alert('x')</script> & Co"
    hostile[0]["url"] = "javascript:alert(1)"
    hostile[0]["final_url"] = None
    tree = lxml.html.fromstring(html.render(run, hostile))
    assert tree.xpath("//script") == []
    assert tree.xpath('string(//div[@class="src-title"])') == "<script>alert('x')</script> & Co"
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


def test_rescue_change_and_failing_since_appear_in_every_report():
    from crawler.reports import github, html, junit, markdown, sarif

    result = {
        "footnote": "5", "source": "gone-page", "line": 9, "overall": "fail", "link": "not_found",
        "reasons": ["link not_found: 404 Not Found"], "date": {"claimed": "2026-02-19", "verdict": "not_checked"},
        "title": {"verdict": "not_checked"}, "pages": {"verdict": "not_applicable"}, "hops": [],
        "rescue": {"archived_url": "https://web.archive.org/web/20260220083000/https://x.example/a",
                   "archived_at": "2026-02-20T08:30:00+00:00", "days_from_claim": 1, "service": "wayback"},
        "change": {"status": "changed", "previous_run": "20261101T000000Z-aaaa", "text_similarity": 0.81},
        "failing_since": {"first_run_at": "2026-11-20T02:00:00+00:00", "runs": 4},
    }
    run = {"id": "r1", "counts": {"pass": 0, "warn": 0, "fail": 1}, "exit_code": 1}
    for render in (markdown.render, junit.render, html.render, github.render_annotations, sarif.render):
        text = render(run, [result])
        assert "web.archive.org/web/20260220083000" in text, render
        assert "1 days after the claimed date" in text, render
        assert "changed since last run" in text and "failing since 2026-11-20 (4 runs)" in text, render
