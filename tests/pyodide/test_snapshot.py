"""The engine's memory snapshot under Node.js: made from a freshly built wheel, restored the
way the site's worker restores it, and run on every case table and case study through the
engine's JSON entry point; plus the build step's refusals (one line, nothing published).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from build_scripts import snapshot as snap
from tests.helpers.repository import case_study_tables, case_tables

pytestmark = pytest.mark.pyodide

# Bytes before the saved memory: magic, offsets, BUILD_ID, then the JSON of JavaScript references.
HEADER_AT_MOST = 1 << 16


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, protocol_data: dict[str, Any]) -> dict[str, Any]:
    """A wheel, its snapshot, and the published protocol texts, laid out as the build lays them out."""
    from build_scripts.engine_assets import build_wheel_into

    docs = tmp_path_factory.mktemp("docs")
    engine_out = docs / "assets" / "engine"
    wheel = build_wheel_into(engine_out / "wheels" / "w")
    protocols = {pid: json.dumps(data, ensure_ascii=False, sort_keys=True) for pid, data in protocol_data.items()}
    paths = {}
    for pid, text in protocols.items():
        path = engine_out / "protocols" / f"{pid}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths[pid] = path.relative_to(docs).as_posix()
    manifest = {"wheel": wheel.relative_to(docs).as_posix(), "protocols": paths}
    (engine_out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    made = docs / "made.bin"
    facts = snap.make(wheel, made)
    packed = docs / "packed.bin"
    packed.write_bytes(snap.pack(made.read_bytes()))
    return {
        "engine_out": engine_out,
        "wheel": wheel,
        "protocols": protocols,
        "snapshot": made,
        "packed": packed,
        "facts": facts,
    }


def all_cases(protocols: dict[str, str]) -> list[tuple[str, str]]:
    tables = case_tables() + case_study_tables()
    return [(t["protocol"], json.dumps({"answers": case["answers"]})) for t in tables for case in t["cases"]]


@pytest.fixture(scope="module")
def restored(engine: dict[str, Any]) -> dict[str, Any]:
    cases = all_cases(engine["protocols"])
    run = snap.restore_and_run(engine["packed"], engine["wheel"], engine["protocols"], cases)
    return {"cases": cases, **run}


def test_restored_engine_scores_every_case_as_cpython_does(restored: dict[str, Any], engine: dict[str, Any]) -> None:
    assess = snap.entry_point()
    expected = [assess(engine["protocols"][pid], answers) for pid, answers in restored["cases"]]
    assert len(restored["outputs"]) == len(expected) > 100
    assert restored["outputs"] == expected
    assert any(json.loads(out)["ok"] is False for out in expected), "the tables include refused answers"


def test_expected_levels_hold_in_the_restored_engine(restored: dict[str, Any]) -> None:
    tables = case_tables() + case_study_tables()
    levels = [case.get("level") for t in tables for case in t["cases"]]
    for level, output in zip(levels, restored["outputs"], strict=True):
        if level is not None:
            assert json.loads(output)["result"]["level"]["id"] == level


def test_restored_interpreter_is_pyodide_without_the_makers_paths(restored: dict[str, Any]) -> None:
    assert restored["platform"] == "emscripten"
    assert restored["executable"] == "" and restored["environ_underscore"] == ""


def test_snapshot_fits_the_default_heap(restored: dict[str, Any], engine: dict[str, Any]) -> None:
    facts = engine["facts"]
    assert facts["heap"] == restored["heap"], "the heap grew while the engine was imported; restores would fail"
    assert 0 < facts["bytes"] - facts["heap"] <= HEADER_AT_MOST
    assert engine["snapshot"].stat().st_size == facts["bytes"] == restored["memory_bytes"]


def test_packing_leaves_out_only_zero_pages_and_gives_the_memory_back(
    restored: dict[str, Any], engine: dict[str, Any]
) -> None:
    memory = engine["snapshot"].read_bytes()
    packed = engine["packed"].read_bytes()
    assert snap.unpack(packed) == memory
    assert restored["snapshot_bytes"] == len(packed) < 0.75 * len(memory)
    assert snap.unpack(packed, len(memory)) == memory
    longer = packed[:8] + (len(memory) + 4096).to_bytes(4, "little") + packed[12:]
    more_runs = packed[:12] + (int.from_bytes(packed[12:16], "little") + 1).to_bytes(4, "little") + packed[16:]
    for damage in (packed[:-1], packed[:20], b"CSESNAP0" + packed[8:], longer, more_runs):
        with pytest.raises(snap.SnapshotError):
            snap.unpack(damage, len(memory))


def test_verify_accepts_the_snapshot(engine: dict[str, Any]) -> None:
    cases = all_cases(engine["protocols"])[:20]
    assert snap.verify(engine["packed"], engine["wheel"], engine["protocols"], cases)["platform"] == "emscripten"


def test_verify_refuses_an_engine_that_scores_differently(engine: dict[str, Any], monkeypatch: Any) -> None:
    real = snap.entry_point()
    monkeypatch.setattr(snap, "entry_point", lambda: lambda p, a: real(p, a)[:-1] + ', "x": 1}')
    cases = all_cases(engine["protocols"])[:5]
    with pytest.raises(snap.SnapshotError, match="differently from CPython"):
        snap.verify(engine["packed"], engine["wheel"], engine["protocols"], cases)


def _publish_with(engine: dict[str, Any], tmp_path: Path, monkeypatch: Any, snapshot_bytes: bytes) -> Any:
    """Run the build step on a copy of the engine assets, with ``snapshot_bytes`` as the made snapshot."""
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(engine["engine_out"].parent.parent, docs, ignore=shutil.ignore_patterns("made.bin", "packed.bin"))
    monkeypatch.setattr(snap, "CACHE", tmp_path / "cache")

    def fake_make(wheel: Path, out: Path, stdlib: Path | None = None) -> dict[str, Any]:
        out.write_bytes(snapshot_bytes)
        return {"bytes": len(snapshot_bytes), "heap": 0, "modules": 0}

    monkeypatch.setattr(snap, "make", fake_make)
    return docs / "assets" / "engine", snap.add_snapshot(docs / "assets" / "engine")


def test_a_snapshot_that_will_not_restore_is_never_published(
    engine: dict[str, Any], tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.delenv(snap.SETTING, raising=False)
    damaged = bytearray(engine["snapshot"].read_bytes())
    damaged[0] ^= 0xFF  # not a snapshot any more
    engine_out, entry = _publish_with(engine, tmp_path, monkeypatch, bytes(damaged))
    assert entry is None
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("snapshot: not published") and "normal way" in err[0]
    assert list(engine_out.glob("snapshot.*")) == []
    assert "snapshot" not in json.loads((engine_out / "manifest.json").read_text(encoding="utf-8"))
    assert not list((tmp_path / "cache").glob("*.bin"))


def test_a_good_snapshot_is_published_by_content_hash_and_cached(
    engine: dict[str, Any], tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    import hashlib

    monkeypatch.delenv(snap.SETTING, raising=False)
    data = engine["snapshot"].read_bytes()
    engine_out, entry = _publish_with(engine, tmp_path, monkeypatch, data)
    assert entry is not None and not entry.first_visit and entry.adapt
    packed = snap.pack(data)
    sha256 = hashlib.sha256(packed).hexdigest()
    assert entry.path == f"assets/engine/snapshot.{sha256[:12]}.bin"
    assert (engine_out.parent.parent / entry.path).read_bytes() == packed
    manifest = json.loads((engine_out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["snapshot"] == {
        "path": entry.path,
        "bytes": len(packed),
        "memory": len(data),
        "sha256": sha256,
        "first_visit": False,
        "adapt": True,
    }
    assert [p.read_bytes() == data for p in (tmp_path / "cache").glob("*.bin")] == [True]
    assert capsys.readouterr().out.startswith("snapshot: assets/engine/snapshot.")


def test_turned_off_publishes_nothing(engine: dict[str, Any], tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setenv(snap.SETTING, "off")
    engine_out, entry = _publish_with(engine, tmp_path, monkeypatch, b"never made")
    assert entry is None and list(engine_out.glob("snapshot.*")) == []
    assert capsys.readouterr().out.strip() == "snapshot: off (CSE_SNAPSHOT=off); the engine starts the normal way"


def test_an_unknown_setting_is_one_line_and_no_snapshot(
    engine: dict[str, Any], tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.setenv(snap.SETTING, "sometimes")
    _, entry = _publish_with(engine, tmp_path, monkeypatch, b"never made")
    assert entry is None
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "CSE_SNAPSHOT='sometimes'" in err[0]
