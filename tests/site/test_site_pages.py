"""The site's own pages and the local contacts: what they must say, and that every contact
detail shown comes from the partnership's settings."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import pytest

from build_scripts.partnership import CONTACT_FIELDS, Partnership, read_partnership
from tests.helpers.repository import ROOT
from tests.helpers.site_text import Page, normalise

# Local contacts -----------------------------------------------------------------------------


PHONE = re.compile(r"(?<![\d.])(?:\+44\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)|\b(?:999|101|111)\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def shown_contact(settings: Partnership, group: str, name: str) -> str:
    """What the pages show for a contact detail: the settings' detail, or its placeholder."""
    return settings.contacts[group][name] or CONTACT_FIELDS[group][name][1]


@pytest.mark.site
def test_every_contact_detail_comes_from_the_settings(pages: dict[str, Page]) -> None:
    """A number or address on the site is one the partnership's settings give (or 999)."""
    settings = read_partnership()
    given = {value for fields in settings.contacts.values() for value in fields.values() if value}
    # "call the police on 999" is the site's own wording for immediate danger (issue 4), the
    # national emergency number, not a local contact; any other number must be a setting.
    found = [
        f"{url}: {m.group(0)}"
        for url, page in pages.items()
        for pattern in (PHONE, EMAIL)
        for m in pattern.finditer(page.text.replace("call the police on 999", ""))
        if m.group(0) not in given
    ]
    assert not found, "contact details that the settings do not give:\n" + "\n".join(found)


@pytest.mark.site
def test_contacts_come_from_the_settings_through_the_one_contacts_file(pages: dict[str, Page]) -> None:
    source = (ROOT / "includes" / "contacts.md").read_text(encoding="utf-8")
    sections = re.findall(r"\[start:([\w-]+)\]", source)
    assert {"police", "front-door", "mash", "engage", "sandwell-cse-team", "rise", "agency-lead"} <= set(sections)
    for name in sections:
        text = re.search(rf"\[start:{name}\] -->(.*?)<!-- --8<-- \[end:{name}\]", source, re.S)
        assert text and "{{ contacts." in text.group(1), f"contact {name} shows no detail from the settings"
    settings = read_partnership()
    police = shown_contact(settings, "police", "non_emergency")
    front_door = shown_contact(settings, "front_door", "name")
    assert shown_contact(settings, "mash", "telephone") in pages["about/local-contacts/"].text
    for url in ("", "responding/referral/"):
        text = normalise(pages[url].text)
        assert normalise(police) in text and normalise(front_door) in text, f"{url or 'home'} shows no contact card"
    # A placeholder shows only where the settings give no detail.
    empty = {placeholder for group, fields in CONTACT_FIELDS.items() for name, (_, placeholder) in fields.items()
             if not settings.contacts[group][name]}  # fmt: skip
    for url, page in pages.items():
        source = page.path.read_text(encoding="utf-8")
        for placeholder in re.findall(r'class="contact-placeholder">(.*?)</span>', source):
            shown = html.unescape(re.sub(r"<[^>]+>", "", placeholder))  # an abbreviation in it is marked up
            assert shown in empty, f"{url}: the placeholder {shown!r} shows where a detail is given"
    # The pages draw contacts in; they do not repeat them.
    for path in (ROOT / "docs").rglob("*.md"):
        assert "contact-placeholder" not in path.read_text(encoding="utf-8"), f"{path} writes a contact out"


# Privacy, offline use and the accessibility statement ----------------------------------------

ABOUT_SITE_PAGES = {
    "about/privacy/": [
        "Privacy: what happens to your answers",
        "What does this site collect?",
        "Where do my answers go?",
        "Are my answers stored on this device?",
        "How do I clear my answers?",
        "Exit this page",
        "What does the saved summary contain?",
        "What to record where",
        "Are answers kept in the offline copy?",
        "Does this site use cookies?",
        "Who can I contact?",
    ],
    "about/offline/": [
        "Using this site offline",
        "What works offline?",
        "Keep the screening tools for offline use",
        "Is anything about a child kept?",
        "Is the offline copy up to date?",
        "How do I remove the offline copy?",
    ],
    # The sections of the model accessibility statement for UK public sector websites.
    "about/accessibility/": [
        f"Accessibility statement for {read_partnership().name}",
        "Using this website",
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "How we tested this website",
        "Preparation of this accessibility statement",
    ],
}

