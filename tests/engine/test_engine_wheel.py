"""The wheel the browser downloads: the engine alone, and the same bytes on every build."""

from __future__ import annotations

import ast
import time
import zipfile
from pathlib import Path

import pytest

from build_scripts.engine_assets import build_wheel, build_wheel_into, compile_protocols
from screening_cli.protocol_files import load_directory
from tests.helpers.repository import ROOT

ENTRY = "screening/json_api.py"  # what the page's worker imports
IO_MODULES = {"yaml", "os", "io", "pathlib", "shutil", "subprocess", "socket", "urllib", "argparse", "tempfile"}
IO_CALLS = {"open", "read_text", "write_text", "read_bytes", "write_bytes", "urlopen"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    path = build_wheel_into(tmp_path_factory.mktemp("wheel"))
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _modules(wheel: dict[str, bytes]) -> dict[str, ast.Module]:
    return {name: ast.parse(data) for name, data in wheel.items() if name.endswith(".py")}


def _imports(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found |= {base} if node.module else {f"{base}{alias.name}" for alias in node.names}
    return found


def test_no_module_reads_yaml_or_files(wheel: dict[str, bytes]) -> None:
    for name, tree in _modules(wheel).items():
        absolute = {i.split(".")[0] for i in _imports(tree) if not i.startswith(".")}
        assert not absolute & IO_MODULES, f"{name} imports {absolute & IO_MODULES}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                assert called not in IO_CALLS, f"{name}:{node.lineno} calls {called}()"


def test_every_module_is_needed_by_the_worker_entry_point(wheel: dict[str, bytes]) -> None:
    modules = _modules(wheel)
    needed = {"screening/__init__.py"}  # always runs when screening.json_api is imported
    queue = [ENTRY, "screening/__init__.py"]
    while queue:
        name = queue.pop()
        needed.add(name)
        for imported in _imports(modules[name]):
            if imported.startswith(".") and not imported.startswith(".."):
                target = f"screening/{imported[1:].split('.')[0]}.py"
                if target in modules and target not in needed:
                    queue.append(target)
    assert set(modules) == needed, f"not needed in the browser: {sorted(set(modules) - needed)}"


def test_command_line_and_file_reading_are_left_out(wheel: dict[str, bytes]) -> None:
    names = set(wheel)
    assert ENTRY in names and "screening/engine.py" in names
    assert not [n for n in names if n.startswith("screening_cli/") or n.endswith("__main__.py")]
    assert not [n for n in names if not n.startswith(("screening/", "cse_screening-"))]


def test_metadata_is_short(wheel: dict[str, bytes]) -> None:
    metadata = next(data for name, data in wheel.items() if name.endswith(".dist-info/METADATA"))
    assert len(metadata) < 500, "the wheel's metadata should not carry the README"
    assert b"Name: cse-screening" in metadata


def test_wheel_installs_with_pip(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = build_wheel_into(tmp_path / "wheel")
    target = tmp_path / "site-packages"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (target / "screening").glob("*.py")) == sorted(
        Path(n).name for n in zipfile.ZipFile(path).namelist() if n.endswith(".py")
    )


def test_assets_are_reproducible(tmp_path: Path) -> None:
    protocols = load_directory(ROOT / "protocols")
    first, second = tmp_path / "one", tmp_path / "two"
    wheel_one = build_wheel(first)
    compiled_one = compile_protocols(protocols, first)
    time.sleep(1.1)  # a later clock must change nothing
    wheel_two = build_wheel(second)
    compiled_two = compile_protocols(protocols, second)
    assert wheel_one == wheel_two, "the wheel's content-hashed name changed between builds"
    assert compiled_one == compiled_two
    prefix = "assets/engine/"
    assert (first / wheel_one.removeprefix(prefix)).read_bytes() == (
        second / wheel_two.removeprefix(prefix)
    ).read_bytes()
    for protocol_id, path in compiled_one.items():
        one = (first / path.removeprefix(prefix)).read_bytes()
        assert one == (second / compiled_two[protocol_id].removeprefix(prefix)).read_bytes()
    written = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())


def test_zip_entries_are_sorted_with_one_fixed_time(wheel: dict[str, bytes], tmp_path: Path) -> None:
    path = build_wheel_into(tmp_path)
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    code = [i.filename for i in infos if i.filename.startswith("screening/")]
    assert code == sorted(code)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
