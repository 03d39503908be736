"""The Content-Security-Policy fails closed: one fixed policy on every page, the theme's
inline scripts moved into hashed files, and the build stopped with ``docs/PAGE.md: message``
for chapter content the policy would have to be weakened for."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from build_scripts import build
from build_scripts.errors import BuildError
from build_scripts.host_files import write_host_files
from build_scripts.offline import site_files
from build_scripts.paths import COMPLETE_MARK, STAGING_SITE
from build_scripts.security import POLICY, UnsafeContentError, add_content_security_policy

THEME = "__md_scope=new URL('/',location)"
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def _page(chapter: str, head: str = "") -> str:
    return (
        f'<!doctype html><html><head><meta charset="utf-8">{head}<script>{THEME}</script>'
        '<script id="__config" type="application/json">{"base": ".."}</script>'
        '<script src="../../assets/javascripts/bundle.0123abcd.min.js"></script></head><body>'
        f'<article class="md-content__inner md-typeset"><h1>Consent</h1>{chapter}</article>'
        "<script>var target=document.getElementById(location.hash.slice(1))</script></body></html>"
    )


def _site(tmp_path: Path, chapter: str = "<p>Text.</p>", head: str = "") -> tuple[Path, Path]:
    site, docs = tmp_path / "site", tmp_path / "docs"
    (site / "understanding/consent").mkdir(parents=True)
    (docs / "understanding").mkdir(parents=True)
    (docs / "understanding/consent.md").write_text("# Consent\n")
    (site / "understanding/consent/index.html").write_text(_page(chapter, head))
    (site / "index.html").write_text(_page("<p>Home.</p>").replace("../../assets", "assets"))
    return site, docs


def test_the_theme_inline_scripts_move_into_hashed_files_and_the_policy_names_none(tmp_path: Path) -> None:
    site, docs = _site(tmp_path)
    assert add_content_security_policy(site, docs) == POLICY
    assert "sha256" not in POLICY and "'unsafe-inline'" not in POLICY.split("script-src")[1].split(";")[0]
    page = (site / "understanding/consent/index.html").read_text()
    assert META.findall(page) == [POLICY]
    assert page.index("Content-Security-Policy") < page.index("<script")
    sources = re.findall(r'<script src="([^"]+)"></script>', page)
    moved = [src for src in sources if "/inline." in src]
    assert len(moved) == 2 and all(src.startswith("../../assets/javascripts/inline.") for src in moved)
    assert (site / "understanding/consent" / moved[0]).resolve().read_text() == THEME
    assert '<script id="__config" type="application/json">' in page  # data, not a script: left alone
    home = (site / "index.html").read_text()
    assert '<script src="assets/javascripts/inline.' in home  # written as the page writes the theme's own
    add_content_security_policy(site, docs)  # a second run changes nothing
    assert (site / "understanding/consent/index.html").read_text() == page
    # The moved files are content-hashed: the hosts keep them for a year, the worker lists them.
    write_host_files(site)
    everyday, _ = site_files(site)
    assert all(src.removeprefix("../../") in everyday for src in moved)
    assert ".htaccess" not in everyday and "_headers" not in everyday


def test_a_policy_tag_inside_a_comment_does_not_leave_a_page_without_one(tmp_path: Path) -> None:
    comment = '<!-- <meta http-equiv="Content-Security-Policy" content="default-src *"> -->'
    site, docs = _site(tmp_path, head=comment)
    add_content_security_policy(site, docs)
    page = (site / "understanding/consent/index.html").read_text()
    assert META.findall(page) == [POLICY]


@pytest.mark.parametrize(
    ("chapter", "message"),
    [
        ("<script>alert(1)</script>", "a <script> element: scripts run only from files"),
        ('<script type="module">import "./x.js"</script>', "a <script> element"),
        ('<script src="https://cdn.example.com/x.js"></script>', "a <script> element"),
        ('<button onclick="go()">Go</button>', "an event handler attribute (onclick=)"),
        ('<img src="x.png" onerror="go()">', "an event handler attribute (onerror=)"),
        ('<img src="x.png" ONERROR="go()">', "an event handler attribute (onerror=)"),
        ('<a href="javascript:go()">Go</a>', "a javascript: URL (href=)"),
        ('<a href="&#106;avascript:go()">Go</a>', "a javascript: URL (href=)"),
        ('<meta http-equiv="refresh" content="0; url=https://example.com/">', 'a <meta http-equiv="refresh">'),
        ('<meta http-equiv="&#82;efresh" content="2; url=https://example.com/">', 'a <meta http-equiv="refresh">'),
        ('<meta name="referrer" content="unsafe-url">', 'a <meta name="referrer">'),
        ('<iframe src="https://example.com/"></iframe>', "a frame (<iframe>)"),
        ('<base href="https://example.com/">', "a <base> element"),
        ('<form action="https://example.com/"></form>', "a <form> element"),
        ('<div style="position:fixed;inset:0;z-index:99999">x</div>', "an inline style (style=)"),
        ('<article><p>A case</p></article><img src="x.png" onerror="go()">', "an event handler attribute (onerror=)"),
        ('</article><img src="x.png" onerror="go()">', "an event handler attribute (onerror=)"),
    ],
)
def test_unsafe_chapter_content_fails_naming_the_markdown_file(tmp_path: Path, chapter: str, message: str) -> None:
    site, docs = _site(tmp_path, chapter)
    before = (site / "understanding/consent/index.html").read_text()
    with pytest.raises(UnsafeContentError) as failed:
        add_content_security_policy(site, docs)
    assert len(failed.value.problems) == 1
    assert failed.value.problems[0].startswith(f"docs/understanding/consent.md: {message}")
    assert (site / "understanding/consent/index.html").read_text() == before  # nothing half done


def test_an_inline_script_outside_the_chapter_text_on_one_page_only_fails(tmp_path: Path) -> None:
    """Whatever the generator's markup, a script on some pages only is not the theme's."""
    site, docs = _site(tmp_path)
    page = site / "understanding/consent/index.html"
    page.write_text(page.read_text().replace("</body>", "<script>track()</script></body>"))
    with pytest.raises(UnsafeContentError) as failed:
        add_content_security_policy(site, docs)
    assert failed.value.problems == [
        "docs/understanding/consent.md: an inline <script> that is not the theme's; "
        "put the code in a file under docs/assets/javascripts/"
    ]


def test_harmless_chapter_text_passes(tmp_path: Path) -> None:
    text = (
        "<p>Talk about the online grooming of children; ask them.</p>"
        "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt; &lt;iframe&gt;</code></pre>"
        '<abbr title="Child on child abuse">CoC</abbr>'
    )
    site, docs = _site(tmp_path, text)
    add_content_security_policy(site, docs)


def test_the_build_command_reports_unsafe_content_with_file_and_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole command, with the generator's run replaced by a page it might have written:
    the policy's check refuses it, and the site published before is left exactly as it was."""
    assert issubclass(UnsafeContentError, BuildError)
    out = tmp_path / "out"
    published = out / "site"
    published.mkdir(parents=True)
    (published / "index.html").write_text("the previous build")
    (published / COMPLETE_MARK).write_text("finished")

    def generator_writes_a_page(_generator: object, layout: build.Layout, _url: object) -> int:
        staged, _ = _site(tmp_path / "generated", '<div onmouseover="steal()">Hover</div>')
        shutil.copytree(staged, layout.site)
        return 0

    monkeypatch.setattr(build, "prepare", lambda _layout: None)
    monkeypatch.setattr(build, "check_sources", lambda *_: None)
    monkeypatch.setattr(build, "check_chapters", lambda *_: None)
    monkeypatch.setattr(build, "read_config", lambda *_: {})
    monkeypatch.setattr(build.generators, "run", generator_writes_a_page)
    assert build.main(["--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "build failed: 1 problem(s) the Content-Security-Policy does not allow" in err
    assert "docs/understanding/consent.md: an event handler attribute (onmouseover=)" in err
    assert sorted(p.name for p in published.iterdir()) == [COMPLETE_MARK, "index.html"]
    assert (published / "index.html").read_text() == "the previous build"
    assert not (out / STAGING_SITE).exists(), "what the failed build staged is removed"


@pytest.mark.parametrize(
    ("head", "message"),
    [
        ('<meta name="referrer" content="unsafe-url">', 'a <meta name="referrer">'),
        ('<meta http-equiv="REFRESH" content="2; url=https://example.com/">', 'a <meta http-equiv="refresh">'),
        ('<base href="https://example.com/">', "a <base> element"),
    ],
)
def test_what_acts_from_anywhere_is_refused_outside_the_chapter_too(tmp_path: Path, head: str, message: str) -> None:
    site, docs = _site(tmp_path, head=head)
    with pytest.raises(UnsafeContentError) as failed:
        add_content_security_policy(site, docs)
    assert failed.value.problems[0].startswith(f"docs/understanding/consent.md: {message}")


def test_a_screening_page_keeps_its_own_form_but_a_chapter_may_not_have_one(tmp_path: Path) -> None:
    form = '<form class="screening-form" id="screening-form"><input type="radio" name="a" value="x"></form>'
    site, docs = _site(tmp_path)
    (site / "screening/minimal").mkdir(parents=True)
    (site / "screening/minimal/index.html").write_text(_page(form))
    add_content_security_policy(site, docs)
    site, docs = _site(tmp_path / "chapter", form)
    with pytest.raises(UnsafeContentError):
        add_content_security_policy(site, docs)
