"""Keyboard focus is never hidden under the page's sticky parts (WCAG 2.2, 2.4.11 Focus Not
Obscured): tabbing forwards and backwards through every screening form, on a phone, a
projector's screen and a laptop, each control that takes focus is wholly clear of the
header, Exit this page, the theme's "Back to top" button and the level bar."""

from __future__ import annotations

from typing import Any

import pytest

from screening_cli.protocol_files import load_directory
from tests.helpers.browser import ENGINE_TIMEOUT_MS, Traffic
from tests.helpers.repository import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.site]

PROTOCOLS = [p.id for p in load_directory(ROOT / "protocols")]
SIZES = [(390, 844), (1024, 768), (1280, 900)]

# Where the focused control is, and the edges of every part stuck over the page that it
# would have to be clear of (a part beside it, not above or below it, does not count).
WHERE = """() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => {
  const focused = document.activeElement;
  const form = document.getElementById("screening-form");
  if (!focused || !form.contains(focused)) return done(null);
  const box = focused.getBoundingClientRect();
  const beside = (r) => r.right > box.left && r.left < box.right;
  const shown = (el) => el && getComputedStyle(el).display !== "none" && !el.hidden
    && getComputedStyle(el).opacity !== "0";
  const covers = [];
  for (const part of document.querySelectorAll(".md-header, .exit-this-page, .md-top")) {
    const r = part.getBoundingClientRect();
    if (shown(part) && beside(r) && !part.contains(focused)) covers.push({ part: part.className, top: r.bottom });
  }
  const bar = form.querySelector("[data-screening-bar]");
  const inBar = bar && bar.contains(focused);
  if (shown(bar) && !inBar) covers.push({ part: "level bar", bottom: bar.getBoundingClientRect().top });
  const name = focused.id || focused.getAttribute("href") || focused.className;
  done({ name, top: box.top, bottom: box.bottom, covers });
})))"""


def _obscured(where: dict[str, Any]) -> list[str]:
    problems = []
    for cover in where["covers"]:
        if "top" in cover and where["top"] < cover["top"] - 0.5:
            problems.append(f"{where['name']} (top {where['top']:.0f}) under {cover['part']} (to {cover['top']:.0f})")
        if "bottom" in cover and where["bottom"] > cover["bottom"] + 0.5:
            edge = f"bottom {where['bottom']:.0f}"
            problems.append(f"{where['name']} ({edge}) under the level bar (from {cover['bottom']:.0f})")
    return problems


def _walk(page: Any, key: str) -> tuple[int, list[str]]:
    """Press ``key`` until focus leaves the form; how many controls took focus, and each
    one found covered."""
    problems: list[str] = []
    for stops in range(400):
        page.keyboard.press(key)
        # As the screen shows it: read after the frame the key press brings.
        where = page.evaluate(WHERE)
        if where is None:
            return stops, problems
        problems += _obscured(where)
    raise AssertionError("focus never left the form")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_tabbing_through_the_form_never_hides_the_focus(
    visit: tuple[Any, Traffic], site_url: str, protocol: str
) -> None:
    """One page per protocol, walked at each screen size in turn (the window resized as a
    reader turns a phone or moves to a projector), so the engine starts once per form."""
    page, _ = visit
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    page.goto(f"{site_url}screening/{protocol}/")
    # Every box ticked, so that every "what was seen and when" box takes focus too, and the
    # level bar is on show once the first result comes.
    for box in page.locator(".screening-form input.screening-checkbox[data-item]").all():
        box.check()
    page.locator("[data-screening-bar]:not([hidden])").wait_for(timeout=ENGINE_TIMEOUT_MS)
    covered: dict[str, list[str]] = {}
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        # Forwards from the control just before the form's first one.
        page.locator(".screening-clear").focus()
        page.keyboard.press("Shift+Tab")
        forwards, covered_forwards = _walk(page, "Tab")
        # Backwards from just after the form's last one.
        page.locator(".screening-result h2").evaluate("el => { el.tabIndex = -1; el.focus(); }")
        backwards, covered_back = _walk(page, "Shift+Tab")
        assert forwards > 10 and backwards == forwards, (width, forwards, backwards)
        if covered_forwards + covered_back:
            covered[f"{width}x{height}"] = covered_forwards + covered_back
    assert covered == {}
