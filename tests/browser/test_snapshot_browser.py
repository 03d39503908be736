"""The engine's snapshot start in Chromium: it scores as the normal start does, and any
problem with the snapshot means the normal start, with the same results.

The shared ``visit`` context routes every request, which turns Chromium's HTTP cache off,
so there the snapshot is never "already on this device": these tests rewrite the served
manifest to let a first visit fetch it (``first_visit``, what ``CSE_SNAPSHOT=eager``
builds), and serve bad copies in its place (the head of the real snapshot, damaged or
marked as another build's, with the manifest's size to match). The first-visit design itself
(the start the link affords: on this machine's own link the snapshot fetched first; on a
throttled link, or when the browser asks to save data, the normal start, with the snapshot
fetched afterwards and used next time) is tested in contexts without routes.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import ENGINE_TIMEOUT_MS, Traffic, enter_answers, wait_for_level
from tests.helpers.repository import case_tables, one_case_per_level
from tests.helpers.site import one_generator

# How the worker starts (engine-start.js, the manifest, the snapshot) is the same under
# every generator: the first generator's build is enough.
pytestmark = [pytest.mark.browser, pytest.mark.site, one_generator]

TABLES = case_tables()
PAN_LANCASHIRE = next(t for t in TABLES if t["protocol"] == "pan-lancashire")
# Keeps how the engine started (the worker's timings, sent with the page's ready event).
PROBE = (
    'document.addEventListener("cse:engine-ready", (e) => { window.__engineStart = { ...e.detail, at: Date.now() }; });'
)
# The BUILD_ID that Pyodide checks sits in bytes 16 to 48 of a snapshot.
BUILD_ID_AT = 16

Manifest = dict[str, Any]


def serve_manifest(page: Any, change: Callable[[Manifest], None]) -> None:
    """Serve the build's engine manifest with ``change`` applied."""

    def handle(route: Any) -> None:
        response = route.fetch()
        manifest = response.json()
        change(manifest)
        route.fulfill(response=response, json=manifest)

    page.route("**/assets/engine/manifest.json", handle)


def first_visit_may_fetch(manifest: Manifest) -> None:
    manifest["snapshot"]["first_visit"] = True


def no_snapshot(manifest: Manifest) -> None:
    del manifest["snapshot"]


def engine_start(page: Any) -> dict[str, Any]:
    page.wait_for_function("() => window.__engineStart !== undefined", timeout=ENGINE_TIMEOUT_MS)
    return page.evaluate("() => window.__engineStart")  # type: ignore[no-any-return]


def score_each_level(page: Any, table: dict[str, Any]) -> list[str]:
    """Enter one case per level; return the result panel's text for each."""
    shown = []
    for case in one_case_per_level(table):
        enter_answers(page, case["answers"])
        wait_for_level(page, case["level"])
        shown.append(page.locator("[data-screening-output]").inner_text())
    return shown


def open_screening(page: Any, site_url: str, protocol: str) -> dict[str, Any]:
    page.add_init_script(PROBE)
    page.goto(f"{site_url}screening/{protocol}/")
    return engine_start(page)


@pytest.mark.parametrize("table", TABLES, ids=[t["protocol"] for t in TABLES])
def test_snapshot_start_reaches_every_level(visit: tuple[Any, Traffic], site_url: str, table: dict[str, Any]) -> None:
    page, _ = visit
    serve_manifest(page, first_visit_may_fetch)
    start = open_screening(page, site_url, table["protocol"])
    assert start["start"] == "snapshot", start
    assert start["snapshot_checked"] <= start["interpreter"]
    for text in score_each_level(page, table):
        assert "Why" in text and "What to do next" in text


def test_snapshot_and_normal_start_show_the_same_results(visit: tuple[Any, Traffic], site_url: str) -> None:
    page, _ = visit
    serve_manifest(page, first_visit_may_fetch)
    assert open_screening(page, site_url, "pan-lancashire")["start"] == "snapshot"
    from_snapshot = score_each_level(page, PAN_LANCASHIRE)

    normal = page.context.new_page()
    serve_manifest(normal, no_snapshot)
    start = open_screening(normal, site_url, "pan-lancashire")
    assert start["start"] == "normal" and start["fallback"] == "this build has no snapshot"
    assert score_each_level(normal, PAN_LANCASHIRE) == from_snapshot
    normal.close()


