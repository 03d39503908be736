"""Every protocol's page in Chromium: cases from its table entered in the form, level read back.

One case per level of each protocol, so each page is shown to reach every level it has.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import Traffic, enter_answers, wait_for_level
from tests.helpers.repository import case_tables, one_case_per_level
from tests.helpers.site import one_generator

pytestmark = [pytest.mark.browser, pytest.mark.site]

TABLES = case_tables()


@one_generator
@pytest.mark.parametrize("table", TABLES, ids=[t["protocol"] for t in TABLES])
def test_page_reaches_every_level_as_the_engine_does(
    visit: tuple[Any, Traffic], site_url: str, table: dict[str, Any]
) -> None:
    page, _ = visit
    page.goto(f"{site_url}screening/{table['protocol']}/")
    for case in one_case_per_level(table):
        enter_answers(page, case["answers"])
        try:
            wait_for_level(page, case["level"])
        except Exception as exc:  # report which case, not just a timeout
            shown = page.locator("[data-screening-status]").inner_text()
            raise AssertionError(f"{case['name']}: expected {case['level']}, page says {shown!r}") from exc
        output = page.locator("[data-screening-output]").inner_text()
        assert "Why" in output and "What to do next" in output
        assert "never replaces professional judgement" in output


@one_generator
def test_professional_judgement_and_strengths_appear_in_the_summary(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.goto(f"{site_url}screening/pan-lancashire/")
    page.locator("#item-truanting").check()
    wait_for_level(page, "level-2")
    summary = page.locator(".screening-summary")
    assert "Agrees with the level from the answers" in summary.inner_text()

    page.locator("#judgement-level-3").check()
    error = page.locator("#judgement-reason-error")
    assert error.is_hidden()  # not while the reader is still choosing
    page.locator("#strengths").focus()  # leaving the judgement without a reason shows it
    error.wait_for(state="visible")
    assert page.locator("#judgement-reason").get_attribute("aria-invalid") == "true"

    page.locator("#judgement-reason").fill("Seen getting into cars with older men after school.")
    page.locator("#strengths").fill("Close to her grandmother.")
    error.wait_for(state="hidden")  # once the engine has the reason
    expect(summary).to_contain_text("Close to her grandmother.")
    text = summary.inner_text()
    assert "Level from the answers: Level 2 – Risk of harm from CSE is unlikely" in text  # computed
    assert "Level by professional judgement: Level 3 – Risk of harm from CSE is likely" in text  # chosen
    assert "Reason: Seen getting into cars with older men after school." in text
    assert page.locator("[data-screening-level]").get_attribute("data-screening-level") == "level-2"

    page.locator(".screening-clear").click()
    wait_for_level(page, "level-1")
    assert page.locator("#strengths").input_value() == ""
    expect(summary.locator("[data-section='strengths']")).to_contain_text("None recorded")
