"""The protocols' case tables, in CPython (tests/pyodide/test_pyodide.py runs the same in Pyodide)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.case_runner import run_cases
from tests.helpers.repository import case_tables

TABLES = case_tables()


def _ids(table: dict[str, Any]) -> list[str]:
    return [case["name"] for case in table["cases"]]


@pytest.mark.parametrize("table", TABLES, ids=[t["protocol"] for t in TABLES])
def test_every_case_gives_its_expected_outcome(table: dict[str, Any], protocol_data: dict[str, Any]) -> None:
    outcomes = run_cases(protocol_data[table["protocol"]], table["cases"])
    failures = []
    for case, outcome in zip(table["cases"], outcomes, strict=True):
        if "error" in case:
            error = outcome.get("error") or {}
            got = (error.get("type"), error.get("item"))
            if got != (case["error"], case["item"]):
                failures.append(f"{case['name']}: expected {case['error']} for {case['item']}, got {got}")
            continue
        if "result" not in outcome:
            failures.append(f"{case['name']}: {outcome['error']['type']}: {outcome['error']['message']}")
            continue
        result = outcome["result"]
        if result["level"]["id"] != case["level"]:
            failures.append(f"{case['name']}: expected {case['level']}, got {result['level']['id']}")
        if "fired" in case and sorted(f["rule"] for f in result["fired"]) != sorted(case["fired"]):
            failures.append(
                f"{case['name']}: expected rules {case['fired']}, got {[f['rule'] for f in result['fired']]}"
            )
    assert not failures, "\n".join(failures)


def test_every_protocol_has_a_case_table(protocol_data: dict[str, Any]) -> None:
    assert sorted(t["protocol"] for t in TABLES) == sorted(protocol_data)


@pytest.mark.parametrize("table", TABLES, ids=[t["protocol"] for t in TABLES])
def test_case_tables_reach_every_level(table: dict[str, Any], protocol_data: dict[str, Any]) -> None:
    levels = {lv["id"] for lv in protocol_data[table["protocol"]]["levels"]}
    reached = {case["level"] for case in table["cases"] if "level" in case}
    assert reached == levels
