"""A screening saved to a file, opened again and compared, in Chromium, on every screening page.

By keyboard at a phone's and a small laptop's width: answer, Save (a real download), reload,
open the file (the file picker, and a file dropped on the page), find the same answers and
level, change an answer and see what changed, print and find the comparison and the history.
Opening a file makes no request; nothing is left on the device. Bad files each give their
one message, in the engine's words, and leave the form exactly as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from screening.json_api import save_record_json
from screening.record import BEGIN, END, MESSAGES
from tests.helpers.browser import ENGINE_TIMEOUT_MS, Traffic, origin, tab_to
from tests.helpers.site import chosen_generators, one_generator

pytestmark = [pytest.mark.browser, pytest.mark.site]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PROTOCOLS = ["pan-lancashire", "sandwell-nwg", "all-wales-seraf", "dfe-step-by-step"]
WIDTHS = {"phone": (390, 844), "laptop": (1024, 768)}
WRONG_PASSPHRASE = (
    "The passphrase is not the one this file was protected with, or the file has been changed since it was"
    " saved. Check the passphrase and try again."
)

# Every control of the screening form, as it stands: what must come back exactly.
FORM_STATE = """() => [...document.querySelectorAll('#screening-form input, #screening-form textarea')]
    .map((e) => [e.id, e.type === 'checkbox' || e.type === 'radio' ? e.checked : e.value])"""

ONE_ANSWER = "() => document.querySelector('[data-screening-status]').textContent.includes('1 answer')"

DROP = """(text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'saved.txt', { type: 'text/plain' }));
    const zone = document.querySelector('[data-screening-open]');
    for (const type of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
}"""


@pytest.fixture()
def record_page(browser: Any, site_url: str, request: pytest.FixtureRequest) -> Iterator[tuple[Any, Traffic]]:
    """A fresh context with axe loaded (the policy is bypassed only to let axe in), every
    request recorded; afterwards nothing may have left the machine or stayed on the device."""
    width, height = WIDTHS[getattr(request, "param", "laptop")]
    context = browser.new_context(
        bypass_csp=True, service_workers="block", accept_downloads=True, viewport={"width": width, "height": height}
    )
    context.add_init_script(path=str(AXE))
    traffic = Traffic(origin(site_url))
    context.on("request", lambda r: traffic.requests.append((r.method, r.url)))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, traffic
    assert traffic.offsite() == [] and traffic.not_get() == []
    stored = page.evaluate(
        """async () => ({local: Object.keys(localStorage), session: Object.keys(sessionStorage),
            idb: (await indexedDB.databases()).map((db) => db.name), caches: await caches.keys()})"""
    )
    assert stored == {"local": [], "session": [], "idb": [], "caches": []}, "something stayed on the device"
    assert errors == []
    context.close()


def axe_violations(page: Any) -> list[str]:
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]


def scored(page: Any) -> str:
    page.wait_for_selector("[data-screening-level]", timeout=ENGINE_TIMEOUT_MS)
    return str(page.locator("[data-screening-level]").get_attribute("data-screening-level"))


@pytest.mark.parametrize("record_page", list(WIDTHS), indirect=True)
def test_save_reload_open_and_compare_on_every_screening(
    record_page: tuple[Any, Traffic], site_url: str, generator: str, tmp_path: Path
) -> None:
    """Each protocol under the first generator; one under the others, whose frame is all that differs."""
    page, traffic = record_page
    protocols = PROTOCOLS if generator == chosen_generators()[0] else PROTOCOLS[:1]
    saved = tmp_path / "saved.txt"
    for number, protocol in enumerate(protocols):
        page.goto(f"{site_url}screening/{protocol}/")
        boxes = page.locator(".screening-form input[type=checkbox][data-item]")
        first, second = boxes.nth(0).get_attribute("id"), boxes.nth(1).get_attribute("id")
        tab_to(page, f"#{first}")
        page.keyboard.press("Space")
        tab_to(page, f"#{first}-seen")
        page.keyboard.type("At the station, 3 May")
        tab_to(page, "#record-child")
        page.keyboard.type("AB/12 x")
        page.wait_for_function(ONE_ANSWER)
        level = scored(page)
        state = page.evaluate(FORM_STATE)

        tab_to(page, "[data-screening-save-button]")
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        name = download.value.suggested_filename
        assert re.fullmatch(rf"{protocol}-\d{{4}}-\d\d-\d\d-AB-12-x\.txt", name), name
        download.value.save_as(saved)
        text = saved.read_text(encoding="utf-8")
        assert text.startswith("CSE screening record\n") and "At the station, 3 May" in text

        page.reload()
        scored(page)
        assert page.evaluate(FORM_STATE) != state
        before = len(traffic.requests)
        if number % 2:
            page.evaluate(DROP, text)
        else:
            page.set_input_files("#screening-open-file", saved)
        page.wait_for_selector("[data-section='since']", timeout=ENGINE_TIMEOUT_MS)
        # The engine's own warm-up of its start-up snapshot, a few seconds after a start
        # (engine-start.js, keepForNextVisit), may fall in this time; nothing else may.
        made = [url for _, url in traffic.requests[before:] if "/assets/engine/snapshot." not in url]
        assert made == [], "opening a file made a request"
        assert page.evaluate(FORM_STATE) == state
        assert scored(page) == level
        assert "Opened the screening saved on" in page.locator("[data-screening-open-status]").inner_text()
        assert page.locator("[data-screening-history] tbody tr").count() == 2
        assert axe_violations(page) == []

        label = page.locator(f"label[for='{second}']").inner_text().strip()
        tab_to(page, f"#{second}")
        page.keyboard.press("Space")
        new = page.locator("[data-screening-output] [data-section='since'] li", has_text="New since then")
        new.filter(has_text=label).wait_for(timeout=ENGINE_TIMEOUT_MS)

        page.emulate_media(media="print")
        try:
            assert page.locator(".screening-print [data-section='since']").filter(has_text=label).is_visible()
            assert page.locator(".screening-print [data-section='history']").is_visible()
        finally:
            page.emulate_media(media="screen")

    # The index reads the file here and opens it on its screening's page.
    page.goto(f"{site_url}screening/")
    page.set_input_files("#screening-index-open-file", saved)
    page.wait_for_url(f"**/screening/{protocols[-1]}/", timeout=30_000)
    page.wait_for_selector("[data-section='since']", timeout=ENGINE_TIMEOUT_MS)


def _record(protocol: dict[str, Any], request: dict[str, Any], at: str, previous: str | None = None) -> str:
    site = json.dumps({"name": "Test", "url": "http://127.0.0.1/"})
    asked = {**request, **({"previous": previous} if previous else {})}
    reply = json.loads(save_record_json(json.dumps(protocol), json.dumps(asked), at, site))
    assert reply["ok"], reply
    return str(reply["file"]["text"])


def _edited(text: str, change: Any) -> str:
    head, _, rest = text.partition(f"\n{BEGIN}\n")
    data, _, tail = rest.partition(f"\n{END}\n")
    changed = json.loads(data)
    change(changed)
    return f"{head}\n{BEGIN}\n{json.dumps(changed, indent=2)}\n{END}\n{tail}"


@one_generator
def test_a_bad_file_gives_its_one_message_and_leaves_the_form_as_it_was(
    record_page: tuple[Any, Traffic], site_url: str, protocol_data: dict[str, Any]
) -> None:
    page, _ = record_page
    pan, sandwell = protocol_data["pan-lancashire"], protocol_data["sandwell-nwg"]
    good = _record(pan, {"answers": {"phones": True}}, "2026-12-07T18:00:00Z")
    two = _record(pan, {"answers": {"sexting": True}}, "2027-03-07T09:30:00Z", good)

    def set_key(*path: Any) -> Any:
        def change(data: dict[str, Any]) -> None:
            target = data
            for key in path[:-2]:
                target = target[key]
            target[path[-2]] = path[-1]

        return change

    bad = [
        ("a note", "Call the school on Monday.\n", MESSAGES["not-a-record"]),
        (
            "another protocol's record",
            _record(sandwell, {"answers": {}}, "2026-12-07T18:00:00Z"),
            MESSAGES["other-protocol"].format(title=sandwell["title"], current=pan["title"]) + " Go to that screening",
        ),
        ("newer", _edited(good, set_key("format_version", 2)), MESSAGES["newer"].format(found=2, known=1)),
        (
            "cut short",
            good[: good.index(END)],
            MESSAGES["unreadable"].format(detail="the end of the screening data is missing"),
        ),
        ("over 2 MB", good + "x" * 2_000_001, MESSAGES["too-large"]),
        (
            "answers the protocol does not have",
            _edited(good, set_key("screenings", 0, "request", "answers", "zzz", True)),
            MESSAGES["unknown-answers"].format(title=pan["title"], version=pan["version"], answers="'zzz'"),
        ),
        (
            "history out of date order",
            _edited(two, set_key("screenings", 1, "saved", "2026-11-01T08:00:00Z")),
            MESSAGES["out-of-order"].format(
                number=2, date="1 November 2026, 08:00 UTC", before="7 December 2026, 18:00 UTC"
            ),
        ),
    ]
    page.goto(f"{site_url}screening/pan-lancashire/")
    page.check("#item-bereavement")
    page.fill("#item-bereavement-seen", "Grandmother died in May")
    page.wait_for_function(ONE_ANSWER)
    state = page.evaluate(FORM_STATE)
    error = page.locator("[data-screening-open-error]")
    for name, text, message in bad:
        page.set_input_files(
            "#screening-open-file", files=[{"name": "x.txt", "mimeType": "text/plain", "buffer": text.encode()}]
        )
        error.filter(has_text=message[:60]).wait_for(timeout=ENGINE_TIMEOUT_MS)
        assert error.inner_text().strip() == message, name
        assert page.evaluate(FORM_STATE) == state, name
        assert page.locator("[data-section='since']").count() == 0, name
        if name == "another protocol's record":
            assert error.locator("a").get_attribute("href", timeout=1000).endswith("/screening/sandwell-nwg/")
            assert axe_violations(page) == []

    # A protected file: the wrong passphrase is refused, the right one opens it.
    sealed = page.evaluate(
        """async (text) => (await import(new URL('../../assets/javascripts/screening-seal.js', location.href)))
            .seal(text, 'a long passphrase', {protocol: 'pan-lancashire', title: 'Pan Lancashire', site: 'Test'})""",
        good,
    )
    assert "phones" not in sealed
    page.set_input_files(
        "#screening-open-file", files=[{"name": "x.txt", "mimeType": "text/plain", "buffer": sealed.encode()}]
    )
    page.locator("#screening-open-passphrase").wait_for()
    page.keyboard.type("a wrong passphrase")
    page.keyboard.press("Enter")
    error.filter(has_text="passphrase is not").wait_for(timeout=30_000)
    assert error.inner_text().strip() == WRONG_PASSPHRASE
    assert page.evaluate(FORM_STATE) == state
    assert axe_violations(page) == []
    page.fill("#screening-open-passphrase", "a long passphrase")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-section='since']", timeout=ENGINE_TIMEOUT_MS)
    assert page.is_checked("#item-phones") and not page.is_checked("#item-bereavement")
    assert error.is_hidden()

    # Moving to another page of the site and back keeps the opened record, in memory only.
    page.locator(".md-content a[href*='#which-screening-to-use']").first.click()
    page.wait_for_url("**/screening/#which-screening-to-use")
    page.go_back()
    page.wait_for_selector("[data-screening-output] [data-section='since']", timeout=ENGINE_TIMEOUT_MS)
    assert page.is_checked("#item-phones")


@pytest.mark.parametrize("record_page", ["phone"], indirect=True)
def test_saved_without_the_engine_and_opened_with_it(
    record_page: tuple[Any, Traffic], site_url: str, tmp_path: Path
) -> None:
    """The engine cannot start: Save still gives the file, with every answer and the level not
    worked out; opened where the engine runs, every answer comes back and the level is worked out."""
    page, _ = record_page
    page.context.route("**/screening-worker.js", lambda route: route.abort())
    page.goto(f"{site_url}screening/all-wales-seraf/")
    page.get_by_text("Scoring is unavailable").wait_for(timeout=10_000)
    tab_to(page, "#item-vuln-care")
    page.keyboard.press("Space")
    tab_to(page, "#item-vuln-care-seen")
    page.keyboard.type("Moved placement, 2 May")
    tab_to(page, "#item-sig-missing-overnight-not-present")
    page.keyboard.press("ArrowDown")
    assert page.is_checked("#item-sig-missing-overnight-current")
    tab_to(page, "#strengths")
    page.keyboard.type("Talks to her youth worker.")
    tab_to(page, "#judgement-computed")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#judgement-reason")
    page.keyboard.type("Known to the team")
    tab_to(page, "#record-child")
    page.keyboard.type("SW/77")
    state = page.evaluate(FORM_STATE)
    assert not page.locator("[data-screening-level]").count(), "no level was worked out"

    files = {}
    for passphrase in ("", "a long passphrase"):
        if passphrase:
            tab_to(page, "#screening-save-passphrase")
            page.keyboard.type(passphrase)
            tab_to(page, "#screening-save-repeat")
            page.keyboard.type(passphrase)
        tab_to(page, "[data-screening-save-button]")
        with page.expect_download(timeout=10_000) as download:
            page.keyboard.press("Enter")
        name = download.value.suggested_filename
        assert re.fullmatch(r"all-wales-seraf-\d{4}-\d\d-\d\d-SW-77\.txt", name), name
        files[passphrase] = tmp_path / f"saved{len(files)}.txt"
        download.value.save_as(files[passphrase])
        status = page.locator("[data-screening-save-status]").inner_text()
        assert f"Saved as {name}" in status and "the file says the level was not worked out" in status
    text = files[""].read_text(encoding="utf-8")
    assert text.startswith("CSE screening record\n")
    for words in ["level not worked out on this device", "Moved placement, 2 May", "Child's reference: SW/77"]:
        assert words in text, words
    sealed = files["a long passphrase"].read_text(encoding="utf-8")
    assert "Moved placement" not in sealed and "SW/77" not in sealed
    assert axe_violations(page) == []

    # Where the engine runs: the file opens with every answer, and the level is worked out.
    page.context.unroute("**/screening-worker.js")
    page.reload()
    scored(page)
    page.set_input_files("#screening-open-file", files[""])
    page.wait_for_selector("[data-section='since']", timeout=ENGINE_TIMEOUT_MS)
    assert page.evaluate(FORM_STATE) == state
    assert scored(page)
    since = page.locator("[data-screening-output] [data-section='since']").inner_text()
    assert "level not worked out on this device" in since
    assert "no change of level can be shown" in since
    rows = page.locator("[data-screening-history] tbody tr")
    assert rows.count() == 2
    assert "Not worked out on this device" in rows.nth(0).inner_text()
    assert page.locator("[data-screening-history] svg .screening-timeline__unknown").count() == 1
    assert axe_violations(page) == []

    # The protected copy opens with its passphrase, to the same answers.
    page.reload()
    scored(page)
    page.set_input_files("#screening-open-file", files["a long passphrase"])
    page.locator("#screening-open-passphrase").wait_for()
    page.keyboard.type("a long passphrase")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-section='since']", timeout=ENGINE_TIMEOUT_MS)
    assert page.evaluate(FORM_STATE) == state
