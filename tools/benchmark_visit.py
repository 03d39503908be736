"""The benchmark's visits in Chromium: what a screening page is timed by, and how it is driven.

Kept apart from the builds and the printed table because tools.benchmark_first and
tools.benchmark_bytes drive the same visits (the marks in ``PROBE``, the answer changes in
``ROUND_TRIP``, the throttled link) against builds of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .browser import CHROMIUM, CHROMIUM_ARGS, wait_until

SCREENING = "screening/pan-lancashire/"
# A slow shared connection: 5 Mbit/s down, 40 ms round trip (Chromium's network emulation).
THROTTLED = {"offline": False, "latency": 40, "downloadThroughput": 625_000, "uploadThroughput": 312_500}
# A page that starts the scoring worker and does nothing else, written into the copies served.
ALONE_FILES = Path(__file__).parent / "bench_pages"
ALONE = "worker-alone.html"
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


@dataclass
class Visit:
    form: float
    ready: float
    result: float
    steps: dict[str, Any]

    @property
    def start(self) -> str:
        return str(self.steps.get("start", "?"))


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
    wait_until(
        page,
        """(async () => {
          for (const name of await caches.keys()) {
            const keys = (await (await caches.open(name)).keys()).map((r) => r.url);
            if (keys.some((u) => u.endsWith("pyodide.asm.wasm"))) return true;
          }
          return false;
        })()""",
        120,
    )


@dataclass
class Timings:
    cold: list[Visit]
    warm: list[Visit]
    trips: list[float]
    alone: list[float] = field(default_factory=list)  # worker alone, warm: ready (s)

    def add(self, other: Timings) -> None:
        self.cold.extend(other.cold)
        self.warm.extend(other.warm)
        self.trips.extend(other.trips)
        self.alone.extend(other.alone)


def screening_times(
    browser: Any, url: str, runs: int, warm: bool = True, network: dict[str, Any] | None = None
) -> Timings:
    """Cold visits in fresh contexts; each followed, if ``warm``, by a warm visit and answer changes."""
    timings = Timings([], [], [])
    for _ in range(runs):
        context = browser.new_context()
        context.add_init_script(PROBE)
        page = context.new_page()
        if network:
            session = context.new_cdp_session(page)
            session.send("Network.enable")
            session.send("Network.emulateNetworkConditions", network)
        timings.cold.append(_visit(page, url))
        if warm:
            _runtime_cached(page)
            page.wait_for_timeout(500)
            timings.warm.append(_visit(page, url))
            timings.trips.extend(page.evaluate(ROUND_TRIP, 20))
            page.goto(url + ALONE)
            page.wait_for_function("window.__alone !== undefined", timeout=120_000)
            timings.alone.append(page.evaluate("window.__alone.ready") / 1000)
        context.close()
    return timings
