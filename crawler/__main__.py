"""``python -m crawler`` runs the citecheck CLI."""

from crawler.cli import main

if __name__ == "__main__":
    main()
