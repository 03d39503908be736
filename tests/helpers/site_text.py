"""Reading the built site's pages as text: shared by the content and accessibility tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


def normalise(text: str) -> str:
    """Lower case words and numbers only, so punctuation, quotes and line breaks do not matter."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@dataclass
class Page:
    path: Path
    url: str
    text: str = ""
    headings: list[str] = field(default_factory=list)
    classes: dict[str, list[str]] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    abbrs: dict[str, str] = field(default_factory=dict)


class _ArticleParser(HTMLParser):
    """Collects the text, headings, classed paragraphs, links and abbreviations of the article."""

    WATCHED = ("chapter-source", "chapter-status", "print-only", "section-source")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article> when > 0
        self.parts: list[str] = []
        self.headings: list[str] = []
        self.heading: list[str] | None = None
        self.classes: dict[str, list[str]] = {}
        self.open_class: tuple[str, int, list[str]] | None = None
        self.links: list[str] = []
        self.abbrs: dict[str, str] = {}
        self.abbr_title: str | None = None
        self.skip = 0  # inside a permalink anchor

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "article":
            self.depth += 1
            return
        if not self.depth:
            return
        classes = (a.get("class") or "").split()
        if tag == "a" and "headerlink" in classes:
            self.skip += 1
            return
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.heading = []
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag == "abbr":
            self.abbr_title = a.get("title") or ""
        for name in self.WATCHED:
            if name in classes and self.open_class is None:
                self.open_class = (tag, 0, [])
                self.classes.setdefault(name, [])
                self._class_name = name
        if self.open_class and tag == self.open_class[0]:
            self.open_class = (tag, self.open_class[1] + 1, self.open_class[2])
        if tag in {"p", "li", "td", "th", "br", "div"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
            return
        if not self.depth:
            return
        if tag == "a" and self.skip:
            self.skip -= 1
            return
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and self.heading is not None:
            self.headings.append("".join(self.heading).strip())
            self.heading = None
        if self.open_class and tag == self.open_class[0]:
            depth = self.open_class[1] - 1
            if depth == 0:
                self.classes[self._class_name].append("".join(self.open_class[2]).strip())
                self.open_class = None
            else:
                self.open_class = (tag, depth, self.open_class[2])
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.depth or self.skip:
            return
        self.parts.append(data)
        if self.heading is not None:
            self.heading.append(data)
        if self.open_class:
            self.open_class[2].append(data)
        if self.abbr_title is not None:
            self.abbrs[data] = self.abbr_title
            self.abbr_title = None


def read_page(site: Path, path: Path) -> Page:
    parser = _ArticleParser()
    parser.feed(path.read_text(encoding="utf-8"))
    url = path.parent.relative_to(site).as_posix() + "/"
    page = Page(path=path, url="" if url == "./" else url)
    page.text = re.sub(r"\s+", " ", "".join(parser.parts)).strip()
    page.headings = parser.headings
    page.classes = parser.classes
    page.links = parser.links
    page.abbrs = parser.abbrs
    return page


def site_pages(site: Path) -> list[Page]:
    """Every page of the built site (each directory's index.html)."""
    return [read_page(site, path) for path in sorted(site.rglob("index.html")) if "assets" not in path.parts]
