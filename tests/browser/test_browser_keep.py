"""A screening's answers are never lost by the site's own links, in Chromium under each
generator: every link that stays on the page keeps them (by click and by Enter), however the
page was reached; moving about the site and back keeps them in the tab's memory only; a
reload with answers asks first and Exit this page never does; and the answers can be
printed and downloaded when the scoring engine has not started or cannot start."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from build_scripts.case_studies import load_cases
from build_scripts.partnership import read_partnership
from screening_cli.protocol_files import load_directory
from tests.browser.test_accessibility import AXE, TAGS
from tests.helpers.browser import ENGINE_TIMEOUT_MS, Traffic
from tests.helpers.repository import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.site]

PROTOCOLS = ["dfe-step-by-step", "pan-lancashire", "sandwell-nwg", "all-wales-seraf"]
NEUTRAL = read_partnership().exit_to

# Every control of the screening form, as the page holds it: a tick by its id, a text by its id.
FORM_STATE = """() => Object.fromEntries(
    [...document.querySelectorAll("[data-screening] form [name]")].map((c) =>
        [c.id, c.type === "checkbox" || c.type === "radio" ? c.checked : c.value]))"""

# The links on the page that stay on it: the level bar's, the headings' and every other
# link to a part of the page, in the content (not the theme's menus and table of contents).
# The theme may have made their addresses whole, so each is taken by where it leads.
LINKS_ON_THE_PAGE = """() => [...document.querySelectorAll(".md-content a[href*='#']")]
    .filter((a) => a.hash && a.origin === location.origin && a.pathname === location.pathname)
    .filter((a) => a.getClientRects().length && !a.closest("[data-screening-output]"))
    .map((a) => [a.getAttribute("href"), a.hash])"""


def fill_in(page: Any, reference: str) -> dict[str, Any]:
    """Answer as a reader would: two ticks, an option other than the first, a note, the
    strengths and the child's reference. Returns the form as it then stands."""
    boxes = page.locator("[data-screening] input[data-item][type=checkbox]")
    boxes.nth(1).check()
    boxes.nth(3).check()
    options = page.locator("[data-screening] input[data-item][type=radio]:not([checked])")
    if options.count():
        options.first.check()
    page.locator("[data-seen-for]").nth(1).fill("At the bus station, Monday 9:00")
    page.locator("#strengths").fill("Close to her grandmother.")
    page.locator("#record-child").fill(reference)
    state = page.evaluate(FORM_STATE)
    assert state["record-child"] == reference
    return state


def follow_links(page: Any, expected: dict[str, Any], limit: int | None = None) -> int:
    """Follow each link that stays on the page, by click and by Enter in turn, and find the
    answers still there after each. Returns how many were followed."""
    hrefs = page.evaluate(LINKS_ON_THE_PAGE)[:limit]
    assert hrefs, "the page has links to its own parts"
    for number, (href, hash_) in enumerate(hrefs):
        link = page.locator(f".md-content a[href='{href}']:visible").first
        if number % 2:
            link.focus()
            page.keyboard.press("Enter")
        else:
            link.click()
        page.wait_for_function("hash => location.hash === hash", arg=hash_)
        # The theme may fetch and draw the page again after a moment: give it that moment.
        page.wait_for_timeout(400)
        page.wait_for_selector("[data-screening][data-screening-bound]", state="attached")
        assert page.evaluate(FORM_STATE) == expected, f"the answers changed after following {href}"
    return len(hrefs)


@pytest.fixture()
def asked(visit: tuple[Any, Traffic]) -> Iterator[list[str]]:
    """The browser's prompts on the visit's page, each accepted, by type."""
    page, _ = visit
    seen: list[str] = []

    def answer(dialog: Any) -> None:
        seen.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    yield seen


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_every_link_on_the_page_keeps_the_answers(
    visit: tuple[Any, Traffic], asked: list[str], site_url: str, protocol: str
) -> None:
    page, _ = visit
    page.goto(site_url + f"screening/{protocol}/")  # opened directly, as from a bookmark
    expected = fill_in(page, "REF-0042")
    page.locator("[data-screening-bar] a").wait_for(timeout=ENGINE_TIMEOUT_MS)  # the level bar's link
    followed = follow_links(page, expected)
    assert followed >= 4
    assert asked == [], "nothing on the page asks to leave"


