"""Measure the site where readers feel it: ``python -m tools.benchmark [--runs N]``.

Builds the site (and a copy with ten times the chapters), serves it from this machine,
drives Chromium and prints medians over repeated runs with the targets beside them:

- screening page, cold (empty cache) and warm (cached), side by side for the normal start
  and the snapshot start (the same build served twice, once without its snapshot): time to
  the form usable, to the engine ready, and to the first result after a click, from the
  start of navigation, with the ratio snapshot / normal;
- a first visit that fetches the snapshot before starting (``CSE_SNAPSHOT=eager``), on
  this machine and on a throttled link, against the normal start: the figures behind
  fetching it only after the engine is ready;
- the same worker started by a page with nothing else on it, after the warm visit: how much
  of a warm start is the engine's own and how much the page's;
- one answer change to an updated result: median and 95th percentile;
- bytes sent by the server for a first visit to a chapter page and to a screening page;
- build time for the bundled content and for ten times the chapters, and the snapshot step.
"""

from __future__ import annotations

import argparse
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
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_scripts.offline import write_service_worker
from build_scripts.paths import ROOT, SITE

from .benchmark_size import copy_repository
from .browser import CHROMIUM, CHROMIUM_ARGS, wait_until
from .serve import SiteHandler

SCREENING = "screening/pan-lancashire/"
# A slow shared connection: 5 Mbit/s down, 40 ms round trip (Chromium's network emulation).
THROTTLED = {"offline": False, "latency": 40, "downloadThroughput": 625_000, "uploadThroughput": 312_500}
CHAPTER = "understanding/indicators/"
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


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _row(name: str, value: str, target: str, verdict: str) -> str:
    return f"| {name:<46} | {value:>12} | {target:<22} | {verdict:<28} |"


def _pair(name: str, normal: float, snapshot: float, digits: int, target: str, verdict: str) -> str:
    ratio = snapshot / normal if normal else float("nan")
    return (
        f"| {name:<40} | {normal:>9.{digits}f} | {snapshot:>9.{digits}f} | {ratio:>6.2f} "
        f"| {target:<26} | {verdict:<36} |"
    )


def _pair_header() -> list[str]:
    names = f"| {'Measure (median)':<40} | {'normal':>9} | {'snapshot':>9} | {'ratio':>6} "
    head = names + f"| {'target':<26} | {'verdict':<36} |"
    rule = "|" + "-" * 42 + "|" + "-" * 11 + "|" + "-" * 11 + "|" + "-" * 8 + "|" + "-" * 28 + "|" + "-" * 38 + "|"
    return [head, rule]


def _judge(value: float, limit: float) -> str:
    if value <= limit:
        return f"met ({value / limit:.2f} of target)"
    return f"MISSED by {value - limit:.3g} ({value / limit:.2f}x)"


def _median(visits: list[Visit], field: str) -> float:
    return float(statistics.median(getattr(v, field) for v in visits))


def _starts(visits: list[Visit]) -> str:
    kinds = [v.start for v in visits]
    return ", ".join(f"{kinds.count(k)} {k}" for k in sorted(set(kinds)))


