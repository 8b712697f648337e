"""``python -m crawler`` runs the citecheck CLI."""

from crawler.cli import cli

if __name__ == "__main__":
    cli()
