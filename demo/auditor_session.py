"""The README's auditor session, run for real: each command with its output and exit code.

    .venv/bin/python demo/auditor_session.py > session.md

Two runs over the demo replica, the second over ``demo/edit_replica.py``'s copy
in which one page was reworded; then the auditor's commands, a copy of the
archive tampered with (a report edited, a log deleted, a verdict in the database
turned from fail to pass) and audited. Runs in a temporary folder; prints the
console block the README shows.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

COMMANDS = [
    "citecheck verify citations.yaml --replay demo/replica.warc.gz > /dev/null",
    "citecheck verify citations.yaml --replay demo/replica-edited.warc.gz > /dev/null",
    "ls archive",
    "citecheck audit",
    "citecheck history eir-2024-last-stronghold",
    "citecheck diff eir-2024-last-stronghold",
    "citecheck diff fh-nit-2024-georgia",
    "cp -r archive tampered && echo 'edited later' >> tampered/{first}/report.json && rm tampered/{second}/crawl.log",
    "sqlite-utils query tampered/citecheck.db \"update checks set overall = 'pass' where run = '{first}' "
    "and source = 'meduza-2026-extraditing'\"",
    "citecheck audit --archive tampered",
    "citecheck audit {second} --archive tampered",
    "citecheck export {second} --wacz -o run.wacz",
    "unzip -l run.wacz | tail -n +4 | head -n -2",
    "wacz validate -f run.wacz",
    "citecheck serve --port 8701 >serve.log 2>&1 & sleep 4",
    "curl -s 'http://127.0.0.1:8701/citecheck/sources_changed_since_cited.json?_shape=array' | python3 -m json.tool",
    "curl -s 'http://127.0.0.1:8701/citecheck/snapshots.json?_search=Wasserpfeife&_col=run&_col=url&_shape=array' "
    "| python3 -m json.tool",
]


def main() -> None:
    edited = ROOT / "demo" / "replica-edited.warc.gz"
    if not edited.exists():
        subprocess.run([sys.executable, str(ROOT / "demo" / "edit_replica.py")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(ROOT / "citations.yaml", work)
        (work / "demo").mkdir()
        for name in ("replica.warc.gz", "replica-edited.warc.gz"):
            (work / "demo" / name).symlink_to(ROOT / "demo" / name)
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
        runs: dict[str, str] = {}
        print("```console")
        try:
            for command in COMMANDS:
                command = command.format(**runs)
                done = subprocess.run(command, shell=True, cwd=work, env=env, capture_output=True, text=True)
                print(f"$ {command}")
                output = (done.stdout + done.stderr).rstrip("\n")
                if output:
                    print(output)
                print(f"# exit {done.returncode}\n")
                if command.startswith("ls"):
                    first, second = [line for line in done.stdout.split() if line[:8].isdigit()]
                    runs.update(first=first, second=second)
        finally:
            subprocess.run("pkill -f 'citecheck serve --port 8701'", shell=True)
        print("```")


if __name__ == "__main__":
    main()
