"""Faithful to the sources, safe in its outcomes, non-blaming in its own voice.

The site quotes five source documents (copied into tests/data/sources/) and adds a little of
its own. These tests hold the line between the two: what the site adds is marked as the
site's, corrections to the sources' wording show as corrections, an answer that describes an
offence or immediate danger never gives a screening's lowest level, and the site's own words
avoid blaming the child (the case studies' readings are in test_case_study_readings.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from build_scripts.case_studies import load_cases
from screening import assess
from screening_cli.protocol_files import load_directory
from tests.helpers.repository import CASES as CASE_TABLES_DIR
from tests.helpers.repository import ROOT
from tests.helpers.site_text import normalise

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"
# The DfE copy carries a footnote mark ("indicators2"), which is not part of the wording.
SOURCE_TEXT = normalise(" ".join(p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt")))).replace(
    "indicators2", "indicators"
)
PROTOCOLS = {p.id: p for p in load_directory(ROOT / "protocols")}
CASE_STUDIES = {c.id: c for c in load_cases(list(PROTOCOLS.values()), ROOT / "case-studies")}

# What marks a sentence as the site's own, in a protocol file and on the page it becomes.
SITE_MARKS = ("Site note", "Site correction", "the site's")


def _is_marked(text: str) -> bool:
    return any(mark in text for mark in SITE_MARKS)


def _is_quoted_from_sources(text: str) -> bool:
    """Whether every stretch of ``text`` outside square brackets is in a source document.

    Square brackets hold corrections (as "[an]"); a reference at the end in round brackets,
    such as "(Step 3, paragraph 8)", names where the words come from.
    """
    text = re.sub(r"\s*\([^()]*\)\.?$", "", text.strip())
    chunks = [normalise(c) for c in re.split(r"\[[^\]]*\]", text)]
    return all(chunk in SOURCE_TEXT for chunk in chunks if chunk)


def _guidance_texts(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Every caveat, next step and rule note of a protocol: the guidance a result shows."""
    texts = [("caveat", c) for c in data["caveats"]]
    texts += [(f"level {lv['id']}", s) for lv in data["levels"] for s in lv["next_steps"]]
    texts += [(f"rule {r['id']}", n) for r in data["rules"] for n in r.get("notes", [])]
    return texts


# 1. Marked additions and shown corrections ---------------------------------------------------


def test_the_copied_sources_are_the_five_documents() -> None:
    assert len(list(SOURCES.glob("*.txt"))) == 5
    assert "risk or harm from cse is highly likely" in SOURCE_TEXT


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
def test_every_caveat_step_and_note_is_the_sources_words_or_marked_as_the_sites(
    protocol: str, protocol_data: dict[str, Any]
) -> None:
    unmarked = [
        f"{where}: {text}"
        for where, text in _guidance_texts(protocol_data[protocol])
        if not _is_marked(text) and not _is_quoted_from_sources(text)
    ]
    assert not unmarked, "guidance text neither in the sources nor marked as the site's:\n" + "\n".join(unmarked)


# The site's additions the review named, each with where it is and the words that find it.
# Each must be marked as the site's, with its reason ("because"), where it stands.
MARKED_ADDITIONS = [
    *[
        (f"protocols/{p}.yaml", "caveat", "supports and never replaces professional judgement")
        for p in ("pan-lancashire", "sandwell-nwg", "all-wales-seraf", "dfe-step-by-step")
    ],
    ("protocols/pan-lancashire.yaml", "caveat", "cannot tell these children apart"),
    ("protocols/sandwell-nwg.yaml", "caveat", "matter of professional judgement"),
    ("protocols/dfe-step-by-step.yaml", "caveat", "the list is not complete"),
    ("protocols/dfe-step-by-step.yaml", "level no-indicator", "does not read the list as complete"),
    *[
        (f"protocols/{p}.yaml", "rule immediate-danger", "call the police on 999")
        for p in ("sandwell-nwg", "all-wales-seraf", "dfe-step-by-step")
    ],
]


