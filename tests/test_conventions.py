"""What link-checker users reach for in their first hour: a config file, excludes and includes, a
skipped source, accepted status codes, named politeness options, a dry run, settings by name."""

from __future__ import annotations

import gzip

import pytest

from crawler.checks.policy import Policy, parse_accept
from crawler.checks.verify import check_reference
from crawler.citing.citations import load_citations
from crawler.citing.selection import compile_patterns, select
from crawler.models import Fetch, Reference, Source
from tests.conftest import run_cli, write_citations

SOURCES = {
    "taz": {"url": "https://taz.de/a/1", "title": "A"},
    "x": {"url": "https://x.com/someone/status/1", "title": "B"},
    "paywalled": {"url": "https://www.ft.com/content/abc", "title": "C", "skip": "paywalled; checked by hand 03/2026"},
    "gone": {"url": None, "title": "D"},
}


@pytest.fixture
def citations(tmp_path):
    return load_citations(write_citations(tmp_path / "citations.yaml", SOURCES))


def test_a_source_set_aside_in_citations_yaml_is_skipped_with_its_reason(citations):
    kept, skipped = select(citations)
    assert set(kept.sources) == {"taz", "x", "gone"} and [r.source for r in kept.references] == ["taz", "x", "gone"]
    assert skipped == [{"footnote": "3", "source": "paywalled", "url": "https://www.ft.com/content/abc",
                        "reason": "paywalled; checked by hand 03/2026"}]


def test_excluded_and_not_included_urls_are_skipped(citations):
    _, skipped = select(citations, exclude=compile_patterns([r"^https://x\.com/"], "--exclude"))
    assert {s["source"]: s["reason"] for s in skipped}["x"] == "excluded by --exclude '^https://x\\\\.com/'"
    kept, skipped = select(citations, include=compile_patterns([r"taz\.de"], "--include"))
    assert set(kept.sources) == {"taz", "gone"}  # a lost link is no URL to leave out: it is reported
    assert {s["source"] for s in skipped} == {"x", "paywalled"}
    with pytest.raises(ValueError, match=r"--exclude '\(' is not a regular expression"):
        compile_patterns(["("], "--exclude")


@pytest.mark.parametrize("spec, pattern, codes", [
    ("403", None, {403}), ("200..204,403", None, {200, 201, 202, 203, 204, 403}),
    (r"intranet\.example=401,403", r"intranet\.example", {401, 403}),
])
def test_accepted_codes_are_read(spec, pattern, codes):
    parsed_pattern, parsed_codes = parse_accept(spec)
    assert (parsed_pattern.pattern if parsed_pattern else None, set(parsed_codes)) == (pattern, codes)


@pytest.mark.parametrize("spec", ["40", "403..401", "abc", "700", "(=403"])
def test_a_bad_accept_is_refused(spec):
    with pytest.raises(ValueError, match="--accept"):
        parse_accept(spec)


def test_an_accepted_status_is_a_live_link_with_no_page_to_check():
    source = Source(id="s", url="https://intranet.example/doc", title="Doc")
    fetch = Fetch(url=source.url, status=403, final_url=source.url)
    reference = Reference(footnote="1", source="s")
    plain = check_reference(reference, source, fetch, None)
    accepted = check_reference(reference, source, fetch, None,
                               policy=Policy(accept=(parse_accept(r"intranet\.example=403"),)))
    other = check_reference(reference, source, fetch, None, policy=Policy(accept=(parse_accept(r"other\.org=403"),)))
    assert plain["link"] == "blocked" and other["link"] == "blocked"
    assert accepted["link"] == "ok" and accepted["link_detail"].startswith("HTTP 403, accepted by --accept")
    assert accepted["overall"] == "pass" and accepted["title"]["verdict"] == "not_checked"


def test_the_dry_run_lists_what_would_be_fetched_and_fetches_nothing(tmp_path, http_server):
    write_citations(tmp_path / "citations.yaml", {**SOURCES, "here": {"url": http_server.url("/a"), "title": "E"}})
    run = run_cli("verify", "citations.yaml", "--dump", "--exclude", r"^https://x\.com/", cwd=tmp_path, json_name=None)
    assert run.code == 0 and http_server.requests == [] and not (tmp_path / "archive").exists()
    lines = run.stdout.splitlines()
    assert lines[0] == "https://taz.de/a/1\tfn 1"
    assert f"# not fetched: here ({http_server.url('/a')}): unsafe_url" in "\n".join(lines)
    assert "# skipped: fn 2 x (https://x.com/someone/status/1): excluded by --exclude" in run.stdout
    assert "# skipped: fn 3 paywalled (https://www.ft.com/content/abc): paywalled; checked by hand" in run.stdout
    assert "# not fetched: gone (no URL): no_url" in run.stdout


def test_a_misspelt_setting_is_an_error_not_a_no_op(tmp_path):
    write_citations(tmp_path / "citations.yaml", {"taz": SOURCES["taz"]})
    run = run_cli("verify", "citations.yaml", "-s", "CITECHECK_RESQUE=False", "--dump", cwd=tmp_path, json_name=None)
    assert run.code == 2 and "CITECHECK_RESQUE is no setting of Scrapy or citecheck; did you mean CITECHECK_RESCUE?" in run.stderr
    assert run_cli("verify", "citations.yaml", "-s", "DOWNLOAD_MAXSIZE=1000", "--dump", cwd=tmp_path,
                   json_name=None).code == 0


