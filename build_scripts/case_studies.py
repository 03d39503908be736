"""The trainers' case-study library: read case-studies/*.yaml, check them, write the pages.

Each case carries, for every protocol, the answers a practitioner would give and the level
the trainers expect. The build scores every case with the engine, so the comparison view
shows the engine's own reasons; the tests check the engine agrees with the expected level.

Step 3 of the build. Reads case-studies/*.yaml and the protocols; writes
docs/trainers/cases/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from screening import AnswerError, assess
from screening.engine import read_answers
from screening.errors import Problem, ProtocolError
from screening.model import Protocol
from screening.reading import Reader
from screening.report import result_json
from screening.schema import ID_PATTERN
from screening_cli.files import escape
from screening_cli.protocol_files import RESERVED_IDS
from screening_cli.yaml_reader import line_of, read_yaml

from .case_schema import CASE_NODES
from .front_matter import front_matter
from .paths import CASE_PAGES, CASE_STUDIES, DOCS
from .screening_pages import environment

ProblemPath = tuple[str | int, ...]


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
        answers = quote(",".join(parts), safe=",:")
        return f"case={quote(self.id)}&title={quote(self.title)}&answers={answers}"


def read_case(
    path: Path, protocols: dict[str, Protocol], display: str, unpublished: frozenset[str] = frozenset()
) -> tuple[CaseStudy | None, list[Problem]]:
    """One case file, with every problem located as ``display:LINE: message``."""
    if path.suffix != ".yaml":
        rename = f"a case-study file's name must end in .yaml: rename it to '{path.stem}.yaml'"
        return None, [Problem(rename, (), display)]
    data, lines, problems = read_yaml(path, display)
    if problems:
        return None, problems
    reader = Reader(CASE_NODES)
    values = reader.build("case", data, ())
    found = reader.problems

    def problem(where: tuple[str | int, ...], message: str) -> None:
        found.append(Problem(escape(message), where))

    if values is not None and not found:
        _check(values, path, protocols, problem, unpublished)
    located = [replace(p, file=display, line=line_of(lines, p.path) or 1) for p in found]
    if located or values is None:
        return None, sorted(located, key=lambda p: p.line or 0)
    answers = [
        ProtocolAnswers(a["id"], a["answers"], a["level"])
        for a in sorted(
            (a for a in values["answers"] if a["id"] in protocols), key=lambda a: list(protocols).index(a["id"])
        )
    ]
    case = CaseStudy(
        id=values["id"],
        title=values["title"],
        summary=values["summary"],
        age=values["age"],
        story=values["story"],
        discussion=values["discussion"],
        facilitator_notes=values["facilitator_notes"],
        read=tuple(Reading(r["title"], r["page"]) for r in values["read"]),
        answers=tuple(answers),
    )
    return case, []


def _check(
    values: dict[str, Any],
    path: Path,
    protocols: dict[str, Protocol],
    problem: Callable[[ProblemPath, str], None],
    unpublished: frozenset[str] = frozenset(),
) -> None:
    """What the schema cannot say: the file name, the age, the pages, and each protocol's answers."""
    if values["id"] != path.stem or not ID_PATTERN.match(values["id"]):
        rule = "lower-case letters, digits, '-' or '_'"
        problem(("id",), f"id '{values['id']}' must match the file name '{path.stem}' ({rule})")
    elif values["id"] in RESERVED_IDS:
        problem(("id",), f"'{values['id']}' cannot be a case-study id: the case library's own page uses it")
    if not 0 < values["age"] < 18:
        problem(("age",), "'age' must be a whole number under 18")
    for index, reading in enumerate(values["read"]):
        page = reading["page"].split("#")[0]
        outside = _outside_docs(page)
        if outside:
            problem(("read", index, "page"), f"page '{page}' {outside}")
            continue
        if not (DOCS / page).is_file():
            problem(("read", index, "page"), f"page '{page}' does not exist under docs/")
    given = {a["id"] for a in values["answers"]}
    for protocol_id in protocols:
        if protocol_id not in given:
            problem(("answers",), f"no answers for protocol '{protocol_id}'")
    for entry in values["answers"]:
        where: ProblemPath = ("answers", entry["id"])
        protocol = protocols.get(entry["id"])
        if protocol is None and entry["id"] in unpublished:
            continue  # a protocol the partnership does not publish: its answers are left out
        if protocol is None:
            problem(where, f"'{entry['id']}' is not a protocol")
            continue
        try:
            read_answers(protocol, entry["answers"])
        except AnswerError as exc:
            problem((*where, "answers", exc.item) if exc.item else where, f"{entry['id']}: {exc}")
            continue
        if protocol.level(entry["level"]) is None:
            problem((*where, "level"), f"'{entry['level']}' is not a level of {entry['id']}")


def load_cases(
    protocols: list[Protocol], folder: Path = CASE_STUDIES, unpublished: frozenset[str] = frozenset()
) -> list[CaseStudy]:
    """Every case study, or ProtocolError listing every problem in every file. Answers for
    a protocol in ``unpublished`` (one the partnership does not publish) are left out."""
    by_id = {p.id: p for p in protocols}
    cases: list[CaseStudy] = []
    problems: list[Problem] = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml")):
        case, found = read_case(path, by_id, path.relative_to(folder.parent).as_posix(), unpublished)
        problems.extend(found)
        if case is not None:
            cases.append(case)
    if problems:
        raise ProtocolError(problems)
    return sorted(cases, key=lambda c: c.title)


def _outside_docs(page: str) -> str:
    """Why ``page`` is not a Markdown page inside docs/, or '' when it is one."""
    parts = PurePosixPath(page).parts
    if page.startswith(("/", "\\")) or "\\" in page or ":" in page or not parts:
        return "must be a relative path under docs/, such as 'responding/referral.md'"
    if ".." in parts or not (DOCS / page).resolve().is_relative_to(DOCS.resolve()):
        return "is outside docs/: a reading must be one of the site's pages"
    if not page.endswith(".md"):
        return "must be a Markdown page (.md) under docs/"
    return ""


def _relative_read(case_page_depth: int, page: str) -> str:
    return "../" * case_page_depth + page


def write_case_pages(
    cases: list[CaseStudy], protocols: list[Protocol], folder: Path = CASE_PAGES, docs: Path | None = None
) -> list[Path]:
    """The library index, a page per case (with the comparison view) and a table of all cases.

    ``docs``: the docs folder being built; a reading whose page it does not publish is left out."""
    env = environment()
    by_id = {p.id: p for p in protocols}
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.md"):
        old.unlink()
    results: dict[str, dict[str, dict[str, Any]]] = {
        case.id: {a.protocol: result_json(assess(by_id[a.protocol], a.answers)) for a in case.answers} for case in cases
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
                    "href": f"../../../screening/{protocol.id}/#{case.fragment(protocol.id)}",
                }
            )
        text = env.get_template("case_study.md.j2").render(
            front_matter=front_matter(title=case.title, description=case.summary, search={"exclude": True}),
            case=case,
            views=views,
            reads=[
                replace(r, page=_relative_read(2, r.page))
                for r in case.read
                if docs is None or (docs / r.page.split("#")[0]).is_file()
            ],
        )
        target = folder / f"{case.id}.md"
        target.write_text(text, encoding="utf-8")
        written.append(target)
    index = env.get_template("case_index.md.j2").render(cases=cases, protocols=protocols, results=results)
    (folder / "index.md").write_text(index, encoding="utf-8")
    written.append(folder / "index.md")
    return written
