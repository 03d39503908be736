"""Redeploys in Chromium against nginx: a site deployed ten days ago, an open tab controlled
by its service worker, then a new build. Two hosts: one with no Cache-Control (the worst
common caching), and one with deploy/nginx.conf and a rewrite rule that answers every
missing path with the home page (200, HTML), the worst common answer for a missing file.

A rebuild is simulated on a copy of the built site: a chapter's text edited, a protocol
file renamed to a new content hash (as a changed protocol is), the service worker
rewritten by the build's own function. That proves the worker's logic without a second
full build."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from build_scripts.offline import write_service_worker
from build_scripts.partnership import read_partnership
from tests.helpers.browser import ENGINE_TIMEOUT_MS
from tests.helpers.nginx_server import Nginx, copy_site, without_copies
from tests.helpers.site import one_generator
from tools.browser import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.site]

CHAPTER = "understanding/consent/"
MARKER = '<p id="redeployed">This paragraph was added by a later deploy.</p>'


def _touch(path: Path) -> None:
    os.utime(path, None)  # a rebuilt file: modified now


def redeploy(root: Path, *, worker: bool = True) -> str:
    """Edit a chapter and change a protocol's hashed name in ``root``; rewrite sw.js. The
    build's compressed copies are taken out, as a build writes them anew for changed files."""
    without_copies(root)
    page = root / CHAPTER / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", "</h1>\n" + MARKER, 1), encoding="utf-8")
    _touch(page)
    old = next((root / "assets/engine/protocols").glob("pan-lancashire.*.json"))
    digest = hashlib.sha256(old.name.encode() + b"changed").hexdigest()[:12]
    new = old.with_name(f"pan-lancashire.{digest}.json")
    old.rename(new)
    _touch(new)
    for path in [*root.rglob("*.html"), root / "assets/engine/manifest.json"]:
        text = path.read_text(encoding="utf-8")
        if old.name in text:
            path.write_text(text.replace(old.name, new.name), encoding="utf-8")
            _touch(path)
    if not worker:
        (root / "sw.js").unlink()
        return ""
    version = write_service_worker(root)
    _touch(root / "sw.js")
    return version


def listed(root: Path) -> list[str]:
    text = (root / "sw.js").read_text(encoding="utf-8")
    paths: list[str] = []
    for name in ("SITE_FILES", "RUNTIME_FILES"):
        match = re.search(rf"const {name} = (\[.*?\]);", text, re.S)
        assert match, name
        paths += json.loads(match.group(1))
    return paths


def _version(root: Path) -> str:
    match = re.search(r'const VERSION = "([0-9a-f]+)";', (root / "sw.js").read_text(encoding="utf-8"))
    assert match
    return match.group(1)


