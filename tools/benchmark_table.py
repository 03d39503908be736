"""The benchmark's printed table: medians, percentiles, ratios and verdicts against the targets.

Kept apart so that the figures are worded one way, whatever measured them.
"""

from __future__ import annotations

import statistics

from .benchmark_visit import Visit


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
