"""Bad protocol files and the exact messages they must produce: file, line, what is wrong.

Each row edits tests/data/minimal.yaml (a valid protocol); ``marker`` is text on the line
the message must point at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.files.yaml_source import check_file

MINIMAL = (Path(__file__).resolve().parent / "data" / "minimal.yaml").read_text(encoding="utf-8")

ROWS = [
    # (name, old text, new text, marker on the reported line, message)
    (
        "unknown key",
        "    text: Sign A\n",
        "    text: Sign A\n    colour: red\n",
        "colour: red",
        "unknown key 'colour' in an item (expected one of: id, text, group, source, hint, answer, points, options, default, required)",
    ),
    (
        "duplicate item id",
        "  - id: b\n",
        "  - id: a\n",
        "  - id: a\n    group: signs\n    text: Sign B",
        "duplicate item id 'a'",
    ),
    (
        "duplicate yaml key",
        "    text: Sign A\n",
        "    text: Sign A\n    text: Sign A again\n",
        "text: Sign A again",
        "duplicate key 'text'",
    ),
    (
        "rule names missing item",
        "when: {item: when, is: now}",
        "when: {item: whenever, is: now}",
        "{item: whenever",
        "rule 'seen-now': names item 'whenever', which does not exist",
    ),
    (
        "rule names missing level",
        "    then: medium\n",
        "    then: middling\n",
        "then: middling",
        "rule 'any-sign' names level 'middling', which does not exist",
    ),
    (
        "rule names missing group",
        "when: {any_in: signs}",
        "when: {any_in: sings}",
        "{any_in: sings}",
        "rule 'any-sign': names group 'sings', which does not exist",
    ),
    (
        "unreachable level",
        "    then: medium\n",
        "    then: high\n",
        "  - id: medium",
        "level 'medium' is unreachable: no rule or band leads to it",
    ),
    (
        "item in missing group",
        "    group: signs\n    text: Sign A\n",
        "    group: nowhere\n    text: Sign A\n",
        "group: nowhere",
        "item 'a' names group 'nowhere', which does not exist",
    ),
    (
        "version not text",
        'version: "1"',
        "version: 1.0",
        "version: 1.0",
        "'version' must be non-empty text, not the number 1.0 (put it in quotes)",
    ),
    ("missing key", "title: Minimal protocol\n", "", "id: minimal", "the protocol is missing the key 'title'"),
    (
        "threshold beyond group",
        "value: 2",
        "value: 9",
        "at_least: {setting: many}",
        "rule 'many-signs': can never hold: at_least (setting 'many') is 9 but group 'signs' has 3 items",
    ),
    (
        "unknown setting",
        "{setting: many}",
        "{setting: lots}",
        "{setting: lots}",
        "'lots' is not one of the protocol's settings",
    ),
    (
        "unknown option",
        "is: now}",
        "is: later}",
        "is: later}",
        "rule 'seen-now': 'later' is not an option of item 'when'",
    ),
    (
        "bad condition",
        "when: {any_in: signs}",
        "when: {sometimes: signs}",
        "{sometimes: signs}",
        "a condition needs exactly one of: item, any_of, any_in, count_in, points_in, score_at_least, all, any (found none)",
    ),
    (
        "not yaml",
        "title: Minimal protocol\n",
        "title: [unclosed\n",
        "version:",
        "not valid YAML: expected ',' or ']', but got ':'",
    ),
    (
        "id differs from file name",
        "id: minimal\n",
        "id: other\n",
        "id: other",
        "protocol id 'other' must match the file name 'minimal'",
    ),
    (
        "empty next steps",
        "next_steps: [Keep watching.]",
        "next_steps: []",
        "next_steps: []",
        "'next_steps' must be a list of text with at least one entry",
    ),
    (
        "choice default not an option",
        "default: never",
        "default: nope",
        "default: nope",
        "default 'nope' is not an option of item 'when'",
    ),
    (
        "unused setting",
        "settings:\n",
        "settings:\n  spare:\n    value: 1\n    label: Spare\n    why: Unused.\n",
        "  spare:",
        "setting 'spare' is not used by any rule",
    ),
]


def _line_of(text: str, marker: str) -> int:
    index = text.index(marker)
    return text.count("\n", 0, index) + 1


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_bad_protocol_file_message(tmp_path: Path, old: str, new: str, marker: str, message: str) -> None:
    assert old in MINIMAL, "the row's old text must be in minimal.yaml"
    text = MINIMAL.replace(old, new, 1)
    path = tmp_path / "minimal.yaml"
    path.write_text(text, encoding="utf-8")
    protocol, problems = check_file(path, "protocols/minimal.yaml")
    assert protocol is None
    expected = f"protocols/minimal.yaml:{_line_of(text, marker)}: {message}"
    assert expected in [str(p) for p in problems]


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    path = tmp_path / "minimal.yaml"
    shape = MINIMAL.replace("    text: Sign A\n", "    text: Sign A\n    colour: red\n").replace(
        'version: "1"', "version: 1.0"
    )
    path.write_text(shape, encoding="utf-8")
    _, problems = check_file(path, "minimal.yaml")
    assert [p.line for p in problems] == [3, 17]
    # Cross-references are checked once the shape is right, and all of them are reported too.
    refs = MINIMAL.replace("    then: medium\n", "    then: middling\n").replace(
        "group: signs\n    text: Sign B", "group: nowhere\n    text: Sign B"
    )
    path.write_text(refs, encoding="utf-8")
    _, problems = check_file(path, "minimal.yaml")
    assert len(problems) == 3  # the missing group, the missing level, and 'medium' now unreachable
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_the_valid_file_has_no_problems(tmp_path: Path) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    protocol, problems = check_file(path)
    assert problems == [] and protocol is not None


def test_shipped_protocols_are_valid() -> None:
    root = Path(__file__).resolve().parent.parent / "protocols"
    files = sorted(root.glob("*.yaml"))
    assert files
    for file in files:
        _, problems = check_file(file)
        assert problems == [], [str(p) for p in problems]
