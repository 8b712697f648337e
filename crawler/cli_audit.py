"""The auditor's commands: audit, history, diff, serve, export.

Standalone click commands, registered on the ``citecheck`` group by
``cli.add_command``. Exit codes follow ``cli.py``: 2 for bad input; ``audit``
exits 1 when anything is not intact, ``diff`` exits 1 when the texts differ
(as diff(1) does).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler import DB_NAME

EXIT_BAD_INPUT = 2
archive_option = click.option(
    "--archive", "archive_dir", default="archive", show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="Where runs and the database are kept.",
)


class BadInput(click.ClickException):
    exit_code = EXIT_BAD_INPUT


def _open_db(archive_dir: Path):
    from sqlite_utils import Database

    path = archive_dir / DB_NAME
    if not path.is_file():
        raise BadInput(f"{path} does not exist: run `citecheck verify --archive {archive_dir}` first")
    return Database(path)


@click.command()
@click.argument("run", required=False)
@archive_option
@click.option("--repair", is_flag=True,
              help="First seal the runs that were interrupted before their end, as their files are now, "
                   "marked interrupted (sealed runs are left as they are).")
def audit(run, archive_dir, repair):
    """Re-hash archived runs and check them against their sealed manifests.

    Reports every file altered, missing or added since the run, and any break in
    the chain of manifests. A run stopped before it was sealed is reported as
    interrupted (not as tampered with); --repair seals such runs as they are,
    marked interrupted, and touches nothing sealed. Exit 0 when everything is
    intact, 1 otherwise, 2 without an archive.

    \b
    Example:
        citecheck audit                              # every run in ./archive
        citecheck audit 20261124T233017.655Z-b3fa    # one run
        citecheck audit --repair                     # seal interrupted runs
    """
    from crawler.record import audit as auditing
    from crawler.record.lock import ArchiveBusy

    if not archive_dir.is_dir():
        raise BadInput(f"{archive_dir} is no archive: run `citecheck verify --archive {archive_dir}` first")
    if repair:
        try:
            sealed = auditing.repair(archive_dir)
        except ArchiveBusy as exc:
            raise BadInput(str(exc)) from None
        for run_id in sealed:
            click.echo(f"run {run_id}: sealed as interrupted (its files as they are now)")
    try:
        result = auditing.audit(archive_dir, run)
    except FileNotFoundError:
        raise BadInput(f"no run {run} in {archive_dir}") from None
    for run_result in result.runs:
        for line in auditing.describe(run_result):
            click.echo(line)
    click.echo(auditing.summary(result))
    sys.exit(0 if result.ok else 1)


def _snapshots_of(source: str, archive_dir: Path) -> tuple[str, list[dict]]:
    from crawler.record import history

    db = _open_db(archive_dir)
    url = history.source_url(db, source)
    if not url:
        raise BadInput(f"no source {source!r} in {archive_dir / DB_NAME} (and it is not a URL)")
    return url, history.snapshots(db, url)


@click.command()
@click.argument("source")
@archive_option
def history(source, archive_dir):
    """List every snapshot of a source, newest first.

    SOURCE is a source id from the citations file (or a URL).

    \b
    Example:
        citecheck history fh-nit-2024-region
    """
    from crawler.record import history as hist

    url, rows = _snapshots_of(source, archive_dir)
    click.echo(f"{source}: {url}")
    if not rows:
        click.echo("no snapshots: this URL was never fetched")
        return
    click.echo(f"{len(rows)} snapshot{'s' if len(rows) != 1 else ''}, newest first")
    for line in hist.history_lines(rows):
        click.echo(line)


@click.command()
@click.argument("source")
@click.argument("runs", nargs=-1)
@archive_option
def diff(source, runs, archive_dir):
    """Show how a source's extracted text changed between two runs.

    Without RUN_A RUN_B, compares the last two snapshots. Exit 0 when the texts
    are identical, 1 when they differ.

    \b
    Example:
        citecheck diff eir-2024-last-stronghold
        citecheck diff eir-2024-last-stronghold 20261124T233017.655Z-b3fa 20261124T233119.801Z-59fd
    """
    from crawler.record import history as hist

    if len(runs) not in (0, 2):
        raise BadInput("give no runs (the last two snapshots) or exactly two: RUN_A RUN_B")
    url, rows = _snapshots_of(source, archive_dir)
    pair = hist.pick_pair(rows, *(runs or (None, None)))
    if pair is None:
        wanted = " and ".join(runs) if runs else "two snapshots"
        raise BadInput(f"{source}: cannot compare, {wanted} not found among {len(rows)} snapshot(s) of {url}")
    old, new = pair
    try:
        texts = [hist.snapshot_text(row, archive_dir) for row in pair]
    except OSError as exc:  # a damaged archived text: audit names the file that no longer matches its seal
        raise BadInput(f"{source}: {exc}; `citecheck audit` checks the archive") from None
    for row, text in zip(pair, texts):
        if text is None:
            raise BadInput(f"{source}: run {row['run']} has no extracted text ({hist.status_link(row)})")
    result = hist.diff_texts(texts[0], texts[1], old["run"], new["run"])
    click.echo(f"{source}: {result.summary()}")
    for line in result.lines:
        click.echo(line)
    sys.exit(1 if result.changed else 0)


@click.command()
@archive_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
def serve(archive_dir, host, port):
    """Browse the archive database in Datasette (needs the browse extra).

    Opens the database read-only, with full-text search over snapshots and
    canned queries: failing references, sources changed since they were cited,
    references with unknown claimed dates.

    \b
    Example:
        citecheck serve --port 8001      # then open http://127.0.0.1:8001/citecheck
    """
    from crawler.record import browse

    try:
        browse.serve(archive_dir / DB_NAME, host=host, port=port)
    except FileNotFoundError:
        raise BadInput(f"{archive_dir / DB_NAME} does not exist: run `citecheck verify` first") from None
    except browse.BrowseUnavailable as exc:
        raise BadInput(str(exc)) from None


@click.command()
@click.argument("run")
@click.option("--wacz", "as_wacz", is_flag=True, required=True, help="Package as WACZ (the only format so far).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the file [default: RUN.wacz].")
@click.option("--signing-url", envvar="CITECHECK_SIGNING_URL", metavar="URL",
              help="Sign the WACZ (WACZ 1.1 signedData) at this authsign-compatible signer's /sign endpoint.")
@click.option("--signing-token", envvar="CITECHECK_SIGNING_TOKEN", metavar="TOKEN",
              help="Bearer token for the signer [env: CITECHECK_SIGNING_TOKEN].")
@archive_option
def export(run, as_wacz, output, signing_url, signing_token, archive_dir):
    """Package one run for web-archive players, validated before it is kept.

    The WACZ holds the run's WARC, the records its 304s confirm (from earlier
    runs), pages with their text, and the run's reports and manifest.

    \b
    Example:
        citecheck export 20261124T233017.655Z-b3fa --wacz -o run.wacz
        citecheck export 20261124T233017.655Z-b3fa --wacz --signing-url https://signer.example/sign
    """
    from crawler.record import wacz_export

    run_dir = archive_dir / run
    if not run_dir.is_dir():
        raise BadInput(f"no run {run} in {archive_dir}")
    output = output or Path(f"{run}.wacz")
    try:
        wacz_export.export_wacz(run_dir, output, archive_dir / DB_NAME, signing_url, signing_token)
    except wacz_export.ExportError as exc:
        raise BadInput(str(exc)) from None
    valid, log = wacz_export.validate_wacz(output)
    if not valid:
        output.unlink()
        raise click.ClickException(f"the WACZ did not validate, so it was removed:\n{log}")
    signed = " and signed" if wacz_export.signed_data(output) else ""
    click.echo(f"wrote {output} ({output.stat().st_size:,} bytes): WACZ valid per py-wacz's validator{signed}")


COMMANDS = (audit, history, diff, serve, export)