OFFLINE_BUTTON = (
    '<button type="button" class="md-button" data-offline-keep aria-controls="offline-status" hidden>'
    "Keep the screening tools for offline use</button>"
)


@pytest.mark.site
@pytest.mark.parametrize("url", sorted(ABOUT_SITE_PAGES))
def test_about_the_site_pages_have_their_headings(pages: dict[str, Page], url: str) -> None:
    assert url in pages, f"{url} is not in the built site"
    missing = [h for h in ABOUT_SITE_PAGES[url] if h not in pages[url].headings]
    assert not missing, f"{url} lacks the headings {missing}; it has {pages[url].headings}"


@pytest.mark.site
def test_privacy_page_says_what_happens_to_the_answers(pages: dict[str, Page]) -> None:
    text = pages["about/privacy/"].text
    for passage in (
        "your answers stay on your device",
        "special category data under UK data protection law",
        "Clear answers",
        "press the Shift key 3 times within 5 seconds",
        "pressing the browser's Back button goes to the page you were on before this site, not to any page of it",
        "It does not delete your browser's history",
        "Record the child's identifier in your own case record, not in the tool",
        "printed or saved copies may be out of date",
        "The site sets no cookies",
    ):
        assert normalise(passage) in normalise(text), f"privacy page does not say {passage!r}"
    assert shown_contact(read_partnership(), "site_owner", "name") in text, "privacy page has no contact card"
    assert any(link.endswith("offline/") for link in pages["about/privacy/"].links)


@pytest.mark.site
def test_offline_page_has_the_keep_button_and_its_status(pages: dict[str, Page]) -> None:
    html = pages["about/offline/"].path.read_text(encoding="utf-8")
    assert OFFLINE_BUTTON in html
    assert '<p id="offline-status" role="status"></p>' in html
    assert normalise("clear the site data for this site") in normalise(pages["about/offline/"].text)


@pytest.mark.site
def test_accessibility_statement_says_what_the_model_statement_asks(pages: dict[str, Page]) -> None:
    page = pages["about/accessibility/"]
    text = normalise(page.text)
    for passage in (
        "This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard",
        "The Equality and Human Rights Commission is responsible for enforcing",
        "Equality Advisory and Support Service",
        "axe-core",
        "using the keyboard alone",
        "This statement was prepared on 24 November 2026",
    ):
        assert normalise(passage) in text, f"accessibility statement does not say {passage!r}"
    email = shown_contact(read_partnership(), "accessibility", "email")
    assert email in page.text, "accessibility statement has no contact card"
    assert page.abbrs.get("AA"), "the conformance level has no meaning on hover"


@pytest.mark.site
def test_privacy_and_offline_pages_are_linked_from_home_and_screening(pages: dict[str, Page]) -> None:
    for url in ("", "screening/"):
        links = [urljoin("/" + url, link) for link in pages[url].links]
        assert "/about/privacy/" in links, f"{url or 'home'} does not link to the privacy page"
    home_links = [urljoin("/", link) for link in pages[""].links]
    assert "/about/offline/" in home_links and "/about/accessibility/" in home_links


# Landing page -------------------------------------------------------------------------------


@pytest.mark.site
def test_landing_page_answers_what_to_do_now(pages: dict[str, Page]) -> None:
    home = pages[""]
    assert any("worried about a child" in h for h in home.headings)
    for target in ("responding/step-by-step/", "understanding/indicators/", "screening/", "responding/referral/"):
        assert any(link.startswith(target) for link in home.links), f"home page has no link to {target}"
