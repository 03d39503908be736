"""Shared fixtures: the repository's protocols, a built and served site, and Chromium.

The browser fixtures follow one pattern: a real build, served by a subprocess on a free
port, with a readiness wait that shows the server's output if it never comes up.

Every test that uses the built site runs once per site generator (MkDocs and Zensical;
``SITE_GENERATORS=zensical`` picks one). Each generator's site is built once per session,
into a temporary folder, never into docs/ or site/, so the tests can run beside
``make serve``; one Chromium serves every test.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from build_scripts.generators import GENERATORS
from tools.browser import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "protocols" / "cases"


@pytest.fixture(scope="session")
def protocol_data() -> dict[str, dict[str, Any]]:
    """Every protocol in protocols/, compiled as the build compiles it."""
    from screening_cli.dumping import dump_protocol
    from screening_cli.protocol_files import load_directory

    return {p.id: dump_protocol(p) for p in load_directory(ROOT / "protocols")}


def case_tables() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(CASES.glob("*.json"))]


def case_study_tables() -> list[dict[str, Any]]:
    """The trainers' case studies as one case table per protocol: answers and expected level."""
    from build_scripts.case_studies import load_cases
    from screening_cli.protocol_files import load_directory

    protocols = load_directory(ROOT / "protocols")
    tables: dict[str, list[dict[str, Any]]] = {p.id: [] for p in protocols}
    for case in load_cases(protocols, ROOT / "case-studies"):
        for entry in case.answers:
            tables[entry.protocol].append(
                {"name": f"case study {case.id}", "answers": entry.answers, "level": entry.level}
            )
    return [{"protocol": protocol, "cases": cases} for protocol, cases in tables.items() if cases]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chosen_generators() -> list[str]:
    """The generators whose builds the site tests run against: all, unless SITE_GENERATORS names some."""
    wanted = [name.strip() for name in os.environ.get("SITE_GENERATORS", "").split(",") if name.strip()]
    unknown = sorted(set(wanted) - set(GENERATORS))
    if unknown:
        raise pytest.UsageError(f"SITE_GENERATORS names {unknown}; the generators are {sorted(GENERATORS)}")
    return wanted or list(GENERATORS)


# For a test of the engine's own behaviour in a page (levels, errors, the worker), which the
# generator cannot change: it runs against the first chosen generator's build only.
one_generator = pytest.mark.parametrize("generator", chosen_generators()[:1], indirect=True)


@pytest.fixture(scope="session", params=chosen_generators())
def generator(request: pytest.FixtureRequest) -> str:
    """The site generator of the build under test (each site test runs once per generator)."""
    return str(request.param)


@pytest.fixture(scope="session")
def site_port(generator: str) -> int:
    return _free_port()


def build_site_into(out: Path, generator: str, port: int, *options: str) -> Path:
    """Build the site with ``generator`` into ``out`` for a server on ``port``; the site's folder."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "build_scripts.build",
            "--generator",
            generator,
            "--out",
            str(out),
            "--site-url",
            f"http://127.0.0.1:{port}/",
            *options,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"the site build with {generator} failed:\n{result.stdout}\n{result.stderr}")
    return out / "site"


@pytest.fixture(scope="session")
def built_site(generator: str, site_port: int, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the site once per generator, as the README's serve command does, for the test port.

    It is staged in a temporary folder: the repository's docs/ and site/ are never written.
    """
    return build_site_into(tmp_path_factory.mktemp(f"build-{generator}"), generator, site_port)


