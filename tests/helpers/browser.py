"""Chromium driven by Playwright, a page whose every request is recorded, and a reader's keys.

One Chromium serves every test of the session; each test gets a fresh context.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tools.browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (Playwright's own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: the README's test command installs it")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


ENGINE_TIMEOUT_MS = 60_000


@dataclass
class Traffic:
    origin: str
    requests: list[tuple[str, str]] = field(default_factory=list)

    def offsite(self) -> list[str]:
        return [
            url for _, url in self.requests if not url.startswith(("data:", "blob:")) and origin(url) != self.origin
        ]

    def not_get(self) -> list[str]:
        return [f"{method} {url}" for method, url in self.requests if method != "GET"]

    def count(self, fragment: str) -> int:
        return sum(fragment in url for _, url in self.requests)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture()
def visit(browser: Any, site_url: str) -> Iterator[tuple[Any, Traffic]]:
    """A fresh browser context whose every request is recorded and kept on this machine.

    The service worker is blocked here, so each file counts once; tests/deploy/test_deploy_offline.py
    covers the service worker itself.
    """
    context = browser.new_context(service_workers="block")
    traffic = Traffic(origin(site_url))
    # The browser's flags keep every request on this machine (tools/browser.py);
    # routing requests here would also turn off the HTTP cache a reader's browser has.
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
            local: Object.keys(localStorage),
            session: Object.keys(sessionStorage),
            idb: (await indexedDB.databases()).map((db) => db.name),
            caches: await caches.keys(),
        })"""
    )
    # With the service worker blocked, not even the site's own files may be kept.
    assert stored == {"local": [], "session": [], "idb": [], "caches": []}, "something stayed on the device"
    assert errors == []
    context.close()


def tab_to(page: Any, selector: str, limit: int = 250, back: bool = False) -> None:
    """Press Tab (Shift+Tab with ``back``) until the element matching ``selector`` has
    focus, as a keyboard user would.

    Each press is checked against one handle to the element (a third of the time a locator
    takes to resolve again); if the page has replaced the element, it is found again."""
    target = page.locator(selector)
    handle = target.element_handle()
    key = "Shift+Tab" if back else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        focused = handle.evaluate("el => (el.isConnected ? el === document.activeElement : 'replaced')")
        if focused == "replaced":
            handle = target.element_handle()
            focused = handle.evaluate("el => el === document.activeElement")
        if focused is True:
            return
    raise AssertionError(f"{selector} could not be reached with the Tab key")


def wait_for_level(page: Any, level: str) -> None:
    page.wait_for_selector(f"[data-screening-level='{level}']", timeout=ENGINE_TIMEOUT_MS)


def enter_answers(page: Any, answers: dict[str, Any]) -> None:
    """Clear the screening form, then tick each answer as a reader would."""
    page.locator(".screening-clear").click()
    for item, value in answers.items():
        if value is True:
            page.locator(f"#item-{item}").check()
        elif isinstance(value, str):
            page.locator(f"#item-{item}-{value}").check()