def test_after_reload_back_forward_and_in_a_new_tab(
    visit: tuple[Any, Traffic], asked: list[str], site_url: str
) -> None:
    page, _ = visit
    url = site_url + "screening/pan-lancashire/"
    page.goto(url)
    page.locator("#item-phones").check()
    with page.expect_navigation():
        page.evaluate("location.reload()")  # as the reader's F5: the browser asks first
    assert asked == ["beforeunload"]
    page.wait_for_selector("[data-screening-bound]", state="attached")  # the page loaded anew
    assert page.evaluate(FORM_STATE)["item-phones"] is False, "a reload clears the answers, once asked"
    follow_links(page, fill_in(page, "after reload"), limit=3)

    on_the_page = lambda address: "/screening/pan-lancashire/" in address  # noqa: E731 (any part of it)
    page.goto(site_url)  # leaving by a full page load asks too
    assert asked == ["beforeunload"] * 2
    page.go_back()
    page.wait_for_url(on_the_page)
    follow_links(page, fill_in(page, "by Back"), limit=3)
    page.goto(site_url)
    page.goto(url)
    page.go_back()
    page.wait_for_url(site_url)
    page.go_forward()
    page.wait_for_url(on_the_page)
    follow_links(page, fill_in(page, "by Forward"), limit=3)
    assert asked == ["beforeunload"] * 3

    tab = page.context.new_page()
    tab.goto(url)
    follow_links(tab, fill_in(tab, "in a new tab"), limit=3)
    tab.close(run_before_unload=False)


def move(page: Any, go: Callable[[], Any], protocol: str) -> dict[str, Any]:
    """Go to a screening page by `go` (the menu, Back or Forward) and wait until the theme
    has drawn that page anew and its form is set up; the form as it then stands."""
    page.evaluate("() => { window.keepTestLeft = document.querySelector('[data-screening]'); }")
    go()
    page.wait_for_function(
        """id => {
            const root = document.querySelector(`[data-screening='${id}'][data-screening-bound]`);
            return root !== null && root !== window.keepTestLeft;
        }""",
        arg=protocol,
    )
    return page.evaluate(FORM_STATE)


