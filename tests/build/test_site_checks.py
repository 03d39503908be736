"""The site's own checks of the Markdown, which stand in for MkDocs' validation under
Zensical, and the staged build's copy of mkdocs.yml."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from build_scripts import build
from build_scripts.paths import CONFIG, ROOT, Layout
from build_scripts.site_checks import SourceCheckError, absolute_links, check_sources, menu_problems
from build_scripts.site_config import Tagged, read_config, staged_config

CONFIG_DATA = {"nav": ["index.md", {"About": ["about/privacy.md"]}], "not_in_nav": "/cases/*.md\nnotes.md\n"}


def _docs(root: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_absolute_links_are_named_with_file_and_line(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "index.md": "# Home\n\nSee [privacy](/about/privacy/) and ![logo](/assets/logo.png).\n",
            "about/privacy.md": '# Privacy\n\n[ok](../index.md) <a href="/x/">raw</a>\n\n[ref]: /y/\n',
        },
    )
    found = [str(p) for p in absolute_links(docs)]
    assert [f.split(": absolute")[0] for f in found] == [
        "docs/about/privacy.md:3",
        "docs/about/privacy.md:5",
        "docs/index.md:3",
        "docs/index.md:3",
    ]
    assert "'/about/privacy/'" in found[2] and "relative" in found[2]


def test_links_in_code_and_to_other_sites_are_not_flagged(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {"index.md": "`[a](/b/)`\n\n```\n[c](/d/)\n```\n\n[site](https://example.org/a/) [proto](//example.org/)\n"},
    )
    assert absolute_links(docs) == []


def test_pages_left_out_of_the_menu_unless_not_in_nav_lists_them(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "index.md": "# Home\n",
            "about/privacy.md": "# Privacy\n",
            "about/forgotten.md": "# Forgotten\n",
            "cases/one.md": "# A case\n",
            "cases/deeper/two.md": "# Not matched by /cases/*.md\n",
            "any/where/notes.md": "# Matched at any depth\n",
        },
    )
    problems = menu_problems(docs, CONFIG_DATA)
    assert [f"{p.file}:{p.line}" for p in problems] == ["docs/about/forgotten.md:1", "docs/cases/deeper/two.md:1"]
    assert all("not in the nav of mkdocs.yml" in p.message and "not_in_nav" in p.message for p in problems)


def test_a_menu_entry_with_no_page_is_named(tmp_path: Path) -> None:
    docs = _docs(tmp_path, {"index.md": "# Home\n"})
    problems = menu_problems(docs, CONFIG_DATA)
    assert [p.message for p in problems] == ["the nav names 'about/privacy.md', which is not a page under docs/"]
    assert problems[0].file == "mkdocs.yml"
    assert "about/privacy.md" in CONFIG.read_text(encoding="utf-8").splitlines()[problems[0].line - 1]
    with pytest.raises(SourceCheckError) as caught:
        check_sources(docs, CONFIG_DATA)
    assert caught.value.problems[0].message.startswith("the nav names 'about/privacy.md'")


def test_a_staged_build_stops_on_an_absolute_link_whatever_the_generator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    _docs(docs, {"index.md": "# Home\n\n[privacy](/about/privacy/)\n"})
    monkeypatch.setattr(build, "DOCS", docs)
    monkeypatch.setattr(build, "prepare", lambda layout: None)
    for generator in ("mkdocs", "zensical"):
        assert build.main(["--generator", generator, "--out", str(tmp_path / generator)]) == 1
        err = capsys.readouterr().err
        assert "docs/index.md:3: absolute link '/about/privacy/'" in err
        assert not (tmp_path / generator / "site").exists(), "the generator must not run"


def test_the_staged_config_points_at_its_own_folder_and_the_repositorys_shared_text() -> None:
    config = read_config(CONFIG)
    staged = staged_config(config)
    assert (staged["docs_dir"], staged["site_dir"]) == ("docs", "site")
    assert staged["watch"] == [str(ROOT / "includes")]
    snippets = next(e for e in staged["markdown_extensions"] if isinstance(e, dict) and "pymdownx.snippets" in e)
    assert snippets["pymdownx.snippets"]["base_path"] == [str(ROOT / "build" / "includes"), str(ROOT / "includes")]
    assert isinstance(staged["site_url"], Tagged) and staged["site_url"].tag == "!ENV"
    assert staged["nav"] == config["nav"]
    assert "palette" not in config["theme"], "a palette makes Zensical store the colour choice on the device"


def test_staged_layout_is_outside_the_repository(tmp_path: Path) -> None:
    layout = Layout.staged(tmp_path)
    assert not layout.is_repository
    assert (layout.docs, layout.site, layout.config) == (tmp_path / "docs", tmp_path / "site", tmp_path / "mkdocs.yml")


def _special_docs(docs: Path, outside: Path) -> None:
    _docs(docs, {"index.md": "# Home\n", "about/privacy.md": "# Privacy\n"})
    (docs / "loop.md").symlink_to(docs / "loop.md")
    (docs / "nowhere.md").symlink_to(docs / "gone.md")
    (docs / "about" / "elsewhere").symlink_to(outside, target_is_directory=True)
    os.mkfifo(docs / "pipe.md")
    (docs / "linked.md").symlink_to(docs / "index.md")  # a link to a plain file is read as that file


def test_links_fifos_and_loops_in_docs_stop_the_build_before_anything_is_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    _special_docs(docs, tmp_path)
    monkeypatch.setattr(build, "DOCS", docs)
    assert build.main(["--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "docs/about/elsewhere:1: a symbolic link to a folder: copy the folder here instead",
        "docs/loop.md:1: a symbolic link that leads round in a loop: replace it with the file itself",
        "docs/nowhere.md:1: a symbolic link to nothing: replace it with the file itself",
        "docs/pipe.md:1: a FIFO, not a plain file: remove it",
        "build failed: 4 problem(s) in the pages, the nav or the authored text",
    ]
    assert not (tmp_path / "out" / "site").exists()


def test_a_chapter_that_is_not_utf8_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    _docs(docs, {"index.md": "# Home\n"})
    (docs / "index.md").write_bytes(b"# Home\n\nCaf\xe9 and \x93quotes\x94\n")
    monkeypatch.setattr(build, "DOCS", docs)
    monkeypatch.setattr(build, "prepare", lambda layout: None)
    assert build.main(["--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "docs/index.md:3: not UTF-8 text: byte 0xE9 cannot be read (save the file as UTF-8)" in err.splitlines()
    assert "Traceback" not in err


def test_a_missing_snippet_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    _docs(docs, {"index.md": '# Home\n\n--8<-- "no-such-snippet.md"\n'})
    monkeypatch.setattr(build, "DOCS", docs)
    monkeypatch.setattr(build, "prepare", lambda layout: None)
    monkeypatch.setattr(build, "check_sources", lambda *_: None)  # the page is not in the repository's nav
    assert build.main(["--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "docs/index.md:3: the snippet 'no-such-snippet.md' is not in includes/: add the file, or correct the name",
        "build failed: 1 problem(s) in the pages, the nav or the authored text",
    ]
