"""Check authored content as the browser will read it, before the generator runs.

Chapters (docs/), shared text (includes/), and the text of protocol and case-study files
are rendered with the site's own Markdown settings (those of mkdocs.yml, as both
generators read them), parsed as HTML and checked against ``markup.py``. Each problem is
named where it was written: ``docs/PAGE.md:LINE``, ``includes/FILE.md:LINE`` or
``protocols/NAME.yaml:LINE`` (never the screening page generated from it).

- A chapter's line is found by rendering ever longer beginnings of the file: the first
  line by which the problem appears (only when there is one, so a clean build renders
  each page once).
- Protocol and case-study text is rendered one value at a time, HTML-escaped as the
  page templates escape it, both as a paragraph and as a heading (the templates use
  both): markup written as text stays text (a title reading ``x onload=y`` passes), but
  a Markdown attribute list (``{: style=... }``) or link (``[x](javascript:...)``) would
  act, and is refused.
- A snippet (``--8<--``) that names a missing file, a page that is not UTF-8 text, and a
  file that is not a plain file (a FIFO, a link to nothing or to itself, a link to a
  folder) each give one line naming the file.

The generator's output is checked again after it runs (``security.py``), so this is the
check that names the place to fix, not the only one.

Step 4 of the build. Reads the staged docs, includes/, protocols/ and case-studies/;
writes nothing, or raises :class:`.errors.SourceCheckError` with every problem.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown  # type: ignore[import-untyped]
from markupsafe import escape
from pymdownx.snippets import SnippetMissingError  # type: ignore[import-untyped]

from screening_cli.files import read_text
from screening_cli.protocol_files import protocol_files
from screening_cli.yaml_reader import line_of, read_yaml

from .errors import SourceCheckError, SourceProblem
from .markup import markup_problems
from .paths import CASE_DIR, CONFIG, INCLUDES, ROOT, SCREENING_DIR
from .site_config import read_config

# Extensions MkDocs always adds to those mkdocs.yml names.
DEFAULT_EXTENSIONS = ("toc", "tables", "fenced_code")
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
SNIPPET_LINE = re.compile(r"^\s*-{1,}8<-{1,}\s")


def _display(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def renderer(config: dict[str, Any], snippets: bool = True) -> markdown.Markdown:
    """Python-Markdown with the site's extensions; the shared text is not appended to pages
    (it is checked on its own)."""
    names: list[str] = list(DEFAULT_EXTENSIONS)
    options: dict[str, dict[str, Any]] = {}
    for entry in config.get("markdown_extensions", []) or []:
        name, settings = next(iter(entry.items())) if isinstance(entry, dict) else (str(entry), None)
        if name == "pymdownx.snippets":
            if not snippets:
                continue
            settings = dict(settings or {})
            bases = settings.get("base_path", ["."])
            bases = [bases] if isinstance(bases, str) else bases
            settings["base_path"] = [str(p if Path(p).is_absolute() else ROOT / p) for p in map(str, bases)]
            settings["auto_append"] = []
            settings["check_paths"] = True
        if name not in names:
            names.append(name)
        if settings:
            options[name] = dict(settings)
    return markdown.Markdown(extensions=names, extension_configs=options)


def _render(md: markdown.Markdown, text: str) -> str:
    md.reset()
    return str(md.convert(text))


def _messages(md: markdown.Markdown, text: str) -> list[str]:
    return [message for _, message in markup_problems(_render(md, text))]


def without_front_matter(text: str) -> str:
    """The page's Markdown, its front matter blanked (its lines kept, so line numbers hold)."""
    match = FRONT_MATTER.match(text)
    return "\n" * match.group(0).count("\n") + text[match.end() :] if match else text


def _first_line(md: markdown.Markdown, lines: list[str], message: str, nth: int) -> int:
    """The first line by which ``message`` has appeared ``nth`` times (at least 1)."""
    low, high = 1, len(lines)
    while low < high:
        middle = (low + high) // 2
        if _messages(md, "\n".join(lines[:middle]) + "\n").count(message) >= nth:
            high = middle
        else:
            low = middle + 1
    return low


def page_problems(md: markdown.Markdown, text: str, display: str) -> list[SourceProblem]:
    """What one Markdown file (a chapter or shared text) may not hold, each at its line."""
    body = without_front_matter(text)
    lines = body.splitlines()
    try:
        found = _messages(md, body)
    except SnippetMissingError as exc:
        name = re.search(r"'([^']*)'", str(exc))
        missing = name.group(1) if name else ""
        where = next(
            (n for n, line in enumerate(lines, 1) if SNIPPET_LINE.match(line) and missing and missing in line), 1
        )
        return [
            SourceProblem(
                display, where, f"the snippet '{missing}' is not in includes/: add the file, or correct the name"
            )
        ]
    problems = []
    counts: dict[str, int] = {}
    for message in found:
        counts[message] = counts.get(message, 0) + 1
        line = _first_line(md, lines, message, counts[message])
        if 0 < line <= len(lines) and SNIPPET_LINE.match(lines[line - 1]):
            continue  # from shared text, named in its own file
        problems.append(SourceProblem(display, line, message))
    return problems