@pytest.mark.parametrize(("path", "where", "words"), MARKED_ADDITIONS)
def test_each_named_addition_is_marked_with_its_reason(
    path: str, where: str, words: str, protocol_data: dict[str, Any]
) -> None:
    data = protocol_data[Path(path).stem]
    texts = [text for w, text in _guidance_texts(data) if w == where]
    if where.startswith("level "):
        texts += [lv["description"] for lv in data["levels"] if f"level {lv['id']}" == where]
    found = [t for t in texts if words in t]
    assert found, f"{path}: no {where} says {words!r}"
    for text in found:
        assert text.startswith("Site note") or "Site note:" in text.split(words)[0], text
        assert "because" in text or "so " in text, f"{path}: the {where} gives no reason: {text}"


def _site_note_text(markdown: str) -> str:
    """The text of a page's "Site note" admonitions and italic *Site note:* lines."""
    notes: list[str] = []
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith('!!! tip "Site note"'):
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or lines[j].startswith("    ")):
                notes.append(lines[j].strip())
                j += 1
        elif "*Site note:" in line:
            notes.append(line)
    return " ".join(notes)


def test_page_additions_are_marked_as_the_sites() -> None:
    screening = (ROOT / "docs" / "screening" / "index.md").read_text(encoding="utf-8")
    phrase = "supports and never replaces professional judgement"
    assert screening.count(phrase) == _site_note_text(screening).count(phrase) == 1

    contacts = (ROOT / "includes" / "contacts.md").read_text(encoding="utf-8")
    police = contacts.split("[start:police]")[1].split("[end:police]")[0]
    section_9 = (
        "Where there are immediate concerns for safety, or it is thought that there has been or there is "
        "risk of a crime being committed, staff or foster carers should also contact the police."
    )
    assert normalise(section_9) in SOURCE_TEXT
    assert section_9.rstrip(".") in police, "the Police box quotes the manual's section 9 as it is"
    assert "staff and foster carers" in _site_note_text(police), "the Police box says the site widens it"

    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    step_4 = next(line for line in home.splitlines() if line.strip().startswith("4."))
    assert "If after discussion there remain concerns" in step_4


def test_corrections_to_the_sources_wording_are_shown_as_corrections(protocol_data: dict[str, Any]) -> None:
    pan = protocol_data["pan-lancashire"]
    level_3 = next(lv for lv in pan["levels"] if lv["id"] == "level-3")
    assert any("alongside [an] Engage worker" in s for s in level_3["next_steps"])
    level_4 = next(lv for lv in pan["levels"] if lv["id"] == "level-4")
    assert "Risk of harm" in level_4["label"] and "risk or harm" in SOURCE_TEXT
    assert "Site correction" in level_4["description"] and '"Risk or harm"' in level_4["description"]

    seraf = {i["id"]: i for i in protocol_data["all-wales-seraf"]["items"]}
    assert seraf["sig-sex-work-areas"]["text"] == "Frequenting areas know[n] for sex work"

    sandwell = protocol_data["sandwell-nwg"]
    questions = sandwell["guidance"][0]
    assert any("CP[,] LAC" in q for q in questions["points"])
    assert "Site corrections" in questions["source"] and '"Do you known"' in questions["source"]
    route = next(lv for lv in sandwell["levels"] if lv["id"] == "low")["next_steps"]
    assert any('[the briefing repeats "level of risk" here; left out]' in s for s in route)


# 2. Offences, immediate danger and withdrawn disclosures --------------------------------------

# The site's own rules, by protocol: each says "the site's rule" and has cases in the tables.
SITE_RULES = {
    "dfe-step-by-step": ("immediate-danger", "offence-under-16", "position-of-trust", "no-true-consent"),
    "sandwell-nwg": ("immediate-danger", "offence"),
    "all-wales-seraf": (
        "immediate-danger",
        "withdrawn-allegation",
        "abuse-by-controlling-adult",
        "significant-current",
    ),
}
PROTOCOL_RULES = {p: [{"id": r.id, "says": r.says} for r in protocol.rules] for p, protocol in PROTOCOLS.items()}

# Answers that describe an offence against the child, or immediate danger.
OFFENCE_ANSWERS: dict[str, list[dict[str, object]]] = {
    "dfe-step-by-step": [
        {"immediate-danger": True},
        {"sexual-activity": True, "age": "under-13"},
        {"sexual-activity": True, "age": "13-15"},
        {"position-of-trust": True},
        {"position-of-trust": True, "age": "16-17"},
        {"incapacitated": True},
        {"violence": True},
    ],
    "sandwell-nwg": [{"immediate-danger": True}, {"offence-evidence": True}],
    "all-wales-seraf": [
        {"immediate-danger": True},
        {"sig-abuse-by-boyfriend": "earlier"},
        {"sig-abuse-by-boyfriend": "current"},
    ],
    "pan-lancashire": [{"disclosure": True}, {"forced-online": True}, {"history-of-abuse": True}],
}


