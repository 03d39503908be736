"""The risk levels comparison: all four frameworks, each in its document's words, each with
a link to its screening, and a site note where a screening's scale differs from its source."""

from __future__ import annotations

import re

from screening_cli.protocol_files import load_directory
from tests.content.test_sources_and_voice import SOURCE_TEXT
from tests.helpers.repository import ROOT
from tests.helpers.site_text import normalise

PAGE = (ROOT / "docs" / "responding" / "risk-levels.md").read_text(encoding="utf-8")
PROTOCOLS = {p.id: p for p in load_directory(ROOT / "protocols")}


def _table() -> list[str]:
    """The rows of the comparison table in the page's first site note."""
    note = PAGE.split('!!! tip "Site note"', 1)[1].split("!!!", 1)[0]
    return [line for line in note.splitlines() if line.strip().startswith("|") and "---" not in line][1:]


def test_the_table_has_all_four_frameworks_each_linking_its_screening() -> None:
    rows = _table()
    assert len(rows) == 4
    for protocol in PROTOCOLS:
        assert [row for row in rows if f"../screening/{protocol}.md" in row], protocol


def test_each_framework_is_in_its_documents_words() -> None:
    for row in _table():
        words = row.split("|")[3]
        quoted = re.findall(r'"([^"]+)"', words)
        assert quoted, row
        for quote in quoted:
            assert normalise(quote) in SOURCE_TEXT, quote


def test_a_site_note_says_where_seraf_and_the_others_differ_from_their_source() -> None:
    note = PAGE.split("**Where a screening's scale differs from its document's wording.**", 1)[1].split("\n## ", 1)[0]
    for level in PROTOCOLS["all-wales-seraf"].levels:
        assert f'"{level.label}"' in note, level.label
    assert normalise("mild, moderate or significant") in normalise(PAGE)
    for protocol, first in (("sandwell-nwg", "No CSE concerns identified"), ("dfe-step-by-step", "No key indicator")):
        assert first in PROTOCOLS[protocol].levels[0].label
        assert first in note, protocol
