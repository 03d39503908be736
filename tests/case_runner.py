"""Run a case table through the engine; the same file runs in CPython and inside Pyodide.

Standard library and the ``screening`` package only, so it can be copied into the Pyodide
file system as it is.
"""

from __future__ import annotations

from typing import Any


def run_cases(protocol_data: dict[str, Any], cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each case's full result, or the error it raised, keyed by the case's name."""
    from screening import AnswerError, assess, load_protocol

    protocol = load_protocol(protocol_data)
    outcomes: list[dict[str, Any]] = []
    for case in cases:
        try:
            result = assess(protocol, case["answers"])
        except AnswerError as exc:
            outcomes.append({"name": case["name"], "error": type(exc).__name__, "item": exc.item, "message": str(exc)})
        else:
            outcomes.append({"name": case["name"], "result": result.to_dict()})
    return outcomes


def run_tables(protocols: dict[str, dict[str, Any]], tables: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The outcomes of each table, in the tables' order."""
    return [run_cases(protocols[table["protocol"]], table["cases"]) for table in tables]
