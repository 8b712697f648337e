"""How long and how large `citecheck verify` gets on hostile citations files before it refuses them.

    .venv/bin/python bench/hostile_input.py

Each file (``tests/support/hostile.py``: an alias bomb, nesting 5,000 deep,
10,001 references, 9 MB; and malformed URLs) is run through the real command
in a fresh process; prints its exit code, wall time and peak memory (max RSS
of the process, interpreter and imports included). The target: exit 2 within
2 s and 200 MB each, and no traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support import hostile  # noqa: E402

URLS = ["http://[::1/", "ht!tp://www.example.org/", "https://www.example.org:99999/", "/just/a/path"]


def measure(path: Path, cwd: Path) -> tuple[int, float, float, str]:
    """(exit code, seconds, peak MB, last line of stderr) of one verify run, in a process of its own."""
    with tempfile.TemporaryFile("w+") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "crawler", "verify", str(path), "--archive",
                                 str(cwd / "archive")], cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr,
                                env={**os.environ, "PYTHONPATH": str(REPO)})
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak, not the largest child's so far
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        last = (stderr.read().strip().splitlines() or [""])[-1]
    return proc.returncode, seconds, usage.ru_maxrss / 1024, last


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = [hostile.write(work, name) for name in hostile.CASES]
        for n, url in enumerate(URLS):
            path = work / f"url-{n}.yaml"
            path.write_text(hostile.HEAD.replace("https://www.example.org/a", url) + 'footnotes:\n  "1": [{source: s}]\n')
            files.append(path)
        print(f"{'file':<30} {'exit':>4} {'seconds':>8} {'peak MB':>8}  message")
        worst_time = worst_memory = 0.0
        for path in files:
            code, seconds, peak, message = measure(path, work)
            worst_time, worst_memory = max(worst_time, seconds), max(worst_memory, peak)
            size = f"{path.stat().st_size / 1024:.0f} KB"
            print(f"{path.stem + ' (' + size + ')':<30} {code:>4} {seconds:>8.2f} {peak:>8.0f}  {message[:110]}")
        print(f"worst: {worst_time:.2f} s, {worst_memory:.0f} MB")


if __name__ == "__main__":
    main()
