"""A built and served site, once per site generator: the fixtures of the site, browser and deploy tiers.

Every test that uses the built site runs once per site generator (MkDocs and Zensical;
``SITE_GENERATORS=zensical`` picks one). Each generator's site is built once per session,
into a temporary folder, never into docs/ or site/, so the tests can run beside
``make serve``. The server is a subprocess on a free port, with a readiness wait that shows
its output if it never comes up.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from build_scripts.generators import GENERATORS
from tests.helpers.repository import ROOT


def free_port() -> int:
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
    return free_port()


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


def page_paths(site: Path) -> list[str]:
    """Every page of the built site, as paths relative to its root ('' for the home page)."""
    paths = []
    for index in site.rglob("index.html"):
        relative = index.parent.relative_to(site).as_posix()
        paths.append("" if relative == "." else relative + "/")
    return sorted(paths)