def open_controlled_tab(browser: Any, base: str) -> tuple[Any, Any]:
    """A reader's tab on the old deploy, with its service worker installed and in charge."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + CHAPTER)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    assert page.locator("#redeployed").count() == 0
    return context, page


def shows_new_page_within_two_navigations(page: Any, base: str) -> bool:
    for _ in range(2):
        page.goto(base + CHAPTER)
        if page.locator("#redeployed").count():
            return True
    return False


def cache_names(page: Any) -> list[str]:
    return sorted(page.evaluate("caches.keys()"))


def wait_for_caches(page: Any, names: list[str], timeout_s: float = 60) -> None:
    """Poll the Cache API until it holds exactly ``names``."""
    deadline = time.monotonic() + timeout_s
    while cache_names(page) != names:
        assert time.monotonic() < deadline, f"the caches are {cache_names(page)}, not {names}"
        page.wait_for_timeout(250)


def settled(page: Any) -> None:
    """Wait until no new worker is installing or waiting (installed, or failed and gone)."""
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r && r.update()).catch(() => null)")
    wait_until(
        page,
        "navigator.serviceWorker.getRegistration().then((r) => !r || (r.installing === null && r.waiting === null))",
    )


@pytest.fixture()
def old_deploy(nginx: Nginx, built_site: Path) -> tuple[str, Path]:
    """The built site on the host without Cache-Control, every file ten days old."""
    root = copy_site(built_site, nginx.roots["no_cache_headers"])
    return nginx.url("no_cache_headers"), root


HOSTS = ["no_cache_headers", "rewrite"]


@pytest.fixture()
def deploy_on(nginx: Nginx, built_site: Path, request: pytest.FixtureRequest) -> tuple[str, Path]:
    """The built site, every file ten days old, on the host the test is parametrized with."""
    host = str(request.param)
    return nginx.url(host), copy_site(built_site, nginx.roots[host])


def test_an_open_tab_shows_a_redeploy_and_scores_with_it(browser: Any, old_deploy: tuple[str, Path]) -> None:
    base, root = old_deploy
    context, page = open_controlled_tab(browser, base)
    old_protocol = next((root / "assets/engine/protocols").glob("pan-lancashire.*.json")).name
    version = redeploy(root)
    assert not (root / "assets/engine/protocols" / old_protocol).exists()
    assert shows_new_page_within_two_navigations(page, base)
    page.goto(base + "screening/pan-lancashire/")
    page.locator("#item-phones").check()
    page.wait_for_selector("[data-screening-level='level-4']", timeout=ENGINE_TIMEOUT_MS)
    # The new build's worker takes over, with the new page in its cache, and the old cache goes.
    wait_for_caches(page, [f"cse-site-{version}"])
    cached = page.evaluate(
        """async (url) => (await (await caches.match(url)).text())""",
        base + CHAPTER,
    )
    assert MARKER in cached
    context.close()


def test_a_file_missing_from_a_deploy_neither_pins_the_old_build_nor_leaves_half_a_cache(
    browser: Any, old_deploy: tuple[str, Path]
) -> None:
    base, root = old_deploy
    old_version = _version(root)
    context, page = open_controlled_tab(browser, base)
    kept = page.evaluate("async (name) => (await (await caches.open(name)).keys()).length", f"cse-site-{old_version}")
    new_version = redeploy(root)
    assert "about/glossary/" in json.loads(
        re.search(r"const SITE_FILES = (\[.*?\]);", (root / "sw.js").read_text(), re.S).group(1)  # type: ignore[union-attr]
    )
    (root / "about/glossary/index.html").unlink()  # listed by the new worker, missing from the deploy
    assert shows_new_page_within_two_navigations(page, base)
    # Let the new worker try to install, and fail.
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update()).catch(() => null)")
    wait_until(
        page, "navigator.serviceWorker.getRegistration().then((r) => r.installing === null && r.waiting === null)"
    )
    assert cache_names(page) == [f"cse-site-{old_version}"], f"no trace of cse-site-{new_version} may be left"
    after = page.evaluate("async (name) => (await (await caches.open(name)).keys()).length", f"cse-site-{old_version}")
    assert after >= kept  # the old build's copy is still whole for offline use
    page.goto(base + "screening/pan-lancashire/")  # and the screening works with the new files
    page.locator("#item-phones").check()
    page.wait_for_selector("[data-screening-level='level-4']", timeout=ENGINE_TIMEOUT_MS)
    context.close()


@pytest.mark.parametrize("deploy_on", HOSTS, indirect=True)
def test_a_deploy_without_the_worker_retires_it(browser: Any, deploy_on: tuple[str, Path]) -> None:
    """On the rewrite host, sw.js is then answered with the home page (200, HTML)."""
    base, root = deploy_on
    context, page = open_controlled_tab(browser, base)
    assert cache_names(page)
    redeploy(root, worker=False)
    assert shows_new_page_within_two_navigations(page, base)
    wait_until(page, "navigator.serviceWorker.getRegistrations().then((all) => all.length === 0)")
    wait_until(page, "caches.keys().then((names) => names.length === 0)")
    page.close()  # once the tab that still uses it has gone, nothing of it is left
    fresh = context.new_page()
    fresh.goto(base + CHAPTER)
    wait_until(fresh, "navigator.serviceWorker.getRegistrations().then((all) => all.length === 0)")
    fresh.goto(base + CHAPTER)
    assert fresh.evaluate("navigator.serviceWorker.controller") is None
    assert fresh.locator("#redeployed").count() == 1
    context.close()


def test_a_rebuild_with_no_change_keeps_the_readers_cache(browser: Any, old_deploy: tuple[str, Path]) -> None:
    """Same content, new file dates (a rebuild uploaded again): the same sw.js, so no reinstall.

    That holds only if the build writes byte-identical files for the same content (the
    version is a digest of every file): here the files are the same bytes by construction.
    """
    base, root = old_deploy
    version = _version(root)
    context, page = open_controlled_tab(browser, base)
    count = "async (name) => (await (await caches.open(name)).keys()).length"
    before = page.evaluate(count, f"cse-site-{version}")
    assert write_service_worker(root) == version
    for path in root.rglob("*"):
        if path.is_file():
            _touch(path)
    page.goto(base)
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    wait_until(page, "navigator.serviceWorker.getRegistration().then((r) => r.installing === null)")
    assert cache_names(page) == [f"cse-site-{version}"]
    assert page.evaluate(count, f"cse-site-{version}") == before
    context.close()


@one_generator
@pytest.mark.parametrize("deploy_on", HOSTS, indirect=True)
def test_pages_opened_seconds_after_a_deploy_missing_a_file_show_the_new_build(
    browser: Any, deploy_on: tuple[str, Path], generator: str
) -> None:
    """The new build cannot be installed (a listed page is missing; on the rewrite host the
    home page comes in its place), so the old build's worker stays in charge: every page
    opened while the server answers is still the new build's, seconds later as at once."""
    base, root = deploy_on
    old_version = _version(root)
    context, page = open_controlled_tab(browser, base)
    redeploy(root)
    assert "about/glossary/" in listed(root)
    (root / "about/glossary/index.html").unlink()
    shown = []
    for _ in range(3):
        # A reader opening a page a few seconds after the last: the time between is the case.
        page.wait_for_timeout(5000)
        page.goto(base + CHAPTER)
        shown.append(page.locator("#redeployed").count() == 1)
    assert shown == [True, True, True]
    settled(page)
    assert cache_names(page) == [f"cse-site-{old_version}"], "the deploy missing a page must not be installed"
    context.close()


