"""One run at a time on an archive: the chain of manifests has one newest link.

Two runs on one archive at once would both seal against the same previous
manifest and fork the chain; the later one's records could then be rewritten
unnoticed. So a run holds an exclusive lock on ``archive/.lock`` from before it
creates its folder until its manifest is written; a second run refuses (after
two seconds' patience) with who holds it. The kernel drops the lock when the holder dies, whatever
killed it, so a crash never leaves the archive locked.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from pathlib import Path

from crawler.models import utc_now

LOCK_NAME = ".lock"


class ArchiveBusy(Exception):
    """Another run holds the archive."""


@contextlib.contextmanager
def holding(archive_dir: Path, run_id: str):
    """Hold ``archive_dir`` for the run ``run_id``; raises ArchiveBusy when another run holds it."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    path = archive_dir / LOCK_NAME
    handle = open(path, "a+", encoding="utf-8")
    try:
        if not _take(handle):
            handle.seek(0)
            raise ArchiveBusy(f"{archive_dir} is in use by another citecheck run ({_holder(handle.read())}): "
                              "wait for it to end, or give this run another --archive")
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"run": run_id, "pid": os.getpid(), "since": utc_now()}))
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock


def _take(handle, patience: float = 2.0) -> bool:
    """The exclusive lock, waiting out a moment's holder (``held`` peeks with a shared lock); a run
    holds it for minutes, so a short patience tells the two apart."""
    deadline = time.monotonic() + patience
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)


def held(archive_dir: Path) -> str | None:
    """Who holds the archive now (for ``audit``: a run in progress is not an interrupted one), or None."""
    path = Path(archive_dir) / LOCK_NAME
    if not path.is_file():
        return None
    with open(path, encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder(handle.read())
        return None


def _holder(text: str) -> str:
    try:
        holder = json.loads(text)
        return f"run {holder['run']}, pid {holder['pid']}, since {holder['since']}"
    except (ValueError, KeyError, TypeError):
        return "a run whose details are unreadable"
