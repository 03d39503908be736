"""The test suite's tiers, and the fixtures they share.

Each folder of tests/ is a tier, and every test in it carries the tier's marker, added here
from its path, so that no test depends on someone remembering a marker:

- fast, needing no browser, no nginx and no Pyodide: ``engine`` (the engine, its JSON
  contract, the command line), ``content`` (chapters, case studies and settings as authored),
  ``build`` (each build step on small inputs), ``tools`` (the development server, the host
  checker);
- slow: ``site`` (a whole build of the site, checked without a browser), ``pyodide`` (the
  engine inside Pyodide under Node.js), ``browser`` (Chromium against a served build),
  ``deploy`` (a real nginx serving a build).

A bare ``pytest`` runs the fast tiers only. A slow tier runs when it is named: by a marker
(``pytest -m browser``), or by a path (``pytest tests/browser``, ``pytest tests`` for every
tier, as ``make test`` does). The fixtures are kept by role in tests/helpers/: the built and
served site (site.py), Chromium (browser.py) and nginx (nginx_server.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import browser, visit  # noqa: F401  (fixtures: Chromium, a recorded page)
from tests.helpers.nginx_server import nginx  # noqa: F401  (fixture: one real nginx for the deploy tier)
from tests.helpers.repository import ROOT, TESTS
from tests.helpers.site import built_site, chosen_generators, generator, site_port, site_url  # noqa: F401

FAST_TIERS = ("engine", "content", "build", "tools")
SLOW_TIERS = ("site", "pyodide", "browser", "deploy")


@pytest.fixture(scope="session")
def protocol_data() -> dict[str, dict[str, Any]]:
    """Every protocol in protocols/, compiled as the build compiles it."""
    from screening_cli.dumping import dump_protocol
    from screening_cli.protocol_files import load_directory

    return {p.id: dump_protocol(p) for p in load_directory(ROOT / "protocols")}


def tier_of(path: Path) -> str | None:
    """The tier of a test file or folder: the folder of tests/ it is in."""
    parts = path.relative_to(TESTS).parts if path.is_relative_to(TESTS) else ()
    return parts[0] if parts and parts[0] in FAST_TIERS + SLOW_TIERS else None


def fast_only(config: pytest.Config) -> bool:
    """True when pytest was given neither a path nor ``-m``: then only the fast tiers run."""
    return config.args_source == pytest.Config.ArgsSource.TESTPATHS and not config.option.markexpr


def pytest_report_header(config: pytest.Config) -> str:
    if fast_only(config):
        return f"tiers: {', '.join(FAST_TIERS)} (the slow ones, {', '.join(SLOW_TIERS)}: name a path or -m)"
    return f"tiers: {', '.join(FAST_TIERS + SLOW_TIERS)}"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """In a bare run the slow tiers' files are not even imported (they would load Playwright)."""
    if fast_only(config) and tier_of(collection_path) in SLOW_TIERS:
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its tier.

    A test marked ``frame_sample(keep)`` runs every parameter set against the first
    generator's build, and against the others' only the sets for which ``keep(params)`` is
    true (the rest are deselected, and counted as such): beyond the theme's frame, what it
    checks is the site's own code, the same under every generator."""
    for item in items:
        tier = tier_of(item.path)
        if tier is not None:
            item.add_marker(tier)
    first = chosen_generators()[0]
    dropped = []
    for item in items:
        marker = item.get_closest_marker("frame_sample")
        callspec = getattr(item, "callspec", None)
        params = dict(callspec.params) if callspec is not None else {}
        if marker is not None and params.get("generator", first) != first and not marker.args[0](params):
            dropped.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        left_out = set(dropped)
        items[:] = [item for item in items if item not in left_out]