REASONS = {
    "corrupt": "does not match this build's manifest",  # the worker's own hash check
    "other-build": "build id mismatch",  # Pyodide's own check
    "missing": "HTTP 404",
}


# The head of the snapshot's memory is enough for either check, and keeps the routed bodies small.
HEAD_BYTES = 1 << 16


@pytest.fixture(scope="module")
def bad_snapshots(built_site: Path) -> dict[str, bytes]:
    """The head of the built snapshot's memory, packed as the build packs it: with 64 bytes of
    the packed file flipped (damaged), or with another build's BUILD_ID."""
    from build_scripts.snapshot import pack, unpack

    head = unpack(next((built_site / "assets" / "engine").glob("snapshot.*.bin")).read_bytes())[:HEAD_BYTES]
    corrupt = bytearray(pack(head))
    corrupt[-64:] = bytes(b ^ 0xFF for b in corrupt[-64:])
    other_build = bytearray(head)
    other_build[BUILD_ID_AT] ^= 0xFF
    return {"corrupt": bytes(corrupt), "other-build": pack(bytes(other_build))}


@pytest.mark.parametrize("kind", list(REASONS))
def test_a_bad_snapshot_falls_back_to_the_normal_start(
    visit: tuple[Any, Traffic], site_url: str, bad_snapshots: dict[str, bytes], kind: str
) -> None:
    page, _ = visit

    def change(manifest: Manifest) -> None:
        first_visit_may_fetch(manifest)
        if kind != "missing":
            manifest["snapshot"]["bytes"] = len(bad_snapshots[kind])
            manifest["snapshot"]["memory"] = HEAD_BYTES
        if kind == "other-build":  # hashed as served, so only Pyodide's BUILD_ID check can refuse it
            manifest["snapshot"]["sha256"] = hashlib.sha256(bad_snapshots[kind]).hexdigest()

    def serve(route: Any) -> None:
        if kind == "missing":
            route.fulfill(status=404, body="not found")
        else:
            route.fulfill(status=200, body=bad_snapshots[kind], content_type="application/octet-stream")

    serve_manifest(page, change)
    page.route("**/assets/engine/snapshot.*.bin", serve)
    start = open_screening(page, site_url, "pan-lancashire")
    assert start["start"] == "normal", start
    assert REASONS[kind].lower() in start["fallback"].lower(), start
    assert len(score_each_level(page, PAN_LANCASHIRE)) == len(one_case_per_level(PAN_LANCASHIRE))


# A slow shared connection, as the benchmark throttles it: 5 Mbit/s down, 40 ms round trip.
THROTTLED = {"offline": False, "latency": 40, "downloadThroughput": 625_000, "uploadThroughput": 312_500}
UNTHROTTLED = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


def network(page: Any, conditions: dict[str, Any]) -> Any:
    """Chromium's network emulation for this page and its workers (CDP)."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", conditions)
    return session


def test_a_first_visit_on_a_fast_link_fetches_the_snapshot_first(browser: Any, site_url: str) -> None:
    """This machine's own link measures far over the break-even: the snapshot is fetched and restored."""
    context = browser.new_context(service_workers="block")
    snapshots: list[str] = []
    # Snapshot requests that completed (the worker's probe of the HTTP cache fails instead).
    context.on("requestfinished", lambda r: snapshots.append(r.url) if "/assets/engine/snapshot." in r.url else None)
    page = context.new_page()
    try:
        first = open_screening(page, site_url, "pan-lancashire")
        assert first["choice"] == "snapshot", first
        assert first["start"] == "snapshot" and "fallback" not in first, first
        assert first["choice_reason"].startswith("the link measured "), first
        assert "at or over the 26 Mbit/s" in first["choice_reason"], first
        assert first["link_measured"] <= first["snapshot_read"] <= first["interpreter"], first
        assert len(snapshots) == 1, snapshots
        assert len(score_each_level(page, PAN_LANCASHIRE)) == len(one_case_per_level(PAN_LANCASHIRE))
    finally:
        context.close()


