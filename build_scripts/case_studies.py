"""The trainers' case-study library: read case-studies/*.yaml, check them, write the pages.

Each case carries, for every protocol, the answers a practitioner would give and the level
the trainers expect. The build scores every case with the engine, so the comparison view
shows the engine's own reasons; the tests check the engine agrees with the expected level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from screening import AnswerError, assess
from screening.engine import read_answers
from screening.errors import Problem, ProtocolError
from screening.model import Assessment, Protocol
from screening.source import line_of, parse_yaml

from .paths import CASE_PAGES, CASE_STUDIES, DOCS
from .screening_pages import environment

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
REQUIRED = ("id", "title", "summary", "age", "story", "discussion", "facilitator_notes", "read", "answers")


@dataclass(frozen=True)
class Reading:
    title: str
    page: str


@dataclass(frozen=True)
class ProtocolAnswers:
    protocol: str
    answers: dict[str, Any]
    level: str


@dataclass(frozen=True)
class CaseStudy:
    id: str
    title: str
    summary: str
    age: int
    story: str
    discussion: tuple[str, ...]
    facilitator_notes: tuple[str, ...]
    read: tuple[Reading, ...]
    answers: tuple[ProtocolAnswers, ...]

    def fragment(self, protocol_id: str) -> str:
        """The URL fragment that opens this case in a screening page (never sent to a server)."""
        entry = next(a for a in self.answers if a.protocol == protocol_id)
        parts = [k if v is True else f"{k}:{v}" for k, v in entry.answers.items() if v is not False]
        return f"case={quote(self.id)}&answers={quote(','.join(parts), safe=',:')}"


def read_case(path: Path, protocols: dict[str, Protocol], display: str) -> tuple[CaseStudy | None, list[Problem]]:
    """One case file, with every problem located as ``display:LINE: message``."""
    data, lines, problems = parse_yaml(path.read_text(encoding="utf-8"), display)
    if problems:
        return None, problems
    found: list[Problem] = []

    def problem(where: tuple[str | int, ...], message: str) -> None:
        found.append(Problem(message, where, display, line_of(lines, where)))

    if not isinstance(data, dict):
        return None, [Problem("a case study must be a mapping of keys to values", (), display, 1)]
    for key in data:
        if key not in REQUIRED:
            problem((key,), f"unknown key '{key}' (expected one of: {', '.join(REQUIRED)})")
    for key in REQUIRED:
        if key not in data:
            problem((), f"missing the key '{key}'")
    if found:
        return None, found
    if data["id"] != path.stem or not ID.match(str(data["id"])):
        problem(("id",), f"id '{data['id']}' must match the file name '{path.stem}' (lower-case letters, digits, '-')")
    for key in ("title", "summary", "story"):
        if not isinstance(data[key], str) or not data[key].strip():
            problem((key,), f"'{key}' must be non-empty text")
    if isinstance(data["age"], bool) or not isinstance(data["age"], int) or not 0 < data["age"] < 18:
        problem(("age",), "'age' must be a whole number under 18")
    for key in ("discussion", "facilitator_notes"):
        value = data[key]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            problem((key,), f"'{key}' must be a list of text")
    readings: list[Reading] = []
    for index, entry in enumerate(data["read"] if isinstance(data["read"], list) else []):
        if not isinstance(entry, dict) or set(entry) != {"title", "page"}:
            problem(("read", index), "each reading needs exactly 'title' and 'page'")
            continue
        page = str(entry["page"]).split("#")[0]
        if not (DOCS / page).is_file():
            problem(("read", index, "page"), f"page '{page}' does not exist under docs/")
        readings.append(Reading(str(entry["title"]), str(entry["page"])))
    answers: list[ProtocolAnswers] = []
    raw_answers = data["answers"] if isinstance(data["answers"], dict) else {}
    for protocol_id in protocols:
        if protocol_id not in raw_answers:
            problem(("answers",), f"no answers for protocol '{protocol_id}'")
    for protocol_id, entry in raw_answers.items():
        where: tuple[str | int, ...] = ("answers", protocol_id)
        protocol = protocols.get(protocol_id)
        if protocol is None:
            problem(where, f"'{protocol_id}' is not a protocol")
            continue
        if not isinstance(entry, dict) or set(entry) != {"answers", "level"} or not isinstance(entry["answers"], dict):
            problem(where, "each protocol needs exactly 'answers' (a mapping) and 'level'")
            continue
        try:
            read_answers(protocol, entry["answers"])
        except AnswerError as exc:
            problem((*where, "answers", exc.item) if exc.item else where, f"{protocol_id}: {exc}")
            continue
        if protocol.level(str(entry["level"])) is None:
            problem((*where, "level"), f"'{entry['level']}' is not a level of {protocol_id}")
            continue
        answers.append(ProtocolAnswers(protocol_id, dict(entry["answers"]), str(entry["level"])))
    if found:
        return None, found
    case = CaseStudy(
        id=data["id"],
        title=data["title"].strip(),
        summary=data["summary"].strip(),
        age=data["age"],
        story=data["story"].strip(),
        discussion=tuple(data["discussion"]),
        facilitator_notes=tuple(data["facilitator_notes"]),
        read=tuple(readings),
        answers=tuple(sorted(answers, key=lambda a: list(protocols).index(a.protocol))),
    )
    return case, []


def load_cases(protocols: list[Protocol], folder: Path = CASE_STUDIES) -> list[CaseStudy]:
    """Every case study, or ProtocolError listing every problem in every file."""
    by_id = {p.id: p for p in protocols}
    cases: list[CaseStudy] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        case, found = read_case(path, by_id, path.relative_to(folder.parent).as_posix())
        problems.extend(found)
        if case is not None:
            cases.append(case)
    if problems:
        raise ProtocolError(problems)
    return sorted(cases, key=lambda c: c.title)


def _relative_read(case_page_depth: int, page: str) -> str:
    return "../" * case_page_depth + page


def write_case_pages(cases: list[CaseStudy], protocols: list[Protocol], folder: Path = CASE_PAGES) -> list[Path]:
    """The library index, a page per case (with the comparison view) and a table of all cases."""
    env = environment()
    by_id = {p.id: p for p in protocols}
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.md"):
        old.unlink()
    results: dict[str, dict[str, Assessment]] = {
        case.id: {a.protocol: assess(by_id[a.protocol], a.answers) for a in case.answers} for case in cases
    }
    written = []
    for case in cases:
        views = []
        for entry in case.answers:
            protocol = by_id[entry.protocol]
            result = results[case.id][entry.protocol]
            views.append(
                {
                    "protocol": protocol,
                    "result": result,
                    "labels": {i.id: _answer_label(protocol, i.id, entry.answers.get(i.id)) for i in protocol.items},
                    "href": f"../../../screening/{protocol.id}/#{case.fragment(protocol.id)}",
                }
            )
        text = env.get_template("case_study.md.j2").render(
            case=case,
            views=views,
            reads=[replace(r, page=_relative_read(2, r.page)) for r in case.read],
        )
        target = folder / f"{case.id}.md"
        target.write_text(text, encoding="utf-8")
        written.append(target)
    index = env.get_template("case_index.md.j2").render(cases=cases, protocols=protocols, results=results)
    (folder / "index.md").write_text(index, encoding="utf-8")
    written.append(folder / "index.md")
    return written


def _answer_label(protocol: Protocol, item_id: str, value: Any) -> str:
    item = protocol.item(item_id)
    if item is None:
        return item_id
    if item.answer == "choice" and isinstance(value, str):
        option = item.option(value)
        return f"{item.text}: {option.label}" if option else item.text
    return item.text
