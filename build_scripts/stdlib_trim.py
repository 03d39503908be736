"""Publish only the standard library modules the engine uses: ``python -m build_scripts.stdlib_trim``.

Pyodide's python_stdlib.zip is 2.5 MB, and deflate cannot shrink it further; the engine and
Pyodide's own start use a small part of it. This build step starts Pyodide under Node.js
the way the site's worker does (the full library), installs the engine wheel, imports the
whole engine and every standard module it names, and scores every case table; the modules
then loaded from the zip, with a few codecs a reader's text may need, are what the reader
gets. The trimmed zip is then checked the same way: started alone, it must score every case
exactly as CPython does, and a module it lacks stops the build with the module's name. It
replaces the full zip under the same name (Pyodide's loader checks no hash for it), before
the snapshot is made, which must hold the library the reader's browser loads.

``CSE_STDLIB=full`` publishes the full library (the benchmark's "before"). Without case
tables for the published protocols nothing can be verified, and the full library is
published with one line saying so.

Step 2 of the build. Reads docs/assets/pyodide/python_stdlib.zip and protocols/cases/;
writes the trimmed zip in its place.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import os
import sys
import time
import zipfile
from pathlib import Path

from .engine_assets import engine_modules
from .errors import BuildError, SnapshotError
from .paths import CASE_TABLES, DOCS, ENGINE_DIR, PYODIDE_DIR, ROOT
from .snapshot import (
    ENTRY_POINT,
    NODE_SCRIPTS,
    PACKAGE,
    case_inputs,
    entry_point,
    node_script,
)

SETTING = "CSE_STDLIB"
MODES = ("trim", "full")
STDLIB = "python_stdlib.zip"
# Codecs a reader's text or a file may be decoded with, loaded by name only when first used.
ALWAYS = ("encodings/ascii.py", "encodings/latin_1.py", "encodings/utf_8_sig.py", "encodings/utf_16.py")
# The modules found by earlier builds, by their inputs (finding them takes a Pyodide start).
CACHE = ROOT / "node_modules" / ".cache" / "cse-stdlib"
SCRIPT = "stdlib_run.mjs"


def _mode() -> str:
    mode = os.environ.get(SETTING, "trim").strip().lower() or "trim"
    if mode not in MODES:
        raise BuildError(f"{SETTING}={mode!r} is not one of {', '.join(MODES)}")
    return mode


def named_imports(files: list[Path] | None = None) -> list[str]:
    """The absolute imports the engine's modules name (wherever in a module they are), so a
    module imported only on a rare path is kept too."""
    names: set[str] = set()
    for path in files if files is not None else engine_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
    return sorted(n for n in names if n.split(".")[0] not in (PACKAGE, "__future__"))


def run(stdlib: Path, wheel: Path, protocols: dict[str, str], cases: list[tuple[str, str]]) -> dict[str, object]:
    """Start Pyodide with ``stdlib``, import the engine and score the cases (build_scripts/node/stdlib_run.mjs)."""
    payload = json.dumps({"protocols": protocols, "cases": cases, "imports": named_imports()})
    args = [str(stdlib), str(wheel), *ENTRY_POINT, PACKAGE]
    try:
        return node_script(SCRIPT, args, stdin=payload)
    except SnapshotError as exc:
        raise BuildError(f"the standard library could not be checked: {exc} (or build with {SETTING}=full)") from None


def used_files(modules: list[list[str]]) -> set[str]:
    """The zip entries the loaded modules came from, with every package folder above them."""
    files = {path.split(".zip/", 1)[1] for _, path in modules} | set(ALWAYS)
    for name in list(files):
        parts = name.split("/")[:-1]
        files.update("/".join(parts[: depth + 1]) + "/" for depth in range(len(parts)))
    return files


def trimmed(full: bytes, keep: set[str]) -> bytes:
    """The zip with only the entries in ``keep``, in their order, times and names; the same
    input gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(full)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename in keep:
                target.writestr(info, source.read(info), compress_type=info.compress_type, compresslevel=9)
    return out.getvalue()


def _key(full: bytes, wheel: Path) -> str:
    digest = hashlib.sha256(full)
    for data in (wheel.read_bytes(), (NODE_SCRIPTS / SCRIPT).read_bytes(), json.dumps(named_imports()).encode()):
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()[:24]


def _found_modules(full: Path, wheel: Path, protocols: dict[str, str], cases: list[tuple[str, str]]) -> list[list[str]]:
    """The modules the engine loads from the full library: cached by inputs, else found by a run."""
    cached = CACHE / f"{_key(full.read_bytes(), wheel)}.json"
    try:
        return json.loads(cached.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        pass
    found = run(full, wheel, protocols, cases)
    if "missing" in found:
        raise BuildError(f"the engine imports {found['missing']}, which Pyodide's standard library lacks")
    modules: list[list[str]] = found["modules"]  # type: ignore[assignment]
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.glob("*.json"):
            old.unlink()
        cached.write_text(json.dumps(modules), encoding="utf-8")
    except OSError:
        pass  # only a later build's speed depends on it
    return modules


def verify(stdlib: Path, wheel: Path, protocols: dict[str, str], cases: list[tuple[str, str]]) -> None:
    """Score every case with ``stdlib`` alone; a module it lacks, or a different score, stops the build."""
    found = run(stdlib, wheel, protocols, cases)
    if "missing" in found:
        raise BuildError(
            f"the trimmed standard library lacks the module {found['missing']}, which the engine imports "
            f"(build with {SETTING}=full, and report it)"
        )
    assess = entry_point()
    outputs: list[str] = found["outputs"]  # type: ignore[assignment]
    if len(outputs) != len(cases):
        raise BuildError(f"with the trimmed standard library the engine answered {len(outputs)} of {len(cases)} cases")
    for (protocol, answers), theirs in zip(cases, outputs, strict=True):
        if theirs != assess(protocols[protocol], answers):
            raise BuildError(
                f"with the trimmed standard library the engine scores {protocol} {answers[:80]} differently"
            )


def trim_stdlib(docs: Path = DOCS, tables: Path = CASE_TABLES) -> str:
    """The build step: put the verified trimmed library in place of the full one; one line says what was done."""
    started = time.perf_counter()
    target = docs / PYODIDE_DIR / STDLIB
    if _mode() == "full":
        return f"stdlib: full ({SETTING}=full), {target.stat().st_size / 1e6:.2f} MB"
    manifest = json.loads((docs / ENGINE_DIR / "manifest.json").read_text(encoding="utf-8"))
    wheel = docs / manifest["wheel"]
    protocols = {pid: (docs / path).read_text(encoding="utf-8") for pid, path in manifest["protocols"].items()}
    try:
        cases = case_inputs(protocols, tables)
    except SnapshotError as exc:
        return f"stdlib: full, as a trimmed one cannot be verified: {exc}"
    full = target.read_bytes()
    data = trimmed(full, used_files(_found_modules(target, wheel, protocols, cases)))
    candidate = target.with_name(f".{STDLIB}.trimmed")
    candidate.write_bytes(data)
    try:
        verify(candidate, wheel, protocols, cases)
        candidate.replace(target)
    finally:
        candidate.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    sizes = f"{len(data) / 1e6:.2f} MB of {len(full) / 1e6:.2f} MB"
    return f"stdlib: trimmed to {sizes}, verified on {len(cases)} cases in {seconds:.1f} s"


def main() -> int:
    """Trim the library already copied into docs/ by ``python -m build_scripts.build --prepare-only``."""
    try:
        print(trim_stdlib())
    except BuildError as exc:
        print(f"stdlib: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
