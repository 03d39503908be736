"""Compile the protocols, build the engine wheel and copy the Pyodide core into docs/assets."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from screening.dumping import dump_protocol
from screening.files.yaml_source import load_directory
from screening.model import Protocol

from .paths import ENGINE_OUT, NODE_PYODIDE, PROTOCOLS, PYODIDE_FILES, PYODIDE_OUT, ROOT


class BuildError(Exception):
    """A build step cannot go on; the message says what to do."""


@dataclass(frozen=True)
class EngineAssets:
    """What the pages need to know: where each file was written, relative to docs/."""

    wheel: str
    protocols: dict[str, str]
    pyodide_version: str


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _relative(path: Path) -> str:
    return path.relative_to(ENGINE_OUT.parent.parent).as_posix()


def compile_protocols(protocols: list[Protocol]) -> dict[str, str]:
    """Write each protocol's compiled JSON under a content-hashed name; return id -> path."""
    out_dir = ENGINE_OUT / "protocols"
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    for protocol in protocols:
        data = json.dumps(dump_protocol(protocol), ensure_ascii=False, sort_keys=True).encode("utf-8")
        target = out_dir / f"{protocol.id}.{_digest(data)}.json"
        target.write_bytes(data)
        written[protocol.id] = _relative(target)
    return written


def build_wheel_into(out_dir: Path) -> Path:
    """Build the engine as a standard pure-Python wheel, which is exactly what Pyodide loads."""
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # stale build/lib would leak removed modules
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out_dir), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    if result.returncode != 0:
        raise BuildError(f"building the engine wheel failed:\n{result.stdout}\n{result.stderr}")
    wheels = list(out_dir.glob("*-py3-none-any.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one py3-none-any wheel, found {[w.name for w in wheels]}")
    return wheels[0]


def build_wheel() -> str:
    """Build the wheel into docs/assets/engine/wheels/HASH/, so a changed engine gets a new URL."""
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel_into(Path(tmp))
        data = wheel.read_bytes()
        target = ENGINE_OUT / "wheels" / _digest(data) / wheel.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return _relative(target)


def copy_pyodide() -> str:
    """Copy the Pyodide core from the pinned npm package; return its version."""
    package = NODE_PYODIDE / "package.json"
    if not package.exists():
        raise BuildError("node_modules/pyodide is missing: run 'npm ci' (the README's commands do this)")
    version = str(json.loads(package.read_text(encoding="utf-8"))["version"])
    PYODIDE_OUT.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        source = NODE_PYODIDE / name
        if not source.exists():
            raise BuildError(f"the pyodide package has no {name}")
        target = PYODIDE_OUT / name
        if (
            not target.exists()
            or target.stat().st_size != source.stat().st_size
            or target.stat().st_mtime < source.stat().st_mtime
        ):
            shutil.copy2(source, target)
    return version


def build_engine_assets() -> tuple[list[Protocol], EngineAssets]:
    """Validate and compile every protocol, build the wheel, copy Pyodide and write the manifest."""
    protocols = load_directory(PROTOCOLS)
    shutil.rmtree(ENGINE_OUT, ignore_errors=True)
    assets = EngineAssets(wheel=build_wheel(), protocols=compile_protocols(protocols), pyodide_version=copy_pyodide())
    manifest = {
        "wheel": assets.wheel,
        "pyodide": assets.pyodide_version,
        "protocols": assets.protocols,
    }
    (ENGINE_OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return protocols, assets
