"""The page shows the engine's result and nothing it works out itself: place, urgent notes, errors.

Run against the served build in Chromium, like every browser test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import ENGINE_TIMEOUT_MS, Traffic, wait_for_level

pytestmark = [pytest.mark.browser, pytest.mark.site]

RED = "rgb(177, 14, 30)"


def test_a_top_level_looks_like_a_top_level_and_act_now_comes_first(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.add_init_script("window.print = () => {}")
    # DfE's guide has two outcomes: its top one must look like Pan Lancashire's top one.
    page.goto(site_url + "screening/dfe-step-by-step/")
    page.locator("#item-immediate-danger").check()
    wait_for_level(page, "step-2")
    level = page.locator(".screening-level")
    assert "screening-level--highest" in (level.get_attribute("class") or "")
    assert level.evaluate("el => getComputedStyle(el).borderLeftColor") == RED
    assert "level 2 of 2, the highest" in level.inner_text()
    output = page.locator("[data-screening-output]")
    first = output.locator(":scope > *").first
    assert "Act now" in first.inner_text() and "999" in first.inner_text()
    notes = output.locator("h3", has_text="Notes")
    if notes.count():  # an urgent note is never repeated among the other notes
        assert "999" not in notes.locator("xpath=following-sibling::ul[1]").inner_text()

    with page.expect_download() as waiting:
        page.get_by_role("button", name="Download summary").click()
    text = Path(waiting.value.path()).read_text(encoding="utf-8")
    assert text.index("Act now") < text.index("Level from the answers") < text.index("Why")
    assert "(level 2 of 2, the highest)" in text

    page.get_by_role("button", name="Print summary").click()
    printed = page.locator(".screening-print")
    headings = printed.locator("h2").all_inner_texts()
    assert headings[:4] == ["Act now", "Level from the answers", "Professional judgement", "Why"]
    assert "999" in printed.inner_text()

    page.goto(site_url + "screening/pan-lancashire/")
    page.locator("#item-phones").check()
    wait_for_level(page, "level-4")
    assert page.locator(".screening-level").evaluate("el => getComputedStyle(el).borderLeftColor") == RED


def test_the_lowest_level_gives_the_engines_reason(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.goto(site_url + "screening/pan-lancashire/")
    wait_for_level(page, "level-1")
    output = page.locator("[data-screening-output]").inner_text()
    assert "No rule applies, so the level is the lowest." in output  # the engine's words, not the page's
    assert "(level 1 of 4, the lowest)" in output


def test_an_answer_error_points_at_its_item(visit: tuple[Any, Traffic], site_url: str) -> None:
    """A protocol whose item the form offers as a tick box but the engine reads as a choice."""
    page, _ = visit

    def changed(route: Any) -> None:
        data = json.loads(route.fetch().text())
        item = next(i for i in data["items"] if i["id"] == "phones")
        item.pop("points", None)
        item["answer"] = "choice"
        item["options"] = [{"id": "yes", "label": "Yes", "present": True}, {"id": "no", "label": "No"}]
        route.fulfill(status=200, content_type="application/json", body=json.dumps(data))

    page.route("**/assets/engine/protocols/pan-lancashire.*.json", changed)
    page.goto(site_url + "screening/pan-lancashire/")
    page.locator("#item-truanting").check()
    link = page.locator("[data-screening-status] a[data-screening-error-item='phones']")
    link.wait_for(timeout=ENGINE_TIMEOUT_MS)
    status = page.locator("[data-screening-status]").inner_text()
    assert "could not be scored" in status and "item 'phones'" in status
    assert "Traceback" not in page.content()
    assert link.get_attribute("href") == "#item-phones"
    assert page.locator("#item-phones").get_attribute("aria-invalid") == "true"
    assert not page.locator("[data-screening-output]").is_visible()
    link.click()
    assert page.evaluate("location.hash") == "#item-phones"
