"""Write the service worker (sw.js) for a built site, with this build's file lists.

The worker's rules (see templates/sw.js): a build is cached whole or not at all, filled
past the browser's HTTP cache, each file with the type its name says (so a host's page
for a missing file is never kept in its place); content-hashed files are served from the
cache; every other file is checked with the server first whenever there is a network, so
a reader is never kept on an old build; a deploy without sw.js retires the worker (the
kill switch).

Step 6 of the build. Reads the site and templates/sw.js; writes site/sw.js.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .host_files import HASHED, HOST_FILES, SAME_TYPES, TYPES
from .paths import COMPLETE_MARK, DOCS, TEMPLATES
from .precompress import is_copy

# Fetched only when a screening is opened, or when the reader asks for the site offline.
RUNTIME_PREFIXES = ("assets/pyodide/", "assets/engine/")
# Training material: kept once visited (or with the runtime), not on every first visit.
ON_VISIT_PREFIXES = ("trainers/cases/",)
# Never cached: source maps, compressed copies (a server sends them in place of the file),
# and the search's word-splitters for languages other than English, which the site never loads.
SKIPPED_SUFFIXES = (".map", ".gz", ".br")
SKIPPED_PREFIXES = ("assets/javascripts/lunr/",)
# The kinds of file whose type the browser checks (a script, a stylesheet, a page, JSON and
# WebAssembly read by the engine): the worker keeps each only with its type. Any other file
# must only not come as a page.
CHECKED_TYPES = (".html", ".css", ".js", ".mjs", ".json", ".wasm")


# The caches' name prefix is written once, in the page's module; sw.js is given it from there.
SITE_CACHE_MODULE = DOCS / "assets" / "javascripts" / "site-cache.js"
_PREFIX = re.compile(r'^export const SITE_CACHE_PREFIX = ("[a-z0-9-]+");$', re.M)


def site_cache_prefix() -> str:
    """The prefix of the service worker's cache names, as site-cache.js declares it."""
    match = _PREFIX.search(SITE_CACHE_MODULE.read_text(encoding="utf-8"))
    if match is None:
        raise ValueError(f"{SITE_CACHE_MODULE} does not declare SITE_CACHE_PREFIX as a plain string")
    return str(json.loads(match.group(1)))


def _served(site: Path) -> list[Path]:
    """The site's files a reader's browser may ask for: not sw.js, not the host settings, not the
    build's own mark that the site is complete (written after sw.js, so never in its lists),
    not the compressed copies (sent in place of their files)."""
    return sorted(
        p
        for p in site.rglob("*")
        if p.is_file()
        and p.relative_to(site).as_posix() not in ("sw.js", COMPLETE_MARK, *HOST_FILES)
        and not is_copy(p)
    )


def site_files(site: Path) -> tuple[list[str], list[str]]:
    """Paths (relative to the site root) of the files for every visit, and of the runtime."""
    everyday: list[str] = []
    runtime: list[str] = []
    for path in _served(site):
        relative = path.relative_to(site).as_posix()
        if relative.endswith(SKIPPED_SUFFIXES) or relative.startswith(SKIPPED_PREFIXES):
            continue
        if relative.endswith("index.html"):  # pages are asked for by their folder URL
            relative = relative[: -len("index.html")] or "./"
        (runtime if relative.startswith(RUNTIME_PREFIXES + ON_VISIT_PREFIXES) else everyday).append(relative)
    return everyday, runtime


def write_service_worker(site: Path) -> str:
    """Write site/sw.js; its cache version is a digest of every file it serves."""
    everyday, runtime = site_files(site)
    digest = hashlib.sha256()
    for path in _served(site):
        digest.update(path.relative_to(site).as_posix().encode())
        digest.update(path.read_bytes())
    version = digest.hexdigest()[:16]
    text = (TEMPLATES / "sw.js").read_text(encoding="utf-8")
    text = (
        text.replace("__PREFIX__", json.dumps(site_cache_prefix()))
        .replace("__VERSION__", version)
        .replace("__SITE_FILES__", json.dumps(everyday, indent=2))
        .replace("__RUNTIME_FILES__", json.dumps(runtime, indent=2))
        .replace("__HASHED__", json.dumps(HASHED.pattern))
        .replace("__TYPES__", json.dumps({suffix: TYPES[suffix] for suffix in CHECKED_TYPES}))
        .replace("__SAME_TYPES__", json.dumps(SAME_TYPES))
    )
    (site / "sw.js").write_text(text, encoding="utf-8")
    return version
