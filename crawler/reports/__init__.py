"""Reports over a finished run, one renderer per audience.

Every renderer is a pure function ``(run, results) -> str`` over the JSON
contract (see docs/DESIGN.md), so reports can be rebuilt later from a saved
JSON report without crawling again (the HTML one also reads, from the archive,
the texts of the pages whose cards need action). ``write_reports`` is the one place that
touches the file system.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterable
from pathlib import Path

from . import github, html, jsonreport, junit, markdown, sarif

render_markdown = markdown.render
render_json = jsonreport.render
render_junit = junit.render
render_html = html.render
render_sarif = sarif.render
render_annotations = github.render_annotations
render_step_summary = github.render_step_summary

__all__ = [
    "render_annotations",
    "render_html",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_sarif",
    "render_step_summary",
    "write_reports",
]


def write_reports(
    run: dict,
    results: Iterable[dict],
    *,
    json_path: str | os.PathLike | None = None,
    junit_path: str | os.PathLike | None = None,
    html_path: str | os.PathLike | None = None,
    sarif_path: str | os.PathLike | None = None,
    lang: str = "en",
) -> None:
    """``lang`` is the HTML report's language; the machine reports have none."""
    citations = str(run.get("citations") or "citations.yaml")
    html_dir = os.path.dirname(os.path.abspath(html_path)) if html_path is not None else None
    for path, write in ((json_path, jsonreport.write), (junit_path, junit.write)):
        if path is not None:  # streamed, one result at a time: never a whole report in memory
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            with open_text(path) as out:
                write(out, run, results)
    if html_path is not None:  # one card at a time
        path = Path(html_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            html.write(out, run, results, relative_to=html_dir, lang=lang)
    if sarif_path is not None:
        _write(Path(sarif_path), sarif.render(run, results, citations_path=citations))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def open_text(path: Path):
    """A report file to write: compressed when its name ends in .gz (the archive's machine reports)."""
    if path.name.endswith(".gz"):
        return gzip.open(path, "wt", encoding="utf-8")
    return path.open("w", encoding="utf-8")
