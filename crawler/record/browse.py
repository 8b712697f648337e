"""Browse the archive database in Datasette, with the auditors' questions ready to click.

Datasette is optional (the ``browse`` extra), so it is imported only when
``serve`` runs. Datasette opens the database read-only; titles, descriptions and
canned queries come from ``datasette_metadata.yaml`` beside this module. Full-text
search over snapshot title and text works through the contentless index
``store.ensure_schema`` creates (``fts_table`` in the metadata: Datasette cannot
find a contentless index by itself).
"""

from __future__ import annotations

from pathlib import Path

METADATA = Path(__file__).with_name("datasette_metadata.yaml")
INSTALL_HINT = "Datasette is not installed; install the browse extra: pip install 'citecheck[browse]'"


class BrowseUnavailable(RuntimeError):
    """Datasette (the ``browse`` extra) cannot be imported."""


def datasette_args(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> list[str]:
    """The ``datasette serve`` command line for the archive database."""
    return ["serve", str(db_path), "--metadata", str(METADATA), "--host", host, "--port", str(port)]


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve until interrupted; raises BrowseUnavailable without Datasette, FileNotFoundError without a DB."""
    if not Path(db_path).is_file():
        raise FileNotFoundError(str(db_path))
    try:
        from datasette.cli import cli as datasette_cli
    except ImportError as exc:
        raise BrowseUnavailable(INSTALL_HINT) from exc
    datasette_cli.main(datasette_args(db_path, host, port), prog_name="datasette", standalone_mode=True)
