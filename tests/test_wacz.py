"""`citecheck export RUN --wacz`: a real demo run packaged and checked by py-wacz's own validator."""

from __future__ import annotations

import gzip
import json
import zipfile

import pytest
from click.testing import CliRunner

from crawler.cli_audit import export
from crawler.record import wacz_export
from tests.conftest import ROOT, run_cli

pytest.importorskip("wacz", reason="the wacz package is not installed")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("wacz")
    result = run_cli("verify", str(ROOT / "citations.yaml"), "--replay", str(ROOT / "demo" / "replica.warc.gz"),
                     "--archive", "archive", cwd=workdir)
    assert result.code == 1, result.stderr
    (run,) = [p for p in (workdir / "archive").iterdir() if p.is_dir()]
    return run


@pytest.fixture(scope="module")
def exported(run_dir):
    out = run_dir.parent.parent / "run.wacz"
    result = CliRunner().invoke(export, [run_dir.name, "--wacz", "-o", str(out), "--archive", str(run_dir.parent)])
    assert result.exit_code == 0, result.output
    return out, result.stdout


def test_export_writes_a_valid_wacz(exported):
    out, stdout = exported
    assert stdout == f"wrote {out} ({out.stat().st_size:,} bytes): WACZ valid per py-wacz's validator\n"
    valid, log = wacz_export.validate_wacz(out)
    assert valid and log.endswith("Validation succeeded, the passed WACZ is valid")


def test_wacz_holds_the_warc_index_pages_and_datapackage(exported, run_dir):
    out, _ = exported
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        assert {f"archive/{run_dir.name}.warc.gz", "indexes/index.cdx.gz", "indexes/index.idx", "pages/pages.jsonl",
                "datapackage.json", "datapackage-digest.json"} | {f"logs/{name}" for name in (
                    "crawl.log", "manifest.json", "citations.yaml", "report.citecheck.json", "report.html",
                    "report.xml")} == names
        assert z.read(f"archive/{run_dir.name}.warc.gz") == (run_dir / f"{run_dir.name}.warc.gz").read_bytes()
        package = json.loads(z.read("datapackage.json"))
        pages = [json.loads(line) for line in z.read("pages/pages.jsonl").decode().splitlines()]
        cdxj = gzip.decompress(z.read("indexes/index.cdx.gz")).decode().splitlines()
    assert {r["path"] for r in package["resources"]} == names - {"datapackage.json", "datapackage-digest.json"}
    assert package["title"] == f"citecheck run {run_dir.name}"
    assert pages[0]["format"] == "json-pages-1.0"
    assert len(pages) - 1 == 13 and {p["url"] for p in pages[1:]} == set(wacz_export.warc_pages(run_dir / f"{run_dir.name}.warc.gz"))
    taz = next(p for p in pages if p.get("url", "").startswith("https://taz.de/"))
    assert taz["title"] == "Ausgeliefert wegen „Rauchens einer Wasserpfeife“"  # from the archive database
    urls_in_index = {json.loads(line.split(" ", 2)[2])["url"] for line in cdxj}
    assert {p["url"] for p in pages[1:]} <= urls_in_index and "https://taz.de/robots.txt" in urls_in_index


def test_tampered_wacz_fails_validation(exported, run_dir, tmp_path):
    out, _ = exported
    bad = tmp_path / "bad.wacz"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "pages/pages.jsonl":  # a quiet edit: still valid JSON, another title
                data = data.replace("Ausgeliefert".encode(), "Abgeliefert".encode())
            dst.writestr(item, data)
    valid, log = wacz_export.validate_wacz(bad)
    assert not valid and log.endswith("Validation failed, the passed WACZ is invalid")
    assert f"'{run_dir.name.lower()}.warc.gz': []" in log and "'pages.jsonl': [{" in log  # the edited file, and only it, is flagged


def test_export_refuses_an_unknown_run(run_dir):
    result = CliRunner().invoke(export, ["20990101T000000Z-0000", "--wacz", "--archive", str(run_dir.parent)])
    assert result.exit_code == 2 and "no run 20990101T000000Z-0000" in result.stderr
