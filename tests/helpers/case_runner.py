"""Run a case table through the engine's JSON contract; the same file runs in CPython and in Pyodide.

Standard library and the ``screening`` package only, so it can be copied into the Pyodide
file system as it is. Every case goes through ``screening.json_api.assess_json``, the one
function the page's worker and ``python -m screening assess --json`` call.
"""

from __future__ import annotations

import json
from typing import Any


def run_cases(protocol_data: dict[str, Any], cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each case's reply envelope ({"ok", "result"} or {"ok", "error"}), with the case's name."""
    from screening.json_api import assess_json

    protocol_json = json.dumps(protocol_data, ensure_ascii=False, sort_keys=True)
    outcomes: list[dict[str, Any]] = []
    for case in cases:
        reply = json.loads(assess_json(protocol_json, json.dumps({"answers": case["answers"]})))
        outcomes.append({"name": case["name"], **reply})
    return outcomes


def run_tables(protocols: dict[str, dict[str, Any]], tables: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The outcomes of each table, in the tables' order."""
    return [run_cases(protocols[table["protocol"]], table["cases"]) for table in tables]
