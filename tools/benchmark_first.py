"""A first screening's speed, before and now, through nginx: ``python -m tools.benchmark_first``.

Builds the site twice: as before the trimmed library, the compressed copies and the start
chosen by the link (``CSE_STDLIB=full CSE_PRECOMPRESS=off CSE_SNAPSHOT=idle``: every first
visit takes the normal start), and as it is built now. Serves both from one Debian nginx with
``deploy/nginx.conf``, as deployed, and has Chromium visit a screening page in fresh profiles,
the two builds interleaved so that a busy moment of the machine hits both alike, on this
machine's own link and on a 5 Mbit/s one (Chromium's network emulation, as the main
benchmark throttles it): a cold visit (nothing cached), then, once the service worker holds
the runtime, a warm visit and twenty answer changes. Prints the medians side by side with
the ratio now / before and the targets, and which start each visit took and why.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .benchmark import PROBE, ROUND_TRIP, THROTTLED, Visit, _launch, _percentile, _runtime_cached, _visit
from .benchmark_bytes import build, nginx

BEFORE_ENV = {"CSE_STDLIB": "full", "CSE_PRECOMPRESS": "off", "CSE_SNAPSHOT": "idle"}
UNTHROTTLED = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
LINKS: dict[str, dict[str, Any] | None] = {"local link": None, "5 Mbit/s": THROTTLED}
# Targets: a cold first result after a tick at most 0.6x before on the local link and no
# slower (1.05x) at 5 Mbit/s; warm visits and answer changes no slower than before.
COLD_TARGETS = {"local link": 0.6, "5 Mbit/s": 1.05}
NOT_SLOWER = 1.05
TRIPS = 20


@dataclass
class Visits:
    """One build's visits on one link."""

    cold: list[Visit] = field(default_factory=list)
    warm: list[Visit] = field(default_factory=list)
    trips: list[float] = field(default_factory=list)


def visit_twice(browser: Any, url: str, conditions: dict[str, Any] | None, into: Visits) -> None:
    """A cold visit in a fresh profile; then, with the runtime cached, a warm one and answer changes."""
    context = browser.new_context()
    context.add_init_script(PROBE)
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    try:
        if conditions:
            session.send("Network.emulateNetworkConditions", conditions)
        into.cold.append(_visit(page, url))
        # The service worker fills its cache while the reader reads; not timed, so not throttled.
        session.send("Network.emulateNetworkConditions", UNTHROTTLED)
        _runtime_cached(page)
        page.wait_for_timeout(3000)  # past the snapshot's fetch for next time, where there is one
        if conditions:
            session.send("Network.emulateNetworkConditions", conditions)
        into.warm.append(_visit(page, url))
        into.trips.extend(page.evaluate(ROUND_TRIP, TRIPS))
    finally:
        context.close()


def _median(visits: list[Visit], name: str) -> float:
    return float(statistics.median(getattr(v, name) for v in visits))


def _verdict(ratio: float, target: float) -> str:
    return f"met (<= {target:.2f}x)" if ratio <= target else f"MISSED ({ratio:.2f}x > {target:.2f}x)"


def _line(name: str, before: float, now: float, digits: int, target: float | None) -> str:
    ratio = now / before if before else float("nan")
    aim = f"<= {target:.2f}x" if target is not None else ""
    verdict = _verdict(ratio, target) if target is not None else ""
    return f"| {name:<48} | {before:>8.{digits}f} | {now:>8.{digits}f} | {ratio:>5.2f} | {aim:<8} | {verdict:<24} |"


def table(results: dict[str, dict[str, Visits]]) -> list[str]:
    """The side-by-side table: results[link][build]."""
    lines = [
        f"| {'Measure (median)':<48} | {'before':>8} | {'now':>8} | {'ratio':>5} | {'target':<8} | {'verdict':<24} |",
        "|" + "-" * 50 + "|" + "-" * 10 + "|" + "-" * 10 + "|" + "-" * 7 + "|" + "-" * 10 + "|" + "-" * 26 + "|",
    ]
    for link, builds in results.items():
        b, n = builds["before"], builds["now"]
        lines += [
            _line(f"Engine ready, cold, {link} (s)", _median(b.cold, "ready"), _median(n.cold, "ready"), 2, None),
            _line(
                f"First result after a tick, cold, {link} (s)",
                _median(b.cold, "result"),
                _median(n.cold, "result"),
                2,
                COLD_TARGETS[link],
            ),
            _line(f"Engine ready, warm, {link} (s)", _median(b.warm, "ready"), _median(n.warm, "ready"), 2, NOT_SLOWER),
            _line(
                f"First result after a tick, warm, {link} (s)",
                _median(b.warm, "result"),
                _median(n.warm, "result"),
                2,
                NOT_SLOWER,
            ),
        ]
    trips = {name: [t for builds in results.values() for t in builds[name].trips] for name in ("before", "now")}
    lines.append(
        _line(
            "Answer change to result, p95 (ms)",
            _percentile(trips["before"], 0.95),
            _percentile(trips["now"], 0.95),
            1,
            NOT_SLOWER,
        )
    )
    return lines


def starts(results: dict[str, dict[str, Visits]]) -> list[str]:
    """Which start each build's visits took, and the reasons given for a first visit's choice."""
    lines = []
    for link, builds in results.items():
        for name, visits in builds.items():
            for when in ("cold", "warm"):
                taken = Counter(v.start for v in getattr(visits, when))
                reasons = Counter(
                    str(v.steps["choice_reason"]) for v in getattr(visits, when) if "choice_reason" in v.steps
                )
                speeds = [float(v.steps["link_mbps"]) for v in getattr(visits, when) if "link_mbps" in v.steps]
                said = "; ".join(f"{count}x {reason}" for reason, count in reasons.items()) or "no choice made"
                measured = f" (measured {min(speeds):.1f} to {max(speeds):.1f} Mbit/s)" if speeds else ""
                took = ", ".join(f"{count} {start}" for start, count in sorted(taken.items()))
                lines.append(f"- {link}, {name}, {when}: {took}{measured}; {said}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.benchmark_first", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold and warm visits of each build on each link (3)")
    parser.add_argument("--before", type=Path, help="a site built before (default: built now, with the changes off)")
    parser.add_argument("--now", type=Path, help="a site built now (default: built now)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cse-first-") as folder:
        tmp = Path(folder)
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (tmp / kind).mkdir()
        print("Building before and now…", flush=True)
        sites = {
            "before": (args.before or build(tmp / "before", BEFORE_ENV)).resolve(),
            "now": (args.now or build(tmp / "now", {})).resolve(),
        }
        results = {link: {name: Visits() for name in sites} for link in LINKS}
        playwright, browser = _launch()
        try:
            with nginx(sites, tmp) as served:
                for run in range(args.runs):
                    print(f"Run {run + 1} of {args.runs}…", flush=True)
                    for link, conditions in LINKS.items():
                        for name in sites:  # interleaved: a busy moment hits both builds alike
                            visit_twice(browser, served[name][0], conditions, results[link][name])
        finally:
            browser.close()
            playwright.stop()
    print("\n".join(table(results)))
    print("\n".join(starts(results)))
    print(
        f"Debian's nginx with deploy/nginx.conf; Chromium, fresh profiles; {args.runs} cold and {args.runs} warm "
        f"visits of each build on each link, {TRIPS} answer changes after each warm visit; "
        "5 Mbit/s is Chromium's emulation (40 ms round trip)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
