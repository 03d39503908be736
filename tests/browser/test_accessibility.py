"""Every page of the built site passes axe-core's WCAG 2.2 AA rules in Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.site import chosen_generators, pages_to_walk

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _page_paths(site: Path, base: str) -> list[str]:
    """Every page: each URL in sitemap.xml, and each index.html under site/ (outside assets)."""
    found: set[str] = set()
    sitemap = site / "sitemap.xml"
    if sitemap.exists():
        for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8")):
            found.add(
                loc.removeprefix(base).lstrip("/") if loc.startswith(base) else re.sub(r"^https?://[^/]+/", "", loc)
            )
    for path in site.rglob("index.html"):
        if "assets" in path.parts:
            continue
        relative = path.parent.relative_to(site).as_posix()
        found.add("" if relative == "." else relative + "/")
    return sorted(found)


@pytest.mark.site
@pytest.mark.browser
def test_every_page_passes_axe(browser: Any, built_site: Path, site_url: str, generator: str) -> None:
    """Every page of the first generator's build; one page of each kind of the others', as
    a generator changes the frame around the content, not the content."""
    assert AXE.exists(), "axe-core is missing: run npm ci"
    paths = _page_paths(built_site, site_url)
    assert len(paths) >= 20, f"expected every page of the site, found {paths}"
    if generator != chosen_generators()[0]:
        kinds = set(pages_to_walk(built_site, generator))
        paths = [path for path in paths if path in kinds]
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(path=str(AXE))  # sent once, not once per page
    failures: list[str] = []
    try:
        page = context.new_page()
        for path in paths:
            page.goto(site_url + path, wait_until="load")
            if page.locator("[data-screening]").count():
                # Check the page as a reader sees it once scored: result, reasons and summary.
                page.locator("input[data-item]").first.check()
                page.wait_for_selector("[data-screening-level]", timeout=60_000)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                TAGS,
            )
            for violation in result["violations"]:
                targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
                failures.append(
                    f"/{path}: {violation['id']} ({violation['impact']}): {violation['help']} "
                    f"[{len(violation['nodes'])} node(s): {targets}]"
                )
    finally:
        context.close()
    assert not failures, f"{len(failures)} axe violation(s):\n" + "\n".join(failures)


@pytest.mark.site
@pytest.mark.browser
def test_menu_entries_reached_by_keyboard_are_not_under_the_menu_title(browser: Any, site_url: str) -> None:
    """WCAG 2.2 focus not obscured: on a wide screen the menu's title stays at the top of the
    scrolled menu, and an entry reached by Shift+Tab must come into view below it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    try:
        page = context.new_page()
        page.goto(site_url + "screening/all-wales-seraf/")  # far down the menu, so it is scrolled
        assert page.evaluate("document.querySelector('.md-sidebar--primary .md-sidebar__scrollwrap').scrollTop") > 0
        page.evaluate(
            """() => {
              const title = document.querySelector('.md-nav--primary > .md-nav__title').getBoundingClientRect();
              const links = document.querySelectorAll('.md-sidebar--primary a.md-nav__link');
              [...links].find((a) => a.getBoundingClientRect().top > title.bottom + 2).focus();
            }"""
        )
        checked = 0
        for _ in range(20):
            page.keyboard.press("Shift+Tab")
            place = page.evaluate(
                """() => ({
                  inMenu: Boolean(document.activeElement.closest('.md-sidebar--primary')),
                  text: document.activeElement.textContent.trim(),
                  top: document.activeElement.getBoundingClientRect().top,
                  title: document.querySelector('.md-nav--primary > .md-nav__title').getBoundingClientRect().bottom,
                })"""
            )
            if not place["inMenu"]:
                break  # up past the menu's first entry, into the header
            assert place["top"] >= place["title"], f"{place['text']!r} is partly under the menu's title"
            checked += 1
        assert checked >= 3, "Shift+Tab should have gone up through the menu"
    finally:
        context.close()
