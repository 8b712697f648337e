"""Package one run as WACZ, so any web-archive player (ReplayWeb.page, pywb) can open it on its own.

A WACZ is a zip of the WARCs, a CDXJ index, ``pages/pages.jsonl`` and a
``datapackage.json`` with every file's hash. Webrecorder's ``wacz`` package
builds, signs and validates it; its library entry point is its command line,
so we call that in-process and keep its chatter as a log. What we add:

- the records a nightly run's revisits refer to, copied byte for byte from the
  earlier runs' WARCs into ``<run-id>-referred.warc.gz``, so every 304 replays
  with the body it confirmed;
- ``pages.jsonl`` with each page's capture time, title and extracted text
  (from the archive database), which players search;
- the run's reports, citations, crawl log and ``manifest.json`` (the seal that
  names the WARC's SHA-256) under ``logs/`` (``report.json`` as ``report.citecheck.json``);
- a WACZ 1.1 ``signedData`` when given an authsign-compatible signing URL.
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

from crawler.checks import linkstatus
from crawler.record import dbseal
from crawler.record.archive import WarcArchive, copy_plain, read_text, run_warc

# files of a run folder an auditor gets with the WACZ (the WARC and text files are there otherwise)
RUN_FILES = ("manifest.json", "citations.yaml", "report.json", "report.html", "report.xml", "crawl.log")  # or name.gz
# Frictionless, which validates the package, takes any file whose name ends in report.json for a report of its own
RENAMED = {"report.json": "report.citecheck.json"}


class ExportError(RuntimeError):
    """The wacz package is missing or refused to build the archive."""


def _wacz_main():
    try:
        from wacz.main import main
    except ImportError as exc:
        raise ExportError("the wacz package is not installed: pip install wacz") from exc
    return main


def _is_page(record) -> bool:
    """A page a reader would open: a 2xx response or a 304 revisit, robots.txt aside."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    if record.rec_type == "revisit":
        return urlsplit(url).path != "/robots.txt"
    if record.rec_type != "response" or not record.http_headers:
        return False
    return record.http_headers.get_statuscode().startswith("2") and urlsplit(url).path != "/robots.txt"


def warc_page_records(warc: Path) -> tuple[dict[str, str], set[str]]:
    """URL -> WARC-Date of each page's first capture or revisit in ``warc``, in WARC order, and the
    record ids its revisits refer to: one walk over the run's WARC."""
    pages: dict[str, str] = {}
    referred: set[str] = set()
    with open(warc, "rb") as fh:
        for record in ArchiveIterator(fh):
            head = record.rec_headers
            if record.rec_type == "revisit" and head.get_header("WARC-Refers-To"):
                referred.add(head.get_header("WARC-Refers-To"))
            if _is_page(record):
                pages.setdefault(head.get_header("WARC-Target-URI"), head.get_header("WARC-Date"))
    return pages, referred


def warc_pages(warc: Path) -> list[str]:
    """URLs of the pages a reader would open, in WARC order."""
    return list(warc_page_records(warc)[0])


def copy_referred(run_dir: Path, wanted: set[str], out: Path) -> set[str]:
    """Copy the records with ids in ``wanted`` from the archive's earlier runs into ``out`` (each
    record's gzip member unchanged, so its digests and id still hold), only from WARCs that match
    their runs' seals; returns the ids not found."""
    wanted = set(wanted)
    sealed = dbseal.SealedRows(run_dir.parent)
    earlier = sorted((d for d in run_dir.parent.iterdir() if d.is_dir() and d.name < run_dir.name), reverse=True)
    sources = []
    copied: list[bytes] = []
    for folder in earlier:
        if not wanted:
            break
        warc = run_warc(folder)
        if not warc.is_file():
            continue
        found = []
        with open(warc, "rb") as fh:
            records = ArchiveIterator(fh)
            for record in records:
                if record.rec_headers.get_header("WARC-Record-ID") in wanted:
                    found.append((records.get_record_offset(), records.get_record_length(),
                                  record.rec_headers.get_header("WARC-Record-ID")))
        if found and not sealed.file_intact(f"{folder.name}/{warc.name}"):
            raise ExportError(f"{folder.name}/{warc.name}, which holds records this run's 304s confirm, is not the "
                              "file its run sealed (citecheck audit names what changed): nothing copied from it")
        with open(warc, "rb") as fh:
            for offset, length, record_id in found:
                fh.seek(offset)
                copied.append(fh.read(length))
                wanted.discard(record_id)
        if found:
            sources.append(f"{folder.name}/{warc.name}")
    if copied:
        info = {"isPartOf": run_dir.name, "description": (
            f"the records the revisits of run {run_dir.name} refer to, copied unchanged from {', '.join(sources)}")}
        WarcArchive(out, info).close()
        with open(out, "ab") as fh:
            for member in copied:
                fh.write(member)
    return wanted


