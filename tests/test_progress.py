"""A run says how far it is while it crawls: within 2 s of its start, with or without a terminal."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time


from crawler.models import Fetch
from crawler.progress import Progress
from crawler.crawl.pipelines import Snapshot
from tests.conftest import FAST, ROOT, write_citations
from tests.support.server import Response

URLS = 150


def _citations(tmp_path, http_server, count: int = URLS) -> None:
    http_server.route("/slow", lambda request: Response(200, {"Content-Type": "text/html"},
                                                        b"<html><title>x</title><p>text</p></html>", delay=0.02))
    write_citations(tmp_path / "citations.yaml", {
        f"s{i}": {"url": f"{http_server.url('/slow')}?page={i}", "title": "x"} for i in range(count)})


def _command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "crawler", "verify", "citations.yaml", "--allow-private", *FAST, *extra]


def _lines_with_times(stream, started: float, until: float, stop=None) -> list[tuple[float, str]]:
    """Lines as they come (a live line redraws with carriage returns), with seconds since ``started``."""
    lines, buffer = [], b""
    while time.monotonic() < until and not (stop and any(stop(line) for _, line in lines)):
        ready, _, _ = select.select([stream], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(stream if isinstance(stream, int) else stream.fileno(), 4096)
        except OSError:  # a terminal whose other end has closed
            break
        if not chunk:
            break
        buffer += chunk
        *complete, buffer = re.split(rb"[\r\n]", buffer)
        lines += [(time.monotonic() - started, line.decode(errors="replace")) for line in complete if line.strip()]
    return lines


def test_without_a_terminal_a_status_line_comes_at_once_and_every_few_seconds(tmp_path, http_server):
    _citations(tmp_path, http_server)
    started = time.monotonic()
    run = subprocess.Popen(_command(), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    status_line = re.compile(rf"citecheck: \d+/{URLS} URLs")
    try:
        lines = _lines_with_times(run.stderr, started, started + 60, stop=status_line.match)
    finally:
        run.kill()
        run.wait(timeout=60)
    status = [(at, line) for at, line in lines if status_line.match(line)]
    assert status and status[0][0] < 2.0, lines[:5]
    assert lines[0][1] == f"citecheck: verifying {URLS} references to {URLS} sources of citations.yaml"


def test_on_a_terminal_a_live_line_is_drawn(tmp_path, http_server):
    _citations(tmp_path, http_server)
    primary, secondary = pty.openpty()
    started = time.monotonic()
    run = subprocess.Popen(_command(), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=secondary,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120", "TERM": "xterm"})
    os.close(secondary)
    drawn_line = re.compile(rf"fetching.*\d+/{URLS}")
    try:
        lines = _lines_with_times(primary, started, started + 60, stop=drawn_line.search)
    finally:
        run.kill()
        run.wait(timeout=60)
        os.close(primary)
    drawn = [(at, line) for at, line in lines if drawn_line.search(line)]
    assert drawn and drawn[0][0] < 2.0, lines[:5]


def test_the_last_line_sums_up_and_quiet_or_no_progress_print_none(tmp_path, http_server):
    _citations(tmp_path, http_server, count=10)
    for flag in ("", "-q", "--no-progress"):
        run = subprocess.run(_command(*filter(None, [flag])), cwd=tmp_path, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
        progress = re.findall(r"citecheck: \d+/\d+ URLs.*", run.stderr)
        if flag:
            assert progress == [], run.stderr
        else:
            assert progress[-1].startswith("citecheck: 10/10 URLs fetched in ") and progress[-1].endswith(", 0 failed")


def test_the_status_says_what_is_done_failed_and_waited_on():
    progress = Progress(stream=open(os.devnull, "w"), live=False)
    urls = ["https://a.example/1", "https://a.example/2", "https://b.example/1", "https://a.example/citecheck-probe-x"]
    progress.start(urls)
    assert progress.status() == "citecheck: 0/3 URLs, 0 failed; waiting on a.example (2 left)"
    progress.done(Snapshot(Fetch(url=urls[2], error="timeout"), None, None))
    progress.done(Snapshot(Fetch(url=urls[3], status=404), None, None))  # a probe: not a cited URL
    assert progress.status().startswith("citecheck: 1/3 URLs, 1 failed, about ")
    progress.close()
