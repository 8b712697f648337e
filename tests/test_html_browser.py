"""The HTML report as an editor sees it: loaded in headless Chromium.

Renders the report of a real demo run, loads it in Debian's chromium through
chromedriver, and checks that the page logs no console errors and shows every
reference (footnote + source) of the JSON report. A full-page screenshot is
kept in ``test-artifacts/report.png`` for people to look at.
"""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import ROOT, run_cli

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (test extra)")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="headless Chromium not found: apt-get install chromium chromium-driver (.ci/run does this in CI)",
)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")
ARTIFACT = ROOT / "test-artifacts" / "report.png"
REFS_JS = """
return Array.from(document.querySelectorAll('tbody.ref')).map(el => ({
  footnote: el.querySelector('td.fn').textContent.trim(),
  source: el.querySelector('code').textContent.trim(),
  visible: el.checkVisibility() && el.getBoundingClientRect().height > 0,
}));
"""


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    """(report.html path, JSON report) of a real run over the demo replica."""
    workdir = tmp_path_factory.mktemp("html")
    result = run_cli("verify", str(ROOT / "citations.yaml"), "--replay", str(ROOT / "demo" / "replica.warc.gz"),
                     "--archive", "archive", "--html", "report.html", cwd=workdir)
    assert result.code == 1, result.stderr
    return workdir / "report.html", result.report


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def loaded(browser, demo_report):
    path, report = demo_report
    browser.set_window_size(1280, 900)
    browser.get(path.as_uri())
    return browser, report


def test_report_loads_without_console_errors(loaded):
    browser, report = loaded
    assert browser.title.startswith("citecheck: ")
    errors = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    assert errors == []


def test_every_reference_is_visible(loaded):
    browser, report = loaded
    shown = browser.execute_script(REFS_JS)
    expected = sorted((r["footnote"], r["source"]) for r in report["results"])
    assert len(expected) == 26
    assert sorted((r["footnote"], r["source"]) for r in shown) == expected
    assert [r for r in shown if not r["visible"]] == []


def test_full_page_screenshot_is_kept(loaded):
    browser, _ = loaded
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, height)
    ARTIFACT.parent.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACT))
    assert ARTIFACT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and ARTIFACT.stat().st_size > 50_000
