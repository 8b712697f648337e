"""``python -m crawler`` runs the citecheck CLI."""

from crawler.cli import cli

cli()
