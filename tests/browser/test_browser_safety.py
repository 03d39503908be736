"""Issue-level promises of the site in Chromium: nothing leaves, nothing stays, Exit this
page, the Content-Security-Policy, offline use, and the summary to keep."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from build_scripts.partnership import read_partnership
from tests.helpers.browser import ENGINE_TIMEOUT_MS, Traffic, enter_answers, wait_for_level
from tests.helpers.repository import ROOT, case_tables, one_case_per_level
from tests.helpers.site import free_port, pages_to_walk
from tests.helpers.site_search import search
from tools.browser import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.site]

NEUTRAL = read_partnership().exit_to  # partnership.yml
SEEN_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));
"""


def _site_file(site: Path, url: str) -> Path:
    path = urlsplit(url).path.lstrip("/")
    target = site / path
    return target / "index.html" if path == "" or path.endswith("/") else target


def test_every_page_and_every_screening_leaves_nothing_behind(
    browser: Any, site_url: str, built_site: Path, generator: str
) -> None:
    """Service worker allowed, as a reader has it: the only traces are the site's own files."""
    context = browser.new_context()
    traffic = Traffic(site_url.rstrip("/"))  # the browser's flags keep every request local
    context.on("request", lambda r: traffic.requests.append((r.method, r.url)))
    page = context.new_page()
    page.add_init_script(SEEN_VIOLATIONS)
    ticked: set[str] = set()
    for path in pages_to_walk(built_site, generator):
        page.goto(site_url + path)
    for table in case_tables():
        page.goto(f"{site_url}screening/{table['protocol']}/")
        for case in one_case_per_level(table):
            enter_answers(page, case["answers"])
            ticked |= {item for item, value in case["answers"].items() if value not in (False, None)}
            wait_for_level(page, case["level"])
        page.locator("#strengths").fill("Talks to her form tutor every week")
        assert page.evaluate("window.__cspViolations") == []
    page.wait_for_timeout(1500)  # let the service worker finish caching

    assert traffic.offsite() == []
    assert traffic.not_get() == []
    for _, url in traffic.requests:
        assert "?" not in url and "#" not in url, f"a request carries a query or fragment: {url}"
        words = set(re.split(r"[/.]", urlsplit(url).path))
        assert not (words & ticked) - {"assets"}, f"a request names an answer: {url}"
        assert "form tutor" not in url
    assert context.cookies() == []
    stored = page.evaluate(
        """async () => {
            const cached = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) cached.push(request.url);
            }
            return {
                local: localStorage.length,
                session: sessionStorage.length,
                idb: (await indexedDB.databases()).length,
                cached,
            };
        }"""
    )
    assert (stored["local"], stored["session"], stored["idb"]) == (0, 0, 0)
    assert stored["cached"], "the service worker should have kept the site's files"
    strays = [url for url in stored["cached"] if not _site_file(built_site, url).is_file()]
    assert strays == [], "the Cache API holds something that is not one of the site's static files"
    context.close()


def test_exit_this_page_by_pressing_shift_three_times(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, traffic = visit
    page.context.unroute("**/*")
    page.context.route(NEUTRAL, lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"))
    page.goto(site_url + "understanding/indicators/")
    page.keyboard.press("Shift")
    assert page.locator("[data-exit-announcer]").inner_text() == "Shift, press 2 more times to exit."
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_url(NEUTRAL)
    traffic.requests = [r for r in traffic.requests if not r[1].startswith(NEUTRAL)]


def test_exit_this_page_is_reachable_by_keyboard_first(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.goto(site_url)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Exit this page"


def test_every_page_carries_the_policy(built_site: Path) -> None:
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
        assert match, page
        policy = match.group(1)
        assert "default-src 'self'" in policy and "form-action 'none'" in policy
        assert "http" not in policy and "unsafe-eval'" not in policy.replace("wasm-unsafe-eval'", "")
        assert text.index("Content-Security-Policy") < text.index("<script")


def test_summary_download_and_print(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.add_init_script("window.print = () => {}")
    page.goto(site_url + "screening/pan-lancashire/")
    page.locator("#item-bereavement").check()
    wait_for_level(page, "level-2")
    page.locator("#judgement-level-3").check()
    page.locator("#judgement-reason").fill("Older men seen outside school.")
    page.locator("#strengths").fill("Settled at school.")
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Download summary").click()
    download = waiting.value
    assert download.suggested_filename == "pan-lancashire-screening-summary.txt"
    text = Path(download.path()).read_text(encoding="utf-8")
    for expected in (
        "Protocol: Pan Lancashire risk sensible screening, version",
        "Completed:",
        "Bereavement or loss",
        "Level 2 – Risk of harm from CSE is unlikely",
        "Level 3 – Risk of harm from CSE is likely",
        "Reason: Older men seen outside school.",
        "Settled at school.",
        "targeted support",
        "may be out of date",
    ):
        assert expected in text, expected

    page.get_by_role("button", name="Print summary").click()
    page.emulate_media(media="print")
    printed = page.locator(".screening-print")
    assert printed.is_visible()
    assert "Older men seen outside school." in printed.inner_text()
    assert not page.locator(".md-header").is_visible()
    assert not page.locator("#screening-form").is_visible()


@pytest.fixture()
def own_server(built_site: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A server of our own, so that the test can cut the network by stopping it."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tools.serve", "--port", str(port), "--quiet", "--directory", str(built_site)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield url, server
    server.kill()
    server.wait()


def test_offline_after_one_visit(browser: Any, own_server: tuple[str, Any], generator: str) -> None:
    url, server = own_server
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # A chapter visited, and the runtime kept by opening one screening.
    page.goto(url + "screening/pan-lancashire/")
    page.locator("#item-phones").check()
    page.wait_for_selector("[data-screening-level='level-4']", timeout=ENGINE_TIMEOUT_MS)
    wait_until(
        page,
        """(async () => {
            for (const name of await caches.keys()) {
                const keys = (await (await caches.open(name)).keys()).map((r) => r.url);
                if (keys.some((u) => /sandwell-nwg(\\.[0-9a-f]+)?\\.json$/.test(u))
                    && keys.some((u) => u.endsWith("pyodide.asm.wasm"))) return true;
            }
            return false;
        })()""",
        ENGINE_TIMEOUT_MS / 1000,
    )
    fresh = context.new_page()
    server.kill()  # the network is gone
    server.wait()
    fresh.goto(url + "responding/missing-children/")  # never visited: precached
    assert "missing" in fresh.locator("h1").inner_text().lower()
    assert search(fresh, generator, "return interview"), "the search finds nothing offline"
    fresh.goto(url + "screening/sandwell-nwg/")  # another screening, offline
    fresh.locator("input[data-item][type=checkbox]").first.check()
    fresh.wait_for_selector("[data-screening-level]", timeout=ENGINE_TIMEOUT_MS)
    context.close()