@one_generator
@pytest.mark.parametrize("deploy_on", ["slow"], indirect=True)
@pytest.mark.parametrize("new_build", [False, True], ids=["same build", "new build"])
def test_a_slow_server_is_waited_for_only_when_it_has_a_new_build(
    browser: Any, deploy_on: tuple[str, Path], generator: str, new_build: bool
) -> None:
    """A server that holds a page for ten seconds: the cached copy stands in after four
    while it is the deployed build (poor Wi-Fi in a training room); once the server's sw.js
    is another build's, the page comes from the server, however slowly."""
    base, root = deploy_on
    context, page = open_controlled_tab(browser, base)
    if new_build:
        redeploy(root)
        (root / "about/glossary/index.html").unlink()  # the new build cannot install: the old worker stays
    (root / "slow").write_text("", encoding="utf-8")
    with urllib.request.urlopen(base + CHAPTER, timeout=30):
        pass  # the next chapter is held for ten seconds after this one
    started = time.monotonic()
    page.goto(base + CHAPTER, timeout=60_000)
    took = time.monotonic() - started
    if new_build:
        assert took > 6, "the chapter should have been held by the server"
        assert page.locator("#redeployed").count() == 1
    else:
        assert 3.5 < took < 8, f"the cached copy should have stood in after four seconds, not {took:.1f}"
        assert page.locator("h1").count() == 1
    context.close()


EXIT_SCRIPT = "assets/javascripts/exit-this-page.js"
NEUTRAL = read_partnership().exit_to  # partnership.yml
INSTALL_OUTCOME = """async (scope) => {
    const registration = await navigator.serviceWorker.register(scope + "sw.js", { scope, updateViaCache: "none" });
    const worker = registration.installing || registration.waiting || registration.active;
    if (worker.state === "activated" || worker.state === "redundant") return worker.state;
    return new Promise((resolve) => worker.addEventListener("statechange", () => {
        if (worker.state === "activated" || worker.state === "redundant") resolve(worker.state);
    }));
}"""


def exit_by_shift(page: Any) -> None:
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(NEUTRAL)


@one_generator
@pytest.mark.parametrize("deploy_on", ["rewrite"], indirect=True)
def test_a_deploy_missing_the_exit_script_on_a_rewrite_host(
    browser: Any, deploy_on: tuple[str, Path], generator: str
) -> None:
    """The host answers the missing script with its home page: no worker keeps that page as
    the script, and Exit this page still works, offline and on."""
    base, root = deploy_on
    old_version = _version(root)
    context, page = open_controlled_tab(browser, base)
    context.route(NEUTRAL, lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"))
    redeploy(root)
    assert EXIT_SCRIPT in listed(root)
    (root / EXIT_SCRIPT).unlink()
    with urllib.request.urlopen(base + EXIT_SCRIPT, timeout=10) as answer:  # the host's stand-in
        assert (answer.status, answer.headers.get_content_type()) == (200, "text/html")

    # A first visit to the broken deploy: its worker is not installed with the page as the script.
    fresh = browser.new_context()
    first = fresh.new_page()
    first.goto(base + CHAPTER)
    assert first.evaluate(INSTALL_OUTCOME, base) == "redundant"
    assert first.evaluate("caches.keys()") == []
    fresh.close()

    # A reader of the old deploy: the new page, the old build's worker still in charge with
    # its own copy of the script, which stands in for the host's page.
    page.goto(base + CHAPTER)
    assert page.locator("#redeployed").count() == 1
    settled(page)
    assert cache_names(page) == [f"cse-site-{old_version}"]
    script_type = "async (url) => (await caches.match(url)).headers.get('Content-Type')"
    assert page.evaluate(script_type, base + EXIT_SCRIPT).startswith("text/javascript")
    exit_by_shift(page)

    context.set_offline(True)
    page.goto(base + CHAPTER)
    assert page.locator("#redeployed").count() == 0  # offline: this build's copy
    exit_by_shift(page)
    context.close()
