"""The Pan Lancashire screening in Chromium, against the served build.

Completed by keyboard alone; every test fails if a request leaves the local server, if a
request is not a GET, or if anything is left in cookies or browser storage.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.site]

ENGINE_TIMEOUT_MS = 60_000


@dataclass
class Traffic:
    origin: str
    requests: list[tuple[str, str]] = field(default_factory=list)

    def offsite(self) -> list[str]:
        return [
            url for _, url in self.requests if not url.startswith(("data:", "blob:")) and _origin(url) != self.origin
        ]

    def not_get(self) -> list[str]:
        return [f"{method} {url}" for method, url in self.requests if method != "GET"]

    def count(self, fragment: str) -> int:
        return sum(fragment in url for _, url in self.requests)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture()
def visit(browser: Any, site_url: str) -> Iterator[tuple[Any, Traffic]]:
    """A fresh browser context whose every request is recorded and kept on this machine."""
    context = browser.new_context()
    traffic = Traffic(_origin(site_url))

    def guard(route: Any) -> None:
        if _origin(route.request.url) != traffic.origin and not route.request.url.startswith(("data:", "blob:")):
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    context.on("request", lambda request: traffic.requests.append((request.method, request.url)))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, traffic
    assert traffic.offsite() == [], "requests left the local server"
    assert traffic.not_get() == [], "only GET requests are allowed"
    assert context.cookies() == []
    stored = page.evaluate(
        """async () => ({
            local: localStorage.length,
            session: sessionStorage.length,
            idb: (await indexedDB.databases()).length,
        })"""
    )
    assert stored == {"local": 0, "session": 0, "idb": 0}
    assert errors == []
    context.close()


def tab_to(page: Any, selector: str, limit: int = 250) -> None:
    """Press Tab until the element matching ``selector`` has focus, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} could not be reached with the Tab key")


def level_of(page: Any) -> str:
    return page.locator("[data-screening-level]").get_attribute("data-screening-level", timeout=ENGINE_TIMEOUT_MS)


def wait_for_level(page: Any, level: str) -> None:
    page.wait_for_selector(f"[data-screening-level='{level}']", timeout=ENGINE_TIMEOUT_MS)


def test_complete_screening_by_keyboard_alone(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, traffic = visit
    page.goto(site_url + "screening/pan-lancashire/")
    status = page.locator("[data-screening-status]")
    assert status.get_attribute("role") == "status"

    tab_to(page, "#item-bereavement")
    page.keyboard.press("Space")
    tab_to(page, "#item-sexting")
    page.keyboard.press("Space")
    wait_for_level(page, "level-2")
    assert "Level 2 – Risk of harm from CSE is unlikely" in page.locator("[data-screening-level]").inner_text()
    assert page.locator("[data-screening-output]").is_visible()
    output = page.locator("[data-screening-output]").inner_text()
    assert "Bereavement or loss" in output  # the answers behind the rule are shown
    assert "targeted support through the development of a Child and Family Assessment" in output

    page.keyboard.press("Shift+Tab")  # back to the previous factors
    page.keyboard.press("Space")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    wait_for_level(page, "level-3")

    tab_to(page, "#item-phones")  # wraps round through the page back to the form
    page.keyboard.press("Space")
    wait_for_level(page, "level-4")
    assert "One or more high risk indicators are present" in page.locator("[data-screening-output]").inner_text()

    tab_to(page, ".screening-clear")
    page.keyboard.press("Enter")
    wait_for_level(page, "level-1")
    assert page.locator(".screening-form input:checked").count() == 0
    assert traffic.count("pyodide.asm.wasm") == 1


def test_engine_survives_instant_navigation(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, traffic = visit
    page.goto(site_url)
    page.get_by_role("link", name="Screening tools").first.click()
    page.get_by_role("link", name="Pan Lancashire screening").first.click()
    page.wait_for_url("**/screening/pan-lancashire/")
    page.locator("#item-disclosure").check()
    wait_for_level(page, "level-4")
    page.get_by_role("link", name="Pan Lancashire procedure").first.click()
    page.wait_for_url("**/procedures/**")
    page.go_back()
    page.wait_for_url("**/screening/pan-lancashire/")
    page.locator("#item-truanting").check()
    wait_for_level(page, "level-2")
    assert traffic.count("pyodide.asm.wasm") == 1, "one worker, started once, serves every visit"


def test_chapter_pages_never_download_the_runtime(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, traffic = visit
    page.goto(site_url + "procedures/pan-lancashire/")
    page.wait_for_load_state("networkidle")
    assert traffic.count("/assets/pyodide/") == 0
    assert traffic.count("/assets/engine/") == 0


def test_without_webassembly_the_page_says_so_and_shows_the_rules(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.add_init_script("delete globalThis.WebAssembly")
    page.goto(site_url + "screening/pan-lancashire/")
    status = page.locator("[data-screening-status]")
    status.get_by_text("Scoring is unavailable in this browser").wait_for()
    assert "work out the level" in status.inner_text() or "reach the level by hand" in status.inner_text()
    assert page.locator("#how-the-level-is-worked-out").is_visible()
    assert "One or more high risk indicators are present, which is Level 4." in page.content()
    page.locator("#item-phones").check()  # the form still works by hand
    assert page.locator("#item-phones").is_checked()


def test_a_missing_engine_file_gives_a_clear_message(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.route("**/assets/pyodide/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(site_url + "screening/pan-lancashire/")
    status = page.locator("[data-screening-status]")
    status.get_by_text("Scoring is unavailable in this browser").wait_for(timeout=ENGINE_TIMEOUT_MS)
    assert "Traceback" not in page.content()
    assert not page.locator("[data-screening-output]").is_visible()
