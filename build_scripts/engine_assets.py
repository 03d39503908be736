"""Compile the protocols, build the engine wheel and copy the Pyodide core into docs/assets.

Both the wheel and the compiled protocols are reproducible: the same content gives the
same bytes, and so the same content-hashed names, on every build and every machine.

Step 1 of the build. Reads protocols/*.yaml, screening/ and node_modules/pyodide; writes
docs/assets/engine/ (compiled protocols, the wheel, the manifest) and docs/assets/pyodide/.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from screening import __version__
from screening.model import Protocol
from screening_cli.dumping import compiled_json
from screening_cli.protocol_files import load_directory

from .errors import BuildError
from .paths import DOCS, ENGINE_DIR, ENGINE_OUT, NODE_PYODIDE, PROTOCOLS, PYODIDE_DIR, PYODIDE_FILES, ROOT

# The browser gets the engine alone: the modules of screening/, without __main__, which
# runs the command line of screening_cli/ (YAML, files on disk, dumping), a package apart.
ENGINE_PACKAGE = ROOT / "screening"
NOT_IN_WHEEL = ("__main__.py",)
DIST_NAME = "cse_screening"
# Zip entries carry this time, so two builds of the same files are byte-identical.
# SOURCE_DATE_EPOCH, where set, wins; zip cannot store times before 1980.
DEFAULT_EPOCH = 315532800  # 1980-01-01T00:00:00Z


@dataclass(frozen=True)
class EngineAssets:
    """What the pages need to know: where each file was written, relative to docs/."""

    wheel: str
    protocols: dict[str, str]
    pyodide_version: str


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _relative(path: Path, out: Path) -> str:
    """The URL path of a written file relative to the site root (assets/engine/...)."""
    return f"{ENGINE_OUT.relative_to(DOCS).as_posix()}/{path.relative_to(out).as_posix()}"


def compile_protocols(protocols: list[Protocol], out: Path = ENGINE_OUT) -> dict[str, str]:
    """Write each protocol's compiled JSON under a content-hashed name; return id -> path."""
    out_dir = out / "protocols"
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    for protocol in protocols:
        data = compiled_json(protocol).encode("utf-8")
        target = out_dir / f"{protocol.id}.{_digest(data)}.json"
        target.write_bytes(data)
        written[protocol.id] = _relative(target, out)
    return written


def engine_modules() -> list[Path]:
    """The files the browser's wheel holds, sorted."""
    return sorted(p for p in ENGINE_PACKAGE.glob("*.py") if p.name not in NOT_IN_WHEEL)


def _zip_time() -> tuple[int, int, int, int, int, int]:
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)), DEFAULT_EPOCH)
    year, month, day, hour, minute, second = time.gmtime(epoch)[:6]
    return year, month, day, hour, minute, second


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def build_wheel_into(out_dir: Path) -> Path:
    """Write the engine as a standard pure-Python wheel (what Pyodide unpacks), byte for byte reproducible.

    The engine's only packager (the repository is not a pip project): the entries are
    exactly the engine modules plus short metadata (no README), sorted, with one fixed
    time, and the version is ``screening.__version__``.
    """
    dist_info = f"{DIST_NAME}-{__version__}.dist-info"
    metadata = (
        "Metadata-Version: 2.1\n"
        "Name: cse-screening\n"
        f"Version: {__version__}\n"
        "Summary: Scoring of child sexual exploitation screening protocols, run in the browser by Pyodide\n"
        "License-Expression: MIT\n"
        "Requires-Python: >=3.11\n"
    )
    wheel_info = (
        "Wheel-Version: 1.0\nGenerator: build_scripts.engine_assets\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    entries = [(f"screening/{path.name}", path.read_bytes()) for path in engine_modules()]
    entries += [
        (f"{dist_info}/METADATA", metadata.encode("utf-8")),
        (f"{dist_info}/WHEEL", wheel_info.encode("utf-8")),
        (f"{dist_info}/top_level.txt", b"screening\n"),
    ]
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in entries)
    entries.append((f"{dist_info}/RECORD", (record + f"{dist_info}/RECORD,,\n").encode("utf-8")))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{DIST_NAME}-{__version__}-py3-none-any.whl"
    when = _zip_time()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=when)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the building machine
            archive.writestr(info, data, compresslevel=9)
    return target


def build_wheel(out: Path = ENGINE_OUT) -> str:
    """Build the wheel into OUT/wheels/HASH/, so a changed engine gets a new URL."""
    staging = out / "wheels" / ".staging"
    wheel = build_wheel_into(staging)
    data = wheel.read_bytes()
    target = out / "wheels" / _digest(data) / wheel.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    shutil.rmtree(staging)
    return _relative(target, out)


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


def build_engine_assets(docs: Path = DOCS, tools: tuple[str, ...] | None = None) -> tuple[list[Protocol], EngineAssets]:
    """Validate every protocol and compile those published (``tools``, in that order; all
    when None), build the wheel, copy Pyodide and write the manifest."""
    protocols = load_directory(PROTOCOLS)
    if tools is not None:
        by_id = {p.id: p for p in protocols}
        protocols = [by_id[pid] for pid in tools if pid in by_id]
    out = docs / ENGINE_DIR
    shutil.rmtree(out, ignore_errors=True)
    assets = EngineAssets(
        wheel=build_wheel(out), protocols=compile_protocols(protocols, out), pyodide_version=copy_pyodide(docs)
    )
    manifest = {
        "wheel": assets.wheel,
        "pyodide": assets.pyodide_version,
        "protocols": assets.protocols,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return protocols, assets
