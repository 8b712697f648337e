"""citecheck: verify a document's source citations against the pages they cite."""

__version__ = "0.1.0"