def _steps(visits: list[Visit]) -> dict[str, float]:
    keys = [k for k, v in visits[0].steps.items() if isinstance(v, int | float)]
    return {k: statistics.median(v.steps.get(k, 0) for v in visits) for k in keys}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions for each measure (default 5)")
    parser.add_argument("--build-runs", type=int, default=3, help="repetitions of each build (default 3)")
    parser.add_argument("--throttled-runs", type=int, default=2, help="cold visits on the throttled link (default 2)")
    args = parser.parse_args(argv)

    print(f"Building ({args.build_runs} runs each, bundled and ten times the chapters)…", flush=True)
    bundled, tenfold, pages, bigger = build_times(args.build_runs, "http://127.0.0.1:8000/")
    _timed([sys.executable, "-m", "build_scripts.build"], ROOT)
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as servers:
        variants = site_variants(SITE, Path(tmp))
        urls = {name: servers.enter_context(serving(folder)) for name, folder in variants.items()}
        playwright, browser = _launch()
        try:
            print(f"Measuring in Chromium ({args.runs} runs of each start)…", flush=True)
            normal, snapshot, eager = Timings([], [], []), Timings([], [], []), Timings([], [], [])
            for _ in range(args.runs):  # interleaved, so a busy moment of the machine hits every start alike
                normal.add(screening_times(browser, urls["normal"], 1))
                snapshot.add(screening_times(browser, urls["snapshot"], 1))
                eager.add(screening_times(browser, urls["eager"], 1, warm=False))
            print(f"Cold visits on a throttled link ({args.throttled_runs} runs of each)…", flush=True)
            slow_normal, slow_eager = Timings([], [], []), Timings([], [], [])
            for _ in range(args.throttled_runs):
                slow_normal.add(screening_times(browser, urls["normal"], 1, False, THROTTLED))
                slow_eager.add(screening_times(browser, urls["eager"], 1, False, THROTTLED))
            chapter_bytes, chapter_paths = first_visit_bytes(
                browser, urls["snapshot"], CHAPTER, _service_worker_installed
            )
            normal_bytes, _ = first_visit_bytes(browser, urls["normal"], SCREENING, _screening_done)
            snapshot_bytes, snapshot_paths = first_visit_bytes(browser, urls["snapshot"], SCREENING, _screening_done)
        finally:
            browser.close()
            playwright.stop()

    runtime_on_chapter = [p for p in chapter_paths if "/assets/pyodide/" in p or "/assets/engine/" in p]
    growth = (tenfold / bundled) / (bigger / pages)
    n, s = normal, snapshot
    warm_ready = _median(s.warm, "ready")
    warm_ratio = warm_ready / _median(n.warm, "ready")
    cold_ratio = _median(s.cold, "ready") / _median(n.cold, "ready")
    warm_verdict = _judge(warm_ready, 0.5) if warm_ratio <= 0.25 else f"MISSED: {warm_ratio:.2f} of normal"
    lines = [
        *_pair_header(),
        _pair("Form usable, cold (s)", _median(n.cold, "form"), _median(s.cold, "form"), 3, "as soon as the HTML", ""),
        _pair("Form usable, warm (s)", _median(n.warm, "form"), _median(s.warm, "form"), 3, "as soon as the HTML", ""),
        _pair(
            "Engine ready, cold (s)",
            _median(n.cold, "ready"),
            _median(s.cold, "ready"),
            3,
            "no slower than normal",
            "met (same start)" if cold_ratio <= 1.1 else f"MISSED ({cold_ratio:.2f}x)",
        ),
        _pair(
            "Engine ready, warm (s)",
            _median(n.warm, "ready"),
            warm_ready,
            3,
            "<= 0.5 s and <= 0.25x",
            warm_verdict,
        ),
        _pair(
            "Engine ready, warm, worker alone (s)",
            statistics.median(n.alone),
            statistics.median(s.alone),
            3,
            "the engine's own share",
            "",
        ),
        _pair(
            "First result after a click, cold (s)",
            _median(n.cold, "result"),
            _median(s.cold, "result"),
            3,
            "< 3 s",
            _judge(_median(s.cold, "result"), 3.0),
        ),
        _pair(
            "First result after a click, warm (s)",
            _median(n.warm, "result"),
            _median(s.warm, "result"),
            3,
            "< 1.0 s",
            _judge(_median(s.warm, "result"), 1.0),
        ),
        _pair(
            "Answer change to result, median (ms)", statistics.median(n.trips), statistics.median(s.trips), 1, "", ""
        ),
        _pair(
            "Answer change to result, p95 (ms)",
            _percentile(n.trips, 0.95),
            _percentile(s.trips, 0.95),
            1,
            "< 50 ms",
            _judge(_percentile(s.trips, 0.95), 50.0),
        ),
        _pair("Screening page, first visit (KB sent)", normal_bytes / 1000, snapshot_bytes / 1000, 0, "", ""),
        "",
        *_pair_header(),
        _pair(
            "Engine ready, cold, fetched first (s)",
            _median(n.cold, "ready"),
            _median(eager.cold, "ready"),
            3,
            "this machine",
            "",
        ),
        _pair(
            "Engine ready, cold, 5 Mbit/s (s)",
            _median(slow_normal.cold, "ready"),
            _median(slow_eager.cold, "ready"),
            3,
            "throttled link",
            "",
        ),
        "",
        _row("Measure (median)", "value", "target", "verdict"),
        "|" + "-" * 48 + "|" + "-" * 14 + "|" + "-" * 24 + "|" + "-" * 30 + "|",
        _row(
            "Chapter page, first visit (KB sent)",
            f"{chapter_bytes / 1000:.0f}",
            "< 500 KB, no runtime",
            _judge(chapter_bytes / 1000, 500.0) + ("" if not runtime_on_chapter else " RUNTIME FETCHED"),
        ),
        _row(f"Build, bundled content ({pages} pages) (s)", f"{bundled:.2f}", "", ""),
        _row(f"Build, ten times the chapters ({bigger} pages) (s)", f"{tenfold:.2f}", "", ""),
        _row("Build growth per page, tenfold / bundled", f"{growth:.2f}", "<= 1.0 (linear)", _judge(growth, 1.0)),
        _row(
            "Build, snapshot made and verified (s)",
            f"{statistics.median(snapshot_steps):.1f}" if snapshot_steps else "none",
            "seconds, not minutes",
            _judge(statistics.median(snapshot_steps), 60.0) if snapshot_steps else "NO SNAPSHOT",
        ),
    ]
    print("\n".join(lines))
    for name, timings in (("normal", n), ("snapshot", s), ("fetched first", eager)):
        for when, visits in (("cold", timings.cold), ("warm", timings.warm)):
            if visits:
                print(f"Engine start in the worker, {name}, {when} ({_starts(visits)}; ms, median): {_steps(visits)}")
    snapshot_fetched = [p for p in snapshot_paths if "/assets/engine/snapshot." in p]
    print(
        f"\n{len(n.trips) + len(s.trips)} answer changes; {args.runs} cold and {args.runs} warm visits of each start; "
        f"runtime files fetched by the chapter page: {len(runtime_on_chapter)}; snapshot requests in a first "
        f"screening visit: {len(snapshot_fetched)}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
