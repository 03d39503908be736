"""Screening as practitioners use it, by keyboard alone, on a phone (390x844) and a projector (1024x768).

For every protocol: the level stays in sight near the question just answered, "Act now" is
announced once, a judgement below a disclosure or urgent rule needs a reason and an explicit
confirmation (GOV.UK error summary and messages, shown on trying to keep the summary or on
leaving the judgement, never while typing), the printed record and the download carry what
the practitioner added, and "Clear answers" asks for no second look but can be undone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import ENGINE_TIMEOUT_MS, tab_to
from tests.helpers.site_search import search_entries

pytestmark = [pytest.mark.browser, pytest.mark.site]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": (390, 844), "projector": (1024, 768)}
RED = "rgb(177, 14, 30)"

# The answer that reaches each protocol's firm rule (urgent, disclosure or immediate danger).
FIRM = {
    "pan-lancashire": "disclosure",
    "sandwell-nwg": "immediate-danger",
    "all-wales-seraf": "immediate-danger",
    "dfe-step-by-step": "immediate-danger",
}
URGENT = {"sandwell-nwg", "all-wales-seraf", "dfe-step-by-step"}


@pytest.fixture(scope="module")
def practice_context(browser: Any) -> Iterator[Any]:
    """One browser context for this module's tests at both sizes, so that the engine's files
    are downloaded once, as on a reader's device (each test opens its own page)."""
    context = browser.new_context(
        service_workers="block",
        accept_downloads=True,
        bypass_csp=True,  # axe-core is added as a script tag
    )
    context.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    yield context
    context.close()


@pytest.fixture(scope="module", params=list(VIEWPORTS), ids=list(VIEWPORTS))
def screen(request: Any, practice_context: Any) -> tuple[Any, tuple[int, int]]:
    return practice_context, VIEWPORTS[request.param]


@pytest.fixture()
def page(screen: tuple[Any, tuple[int, int]]) -> Iterator[Any]:
    context, size = screen
    opened = context.new_page()
    opened.set_viewport_size({"width": size[0], "height": size[1]})
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    stored = opened.evaluate("() => localStorage.length + sessionStorage.length")
    opened.close()
    assert stored == 0 and errors == []


def focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.id || document.activeElement.className"))


def level_of(page: Any) -> str:
    return str(page.locator("[data-screening-level]").get_attribute("data-screening-level"))


