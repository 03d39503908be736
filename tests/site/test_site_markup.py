"""Every built page is valid HTML as the Nu HTML checker (npm's vnu-jar) reads it, apart
from known errors in the theme's own markup, which the site does not write."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.test_browser_markup import VNU

pytestmark = [pytest.mark.site]

# The theme's markup under either generator: (the checker's message starts, the markup it
# quotes holds).
KNOWN_THEME_ERRORS = [
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle"'),
    ("Bad value “” for attribute “tabindex” on element “label”", 'class="md-nav__link'),
    ("The “aria-hidden” attribute must not be used on any “label” element", 'class="md-overlay"'),
]


def checker_errors(pages: list[Path]) -> list[str]:
    """The checker's errors for the pages, each as 'page: message [markup]'."""
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.fail("the Nu HTML checker needs Java and npm's vnu-jar: run bash tools/setup.sh --with-browser")
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    return [f"{m.get('url', '')}: {m.get('message')} [{m.get('extract', '')}]" for m in messages]


def known(error: str) -> bool:
    return any(start in error and quoted in error for start, quoted in KNOWN_THEME_ERRORS)


def test_every_built_page_is_valid_html(built_site: Path) -> None:
    pages = sorted(p for p in built_site.rglob("*.html") if "assets" not in p.parts)
    assert len(pages) > 40
    errors = [error for error in checker_errors(pages) if not known(error)]
    assert errors == []


def test_the_check_finds_a_label_for_a_missing_control(built_site: Path, tmp_path: Path) -> None:
    """The check can fail: the case pages' old label for a missing control is refused."""
    page = tmp_path / "index.html"
    text = (built_site / "trainers" / "cases" / "lily-bus-station" / "index.html").read_text(encoding="utf-8")
    page.write_text(text.replace("</body>", '<label for="__toc">Contents</label></body>', 1), encoding="utf-8")
    errors = [error for error in checker_errors([page]) if not known(error)]
    assert any("for" in error and "__toc" in error for error in errors), errors
