"""citecheck: verify a document's source citations against the pages they cite."""

__version__ = "0.1.0"
DB_NAME = "citecheck.db"  # the archive database, inside the archive folder