@pytest.mark.parametrize("protocol", sorted(OFFENCE_ANSWERS))
def test_an_offence_or_immediate_danger_never_gives_the_lowest_level(protocol: str) -> None:
    p = PROTOCOLS[protocol]
    lowest = [answers for answers in OFFENCE_ANSWERS[protocol] if assess(p, answers).level.rank == 0]
    assert not lowest, f"{protocol}: lowest level for {lowest}"


@pytest.mark.parametrize("protocol", sorted(SITE_RULES))
def test_the_sites_rules_say_so_and_are_in_the_case_tables(protocol: str) -> None:
    says = {r["id"]: r["says"] for r in PROTOCOL_RULES[protocol]}
    table = json.loads((CASE_TABLES_DIR / f"{protocol}.json").read_text(encoding="utf-8"))
    fired = {rule for case in table["cases"] for rule in case.get("fired", [])}
    for rule in SITE_RULES[protocol]:
        assert "the site's rule" in says[rule], f"{protocol}: rule {rule} does not say it is the site's"
        assert rule in fired, f"{protocol}: no case in protocols/cases/{protocol}.json fires {rule}"
    raw = (ROOT / "protocols" / f"{protocol}.yaml").read_text(encoding="utf-8")
    for rule in SITE_RULES[protocol]:
        before = raw.split(f"  - id: {rule}\n    says:")[0].rsplit("\n  - id:", 1)[-1]
        assert "site's" in before, f"{protocol}.yaml: no comment above rule {rule} says it is the site's"


def test_every_pan_lancashire_answer_is_above_level_1() -> None:
    """No rule of the site's is needed: any item at all, offences included, lifts Level 1."""
    p = PROTOCOLS["pan-lancashire"]
    assert all(assess(p, {item.id: True}).level.rank > 0 for item in p.items)


@pytest.mark.parametrize(
    "others",
    [[], ["staying-out-late"], ["staying-out-late", "mobile-phone", "drugs-alcohol", "school"], ["vuln-care", "sti"]],
)
def test_a_withdrawn_disclosure_is_never_not_at_risk_and_the_reason_comes_first(others: list[str]) -> None:
    p = PROTOCOLS["all-wales-seraf"]
    result = assess(p, {"withdrawn-allegation": True, **dict.fromkeys(others, True)})
    assert result.score is not None and result.score <= 5, "the published bands alone would say Category 1"
    assert result.level.id != "category-1"
    assert result.fired[0].rule == "withdrawn-allegation", "the reason is the first thing under the level"
    assert "not the whole story" in result.fired[0].says and '"not at risk"' in result.fired[0].says
    assert result.notes, "the rule's notes from the sources are shown"


# 3. The site's own voice ----------------------------------------------------------------------

# Words current non-blaming practice avoids in the site's own voice. Quotations (from the
# sources, or a child's own words in a story) are taken out before the check.
BLAMING_WORDS = [
    "boyfriend", "girlfriend", "truant", "risk taking", "risk-taking", "abusing drugs", "compliant",
    "resist help", "resists help", "resistance to being helped", "prostitut", "promiscu", "pimp",
    "sexualised way", "putting herself at risk", "putting himself at risk", "putting themselves at risk",
    "lifestyle choice", "willing victim", "consensual relationship",
]  # fmt: skip
# In a title or summary the child is never the one acting on others.
ACTOR_WORDS = ["bringing", "brings", "recruit", "selling", "sells", "her choice", "his choice"]

QUOTED = re.compile("\"[^\"]*\"|\u201c[^\u201d]*\u201d|\u2018[^\u2019]*\u2019|(?<![A-Za-z])'[^']*'(?![A-Za-z])")


def _own_words(text: str) -> str:
    return QUOTED.sub(" ", text).lower()


