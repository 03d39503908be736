"""The case-study library in Chromium: a case opened in a screening page, the comparison
view, and presentation mode driven by the keyboard."""

from __future__ import annotations

from typing import Any

import pytest

from build_scripts.case_studies import load_cases
from screening_cli.protocol_files import load_directory
from tests.helpers.browser import Traffic, wait_for_level
from tests.helpers.repository import ROOT
from tests.helpers.site import one_generator

pytestmark = [pytest.mark.browser, pytest.mark.site]

PROTOCOLS = load_directory(ROOT / "protocols")
CASES = {c.id: c for c in load_cases(PROTOCOLS, ROOT / "case-studies")}
CASE = CASES["jade-groomed-by-a-man-of-22"] if "jade-groomed-by-a-man-of-22" in CASES else next(iter(CASES.values()))


def test_comparison_view_shows_every_framework_level(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.goto(f"{site_url}trainers/cases/{CASE.id}/")
    for entry in CASE.answers:
        card = page.locator("article.case-compare__card", has=page.locator(f"#compare-{entry.protocol}"))
        assert card.locator(f"[data-case-level='{entry.level}']").count() == 1, entry.protocol
        assert "What to do next" in card.inner_text()
    page.goto(f"{site_url}trainers/cases/")
    table = page.locator("table")
    assert table.locator("tbody tr").count() == len(CASES)


@one_generator
@pytest.mark.parametrize("protocol", [p.id for p in PROTOCOLS])
def test_open_a_case_in_a_screening_page(visit: tuple[Any, Traffic], site_url: str, protocol: str) -> None:
    page, traffic = visit
    page.goto(f"{site_url}trainers/cases/{CASE.id}/")
    entry = next(a for a in CASE.answers if a.protocol == protocol)
    page.locator(f"article.case-compare__card:has(#compare-{protocol}) a.case-open").click()
    page.wait_for_url(f"**/screening/{protocol}/#case=*")
    wait_for_level(page, entry.level)
    assert "made-up case" in page.locator(".screening-case").inner_text()
    for item, value in entry.answers.items():
        selector = f"#item-{item}" if value is True else f"#item-{item}-{value}"
        if value is not False:
            assert page.locator(selector).is_checked(), item
    # The case travelled in the fragment: no request carried it to the server.
    assert not [url for _, url in traffic.requests if "case=" in url or "answers=" in url]


def test_real_screenings_never_put_answers_in_the_url(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.goto(f"{site_url}screening/pan-lancashire/")
    page.locator("#item-phones").check()
    wait_for_level(page, "level-4")
    page.keyboard.press("Enter")  # an implicit submission must not happen either
    page.wait_for_timeout(300)
    assert page.url == f"{site_url}screening/pan-lancashire/"


def test_presentation_mode_by_keyboard(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.goto(f"{site_url}trainers/cases/{CASE.id}/")
    button = page.get_by_role("button", name="Present this case")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Presenting:")
    assert dialog.is_visible()
    counter = dialog.locator(".presentation__counter")
    total = int(counter.inner_text().split(" of ")[1])
    assert total >= 4 and counter.inner_text() == f"1 of {total}"
    assert "The story" in dialog.inner_text()
    page.keyboard.press("ArrowRight")
    assert counter.inner_text() == f"2 of {total}"
    # A story too long for one screen goes on to a second slide before the questions.
    if "The story (2 of" in dialog.inner_text():
        page.keyboard.press("ArrowRight")
    assert "Questions for discussion" in dialog.inner_text()
    page.keyboard.press("End")
    assert counter.inner_text() == f"{total} of {total}"
    page.keyboard.press("ArrowLeft")
    assert counter.inner_text() == f"{total - 1} of {total}"
    size = dialog.locator(".presentation__stage").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 20, "presentation text must be large enough to read from the back of a room"
    page.keyboard.press("Escape")
    assert page.get_by_role("dialog", name="Presenting:").count() == 0
    assert button.evaluate("el => el === document.activeElement")


def test_presentation_keeps_facilitator_notes_off_the_room_screen(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{site_url}trainers/cases/{CASE.id}/")
    page.get_by_role("button", name="Present this case").click()
    dialog = page.get_by_role("dialog", name="Presenting:")
    stage = dialog.locator(".presentation__stage")
    total = int(dialog.locator(".presentation__counter").inner_text().split(" of ")[1])
    for number in range(1, total + 1):
        assert "Facilitator notes" not in stage.inner_text(), f"slide {number} shows the facilitator notes"
        # Each slide fits the projector's screen, or says that there is more below.
        overflows = stage.evaluate("el => el.scrollHeight > el.clientHeight + 1")
        assert dialog.locator(".presentation__more").is_visible() == overflows, f"slide {number}"
        if overflows:
            stage.evaluate("el => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); }")
            assert not dialog.locator(".presentation__more").is_visible(), f"slide {number}"
        page.keyboard.press("ArrowRight")
    with page.expect_popup() as opened:
        dialog.get_by_role("button", name="Presenter notes").click()
    notes = opened.value
    assert "Facilitator notes" in notes.locator("body").inner_text()
    assert f"On the screen: {total} of {total}" in notes.locator("body").inner_text()
    page.bring_to_front()
    page.keyboard.press("Home")
    assert f"On the screen: 1 of {total}" in notes.locator("body").inner_text()
    with notes.expect_event("close"):
        page.keyboard.press("Escape")
    assert notes.is_closed()


def test_comparison_table_projector_view(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{site_url}trainers/cases/")
    page.get_by_role("button", name="Show on a projector").click()
    dialog = page.get_by_role("dialog", name="Presenting:")
    stage = dialog.locator(".presentation__stage")
    cell = stage.locator("td").first
    assert cell.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 16
    stage.evaluate("el => { el.scrollTop = el.scrollHeight; }")
    header = stage.locator("th").first
    top = header.evaluate(
        "el => el.getBoundingClientRect().top - el.closest('.presentation__stage').getBoundingClientRect().top"
    )
    assert abs(top) <= 2, "the header row stays in view while the table scrolls"


# The smallest text on the stage, and whether the slide goes on below the screen.
SLIDE = """el => [
  el.scrollHeight > el.clientHeight + 1,
  Math.min(...[...el.querySelectorAll("li, p, h4")]
    .filter((e) => e.offsetParent && e.textContent.trim())
    .map((e) => parseFloat(getComputedStyle(e).fontSize))),
]"""


def test_every_slide_of_every_case_fits_a_projector(visit: tuple[Any, Traffic], site_url: str) -> None:
    """At 1024 by 768 every slide of every case is on the screen whole, its smallest text at
    least 20 pixels: a long result goes on to more slides rather than shrinking."""
    page, _ = visit
    page.set_viewport_size({"width": 1024, "height": 768})
    problems = []
    for case in CASES.values():
        page.goto(f"{site_url}trainers/cases/{case.id}/")
        page.get_by_role("button", name="Present this case").click()
        dialog = page.get_by_role("dialog", name="Presenting:")
        stage = dialog.locator(".presentation__stage")
        total = int(dialog.locator(".presentation__counter").inner_text().split(" of ")[1])
        for number in range(1, total + 1):
            overflows, smallest = stage.evaluate(SLIDE)
            if overflows or smallest < 20 or dialog.locator(".presentation__more").is_visible():
                problems.append(f"{case.id} slide {number}: {'more below' if overflows else ''} {smallest}px")
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Escape")
    assert problems == []


def test_facilitator_notes_are_closed_until_a_trainer_opens_them(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.goto(f"{site_url}trainers/cases/{CASE.id}/")
    summary = page.locator("details.case-notes > summary")
    note = page.locator("details.case-notes li").first
    assert summary.is_visible() and not note.is_visible()
    page.emulate_media(media="print")
    assert not note.is_visible(), "closed notes are not printed with the case"
    page.emulate_media(media="screen")
    summary.click()
    assert note.is_visible()
    page.emulate_media(media="print")
    assert note.is_visible(), "notes a trainer opened are printed"
