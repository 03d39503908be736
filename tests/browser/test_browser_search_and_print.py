"""The site's search, typed into as a reader would, and a chapter as it prints (Chromium)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.site_search import search
from tests.site.test_content import SEARCHES


@pytest.mark.browser
@pytest.mark.parametrize("query", sorted(SEARCHES))
def test_site_search_puts_the_right_chapter_first(browser: Any, site_url: str, generator: str, query: str) -> None:
    page = browser.new_page()
    try:
        page.goto(site_url)
        first = search(page, generator, query)[0]
        assert first.split("?")[0].split("#")[0] == site_url + SEARCHES[query], f"{query!r} finds {first} first"
    finally:
        page.close()


@pytest.mark.browser
def test_a_printed_chapter_is_clean_and_says_copies_may_be_out_of_date(browser: Any, site_url: str) -> None:
    page = browser.new_page()
    try:
        page.goto(site_url + "understanding/consent/")
        notice = page.locator(".print-only")
        assert not notice.is_visible(), "the printed-copy notice shows on screen"
        page.emulate_media(media="print")
        assert notice.is_visible()
        assert "Printed copies may be out of date" in notice.inner_text()
        for furniture in (".md-header", ".md-sidebar--primary", ".md-footer"):
            assert not page.locator(furniture).first.is_visible(), f"{furniture} is printed"
        assert page.locator(".chapter-status").is_visible()
    finally:
        page.close()
