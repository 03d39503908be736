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
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from build_scripts.paths import ROOT, SITE

from .benchmark_sites import (
    _screening_done,
    _service_worker_installed,
    _timed,
    build_times,
    first_visit_bytes,
    serving,
    site_variants,
    snapshot_steps,
)
from .benchmark_table import _judge, _median, _pair, _pair_header, _percentile, _row, _starts, _steps
from .benchmark_visit import (
    ITEM,
    PROBE,
    ROUND_TRIP,
    SCREENING,
    THROTTLED,
    Timings,
    Visit,
    _launch,
    _runtime_cached,
    _visit,
    screening_times,
)

# The visits, builds and table are split by role into benchmark_visit, benchmark_sites and
# benchmark_table; the names other benchmarks import stay importable from here.
__all__ = [
    "ITEM",
    "PROBE",
    "ROUND_TRIP",
    "SCREENING",
    "THROTTLED",
    "Visit",
    "_launch",
    "_percentile",
    "_runtime_cached",
    "_visit",
    "main",
]
CHAPTER = "understanding/indicators/"


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