def in_view(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    return bool(box and box["y"] >= 0 and box["y"] + box["height"] <= height)


# Under the other generators, each protocol once: on the phone and the projector in turn.
@pytest.mark.frame_sample(
    lambda params: (params["screen"] == "phone") == (list(FIRM).index(params["protocol"]) % 2 == 0)
)
@pytest.mark.parametrize("protocol", list(FIRM))
def test_screening_by_keyboard_on_phone_and_projector(page: Any, site_url: str, protocol: str) -> None:
    page.goto(f"{site_url}screening/{protocol}/")
    page.wait_for_selector("[data-screening-level]", timeout=ENGINE_TIMEOUT_MS)
    lowest = level_of(page)
    title = page.locator("#screening-form").get_attribute("aria-label")

    # 1. Tick the firm item: the level shows near it, with one link to the full result.
    item = f"#item-{FIRM[protocol]}"
    tab_to(page, item)
    page.keyboard.press("Space")
    page.wait_for_function(f"document.querySelector('[data-screening-level]').dataset.screeningLevel !== '{lowest}'")
    top = level_of(page)
    bar = page.locator("[data-screening-bar]")
    assert bar.is_visible()
    label = bar.locator("[data-screening-bar-text]").inner_text().removeprefix("Level: ")
    level_section = page.locator("[data-screening-level]")
    assert label and label in level_section.inner_text()
    assert in_view(page, "[data-screening-bar]") and in_view(page, item)
    assert bar.locator("a").count() == 1 and (bar.locator("a").get_attribute("href") or "").endswith(
        "#screening-result"
    )
    assert page.locator("[data-screening-status]").get_attribute("role") == "status"
    assert label in page.locator("[data-screening-status]").inner_text()
    alert = page.locator("[data-screening-alert]")
    assert alert.get_attribute("role") == "alert"
    if protocol in URGENT:
        assert bar.locator("[data-screening-bar-act]").is_visible()
        assert alert.inner_text().startswith("Act now") and "999" in alert.inner_text()
    else:
        assert alert.inner_text() == ""
    assert page.locator(".screening-level").count() == 1  # one level, even for a scored protocol
    # When a rule lifts a scored level above its band, the level's section says so.
    lifted = "A rule lifts the level above the band" in level_section.inner_text()
    assert lifted == (protocol == "all-wales-seraf")

    # A note on what was seen, then a judgement at the lowest level: no error while typing.
    tab_to(page, f"{item}-seen")
    page.keyboard.type("Seen at the bus station, Friday 21:00")
    tab_to(page, "#judgement-computed")
    page.keyboard.press("ArrowDown")  # the lowest level
    assert page.locator("input[name='judgement-level']:checked").get_attribute("value") == lowest
    confirm = page.locator("[data-screening-confirm]")
    confirm.wait_for(state="visible")
    tab_to(page, "#judgement-reason")
    page.keyboard.type("x")
    page.keyboard.press("Backspace")
    assert page.locator("#judgement-reason-error").is_hidden()
    # 3. Clear answers is not the next control after the reason box.
    page.keyboard.press("Tab")
    assert "screening-clear" not in focused(page)

    # 6. Leaving the judgement without a reason shows the GOV.UK error message.
    page.locator("#judgement-reason-error").wait_for(state="visible")
    assert page.locator("#judgement-reason").get_attribute("aria-invalid") == "true"
    prefix = page.locator("#judgement-reason-error .screening-visually-hidden")
    assert prefix.inner_text() == "Error:" and prefix.bounding_box()["width"] <= 1  # type: ignore[index]
    error_box = page.locator("#judgement-reason-error").bounding_box()
    reason_box = page.locator("#judgement-reason").bounding_box()
    assert error_box and reason_box and error_box["y"] < reason_box["y"]  # the message is above the field

    # Trying to print shows the error summary at the top of the summary, focused, with links.
    tab_to(page, "button.screening-keep >> nth=0")
    page.keyboard.press("Enter")
    summary = page.locator(".screening-error-summary")
    summary.wait_for(state="visible")
    assert focused(page).startswith("screening-error-summary")
    assert page.evaluate("window.__printed") == 0
    links = summary.locator("a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "#judgement-reason",
        "#judgement-confirm",
    ]
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page) == "judgement-reason"
    reason = page.locator("#judgement-reason")
    assert reason.evaluate("el => getComputedStyle(el).borderTopColor") == RED  # not hidden by the focus ring
    page.keyboard.type("Seen safe with her grandmother today; police attended.")
    tab_to(page, "#judgement-confirm", back=True)  # it comes before the reason
    page.keyboard.press("Space")
    # The engine's next answer finds nothing missing: the error summary goes.
    page.locator(".screening-error-summary").wait_for(state="detached")
    for field, text in (
        ("#record-child", "REF-0042"),
        ("#record-practitioner", "A. Khan"),
        ("#record-agency", "Northside High"),
    ):
        tab_to(page, field)
        page.keyboard.type(text)

    # 10 and 9. The summary shows both levels, the reason and the confirmation.
    on_screen = page.locator(".screening-summary")
    expect(on_screen).to_contain_text("The practitioner confirmed the lower level.")
    expect(on_screen).to_contain_text("Northside High")
    assert "Level by professional judgement" in on_screen.inner_text()

    # 5. The Print button and the browser's own print give one record.
    tab_to(page, "button.screening-keep >> nth=0")
    page.keyboard.press("Enter")
    page.wait_for_function("window.__printed === 1")  # once the engine has the latest answers
    page.locator("#strengths").fill("Close to her grandmother.")
    expect(page.locator(".screening-summary [data-section='strengths']")).to_contain_text("Close to her grandmother.")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    try:
        record = page.locator(".screening-print")
        assert record.is_visible()
        text = record.inner_text()
        assert not page.locator("#screening-form").is_visible()
        assert page.locator("button:visible").count() == 0
    finally:
        page.emulate_media(media="screen")
    download_text = keep_download(page)
    for kept in (text, download_text):
        assert f"{title}: summary" in kept
        assert "Protocol: " + title in kept and f"Protocol: {protocol}," not in kept
        assert re.search(r"Completed: \d{1,2} \w+ \d{4}", kept)
        assert "may be out of date" in kept
        assert "Child's reference: REF-0042" in kept and "A. Khan" in kept and "Northside High" in kept
        assert "What was seen and when: Seen at the bus station, Friday 21:00" in kept
        assert "Level by professional judgement" in kept and "Level from the answers" in kept
        assert "police attended" in kept and "The practitioner confirmed the lower level." in kept
        assert "Close to her grandmother." in kept
        if protocol in URGENT:
            assert kept.index("Act now") < kept.index("Level from the answers")
    if protocol == "dfe-step-by-step":
        assert "Not known" in download_text  # an option answer of "not known" is told apart from "no"

    # 3. Clear answers, then undo it, by keyboard.
    tab_to(page, ".screening-clear")
    page.keyboard.press("Enter")
    assert focused(page).startswith("md-button screening-undo__button")
    page.wait_for_function(f"document.querySelector('[data-screening-level]').dataset.screeningLevel === '{lowest}'")
    assert page.locator(item).is_checked() is False and page.locator("#record-child").input_value() == ""
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelector('[data-screening-level]').dataset.screeningLevel === '{top}'")
    assert page.locator(item).is_checked() and page.locator("#record-child").input_value() == "REF-0042"


