"""Nothing moves as a page loads: the cumulative layout shift Chromium measures on every
case page and every screening page, as each loads on a phone and on a laptop, stays below
0.01 (a PerformanceObserver of 'layout-shift' entries, buffered from the page's start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import Traffic
from tests.helpers.site import page_paths

pytestmark = [pytest.mark.browser, pytest.mark.site]

# Every shift from the page's start not caused by the reader, with what moved; read once
# the engine has had time to start (its status line is on the page too).
SHIFTS = """() => new Promise((done) => {
  const shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      const moved = entry.sources.map((s) => (s.node && (s.node.className || s.node.nodeName)) || "?");
      shifts.push({ value: entry.value, moved: moved.join(", ") });
    }
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => done(shifts), 2500);
})"""


@pytest.mark.parametrize("size", [(390, 844), (1280, 900)], ids=["390x844", "1280x900"])
def test_case_and_screening_pages_do_not_move_as_they_load(
    visit: tuple[Any, Traffic], site_url: str, built_site: Path, size: tuple[int, int]
) -> None:
    page, _ = visit
    page.set_viewport_size({"width": size[0], "height": size[1]})
    paths = [p for p in page_paths(built_site) if p.startswith(("trainers/cases/", "screening/"))]
    assert len([p for p in paths if p.startswith("trainers/cases/")]) > 10
    moved = {}
    for path in paths:
        page.goto(site_url + path)
        shifts = page.evaluate(SHIFTS)
        total = sum(shift["value"] for shift in shifts)
        if total >= 0.01:
            moved[path] = (round(total, 4), [shift["moved"] for shift in shifts])
    assert moved == {}


def test_present_this_case_has_its_place_before_it_shows(browser: Any, site_url: str) -> None:
    """The button takes its room in the page without script, so showing it moves nothing."""
    context = browser.new_context(java_script_enabled=False, service_workers="block")
    page = context.new_page()
    page.goto(site_url + "trainers/cases/lily-bus-station/")
    button = page.locator("[data-present]")
    assert not button.is_visible(), "without script there is nothing to present with"
    box = button.bounding_box()
    assert box is not None and box["height"] > 20
    context.close()
