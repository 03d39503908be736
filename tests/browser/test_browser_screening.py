"""The Pan Lancashire screening in Chromium, against the served build.

Completed by keyboard alone; every test fails if a request leaves the local server, if a
request is not a GET, or if anything is left in cookies or browser storage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import ENGINE_TIMEOUT_MS, Traffic, tab_to, wait_for_level
from tests.helpers.site import one_generator, pages_to_walk

pytestmark = [pytest.mark.browser, pytest.mark.site]


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
    assert page.locator(".screening-form input[data-item]:checked").count() == 0
    assert traffic.count("pyodide.asm.wasm") == 1


def test_engine_survives_instant_navigation(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, traffic = visit
    page.goto(site_url)
    page.get_by_role("link", name="Screening tools").first.click()
    page.get_by_role("link", name="Pan Lancashire screening").first.click()
    page.wait_for_url("**/screening/pan-lancashire/")
    page.locator("#item-disclosure").check()
    wait_for_level(page, "level-4")
    page.locator("a.md-logo").first.click()  # the site's home link in the header
    page.wait_for_url(site_url)
    page.go_back()
    page.wait_for_url("**/screening/pan-lancashire/")
    # The theme draws the page anew, then the answers kept in the tab's memory are put back.
    expect(page.locator("#item-disclosure")).to_be_checked()
    page.locator("#item-disclosure").uncheck()
    page.locator("#item-truanting").check()
    wait_for_level(page, "level-2")
    assert traffic.count("pyodide.asm.wasm") == 1, "one worker, started once, serves every visit"


TABS_AT_ONCE = 10


def test_chapter_pages_never_download_the_runtime(
    visit: tuple[Any, Traffic], site_url: str, built_site: Path, generator: str
) -> None:
    page, traffic = visit
    chapters = [p for p in pages_to_walk(built_site, generator) if not p.startswith("screening/") or p == "screening/"]
    assert len(chapters) > 3
    # A few tabs at a time, each left until its network has been idle for half a second (so
    # a download started late, on idle, would be seen): the waits overlap.
    errors: list[str] = []
    for start in range(0, len(chapters), TABS_AT_ONCE):
        tabs = []
        for path in chapters[start : start + TABS_AT_ONCE]:
            tab = page.context.new_page()
            tab.on("pageerror", lambda error: errors.append(str(error)))
            tab.goto(site_url + path, wait_until="commit")
            tabs.append(tab)
        for tab in tabs:
            tab.wait_for_load_state("networkidle")
            tab.close()
    assert errors == []
    page.goto(site_url)  # the fixture's own tab, which it checks for stored data at the end
    page.wait_for_load_state("networkidle")
    assert traffic.count("/assets/pyodide/") == 0
    assert traffic.count("/assets/engine/") == 0


@one_generator
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


@one_generator
def test_a_missing_engine_file_gives_a_clear_message(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.route("**/assets/pyodide/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(site_url + "screening/pan-lancashire/")
    status = page.locator("[data-screening-status]")
    status.get_by_text("Scoring is unavailable because of a fault on this website").wait_for(timeout=ENGINE_TIMEOUT_MS)
    assert "pyodide.asm.wasm, HTTP 404" in status.inner_text()
    assert "Traceback" not in page.content()
    # No level, but the answers can still be kept: the panel holds only the buttons.
    assert page.locator("[data-screening-level]").count() == 0
    assert page.locator("[data-screening-output] button.screening-keep").all_inner_texts() == [
        "Print summary",
        "Download summary",
    ]