def test_moving_about_the_site_keeps_the_answers_in_memory(
    visit: tuple[Any, Traffic], asked: list[str], site_url: str
) -> None:
    page, traffic = visit
    page.context.route(NEUTRAL, lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"))
    page.goto(site_url + "screening/dfe-step-by-step/")
    with page.expect_navigation():
        page.evaluate("location.reload()")
    assert asked == [], "nothing to lose, nothing asked"
    dfe = fill_in(page, "DFE-1")
    menu = page.locator(".md-nav__link[href$='screening/sandwell-nwg/']").first
    blank = move(page, menu.click, "sandwell-nwg")
    assert blank["record-child"] == "", "each screening has its own answers"
    sandwell = fill_in(page, "SAND-2")
    assert move(page, page.go_back, "dfe-step-by-step") == dfe, "Back shows the answers as they were left"
    assert move(page, page.go_forward, "sandwell-nwg") == sandwell

    # Clear answers clears the memory too; its undo puts them back, and they are kept again.
    page.get_by_role("button", name="Clear answers").click()
    assert page.evaluate(FORM_STATE) == blank
    move(page, page.go_back, "dfe-step-by-step")
    assert move(page, page.go_forward, "sandwell-nwg") == blank, "cleared answers stay cleared"
    fill_in(page, "SAND-3")
    page.get_by_role("button", name="Clear answers").click()
    page.get_by_role("button", name="Undo clear answers").click()
    restored = page.evaluate(FORM_STATE)
    assert restored["record-child"] == "SAND-3"
    move(page, page.go_back, "dfe-step-by-step")
    assert move(page, page.go_forward, "sandwell-nwg") == restored, "the undone clear is kept"
    assert asked == [], "moving within the site never asks"

    # Exit this page: no prompt, no wait, and the memory is gone.
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(NEUTRAL)
    assert asked == [], "Exit this page never asks"
    traffic.requests = [r for r in traffic.requests if not r[1].startswith(NEUTRAL)]


def test_a_record_without_the_engine(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, traffic = visit
    held: list[Any] = []
    # The engine's runtime never arrives: the engine stays "starting".
    page.route("**/assets/pyodide/**", lambda route: held.append(route))
    page.goto(site_url + "screening/sandwell-nwg/")
    expected = fill_in(page, "REF-0042")
    buttons = page.locator("[data-screening-output] button.screening-keep")
    assert buttons.all_inner_texts() == ["Print summary", "Download summary"]
    assert page.locator("[data-screening-output]").is_visible()
    follow_links(page, expected, limit=2)
    label = (
        page.locator("[data-screening] input[data-item][type=checkbox]")
        .nth(1)
        .evaluate("box => document.querySelector(`label[for='${box.id}']`).textContent.trim()")
    )
    with page.expect_download(timeout=5000) as download:
        buttons.nth(1).click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    for words in ["Not worked out on this device", label, "At the bus station, Monday 9:00", "REF-0042"]:
        assert words in text, words
    printed = page.locator(".screening-print").inner_text()
    assert "Not worked out on this device" in printed and "REF-0042" in printed
    assert not page.locator("[data-screening-level]").count(), "no level was worked out"
    # Save, while the engine is still starting: after a short wait, the record of the answers.
    with page.expect_download(timeout=15_000) as download:
        page.locator("[data-screening-save-button]").click()
    record = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename.endswith("-REF-0042.txt")
    for words in ["level not worked out on this device", label, "At the bus station, Monday 9:00"]:
        assert words in record, words
    for route in held:
        route.abort()

    # The engine cannot start at all: the same buttons, beside the message that says so.
    page.unroute("**/assets/pyodide/**")
    page.context.route("**/screening-worker.js", lambda route: route.abort())
    tab = page.context.new_page()
    tab.goto(site_url + "screening/pan-lancashire/")
    tab.get_by_text("Scoring is unavailable").wait_for(timeout=10_000)
    tab.locator("#item-phones").check()
    assert tab.locator("[data-screening-output] button.screening-keep").count() == 2
    assert "Not worked out on this device" in tab.locator(".screening-print").inner_text()
    tab.close()
    traffic.requests = [r for r in traffic.requests if "screening-worker.js" not in r[1]]


def test_a_training_case_keeps_its_answers_and_note(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    case = next(iter(load_cases(load_directory(ROOT / "protocols"), ROOT / "case-studies")))
    page.goto(f"{site_url}trainers/cases/{case.id}/")
    page.locator("article.case-compare__card:has(#compare-pan-lancashire) a.case-open").click()
    page.wait_for_url("**/screening/pan-lancashire/#case=*")
    note = page.locator(".screening-case").inner_text()
    assert "made-up case" in note
    page.locator("[data-screening] input[data-item][type=checkbox]:not(:checked)").first.check()
    expected = page.evaluate(FORM_STATE)
    follow_links(page, expected, limit=3)
    assert page.locator(".screening-case").inner_text() == note, "the case note stays with its answers"
    # Back to the case's own address: the answers as the reader left them, not the case afresh.
    for _ in range(3):
        if "#case=" in page.url:
            break
        page.go_back()
    assert "/screening/pan-lancashire/#case=" in page.url
    page.wait_for_timeout(400)
    assert page.evaluate(FORM_STATE) == expected
    assert page.locator(".screening-case").inner_text() == note


def test_the_panel_without_a_result_passes_axe(browser: Any, site_url: str) -> None:
    context = browser.new_context(bypass_csp=True, service_workers="block")
    context.add_init_script(path=str(AXE))
    try:
        page = context.new_page()
        page.route("**/assets/pyodide/**", lambda route: None)  # the engine stays "starting"
        page.goto(site_url + "screening/dfe-step-by-step/")
        fill_in(page, "REF-0042")
        assert page.locator("[data-screening-output] button.screening-keep").count() == 2
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS
        )
        assert [violation["id"] for violation in result["violations"]] == []
    finally:
        context.close()
