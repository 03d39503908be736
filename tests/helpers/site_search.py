"""The site's search as the tests use it: the one place where the two generators differ.

- the index: MkDocs writes ``search/search_index.json`` (``{config, docs}``), Zensical
  writes ``search.json`` (``{config, items}``); both list ``location``, ``title``, ``text``;
- the box: MkDocs' is a field in the header, opened by a toggle; Zensical's is a dialog
  (in a shadow root, which Playwright's selectors go into) opened by ``.md-search__button``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_scripts.generators import GENERATORS


@dataclass(frozen=True)
class SearchEntry:
    location: str
    title: str
    text: str


def search_entries(site: Path, generator: str) -> list[SearchEntry]:
    """Every entry of the built site's search index."""
    index_file = site / GENERATORS[generator].search_index
    data: dict[str, Any] = json.loads(index_file.read_text(encoding="utf-8"))
    entries = data["items"] if generator == "zensical" else data["docs"]
    return [SearchEntry(e["location"], e["title"], e["text"]) for e in entries]


@dataclass(frozen=True)
class SearchBox:
    query: str  # the field a reader types into
    result: str  # each result's link, best first


BOXES = {
    "mkdocs": SearchBox(query="input.md-search__input", result=".md-search-result__item > a"),
    "zensical": SearchBox(query="dialog[aria-label='Search'] input[role='combobox']", result="a[role='option']"),
}


def open_search(page: Any, generator: str) -> Any:
    """Open the search as a reader does; return the field to type into."""
    if generator == "zensical":
        page.locator(".md-search__button").first.click()
    else:
        page.evaluate(
            "document.getElementById('__search').checked || document.querySelector('label[for=__search]').click()"
        )
    field = page.locator(BOXES[generator].query)
    field.wait_for(state="visible")
    return field


def search(page: Any, generator: str, query: str, timeout_ms: int = 15_000) -> list[str]:
    """Type ``query`` into the site's search; the links of its results, best first."""
    open_search(page, generator).press_sequentially(query)
    result = BOXES[generator].result
    page.wait_for_selector(result, timeout=timeout_ms)
    page.wait_for_timeout(300)  # let the results for the last key replace those for the first
    return [str(href) for href in page.eval_on_selector_all(result, "links => links.map((a) => a.href)")]
