"""The abbreviations: one file defines them (includes/abbreviations.md), the glossary shows the same.

The built site's tooltips are checked in tests/site/test_content.py.
"""

from __future__ import annotations

import re

from tests.helpers.repository import ROOT

# Every abbreviation the source documents use (found in them by hand and by search for
# capitalised words), plus DfE, RHI and Ofsted, which the site's own text uses.
SEED_ABBREVIATIONS = [
    "BwD", "CAF", "CAMHS", "CiN", "CIN", "CoNR", "CP", "CSC", "CSE", "DFE", "DfE", "EHM", "EHP",
    "FIB", "LA", "LAC", "LCS", "LSCB", "LSCBs", "MACSE", "MASE", "MASH", "MFH", "MIS", "NCC",
    "NRM", "NWG", "Ofsted", "PACE", "PVP", "RHI", "RHIs", "RISE", "SCB", "SERAF", "TAF", "UASC",
    "UK", "VCS", "WYP", "YJT",
]  # fmt: skip


def abbreviations_file() -> dict[str, str]:
    text = (ROOT / "includes" / "abbreviations.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\*\[([^\]]+)\]: (.+)$", text, re.M))


def test_abbreviations_file_covers_every_abbreviation_in_the_documents() -> None:
    defined = abbreviations_file()
    missing = [a for a in SEED_ABBREVIATIONS if a not in defined]
    assert not missing, f"abbreviations with no definition in includes/abbreviations.md: {missing}"


def test_glossary_page_matches_theabbreviations_file() -> None:
    defined = abbreviations_file()
    page = (ROOT / "docs" / "about" / "glossary.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \| [^|]+ \|$", page, re.M))
    rows.pop("Abbreviation", None)
    assert rows == defined, "the glossary table and includes/abbreviations.md differ"
