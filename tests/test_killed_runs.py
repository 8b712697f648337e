"""A run killed outright (SIGKILL, the OOM killer) leaves no process behind: its crawl processes and
its extraction pool die with it; audit calls the run interrupted, and --repair seals it as such."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.record import audit
from tests.conftest import FAST, ROOT, run_cli, write_citations
from tests.support.server import Response

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.parametrize("settings", [
    ("-s", "CITECHECK_CRAWL_PROCESS_MIN_URLS=2", "-s", "CITECHECK_EXTRACT_POOL_MIN_URLS=1000"),  # crawl processes
    ("-s", "CITECHECK_EXTRACT_POOL_MIN_URLS=1"),  # one crawl, an extraction pool beside it
], ids=["crawl-processes", "extraction-pool"])
def test_a_sigkilled_run_leaves_no_process_behind(tmp_path, http_server, settings):
    for i in range(6):
        http_server.route(f"/slow{i}", Response(200, {"Content-Type": "text/html"}, b"<html>x</html>", delay=30))
    sources = {f"s{i}": {"url": f"http://{'127.0.0.1' if i % 2 else 'localhost'}:{http_server.port}/slow{i}",
                         "title": "x"} for i in range(6)}
    write_citations(tmp_path / "citations.yaml", sources)
    run = subprocess.Popen([sys.executable, "-m", "crawler", "verify", "citations.yaml", "--allow-private", *FAST,
                            *settings, "--timeout", "60"], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while len(_descendants(run.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        children = _descendants(run.pid)
        assert len(children) >= 2, "the run started no processes to leave behind"
        time.sleep(1)
        children = _descendants(run.pid)
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()
    time.sleep(5)
    left = [pid for pid in children if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []
    _recovers(tmp_path, http_server)


def _recovers(tmp_path, http_server) -> None:
    """The killed run is interrupted, not tampered; --repair seals it so, and the next run chains on."""
    (killed,) = audit.run_dirs(tmp_path / "archive")
    audited = run_cli("audit", cwd=tmp_path, json_name=None)
    assert audited.code == 1 and f"run {killed.name}: interrupted, not tampered" in audited.stdout
    assert run_cli("audit", "--repair", cwd=tmp_path, json_name=None).code == 0
    http_server.route("/fast", Response(200, {"Content-Type": "text/html"}, b"<html>x</html>"))
    write_citations(tmp_path / "citations.yaml", {"s": {"url": http_server.url("/fast"), "title": "x"}})
    assert run_cli("verify", "citations.yaml", "--allow-private", *FAST, cwd=tmp_path).code in (0, 1)
    audited = run_cli("audit", cwd=tmp_path, json_name=None)
    assert audited.code == 0, audited.stdout
    assert f"chain to run {killed.name} intact" in audited.stdout


def _pid_namespaces() -> bool:
    try:
        return subprocess.run(["unshare", "-rpf", "--mount-proc", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not _pid_namespaces(), reason="no user and PID namespaces here (unshare -rpf)")
@pytest.mark.parametrize("settings", [
    ("-s", "CITECHECK_CRAWL_PROCESS_MIN_URLS=2", "-s", "CITECHECK_EXTRACT_POOL_MIN_URLS=1000"),
    ("-s", "CITECHECK_EXTRACT_POOL_MIN_URLS=1"),
], ids=["crawl-processes", "extraction-pool"])
def test_a_run_as_pid_1_keeps_its_children(tmp_path, http_server, settings):
    """A container's entry point is PID 1: its children must not take that for a dead parent."""
    sources = {f"s{i}": {"url": f"http://{'127.0.0.1' if i % 2 else 'localhost'}:{http_server.port}/article",
                         "title": "River ferries"} for i in range(4)}
    write_citations(tmp_path / "citations.yaml", sources)
    run = subprocess.run(["unshare", "-rpf", "--mount-proc", sys.executable, "-m", "crawler", "verify", "citations.yaml",
                          "--allow-private", *FAST, *settings, "--json", "report.json"],
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    assert [r["link"] for r in report["results"]] == ["ok"] * 4
    assert {r["title"]["verdict"] for r in report["results"]} == {"match"}  # extracted, in the pool or the crawl
