"""The guidance content: every source document on the site, complete and in its own words,
with the glossary, review dates and search the practitioners rely on (the site's own pages
and the local contacts are in test_site_pages.py)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.content.test_abbreviations import abbreviations_file
from tests.content.test_sources_and_voice import PROTOCOL_RULES, SITE_RULES
from tests.helpers.site_search import search_entries
from tests.helpers.site_text import Page, normalise

ROOT = Path(__file__).resolve().parents[2]
SEEDS = json.loads((Path(__file__).resolve().parents[1] / "data" / "seed_content.json").read_text(encoding="utf-8"))

# Sections of the site whose pages are guidance chapters.
CHAPTER_SECTIONS = ("understanding/", "responding/", "local/", "trainers/", "about/")

# Page furniture of the copies the documents came from: never on the site.
FURNITURE = [
    "Friday, 2 August 2013",
    "No comments",
    "Post a Comment",
    "Thanks for your time and interest",
    "I tracked down the original document",
    "View the Pan Lancashire SCB Manual",
    "Letter To Sue Berelowski",
    "A Step By Step Guide To Tackling C.S.E",
]


# What a practitioner types, and the chapter the search must find.
SEARCHES = {
    "missing from home": "responding/missing-children/",
    "consent 16": "understanding/consent/",
    "return interview": "responding/missing-children/",
    "MASE": "responding/referral/",
    "gifts": "understanding/indicators/",
    "strategy discussion": "responding/step-by-step/",
}


@pytest.fixture(scope="module")
def chapters(pages: dict[str, Page]) -> dict[str, Page]:
    # The case studies under trainers/cases/ are made-up training material, not chapters.
    found = {
        url: page
        for url, page in pages.items()
        if url.startswith(CHAPTER_SECTIONS) and not url.startswith("trainers/cases/")
    }
    assert len(found) >= 15, f"expected the guidance chapters, found {sorted(found)}"
    return found


# Source documents ---------------------------------------------------------------------------


@pytest.mark.site
def test_every_seed_heading_is_a_heading_on_the_site(pages: dict[str, Page]) -> None:
    site_headings = [normalise(h) for page in pages.values() for h in page.headings]
    missing = [
        f"{doc}: {heading}"
        for doc, headings in SEEDS["headings"].items()
        for heading in headings
        if not any(normalise(heading) in h for h in site_headings)
    ]
    assert not missing, "seed headings not found in any heading on the site:\n" + "\n".join(missing)


@pytest.mark.site
def test_every_seed_passage_is_on_the_site_word_for_word(pages: dict[str, Page]) -> None:
    texts = [normalise(page.text) for page in pages.values()]
    missing = [
        f"{p['doc']}, line {p['line']}: {p['text']}"
        for p in SEEDS["passages"]
        if not any(normalise(p["text"]) in text for text in texts)
    ]
    assert not missing, f"{len(missing)} passage(s) of the source documents are not on the site:\n" + "\n".join(missing)


@pytest.mark.site
def test_page_furniture_of_the_copies_is_left_out(pages: dict[str, Page]) -> None:
    found = [
        f"{url}: {bit}" for url, page in pages.items() for bit in FURNITURE if normalise(bit) in normalise(page.text)
    ]
    assert not found, "page furniture on the site:\n" + "\n".join(found)


@pytest.mark.site
def test_every_chapter_names_its_source_and_review_date(chapters: dict[str, Page]) -> None:
    problems = []
    for url, page in chapters.items():
        if not page.classes.get("chapter-source"):
            problems.append(f"{url}: no source line (class chapter-source)")
        status = page.classes.get("chapter-status", [])
        if not status or "Page last reviewed" not in status[0] or "Next review due" not in status[0]:
            problems.append(f"{url}: no 'Page last reviewed ... · Next review due ...' line")
        if not any(urljoin("/" + url, link) == "/about/amendments/" for link in page.links):
            problems.append(f"{url}: no link to the amendments page")
        if not any("Printed copies may be out of date" in p for p in page.classes.get("print-only", [])):
            problems.append(f"{url}: no printed-copy notice")
    assert not problems, "\n".join(problems)


@pytest.mark.site
def test_chapters_from_several_documents_name_each_section_source(chapters: dict[str, Page]) -> None:
    """Where a chapter draws on more than one document, each section names its own."""
    documents = ("DfE", "Pan Lancashire", "Sandwell", "All Wales", "NCC")
    combined = 0
    for url, page in chapters.items():
        source = page.classes.get("chapter-source", [""])[0]
        if sum(name in source for name in documents) >= 2:
            combined += 1
            assert page.classes.get("section-source"), f"{url} combines documents but its sections do not say which"
    assert combined >= 5


@pytest.mark.site
def test_site_notes_are_the_only_additions_in_admonitions(built_site: Path) -> None:
    """Every site note says it is the site's own (the title is 'Site note')."""
    for path in built_site.rglob("index.html"):
        html = path.read_text(encoding="utf-8")
        for title in re.findall(r'<div class="admonition tip">\s*<p class="admonition-title">([^<]*)</p>', html):
            assert title == "Site note", f"{path}: tip admonition titled {title!r}"


