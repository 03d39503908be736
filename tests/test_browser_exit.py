"""Exit this page in Chromium: after an exit, Back leads to where the reader was before the
site, whether they moved through it by the site's own links or by full page loads; and a
browser that runs no script still has the exit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from build_scripts.partnership import read_partnership
from tests.conftest import Traffic

pytestmark = [pytest.mark.browser, pytest.mark.site]

NEUTRAL = read_partnership().exit_to  # partnership.yml
BEFORE = "https://search.example/results"


def _answer_offsite(page: Any, traffic: Traffic) -> Callable[[], None]:
    """Answer the neutral site and a page 'before' the site here; nothing else leaves."""
    page.context.unroute("**/*")
    page.context.route(NEUTRAL, lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"))
    page.context.route(BEFORE, lambda route: route.fulfill(body="<title>Results</title>", content_type="text/html"))

    def forget() -> None:
        traffic.requests = [r for r in traffic.requests if not r[1].startswith((NEUTRAL, BEFORE))]

    return forget


def test_exit_after_moving_by_the_sites_links(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, traffic = visit
    forget = _answer_offsite(page, traffic)
    page.goto(BEFORE)
    page.goto(site_url)
    page.locator(".md-nav__link[href$='understanding/indicators/']").first.click()
    page.wait_for_url("**/understanding/indicators/")
    page.locator(".md-nav__link[href$='screening/pan-lancashire/']").first.click()
    page.wait_for_url("**/screening/pan-lancashire/")
    page.locator("#item-phones").check()
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(NEUTRAL)
    page.go_back()
    assert page.url == BEFORE, "Back must not return to any page of the site"
    forget()


def test_exit_after_full_page_loads(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, traffic = visit
    forget = _answer_offsite(page, traffic)
    page.goto(BEFORE)
    page.goto(site_url)
    page.goto(site_url + "understanding/indicators/")
    page.goto(site_url + "screening/pan-lancashire/")
    page.locator("#item-phones").check()
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(NEUTRAL)
    assert page.evaluate("window.name") == "", "the exit leaves nothing behind in the tab"
    page.go_back()
    assert page.url == BEFORE, "Back must not return to any page of the site"
    forget()


def test_exit_without_script(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, service_workers="block")
    page = context.new_page()
    page.goto(site_url + "screening/pan-lancashire/")
    link = page.get_by_role("link", name="Exit this page")
    assert link.count() == 1 and link.is_visible()
    assert link.get_attribute("href") == NEUTRAL
    box = link.bounding_box()
    assert box is not None and box["y"] < 60, "the exit sits at the top of the page"
    context.close()
