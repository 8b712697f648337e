"""The ``citecheck`` command line.

Exit codes: 0 every reference passes (warnings allowed); 1 at least one
reference fails; 2 bad input or configuration (nothing fetched); 3 the crawl
stopped (Ctrl-C, SIGTERM, a crawl process that died) before every URL had an outcome.
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path

import click

from crawler import __version__, cli_audit
from crawler.cli_audit import BadInput, archive_option


def _scrapy_setting(ctx, param, values):
    pairs = []
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}")
        pairs.append((name, setting))
    return tuple(pairs)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="citecheck")
def cli():
    """Verify a document's source citations: links, dates, titles, pages."""


@cli.command()
@click.argument("citations", default="citations.yaml", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@archive_option
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the JSON report here.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path), help="Write JUnit XML here.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the HTML report here.")
@click.option("--sarif", "sarif_path", type=click.Path(dir_okay=False, path_type=Path), help="Write SARIF 2.1.0 here.")
@click.option("--replay", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Answer every request from this WARC instead of the network.")
@click.option("--allow-private", is_flag=True, help="Allow private, loopback and link-local addresses (tests).")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds one download may take.")
@click.option("-s", "--set", "scrapy_settings", multiple=True, callback=_scrapy_setting, metavar="NAME=VALUE",
              help="Override a Scrapy setting (repeatable), e.g. -s DOWNLOAD_DELAY=0.")
@click.option("--fail-on", default="default", show_default=True, metavar="VERDICTS",
              help="Comma-separated verdicts that fail the run: default (dead links, date mismatch, pages out of "
                   "range, passage gone), dead, transient, or single verdicts such as timeout, blocked, "
                   "no_page_date, claim_unknown, updated, title.")
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
@click.option("-v", "--verbose", is_flag=True, help="Show the crawl's log on stderr.")
def verify(citations, archive_dir, json_path, junit_path, html_path, sarif_path, replay, allow_private, timeout,
           scrapy_settings, fail_on, confirm_runs, confirm_days, annotations, step_summary, full, verbose):
    """Fetch every cited URL, archive it and check each footnote's claims.

    CITATIONS is a citations.yaml, or a document (.pdf .docx .odt .html .htm
    .md .txt .json .bib) whose notes are imported in memory and verified at once.

    \b
    Example:
        citecheck verify citations.yaml --json report.json --junit junit.xml --html report.html
        citecheck verify --replay demo/replica.warc.gz     # offline, from an archive
    """
    from crawler.checks.policy import Policy, parse_fail_on
    from crawler.citing.citations import CitationsError
    from crawler.citing.importers import load
    from crawler.citing.notes import DocumentError
    from crawler.record.lock import ArchiveBusy

    try:
        policy = Policy(parse_fail_on(fail_on), confirm_runs, confirm_days)
        loaded = load(citations)  # bad input fails before the crawl's libraries are loaded
    except (ValueError, CitationsError, DocumentError) as exc:
        raise BadInput(str(exc)) from None
    from crawler.reports import github, markdown
    from crawler.runner import RunOptions, run

    options = RunOptions(
        citations=citations, archive=archive_dir, replay=replay, allow_private=allow_private, timeout=timeout,
        json_path=json_path, junit_path=junit_path, html_path=html_path, sarif_path=sarif_path,
        scrapy_settings=scrapy_settings, verbose=verbose, incremental=not full, policy=policy,
    )
    try:
        run_info, results = run(options, loaded)
    except ArchiveBusy as exc:
        raise BadInput(str(exc)) from None
    click.echo(markdown.render(run_info, results))
    if annotations is None:
        annotations = os.environ.get("GITHUB_ACTIONS") == "true"
    if annotations:  # lines of the citations that were checked (a document's are in the run folder)
        click.echo(github.render_annotations(run_info, results, citations_path=run_info["citations"]))
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as fh:
            fh.write(github.render_step_summary(run_info, results))
    if run_info.get("network"):
        click.echo(f"citecheck: {run_info['network']}; the run is recorded but incomplete", err=True)
    if run_info.get("unreached"):
        click.echo(f"citecheck: the crawl stopped before {run_info['unreached']} of {run_info['urls_fetched']} URLs "
                   "had an outcome; the run is recorded but incomplete", err=True)
    sys.exit(run_info["exit_code"])


@cli.command("import")
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", default="citations.yaml", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The citations file to write; an existing one is merged into, keeping your edits.")
def import_document(document, output):
    """Read a document's footnotes into citations.yaml.

    PDF, DOCX, ODT, HTML, Markdown and text documents, and CSL-JSON or BibTeX
    exports of a reference manager. Lost links stay empty, never guessed.

    \b
    Example:
        citecheck import briefing.pdf -o citations.yaml
    """
    from crawler.citing.citations import CitationsError
    from crawler.citing.importers import import_document as read_document, write_citations
    from crawler.citing.notes import DocumentError

    try:
        lines = write_citations(read_document(document), output)
    except (DocumentError, CitationsError) as exc:
        raise BadInput(str(exc)) from None
    click.echo("\n".join(lines))


for _command in cli_audit.COMMANDS:
    cli.add_command(_command)


def main() -> None:
    """The ``citecheck`` command. Once a command has written everything and the exit handlers have
    run (log files flushed, multiprocessing's temporary folder removed), the process ends without
    freeing its objects one by one (as mypy does): after a large run that takes longer than some of
    the run's own steps, and changes nothing on disk."""
    try:
        cli()
    except SystemExit as stop:
        code = stop.code
    else:
        code = 0
    if code is not None and not isinstance(code, int):  # a message for Python to print
        raise SystemExit(code)
    atexit._run_exitfuncs()  # what any exit runs; os._exit below would skip it
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
