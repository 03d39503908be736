"""The build's own steps: failing on a bad protocol, the policy's hashes, the service worker."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from build_scripts import build, engine_assets
from build_scripts import publish as publish_module
from build_scripts.authored import appended_problems
from build_scripts.errors import BuildError
from build_scripts.offline import site_files, write_service_worker
from build_scripts.paths import COMPLETE_MARK
from build_scripts.security import POLICY, add_content_security_policy

DATA = Path(__file__).resolve().parents[1] / "data"


def test_a_bad_protocol_fails_the_build_naming_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "minimal.yaml"
    bad.write_text((DATA / "minimal.yaml").read_text().replace("then: medium", "then: middling"))
    monkeypatch.setattr(engine_assets, "PROTOCOLS", tmp_path)
    assert build.main(["--prepare-only", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{bad.name}:50: rule 'any-sign' names level 'middling', which does not exist" in err
    assert "build failed" in err


def test_inline_scripts_are_moved_to_files_the_policy_allows(tmp_path: Path) -> None:
    body = "console.log('theme')"
    (tmp_path / "index.html").write_text(
        f'<html><head><meta charset="utf-8"><script>{body}</script>'
        '<script type="application/json">{"not": "run"}</script>'
        '<script src="a.js"></script></head><body></body></html>'
    )
    assert add_content_security_policy(tmp_path) == POLICY
    page = (tmp_path / "index.html").read_text()
    assert page.index("Content-Security-Policy") < page.index("<script")
    digest = hashlib.sha256(body.encode()).hexdigest()[:12]
    assert f'<script src="assets/javascripts/inline.{digest}.js"></script>' in page
    assert (tmp_path / f"assets/javascripts/inline.{digest}.js").read_text() == body
    add_content_security_policy(tmp_path)  # a second run does not add a second policy
    assert (tmp_path / "index.html").read_text().count("Content-Security-Policy") == 1


def _site(root: Path) -> Path:
    for name, text in {
        "index.html": "home",
        "understanding/consent/index.html": "consent",
        "search/search_index.json": "{}",
        "assets/pyodide/pyodide.asm.wasm": "wasm",
        "assets/engine/manifest.json": "{}",
        "trainers/cases/jade/index.html": "case",
        "assets/javascripts/bundle.js.map": "map",
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_service_worker_keeps_the_runtime_apart(tmp_path: Path) -> None:
    everyday, later = site_files(_site(tmp_path))
    assert everyday == ["./", "search/search_index.json", "understanding/consent/"]
    assert later == ["assets/engine/manifest.json", "assets/pyodide/pyodide.asm.wasm", "trainers/cases/jade/"]


def test_a_new_build_gets_a_new_cache(tmp_path: Path) -> None:
    site = _site(tmp_path)
    first = write_service_worker(site)
    assert write_service_worker(site) == first  # the same files, the same cache
    (site / "understanding/consent/index.html").write_text("consent, amended")
    second = write_service_worker(site)
    assert second != first
    worker = (site / "sw.js").read_text()
    assert f'const VERSION = "{second}";' in worker
    files = json.loads(re.search(r"const SITE_FILES = (\[.*?\]);", worker, re.S).group(1))  # type: ignore[union-attr]
    assert "understanding/consent/" in files


@pytest.mark.parametrize("atomic", [True, False], ids=["exchange", "two renames"])
def test_publishing_replaces_the_previous_site_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, atomic: bool
) -> None:
    if not atomic:
        monkeypatch.setattr(publish_module, "_exchange", lambda *_: False)
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old")
    staged = tmp_path / ".site-staging"
    staged.mkdir()
    (staged / "index.html").write_text("new")
    with pytest.raises(BuildError, match="is not a finished build"):
        publish_module.publish(staged, target)  # not marked complete: never published
    assert (target / "old.html").read_text() == "old"
    publish_module.mark_complete(staged, "mkdocs")
    publish_module.publish(staged, target)
    assert sorted(p.name for p in target.iterdir()) == [COMPLETE_MARK, "index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "nothing of the old site or the staging is left"


def test_a_site_holding_a_link_is_never_marked_complete(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("home")
    (site / "passwd").symlink_to("/etc/passwd")
    with pytest.raises(BuildError, match=r"symbolic link\(s\) or special file\(s\).*: passwd"):
        publish_module.mark_complete(site, "mkdocs")
    assert not (site / COMPLETE_MARK).exists()


def test_a_missing_auto_appended_snippet_names_the_config_line(tmp_path: Path) -> None:
    config = {"markdown_extensions": [{"pymdownx.snippets": {"base_path": ["includes"], "auto_append": ["gone.md"]}}]}
    (tmp_path / "mkdocs.yml").write_text(
        "markdown_extensions:\n  - pymdownx.snippets:\n      auto_append:\n        - gone.md\n"
    )
    assert [str(p) for p in appended_problems(config, tmp_path / "mkdocs.yml")] == [
        "mkdocs.yml:4: the snippet 'gone.md' (auto_append) is not in includes/: add the file, or remove the entry"
    ]