def test_a_first_visit_that_chose_the_snapshot_starts_normally_when_it_is_missing(
    visit: tuple[Any, Traffic], site_url: str
) -> None:
    """The choice made, the snapshot answers 404: the normal start, with the standard library
    fetched once (the response timed for the choice is the one Pyodide starts from)."""
    page, traffic = visit
    page.route("**/assets/engine/snapshot.*.bin", lambda route: route.fulfill(status=404, body="not found"))
    start = open_screening(page, site_url, "pan-lancashire")
    assert start["choice"] == "snapshot", start
    assert start["start"] == "normal" and "HTTP 404" in start["fallback"], start
    assert traffic.count("/assets/pyodide/python_stdlib.zip") == 1
    assert len(score_each_level(page, PAN_LANCASHIRE)) == len(one_case_per_level(PAN_LANCASHIRE))


def test_a_first_visit_that_asks_to_save_data_starts_normally(browser: Any, site_url: str) -> None:
    """Save-Data (Chromium's data saver, emulated) means the normal start and no snapshot at all."""
    context = browser.new_context(service_workers="block")
    snapshots: list[str] = []
    # Snapshot requests that completed (the worker's probe of the HTTP cache fails instead).
    context.on("requestfinished", lambda r: snapshots.append(r.url) if "/assets/engine/snapshot." in r.url else None)
    page = context.new_page()
    try:
        session = context.new_cdp_session(page)
        session.send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
        first = open_screening(page, site_url, "pan-lancashire")
        assert first["choice"] == "normal" and first["choice_reason"] == "the browser asks to save data", first
        assert first["start"] == "normal" and first["fallback"] == "the snapshot is not on this device yet", first
        page.locator("#item-bereavement").check()
        wait_for_level(page, "level-2")
        page.wait_for_timeout(3000)  # past the moment the snapshot is fetched for next time
        assert snapshots == [], "the snapshot was fetched although the browser asks to save data"
    finally:
        context.close()


def test_first_visit_starts_normally_and_the_next_visit_restores(browser: Any, site_url: str) -> None:
    """On a throttled link a first visit takes the normal start; the snapshot comes once the
    engine is ready and serves the next visit. No routes here, so Chromium's HTTP cache works
    as on a reader's device (service worker off)."""
    context = browser.new_context(service_workers="block")
    requested: list[str] = []
    fetched: list[Any] = []  # snapshot requests that completed (the worker's cache probe fails instead)
    context.on("request", lambda request: requested.append(request.url))
    context.on("requestfinished", lambda r: fetched.append(r) if "/assets/engine/snapshot." in r.url else None)
    page = context.new_page()
    try:
        session = network(page, THROTTLED)
        first = open_screening(page, site_url, "pan-lancashire")
        assert first["choice"] == "normal", first
        assert first["choice_reason"].startswith("the link measured "), first
        assert "under the 26 Mbit/s" in first["choice_reason"] and first["link_mbps"] < 26, first
        assert first["start"] == "normal" and first["fallback"] == "the snapshot is not on this device yet"
        session.send("Network.emulateNetworkConditions", UNTHROTTLED)  # the snapshot for next time, quickly
        page.locator("#item-bereavement").check()
        wait_for_level(page, "level-2")
        deadline = time.monotonic() + ENGINE_TIMEOUT_MS / 1000
        while not fetched and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        assert len(fetched) == 1, "the snapshot was not fetched after the engine was ready"
        assert fetched[0].timing["startTime"] >= first["at"], "the snapshot was fetched before the engine was ready"

        page.reload()
        second = engine_start(page)
        assert second["start"] == "snapshot", second
        page.locator("#item-bereavement").check()
        wait_for_level(page, "level-2")
        assert all(url.startswith(site_url) for url in requested)
    finally:
        context.close()
