"""Two repairs of the theme's own markup on every built page, whichever generator made it.

- The search dialog gets an accessible name ("Search"): MkDocs Material writes its dialog
  without one (Zensical's already has it, and is left as it is).
- A label pointing at the table of contents' toggle (``for="__toc"``) on a page that has no
  such control loses its ``for``: the theme writes the label on pages it leaves out of the
  menu (the case studies) but the control only on pages in the menu.

Step 6 of the build. Reads and rewrites the site's pages.
"""

from __future__ import annotations

import re
from pathlib import Path

SEARCH_DIALOG = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")(?![^>]*aria-label)')
TOC_LABEL = re.compile(r'(<label\b[^>]*?)\s+for="__toc"')
TOC_CONTROL = re.compile(r'\bid="__toc"')


def repair_page(html: str) -> str:
    """The page with the search dialog named and any label for a missing toggle unpointed."""
    html = SEARCH_DIALOG.sub(r'\1 aria-label="Search"', html, count=1)
    if not TOC_CONTROL.search(html):
        html = TOC_LABEL.sub(r"\1", html)
    return html


def repair_theme_markup(site: Path) -> None:
    """Repair every page of a built site in place."""
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        repaired = repair_page(text)
        if repaired != text:
            page.write_text(repaired, encoding="utf-8")
