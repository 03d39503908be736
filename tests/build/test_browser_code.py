"""The browser code's ties to the Python and its own checks.

- The training-case fragment and the packed snapshot are written in Python and read in
  JavaScript: both sides are held to the same vectors (tests/js/vectors/; the JavaScript
  side is in tests/js/).
- The Node tests' fixtures are what the engine and the page template give now.
- The service worker's cache names use the prefix written once, in site-cache.js.
- The type check and the linter fail on a deliberate error in a copy of the code, and pass
  on the untouched copy.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from build_scripts import offline
from build_scripts import snapshot as snap
from build_scripts.case_studies import CaseStudy, ProtocolAnswers
from tools import js_fixtures

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "js" / "vectors"
NODE_BIN = ROOT / "node_modules" / ".bin"


def _vectors(name: str) -> dict[str, Any]:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_python_writes_each_training_case_fragment_the_javascript_reads() -> None:
    vectors = _vectors("case-fragment.json")["written"]
    assert len(vectors) >= 3
    for vector in vectors:
        case = vector["case"]
        study = CaseStudy(
            id=case["id"],
            title=case["title"],
            summary="",
            age=0,
            story="",
            discussion=(),
            facilitator_notes=(),
            read=(),
            answers=(ProtocolAnswers(case["protocol"], case["answers"], "any-level"),),
        )
        assert study.fragment(case["protocol"]) == vector["fragment"]


def _memory(spec: dict[str, Any]) -> bytes:
    memory = bytearray(spec["length"])
    for offset, text in spec["fill"]:
        data = bytes.fromhex(text)
        memory[offset : offset + len(data)] = data
    return bytes(memory)


def test_the_python_packs_each_snapshot_the_javascript_unpacks() -> None:
    vectors = _vectors("snapshot.json")
    assert vectors["page"] == snap.PAGE
    assert len(vectors["valid"]) >= 3
    for vector in vectors["valid"]:
        memory = _memory(vector["memory"])
        packed = base64.b64decode(vector["packed"])
        assert snap.pack(memory) == packed, vector["why"]
        assert snap.unpack(packed, len(memory)) == memory, vector["why"]


def test_both_unpackers_refuse_the_same_damaged_snapshots() -> None:
    damaged = _vectors("snapshot.json")["damaged"]
    assert len(damaged) >= 5
    for vector in damaged:
        with pytest.raises(snap.SnapshotError):
            snap.unpack(base64.b64decode(vector["packed"]), vector["memory_bytes"])


def test_the_node_tests_fixtures_are_what_the_engine_and_template_give_now() -> None:
    stale = [path.relative_to(ROOT).as_posix() for path in js_fixtures.stale()]
    assert stale == [], "run: .venv/bin/python -m tools.js_fixtures"


def test_the_service_worker_names_its_caches_with_the_one_prefix(tmp_path: Path) -> None:
    module = (ROOT / "docs" / "assets" / "javascripts" / "site-cache.js").read_text(encoding="utf-8")
    prefix = offline.site_cache_prefix()
    assert f'export const SITE_CACHE_PREFIX = "{prefix}";' in module
    (tmp_path / "index.html").write_text("<p>home</p>", encoding="utf-8")
    offline.write_service_worker(tmp_path)
    worker = (tmp_path / "sw.js").read_text(encoding="utf-8")
    assert f"const PREFIX = {json.dumps(prefix)};" in worker
    assert "__PREFIX__" not in worker
    for name in ("engine-start.js", "offline.js"):
        source = (ROOT / "docs" / "assets" / "javascripts" / name).read_text(encoding="utf-8")
        assert prefix not in source and "SITE_CACHE_PREFIX" in source, name


# The browser code and its checks' settings, copied as they are.
CHECKED = [
    "package.json",
    "tsconfig.json",
    "tsconfig.sw.json",
    "eslint.config.js",
    ".prettierrc.json",
    ".prettierignore",
    "schemas/contract.d.ts",
    "docs/assets/javascripts",
    "build_scripts/templates/sw.js",
    "build_scripts/templates/sw-globals.d.ts",
    "tools/bench_pages",
    "build_scripts/node",
    "tests/js",
    "tests/pyodide/run_python.mjs",
]


@pytest.fixture(scope="module")
def code_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (NODE_BIN / "tsc").exists():
        pytest.fail("the npm packages are not installed: run bash tools/setup.sh")
    copy = tmp_path_factory.mktemp("browser-code")
    for name in CHECKED:
        source, target = ROOT / name, copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


def _check(copy: Path, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NODE_BIN / tool), *args], cwd=copy, capture_output=True, text=True, timeout=300, check=False
    )


def _typecheck(copy: Path) -> subprocess.CompletedProcess[str]:
    """tsc on the copy; after the first run it checks again only what an edit touches (its
    --incremental record is kept in the copy, whose files it hashes)."""
    for config in ("tsconfig.json", "tsconfig.sw.json"):
        record = f"{config}.tsbuildinfo"
        run = _check(copy, "tsc", "--noEmit", "--incremental", "--tsBuildInfoFile", record, "-p", config)
        if run.returncode != 0:
            break
    return run


def _lint(copy: Path) -> subprocess.CompletedProcess[str]:
    """ESLint on the copy; after the first run it lints again only the files whose content changed."""
    return _check(copy, "eslint", "--max-warnings", "0", "--cache", "--cache-strategy", "content", ".")


def _edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


def test_the_untouched_copy_passes_the_type_check_and_the_linter(code_copy: Path) -> None:
    for run in (_typecheck(code_copy), _lint(code_copy)):
        assert run.returncode == 0, run.stdout + run.stderr


def test_a_type_error_fails_the_type_check(code_copy: Path) -> None:
    module = code_copy / "docs" / "assets" / "javascripts" / "screening-report.js"
    # A result's level is an object: its label is text, never a number.
    original = _edit(module, "`Protocol: ${result.title}", "`Protocol: ${result.level.label.toFixed(1)}")
    try:
        run = _typecheck(code_copy)
        assert run.returncode != 0
        assert "screening-report.js" in run.stdout and "toFixed" in run.stdout
        assert _lint(code_copy).returncode == 0, "the linter does not see types"
    finally:
        module.write_text(original, encoding="utf-8")


def test_a_lint_error_fails_the_linter(code_copy: Path) -> None:
    module = code_copy / "docs" / "assets" / "javascripts" / "screening-request.js"
    loose = "  const answers = {};\n  if (answers == null) return readRequest(form);"
    original = _edit(module, "  const answers = {};", loose)
    try:
        run = _lint(code_copy)
        assert run.returncode != 0
        assert "screening-request.js" in run.stdout and "eqeqeq" in run.stdout
    finally:
        module.write_text(original, encoding="utf-8")
