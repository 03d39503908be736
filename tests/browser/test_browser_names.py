"""What a screen reader hears, read from Chromium's accessibility tree (Playwright's aria
snapshot), not only from axe: every "what was seen and when" box says which indicator it
belongs to, each ticked indicator of every kind has one, and the search dialog has a name."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.helpers.browser import Traffic

pytestmark = [pytest.mark.browser, pytest.mark.site]

SEEN = "What was seen and when (optional): "
ROLE_NAME = re.compile(r'^- (\w+) "((?:[^"\\]|\\.)*)"')


def _named(snapshot: str, role: str) -> list[str]:
    """The names of the snapshot's nodes of one role (a line holding ': ' is quoted as YAML)."""
    names = []
    for raw in snapshot.splitlines():
        line = raw.strip()
        if line.startswith("- '"):
            line = "- " + line[3:].rstrip(":").removesuffix("'").replace("''", "'")
        found = ROLE_NAME.match(line)
        if found and found.group(1) == role:
            names.append(found.group(2).replace('\\"', '"'))
    return names


def _indicators(protocol: dict[str, Any]) -> list[str]:
    """Each item that can be ticked or answered as present: a tick box, or a question with an
    answer that counts as present (SERAF's significant risk indicators)."""
    return [
        " ".join(item["text"].split())
        for item in protocol["items"]
        if item.get("answer", "boolean") != "choice" or any(o.get("present") for o in item.get("options", []))
    ]


@pytest.mark.parametrize("protocol", ["pan-lancashire", "sandwell-nwg", "all-wales-seraf", "dfe-step-by-step"])
def test_every_seen_box_names_its_indicator(
    visit: tuple[Any, Traffic], site_url: str, protocol_data: dict[str, dict[str, Any]], protocol: str
) -> None:
    page, _ = visit
    page.goto(f"{site_url}screening/{protocol}/")
    form = page.locator("#screening-form")
    assert not [n for n in _named(form.aria_snapshot(), "textbox") if n.startswith("What was seen")]
    # Tick every box and answer every question with its first answer that counts as present.
    for box in form.locator("input.screening-checkbox[data-item]").all():
        box.check()
    for choice in form.locator("fieldset.screening-choice").all():
        present = choice.locator("input[data-present]")
        if present.count():
            present.first.check()
    names = _named(form.aria_snapshot(), "textbox")
    seen = [name for name in names if name.startswith("What was seen")]
    assert len(seen) == len(set(seen)), "two boxes share a name"
    expected = {SEEN + text for text in _indicators(protocol_data[protocol])}
    assert {" ".join(name.split()) for name in seen} == expected
    # A box is in the tree only while its indicator is ticked or answered as present.
    form.locator("input.screening-checkbox[data-item]").first.uncheck()
    assert len([n for n in _named(form.aria_snapshot(), "textbox") if n.startswith("What was seen")]) == len(seen) - 1


def test_seraf_significant_indicator_seen_box_reaches_the_result(visit: tuple[Any, Traffic], site_url: str) -> None:
    """A significant risk indicator answered as present takes a note of what was seen, and
    the result shows it under that indicator."""
    page, _ = visit
    page.goto(f"{site_url}screening/all-wales-seraf/")
    box = page.get_by_role("textbox", name="What was seen and when (optional): Unexplained physical injuries")
    assert box.count() == 0, "no box before the indicator is answered as present"
    page.locator("#item-sig-injuries-current").check()
    box.fill("Bruising on both arms, seen Tuesday 14:00")
    page.locator("[data-screening-output] [data-section='present']").get_by_text(
        "What was seen and when: Bruising on both arms, seen Tuesday 14:00"
    ).wait_for(timeout=60_000)


def test_the_search_dialog_has_a_name(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "understanding/indicators/")
    page.locator("label.md-header__button[for='__search']:visible, .md-search__button:visible").first.click()
    page.keyboard.type("gifts")
    dialog = page.get_by_role("dialog", name="Search", exact=True)
    dialog.locator("mark", has_text="gifts").first.wait_for()
    assert dialog.count() == 1
    assert "gifts" in dialog.aria_snapshot().lower()
