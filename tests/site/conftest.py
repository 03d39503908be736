"""The site tier's shared fixture: the built site's pages, read once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.site_text import Page, site_pages


@pytest.fixture(scope="module")
def pages(built_site: Path) -> dict[str, Page]:
    return {page.url: page for page in site_pages(built_site)}
