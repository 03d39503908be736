"""Write a Brotli (``.br``) and a gzip (``.gz``) copy beside each large file of a built site.

A server that sends them as they are (nginx's ``gzip_static`` and ``brotli_static``, see
deploy/nginx.conf) spends no time compressing and sends fewer bytes than compressing on
the fly does: Brotli at its highest quality, too slow to run per request, takes the
WebAssembly runtime from 9.6 MB to 2.8 MB (gzip: 3.6 MB). A copy is kept only when it is
clearly smaller; a host that ignores them serves the files themselves, so the site works
either way. Compressed copies are cached by the content's hash, so a rebuild compresses
only what changed. ``CSE_PRECOMPRESS=off`` writes none.

sw.js never gets a copy: a deploy that removes sw.js retires the service worker (its kill
switch), and nginx would otherwise go on sending a stale sw.js.gz left beside it.

Step 6 of the build, last before publishing. Reads the site; writes the .br and .gz copies.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

from .errors import BuildError, SnapshotError
from .paths import COMPLETE_MARK, ROOT
from .snapshot import node_script

SETTING = "CSE_PRECOMPRESS"
# The kinds of file worth compressing; smaller files gain nothing a request's headers would not cost.
SUFFIXES = (".wasm", ".js", ".mjs", ".zip", ".bin", ".json", ".css", ".html", ".svg", ".xml", ".txt", ".whl")
AT_LEAST = 1024
# A copy at least this much smaller than the file, or none (the zips barely shrink).
KEEP_BELOW = 0.9
ENCODINGS = (".br", ".gz")
NEVER = ("sw.js", COMPLETE_MARK)
# Brotli's highest quality, except for the largest files (the snapshot, which changes with
# the engine), where it would take minutes for a few per cent.
QUALITY = 11
LARGE = 10_000_000
LARGE_QUALITY = 5
BROTLI_TIMEOUT_S = 1800
CACHE = ROOT / "node_modules" / ".cache" / "cse-precompress"
# Cached copies not used by any build for this long are removed.
CACHE_DAYS = 14


def candidates(site: Path) -> list[Path]:
    """The files that get compressed copies: large, of a kind that compresses, not sw.js."""
    return sorted(
        path
        for path in site.rglob("*")
        if path.is_file()
        and path.suffix in SUFFIXES
        and path.relative_to(site).as_posix() not in NEVER
        and path.stat().st_size >= AT_LEAST
    )


def is_copy(path: Path) -> bool:
    """Whether a site file is a compressed copy the build wrote (never listed or cached itself)."""
    return path.suffix in ENCODINGS and Path(path.stem).suffix in SUFFIXES


def quality(path: Path) -> int:
    return LARGE_QUALITY if path.stat().st_size > LARGE else QUALITY


def _brotli(jobs: list[tuple[Path, Path]]) -> None:
    if not jobs:
        return
    work = json.dumps([[str(source), str(target), quality(source)] for source, target in jobs])
    try:
        node_script("brotli.mjs", [], stdin=work, timeout=BROTLI_TIMEOUT_S)
    except SnapshotError as exc:
        raise BuildError(f"Brotli compression failed: {exc} (or build with {SETTING}=off)") from None


def _cached(digests: dict[Path, str]) -> dict[tuple[Path, str], Path]:
    """Each (file, encoding)'s compressed copy in the cache, made now where missing."""
    CACHE.mkdir(parents=True, exist_ok=True)
    copies = {
        (path, ext): CACHE / f"{digest}.{quality(path) if ext == '.br' else 9}{ext}"
        for path, digest in digests.items()
        for ext in ENCODINGS
    }
    # Written under a name of their own, then renamed: a build stopped half-way leaves no
    # half-written copy for the next one to publish.
    partial = f".partial-{os.getpid()}"
    brotli = [(path, copy) for (path, ext), copy in copies.items() if ext == ".br" and not copy.exists()]
    _brotli([(path, copy.with_name(copy.name + partial)) for path, copy in brotli])
    for _, copy in brotli:
        copy.with_name(copy.name + partial).replace(copy)
    for (path, ext), copy in copies.items():
        if ext == ".gz" and not copy.exists():
            copy.with_name(copy.name + partial).write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
            copy.with_name(copy.name + partial).replace(copy)
    now = time.time()
    for copy in copies.values():
        os.utime(copy, (now, now))  # used now: kept by the clean-up below
    for old in CACHE.iterdir():
        if old.stat().st_mtime < now - CACHE_DAYS * 86400:
            old.unlink(missing_ok=True)
    return copies


def precompress(site: Path) -> str:
    """Write the copies beside the site's large files; return one line saying what was done."""
    if os.environ.get(SETTING, "").strip().lower() == "off":
        return f"precompress: off ({SETTING}=off)"
    started = time.perf_counter()
    files = candidates(site)
    digests = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    copies = _cached(digests)
    written = 0
    before = after = 0
    for path in files:
        size = best = path.stat().st_size
        for ext in ENCODINGS:
            copy = copies[(path, ext)]
            if copy.stat().st_size < KEEP_BELOW * size:
                shutil.copyfile(copy, path.with_name(path.name + ext))
                written += 1
                best = min(best, copy.stat().st_size)
        before, after = before + size, after + best
    seconds = time.perf_counter() - started
    return (
        f"precompress: {written} copies of {len(files)} files ({before / 1e6:.1f} MB, "
        f"{after / 1e6:.1f} MB at best), in {seconds:.1f} s"
    )
