"""The web-archive tools auditors use, for the tests that open citecheck's archive in them.

pywb pins versions the project's own environment does not share, so it lives in
a venv of its own (``.tools/venv``, or ``CITECHECK_ARCHIVE_TOOLS``), which
``make tools`` (and ``.ci/run``) builds and the first test that needs it builds
too. pywb is started on a free loopback port, one collection per test module.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("pywb==2.10.0",)


def tools_venv() -> Path:
    """The venv holding pywb, built on first use."""
    venv = Path(os.environ.get("CITECHECK_ARCHIVE_TOOLS") or ROOT / ".tools" / "venv")
    if not (venv / "bin" / "wayback").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *TOOLS], check=True)
    return venv


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def pywb(workdir: Path, warcs: list[Path], collection: str = "runs"):
    """pywb serving ``warcs`` as one collection; yields its base URL (``http://127.0.0.1:PORT``)."""
    venv = tools_venv()
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": ""}
    subprocess.run([str(venv / "bin" / "wb-manager"), "init", collection], cwd=workdir, check=True, env=env,
                   capture_output=True)
    subprocess.run([str(venv / "bin" / "wb-manager"), "add", collection, *map(str, warcs)], cwd=workdir,
                   check=True, env=env, capture_output=True)
    port = free_port()
    log = open(workdir / "pywb.log", "wb")
    proc = subprocess.Popen([str(venv / "bin" / "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=workdir,
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("pywb did not start: " + (workdir / "pywb.log").read_text()[-2000:])
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects; the status, headers and body pywb answered."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=30) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def cdxj(warc: Path) -> list[str]:
    """cdxj-indexer's index of ``warc``: the captures replay tools see in it."""
    out = subprocess.run([shutil.which("cdxj-indexer", path=str(Path(sys.executable).parent)) or "cdxj-indexer",
                          str(warc)], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()
