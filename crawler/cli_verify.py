"""``citecheck verify``: its options, and the run they ask for.

Every option can also stand in ``citecheck.toml`` (``crawler.config``), the
command line winning. The politeness options most users change have names of
their own (``--concurrency``, ``--interval``, ``--retries``, ``--user-agent``,
``--header``); any other Scrapy setting goes through ``-s NAME=VALUE``, whose
name must be one Scrapy or citecheck knows: a misspelt setting is an error, not
a silent no-op.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import json
import os
import sys
from pathlib import Path
from typing import NamedTuple

import click

from crawler.cli_audit import BadInput, archive_option
from crawler.config import Configured

HEADER_NAME = "DEFAULT_REQUEST_HEADERS"


def _scrapy_setting(ctx, param, values):
    pairs = []
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}")
        if name not in known_settings():
            close = difflib.get_close_matches(name, known_settings(), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise click.BadParameter(f"{name} is no setting of Scrapy or citecheck{hint}")
        pairs.append((name, setting))
    return tuple(pairs)


@functools.cache
def known_settings() -> frozenset[str]:
    from scrapy.settings import default_settings

    from crawler.crawl import settings as ours

    return frozenset(name for module in (default_settings, ours) for name in vars(module) if name.isupper())


def _headers(ctx, param, values):
    headers = {}
    for value in values:
        name, sep, text = value.partition(":")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected 'Name: value', got {value!r}")
        headers[name.strip()] = text.strip()
    return headers


def named_settings(concurrency, interval, retries, user_agent, headers) -> tuple[tuple[str, str], ...]:
    """The named politeness options as the Scrapy settings they set (before any -s, which wins)."""
    pairs = [("CONCURRENT_REQUESTS_PER_DOMAIN", str(concurrency)) if concurrency else None,
             ("DOWNLOAD_DELAY", str(interval)) if interval is not None else None,
             ("RETRY_TIMES", str(retries)) if retries is not None else None,
             ("USER_AGENT", user_agent) if user_agent else None,
             (HEADER_NAME, json.dumps(headers)) if headers else None]
    return tuple(pair for pair in pairs if pair)


@click.command(cls=Configured)
@click.argument("citations", default="citations.yaml", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              help="Options from this TOML file (default: citecheck.toml beside CITATIONS, or here).")
@archive_option
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the JSON report here.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path), help="Write JUnit XML here.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the HTML report here.")
@click.option("--sarif", "sarif_path", type=click.Path(dir_okay=False, path_type=Path), help="Write SARIF 2.1.0 here.")
@click.option("--markdown", "markdown_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the Markdown report here.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one CSV row per reference here.")
@click.option("--lang", type=click.Choice(["en", "de"]),
              help="Language of the reports for editors (default: the document's, else English).")
@click.option("--replay", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Answer every request from this WARC instead of the network.")
@click.option("--allow-private", is_flag=True, help="Allow private, loopback and link-local addresses (tests).")
@click.option("--redis", "redis_url", metavar="URL",
              help="Crawl through the workers serving this Redis (citecheck worker --redis URL), "
                   "e.g. redis://crawlhost:6379/0; the archive and reports stay here.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds one download may take.")
@click.option("--exclude", multiple=True, metavar="PATTERN",
              help="Never fetch URLs this regular expression finds (repeatable); listed as skipped.")
@click.option("--include", multiple=True, metavar="PATTERN",
              help="Fetch only URLs one of these regular expressions finds (repeatable).")
@click.option("--accept", multiple=True, metavar="[PATTERN=]CODES",
              help="HTTP statuses that are fine, for every URL or those PATTERN finds, e.g. 403 or "
                   "'intranet\\.example=401,403' (repeatable).")
@click.option("--concurrency", type=click.IntRange(min=1), help="Requests in flight per host (default 2).")
@click.option("--interval", type=click.FloatRange(min=0), help="Least seconds between requests to one host.")
@click.option("--retries", type=click.IntRange(min=0), help="Retries of a transient failure (default 2).")
@click.option("--user-agent", help="The User-Agent header (default names citecheck and a contact URL).")
@click.option("--header", "headers", multiple=True, callback=_headers, metavar="'NAME: VALUE'",
              help="An extra request header (repeatable), e.g. 'Accept-Language: de'.")
@click.option("-s", "--set", "scrapy_settings", multiple=True, callback=_scrapy_setting, metavar="NAME=VALUE",
              help="Override a Scrapy setting (repeatable), e.g. -s DOWNLOAD_MAXSIZE=10000000.")
@click.option("--fail-on", default="default", show_default=True, metavar="VERDICTS",
              help="Comma-separated verdicts that fail the run: default (dead links, date mismatch, pages out of "
                   "range, passage gone), dead, transient, unreadable, or single verdicts such as timeout, "
                   "blocked, no_page_date, claim_unknown, updated, title, unsupported.")
@click.option("--confirm-runs", default=3, show_default=True, type=click.IntRange(min=1),
              help="A transient failure (timeout, 5xx, connection, TLS) fails once it lasts this many runs...")
@click.option("--confirm-days", default=3.0, show_default=True, type=click.FloatRange(min=0),
              help="...spanning at least this many days.")
@click.option("--annotations/--no-annotations", default=None,
              help="Print GitHub Actions annotations (::error file=citations.yaml,line=N::...); "
                   "on by default when GITHUB_ACTIONS=true.")
@click.option("--step-summary", type=click.Path(dir_okay=False, path_type=Path), envvar="GITHUB_STEP_SUMMARY",
              help="Append a Markdown summary here (default: $GITHUB_STEP_SUMMARY).")
@click.option("--full", is_flag=True, help="Fetch everything in full (no conditional requests from earlier runs).")
@click.option("--dump", is_flag=True, help="List what would be fetched, and exit: no request, nothing written.")
@click.option("-q", "--quiet", is_flag=True, help="Print only what needs action (no passes, no progress).")
@click.option("--progress/--no-progress", default=None,
              help="Show the crawl's progress on stderr (default: on; a live line on a terminal).")
@click.option("-v", "--verbose", is_flag=True, help="Show the crawl's log on stderr.")
def verify(citations, config, archive_dir, json_path, junit_path, html_path, sarif_path, markdown_path, csv_path, lang,
           replay, allow_private, redis_url, timeout, exclude, include, accept, concurrency, interval, retries, user_agent,
           headers, scrapy_settings, fail_on, confirm_runs, confirm_days, annotations, step_summary, full, dump,
           quiet, progress, verbose):
    """Fetch every cited URL, archive it and check each footnote's claims.

    CITATIONS is a citations.yaml, or a document (.pdf .docx .odt .html .htm
    .md .txt .json .bib) whose notes are imported in memory and verified at once.

    \b
    Example:
        citecheck verify citations.yaml --json report.json --junit junit.xml --html report.html
        citecheck verify --replay demo/replica.warc.gz     # offline, from an archive
        citecheck verify --dump --exclude '^https://x\\.com/'   # what would be fetched
    """
    from crawler.checks.policy import Policy, parse_accept, parse_fail_on
    from crawler.citing import selection
    from crawler.citing.citations import CitationsError
    from crawler.citing.importers import load
    from crawler.citing.notes import DocumentError

    if redis_url and replay:
        raise BadInput("--replay answers from a file on this machine; it takes no --redis")
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise BadInput(f"--redis takes a Redis URL (redis://host:6379/0), not {redis_url!r}")
    try:
        policy = Policy(parse_fail_on(fail_on), confirm_runs, confirm_days, tuple(map(parse_accept, accept)))
        chosen = selection.compile_patterns(include, "--include"), selection.compile_patterns(exclude, "--exclude")
        loaded = load(citations)  # bad input fails before the crawl's libraries are loaded
    except (ValueError, CitationsError, DocumentError) as exc:
        raise BadInput(str(exc)) from None
    if dump:
        _dump(loaded.citations, *chosen, allow_private)
        return
    lang = lang or _language(loaded.citations.document)
    if not quiet:  # the run takes the citations (``Loaded.take_citations``): no name here holds them
        click.echo(f"citecheck: verifying {len(loaded.citations.references)} references to "
                   f"{len(loaded.citations.sources)} sources of {citations}", err=True)
    from crawler.progress import Progress
    from crawler.runner import RunOptions

    options = RunOptions(
        citations=citations, archive=archive_dir, replay=replay, allow_private=allow_private, timeout=timeout,
        json_path=json_path, junit_path=junit_path, html_path=html_path, sarif_path=sarif_path,
        scrapy_settings=named_settings(concurrency, interval, retries, user_agent, headers) + scrapy_settings,
        verbose=verbose, incremental=not full, policy=policy, include=chosen[0], exclude=chosen[1], lang=lang,
        redis=redis_url,
        progress=Progress(live=False if verbose else None) if not quiet and progress is not False else None,
    )
    outputs = Outputs(markdown_path, csv_path, annotations, step_summary, quiet)
    sys.exit(_run(options, loaded, outputs))


class Outputs(NamedTuple):
    """What the command prints and writes beside the run's own reports."""
    markdown_path: Path | None
    csv_path: Path | None
    annotations: bool | None
    step_summary: Path | None
    quiet: bool


