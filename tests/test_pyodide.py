"""The same case tables inside the real Pyodide runtime (npm package, under Node.js).

The wheel under test is built with the same function the site build uses, so what runs
here is what the browser loads.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.case_runner import run_tables
from tests.conftest import ROOT, case_study_tables, case_tables

pytestmark = pytest.mark.pyodide

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory: pytest.TempPathFactory, protocol_data: dict[str, Any]) -> dict[str, Any]:
    from build_scripts.engine_assets import build_wheel_into

    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed to run Pyodide tests")
    if not (ROOT / "node_modules" / "pyodide").exists():
        pytest.fail("node_modules/pyodide is missing: run 'npm ci' (the README's test command does)")
    wheel = build_wheel_into(tmp_path_factory.mktemp("wheel"))
    payload = json.dumps({"protocols": protocol_data, "tables": all_tables()})
    result = subprocess.run(
        [node, str(HERE / "pyodide" / "run_cases.mjs"), str(wheel), str(HERE / "case_runner.py")],
        input=payload,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"Pyodide run failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_runs_in_pyodide_not_cpython(pyodide_run: dict[str, Any]) -> None:
    assert pyodide_run["platform"] == "emscripten"
    assert pyodide_run["python"].startswith("3.")


def test_engine_does_not_import_yaml(pyodide_run: dict[str, Any]) -> None:
    assert pyodide_run["yaml_imported"] is False


def all_tables() -> list[dict[str, Any]]:
    """The protocols' case tables and the trainers' case studies, as tables."""
    return case_tables() + case_study_tables()


def test_pyodide_results_equal_cpython_results(pyodide_run: dict[str, Any], protocol_data: dict[str, Any]) -> None:
    tables = all_tables()
    expected = run_tables(protocol_data, tables)
    assert len(pyodide_run["outcomes"]) == len(expected) == len(tables)
    for table, mine, theirs in zip(tables, expected, pyodide_run["outcomes"], strict=True):
        assert theirs == mine, f"{table['protocol']}: results differ in Pyodide"


def test_expected_levels_hold_in_pyodide(pyodide_run: dict[str, Any]) -> None:
    for table, outcomes in zip(all_tables(), pyodide_run["outcomes"], strict=True):
        for case, outcome in zip(table["cases"], outcomes, strict=True):
            if "level" in case:
                assert outcome["result"]["level"]["id"] == case["level"], f"{table['protocol']}: {case['name']}"
