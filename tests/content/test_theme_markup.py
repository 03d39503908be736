"""The build's repairs of the theme's markup (build_scripts/theme_markup.py)."""

from __future__ import annotations

from build_scripts.theme_markup import repair_page

SEARCH = '<div class="md-search" data-md-component="search" role="dialog">'


def test_the_search_dialog_is_named_once() -> None:
    repaired = repair_page(f"<body>{SEARCH}</body>")
    assert 'role="dialog" aria-label="Search">' in repaired
    assert repair_page(repaired) == repaired, "a named dialog is left as it is"


def test_a_label_for_a_missing_toggle_loses_its_for() -> None:
    page = '<label class="md-nav__title" for="__toc">Contents</label>'
    assert repair_page(page) == '<label class="md-nav__title">Contents</label>'


def test_a_label_for_a_toggle_that_is_there_is_kept() -> None:
    page = '<input type="checkbox" id="__toc"><label class="md-nav__link" for="__toc">Contents</label>'
    assert repair_page(page) == page
