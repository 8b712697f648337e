"""The ``citecheck`` command line.

Exit codes: 0 every reference passes (warnings allowed); 1 at least one
reference fails; 2 bad input or configuration (nothing fetched); 3 the crawl
stopped (Ctrl-C, SIGTERM, a crawl process that died, no worker or a lost Redis with --redis)
before every URL had an outcome; ``worker`` exits 3 when it cannot reach its Redis.
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path

import click

from crawler import __version__, cli_audit, cli_verify, cli_worker
from crawler.cli_audit import BadInput


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="citecheck")
def cli():
    """Verify a document's source citations: links, dates, titles, pages."""


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


for _command in (cli_verify.verify, cli_worker.worker, *cli_audit.COMMANDS):
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
