"""``citecheck worker``: crawl for the runs a coordinator (``verify --redis``) puts on a shared Redis."""

from __future__ import annotations

import sys

import click

EXIT_NO_REDIS = 3


@click.command()
@click.option("--redis", "redis_url", required=True, metavar="URL",
              help="The Redis the coordinators use, e.g. redis://crawlhost:6379/0.")
@click.option("--allow-private", is_flag=True,
              help="Allow private, loopback and link-local addresses, where a run allows them too (tests).")
@click.option("--timeout", type=click.FloatRange(min=0.1),
              help="Seconds one download may take on this machine (default: the run's --timeout).")
@click.option("--one-run", is_flag=True,
              help="Serve the first run only, crawled in this process, then exit (as the local workers of a split crawl do).")
def worker(redis_url, allow_private, timeout, one_run):
    """Fetch, archive and extract pages for any run on a shared Redis, until SIGTERM.

    Each run's settings come from its coordinator (citecheck verify --redis);
    the archive, database and reports stay with the coordinator. Hosts are
    leased whole, so one host is crawled by one worker at a time and its
    robots.txt, Crawl-delay and per-host limit hold for the whole run.

    \b
    Example:
        citecheck worker --redis redis://crawlhost:6379/0
        citecheck verify citations.yaml --redis redis://crawlhost:6379/0
    """
    from crawler.worker import WorkerError, serve

    try:
        serve(redis_url, allow_private=allow_private, timeout=timeout, one_run=one_run)
    except WorkerError as exc:
        click.echo(f"citecheck worker: {exc}", err=True)
        sys.exit(EXIT_NO_REDIS)
