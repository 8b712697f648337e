"""The HTML report as an editor sees it: loaded in headless Chromium.

Renders the report of a real demo run (and, from its JSON, the German one), loads it in Debian's
chromium through chromedriver at a laptop's 1366×768, and checks what the editor meets: the summary
on the first screen, one card per source, filters that hide and show cards, no text running out of
its card, a page of reasonable height, the print view. Screenshots are kept in ``test-artifacts/``
for people to look at.
"""

from __future__ import annotations

import json
import shutil

import pytest

from crawler.reports import html
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
         "--disable-dev-shm-usage", "--hide-scrollbars")
ARTIFACTS = ROOT / "test-artifacts"
SCREEN = (1366, 768)
MAX_HEIGHT = 6000  # px: the seed's 26 references once took 16,000
CARDS_JS = """
return Array.from(document.querySelectorAll('details.src-card')).map(card => ({
  id: card.id, status: card.dataset.status, footnotes: card.dataset.footnotes.split(' '),
  visible: card.checkVisibility() && card.getBoundingClientRect().height > 0, open: card.open,
}));
"""
OVERFLOW_JS = """
const out = [];
document.querySelectorAll('details.src-card').forEach(card => {
  card.open = true;
  card.querySelectorAll('details').forEach(d => d.open = true);
  const box = card.getBoundingClientRect();
  card.querySelectorAll('*').forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > box.right + 1 || r.left < box.left - 1)) out.push(card.id + ' ' + el.tagName + ' ' + el.textContent.slice(0, 60));
  });
  if (card.scrollWidth > card.clientWidth + 1) out.push(card.id + ' scrolls');
});
return out;
"""


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    """(report.html path, JSON report) of a real run over the demo replica; the German page beside it."""
    workdir = tmp_path_factory.mktemp("html")
    result = run_cli("verify", str(ROOT / "citations.yaml"), "--replay", str(ROOT / "demo" / "replica.warc.gz"),
                     "--archive", "archive", "--html", "report.html", "--lang", "en", cwd=workdir)
    assert result.code == 1, result.stderr
    saved = json.loads((workdir / "report.json").read_text(encoding="utf-8"))
    german = html.render(saved["run"], saved["results"], relative_to=str(workdir), lang="de")
    (workdir / "bericht.html").write_text(german, encoding="utf-8")
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


@pytest.fixture
def loaded(browser, demo_report):
    """The English report, freshly loaded at 1366×768."""
    path, report = demo_report
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "screen"})
    browser.set_window_size(*SCREEN)
    browser.get(path.as_uri())
    inner = browser.execute_script("return [window.innerWidth, window.innerHeight]")
    browser.set_window_size(2 * SCREEN[0] - inner[0], 2 * SCREEN[1] - inner[1])  # the viewport, not the window
    return browser, report


def _shot(browser, name: str, full: bool = False) -> bytes:
    if full:
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": SCREEN[0], "height": height, "deviceScaleFactor": 1, "mobile": False})
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        png = browser.get_screenshot_as_png()
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    (ARTIFACTS / name).write_bytes(png)
    return png


def test_report_loads_without_console_errors(loaded):
    browser, report = loaded
    assert browser.title.startswith("citecheck: ")
    errors = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    assert errors == []


def test_the_summary_is_on_the_first_screen(loaded):
    browser, report = loaded
    assert browser.execute_script("return [window.innerWidth, window.innerHeight]") == list(SCREEN)
    boxes = browser.execute_script("""
      const at = s => { const r = document.querySelector(s).getBoundingClientRect(); return [r.top, r.bottom]; };
      return {title: at('h1'), tally: at('.tally-line'), heading: at('.action-list h2'),
              first: at('.action-item'), fifth: at('.action-item:nth-child(5)')};""")
    assert all(0 <= top and bottom <= SCREEN[1] for top, bottom in boxes.values()), boxes
    first = browser.find_element("css selector", ".action-item").text
    assert "fn 5, 8, 9" in first and "The link was lost." in first  # the most severe first
    png = _shot(browser, "report-first-screen.png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_one_card_per_source_and_passes_folded(loaded):
    browser, report = loaded
    cards = browser.execute_script(CARDS_JS)
    sources = {r["source"] for r in report["results"]}
    assert sorted(c["id"] for c in cards) == sorted(f"src-{s}" for s in sources) and len(cards) == 14
    assert all(c["visible"] for c in cards)
    assert {c["open"] for c in cards if c["status"] == "pass"} == {False}
    assert {c["open"] for c in cards if c["status"] != "pass"} == {True}
    cited = {(fn, r["source"]) for r in report["results"] for fn in [r["footnote"]]}
    shown = {(fn, c["id"][4:]) for c in cards for fn in c["footnotes"]}
    assert shown == cited  # every reference is on its source's card


def test_filters_hide_and_show_cards(loaded):
    browser, _ = loaded
    visible = lambda: {c["id"]: c for c in browser.execute_script(CARDS_JS) if c["visible"]}  # noqa: E731
    everything = visible()
    browser.find_element("css selector", 'input[data-status="pass"]').click()
    assert {c["status"] for c in visible().values()} == {"fail", "warn"}
    browser.find_element("css selector", 'input[data-status="pass"]').click()
    browser.find_element("css selector", 'input[data-status="fail"]').click()
    assert "fail" not in {c["status"] for c in visible().values()}
    browser.find_element("css selector", 'input[data-status="fail"]').click()
    assert visible().keys() == everything.keys()
    from selenium.webdriver.support.select import Select

    Select(browser.find_element("css selector", ".filter-bar select")).select_by_value("12")
    shown = visible()
    assert shown and all("12" in c["footnotes"] for c in shown.values())
    assert {i for i, c in everything.items() if "12" in c["footnotes"]} == shown.keys()


def test_no_text_overflows_its_card_and_the_page_stays_short(loaded):
    browser, _ = loaded
    texts = browser.execute_script("""return Array.from(document.querySelectorAll('details.page-text')).map(d =>
      [d.closest('.src-card').dataset.status, d.open, d.querySelector('pre').textContent.length]);""")
    assert texts and {status for status, _, _ in texts} <= {"fail", "warn"}  # on cards to act on only
    assert {opened for _, opened, _ in texts} == {False} and all(length > 100 for _, _, length in texts)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    assert height <= MAX_HEIGHT
    assert browser.execute_script(OVERFLOW_JS) == []  # every card and page text opened


def test_printing_opens_every_card_and_drops_the_filters(loaded):
    browser, _ = loaded
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    assert all(c["open"] for c in browser.execute_script(CARDS_JS))
    assert not browser.find_element("css selector", ".filter-bar").is_displayed()
    browser.execute_script("window.dispatchEvent(new Event('afterprint'))")
    assert {c["open"] for c in browser.execute_script(CARDS_JS) if c["status"] == "pass"} == {False}


def test_the_german_report_speaks_german(browser, demo_report):
    path, _ = demo_report
    browser.set_window_size(*SCREEN)
    browser.get((path.parent / "bericht.html").as_uri())
    text = browser.find_element("css selector", "body").text
    assert browser.find_element("css selector", "html").get_attribute("lang") == "de"
    assert "Was zu tun ist" in text and "Der Link ist verloren gegangen." in text
    assert "22.08.2024" in text and "August" not in text
    assert browser.execute_script(OVERFLOW_JS) == []


def test_full_page_screenshot_is_kept(loaded):
    browser, _ = loaded
    png = _shot(browser, "report.png", full=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
