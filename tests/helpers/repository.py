"""Where the tests find the repository and their data, and the protocols' case tables as tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
DATA = TESTS / "data"
CASES = ROOT / "protocols" / "cases"


def case_tables() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(CASES.glob("*.json"))]


def case_study_tables() -> list[dict[str, Any]]:
    """The trainers' case studies as one case table per protocol: answers and expected level."""
    from build_scripts.case_studies import load_cases
    from screening_cli.protocol_files import load_directory

    protocols = load_directory(ROOT / "protocols")
    tables: dict[str, list[dict[str, Any]]] = {p.id: [] for p in protocols}
    for case in load_cases(protocols, ROOT / "case-studies"):
        for entry in case.answers:
            tables[entry.protocol].append(
                {"name": f"case study {case.id}", "answers": entry.answers, "level": entry.level}
            )
    return [{"protocol": protocol, "cases": cases} for protocol, cases in tables.items() if cases]


def one_case_per_level(table: dict[str, Any]) -> list[dict[str, Any]]:
    """The first case of a case table for each level it reaches."""
    chosen: dict[str, dict[str, Any]] = {}
    for case in table["cases"]:
        if "level" in case:
            chosen.setdefault(case["level"], case)
    return list(chosen.values())
