"""Package one run as WACZ, so any web-archive player (ReplayWeb.page) can open it.

A WACZ is a zip of the WARC, a CDXJ index, ``pages/pages.jsonl`` and a
``datapackage.json`` with every file's hash. Webrecorder's ``wacz`` package
builds and validates it; its library entry point is its command line, so we
call that in-process and keep its chatter as a log. Pages are the WARC's
successful responses (robots.txt aside), titled from the archive database
when the run is recorded there.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from crawler.record.archive import run_warc


class ExportError(RuntimeError):
    """The wacz package is missing or refused to build the archive."""


def _wacz_main():
    try:
        from wacz.main import main
    except ImportError as exc:
        raise ExportError("the wacz package is not installed: pip install wacz") from exc
    return main


def warc_pages(warc: Path) -> list[str]:
    """URLs of the pages a reader would open: 2xx responses other than robots.txt, in WARC order."""
    urls = []
    with open(warc, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response" or not record.http_headers:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            if record.http_headers.get_statuscode().startswith("2") and urlsplit(url).path != "/robots.txt":
                urls.append(url)
    return list(dict.fromkeys(urls))


def page_titles(db_path: Path | None, run_id: str) -> dict[str, str]:
    if not db_path or not Path(db_path).is_file():
        return {}
    from sqlite_utils import Database

    db = Database(db_path)
    if "snapshots" not in db.table_names():
        return {}
    rows = db.query("select url, final_url, title from snapshots where run = ? and title is not null", [run_id])
    return {row["final_url"] or row["url"]: row["title"] for row in rows}


def pages_jsonl(urls: list[str], titles: dict[str, str], run_id: str) -> str:
    header = {"format": "json-pages-1.0", "id": "pages", "title": f"citecheck run {run_id}"}
    lines = [header] + [{"url": url, "title": titles.get(url, url)} for url in urls]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def _run_wacz(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = _wacz_main()(args)
    return code, out.getvalue()


def export_wacz(run_dir: Path, output: Path, db_path: Path | None = None) -> Path:
    """Write ``output`` (.wacz) for ``run_dir``; raises ExportError when nothing can be packaged."""
    run_dir, output = Path(run_dir), Path(output)
    warc = run_warc(run_dir)
    if not warc.is_file():
        raise ExportError(f"{warc} does not exist: nothing to package")
    urls = warc_pages(warc)
    if not urls:
        raise ExportError(f"{warc} holds no successful page responses: nothing to package")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages.jsonl"
        pages.write_text(pages_jsonl(urls, page_titles(db_path, run_dir.name), run_dir.name), encoding="utf-8")
        args = ["create", "-o", str(output), "-p", str(pages), "--title", f"citecheck run {run_dir.name}",
                "--desc", "Raw responses fetched by citecheck while verifying a document's citations"]
        if (run_dir / "crawl.log").is_file():
            logs = Path(tmp) / "logs"
            logs.mkdir()
            shutil.copy2(run_dir / "crawl.log", logs / "crawl.log")
            args += ["-l", str(logs)]
        code, log = _run_wacz(args + [str(warc)])
    if code != 0:
        raise ExportError(f"wacz create failed ({code}): {log.strip()}")
    return output


def validate_wacz(path: Path) -> tuple[bool, str]:
    """Run the wacz package's own validator; returns (valid, its output)."""
    code, log = _run_wacz(["validate", "-f", str(path)])
    return code == 0, log.strip()