def _source_pages() -> list[Path]:
    docs = ROOT / "docs"
    written = [docs / "trainers" / "cases", docs / "assets"]
    pages = [p for p in docs.rglob("*.md") if not any(p.is_relative_to(w) for w in written)]
    return [p for p in pages if p.parent != docs / "screening" or p.name == "index.md"]


def _voice_texts() -> list[tuple[str, str, bool]]:
    """(where, text, is a title or summary) for everything written in the site's own voice."""
    texts: list[tuple[str, str, bool]] = []
    for case in CASE_STUDIES.values():
        # The id is the case page's address, read out and shared by trainers.
        texts += [(f"{case.id} id", case.id.replace("-", " "), True)]
        texts += [(f"{case.id} title", case.title, True), (f"{case.id} summary", case.summary, True)]
        texts += [(f"{case.id} story", case.story, False)]
        texts += [(f"{case.id} discussion", q, False) for q in case.discussion]
        texts += [(f"{case.id} note", n, False) for n in case.facilitator_notes]
    for protocol in PROTOCOLS.values():
        texts += [(f"{protocol.id} title", protocol.title, True), (f"{protocol.id} summary", protocol.summary, True)]
        texts += [(f"{protocol.id} rule {r.id}", r.says, False) for r in protocol.rules]
        texts += [(f"{protocol.id} caveat", c, False) for c in protocol.caveats if _is_marked(c)]
    # The Markdown the repository holds; pages an in-place build writes (screening and case
    # pages) come from the protocols and case studies read above.
    for path in sorted(_source_pages()) + sorted((ROOT / "includes").glob("*.md")):
        markdown = path.read_text(encoding="utf-8")
        where = str(path.relative_to(ROOT))
        for title in re.findall(r"^title: (.+)$", markdown, re.M) + re.findall(r"^# (.+)$", markdown, re.M):
            texts.append((f"{where} title", title, True))
        texts.append((f"{where} site notes", _site_note_text(markdown), False))
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[1]
    texts += [("mkdocs.yml nav", title, True) for title in re.findall(r"^\s+- ([^:\n]+):", nav, re.M)]
    return texts


def test_the_sites_own_voice_avoids_blaming_words() -> None:
    found = []
    for where, text, headline in _voice_texts():
        own = _own_words(text)
        words = BLAMING_WORDS + (ACTOR_WORDS if headline else [])
        found += [f"{where}: {word!r} in {text[:120]!r}" for word in words if word in own]
    assert not found, "\n".join(found)


def test_the_word_list_finds_what_it_should() -> None:
    """The check is not vacuous: unquoted words are caught, quoted ones are left alone."""
    assert "boyfriend" in _own_words("Jade and her older boyfriend")
    assert "boyfriend" not in _own_words("Jade calls him her 'boyfriend'; the list says \"Older boyfriend\".")
    assert "truant" in _own_words("Amira was truanting")
    assert "jade's" in _own_words("Jade's phone")


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (
            "docs/understanding/indicators.md",
            ("dressing in a more sexualised way", "truanting", "risk taking behaviours"),
        ),
        ("docs/responding/risk-levels.md", ("self-denied",)),
        ("docs/responding/engaging-young-people.md", ("compliant", "resistance to being helped")),
        ("docs/understanding/vulnerable-groups.md", ("abusing drugs and alcohol",)),
        ("docs/responding/step-by-step.md", ("pimping",)),
    ],
)
def test_dated_source_wording_has_a_site_note_saying_why_it_is_kept(path: str, words: tuple[str, ...]) -> None:
    markdown = (ROOT / path).read_text(encoding="utf-8")
    notes = _site_note_text(markdown).lower()
    for word in words:
        assert word in notes, f"{path}: no site note on {word!r}"
    assert "2017" in notes or "current practice" in notes, f"{path}: the note does not say why"


def test_item_labels_keep_the_sources_text(protocol_data: dict[str, Any]) -> None:
    items = {i["id"]: i["text"] for i in protocol_data["pan-lancashire"]["items"]}
    assert items["appearance"] == "Change in physical appearance or dressing in a more sexualised way"
    assert items["truanting"] == "Truanting or more regular non-school attendance"
    dfe = {i["id"]: i["text"] for i in protocol_data["dfe-step-by-step"]["items"]}
    assert dfe["older-partners"] == "Having older boyfriends or girlfriends"
