"""Make a staged build the partnership's own, from its settings (``partnership.yml``).

Before the generator runs: the shared text is rendered with the settings (contacts, the
site's name, the exit destination) and the chapters' review blocks are written beside it;
the tools and local chapters the partnership does not publish are taken out of the docs
copy, the menu and every link (a link to a page that is gone becomes its text, and a list
entry or table row that only pointed at such pages goes); the configuration gets the
site's name, logo and colour. After it: every page carries the exit destination for the
"Exit this page" script, and the logo its text alternative.

Step 0 of the build. Reads the staged docs, includes/, mkdocs.yml and the settings; writes
the staged docs trimmed, the shared text rendered and the staged mkdocs.yml.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape

from .errors import SourceCheckError, SourceProblem
from .partnership import LOCAL_DIR, Partnership
from .paths import INCLUDES, SCREENING_DIR
from .reviews import Review, reviews_markdown
from .screening_pages import NUMBER_WORDS, environment

# Shared text rendered with the settings; the rest is copied as it is.
RENDERED = ("contacts.md", "exit-no-script.md", "site.md", "screening-choice.md")
COLOUR_CSS = Path("assets") / "stylesheets" / "partnership.css"
LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
SNIPPET = re.compile(r"""^\s*-{1,}8<-{1,}\s+["'](?P<file>[\w.-]+):(?P<section>[\w-]+)["']\s*$""")
CONTACT_SECTION = re.compile(r"""-{1,}8<-{1,}\s+["']contacts\.md:(?P<section>[\w-]+)["']""")
LIST_OR_ROW = re.compile(r"^\s*(?:[-*+]\s|\d+\.\s|\|)")


def render_includes(partnership: Partnership, target: Path, reviews: list[Review], source: Path = INCLUDES) -> None:
    """The shared text this build's pages draw in, rendered with the settings."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    env = environment()
    count = len(partnership.screening_tools)
    site = {
        "name": partnership.name,
        "short_name": partnership.short_name,
        "exit_to": partnership.exit_to,
        "exit_to_name": partnership.exit_to_name,
        "placeholders": any(not value for fields in partnership.contacts.values() for value in fields.values()),
        "tools": list(partnership.screening_tools),
        "tool_count": NUMBER_WORDS[count] if count < len(NUMBER_WORDS) else str(count),
    }
    problems = []
    for path in sorted(source.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if path.name in RENDERED:
            try:
                text = env.from_string(text).render(contacts=partnership.contact_markup(), site=site)
            except jinja2.TemplateError as exc:
                line = getattr(exc, "lineno", None) or 1
                problems.append(SourceProblem(f"includes/{path.name}", line, f"cannot fill in the settings: {exc}"))
                continue
        (target / path.name).write_text(text, encoding="utf-8")
    if problems:
        raise SourceCheckError(problems)
    (target / "reviews.md").write_text(reviews_markdown(reviews), encoding="utf-8")


def dropped_pages(docs: Path, partnership: Partnership, protocols: list[str]) -> set[str]:
    """Pages (relative to the docs folder) this partnership does not publish."""
    dropped = {f"{LOCAL_DIR}/{p.stem}.md" for p in (docs / LOCAL_DIR).glob("*.md")}
    dropped -= {f"{LOCAL_DIR}/{name}.md" for name in partnership.local_chapters}
    dropped |= {f"{SCREENING_DIR.as_posix()}/{pid}.md" for pid in protocols if pid not in partnership.screening_tools}
    return dropped


def _resolve(page: str, target: str) -> str | None:
    path = target.split("#")[0]
    if not path.endswith(".md") or "://" in path or path.startswith("/"):
        return None
    parts: list[str] = page.split("/")[:-1]
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def trim_text(text: str, page: str, dropped: set[str], tools: set[str]) -> str:
    """The page without links to pages that are gone (and lines that were only such links)."""
    kept = []
    for line in text.split("\n"):
        snippet = SNIPPET.match(line)
        if snippet and snippet.group("file") == "screening-choice.md" and snippet.group("section") in tools:
            continue
        links = list(LINK.finditer(line))
        gone = [m for m in links if _resolve(page, m.group("target")) in dropped]
        if gone and len(gone) == len(links) and LIST_OR_ROW.match(line):
            continue
        for match in reversed(gone):
            line = line[: match.start()] + match.group("text") + line[match.end() :]
        kept.append(line)
    return "\n".join(kept)


def dropped_tools(dropped: set[str]) -> set[str]:
    prefix = SCREENING_DIR.as_posix() + "/"
    return {p[len(prefix) : -3] for p in dropped if p.startswith(prefix)}


def trim_docs(docs: Path, dropped: set[str]) -> None:
    """Take the pages that are not published out of the docs copy, and every link to them."""
    for page in dropped:
        (docs / page).unlink(missing_ok=True)
    tools = dropped_tools(dropped)
    for path in sorted(docs.rglob("*.md")):
        relative = path.relative_to(docs).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # left as it is: the check of the authored text names it in one line
        trimmed = trim_text(text, relative, dropped, tools)
        if trimmed != text:
            path.write_text(trimmed, encoding="utf-8")


def contact_sections(docs: Path) -> set[str]:
    """The contact cards the published pages show (and every screening page shows the result's)."""
    found = {"police", "front-door", "exploitation-team", "agency-lead"}
    for path in docs.rglob("*.md"):
        text = path.read_text(encoding="utf-8", errors="replace")
        found |= {m.group("section") for m in CONTACT_SECTION.finditer(text)}
    return found


def trim_nav(nav: Any, dropped: set[str]) -> Any:
    """The menu without the pages that are not published (and sections left empty)."""
    if isinstance(nav, str):
        return None if nav in dropped else nav
    if isinstance(nav, list):
        entries = [trim_nav(entry, dropped) for entry in nav]
        return [e for e in entries if e is not None and e != [] and e != {}]
    if isinstance(nav, dict):
        kept = {key: trim_nav(value, dropped) for key, value in nav.items()}
        kept = {key: value for key, value in kept.items() if value is not None and value != []}
        return kept or None
    return nav


def customise_config(config: dict[str, Any], partnership: Partnership, dropped: set[str], docs: Path) -> dict[str, Any]:
    """The staged configuration with the partnership's name, menu, logo and colour."""
    custom = dict(config)
    custom["site_name"] = partnership.short_name
    custom["nav"] = trim_nav(config.get("nav", []), dropped) or []
    theme = dict(custom.get("theme") or {})
    if partnership.logo is not None:
        theme["logo"] = partnership.logo.file
    custom["theme"] = theme
    if partnership.colour is not None:
        colour = partnership.colour
        css = docs / COLOUR_CSS
        css.parent.mkdir(parents=True, exist_ok=True)
        css.write_text(
            "/* Written by the build from partnership.yml (colour). */\n:root {\n"
            f"  --md-primary-fg-color: {colour};\n  --md-primary-fg-color--dark: {colour};\n"
            f"  --md-typeset-a-color: {colour};\n}}\n",
            encoding="utf-8",
        )
        custom["extra_css"] = [*list(custom.get("extra_css") or []), COLOUR_CSS.as_posix()]
    return custom


BODY = re.compile(r"<body\b", re.I)


def mark_pages(site: Path, partnership: Partnership) -> None:
    """Every page tells the Exit this page script where to go; the logo gets its text alternative."""
    exit_to = escape(partnership.exit_to)
    alt = escape(partnership.logo.alt) if partnership.logo else None
    # The theme's logo image: Material writes alt="logo", Zensical the site's name.
    logo = (
        re.compile(rf'(<img\s+src="[^"]*{re.escape(partnership.logo.file)}"\s+alt=)"[^"]*"')
        if partnership.logo
        else None
    )
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        marked = BODY.sub(f'<body data-exit-to="{exit_to}"', text, count=1)
        if logo is not None:
            marked = logo.sub(lambda m: f'{m.group(1)}"{alt}"', marked)
        if marked != text:
            page.write_text(marked, encoding="utf-8")
