"""Generated pages: a title or summary with YAML's special characters cannot break the front matter."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from mkdocs.utils.meta import get_data

from build_scripts.case_studies import load_cases
from build_scripts.front_matter import front_matter
from build_scripts.screening_pages import render_page
from screening_cli.protocol_files import load_directory

ROOT = Path(__file__).resolve().parents[2]
AWKWARD = [
    'A \\q title with "quotes", a colon: and a # hash',
    "---",
    "...",
    "- toc",
    "title: not a key",
    "{not: a mapping}",
    "Line one\n---\nline three",
    "'single' and \\\\ backslashes",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_front_matter_reads_back_as_written(text: str) -> None:
    page = f"{front_matter(title=text, description=text, hide=['toc'])}\n# Body\n"
    body, meta = get_data(page)
    expected = " ".join(text.split()).replace("&", "&amp;").replace('"', "&#34;").replace("'", "&#39;")
    assert meta == {"title": expected, "description": expected, "hide": ["toc"]}
    assert body.strip() == "# Body"


def test_a_screening_page_keeps_its_front_matter() -> None:
    protocol = load_directory(ROOT / "protocols")[0]
    awkward = replace(protocol, title="Screening \\q tool", summary="First line.\n---\nhide: [nothing]")
    body, meta = get_data(render_page(awkward, "x.json"))
    assert meta["title"] == "Screening \\q tool"
    assert meta["description"] == "First line. --- hide: [nothing]"
    assert meta["hide"] == ["toc"]
    assert body.startswith("# Screening \\q tool\n")


def test_a_case_page_stays_out_of_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_scripts import case_studies

    protocols = load_directory(ROOT / "protocols")
    case = load_cases(protocols, ROOT / "case-studies")[0]
    awkward = replace(case, title="Case \\q", summary="---")
    case_studies.write_case_pages([awkward], protocols, tmp_path)
    body, meta = get_data((tmp_path / f"{case.id}.md").read_text(encoding="utf-8"))
    assert meta == {"title": "Case \\q", "description": "---", "search": {"exclude": True}}
    assert body.startswith("# Case \\q\n")
