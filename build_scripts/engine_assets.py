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

from screening import dump_protocol
from screening.model import Protocol
from screening.source import load_directory

from .paths import DOCS, ENGINE_DIR, NODE_PYODIDE, PROTOCOLS, PYODIDE_DIR, PYODIDE_FILES, ROOT, STAGED_MARK


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


def _relative(path: Path, docs: Path) -> str:
    return path.relative_to(docs).as_posix()


def compile_protocols(protocols: list[Protocol], docs: Path = DOCS) -> dict[str, str]:
    """Write each protocol's compiled JSON under a content-hashed name; return id -> path."""
    out_dir = docs / ENGINE_DIR / "protocols"
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    for protocol in protocols:
        data = json.dumps(dump_protocol(protocol), ensure_ascii=False, sort_keys=True).encode("utf-8")
        target = out_dir / f"{protocol.id}.{_digest(data)}.json"
        target.write_bytes(data)
        written[protocol.id] = _relative(target, docs)
    return written


# Not part of any package: tools, the site's pages, the tests and the outputs of builds
# (a staged build folder inside the repository carries STAGED_MARK).
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "site", "docs", "tests", "build", "dist", "*.egg-info", "__pycache__", ".*cache*"
)


def _skip_non_sources(folder: str, names: list[str]) -> set[str]:
    staged = {name for name in names if (Path(folder) / name / STAGED_MARK).exists()}
    return set(NOT_SOURCES(folder, names)) | staged


def build_wheel_into(out_dir: Path) -> Path:
    """Build the engine as a standard pure-Python wheel, which is exactly what Pyodide loads.

    It is built from a fresh copy of the sources: setuptools leaves build/ and *.egg-info
    beside pyproject.toml, so building in the repository would let two builds (a test run
    beside ``make serve``) share, and delete, each other's files.
    """
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        shutil.copytree(ROOT, source, ignore=_skip_non_sources)
        result = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out_dir), str(source)],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise BuildError(f"building the engine wheel failed:\n{result.stdout}\n{result.stderr}")
    wheels = list(out_dir.glob("*-py3-none-any.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one py3-none-any wheel, found {[w.name for w in wheels]}")
    return wheels[0]


def build_wheel(docs: Path = DOCS) -> str:
    """Build the wheel into docs/assets/engine/wheels/HASH/, so a changed engine gets a new URL."""
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel_into(Path(tmp))
        data = wheel.read_bytes()
        target = docs / ENGINE_DIR / "wheels" / _digest(data) / wheel.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return _relative(target, docs)


def copy_pyodide(docs: Path = DOCS) -> str:
    """Copy the Pyodide core from the pinned npm package; return its version."""
    package = NODE_PYODIDE / "package.json"
    if not package.exists():
        raise BuildError("node_modules/pyodide is missing: run 'npm ci' (the README's commands do this)")
    version = str(json.loads(package.read_text(encoding="utf-8"))["version"])
    pyodide_out = docs / PYODIDE_DIR
    pyodide_out.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        source = NODE_PYODIDE / name
        if not source.exists():
            raise BuildError(f"the pyodide package has no {name}")
        target = pyodide_out / name
        if (
            not target.exists()
            or target.stat().st_size != source.stat().st_size
            or target.stat().st_mtime < source.stat().st_mtime
        ):
            shutil.copy2(source, target)
    return version


def build_engine_assets(docs: Path = DOCS) -> tuple[list[Protocol], EngineAssets]:
    """Validate and compile every protocol, build the wheel, copy Pyodide and write the manifest."""
    protocols = load_directory(PROTOCOLS)
    shutil.rmtree(docs / ENGINE_DIR, ignore_errors=True)
    assets = EngineAssets(
        wheel=build_wheel(docs), protocols=compile_protocols(protocols, docs), pyodide_version=copy_pyodide(docs)
    )
    manifest = {
        "wheel": assets.wheel,
        "pyodide": assets.pyodide_version,
        "protocols": assets.protocols,
    }
    (docs / ENGINE_DIR / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return protocols, assets
