"""Whole builds of the site, each checked for how it stops or what it publishes (no browser).

These run the build end to end (in a scratch copy of the repository, or into a temporary
folder), so they are the slow tier's; the build's steps one by one are tested in tests/build/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_scripts import build, engine_assets
from build_scripts.partnership import SETTINGS
from build_scripts.paths import COMPLETE_MARK
from build_scripts.site_checks import check_sources
from build_scripts.site_config import read_config
from tests.content.test_authored_markup import STYLE
from tests.content.test_partnership import NORTHSHIRE
from tests.helpers.repository import ROOT
from tools.benchmark_size import copy_repository


def _build(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "build_scripts.build", *args],
        cwd=copy,
        env={**os.environ, "CSE_SNAPSHOT": "off"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _contents(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_failed_build_publishes_nothing_and_serve_refuses_what_it_did_not_finish(tmp_path: Path) -> None:
    """The issue's example, in a scratch copy of the repository: a chapter gains an inline script."""
    copy = copy_repository(tmp_path)
    site = copy / "site"
    first = _build(copy)
    assert first.returncode == 0, first.stderr
    assert (site / COMPLETE_MARK).is_file()
    assert "Content-Security-Policy" in (site / "index.html").read_text(encoding="utf-8")
    assert not list((copy / "build").glob("site-build-*")), "the staging folder is removed"
    published = _contents(site)

    chapter = copy / "docs/understanding/definitions.md"
    lines = chapter.read_text(encoding="utf-8").count("\n")
    with chapter.open("a", encoding="utf-8") as out:
        out.write('\n<script>document.title="RAN"</script>\n')
    failed = _build(copy)
    assert failed.returncode == 1
    assert f"docs/understanding/definitions.md:{lines + 2}: a <script> element" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert _contents(site) == published, "the previous site is left exactly as it was"
    assert not list((copy / "build").glob("site-build-*"))

    shutil.rmtree(site)
    assert _build(copy).returncode == 1
    assert not site.exists(), "no site at all rather than a half-made one"

    # A folder the build did not finish (here: the generator's output on its own, run by hand
    # after --prepare-only has written the generated files and the rendered shared text) is never served.
    assert _build(copy, "--prepare-only").returncode == 0
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
        cwd=copy,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        check=False,
    )
    assert (site / "index.html").is_file()
    assert 'document.title="RAN"' in (site / "understanding/definitions/index.html").read_text(encoding="utf-8")
    serve = subprocess.run(
        [sys.executable, "-m", "tools.serve", "--port", "0", "--directory", str(site)],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert serve.returncode == 1
    assert serve.stderr.strip().splitlines() == [
        f"refusing to serve {site}: the build did not finish it (no {COMPLETE_MARK}); "
        "run make build and serve what it publishes"
    ]


def test_the_repository_config_and_pages_pass(tmp_path: Path) -> None:
    """Every page the repository holds, with the generated ones, is in the menu or not_in_nav."""
    staged = build.stage(tmp_path / "out")
    build.prepare(staged)
    check_sources(staged.layout.docs, read_config(staged.layout.config))


def test_the_build_passes_text_that_looks_like_markup_and_names_the_protocol_line_of_an_attribute_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's two protocol cases, through the whole build: a title reading ``x onload=y``
    builds (its page checked after the generator too); a style under a level description
    stops the build at its line in the YAML, before the generator runs."""
    protocols = tmp_path / "protocols"
    shutil.copytree(ROOT / "protocols", protocols)
    source = protocols / "pan-lancashire.yaml"
    original = source.read_text(encoding="utf-8")
    monkeypatch.setattr(engine_assets, "PROTOCOLS", protocols)
    monkeypatch.setenv("CSE_SNAPSHOT", "off")

    title = "title: Pan Lancashire risk sensible screening\n"
    assert title in original
    source.write_text(original.replace(title, "title: x onload=y\n", 1), encoding="utf-8")
    assert build.main(["--out", str(tmp_path / "good")]) == 0, capsys.readouterr().err
    page = (tmp_path / "good/site/screening/pan-lancashire/index.html").read_text(encoding="utf-8")
    assert "x onload=y" in page and " onload=" not in page.replace("x onload=y", "")

    description = "    description: >-\n      This level refers to children"
    assert description in original
    styled = original.replace(
        "is shown at Level 2.)\n",
        "is shown at Level 2.)\n      {: style=position:fixed;inset:0;z-index:99999 }\n",
        1,
    ).replace(description, description.replace(">-", "|-"), 1)
    source.write_text(styled, encoding="utf-8")
    line = styled[: styled.index("    description: |-")].count("\n") + 1
    capsys.readouterr()
    assert build.main(["--out", str(tmp_path / "bad")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith(f"protocols/pan-lancashire.yaml:{line}: an inline style (style=): {STYLE}")
    assert err[1:] == ["build failed: 1 problem(s) in the pages, the nav or the authored text"]
    assert not (tmp_path / "bad/site").exists()


def test_a_publication_build_fails_on_placeholders_and_an_overdue_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped before the generator: the placeholders of the bundled settings, one line each."""
    monkeypatch.setenv("CSE_TODAY", "2027-12-01")
    out = tmp_path / "out"
    code = build.main(["--out", str(out), "--for-publication", "--site-url", "https://safeguarding.example/"])
    printed = capsys.readouterr()
    assert code == 1
    line = SETTINGS.read_text(encoding="utf-8").splitlines().index("    non_emergency: null    # telephone") + 1
    assert f"partnership.yml:{line}: contacts.police.non_emergency is empty: the pages show a placeholder for it" in (
        printed.out
    )
    assert "docs/understanding/consent.md: review overdue: it was due on 24 November 2027" in printed.out
    assert "not ready for publication" in printed.err
    assert not (out / "site").exists()


def test_a_publication_build_fails_when_the_snapshot_cannot_be_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "add_snapshot", lambda engine: None)  # as when Node.js cannot make it
    code = build.main(["--out", str(tmp_path / "out"), "--for-publication", "--settings", str(NORTHSHIRE)])
    printed = capsys.readouterr()
    assert code == 1
    assert "the start-up snapshot could not be made" in printed.out
    assert "is empty" not in printed.out, "the made-up partnership gives every detail"
    assert not (tmp_path / "out" / "site").exists()
