"""The peers citecheck is measured against, on the same loopback pages.

LinkChecker 10.6 (PyPI ``linkchecker``) is installed by the benchmark into its
own venv under ``build/`` (its pins are not the product's concern), once, and
run as a subprocess with its default, polite settings: robots.txt obeyed, 10
threads, each host paced at a random 0.1-0.6 s between requests
(``maxrequestspersecond=10``). ``-r 0`` checks the given URLs and follows
none of their links, as citecheck does; it reads a page's status and headers,
not its text.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.tree import Measured, measure

LINKCHECKER = "linkchecker==10.6.0"
BARE_SCRAPY = Path(__file__).resolve().parent / "bare_scrapy.py"


def linkchecker(build: Path) -> Path:
    """The ``linkchecker`` executable of a venv under ``build``, installed from PyPI on first use."""
    venv = build / "linkchecker-venv"
    exe = venv / "bin" / "linkchecker"
    if not exe.exists():
        print(f"installing {LINKCHECKER} into {venv} (once)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", LINKCHECKER], check=True)
    return exe


def run_linkchecker(exe: Path, urls: list[str], workdir: Path, name: str, timeout: float) -> tuple[Measured, int]:
    """LinkChecker over ``urls``; returns the measurement and how many URLs it reported valid."""
    out = workdir / f"{name}.csv"
    cmd = [str(exe), "--no-status", "--verbose", "-r", "0", "-o", "csv", "--stdin"]
    measured = measure(cmd, workdir, {"PATH": "/usr/bin:/bin", "HOME": str(workdir)}, out, timeout,
                       stdin="\n".join(urls).encode())
    rows = [line.split(";") for line in out.read_text(errors="replace").splitlines()
            if line and not line.startswith(("#", "urlname", "WARNING", "INFO"))]
    valid = sum(1 for row in rows if len(row) > 6 and row[6] == "True")
    if measured.exit_code not in (0, 1):
        sys.exit(f"linkchecker exited {measured.exit_code}; see {out}")
    return measured, valid


def run_bare_scrapy(urls: list[str], workdir: Path, env: dict, timeout: float) -> Measured:
    """Scrapy alone over ``urls`` (``bench/bare_scrapy.py``): the stack's own cost, before citecheck's work."""
    listing = workdir / "bare-scrapy-urls.txt"
    listing.write_text("\n".join(urls))
    measured = measure([sys.executable, str(BARE_SCRAPY), str(listing)], workdir, env, workdir / "bare-scrapy.out",
                       timeout)
    if measured.exit_code != 0:
        sys.exit(f"bare Scrapy exited {measured.exit_code}; see {workdir / 'bare-scrapy.out'}")
    return measured