@contextmanager
def serving(site: Path, port: int) -> Iterator[str]:
    """Serve a built site from a subprocess on 127.0.0.1:``port``; its address."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-u",
            "-m",
            "tools.serve",
            "--port",
            str(port),
            "--quiet",
            "--directory",
            str(site),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    first = server.stdout.readline()
    url = first.split(" at ")[-1].split(" ")[0].strip() if " at http://" in first else ""
    deadline = time.monotonic() + 15
    ready = False
    while url and time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                ready = response.status == 200
                break
        except OSError:
            time.sleep(0.1)
    if not ready:
        server.kill()
        rest = server.stdout.read()
        pytest.fail(f"the site server did not become ready; it printed:\n{first}{rest}")
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def site_url(built_site: Path, site_port: int) -> Iterator[str]:
    """Serve the built site from a subprocess on 127.0.0.1 (the port the build was made for)."""
    with serving(built_site, site_port) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (Playwright's own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: the README's test command installs it")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


ENGINE_TIMEOUT_MS = 60_000


@dataclass
class Traffic:
    origin: str
    requests: list[tuple[str, str]] = field(default_factory=list)

    def offsite(self) -> list[str]:
        return [
            url for _, url in self.requests if not url.startswith(("data:", "blob:")) and _origin(url) != self.origin
        ]

    def not_get(self) -> list[str]:
        return [f"{method} {url}" for method, url in self.requests if method != "GET"]

    def count(self, fragment: str) -> int:
        return sum(fragment in url for _, url in self.requests)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture()
def visit(browser: Any, site_url: str) -> Iterator[tuple[Any, Traffic]]:
    """A fresh browser context whose every request is recorded and kept on this machine.

    The service worker is blocked here, so each file counts once; tests/test_offline.py
    covers the service worker itself.
    """
    context = browser.new_context(service_workers="block")
    traffic = Traffic(_origin(site_url))
    # The browser's flags keep every request on this machine (tools/browser.py);
    # routing requests here would also turn off the HTTP cache a reader's browser has.
    context.on("request", lambda request: traffic.requests.append((request.method, request.url)))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, traffic
    assert traffic.offsite() == [], "requests left the local server"
    assert traffic.not_get() == [], "only GET requests are allowed"
    assert context.cookies() == []
    stored = page.evaluate(
        """async () => ({
            local: Object.keys(localStorage),
            session: Object.keys(sessionStorage),
            idb: (await indexedDB.databases()).map((db) => db.name),
            caches: await caches.keys(),
        })"""
    )
    # With the service worker blocked, not even the site's own files may be kept.
    assert stored == {"local": [], "session": [], "idb": [], "caches": []}, "something stayed on the device"
    assert errors == []
    context.close()


def tab_to(page: Any, selector: str, limit: int = 250, back: bool = False) -> None:
    """Press Tab (Shift+Tab with ``back``) until the element matching ``selector`` has
    focus, as a keyboard user would.

    Each press is checked against one handle to the element (a third of the time a locator
    takes to resolve again); if the page has replaced the element, it is found again."""
    target = page.locator(selector)
    handle = target.element_handle()
    key = "Shift+Tab" if back else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        focused = handle.evaluate("el => (el.isConnected ? el === document.activeElement : 'replaced')")
        if focused == "replaced":
            handle = target.element_handle()
            focused = handle.evaluate("el => el === document.activeElement")
        if focused is True:
            return
    raise AssertionError(f"{selector} could not be reached with the Tab key")


def wait_for_level(page: Any, level: str) -> None:
    page.wait_for_selector(f"[data-screening-level='{level}']", timeout=ENGINE_TIMEOUT_MS)


def pages_to_walk(site: Path, generator: str) -> list[str]:
    """Every page under the first generator; one page of each kind (the first page of each
    section at each depth) under the others, as a generator changes the frame around the
    content, not the content or the site's own scripts."""
    paths = page_paths(site)
    if generator == chosen_generators()[0]:
        return paths
    kinds: dict[tuple[str, int], str] = {}
    for path in paths:
        kinds.setdefault((path.split("/")[0], path.count("/")), path)
    return sorted(kinds.values())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked ``frame_sample(keep)`` runs every parameter set against the first
    generator's build, and against the others' only the sets for which ``keep(params)`` is
    true (the rest are deselected, and counted as such): beyond the theme's frame, what it
    checks is the site's own code, the same under every generator."""
    first = chosen_generators()[0]
    kept, dropped = [], []
    for item in items:
        marker = item.get_closest_marker("frame_sample")
        callspec = getattr(item, "callspec", None)
        params = dict(callspec.params) if callspec is not None else {}
        if marker is not None and params.get("generator", first) != first and not marker.args[0](params):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def page_paths(site: Path) -> list[str]:
    """Every page of the built site, as paths relative to its root ('' for the home page)."""
    paths = []
    for index in site.rglob("index.html"):
        relative = index.parent.relative_to(site).as_posix()
        paths.append("" if relative == "." else relative + "/")
    return sorted(paths)


def one_case_per_level(table: dict[str, Any]) -> list[dict[str, Any]]:
    """The first case of a case table for each level it reaches."""
    chosen: dict[str, dict[str, Any]] = {}
    for case in table["cases"]:
        if "level" in case:
            chosen.setdefault(case["level"], case)
    return list(chosen.values())


def enter_answers(page: Any, answers: dict[str, Any]) -> None:
    """Clear the screening form, then tick each answer as a reader would."""
    page.locator(".screening-clear").click()
    for item, value in answers.items():
        if value is True:
            page.locator(f"#item-{item}").check()
        elif isinstance(value, str):
            page.locator(f"#item-{item}-{value}").check()


# Deploy tests: one real Debian nginx for the session (tests/nginx_server.py). -------------
from tests.nginx_server import nginx  # noqa: E402, F401  (a session fixture shared by the deploy tests)
