"""A made-up partnership's site, built from its own settings (tests/data/settings/partnership-northshire.yml:
two of the four tools, two local chapters, its own contacts, exit destination and colour)
under each generator: everything the settings name reads from them, nothing else is
published or linked, and in Chromium the contacts sit beside the result, Exit this page goes
to the partnership's destination by button, by Shift pressed three times and without script,
and nothing is sent or stored.

One extra build per generator, and few pages visited."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from build_scripts.partnership import Partnership, protocol_ids, read_partnership
from tests.browser.test_accessibility import AXE, TAGS
from tests.helpers.browser import Traffic, enter_answers
from tests.helpers.repository import case_tables
from tests.helpers.site import build_site_into, free_port, page_paths, serving

pytestmark = [pytest.mark.browser, pytest.mark.site]

ROOT = Path(__file__).resolve().parents[2]
NORTHSHIRE = ROOT / "tests" / "data" / "settings" / "partnership-northshire.yml"
SETTINGS: Partnership = read_partnership(NORTHSHIRE)
EXIT_TO = SETTINGS.exit_to
PUBLISHED = set(SETTINGS.screening_tools)
NOT_PUBLISHED = set(protocol_ids()) - PUBLISHED
LOCAL_GONE = {p.stem for p in (ROOT / "docs" / "local").glob("*.md")} - set(SETTINGS.local_chapters)
TOOL = SETTINGS.screening_tools[0]
HREF = re.compile(r'\shref="([^"#]*)[^"]*"')


# This module's own site: the fixtures of the same names in conftest.py serve the bundled one.
@pytest.fixture(scope="module")
def partnership_port(generator: str) -> int:
    return free_port()


@pytest.fixture(scope="module")
def built_site(generator: str, partnership_port: int, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"northshire-{generator}")
    return build_site_into(out, generator, partnership_port, "--settings", str(NORTHSHIRE))


@pytest.fixture(scope="module")
def site_url(built_site: Path, partnership_port: int) -> Iterator[str]:
    with serving(built_site, partnership_port) as url:
        yield url


def _html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_the_site_has_the_partnerships_name_contacts_reviews_and_colour(built_site: Path) -> None:
    home = _html(built_site, "")
    assert f"<title>Home - {SETTINGS.short_name}</title>" in home
    accessibility = _html(built_site, "about/accessibility/")
    assert re.search(r"<h1[^>]*>Accessibility statement for " + re.escape(SETTINGS.name), accessibility)
    for path in page_paths(built_site):
        assert "contact-placeholder" not in _html(built_site, path), f"{path or 'home'} shows a placeholder"
    police = SETTINGS.contacts["police"]["non_emergency"]
    assert police and f">{police}</a>" in home
    front_door = str(SETTINGS.contacts["front_door"]["name"]).split(" (")[0]  # "(MASH)" gets its abbreviation
    assert f'<span class="contact-detail">{front_door}' in home.replace("&#39;", "'")
    local = _html(built_site, "about/local-contacts/")
    assert f">{SETTINGS.contacts['exploitation_team']['email']}</a>" in local
    # Two years' review cycle: the chapters reviewed on 24 November 2026 are due in 2028.
    consent = _html(built_site, "understanding/consent/")
    assert 'Next review due: <time datetime="2028-11-24">24 November 2028</time>' in consent
    css = (built_site / "assets/stylesheets/partnership.css").read_text(encoding="utf-8")
    assert f"--md-primary-fg-color: {SETTINGS.colour};" in css
    assert "assets/stylesheets/partnership.css" in home
    assert f'<body data-exit-to="{EXIT_TO}"' in home
    assert "marked placeholders" not in accessibility, "no contact is missing, so none is said to be"
    privacy = _html(built_site, "about/privacy/")
    assert f"opens {SETTINGS.exit_to_name} in its place" in privacy and "BBC" not in privacy
    assert f'<noscript><p class="exit-this-page-no-script"><a href="{EXIT_TO}"' in home


def test_only_the_chosen_tools_and_chapters_are_published_and_nothing_links_to_the_others(built_site: Path) -> None:
    pages = page_paths(built_site)
    assert {p.split("/")[1] for p in pages if p.startswith("screening/") and p != "screening/"} == PUBLISHED
    assert {p.split("/")[1] for p in pages if p.startswith("local/")} == set(SETTINGS.local_chapters)
    gone = {f"/screening/{t}/" for t in NOT_PUBLISHED} | {f"/local/{c}/" for c in LOCAL_GONE}
    for path in pages:
        for href in HREF.findall(_html(built_site, path)):
            assert urljoin("/" + path, href) not in gone, f"{path or 'home'} links to {href}, which is not published"
    manifest = json.loads((built_site / "assets/engine/manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["protocols"]) == PUBLISHED
    assert "snapshot" in manifest, "the snapshot is made and verified from the published protocols"
    worker = (built_site / "sw.js").read_text(encoding="utf-8")
    for tool in NOT_PUBLISHED:
        assert tool not in worker, f"the service worker lists {tool}"
    for tool in PUBLISHED:
        assert f'"screening/{tool}/"' in worker
    index = _html(built_site, "trainers/cases/")
    header = re.search(r"<thead>(.*?)</thead>", index, re.S)
    assert header is not None and header.group(1).count("<th") == 1 + len(PUBLISHED)
    choice = _html(built_site, "screening/")
    assert "DfE step-by-step screening" not in choice and "Pan Lancashire screening" not in choice
    assert "The two screenings come from two documents" in choice and "Pan Lancashire counts" not in choice


def test_contacts_sit_beside_the_result_and_the_exit_button_goes_to_the_partnerships_site(
    visit: tuple[Any, Traffic], site_url: str
) -> None:
    page, traffic = visit
    page.context.route(EXIT_TO, lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"))
    page.goto(site_url + f"screening/{TOOL}/")
    header = page.locator(".md-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header == "rgb(0, 89, 79)", "the header takes the partnership's colour"
    table = next(t for t in case_tables() if t["protocol"] == TOOL)
    enter_answers(page, table["cases"][0]["answers"])
    page.wait_for_selector("[data-screening-level]", timeout=60_000)
    link = page.locator(".screening-result .screening-contacts-link a")
    assert link.is_visible()
    link.click()
    cards = page.locator("#who-to-contact ~ .admonition")
    number = SETTINGS.contacts["police"]["non_emergency"]
    assert cards.filter(has_text=f"Non-emergency number: {number}").count() == 1
    assert cards.locator("a[href^='tel:']").count() >= 3, "the numbers can be called from the page"
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(EXIT_TO)
    traffic.requests = [r for r in traffic.requests if not r[1].startswith(EXIT_TO)]


def test_shift_pressed_three_times_goes_to_the_partnerships_site(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, traffic = visit
    page.context.route(EXIT_TO, lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"))
    page.goto(site_url + "local/sandwell/")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_TO)
    traffic.requests = [r for r in traffic.requests if not r[1].startswith(EXIT_TO)]


def test_without_script_the_exit_link_goes_to_the_partnerships_site(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, service_workers="block")
    context.route(EXIT_TO, lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"))
    page = context.new_page()
    page.goto(site_url + f"screening/{TOOL}/")
    link = page.get_by_role("link", name="Exit this page")
    assert link.count() == 1 and link.is_visible()
    link.click()
    page.wait_for_url(EXIT_TO)
    context.close()


def test_the_partnerships_colour_and_contacts_pass_axe(browser: Any, site_url: str) -> None:
    """Three pages in the partnership's colour, with its contact cards, against WCAG 2.2 AA."""
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(path=str(AXE))
    failures: list[str] = []
    try:
        page = context.new_page()
        for path in ("", "about/local-contacts/", f"screening/{TOOL}/"):
            page.goto(site_url + path, wait_until="load")
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                TAGS,
            )
            failures += [f"/{path}: {v['id']}: {v['help']}" for v in result["violations"]]
    finally:
        context.close()
    assert not failures, "\n".join(failures)