def generated(relative: Path) -> bool:
    """A page the build writes (screening pages, case studies): its text is checked at its source."""
    if relative.parent == SCREENING_DIR:
        return relative.name != "index.md"
    return relative.is_relative_to(CASE_DIR)


def chapter_problems(docs: Path, config: dict[str, Any], includes: Path = INCLUDES) -> list[SourceProblem]:
    """Every authored page under ``docs`` and every shared text file under ``includes``."""
    md = renderer(config)
    problems: list[SourceProblem] = []
    pages = [(p, "docs/" + p.relative_to(docs).as_posix()) for p in sorted(docs.rglob("*.md"))]
    pages = [(p, shown) for p, shown in pages if not generated(p.relative_to(docs))]
    pages += [(p, _display(p)) for p in sorted(includes.glob("*.md"))]
    for page, shown in pages:
        text, unreadable = read_text(page, shown)
        if text is None:
            problems += [SourceProblem(shown, p.line or 1, p.message) for p in unreadable]
            continue
        problems += page_problems(md, text, shown)
    return problems


def _strings(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))


def text_problems(md: markdown.Markdown, files: list[Path]) -> list[SourceProblem]:
    """Every text value of protocol or case-study files, rendered as the page templates put it."""
    problems = []
    for file in files:
        shown = _display(file)
        data, lines, unreadable = read_yaml(file, shown)
        if unreadable:
            continue  # reported, with its line, by the protocol or case-study check
        for path, value in _strings(data):
            if "{" not in value and "]" not in value:
                continue  # escaped, nothing else in it can make markup
            text = str(escape(value))
            # As a paragraph and as a heading: a page template puts text in both.
            found = _messages(md, text) + _messages(md, "## " + text)
            for message in dict.fromkeys(found):
                problems.append(SourceProblem(shown, line_of(lines, path) or 1, message))
    return problems


def yaml_files(folder: Path) -> list[Path]:
    return [p for p in protocol_files([folder]) if p.suffix.lower() in (".yaml", ".yml")] if folder.is_dir() else []


def appended_problems(config: dict[str, Any], config_file: Path = CONFIG) -> list[SourceProblem]:
    """Shared text mkdocs.yml appends to every page (``auto_append``) that is not there."""
    problems = []
    lines = config_file.read_text(encoding="utf-8").splitlines() if config_file.is_file() else []
    for entry in config.get("markdown_extensions", []) or []:
        if not (isinstance(entry, dict) and "pymdownx.snippets" in entry):
            continue
        settings = entry["pymdownx.snippets"] or {}
        bases = settings.get("base_path", ["."])
        bases = [bases] if isinstance(bases, str) else bases
        for name in settings.get("auto_append", []) or []:
            if not any((ROOT / str(base) / str(name)).is_file() for base in bases):
                line = next((n for n, text in enumerate(lines, 1) if str(name) in text), 1)
                message = f"the snippet '{name}' (auto_append) is not in includes/: add the file, or remove the entry"
                problems.append(SourceProblem(config_file.name, line, message))
    return problems


def check_authored(docs: Path, config: dict[str, Any], protocols: Path, cases: Path) -> None:
    """Raise SourceCheckError naming every problem in the authored content."""
    md = renderer(config, snippets=False)
    problems = appended_problems(read_config()) + chapter_problems(docs, config)
    problems += text_problems(md, yaml_files(protocols) + yaml_files(cases))
    if problems:
        raise SourceCheckError(problems)


def special_files(folder: Path, shown: str) -> list[SourceProblem]:
    """Entries of a source folder that are not plain files or folders, each in one line.

    A link to a plain file is read as that file; a link to nothing, to itself or to a folder
    (which could lead round in a loop), a FIFO, a socket or a device stops the build: copying
    or reading one could hang or fail half-way.
    """
    problems = []
    for parent, folders, files in os.walk(folder):
        for name in sorted(folders + files):
            path = Path(parent, name)
            where = f"{shown}/{path.relative_to(folder).as_posix()}"
            why = _not_plain(path)
            if why:
                problems.append(SourceProblem(where, 1, why))
    return sorted(problems, key=lambda p: p.file)


def _not_plain(path: Path) -> str:
    """Why ``path`` is not a plain file or folder, or ''."""
    try:
        own = path.lstat().st_mode
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if stat.S_ISLNK(own):
        try:
            target = path.stat().st_mode
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "a symbolic link that leads round in a loop: replace it with the file itself"
            return "a symbolic link to nothing: replace it with the file itself"
        if stat.S_ISDIR(target):
            return "a symbolic link to a folder: copy the folder here instead"
        if not stat.S_ISREG(target):
            return "a symbolic link to something that is not a plain file: replace it with the file itself"
        return ""
    if stat.S_ISDIR(own) or stat.S_ISREG(own):
        return ""
    kind = "a FIFO" if stat.S_ISFIFO(own) else "a socket" if stat.S_ISSOCK(own) else "a device or special file"
    return f"{kind}, not a plain file: remove it"
