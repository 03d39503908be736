"""The sites the benchmark measures: the builds and their times, the variants served, the bytes sent.

Kept apart from the visits (tools.benchmark_visit) because this part touches the disk and
the network: it builds the site, copies it into the variants compared (normal, snapshot,
snapshot fetched first), serves each from this machine and counts what the server sent.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from build_scripts.offline import write_service_worker
from build_scripts.paths import ROOT

from .benchmark_size import copy_repository
from .benchmark_visit import ALONE_FILES, ITEM, _runtime_cached
from .serve import SiteHandler


class CountingHandler(SiteHandler):
    """Counts the bytes of every response body, and which paths were asked for."""

    sent = 0
    paths: list[str] = []  # noqa: RUF012 - shared on purpose: one server, one count
    lock = threading.Lock()

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        try:
            outputfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            return  # the browser closed the context mid-download: nothing was sent
        with CountingHandler.lock:
            CountingHandler.sent += len(data)

    def send_head(self) -> Any:
        with CountingHandler.lock:
            CountingHandler.paths.append(self.path)
        return super().send_head()

    @classmethod
    def reset(cls) -> None:
        with cls.lock:
            cls.sent = 0
            cls.paths = []


@contextmanager
def serving(directory: Path) -> Iterator[str]:
    import http.server

    CountingHandler.server_quiet = True  # type: ignore[attr-defined]
    handler = functools.partial(CountingHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


SNAPSHOT_STEP = re.compile(r"^snapshot: .* verified in ([0-9.]+) s$", re.MULTILINE)
snapshot_steps: list[float] = []


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    snapshot_steps.extend(float(m) for m in SNAPSHOT_STEP.findall(result.stdout))
    return time.perf_counter() - start


def build_times(runs: int, site_url: str) -> tuple[float, float, int, int]:
    """Median build time of the bundled content and of ten times the chapters, and page counts."""
    bundled = [_timed([sys.executable, "-m", "build_scripts.build", "--site-url", site_url], ROOT) for _ in range(runs)]
    pages = sum(1 for _ in (ROOT / "docs").rglob("*.md"))
    with tempfile.TemporaryDirectory() as tmp:
        copy = copy_repository(Path(tmp))
        chapters = [p for p in (copy / "docs").iterdir() if p.is_dir() and p.name not in ("assets", "screening")]
        for n in range(1, 10):
            for folder in chapters:
                shutil.copytree(folder, copy / "docs" / f"copy-{n}" / folder.name)
        bigger = sum(1 for _ in (copy / "docs").rglob("*.md"))
        # The copies are not in the menu and some of their links leave the copy: not strict.
        tenfold = []
        for _ in range(runs):
            prepare = _timed([sys.executable, "-m", "build_scripts.build", "--prepare-only"], copy)
            generate = _timed([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", "mkdocs.yml"], copy)
            tenfold.append(prepare + generate)
    return statistics.median(bundled), statistics.median(tenfold), pages, bigger


def site_variants(site: Path, folder: Path) -> dict[str, Path]:
    """Copies of the built site: as it is, without its snapshot, and with it fetched on first visits.

    Each also holds the page that starts the worker alone (``ALONE``)."""
    manifest_path = Path("assets") / "engine" / "manifest.json"
    if "snapshot" not in json.loads((site / manifest_path).read_text(encoding="utf-8")):
        raise SystemExit("the build published no snapshot (see its 'snapshot:' line): nothing to compare")
    variants: dict[str, Path] = {}
    for name in ("snapshot", "normal", "eager"):
        copy = folder / name
        shutil.copytree(site, copy)
        for asset in ALONE_FILES.iterdir():
            shutil.copy2(asset, copy / asset.name)
        manifest = json.loads((copy / manifest_path).read_text(encoding="utf-8"))
        if name == "normal":
            (copy / manifest.pop("snapshot")["path"]).unlink()
        elif name == "eager":
            manifest["snapshot"]["first_visit"] = True
        (copy / manifest_path).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        write_service_worker(copy)
        variants[name] = copy
    return variants


def first_visit_bytes(browser: Any, url: str, path: str, settle: Callable[[Any], None]) -> tuple[int, list[str]]:
    context = browser.new_context()
    try:
        page = context.new_page()
        CountingHandler.reset()
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        settle(page)
        page.wait_for_timeout(1000)
        page.wait_for_load_state("networkidle")
        return CountingHandler.sent, list(CountingHandler.paths)
    finally:
        context.close()


def _service_worker_installed(page: Any) -> None:
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def _screening_done(page: Any) -> None:
    page.locator(ITEM).check()
    page.wait_for_selector("[data-screening-level]", timeout=120_000)
    _runtime_cached(page)