@pytest.mark.site
def test_amendments_table_starts_with_first_publication(pages: dict[str, Page]) -> None:
    html = pages["about/amendments/"].path.read_text(encoding="utf-8")
    assert '<time datetime="2026-11-24">24 November 2026</time>' in html
    assert "First publication of this site" in pages["about/amendments/"].text


# Glossary -----------------------------------------------------------------------------------


@pytest.mark.site
def test_every_glossary_term_is_on_the_glossary_page_with_a_tooltip(pages: dict[str, Page]) -> None:
    glossary = pages["about/glossary/"]
    defined = abbreviations_file()
    missing = [term for term in defined if glossary.abbrs.get(term) != defined[term]]
    assert not missing, f"glossary terms without their tooltip on the glossary page: {missing}"


@pytest.mark.site
def test_abbreviations_show_a_tooltip_where_they_appear(chapters: dict[str, Page]) -> None:
    defined = abbreviations_file()
    seen = {term for page in chapters.values() for term in page.abbrs}
    # Every term the documents use appears as a tooltip in a chapter other than the glossary.
    in_chapters = {term for url, page in chapters.items() if url != "about/glossary/" for term in page.abbrs}
    assert set(defined) <= seen
    assert {"CSE", "MASH", "MASE", "LSCB", "UASC", "NRM", "FIB", "SERAF", "NWG", "MACSE"} <= in_chapters


@pytest.mark.site
def test_no_capitalised_abbreviation_is_left_without_a_definition(chapters: dict[str, Page]) -> None:
    defined = abbreviations_file()
    allowed = {"N", "B", "I", "A", "II"}  # "N.B.", the pronoun, list letters
    # Names, not abbreviations: the technologies and the charity the accessibility statement names.
    allowed |= {"AbilityNet", "JavaScript", "WebAssembly"}
    unknown: dict[str, str] = {}
    for url, page in chapters.items():
        for token in re.findall(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b", page.text):
            # An abbreviation outside the guidance (BBC, AA) may be defined on its own page instead.
            if token not in defined and token not in allowed and token not in page.abbrs:
                unknown.setdefault(token, url)
    assert not unknown, f"abbreviations with no glossary entry: {unknown}"


# Search -------------------------------------------------------------------------------------


def _terms(query: str) -> list[str]:
    stop = {"from", "the", "a", "of", "and", "to", "in"}
    return [t for t in re.findall(r"[a-z0-9]+", query.lower()) if t not in stop]


def _stem(term: str) -> str:
    return re.sub(r"(ing|s)$", "", term) if len(term) > 4 else term


@pytest.mark.site
@pytest.mark.parametrize("query", sorted(SEARCHES))
def test_search_index_has_the_query_on_the_right_chapter(built_site: Path, generator: str, query: str) -> None:
    expected = SEARCHES[query]
    hits = []
    for entry in search_entries(built_site, generator):
        words = set(re.findall(r"[a-z0-9]+", (entry.title + " " + re.sub(r"<[^>]+>", " ", entry.text)).lower()))
        if all(any(w.startswith(_stem(t)) for w in words) for t in _terms(query)):
            hits.append(entry.location.removeprefix("/"))
    assert any(h.startswith(expected) for h in hits), f"{query!r}: no section of {expected} in the index; hits {hits}"


# The screening pages ------------------------------------------------------------------------


@pytest.mark.site
def test_the_screening_pages_show_the_marks_and_corrections(built_site: Path) -> None:
    def page(name: str) -> str:
        """The page's text, without tags (abbreviations are marked up inside sentences)."""
        html = (built_site / "screening" / name / "index.html").read_text(encoding="utf-8")
        return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())

    assert "alongside [an] Engage worker" in page("pan-lancashire")
    assert "Site correction: the manual" in page("pan-lancashire")
    assert "Frequenting areas know[n] for sex work" in page("all-wales-seraf")
    assert "CP[,] LAC" in page("sandwell-nwg") and "Site corrections" in page("sandwell-nwg")
    for name in ("pan-lancashire", "sandwell-nwg", "all-wales-seraf", "dfe-step-by-step"):
        html = page(name)
        assert "Site note: this screening supports and never replaces professional judgement" in html, name
        rules = [r["says"] for r in PROTOCOL_RULES[name] if r["id"] in SITE_RULES.get(name, ())]
        for says in rules:
            assert normalise(says) in normalise(html), f"{name}: rule not on the page: {says}"
