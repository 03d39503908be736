"""The compressed copies: written beside large files only, decompressing to them, never for
sw.js, reused from the cache on a rebuild, none with CSE_PRECOMPRESS=off."""

from __future__ import annotations

import gzip
import os
import random
from pathlib import Path

import pytest

from build_scripts import precompress as pre
from build_scripts.offline import site_files


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(pre, "CACHE", tmp_path / "cache")
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<p>A page of the site.</p>\n" * 200, encoding="utf-8")
    (site / "sw.js").write_text("// the service worker\n" * 200, encoding="utf-8")
    (site / "small.js").write_text("let a = 1;\n", encoding="utf-8")
    (site / "assets" / "photo.png").write_bytes(bytes(5000))  # not a kind that is compressed
    (site / "assets" / "noise.bin").write_bytes(random.Random(1).randbytes(5000))  # does not shrink
    return site


def test_copies_beside_large_files_only(site: Path) -> None:
    line = pre.precompress(site)
    assert line.startswith("precompress: 2 copies of 2 files"), line
    page = (site / "index.html").read_bytes()
    assert gzip.decompress((site / "index.html.gz").read_bytes()) == page
    assert (site / "index.html.br").stat().st_size < len(page) / 10
    for never in ("sw.js", "small.js", "assets/photo.png", "assets/noise.bin"):
        assert not list(site.glob(never + ".*")), never
    assert pre.is_copy(site / "index.html.br") and pre.is_copy(site / "index.html.gz")
    assert not pre.is_copy(site / "assets" / "archive.tar.gz")
    everyday, runtime = site_files(site)
    assert not [path for path in everyday + runtime if path.endswith((".br", ".gz"))]


def test_a_rebuild_takes_the_copies_from_the_cache(site: Path) -> None:
    pre.precompress(site)
    cached = sorted(pre.CACHE.iterdir())
    assert len(cached) == 4  # .br and .gz of index.html and of noise.bin (kept in the cache, not published)
    for path in cached:
        path.write_bytes(b"from the cache")
        os.utime(path)
    for copy in site.glob("index.html.*"):
        copy.unlink()
    pre.precompress(site)
    assert (site / "index.html.br").read_bytes() == b"from the cache"


def test_off_writes_none(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_PRECOMPRESS", "off")
    assert pre.precompress(site) == "precompress: off (CSE_PRECOMPRESS=off)"
    assert not list(site.rglob("*.br")) and not list(site.rglob("*.gz"))