def keep_download(page: Any) -> str:
    with page.expect_download() as waiting:
        tab_to(page, "button.screening-keep >> nth=1")
        page.keyboard.press("Enter")
    download = waiting.value
    assert download.suggested_filename.endswith("-screening-summary.txt")
    return Path(download.path()).read_text(encoding="utf-8-sig")


def test_open_a_case_at_the_top_with_its_title_and_a_way_back(page: Any, site_url: str) -> None:
    from build_scripts.case_studies import load_cases
    from screening_cli.protocol_files import load_directory

    protocols = load_directory(ROOT / "protocols")
    case = load_cases(protocols, ROOT / "case-studies")[0]
    page.goto(f"{site_url}trainers/cases/{case.id}/")
    for entry in case.answers:
        open_case(page, entry.protocol)
        note = page.locator(".screening-case")
        assert case.title in note.inner_text()
        back = note.locator("a")
        assert (back.get_attribute("href") or "").rstrip("/").endswith(f"trainers/cases/{case.id}")
        page.wait_for_selector(f"[data-screening-level='{entry.level}']", timeout=ENGINE_TIMEOUT_MS)
        back.focus()
        page.keyboard.press("Enter")  # instant navigation: the scoring engine is kept
        page.wait_for_url(f"**/trainers/cases/{case.id}/")
    # The training answers and the note go with "Clear answers".
    open_case(page, case.answers[0].protocol)
    page.wait_for_selector(f"[data-screening-level='{case.answers[0].level}']", timeout=ENGINE_TIMEOUT_MS)
    tab_to(page, ".screening-clear")
    page.keyboard.press("Enter")
    assert page.locator(".screening-case").count() == 0
    assert "case=" not in page.url
    assert page.locator("input[data-item][type=checkbox]:checked").count() == 0


def open_case(page: Any, protocol: str) -> None:
    """From a case page scrolled down, open the case in a screening page: it opens at the top."""
    page.evaluate("window.scrollTo(0, 3000)")
    link = page.locator(f"article.case-compare__card:has(#compare-{protocol}) a.case-open")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/screening/{protocol}/#case=*")
    page.locator(".screening-case").wait_for()
    page.wait_for_function("window.scrollY === 0")


def test_which_screening_to_use_is_said_and_linked(built_site: Path) -> None:
    index = (built_site / "screening" / "index.html").read_text(encoding="utf-8")
    assert 'id="which-screening-to-use"' in index
    assert "can give different levels for the same child" in index
    for protocol in FIRM:
        html = (built_site / "screening" / protocol / "index.html").read_text(encoding="utf-8")
        assert "Who this screening is for" in html and "#which-screening-to-use" in html, protocol
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "screening/#which-screening-to-use" in home


def test_a_search_for_999_finds_the_emergency_advice(built_site: Path, generator: str) -> None:
    found = [entry.location for entry in search_entries(built_site, generator) if re.search(r"\b999\b", entry.text)]
    assert any(location.startswith("about/local-contacts/") for location in found), found
    assert any(location.startswith("responding/referral/") for location in found), found
    contacts = (ROOT / "includes" / "contacts.md").read_text(encoding="utf-8")
    assert "emergency number here" not in contacts and "call the police on 999" in contacts


def test_changed_screening_states_pass_axe(page: Any, site_url: str) -> None:
    """axe on a screening page with a ticked item, Act now, the confirmation and the error summary."""
    page.goto(f"{site_url}screening/sandwell-nwg/")
    page.locator("#item-immediate-danger").check()
    page.wait_for_selector("[data-screening-bar-act]:not([hidden])", timeout=ENGINE_TIMEOUT_MS)
    page.locator("input[name='judgement-level']").nth(1).check()
    page.get_by_role("button", name="Download summary").click()
    page.locator(".screening-error-summary").wait_for()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}, resultTypes: ['violations']})"
    )
    assert [v["id"] for v in result["violations"]] == []
