"""The trimmed standard library: smaller than Pyodide's, scores every case table under
Node.js as CPython does, a module it lacks stops the build by name, and CSE_STDLIB=full
keeps the whole library."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from build_scripts import stdlib_trim
from build_scripts.engine_assets import build_wheel_into
from build_scripts.errors import BuildError
from build_scripts.paths import NODE_PYODIDE
from build_scripts.snapshot import case_inputs

pytestmark = pytest.mark.pyodide

FULL = NODE_PYODIDE / "python_stdlib.zip"


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory, protocol_data: dict[str, Any]) -> Path:
    """A docs folder laid out as the build lays it out: wheel, protocols, manifest, full library."""
    docs = tmp_path_factory.mktemp("docs")
    engine_out = docs / "assets" / "engine"
    wheel = build_wheel_into(engine_out / "wheels" / "w")
    paths = {}
    for pid, data in protocol_data.items():
        path = engine_out / "protocols" / f"{pid}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        paths[pid] = path.relative_to(docs).as_posix()
    manifest = {"wheel": wheel.relative_to(docs).as_posix(), "protocols": paths}
    (engine_out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (docs / "assets" / "pyodide").mkdir(parents=True)
    shutil.copyfile(FULL, docs / "assets" / "pyodide" / "python_stdlib.zip")
    return docs


@pytest.fixture(scope="module")
def trimmed_docs(docs: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("trimmed") / "docs"
    shutil.copytree(docs, out)
    return out, stdlib_trim.trim_stdlib(out)


def _names(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as archive:
        return set(archive.namelist())


def test_the_trimmed_library_is_a_third_of_the_full_one_and_verified(trimmed_docs: tuple[Path, str]) -> None:
    docs, line = trimmed_docs
    trimmed = docs / "assets" / "pyodide" / "python_stdlib.zip"
    assert line.startswith("stdlib: trimmed to ") and "verified on" in line, line
    assert trimmed.stat().st_size < FULL.stat().st_size / 3
    names = _names(trimmed)
    assert names < _names(FULL)
    # What the engine and Pyodide's start import are there; what neither uses is not.
    for kept in ("json/decoder.py", "re/_parser.py", "dataclasses.py", "_pyodide/_base.py", "encodings/utf_8.py"):
        assert kept in names, kept
    for dropped in ("email/parser.py", "unittest/case.py", "xml/dom/minidom.py", "sqlite3/dbapi2.py"):
        assert dropped not in names, dropped


def test_trimming_twice_gives_the_same_bytes(trimmed_docs: tuple[Path, str], tmp_path: Path) -> None:
    docs, _ = trimmed_docs
    full = FULL.read_bytes()
    keep = _names(docs / "assets" / "pyodide" / "python_stdlib.zip")
    assert stdlib_trim.trimmed(full, keep) == stdlib_trim.trimmed(full, keep)
    assert stdlib_trim.trimmed(full, keep) == (docs / "assets" / "pyodide" / "python_stdlib.zip").read_bytes()


def test_a_module_the_engine_needs_missing_stops_the_build_by_name(
    trimmed_docs: tuple[Path, str], tmp_path: Path
) -> None:
    docs, _ = trimmed_docs
    trimmed = docs / "assets" / "pyodide" / "python_stdlib.zip"
    short = tmp_path / "python_stdlib.zip"
    short.write_bytes(stdlib_trim.trimmed(trimmed.read_bytes(), _names(trimmed) - {"dataclasses.py"}))
    manifest = json.loads((docs / "assets" / "engine" / "manifest.json").read_text(encoding="utf-8"))
    protocols = {pid: (docs / path).read_text(encoding="utf-8") for pid, path in manifest["protocols"].items()}
    with pytest.raises(BuildError, match="lacks the module dataclasses,"):
        stdlib_trim.verify(short, docs / manifest["wheel"], protocols, case_inputs(protocols))


def test_the_engine_names_its_imports_for_the_trim() -> None:
    names = stdlib_trim.named_imports()
    assert {"json", "re", "dataclasses", "collections.abc"} <= set(names)
    assert not [name for name in names if name.startswith("screening")]


def test_full_keeps_the_whole_library(docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "docs"
    shutil.copytree(docs, out)
    monkeypatch.setenv("CSE_STDLIB", "full")
    assert stdlib_trim.trim_stdlib(out) == "stdlib: full (CSE_STDLIB=full), 2.55 MB"
    assert (out / "assets" / "pyodide" / "python_stdlib.zip").read_bytes() == FULL.read_bytes()


def test_without_case_tables_the_full_library_is_published(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    shutil.copytree(docs, out)
    (tmp_path / "tables").mkdir()
    line = stdlib_trim.trim_stdlib(out, tables=tmp_path / "tables")
    assert line.startswith("stdlib: full, as a trimmed one cannot be verified: no case tables"), line
    assert (out / "assets" / "pyodide" / "python_stdlib.zip").read_bytes() == FULL.read_bytes()
