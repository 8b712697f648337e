"""JUnit XML, the one test-report format every CI system already displays.

Each reference is a test case pointing at its line in citations.yaml: a failed
reference is a failure typed by the check at fault, a warning is "skipped"
(visible, but not red), and a pass carries its evidence in system-out so the
record shows why it passed. ``write`` streams the test cases to a file one at a
time: the XML of a nightly run is never built whole.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TextIO

from .common import counts, document_title, evidence_brief, notes, primary_check, primary_reason, sub

# Characters XML 1.0 cannot carry at all, even escaped (page titles may hold them).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(run: dict, results: Sequence[dict]) -> str:
    out = io.StringIO()
    write(out, run, results)
    return out.getvalue()


CASES = "citecheck-cases"  # where the test cases go in the head and tail, which are rendered around them


def write(out: TextIO, run: dict, results: Sequence[dict]) -> None:
    """The suite's head (its totals need every result), then each test case as it is rendered."""
    tally = counts(results)
    totals = {
        "tests": str(len(results)),
        "failures": str(tally["fail"]),
        "skipped": str(tally["warn"]),
        "errors": "0",
        "time": _duration(run),
    }
    root = ET.Element("testsuites", {"name": "citecheck", **totals})
    suite = ET.SubElement(
        root, "testsuite", {"name": _clean(document_title(run)), **totals,
                            "timestamp": _clean(run.get("started_at") or "")}
    )
    _properties(suite, run)
    if results:
        ET.SubElement(suite, CASES)
    ET.indent(root)
    head, _, tail = ET.tostring(root, encoding="unicode").partition(f"<{CASES} />")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + head)
    citations = str(run.get("citations") or "citations.yaml")
    separator = ""
    for result in results:
        case = _testcase(ET.Element("holder"), result, citations)
        ET.indent(case, level=2)
        case.tail = None
        out.write(separator + ET.tostring(case, encoding="unicode"))
        separator = "\n    "
    out.write(tail + "\n")


def detail_lines(result: dict) -> list[str]:
    """Everything a CI reader needs to judge the reference without the HTML report."""
    lines = list(result.get("reasons") or []) + notes(result)
    link = f"link: {result.get('link')}"
    if result.get("http_status"):
        link += f" (HTTP {result['http_status']})"
    lines.append(f"{link} {result.get('url') or '(no URL)'}")
    if result.get("link_detail"):
        lines.append(f"  {result['link_detail']}")
    hops = result.get("hops") or []
    if len(hops) > 1:
        lines += [f"  hop {h.get('status')} {h.get('url')}" + (f" -> {h['location']}" if h.get("location") else "")
                  for h in hops]
    date = result.get("date") or {}
    if date:
        lines.append(f"date: {date.get('verdict')}, claimed {date.get('claimed') or '-'}")
    brief = evidence_brief(date)
    if brief:
        lines.append(f"  {brief}")
    for ev in date.get("evidence") or ():
        lines.append(f"  evidence {ev.get('kind')} {ev.get('date')} from {ev.get('source')} "
                     f"{ev.get('where')}: {ev.get('raw')!r}")
    if sub(result, "title", "verdict") not in (None, "not_checked"):
        lines.append(f"title: {sub(result, 'title', 'verdict')}, cited {sub(result, 'title', 'cited')!r}, "
                     f"page {sub(result, 'title', 'page')!r}")
    if sub(result, "pages", "verdict") not in (None, "not_checked", "not_applicable"):
        lines.append(f"pages: {sub(result, 'pages', 'verdict')}, cited {sub(result, 'pages', 'cited')}, "
                     f"document has {sub(result, 'pages', 'page_count')}")
    if result.get("snapshot"):
        lines.append(f"snapshot: {sub(result, 'snapshot', 'text_path')}")
    return lines


def _testcase(suite: ET.Element, result: dict, citations: str) -> ET.Element:
    attrs = {
        "classname": _clean(f"citecheck.footnote{result.get('footnote', '')}"),
        "name": _clean(str(result.get("source", ""))),
        "file": _clean(citations),
        "time": "0",
    }
    if result.get("line"):
        attrs["line"] = str(result["line"])
    case = ET.SubElement(suite, "testcase", attrs)
    details = _clean("\n".join(detail_lines(result)))
    message = _clean(primary_reason(result) or str(result.get("overall")))
    if result.get("overall") == "fail":
        failure = ET.SubElement(case, "failure", {"message": message, "type": primary_check(result)})
        failure.text = details
    elif result.get("overall") == "warn":
        ET.SubElement(case, "skipped", {"message": message})
        ET.SubElement(case, "system-out").text = details
    else:
        ET.SubElement(case, "system-out").text = details
    return case


def _properties(suite: ET.Element, run: dict) -> None:
    props = ET.SubElement(suite, "properties")
    for key in ("id", "tool", "citations", "replay", "archive", "exit_code"):
        if run.get(key) is not None:
            ET.SubElement(props, "property", {"name": f"citecheck.{key}", "value": _clean(str(run[key]))})


def _duration(run: dict) -> str:
    try:
        start = dt.datetime.fromisoformat(run["started_at"])
        end = dt.datetime.fromisoformat(run["finished_at"])
    except (KeyError, TypeError, ValueError):
        return "0"
    return f"{max((end - start).total_seconds(), 0):.3f}"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
