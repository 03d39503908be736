"""The engine inside the real Pyodide runtime (npm package, under Node.js), as the browser runs it.

The wheel under test is built by the function the site build uses, so what runs here is
what the browser loads. One Pyodide start runs, through the engine's JSON contract, the
protocols' case tables and the trainers' case studies, and every test anywhere in tests/
marked ``pyodide_too``; each is then compared with, or reported as, a test here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from build_scripts.json_schemas import RESULT_SCHEMA
from tests.helpers.case_runner import run_tables
from tests.helpers.repository import ROOT, case_study_tables, case_tables
from tests.pyodide.marked_tests import MARK, marked

pytestmark = pytest.mark.pyodide

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
HELPERS = TESTS / "helpers"
# Test modules holding a test marked pyodide_too, found by the mark's name in their text.
MARKED_MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts)
    for p in TESTS.glob("*/test_*.py")
    if p.parent != HERE and MARK in p.read_text()
)


def pytest_ids(modules: list[str]) -> dict[str, str]:
    """Each marked case's id in the runner (``module::test[n]``) -> its id in pytest.

    pytest's own collection of the marked tests names them; both expand ``parametrize`` in
    the same order, so the n-th case of a test is the n-th id pytest gives it."""
    files = [module.replace(".", "/") + ".py" for module in modules]
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-m", MARK, *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    by_test: dict[str, list[str]] = {}
    for node_id in (line for line in collected.stdout.splitlines() if "::" in line):
        by_test.setdefault(node_id.split("[")[0], []).append(node_id)
    ids = {}
    for module, file in zip(modules, files, strict=True):
        for case_id, func, _ in marked(module):
            suffix = case_id.removeprefix(f"{module}::{func.__name__}")
            node_ids = by_test.get(f"{file}::{func.__name__}", [])
            index = int(suffix[1:-1]) if suffix else 0
            ids[case_id] = node_ids[index] if index < len(node_ids) else f"{case_id} (not collected by pytest)"
    return ids


# The runner's id of each marked case -> pytest's (tests/engine/test_x.py::test_y[param]).
PYTEST_IDS = pytest_ids(MARKED_MODULES)
MARKED = sorted(PYTEST_IDS.values())

RUN = f"""
import json, sys
from case_runner import run_tables
from run_marked import run
from schema_check import errors
data = json.loads(open("/home/pyodide/payload.json").read())
outcomes = run_tables(data["protocols"], data["tables"])
results = [o["result"] for table in outcomes for o in table if o["ok"]]
json.dumps({{
    "python": sys.version.split()[0],
    "platform": sys.platform,
    "outcomes": outcomes,
    "schema_checked": len(results),
    "schema_errors": [e for result in results for e in errors(data["result_schema"], result)],
    "marked": run({MARKED_MODULES!r}),
    "yaml_imported": "yaml" in sys.modules,
}})
"""


def all_tables() -> list[dict[str, Any]]:
    """The protocols' case tables and the trainers' case studies, as tables."""
    return case_tables() + case_study_tables()


def _files(protocol_data: dict[str, Any]) -> dict[str, str]:
    files = {
        "case_runner.py": (HELPERS / "case_runner.py").read_text(encoding="utf-8"),
        "run_marked.py": (HERE / "marked_tests.py").read_text(encoding="utf-8"),
        "pytest.py": (HERE / "pytest_stub.py").read_text(encoding="utf-8"),
        "tests/helpers/case_runner.py": (HELPERS / "case_runner.py").read_text(encoding="utf-8"),
        "schema_check.py": (HELPERS / "schema_check.py").read_text(encoding="utf-8"),
        "tests/helpers/schema_check.py": (HELPERS / "schema_check.py").read_text(encoding="utf-8"),
        "payload.json": json.dumps(
            {
                "protocols": protocol_data,
                "tables": all_tables(),
                "result_schema": json.loads(RESULT_SCHEMA.read_text("utf-8")),
            }
        ),
    }
    for module in MARKED_MODULES:
        files[module.replace(".", "/") + ".py"] = (ROOT / (module.replace(".", "/") + ".py")).read_text("utf-8")
    for data in (TESTS / "data").glob("*.json"):
        files[f"tests/data/{data.name}"] = data.read_text(encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory: pytest.TempPathFactory, protocol_data: dict[str, Any]) -> dict[str, Any]:
    from build_scripts.engine_assets import build_wheel_into

    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed to run Pyodide tests")
    if not (ROOT / "node_modules" / "pyodide").exists():
        pytest.fail("node_modules/pyodide is missing: run 'npm ci' (the README's test command does)")
    wheel = build_wheel_into(tmp_path_factory.mktemp("wheel"))
    result = subprocess.run(
        [node, str(HERE / "run_python.mjs"), str(wheel)],
        input=json.dumps({"files": _files(protocol_data), "code": RUN}),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"Pyodide run failed:\n{result.stderr[-4000:]}")
    run: dict[str, Any] = json.loads(result.stdout)
    run["marked"] = {PYTEST_IDS.get(case_id, case_id): outcome for case_id, outcome in run["marked"].items()}
    return run


def test_runs_in_pyodide_not_cpython(pyodide_run: dict[str, Any]) -> None:
    assert pyodide_run["platform"] == "emscripten"
    assert pyodide_run["python"].startswith("3.")


def test_engine_does_not_import_yaml(pyodide_run: dict[str, Any]) -> None:
    assert pyodide_run["yaml_imported"] is False


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


def test_every_case_result_conforms_to_the_result_schema_in_pyodide(pyodide_run: dict[str, Any]) -> None:
    """schemas/result.schema.json, checked inside Pyodide by tests/helpers/schema_check.py (no jsonschema there)."""
    ok = sum(outcome["ok"] for outcomes in pyodide_run["outcomes"] for outcome in outcomes)
    assert pyodide_run["schema_checked"] == ok > 100
    assert pyodide_run["schema_errors"] == []


def test_every_marked_test_was_run(pyodide_run: dict[str, Any]) -> None:
    assert MARKED, "no test is marked pyodide_too"
    assert sorted(pyodide_run["marked"]) == sorted(MARKED)


@pytest.mark.parametrize("node_id", MARKED, ids=MARKED)
def test_marked_test_passes_in_pyodide(pyodide_run: dict[str, Any], node_id: str) -> None:
    """Each marked test, in Pyodide, under pytest's own id (the one that runs it in CPython)."""
    outcome = pyodide_run["marked"].get(node_id, "not run in Pyodide")
    assert outcome == "passed", f"{node_id} in Pyodide:\n{outcome}"
