"""The trainers' case-study library: expected levels, coverage, and bad files named by line."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from build_scripts.case_studies import load_cases, write_case_pages
from screening.engine import assess
from screening.errors import ProtocolError
from screening.report import result_json
from screening_cli.protocol_files import load_directory
from tests.helpers.case_runner import run_cases
from tests.helpers.repository import ROOT, case_study_tables

PROTOCOLS = load_directory(ROOT / "protocols")
CASES = load_cases(PROTOCOLS, ROOT / "case-studies")
# The hard cases the library must hold, found by the words their ids carry.
HARD_CASES = ("withdrawn", "missing", "groomed", "online", "trust", "no-help")


def test_the_library_has_a_dozen_or_more_cases() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("table", case_study_tables(), ids=lambda t: t["protocol"])
def test_expected_level_equals_the_engines(table: dict[str, Any], protocol_data: dict[str, Any]) -> None:
    outcomes = run_cases(protocol_data[table["protocol"]], table["cases"])
    wrong = [
        f"{case['name']}: expected {case['level']}, engine gives {outcome['result']['level']['id']}"
        for case, outcome in zip(table["cases"], outcomes, strict=True)
        if outcome["result"]["level"]["id"] != case["level"]
    ]
    assert not wrong, "\n".join(wrong)


def test_every_level_of_every_protocol_is_covered() -> None:
    for protocol in PROTOCOLS:
        reached = {entry.level for case in CASES for entry in case.answers if entry.protocol == protocol.id}
        assert reached == {level.id for level in protocol.levels}, protocol.id


def test_every_case_answers_every_protocol() -> None:
    for case in CASES:
        assert [a.protocol for a in case.answers] == [p.id for p in PROTOCOLS], case.id


def test_the_hard_cases_are_in_the_library() -> None:
    ids = " ".join(c.id for c in CASES)
    missing = [word for word in HARD_CASES if word not in ids]
    assert not missing


def _bad_library(tmp_path: Path, text: str) -> list[str]:
    folder = tmp_path / "case-studies"
    folder.mkdir()
    (folder / "sample.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ProtocolError) as caught:
        load_cases(PROTOCOLS, folder)
    return [str(p) for p in caught.value.problems]


def _valid_text() -> str:
    first = sorted((ROOT / "case-studies").glob("*.yaml"))[0]
    return first.read_text(encoding="utf-8").replace(f"id: {first.stem}\n", "id: sample\n", 1)


def test_a_valid_copy_loads(tmp_path: Path) -> None:
    folder = tmp_path / "case-studies"
    folder.mkdir()
    (folder / "sample.yaml").write_text(_valid_text(), encoding="utf-8")
    assert [c.id for c in load_cases(PROTOCOLS, folder)] == ["sample"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("id: sample\n", "id: sample\nmood: sunny\n", "case-studies/sample.yaml:3: unknown key 'mood'"),
        ("id: sample\n", "id: other\n", "case-studies/sample.yaml:2: id 'other' must match the file name 'sample'"),
        (
            "  pan-lancashire:\n    answers: {",
            "  pan-lancashire:\n    answers: {not-an-item: true, ",
            "pan-lancashire: 'not-an-item' is not an item of protocol 'pan-lancashire'",
        ),
    ],
    ids=["unknown key", "id and file name", "unknown item"],
)
def test_bad_case_files_are_named_with_their_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = _valid_text()
    assert old in text, "the sample must contain the text the row edits"
    problems = _bad_library(tmp_path, text.replace(old, new, 1))
    assert any(p.startswith(message) or message in p for p in problems), problems


class _Cards(HTMLParser):
    """Each comparison card's sections as (protocol, section id, heading, [(line, [items])])."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[tuple[str, str, str, list[tuple[str, list[str]]]]] = []
        self.card = ""
        self.depth = 0  # of <ul> inside the current section
        self.text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "h3" and (attr.get("id") or "").startswith("compare-"):
            self.card = (attr["id"] or "").removeprefix("compare-")
        elif tag == "section" and attr.get("data-section"):
            self.sections.append((self.card, attr["data-section"] or "", "", []))
        elif tag == "h4" and self.sections:
            self.text = []
        elif tag == "ul" and self.sections:
            self._close_text()  # the text of the line whose items follow
            self.depth += 1
        elif tag == "li" and self.sections:
            self._close_text()
            self.text = []

    def _close_text(self) -> None:
        if self.text is None or not self.sections:
            return
        text = "".join(self.text).strip()
        self.text = None
        card, sid, heading, lines = self.sections[-1]
        if not heading:
            self.sections[-1] = (card, sid, text, lines)
        elif self.depth == 1:
            lines.append((text, []))
        elif text:
            lines[-1][1].append(text)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h4", "li", "ul"):
            self._close_text()
        if tag == "ul" and self.sections:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)


def test_each_case_page_renders_every_report_as_it_is(tmp_path: Path) -> None:
    """Every section of each framework's report, in order, with its lines and their items, and nothing else."""
    write_case_pages(CASES, PROTOCOLS, tmp_path)
    by_id = {p.id: p for p in PROTOCOLS}
    for case in CASES:
        page = (tmp_path / f"{case.id}.md").read_text(encoding="utf-8")
        cards = _Cards()
        cards.feed(page)
        expected = []
        for entry in case.answers:
            report = result_json(assess(by_id[entry.protocol], entry.answers))["report"]
            expected += [
                (
                    entry.protocol,
                    section["id"],
                    section["heading"],
                    [(line["text"], line["items"]) for line in section["lines"]],
                )
                for section in report
            ]
        assert cards.sections == expected, case.id
        assert html.unescape(page).count("Level from the answers") == len(case.answers)


# Words that tell a room a framework's result: the questions come before the results slides.
GIVE_AWAY = ("highest", "lowest", "not at risk", "finds no", "finds none", "step 2", "puts ")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_no_discussion_question_gives_a_level_away(case: Any) -> None:
    labels = {level.label.lower() for protocol in PROTOCOLS for level in protocol.levels}
    for question in case.discussion:
        text = question.lower()
        assert not [word for word in GIVE_AWAY if word in text], question
        assert not [label for label in labels if label in text], question
