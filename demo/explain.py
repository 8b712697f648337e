"""Say plainly what `make demo`'s exit code means, so nobody mistakes a verdict for a broken install.

Usage: explain.py EXIT_CODE OUT_DIR
"""

import json
import sys
from pathlib import Path

code, out = int(sys.argv[1]), Path(sys.argv[2])
report = out / "report.json"
if code == 2 or not report.exists():
    sys.exit(f"\ncitecheck exited {code}: the demo did not run (see the error above).")
data = json.loads(report.read_text(encoding="utf-8"))
results, counts = data["results"], data["run"]["counts"]
lost = [r for r in results if r["link"] == "no_url"]
print(f"\nImported from the document: {out}/citations.yaml (every link empty: the conversion lost them).")
print("Verified: citations.yaml, the same import with the links an editor recovered by hand (a later import keeps them).")
print(f"Reports: {out}/report.html, {out}/report.json, {out}/junit.xml")
print(f"citecheck verify exited {code}: {counts['fail']} fail, {counts['warn']} warn, {counts['pass']} pass "
      f"of {len(results)} references.")
if code == 1:
    print(f"That is the expected verdict, not a broken install: {len(lost)} references cite sources whose links "
          "were lost when the document was converted, and a lost link fails the check by design.")
elif code != 0:
    sys.exit(f"unexpected exit code {code}")
