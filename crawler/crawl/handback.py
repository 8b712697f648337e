"""What a worker hands back for each URL: the fetch, its extraction, and the bytes its WARC and log grew by.

A worker fetches, archives and extracts exactly as a local run does (the
same middlewares and the same pipeline's extraction); only the last steps
are the coordinator's, which holds the run's archive: storing the text,
comparing it with the previous snapshot, and completing a 304 from the
earlier run that it confirms (``crawler.crawl.collect``).

The worker's WARC and log are files of its own; every message carries what
was appended to them since the last one. The coordinator appends those bytes
to the worker's part of the run's WARC and log, so a worker killed outright
loses only what it never handed back: URLs that go back to the frontier.
Settings: ``CITECHECK_WARC_PATH`` (the worker's own file), ``LOG_FILE``.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from crawler.crawl.pipelines import ExtractionPipeline
from crawler.models import Extracted, Fetch


@dataclasses.dataclass
class Outcome:
    """One URL as the worker leaves it (the body dropped once extracted)."""

    fetch: Fetch
    extracted: Extracted | None = None
    body_sha256: str | None = None


class WorkerPipeline(ExtractionPipeline):
    """The local run's extraction; a 304 is left to the coordinator (the archive it confirms is there)."""

    async def process_item(self, item):
        if not isinstance(item, Fetch):
            return item
        if item.status is None or item.status == 304:
            return Outcome(item)
        from crawler.record.archive import sha256_hex

        extracted = await self.extract(item.body, item.final_url or item.url, item.headers)
        digest = sha256_hex(item.body)
        item.body = b""
        return Outcome(item, extracted, digest)


class Tail:
    """The bytes a file grew by since they were last read (nothing, while it does not exist). The
    file stays open once found: a worker reads its WARC and log after every page."""

    def __init__(self, path: str | os.PathLike | None):
        self.path = Path(path) if path else None
        self._fh = None

    def read(self) -> bytes:
        if self._fh is None:
            if self.path is None or not self.path.is_file():
                return b""
            self._fh = open(self.path, "rb")  # noqa: SIM115 -- closed by close()
        return self._fh.read()  # from where the last read ended: the file only grows

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def message(worker: str, outcome: Outcome | None, tails: dict[str, Tail]) -> dict:
    """A hand-back: ``url`` None for a worker's last bytes, with no outcome."""
    return {"worker": worker, "url": outcome.fetch.url if outcome else None, "outcome": outcome,
            "parts": {name: tail.read() for name, tail in tails.items()}}
