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
from tests.conftest import ROOT, case_tables

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
    payload = json.dumps({"protocols": protocol_data, "tables": case_tables()})
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


def test_pyodide_results_equal_cpython_results(pyodide_run: dict[str, Any], protocol_data: dict[str, Any]) -> None:
    expected = run_tables(protocol_data, case_tables())
    assert set(pyodide_run["outcomes"]) == set(expected)
    for protocol_id, outcomes in expected.items():
        for mine, theirs in zip(outcomes, pyodide_run["outcomes"][protocol_id], strict=True):
            assert theirs == mine, f"{protocol_id}: {mine['name']} differs in Pyodide"