def _language(document: dict) -> str:
    return "de" if str(document.get("lang") or "").lower().startswith("de") else "en"


def _dump(citations, include, exclude, allow_private) -> None:
    """Each URL that would be fetched, with its footnotes; then what is set aside or refused, and why."""
    from crawler.citing import selection
    from crawler.runner import precheck

    kept, skipped = selection.select(citations, include, exclude)
    urls, refused = precheck(kept, allow_private)
    footnotes: dict[str, list[str]] = {}
    for reference in kept.references:
        footnotes.setdefault(kept.sources[reference.source].url or "", []).append(reference.footnote)
    for url in urls:
        click.echo(f"{url}\tfn {', '.join(dict.fromkeys(footnotes[url]))}")
    for sid, fetch in refused.items():
        click.echo(f"# not fetched: {sid} ({fetch.url or 'no URL'}): {fetch.error}: {fetch.error_detail}")
    for entry in skipped:
        click.echo(f"# skipped: fn {entry['footnote']} {entry['source']} ({entry['url'] or 'no URL'}): {entry['reason']}")
    click.echo(f"# {len(urls)} URLs would be fetched", err=True)


def _run(options, loaded, outputs: Outputs) -> int:
    """The run, its reports printed and written; the exit code."""
    from crawler.record.lock import ArchiveBusy
    from crawler.reports import csvreport, github, markdown
    from crawler.runner import run

    try:
        run_info, results = run(options, loaded)
    except ArchiveBusy as exc:
        raise BadInput(str(exc)) from None
    lang = options.lang
    summary = markdown.lines(run_info, results, lang=lang, passes=not outputs.quiet)
    while chunk := list(itertools.islice(summary, 1000)):  # a large run's summary, a thousand lines at a time
        click.echo("\n".join(chunk))
    click.echo()
    if outputs.markdown_path:
        _write(outputs.markdown_path, markdown.render(run_info, results, lang=lang))
    if outputs.csv_path:
        _write(outputs.csv_path, csvreport.render(run_info, results))
    annotations = outputs.annotations
    if annotations is None:
        annotations = os.environ.get("GITHUB_ACTIONS") == "true"
    if annotations:  # lines of the citations that were checked (a document's are in the run folder)
        click.echo(github.render_annotations(run_info, results, citations_path=run_info["citations"]))
    if outputs.step_summary:
        with open(outputs.step_summary, "a", encoding="utf-8") as fh:
            fh.write(github.render_step_summary(run_info, results, lang=lang))
    _epilogue(run_info, outputs.quiet)
    return run_info["exit_code"]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _epilogue(run_info: dict, quiet: bool = False) -> None:
    """Where the reports are (unless quiet), and what made the run incomplete, on stderr."""
    if not quiet:
        from crawler.record import archive

        click.echo(f"citecheck: reports in {run_info['archive']}/ (report.html for editors, {archive.REPORT_JSON}, "
                   f"{archive.REPORT_XML})", err=True)
    if run_info.get("workers"):
        click.echo(f"citecheck: {run_info['workers']}; the run is recorded but incomplete", err=True)
    if run_info.get("network"):
        click.echo(f"citecheck: {run_info['network']}; the run is recorded but incomplete", err=True)
    if run_info.get("unreached"):
        click.echo(f"citecheck: the crawl stopped before {run_info['unreached']} of {run_info['urls_fetched']} URLs "
                   "had an outcome; the run is recorded but incomplete", err=True)
