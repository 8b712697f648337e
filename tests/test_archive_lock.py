"""One run at a time on an archive: a second run refuses while the first holds it, so the chain of
manifests never forks, and audit tells a run in progress from an interrupted one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from crawler.record import audit, lock
from tests.conftest import FAST, ROOT, run_cli, write_citations
from tests.support.server import Response


def test_a_second_holder_is_refused_with_who_holds_it(tmp_path):
    with lock.holding(tmp_path, "20261202T010000.000Z-aaaa"):
        assert lock.held(tmp_path).startswith(f"run 20261202T010000.000Z-aaaa, pid {os.getpid()}, since ")
        with pytest.raises(lock.ArchiveBusy, match=r"is in use by another citecheck run \(run 20261202T010000"):
            with lock.holding(tmp_path, "20261202T010001.000Z-bbbb"):
                pass
    assert lock.held(tmp_path) is None  # released with its holder
    with lock.holding(tmp_path, "20261202T010002.000Z-cccc"):
        pass


def test_two_runs_at_once_on_one_archive_never_fork_the_chain(tmp_path, http_server):
    release = threading.Event()  # the first run's page answers only when the test has seen what it needs

    def slow(request):
        release.wait(60)
        return Response(200, {"Content-Type": "text/html"}, b"<html><title>x</title></html>")

    http_server.route("/slow", slow)
    write_citations(tmp_path / "citations.yaml", {"s": {"url": http_server.url("/slow"), "title": "x"}})
    command = [sys.executable, "-m", "crawler", "verify", "citations.yaml", "--allow-private", "--timeout", "90", *FAST]
    first = subprocess.Popen(command, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while lock.held(tmp_path / "archive") is None and time.monotonic() < deadline:
            time.sleep(0.1)
        holder = lock.held(tmp_path / "archive")
        assert holder and f"pid {first.pid}" in holder
        second = run_cli("verify", "citations.yaml", "--allow-private", *FAST, cwd=tmp_path, json_name=None)
        assert second.code == 2
        assert "archive is in use by another citecheck run (run " in second.stderr
        during = run_cli("audit", cwd=tmp_path, json_name=None)
        assert during.code == 0 and ": in progress: it is sealed when it ends" in during.stdout
    finally:
        release.set()
        assert first.wait(timeout=60) == 0
    assert run_cli("verify", "citations.yaml", "--allow-private", *FAST, cwd=tmp_path).code == 0
    runs = audit.run_dirs(tmp_path / "archive")
    assert len(runs) == 2  # the refused run created nothing
    manifests = [json.loads((run / audit.MANIFEST).read_text()) for run in runs]
    assert manifests[0]["previous"] is None and manifests[1]["previous"]["run"] == runs[0].name
    assert run_cli("audit", cwd=tmp_path, json_name=None).code == 0
