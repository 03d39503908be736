"""The project's own checks of the Markdown, run before either generator.

MkDocs flags absolute links and pages left out of the menu (the ``validation`` settings
of mkdocs.yml, which strict mode turns into failures); Zensical 0.0.73 ignores those
settings and ``not_in_nav``. These checks give both generators the same rules, each
problem as ``docs/PAGE.md:LINE: message``:

- a link or image starting with ``/`` breaks when the site is published below a folder
  (``https://council.example/cse/``) or opened offline: write it relative to the page;
- a page that no menu entry names, and that ``not_in_nav`` does not list, can only be
  found by search;
- a menu entry naming a page that does not exist.

Step 4 of the build. Reads the staged docs and mkdocs.yml; writes nothing, or raises
:class:`.errors.SourceCheckError` with every problem.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from screening_cli.files import read_text

from .errors import SourceCheckError, SourceProblem
from .paths import CONFIG
from .site_config import nav_pages

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"`+[^`]*`+")
# [text](/x), ![alt](/x), [id]: /x, href="/x", src="/x"; but not //host (another site).
ABSOLUTE = re.compile(
    r"""(?:\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?|\b(?:href|src)\s*=\s*["'])(?P<link>/(?!/)[^)\s"'>]*)""",
    re.M,
)


def _display(docs: Path, page: Path) -> str:
    return "docs/" + page.relative_to(docs).as_posix()


def absolute_links(docs: Path) -> list[SourceProblem]:
    problems = []
    for page in sorted(docs.rglob("*.md")):
        in_fence = False
        text, unreadable = read_text(page, _display(docs, page))
        if text is None:  # not UTF-8, too large, or not a plain file: one line, with its line
            problems += [SourceProblem(p.file or _display(docs, page), p.line or 1, p.message) for p in unreadable]
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if FENCE.match(line):
                in_fence = not in_fence
                continue
            if in_fence:
                continue
            for match in ABSOLUTE.finditer(INLINE_CODE.sub("", line)):
                problems.append(
                    SourceProblem(
                        _display(docs, page),
                        number,
                        f"absolute link '{match.group('link')}': write it relative to this page "
                        "(for example '../about/privacy.md'), so it works wherever the site is published",
                    )
                )
    return problems


def _glob(pattern: str) -> str:
    """A gitignore-style glob as a regular expression: ``*`` stays within one folder."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return out


def not_in_nav(config: dict[str, Any]) -> re.Pattern[str]:
    """The pages ``not_in_nav`` lets out of the menu (the gitignore-style lines MkDocs reads)."""
    parts = []
    for raw in str(config.get("not_in_nav") or "").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "!")):
            continue
        anchored = "/" in line.rstrip("/")
        body = _glob(line.strip("/"))
        parts.append(body if anchored else f"(?:.*/)?{body}")
    return re.compile("|".join(f"(?:{p})" for p in parts) if parts else "(?!)")


def menu_problems(docs: Path, config: dict[str, Any]) -> list[SourceProblem]:
    """Pages no menu entry names (unless ``not_in_nav`` lists them), and entries with no page."""
    listed = nav_pages(config.get("nav", []))
    config_lines = CONFIG.read_text(encoding="utf-8").splitlines()
    problems = [
        SourceProblem(
            "mkdocs.yml",
            next((n for n, line in enumerate(config_lines, start=1) if entry in line), 1),
            f"the nav names '{entry}', which is not a page under docs/",
        )
        for entry in listed
        if not (docs / entry).is_file()
    ]
    allowed = not_in_nav(config)
    for page in sorted(docs.rglob("*.md")):
        relative = page.relative_to(docs).as_posix()
        if relative not in listed and not allowed.fullmatch(relative):
            problems.append(
                SourceProblem(
                    _display(docs, page),
                    1,
                    "this page is not in the nav of mkdocs.yml: add it there, or list it under not_in_nav",
                )
            )
    return problems


def check_sources(docs: Path, config: dict[str, Any]) -> None:
    """Raise SourceCheckError naming every problem; return quietly when there are none."""
    problems = absolute_links(docs) + menu_problems(docs, config)
    if problems:
        raise SourceCheckError(problems)
