"""Measure the site where readers feel it: ``python -m build_scripts.benchmark [--runs N]``.

Builds the site (and a copy with ten times the chapters), serves it from this machine,
drives Chromium and prints medians over repeated runs with the targets beside them:

- screening page, cold (empty cache) and warm (cached): time to the form usable, to the
  engine ready, and to the first result after a click, from the start of navigation;
- one answer change to an updated result: median and 95th percentile;
- bytes sent by the server for a first visit to a chapter page and to a screening page;
- build time for the bundled content and for ten times the chapters.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .browser import CHROMIUM, CHROMIUM_ARGS
from .paths import ROOT, SITE
from .serve import SiteHandler

SCREENING = "screening/pan-lancashire/"
CHAPTER = "understanding/indicators/"
ITEM = "#item-bereavement"

# Marks the moments that matter, on the page's own clock (ms from the start of navigation).
PROBE = """
window.__marks = {};
document.addEventListener("DOMContentLoaded", () => {
  window.__marks.form = performance.getEntriesByType("navigation")[0].domInteractive;
});
document.addEventListener("cse:engine-ready", (event) => {
  window.__marks.ready = performance.now();
  window.__marks.steps = event.detail;
});
new MutationObserver(() => {
  if (!window.__marks.result && document.querySelector("[data-screening-level]")) {
    window.__marks.result = performance.now();
  }
}).observe(document, { subtree: true, childList: true });
"""

ROUND_TRIP = """
async (count) => {
  const box = document.querySelector("ITEM_SELECTOR");
  const status = document.querySelector("[data-screening-status]");
  const times = [];
  for (let i = 0; i < count; i++) {
    const before = status.textContent;
    const changed = new Promise((resolve) => {
      const watch = new MutationObserver(() => {
        if (status.textContent !== before) { watch.disconnect(); resolve(); }
      });
      watch.observe(status, { childList: true, characterData: true, subtree: true });
    });
    const start = performance.now();
    box.click();
    await changed;
    times.push(performance.now() - start);
  }
  return times;
}
""".replace("ITEM_SELECTOR", ITEM)


class CountingHandler(SiteHandler):
    """Counts the bytes of every response body, and which paths were asked for."""

    sent = 0
    paths: list[str] = []  # noqa: RUF012 - shared on purpose: one server, one count
    lock = threading.Lock()

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        with CountingHandler.lock:
            CountingHandler.sent += len(data)
        outputfile.write(data)

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


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - start


def build_times(runs: int, site_url: str) -> tuple[float, float, int, int]:
    """Median build time of the bundled content and of ten times the chapters, and page counts."""
    bundled = [_timed([sys.executable, "-m", "build_scripts.build", "--site-url", site_url], ROOT) for _ in range(runs)]
    pages = sum(1 for _ in (ROOT / "docs").rglob("*.md"))
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(
            ROOT,
            copy,
            symlinks=True,
            ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "__pycache__", ".*_cache"),
        )
        (copy / "node_modules").symlink_to(ROOT / "node_modules")
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


@dataclass
class Visit:
    form: float
    ready: float
    result: float
    steps: dict[str, int]


def _launch() -> tuple[Any, Any]:
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    return playwright, playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def _visit(page: Any, url: str) -> Visit:
    page.goto(url + SCREENING, wait_until="commit")
    page.wait_for_selector(ITEM, state="visible")
    page.locator(ITEM).check()
    page.wait_for_selector("[data-screening-level]", timeout=120_000)
    page.wait_for_function("window.__marks.ready !== undefined", timeout=120_000)
    marks = page.evaluate("window.__marks")
    return Visit(marks["form"] / 1000, marks["ready"] / 1000, marks["result"] / 1000, marks.get("steps") or {})


def _runtime_cached(page: Any) -> None:
    page.wait_for_function(
        """async () => {
          for (const name of await caches.keys()) {
            const keys = (await (await caches.open(name)).keys()).map((r) => r.url);
            if (keys.some((u) => u.endsWith("pyodide.asm.wasm"))) return true;
          }
          return false;
        }""",
        timeout=120_000,
        polling=250,
    )


def screening_times(url: str, runs: int) -> tuple[list[Visit], list[Visit], list[float]]:
    playwright, browser = _launch()
    cold: list[Visit] = []
    warm: list[Visit] = []
    trips: list[float] = []
    try:
        for _ in range(runs):
            context = browser.new_context()
            context.add_init_script(PROBE)
            page = context.new_page()
            cold.append(_visit(page, url))
            _runtime_cached(page)
            page.wait_for_timeout(500)
            warm.append(_visit(page, url))
            trips.extend(page.evaluate(ROUND_TRIP, 20))
            context.close()
    finally:
        browser.close()
        playwright.stop()
    return cold, warm, trips


def first_visit_bytes(url: str, path: str, settle: Callable[[Any], None]) -> tuple[int, list[str]]:
    playwright, browser = _launch()
    try:
        context = browser.new_context()
        page = context.new_page()
        CountingHandler.reset()
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        settle(page)
        page.wait_for_timeout(1000)
        page.wait_for_load_state("networkidle")
        return CountingHandler.sent, list(CountingHandler.paths)
    finally:
        browser.close()
        playwright.stop()


def _service_worker_installed(page: Any) -> None:
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def _screening_done(page: Any) -> None:
    page.locator(ITEM).check()
    page.wait_for_selector("[data-screening-level]", timeout=120_000)
    _runtime_cached(page)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _row(name: str, value: str, target: str, verdict: str) -> str:
    return f"| {name:<46} | {value:>12} | {target:<22} | {verdict:<28} |"


def _judge(value: float, limit: float) -> str:
    if value <= limit:
        return f"met ({value / limit:.2f} of target)"
    return f"MISSED by {value - limit:.3g} ({value / limit:.2f}x)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_scripts.benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions for each measure (default 5)")
    parser.add_argument("--build-runs", type=int, default=3, help="repetitions of each build (default 3)")
    args = parser.parse_args(argv)

    print(f"Building ({args.build_runs} runs each, bundled and ten times the chapters)…", flush=True)
    bundled, tenfold, pages, bigger = build_times(args.build_runs, "http://127.0.0.1:8000/")
    _timed([sys.executable, "-m", "build_scripts.build"], ROOT)
    with serving(SITE) as url:
        print(f"Measuring in Chromium ({args.runs} runs)…", flush=True)
        cold, warm, trips = screening_times(url, args.runs)
        chapter_bytes, chapter_paths = first_visit_bytes(url, CHAPTER, _service_worker_installed)
        screening_bytes, _ = first_visit_bytes(url, SCREENING, _screening_done)

    def median(visits: list[Visit], field: str) -> float:
        return float(statistics.median(getattr(v, field) for v in visits))

    runtime_on_chapter = [p for p in chapter_paths if "/assets/pyodide/" in p or "/assets/engine/" in p]
    growth = (tenfold / bundled) / (bigger / pages)
    lines = [
        _row("Measure (median)", "value", "target", "verdict"),
        "|" + "-" * 48 + "|" + "-" * 14 + "|" + "-" * 24 + "|" + "-" * 30 + "|",
        _row("Form usable, cold (s)", f"{median(cold, 'form'):.3f}", "as soon as the HTML", "no script needed"),
        _row("Form usable, warm (s)", f"{median(warm, 'form'):.3f}", "as soon as the HTML", "no script needed"),
        _row("Engine ready, cold (s)", f"{median(cold, 'ready'):.3f}", "", ""),
        _row("Engine ready, warm (s)", f"{median(warm, 'ready'):.3f}", "", ""),
        _row(
            "First result after a click, cold (s)",
            f"{median(cold, 'result'):.3f}",
            "< 3 s",
            _judge(median(cold, "result"), 3.0),
        ),
        _row(
            "First result after a click, warm (s)",
            f"{median(warm, 'result'):.3f}",
            "< 1.0 s",
            _judge(median(warm, "result"), 1.0),
        ),
        _row("Answer change to result, median (ms)", f"{statistics.median(trips):.1f}", "", ""),
        _row(
            "Answer change to result, p95 (ms)",
            f"{_percentile(trips, 0.95):.1f}",
            "< 50 ms",
            _judge(_percentile(trips, 0.95), 50.0),
        ),
        _row(
            "Chapter page, first visit (KB sent)",
            f"{chapter_bytes / 1000:.0f}",
            "< 500 KB, no runtime",
            _judge(chapter_bytes / 1000, 500.0) + ("" if not runtime_on_chapter else " RUNTIME FETCHED"),
        ),
        _row("Screening page, first visit (KB sent)", f"{screening_bytes / 1000:.0f}", "", ""),
        _row(f"Build, bundled content ({pages} pages) (s)", f"{bundled:.2f}", "", ""),
        _row(f"Build, ten times the chapters ({bigger} pages) (s)", f"{tenfold:.2f}", "", ""),
        _row("Build growth per page, tenfold / bundled", f"{growth:.2f}", "<= 1.0 (linear)", _judge(growth, 1.0)),
    ]
    print("\n".join(lines))
    for name, visits in (("cold", cold), ("warm", warm)):
        steps = {k: statistics.median(v.steps.get(k, 0) for v in visits) for k in visits[0].steps}
        print(f"Engine start inside the worker, {name} (ms from the worker's start, median): {steps}")
    print(
        f"\n{len(trips)} answer changes; {args.runs} cold and {args.runs} warm visits; "
        f"runtime files fetched by the chapter page: {len(runtime_on_chapter)}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
