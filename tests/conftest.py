"""Shared fixtures: a loopback HTTP server and a way to run the real CLI.

The CLI runs in a subprocess because Scrapy's Twisted reactor can start only
once per process; each test gets a fresh crawl, exactly as users run it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.redis_server import redis_server
from tests.support.server import serve

ROOT = Path(__file__).resolve().parent.parent
# fast, deterministic crawls against loopback: no politeness delays, one short retry
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=1",
        "-s", "CITECHECK_RESCUE=False"]  # archive lookups only where a test serves a fake archive


@pytest.fixture
def http_server():
    with serve() as server:
        yield server


@pytest.fixture
def redis(tmp_path_factory):
    """A real redis-server on a free loopback port, stopped after the test."""
    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server


@dataclass
class CliRun:
    code: int
    stdout: str
    stderr: str
    report: dict | None

    def by_source(self) -> dict[str, dict]:
        return {r["source"]: r for r in self.report["results"]}


def run_cli(*args: str, cwd: Path, json_name: str | None = "report.json", timeout: float = 120,
            env: dict[str, str] | None = None) -> CliRun:
    """Run ``citecheck`` as users do; returns exit code, output and the JSON report."""
    cmd = [sys.executable, "-m", "crawler", *args]
    if json_name and args and args[0] == "verify":
        cmd += ["--json", str(cwd / json_name)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    report_path = cwd / json_name if json_name else None
    report = json.loads(report_path.read_text()) if report_path and report_path.exists() else None
    return CliRun(proc.returncode, proc.stdout, proc.stderr, report)


def write_citations(path: Path, sources: dict[str, dict], footnotes: dict[str, list] | None = None) -> Path:
    """A citations.yaml with one footnote per source unless footnotes are given."""
    footnotes = footnotes or {str(i): [{"source": sid}] for i, sid in enumerate(sources, start=1)}
    doc = {"document": {"title": "Test document", "publisher": "Tests", "issue": "T/1"},
           "sources": sources, "footnotes": footnotes}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML
    return path


@pytest.fixture
def cli_env(tmp_path):
    """A working directory with helpers bound to it."""

    class Env:
        dir = tmp_path

        def verify(self, *args: str, citations: str = "citations.yaml") -> CliRun:
            return run_cli("verify", citations, *args, cwd=tmp_path)

    return Env()


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip()
