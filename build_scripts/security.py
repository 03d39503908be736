"""Put one fixed Content-Security-Policy on every built page, and fail the build on content
that would need a weaker one.

Runs on the generator's output, so it does not depend on template overrides. The policy
allows only the site's own origin and names no inline script at all: the theme's few inline
scripts (the same on every page) are moved into a file of their own, named by its content
hash, so the policy is the same string for every build and every site generator, and the
web server configurations in ``deploy/`` can carry it as a header. ``'wasm-unsafe-eval'``
lets Pyodide compile WebAssembly. ``form-action 'none'`` means a screening form can never
be submitted anywhere, even with scripts off.

It fails closed: every HTML page gets the policy (any policy tag already in a page is
replaced), and a chapter holding anything ``markup.py`` refuses (a script, an event
handler, a ``javascript:`` or ``data:`` URL, a ``meta`` refresh, a frame, an inline
style, ...), read as parsed HTML, stops the build with ``docs/PAGE.md: message``. This is
the last check, on what the generator wrote; the authored sources were checked before the
generator ran, with file and line (``authored.py``).

Step 6 of the build. Reads and rewrites the site's pages (their policy, their inline scripts
moved to files); raises :class:`.errors.UnsafeContentError` on what it cannot allow.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UnsafeContentError
from .markup import ELEMENTS, META, markup_problems
from .paths import DOCS

# One policy for every page and every host. The meta tag carries it; servers add
# frame-ancestors, which only works as a response header (see deploy/).
POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "worker-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
    ]
)
HEADER_POLICY = POLICY + "; frame-ancestors 'none'"

SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
NOT_JAVASCRIPT = re.compile(r"""\btype\s*=\s*["']?(?!module\b|text/javascript\b)[^"'\s>]+""", re.I)
POLICY_TAG = re.compile(r"""\s*<meta\s+http-equiv\s*=\s*["']?Content-Security-Policy["']?[^>]*>""", re.I)
# Found anywhere in a page, not only in its chapter text: the theme writes none of these.
ANYWHERE = (META["refresh"], META["set-cookie"], META["referrer"], ELEMENTS["base"])
# A screening page's own template holds its form (authored text in it never can: it is escaped).
GENERATED_ALLOWED = frozenset({"form"})
# The chapter's own text, as both Material for MkDocs and Zensical mark it: up to the last
# </article>, as a chapter may hold articles of its own (the case pages do), and a chapter
# closing the article early must not hide what follows from the check.
CONTENT = re.compile(r"""<article\b[^>]*class="[^"]*md-content__inner[^"]*"[^>]*>(?P<body>.*)</article>""", re.S)
# Where the theme's scripts live, so moved inline scripts sit beside them.
SCRIPTS_DIR = "assets/javascripts"
SCRIPT_PREFIX = re.compile(r"""<script[^>]*\ssrc="(?P<prefix>[^"]*?)assets/javascripts/""")


@dataclass(frozen=True)
class MovedScript:
    """A theme inline script, as written to its own file."""

    path: str  # relative to the site root
    body: str


def is_javascript(attrs: str) -> bool:
    return not NOT_JAVASCRIPT.search(attrs)


def is_screening_page(relative: Path) -> bool:
    """A protocol's screening page (``screening/ID/index.html``), written from the build's template."""
    parts = relative.parts
    return len(parts) == 3 and parts[0] == "screening" and parts[2] == "index.html"


def source_of(page: Path, site: Path, docs: Path | None) -> str:
    """The Markdown file a built page came from (``docs/x.md``), or the page itself."""
    relative = page.relative_to(site)
    if docs is not None and relative.name == "index.html":
        folder = relative.parent
        candidates = [docs / folder / "index.md", docs / folder / "README.md"]
        if folder.name:
            candidates.insert(0, docs / folder.with_suffix(".md"))
        for candidate in candidates:
            if candidate.is_file():
                return f"{docs.name}/{candidate.relative_to(docs).as_posix()}"
    if docs is not None and (docs / relative.with_suffix(".md")).is_file():
        return f"{docs.name}/{relative.with_suffix('.md').as_posix()}"
    return f"{site.name}/{relative.as_posix()}"


def content_problems(html: str, generated: bool = False) -> list[str]:
    """What in a page's chapter text (and, for what can act from anywhere, in the whole page)
    the policy or the site's promises do not allow, read as parsed HTML (see markup.py).

    ``generated``: a screening page, whose own template holds the screening form.
    """
    match = CONTENT.search(html)
    chapter = match.group("body") if match else ""
    problems = [message for _, message in markup_problems(chapter, GENERATED_ALLOWED if generated else frozenset())]
    # The theme's own markup has scripts, links and meta elements; these may be nowhere.
    for _, message in markup_problems(html):
        if message.startswith(ANYWHERE) and message not in problems:
            problems.append(message)
    return list(dict.fromkeys(problems))


def _moved_src(html: str, page: Path, site: Path, moved: MovedScript) -> str:
    """The ``src`` for a moved script, written the way the page writes the theme's own."""
    prefix = SCRIPT_PREFIX.search(html)
    if prefix is not None:
        return prefix.group("prefix") + moved.path
    return os.path.relpath(site / moved.path, page.parent).replace(os.sep, "/")


def inline_scripts(html: str) -> set[str]:
    """The bodies of a page's inline JavaScript."""
    return {
        m.group("body")
        for m in SCRIPT.finditer(html)
        if "src=" not in m.group("attrs") and is_javascript(m.group("attrs")) and m.group("body").strip()
    }


def move_inline_scripts(html: str, page: Path, site: Path, moved: dict[str, MovedScript]) -> str:
    """Replace each inline script outside the chapter text with a script file of its own."""

    def replace(match: re.Match[str]) -> str:
        attrs, body = match.group("attrs"), match.group("body")
        if "src=" in attrs or not is_javascript(attrs) or not body.strip():
            return match.group(0)
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
        script = moved.setdefault(digest, MovedScript(f"{SCRIPTS_DIR}/inline.{digest}.js", body))
        return f'<script{attrs} src="{_moved_src(html, page, site, script)}"></script>'

    return SCRIPT.sub(replace, html)


def add_content_security_policy(site: Path, docs: Path | None = DOCS) -> str:
    """Write the policy into every HTML page of ``site``; return it.

    ``docs`` (the Markdown sources) is only used to name the file in a failure. Raises
    UnsafeContentError listing every page that holds unsafe content, before any change.
    """
    pages = sorted(site.rglob("*.html"))
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    problems = [
        f"{source_of(page, site, docs)}: {problem}"
        for page, text in texts.items()
        for problem in content_problems(text, generated=is_screening_page(page.relative_to(site)))
    ]
    # The theme's inline scripts are the same on every page; one found on only some pages
    # came from their content, wherever the generator put it.
    theme = set.intersection(*(inline_scripts(text) for text in texts.values())) if texts else set()
    for page, text in texts.items():
        if inline_scripts(text) - theme and not any(p.startswith(source_of(page, site, docs)) for p in problems):
            problems.append(
                f"{source_of(page, site, docs)}: an inline <script> that is not the theme's; "
                "put the code in a file under docs/assets/javascripts/"
            )
    if problems:
        raise UnsafeContentError(problems)
    moved: dict[str, MovedScript] = {}
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
    for page, text in texts.items():
        text = POLICY_TAG.sub("", text)
        text = move_inline_scripts(text, page, site, moved)
        # Straight after the charset declaration, before any script or style.
        charset = re.search(r"<meta charset=[^>]*>", text, re.I)
        head = re.search(r"<head\b[^>]*>", text, re.I)
        if charset is None and head is None:
            raise UnsafeContentError(
                [f"{source_of(page, site, docs)}: no <head> to put the Content-Security-Policy in"]
            )
        cut = charset.end() if charset is not None else head.end()  # type: ignore[union-attr]
        page.write_text(text[:cut] + "\n    " + meta + text[cut:], encoding="utf-8")
    for script in moved.values():
        target = site / script.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(script.body, encoding="utf-8")
    return POLICY
