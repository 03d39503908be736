"""Make and check the engine's memory snapshot: ``python -m build_scripts.snapshot``.

Starting Pyodide takes seconds; restoring a snapshot of the interpreter saved just after
the engine was imported takes a fraction of that. The snapshot is made under Node.js from
the pinned npm ``pyodide`` and the engine wheel the site serves, then restored in a fresh
Node.js process the way the site's worker restores it, and every case table is run through
the engine's JSON entry point there and in CPython: the outputs must be identical. Only
then is it written under ``assets/engine/`` with a content-hash name and added to the
engine manifest. Any failure leaves it out with one line of explanation, and the site
starts the ordinary way. By default (``CSE_SNAPSHOT=adaptive``) a first visit fetches it
before the engine starts only when the worker finds the link fast enough (start-choice.js);
``CSE_SNAPSHOT=idle`` never does (it is fetched once the engine is ready, for next time),
``CSE_SNAPSHOT=eager`` always does, and ``CSE_SNAPSHOT=off`` leaves it out on purpose.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SnapshotError
from .paths import CASE_TABLES, ENGINE_OUT, NODE_PYODIDE, PYODIDE_DIR, PYODIDE_FILES, ROOT

# The engine's JSON entry point (module, function): protocol JSON and answers JSON in, JSON
# out. The only place this module names it.
ENTRY_POINT = ("screening.json_api", "assess_json")
# The package imported whole before the snapshot is taken.
PACKAGE = "screening"
NODE_SCRIPTS = Path(__file__).resolve().parent / "node"
# Snapshots made before, by their inputs, so an unchanged engine keeps its snapshot's name
# (and readers their cached copy) from one build to the next.
CACHE = ROOT / "node_modules" / ".cache" / "cse-snapshot"
SETTING = "CSE_SNAPSHOT"
MODES = ("adaptive", "idle", "eager", "off")
NODE_TIMEOUT_S = 300
# The published form (engine-snapshot.js unpacks it): the memory with its runs of zero pages
# left out, which halves what a reader downloads, reads from cache and hashes.
PACKED_MAGIC = b"CSESNAP1"
PAGE = 4096


@dataclass(frozen=True)
class Snapshot:
    """What the worker needs to find and check the snapshot (the manifest's ``snapshot`` entry)."""

    path: str
    bytes: int
    memory: int
    sha256: str
    first_visit: bool
    adapt: bool = False

    def to_manifest(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "bytes": self.bytes,
            "memory": self.memory,
            "sha256": self.sha256,
            "first_visit": self.first_visit,
            "adapt": self.adapt,
        }


def pack(memory: bytes) -> bytes:
    """The snapshot as published: magic, memory length, run count, (offset, length) of each
    run of pages holding a non-zero byte, then those runs' bytes (all integers u32, little-endian)."""
    if len(memory) >= 1 << 32:
        raise SnapshotError("the snapshot is too large to pack")
    zero = bytes(PAGE)
    runs: list[tuple[int, int]] = []
    for offset in range(0, len(memory), PAGE):
        page = memory[offset : offset + PAGE]
        if page == zero[: len(page)]:
            continue
        if runs and runs[-1][0] + runs[-1][1] == offset:
            runs[-1] = (runs[-1][0], runs[-1][1] + len(page))
        else:
            runs.append((offset, len(page)))
    head = PACKED_MAGIC + struct.pack("<II", len(memory), len(runs))
    table = b"".join(struct.pack("<II", offset, size) for offset, size in runs)
    return head + table + b"".join(memory[offset : offset + size] for offset, size in runs)


def unpack(packed: bytes, memory_bytes: int | None = None) -> bytes:
    """The memory a packed snapshot holds (the inverse of ``pack``, as engine-snapshot.js does it,
    which is given the memory's length by the manifest)."""
    if len(packed) < 16 or not packed.startswith(PACKED_MAGIC):
        raise SnapshotError("the snapshot is not in the packed form")
    length, count = struct.unpack_from("<II", packed, 8)
    data = 16 + 8 * count
    if data > len(packed) or (memory_bytes is not None and length != memory_bytes):
        raise SnapshotError("the packed snapshot's layout is damaged")
    memory = bytearray(length)
    end = 0
    for index in range(count):
        offset, size = struct.unpack_from("<II", packed, 16 + 8 * index)
        if offset < end or offset + size > length or data + size > len(packed):
            raise SnapshotError("the packed snapshot's layout is damaged")
        memory[offset : offset + size] = packed[data : data + size]
        data += size
        end = offset + size
    if data != len(packed):
        raise SnapshotError("the packed snapshot's layout is damaged")
    return bytes(memory)


def stdlib_of(docs: Path) -> Path:
    """The standard library zip the site serves from ``docs`` (trimmed by the build), or the
    npm package's where none is published there: a snapshot must be made and restored with
    the very library the reader's browser loads, as its import caches describe that zip."""
    published = docs / PYODIDE_DIR / "python_stdlib.zip"
    return published if published.exists() else NODE_PYODIDE / "python_stdlib.zip"


def node_script(script: str, args: list[str], stdin: str = "", timeout: int = NODE_TIMEOUT_S) -> dict[str, Any]:
    """Run one of build_scripts/node/ and return the JSON it prints."""
    node = shutil.which("node")
    if node is None:
        raise SnapshotError("Node.js is not installed")
    try:
        result = subprocess.run(
            [node, "--disable-warning=MODULE_TYPELESS_PACKAGE_JSON", str(NODE_SCRIPTS / script), *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SnapshotError(f"{script} took longer than {timeout} s") from exc
    if result.returncode != 0:
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip() and len(line) < 400]
        raise SnapshotError(f"{script} failed: {lines[-1] if lines else 'no message'}")
    try:
        return json.loads(result.stdout)  # type: ignore[no-any-return]
    except ValueError as exc:
        raise SnapshotError(f"{script} printed no result") from exc


def make(wheel: Path, out: Path, stdlib: Path | None = None) -> dict[str, Any]:
    """Make a snapshot of Pyodide with the engine installed and imported; return its facts."""
    return node_script("make_snapshot.mjs", [str(wheel), str(out), PACKAGE, *([str(stdlib)] if stdlib else [])])


def restore_and_run(
    snapshot: Path,
    wheel: Path,
    protocols: dict[str, str],
    cases: list[tuple[str, str]],
    stdlib: Path | None = None,
) -> dict[str, Any]:
    """Unpack and restore a packed snapshot as the worker does and run each (protocol id, answers JSON) case."""
    payload = json.dumps({"protocols": protocols, "cases": cases})
    args = [str(snapshot), str(wheel), *ENTRY_POINT, *([str(stdlib)] if stdlib else [])]
    return node_script("run_snapshot.mjs", args, stdin=payload)


def entry_point() -> Callable[[str, str], str]:
    """The engine's JSON entry point in this CPython."""
    module, name = ENTRY_POINT
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def case_inputs(protocols: dict[str, str], tables: Path = CASE_TABLES) -> list[tuple[str, str]]:
    """Every case of the case tables of the protocols this build publishes, as (protocol id,
    answers JSON); a table for a protocol the partnership does not publish is left out."""
    cases: list[tuple[str, str]] = []
    for path in sorted(tables.glob("*.json")):
        table = json.loads(path.read_text(encoding="utf-8"))
        if table["protocol"] not in protocols:
            continue
        cases.extend((table["protocol"], json.dumps({"answers": case["answers"]})) for case in table["cases"])
    if not cases:
        raise SnapshotError(f"no case tables in {tables} for the published protocols ({', '.join(protocols)})")
    return cases


def verify(
    snapshot: Path, wheel: Path, protocols: dict[str, str], cases: list[tuple[str, str]], stdlib: Path | None = None
) -> dict[str, Any]:
    """Restore the packed snapshot and check it scores every case exactly as CPython does; return the run's facts."""
    run = restore_and_run(snapshot, wheel, protocols, cases, stdlib)
    assess = entry_point()
    expected = [assess(protocols[protocol], answers) for protocol, answers in cases]
    if len(run["outputs"]) != len(expected):
        raise SnapshotError(f"the restored engine answered {len(run['outputs'])} of {len(expected)} cases")
    for (protocol, answers), theirs, mine in zip(cases, run["outputs"], expected, strict=True):
        if theirs != mine:
            raise SnapshotError(f"the restored engine scores {protocol} {answers[:80]} differently from CPython")
    if run["executable"] or run["environ_underscore"]:
        raise SnapshotError("the snapshot carries the path of the machine that made it")
    if run["platform"] != "emscripten":
        raise SnapshotError(f"the snapshot ran on {run['platform']!r}, not in Pyodide")
    return run


def _inputs_key(wheel: Path, stdlib: Path) -> str:
    """A digest of everything a snapshot is made from: the wheel, the Pyodide core and the
    standard library served with it, the maker."""
    digest = hashlib.sha256()
    core = [NODE_PYODIDE / name for name in PYODIDE_FILES if name != "python_stdlib.zip"]
    for path in (wheel, *core, stdlib, NODE_SCRIPTS / "make_snapshot.mjs"):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(PACKAGE.encode())
    return digest.hexdigest()[:24]


def _made_or_cached(wheel: Path, stdlib: Path, work: Path) -> tuple[Path, bool]:
    """A snapshot made from these inputs: the cached one if there is one, else a new one."""
    cached = CACHE / f"{_inputs_key(wheel, stdlib)}.bin"
    if cached.exists():
        return cached, True
    made = work / "snapshot.bin"
    facts = make(wheel, made, stdlib)
    if made.stat().st_size != facts["bytes"]:
        raise SnapshotError("the snapshot file is not the size its maker reported")
    return made, False


def _keep_in_cache(snapshot: Path, wheel: Path, stdlib: Path) -> None:
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.glob("*.bin"):
            old.unlink()
        shutil.copyfile(snapshot, CACHE / f"{_inputs_key(wheel, stdlib)}.bin")
    except OSError:
        pass  # only a later build's speed depends on it


def _mode() -> str:
    mode = os.environ.get(SETTING, "adaptive").strip().lower() or "adaptive"
    if mode not in MODES:
        raise SnapshotError(f"{SETTING}={mode!r} is not one of {', '.join(MODES)}")
    return mode


def publish(engine_out: Path = ENGINE_OUT, tables: Path = CASE_TABLES) -> Snapshot:
    """Make (or reuse), verify and publish the snapshot for the engine assets in ``engine_out``."""
    manifest_path = engine_out / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    docs = engine_out.parent.parent
    wheel = docs / manifest["wheel"]
    protocols = {pid: (docs / path).read_text(encoding="utf-8") for pid, path in manifest["protocols"].items()}
    cases = case_inputs(protocols, tables)
    stdlib = stdlib_of(docs)
    mode = _mode()
    with tempfile.TemporaryDirectory() as tmp:
        snapshot, cached = _made_or_cached(wheel, stdlib, Path(tmp))
        memory = snapshot.read_bytes()
        data = pack(memory)
        packed = Path(tmp) / "packed.bin"
        packed.write_bytes(data)
        try:
            if unpack(data) != memory:
                raise SnapshotError("packing the snapshot changed it")
            verify(packed, wheel, protocols, cases, stdlib)
        except SnapshotError:
            if cached:
                snapshot.unlink(missing_ok=True)  # a bad cached copy is never reused
            raise
        sha256 = hashlib.sha256(data).hexdigest()
        target = engine_out / f"snapshot.{sha256[:12]}.bin"
        target.write_bytes(data)
        if not cached:
            _keep_in_cache(snapshot, wheel, stdlib)
    entry = Snapshot(
        path=target.relative_to(docs).as_posix(),
        bytes=len(data),
        memory=len(memory),
        sha256=sha256,
        first_visit=mode == "eager",
        adapt=mode == "adaptive",
    )
    manifest["snapshot"] = entry.to_manifest()
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return entry


def add_snapshot(engine_out: Path = ENGINE_OUT) -> Snapshot | None:
    """The build step: publish a verified snapshot, or say in one line why the site starts the normal way."""
    started = time.perf_counter()
    try:
        if _mode() == "off":
            print(f"snapshot: off ({SETTING}=off); the engine starts the normal way")
            return None
        entry = publish(engine_out)
    except (SnapshotError, OSError, KeyError, ValueError) as exc:
        print(f"snapshot: not published, {exc}; the engine starts the normal way", file=sys.stderr)
        return None
    sizes = f"{entry.bytes / 1e6:.1f} MB, {entry.memory / 1e6:.1f} MB unpacked"
    print(f"snapshot: {entry.path} ({sizes}), verified in {time.perf_counter() - started:.1f} s")
    return entry


def main() -> int:
    """Make, verify and publish the snapshot for the engine assets already written into docs/."""
    return 0 if add_snapshot() is not None else 1


if __name__ == "__main__":
    sys.exit(main())
