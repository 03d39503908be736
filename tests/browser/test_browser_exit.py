"""Exit this page in Chromium: after an exit, Back leads to where the reader was before the
site, whether they moved through it by the site's own links or by full page loads; and a
browser that runs no script still has the exit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from build_scripts.partnership import read_partnership
from tests.helpers.browser import Traffic

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


def _open_menu(page: Any, site_url: str) -> None:
    page.goto(site_url + "screening/pan-lancashire/")
    page.locator("label.md-header__button[for='__drawer']").click()
    page.locator(".md-sidebar--primary").wait_for(state="visible")
    page.wait_for_timeout(300)  # the drawer slides in


def _open_search(page: Any, site_url: str) -> None:
    page.goto(site_url + "screening/pan-lancashire/")
    # MkDocs shows a search box on wide screens, Zensical a button; both a button on narrow ones.
    page.locator(
        "label.md-header__button[for='__search']:visible, .md-search__input:visible, .md-search__button:visible"
    ).first.click()
    page.keyboard.type("gifts")
    page.locator("mark", has_text="gifts").first.wait_for()


def _open_presentation(page: Any, site_url: str) -> None:
    page.goto(site_url + "trainers/cases/lily-bus-station/")
    page.get_by_role("button", name="Present this case").click()
    page.get_by_role("dialog", name="Presenting:").wait_for()


STATES = {"menu open": _open_menu, "search open": _open_search, "presenting a case": _open_presentation}


# At 1280 wide the menu is always beside the page, never over it.
STATE_WIDTHS = [(s, w) for s in STATES for w in (320, 390, 1024, 1280) if not (s == "menu open" and w >= 1220)]


@pytest.mark.parametrize(("state", "width"), STATE_WIDTHS)
def test_one_tap_exits_whatever_is_open(visit: tuple[Any, Traffic], site_url: str, state: str, width: int) -> None:
    """One tap where the button shows exits, with the menu, the search or a presentation
    open: nothing the theme or the site opens lies over it or pushes it off the screen."""
    page, traffic = visit
    page.set_viewport_size({"width": width, "height": 700})
    forget = _answer_offsite(page, traffic)
    STATES[state](page, site_url)
    button = page.get_by_role("button", name="Emergency Exit this page")
    box = button.bounding_box()
    assert box is not None, f"{state}: the button is not shown"
    assert box["x"] >= 0 and box["x"] + box["width"] <= width and 0 <= box["y"] < 60, f"{state}: {box}"
    shortcut = page.locator(".exit-this-page__shortcut")
    assert shortcut.is_visible() and shortcut.inner_text() == "or press Shift 3 times"
    # A tap at the button's place: whatever lies on top there is what the reader touches.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(NEUTRAL, timeout=5000)
    forget()


def test_the_header_keeps_room_for_the_exit(visit: tuple[Any, Traffic], site_url: str) -> None:
    """The fixed button covers none of the header's own controls (the search, the menu)."""
    page, _ = visit
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 700})
        page.goto(site_url + "screening/pan-lancashire/")
        exit_box = page.locator(".exit-this-page").bounding_box()
        assert exit_box is not None
        for control in page.locator(".md-header label.md-header__button:visible, .md-search__input:visible").all():
            box = control.bounding_box()
            assert box is not None
            assert box["x"] + box["width"] <= exit_box["x"], f"{width}: a header control lies under the exit"