def test_a_config_file_beside_the_citations_sets_options_and_the_command_line_wins(tmp_path):
    (tmp_path / "doc").mkdir()
    write_citations(tmp_path / "doc" / "citations.yaml", SOURCES)
    (tmp_path / "doc" / "citecheck.toml").write_text('[verify]\nexclude = ["^https://x\\\\.com/", "taz"]\n')
    run = run_cli("verify", "doc/citations.yaml", "--dump", cwd=tmp_path, json_name=None)
    assert "excluded by --exclude '^https://x\\\\.com/'" in run.stdout and "excluded by --exclude 'taz'" in run.stdout
    run = run_cli("verify", "doc/citations.yaml", "--dump", "--exclude", "nothing", cwd=tmp_path, json_name=None)
    assert "https://taz.de/a/1\tfn 1" in run.stdout  # the command line's list replaces the file's


@pytest.mark.parametrize("text, said", [
    ('[verify]\nfail_onn = "dead"\n', "[verify] 'fail_onn' is no option of `citecheck verify` (did you mean 'fail-on'?)"),
    ('[verfy]\n', "unknown table [verfy]; the table is [verify]"),
    ('[verify\n', "not valid TOML"),
    ('[verify]\ntimeout = "soon"\n', "'soon' is not a valid float"),
])
def test_a_bad_config_file_is_an_error_with_its_file(tmp_path, text, said):
    write_citations(tmp_path / "citations.yaml", {"taz": SOURCES["taz"]})
    (tmp_path / "citecheck.toml").write_text(text)
    run = run_cli("verify", "citations.yaml", "--dump", cwd=tmp_path, json_name=None)
    assert run.code == 2 and said in run.stderr, run.stderr


def test_named_politeness_options_reach_the_crawl(tmp_path, http_server):
    write_citations(tmp_path / "citations.yaml", {"a": {"url": http_server.url("/article"), "title": "River ferries"}})
    run = run_cli("verify", "citations.yaml", "--allow-private", "-s", "AUTOTHROTTLE_ENABLED=False",
                  "-s", "CITECHECK_RESCUE=False", "--user-agent", "EditorialBot/1.0", "--header", "Accept-Language: de",
                  "--retries", "0", "--concurrency", "1", "--interval", "0.25", cwd=tmp_path)
    assert run.code in (0, 1), run.stderr
    sent = [headers for _, path, headers in http_server.requests if path == "/article"]
    assert sent and sent[0]["user-agent"] == "EditorialBot/1.0" and sent[0]["accept-language"] == "de"
    warc = next((tmp_path / "archive").glob("*/*.warc.gz"))
    info = gzip.decompress(warc.read_bytes()).split(b"\r\n\r\n", 2)[1].decode()  # the run's warcinfo fields
    assert {"retry-times: 0", "concurrent-requests-per-domain: 1", "download-delay: 0.25"} <= set(info.splitlines())


def test_the_readme_config_example_is_a_valid_config(tmp_path):
    from crawler import config
    from crawler.cli_verify import verify
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "citecheck.toml").write_text(example, encoding="utf-8")
    defaults = config.default_map(verify, tmp_path / "citecheck.toml")
    assert defaults["fail_on"] == "default,timeout" and defaults["exclude"] == ["^https://(x|twitter)\\.com/"]
    assert {"accept", "headers", "scrapy_settings", "json_path", "quiet", "lang"} <= set(defaults)


def test_quiet_prints_only_what_needs_action_in_the_documents_language(tmp_path, http_server):
    write_citations(tmp_path / "citations.yaml", {"ferries": {"url": http_server.url("/article"), "title": "River ferries"},
                                                  "lost": {"url": http_server.url("/missing"), "title": "Gone"}})
    run = run_cli("verify", "citations.yaml", "--allow-private", "-s", "CITECHECK_RESCUE=False", "--retries", "0",
                  "-q", "--lang", "de", "--html", "report.html", cwd=tmp_path)
    assert run.code == 1, run.stderr
    assert {r["source"]: r["overall"] for r in run.report["results"]} == {"ferries": "pass", "lost": "fail"}
    entries = [line for line in run.stdout.splitlines() if line.startswith("- ")]
    assert entries == ["- FEHLER Fn. 2 · Gone · lost"]
    assert "ferries" not in run.stdout and "## In Ordnung" not in run.stdout
    assert "Der Link ist tot: Seite nicht gefunden (HTTP 404)." in run.stdout
    assert run.stderr == ""  # no progress lines, no epilogue
    assert '<html lang="de">' in (tmp_path / "report.html").read_text(encoding="utf-8")
    loud = run_cli("verify", "citations.yaml", "--allow-private", "-s", "CITECHECK_RESCUE=False", "--retries", "0",
                   "--no-progress", cwd=tmp_path)
    assert "- PASS fn 1 · River ferries · ferries" in loud.stdout and "## Passes (1)" in loud.stdout