def page_rows(db_path: Path | None, run_id: str) -> dict[str, dict]:
    """URL -> the run's snapshot (title, text) from the archive database, when the run is recorded there."""
    if not db_path or not Path(db_path).is_file():
        return {}
    from sqlite_utils import Database

    db = Database(db_path)
    if "snapshots" not in db.table_names():
        return {}
    rows = list(db.query("select url, final_url, title, text, text_path from snapshots where run = ?", [run_id]))
    for row in rows:  # a 304's row points to the text file of the run that extracted the page
        text_file = Path(db_path).parent / row["text_path"] if not row["text"] and row["text_path"] else None
        if text_file and text_file.is_file():
            row["text"] = read_text(text_file)
    return {row["final_url"] or row["url"]: row for row in rows}


def pages_jsonl(pages: dict[str, str], rows: dict[str, dict], run_id: str) -> str:
    """The pages list players show and search: ``ts`` picks the capture, ``text`` is what citecheck read."""
    header = {"format": "json-pages-1.0", "id": "pages", "title": f"citecheck run {run_id}",
              "hasText": any(row.get("text") for row in rows.values())}
    lines = [header]
    for n, (url, date) in enumerate(pages.items()):
        row = rows.get(url, {})
        line = {"id": f"{run_id}-{n}", "url": url, "ts": date, "title": row.get("title") or url}
        if row.get("text"):
            line["text"] = row["text"]
        lines.append(line)
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def _run_wacz(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = _wacz_main()(args)
    return code, out.getvalue()


def export_wacz(run_dir: Path, output: Path, db_path: Path | None = None,
                signing_url: str | None = None, signing_token: str | None = None) -> Path:
    """Write ``output`` (.wacz) for ``run_dir``; raises ExportError when nothing can be packaged
    or a revisit's record is in none of the archive's earlier runs."""
    run_dir, output = Path(run_dir), Path(output)
    warc = run_warc(run_dir)
    if not warc.is_file():
        raise ExportError(f"{warc} does not exist: nothing to package")
    rows = page_rows(db_path, run_dir.name)
    captured, revisited = warc_page_records(warc)
    pages = {url: date for url, date in captured.items()  # the pages checked, not the
             if not linkstatus.is_probe(url) and (not rows or url in rows)}  # probes and archive lookups
    if not pages:
        raise ExportError(f"{warc} holds no successful page responses: nothing to package")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        warcs = [str(warc)]
        referred = Path(tmp) / f"{run_dir.name}-referred.warc.gz"
        missing = copy_referred(run_dir, revisited, referred)
        if missing:
            raise ExportError(f"this run's 304s confirm {len(missing)} record(s) found in none of the earlier runs "
                              f"of {run_dir.parent} (first: {sorted(missing)[0]}): the WACZ would not replay them")
        if referred.exists():
            warcs.append(str(referred))
        pages_file = Path(tmp) / "pages.jsonl"
        pages_file.write_text(pages_jsonl(pages, rows, run_dir.name), encoding="utf-8")
        args = ["create", "-o", str(output), "-p", str(pages_file), "--copy-pages",
                "--title", f"citecheck run {run_dir.name}",
                "--desc", "Raw responses fetched by citecheck while verifying a document's citations"]
        logs = Path(tmp) / "logs"
        logs.mkdir()
        for name in RUN_FILES:  # plain in the package, which is compressed whole
            if (run_dir / name).is_file():
                shutil.copy2(run_dir / name, logs / RENAMED.get(name, name))
            elif (run_dir / f"{name}.gz").is_file():  # the machine reports of newer runs
                copy_plain(run_dir / f"{name}.gz", logs / RENAMED.get(name, name))
        args += ["-l", str(logs)]
        if signing_url:
            args += ["--signing-url", signing_url] + (["--signing-token", signing_token] if signing_token else [])
        code, log = _run_wacz(args + warcs)
    if code != 0:
        raise ExportError(f"wacz create failed ({code}): {log.strip()}")
    if signing_url and "Added Signature" not in log:
        output.unlink(missing_ok=True)
        raise ExportError(f"the signer at {signing_url} did not sign the WACZ: {log.strip()[-500:]}")
    return output


def validate_wacz(path: Path) -> tuple[bool, str]:
    """Run the wacz package's own validator; returns (valid, its output)."""
    code, log = _run_wacz(["validate", "-f", str(path)])
    return code == 0, log.strip()


def signed_data(path: Path) -> dict | None:
    """The WACZ's ``signedData`` (WACZ 1.1), if it was signed."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        return json.loads(z.read("datapackage-digest.json")).get("signedData")

