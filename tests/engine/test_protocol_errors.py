"""Bad input and the exact message it must produce: file, line, what is wrong.

Tables of protocol files, case-study files, answer files and calls to the Python API.
Each file row edits a valid file; the first table gives ``marker``, text on the line the
message must point at, the others give the line itself. Every row must produce one
message naming the file (and line, where there is one), never a traceback or a hang.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import screening
from build_scripts.case_studies import load_cases
from screening.errors import ProtocolError, ScreeningError
from screening_cli import cli
from screening_cli.dumping import dump_protocol
from screening_cli.files import MAX_FILE_BYTES
from screening_cli.protocol_files import check_file, load_directory

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
MINIMAL = (TESTS / "data" / "minimal.yaml").read_text(encoding="utf-8")
MINIMAL_BYTES = MINIMAL.encode("utf-8")

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
    (
        "urgent rule not firm",
        "    firm: true\n",
        "",
        "urgent: true",
        "rule 'seen-now' is urgent, so it must also be 'firm: true'"
        " (a judgement below an urgent rule's level needs explicit confirmation)",
    ),
    (
        "urgent rule firm false",
        "    firm: true\n",
        "    firm: false\n",
        "urgent: true",
        "rule 'seen-now' is urgent, so it must also be 'firm: true'"
        " (a judgement below an urgent rule's level needs explicit confirmation)",
    ),
    (
        "firm text",
        "    firm: true\n",
        '    firm: "yes"\n',
        'firm: "yes"',
        "'firm' must be true or false, not the text 'yes'",
    ),
    # Every id is checked against the one pattern: the page puts ids in selectors and values.
    (
        "option id with a quote",
        "{id: past, label: In the past",
        "{id: 'not\"present', label: In the past",
        'not"present',
        "option id 'not\"present' in item 'when' must be lower-case letters, digits, '-' or '_'",
    ),
    (
        "option id with a space",
        "{id: past, label: In the past",
        "{id: in past, label: In the past",
        "{id: in past",
        "option id 'in past' in item 'when' must be lower-case letters, digits, '-' or '_'",
    ),
    (
        "option id in capitals",
        "{id: past, label: In the past",
        "{id: Past, label: In the past",
        "{id: Past",
        "option id 'Past' in item 'when' must be lower-case letters, digits, '-' or '_'",
    ),
    (
        "option id with a bracket",
        "{id: past, label: In the past",
        "{id: 'past]', label: In the past",
        "{id: 'past]'",
        "option id 'past]' in item 'when' must be lower-case letters, digits, '-' or '_'",
    ),
    (
        "setting id with a space",
        "settings:\n",
        "settings:\n  spare one:\n    value: 1\n    label: Spare\n    why: Unused.\n",
        "  spare one:",
        "setting id 'spare one' must be lower-case letters, digits, '-' or '_'",
    ),
    (
        "group id with a quote",
        "  - id: signs\n    label: Signs\n",
        "  - id: signs\n    label: Signs\n  - id: 'x\"y'\n    label: Other\n",
        "id: 'x\"y'",
        "group id 'x\"y' must be lower-case letters, digits, '-' or '_'",
    ),
    (
        "level id with a hash",
        "  - id: high\n",
        "  - id: 'high#x'\n",
        "id: 'high#x'",
        "level id 'high#x' must be lower-case letters, digits, '-' or '_'",
    ),
    (
        "rule id with a dot",
        "  - id: seen-now\n",
        "  - id: seen.now\n",
        "id: seen.now",
        "rule id 'seen.now' must be lower-case letters, digits, '-' or '_'",
    ),
    (
        "item id starting with a dash",
        "  - id: a\n",
        "  - id: -a\n",
        "id: -a",
        "item id '-a' must be lower-case letters, digits, '-' or '_'",
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
    root = Path(__file__).resolve().parents[2] / "protocols"
    files = sorted(root.glob("*.yaml"))
    assert files
    for file in files:
        _, problems = check_file(file)
        assert problems == [], [str(p) for p in problems]


# Whole files built from parts: deep nesting, and aliases that multiply (nine levels of nine).
DEEP_ALL = b"{all: [" * 250 + b"{any_in: signs}" + b", {any_in: signs}]}" * 250
NEST17 = b"{all: [" * 17 + b"{any_in: signs}" + b", {any_in: signs}]}" * 17
LAUGHS = (
    b"\n".join(
        [b"x0: &x0 [a, a, a, a, a, a, a, a, a]"]
        + [b"x%d: &x%d [" % (i, i) + b", ".join([b"*x%d" % (i - 1)] * 9) + b"]" for i in range(1, 10)]
    )
    + b"\n"
)

READER_ROWS = [
    # (name, old bytes, new bytes, line, message): the reader's limits, then more of the validator's checks
    ("nul", b"text: Sign A", b"text: Sign\x00A", 16, "the control character U+0000 is not allowed in a YAML file"),
    ("bel", b"text: Sign A", b"text: Sign\x07A", 16, "the control character U+0007 is not allowed in a YAML file"),
    ("del", b"text: Sign A", b"text: Sign\x7fA", 16, "the control character U+007F is not allowed in a YAML file"),
    ("escape", b"text: Sign A", b'text: "Sign \\e[31mA"', 16, "text may not hold the control character U+001B"),
    ("nul escape", b"text: Sign A", b'text: "Sign \\0A"', 16, "text may not hold the control character U+0000"),
    (
        "bidi rlo",
        b"text: Sign A",
        "text: Sign \u202eA".encode(),
        16,
        "text may not hold the direction control U+202E (it makes text show differently from what the file holds)",
    ),
    (
        "bidi lro",
        b"text: Sign A",
        "text: Sign \u202dA".encode(),
        16,
        "text may not hold the direction control U+202D (it makes text show differently from what the file holds)",
    ),
    (
        "bidi rle",
        b"text: Sign A",
        "text: Sign \u202bA".encode(),
        16,
        "text may not hold the direction control U+202B (it makes text show differently from what the file holds)",
    ),
    (
        "bidi pdf",
        b"text: Sign A",
        "text: Sign \u202cA".encode(),
        16,
        "text may not hold the direction control U+202C (it makes text show differently from what the file holds)",
    ),
    (
        "bidi rli",
        b"text: Sign A",
        "text: Sign \u2067A".encode(),
        16,
        "text may not hold the direction control U+2067 (it makes text show differently from what the file holds)",
    ),
    (
        "bidi fsi",
        b"text: Sign A",
        "text: Sign \u2068A".encode(),
        16,
        "text may not hold the direction control U+2068 (it makes text show differently from what the file holds)",
    ),
    (
        "bidi pdi",
        b"text: Sign A",
        "text: Sign \u2069A".encode(),
        16,
        "text may not hold the direction control U+2069 (it makes text show differently from what the file holds)",
    ),
    (
        "bidi rlm",
        b"text: Sign A",
        "text: Sign \u200fA".encode(),
        16,
        "text may not hold the direction control U+200F (it makes text show differently from what the file holds)",
    ),
    (
        "bidi lrm",
        b"text: Sign A",
        "text: Sign \u200eA".encode(),
        16,
        "text may not hold the direction control U+200E (it makes text show differently from what the file holds)",
    ),
    (
        "bidi escaped in a key",
        b"    text: Sign A\n",
        b'    text: Sign A\n    "col\\u202eour": red\n',
        17,
        "text may not hold the direction control U+202E (it makes text show differently from what the file holds)",
    ),
    (
        "latin1",
        b"text: Sign A",
        b"text: Sign \xe9",
        16,
        "not UTF-8 text: byte 0xE9 cannot be read (save the file as UTF-8)",
    ),
    (
        "cp1252",
        b"text: Sign A",
        b"text: Sign \x93A\x94",
        16,
        "not UTF-8 text: byte 0x93 cannot be read (save the file as UTF-8)",
    ),
    (
        "truncated utf8",
        b"text: Sign A",
        b"text: Sign \xe2\x80",
        16,
        "not UTF-8 text: byte 0xE2 cannot be read (save the file as UTF-8)",
    ),
    (
        "pyname",
        b"text: Sign A",
        b"text: !!python/name:os.system ''",
        16,
        "tags such as '!!python/name:os.system' are not allowed: write plain values",
    ),
    (
        "pyobj",
        b"text: Sign A",
        b"text: !!python/object/apply:os.system [ls]",
        16,
        "tags such as '!!python/object/apply:os.system' are not allowed: write plain values",
    ),
    (
        "local tag",
        b"text: Sign A",
        b"text: !shout Sign A",
        16,
        "tags such as '!shout' are not allowed: write plain values",
    ),
    (
        "binary",
        b"text: Sign A",
        b"text: !!binary U2lnbiBB",
        16,
        "tags such as '!!binary' are not allowed: write plain values",
    ),
    (
        "tag on mapping",
        b"  - id: a\n",
        b"  - !!map\n    id: a\n",
        14,
        "tags such as '!!map' are not allowed: write plain values",
    ),
    (
        "5000 digits",
        b"points: 3",
        b"points: " + b"9" * 5000,
        22,
        "a whole number may have at most 15 digits (this one has 5000)",
    ),
    (
        "16 digits",
        b"value: 2",
        b"value: 1234567890123456",
        7,
        "a whole number may have at most 15 digits (this one has 16)",
    ),
    ("hex", b"points: 3", b"points: 0x" + b"f" * 20, 22, "a whole number may have at most 15 digits (this one has 20)"),
    (
        "neg digits",
        b"points: 3",
        b"points: -" + b"1" * 16,
        22,
        "a whole number may have at most 15 digits (this one has 16)",
    ),
    ("inf", b"points: 3", b"points: .inf", 22, "'.inf' is not a number this reader takes"),
    ("nan", b"points: 3", b"points: .nan", 22, "'.nan' is not a number this reader takes"),
    ("exp overflow", b"points: 3", b"points: 1e999", 22, "'points' must be a whole number, not the text '1e999'"),
    (
        "all 250",
        b"when: {any_in: signs}",
        b"when: " + DEEP_ALL,
        49,
        "nested more than 40 levels deep, the most this reader takes",
    ),
    (
        "block 60",
        b"source: Test data\n",
        b"source: Test data\nsummary:\n" + b"".join(b"  " * (i + 1) + b"- \n" for i in range(60)),
        45,
        "nested more than 40 levels deep, the most this reader takes",
    ),
    ("all 17", b"when: {any_in: signs}", b"when: " + NEST17, 49, "conditions may be nested at most 16 deep"),
    (
        "recursive alias",
        b"when: {any_in: signs}",
        b"when: &loop {all: [*loop, {any_in: signs}]}",
        49,
        "the alias '*loop' is inside the value it names",
    ),
    ("self alias", b"  - id: a\n", b"  - &me [*me]\n  - id: a\n", 14, "the alias '*me' is inside the value it names"),
    (
        "undefined alias",
        b"text: Sign A",
        b"text: *nowhere",
        16,
        "the alias '*nowhere' has no anchor '&nowhere' before it",
    ),
    (
        "laughs",
        b"source: Test data\n",
        b"source: Test data\n" + LAUGHS,
        10,
        "aliases repeat more than 100,000 values, the most this reader takes",
    ),
    (
        "alias too deep",
        b"source: Test data\n",
        b"source: Test data\ndeep: &d " + b"[" * 39 + b"]" * 39 + b"\nmore: [*d]\n",
        6,
        "nested more than 40 levels deep, the most this reader takes",
    ),
    (
        "two docs",
        b"source: Test data\n",
        b"source: Test data\n---\nid: other\n",
        5,
        "a file holds one YAML document: remove the second '---'",
    ),
    ("empty", MINIMAL_BYTES, b"", 1, "the file is empty"),
    ("comments", MINIMAL_BYTES, b"# only a comment\n", 1, "the file is empty"),
    ("null doc", MINIMAL_BYTES, b"~\n", 1, "the file is empty"),
    ("list doc", MINIMAL_BYTES, b"- id: minimal\n", 1, "the protocol must be a mapping of keys to values, not a list"),
    (
        "list key",
        b"    text: Sign A\n",
        b"    text: Sign A\n    ? [x, y]\n    : z\n",
        17,
        "a key must be a name, not a list",
    ),
    (
        "newline in a key",
        b"    text: Sign A\n",
        b'    text: Sign A\n    "col\\nour": red\n',
        17,
        "unknown key 'col\\nour' in an item (expected one of: id, text, group, source, hint, answer, points, options, default, required)",
    ),
    ("bool key", b"    text: Sign A\n", b"    text: Sign A\n    yes: z\n", 17, "a key must be a name, not True"),
    ("null key", b"    text: Sign A\n", b"    text: Sign A\n    ~: z\n", 17, "a key must be a name, not None"),
    (
        "number key",
        b"source: Test data\n",
        b"source: Test data\n1: one\n",
        1,
        "the keys of the protocol must be text, not the number 1",
    ),
    (
        "tab indent",
        b"    text: Sign A\n",
        b"    text: Sign A\n\tsource: x\n",
        17,
        "not valid YAML: found character '\\t' that cannot start any token",
    ),
    ("unclosed quote", b"text: Sign A", b'text: "Sign A', 52, "not valid YAML: expected <block end>, but found '{'"),
    ("bad escape", b"text: Sign A", b'text: "Sign \\q"', 16, "not valid YAML: found unknown escape character 'q'"),
    (
        "score neg",
        b"rules:\n",
        b"scoring:\n  bands: [{from: 0, label: None, level: low}]\nrules:\n  - {id: score-neg, says: Score., when: {score_at_least: -5}, then: high}\n",
        49,
        "rule 'score-neg': score_at_least must be 1 or more, not -5",
    ),
    (
        "score zero",
        b"rules:\n",
        b"scoring:\n  bands: [{from: 0, label: None, level: low}]\nrules:\n  - {id: score-zero, says: Score., when: {score_at_least: 0}, then: high}\n",
        49,
        "rule 'score-zero': score_at_least must be 1 or more, not 0",
    ),
    (
        "score beyond",
        b"rules:\n",
        b"scoring:\n  bands: [{from: 0, label: None, level: low}]\nrules:\n  - {id: score-high, says: Score., when: {score_at_least: 10}, then: high}\n",
        49,
        "rule 'score-high': can never hold: score_at_least is 10 but the highest possible score is 9",
    ),
    (
        "first band",
        b"rules:\n",
        b"scoring:\n  bands: [{from: 2, label: Some, level: low}]\nrules:\n",
        47,
        "the first band must start from 0, so that every score has a band",
    ),
    (
        "count zero",
        b"at_least: {setting: many}",
        b"at_least: 0",
        53,
        "rule 'many-signs': at_least must be 1 or more, not 0",
    ),
    (
        "points beyond",
        b"when: {count_in: signs, at_least: {setting: many}}",
        b"when: {points_in: signs, at_least: 99}",
        53,
        "rule 'many-signs': can never hold: at_least is 99 but group 'signs' has 9 points",
    ),
    (
        "negative points",
        b"points: 3",
        b"points: -3",
        18,
        "item 'b' has negative points; points may only add to a score",
    ),
    ("points text", b"points: 3", b'points: "3"', 22, "'points' must be a whole number, not the text '3'"),
    ("urgent text", b"urgent: true", b'urgent: "yes"', 60, "'urgent' must be true or false, not the text 'yes'"),
    ("answer kind", b"answer: choice", b"answer: maybe", 27, "'answer' must be yes_no or choice, not the text 'maybe'"),
    (
        "options yes_no",
        b"    points: 3\n",
        b"    points: 3\n    options: [{id: x, label: X}]\n",
        23,
        "'options' is only for items with 'answer: choice'",
    ),
    (
        "summary list",
        b"source: Test data\n",
        b"source: Test data\nsummary: [a, b]\n",
        5,
        "'summary' must be non-empty text, not a list",
    ),
    ("rule no then", b"    then: medium\n", b"", 47, "a rule must set a level ('then') or add 'notes', or both"),
    ("condition list", b"when: {any_in: signs}", b"when: []", 49, "a condition must be a mapping, not a list"),
    ("any_of empty", b"when: {any_in: signs}", b"when: {any_of: []}", 49, "'any_of' must be a list of item ids"),
    (
        "all one",
        b"when: {any_in: signs}",
        b"when: {all: [{any_in: signs}]}",
        49,
        "'all' must be a list of at least two conditions",
    ),
    (
        "two kinds",
        b"when: {any_in: signs}",
        b"when: {any_in: signs, any_of: [a]}",
        49,
        "a condition needs exactly one of: item, any_of, any_in, count_in, points_in, score_at_least, all, any (found any_in, any_of)",
    ),
    (
        "is and in",
        b"when: {item: when, is: now}",
        b"when: {item: when, is: now, in: [past]}",
        57,
        "use either 'is' or 'in', not both",
    ),
    (
        "is on yes_no",
        b"when: {item: when, is: now}",
        b"when: {item: a, is: now}",
        57,
        "rule 'seen-now': 'is'/'in' need a choice item, and 'a' is yes/no",
    ),
    (
        "one level",
        b"  - id: medium\n    label: Medium\n    description: Something seen.\n    next_steps: [Talk to your manager.]\n  - id: high\n    label: High\n    description: A lot seen.\n    next_steps: [Refer today.]\n",
        b"",
        33,
        "a protocol needs at least two levels",
    ),
    (
        "placeholder",
        b'says: "{many} or more signs are present."',
        b'says: "{lots} or more signs are present."',
        52,
        "'{lots}' in 'says' is not one of the protocol's settings",
    ),
    ("bad id", b"  - id: b\n", b"  - id: B b\n", 18, "item id 'B b' must be lower-case letters, digits, '-' or '_'"),
    (
        "empty group",
        b"groups:\n  - id: signs\n    label: Signs\n",
        b"groups:\n  - id: signs\n    label: Signs\n  - id: spare\n    label: Spare\n",
        13,
        "group 'spare' has no items",
    ),
    (
        "one option",
        b"      - {id: past, label: In the past, points: 1, present: true}\n      - {id: now, label: Now, points: 5, present: true}\n",
        b"",
        29,
        "choice item 'when' needs at least two options",
    ),
    ("dup option", b"{id: past, label", b"{id: never, label", 30, "duplicate option id 'never' in item 'when'"),
    (
        "choice points",
        b"    answer: choice\n",
        b"    answer: choice\n    points: 2\n",
        28,
        "a choice item gives points per option, not 'points'",
    ),
    (
        "setting unknown placeholder",
        b"value: 2",
        b"value: two",
        7,
        "'value' must be a whole number, not the text 'two'",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [row[1:] for row in READER_ROWS],
    ids=[row[0] for row in READER_ROWS],
)
def test_bad_protocol_bytes_message(tmp_path: Path, old: bytes, new: bytes, line: int, message: str) -> None:
    assert old in MINIMAL_BYTES, "the row's old text must be in minimal.yaml"
    path = tmp_path / "minimal.yaml"
    path.write_bytes(MINIMAL_BYTES.replace(old, new, 1))
    protocol, problems = check_file(path, "protocols/minimal.yaml")
    assert protocol is None
    assert f"protocols/minimal.yaml:{line}: {message}" in [str(p) for p in problems]
    assert all("\n" not in str(p) for p in problems)


def test_protocol_file_names(tmp_path: Path) -> None:
    yml = tmp_path / "minimal.yml"
    yml.write_text(MINIMAL, encoding="utf-8")
    index = tmp_path / "index.yaml"
    index.write_text(MINIMAL.replace("id: minimal\n", "id: index\n"), encoding="utf-8")
    with pytest.raises(ProtocolError) as caught:
        load_directory(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f"{index}:1: 'index' cannot be a protocol id: the site's list of screening tools uses it",
        f"{yml}: a protocol file's name must end in .yaml: rename it to 'minimal.yaml'",
    ]


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_bytes(MINIMAL_BYTES + b"#" * MAX_FILE_BYTES)
    _, problems = check_file(path, "protocols/minimal.yaml")
    assert [str(p) for p in problems] == [
        "protocols/minimal.yaml: the file is larger than 20 MB, the most this reader takes"
    ]


# Case-study files: a copy of the first case in the library, renamed 'sample'.
PROTOCOLS = load_directory(ROOT / "protocols")
_FIRST_CASE = sorted((ROOT / "case-studies").glob("*.yaml"))[0]
# The sample case without its first line (the editor's schema comment), so the rows' line
# numbers count from the case's first key.
_CASE_LINES = _FIRST_CASE.read_bytes().split(b"\n", 1)
assert _CASE_LINES[0].startswith(b"# yaml-language-server:")
CASE = _CASE_LINES[1].replace(f"id: {_FIRST_CASE.stem}\n".encode(), b"id: sample\n", 1)
READING = b"page: understanding/consent.md#pan-lancashire-3"

CASE_ROWS = [
    # (name, old bytes, new bytes, line, message)
    (
        "latin-1 byte",
        b'title: "Amira',
        b'title: "Am\xefra',
        2,
        "not UTF-8 text: byte 0xEF cannot be read (save the file as UTF-8)",
    ),
    ("nul byte", b"age: 15", b"age: 15\x00", 4, "the control character U+0000 is not allowed in a YAML file"),
    (
        "python tag",
        b"age: 15",
        b"age: !!python/object/apply:os.getpid []",
        4,
        "tags such as '!!python/object/apply:os.getpid' are not allowed: write plain values",
    ),
    ("recursive alias", b"age: 15", b"age: &a [*a]", 4, "the alias '*a' is inside the value it names"),
    (
        "nine levels of nine aliases",
        b"age: 15\n",
        b"age: 15\n" + LAUGHS,
        10,
        "aliases repeat more than 100,000 values, the most this reader takes",
    ),
    (
        "reading outside docs",
        READING,
        b"page: ../mkdocs.yml",
        27,
        "page '../mkdocs.yml' is outside docs/: a reading must be one of the site's pages",
    ),
    (
        "reading absolute",
        READING,
        b"page: /etc/passwd",
        27,
        "page '/etc/passwd' must be a relative path under docs/, such as 'responding/referral.md'",
    ),
    (
        "reading climbs out",
        READING,
        b"page: understanding/../../README.md",
        27,
        "page 'understanding/../../README.md' is outside docs/: a reading must be one of the site's pages",
    ),
    (
        "reading backslash",
        READING,
        b"page: understanding\\consent.md",
        27,
        "page 'understanding\\consent.md' must be a relative path under docs/, such as 'responding/referral.md'",
    ),
    (
        "reading url",
        READING,
        b"page: https://example.org/x.md",
        27,
        "page 'https://example.org/x.md' must be a relative path under docs/, such as 'responding/referral.md'",
    ),
    (
        "reading not markdown",
        READING,
        b"page: assets/stylesheets/site.css",
        27,
        "page 'assets/stylesheets/site.css' must be a Markdown page (.md) under docs/",
    ),
    (
        "reading missing",
        READING,
        b"page: understanding/nowhere.md",
        27,
        "page 'understanding/nowhere.md' does not exist under docs/",
    ),
    ("reading a number", READING, b"page: 7", 27, "'page' must be non-empty text, not the number 7 (put it in quotes)"),
    (
        "age of 5000 digits",
        b"age: 15",
        b"age: " + b"1" * 5000,
        4,
        "a whole number may have at most 15 digits (this one has 5000)",
    ),
    ("age 18", b"age: 15", b"age: 18", 4, "'age' must be a whole number under 18"),
    (
        "empty title",
        b'title: "Amira, 15: a disclosure taken back"',
        b'title: ""',
        2,
        "'title' must be non-empty text, not empty text",
    ),
    (
        "control character in title",
        b'title: "Amira, 15: a disclosure taken back"',
        b'title: "Amira\\b"',
        2,
        "text may not hold the control character U+0008",
    ),
    (
        "unknown protocol",
        b"answers:\n",
        b"answers:\n  nowhere: {answers: {}, level: low}\n",
        30,
        "'nowhere' is not a protocol",
    ),
    ("unknown level", b"    level: level-4", b"    level: level-9", 32, "'level-9' is not a level of pan-lancashire"),
    (
        "answer of the wrong type",
        b"answers: {disclosure: true,",
        b'answers: {disclosure: "yes",',
        31,
        "pan-lancashire: item 'disclosure' takes true or false, not 'yes'",
    ),
    (
        "nested 50 deep",
        b"age: 15",
        b"age: " + b"[" * 50 + b"]" * 50,
        4,
        "nested more than 40 levels deep, the most this reader takes",
    ),
    ("two documents", b"age: 15\n", b"age: 15\n---\n", 5, "a file holds one YAML document: remove the second '---'"),
    ("empty file", CASE, b"", 1, "the file is empty"),
    ("duplicate key", b"age: 15\n", b"age: 15\nage: 16\n", 5, "duplicate key 'age'"),
    ("a list", CASE, b"- a\n", 1, "a case study must be a mapping of keys to values, not a list"),
]


def _case_problems(tmp_path: Path, data: bytes, name: str = "sample.yaml") -> list[str]:
    folder = tmp_path / "case-studies"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(data)
    with pytest.raises(ProtocolError) as caught:
        load_cases(PROTOCOLS, folder)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "line", "message"), [row[1:] for row in CASE_ROWS], ids=[row[0] for row in CASE_ROWS]
)
def test_bad_case_study_message(tmp_path: Path, old: bytes, new: bytes, line: int, message: str) -> None:
    assert old in CASE, "the row's old text must be in the sample case"
    assert f"case-studies/sample.yaml:{line}: {message}" in _case_problems(tmp_path, CASE.replace(old, new, 1))


def test_case_study_file_names(tmp_path: Path) -> None:
    assert _case_problems(tmp_path / "yml", CASE, "sample.yml") == [
        "case-studies/sample.yml: a case-study file's name must end in .yaml: rename it to 'sample.yaml'"
    ]
    index = CASE.replace(b"id: sample\n", b"id: index\n")
    assert _case_problems(tmp_path / "index", index, "index.yaml") == [
        "case-studies/index.yaml:1: 'index' cannot be a case-study id: the case library's own page uses it"
    ]


# Answer files given to the command line: exit 2 and exactly this one line on standard error.
ANSWER_ROWS = [
    # (name, file content, message; FILE stands for the file's name)
    (
        "number of 5000 digits",
        b'{"answers": {"phones": ' + b"9" * 5000 + b"}}",
        "FILE:1: a whole number may have at most 15 digits (this one has 5000)",
    ),
    (
        "number of 16 digits",
        b'{"answers": {"phones": -1234567890123456}}',
        "FILE:1: a whole number may have at most 15 digits (this one has 16)",
    ),
    (
        "nested 1000 deep",
        b'{"answers": ' + b"[" * 1000 + b"]" * 1000 + b"}",
        "FILE:1: nested more than 40 levels deep, the most this reader takes",
    ),
    ("nested 41 deep", b"[" * 41 + b"]" * 41, "FILE:1: nested more than 40 levels deep, the most this reader takes"),
    (
        "duplicate key",
        b'{"answers": {"phones": true,\n  "phones": false}}',
        "FILE:2: duplicate key 'phones' in 'answers'",
    ),
    ("duplicate top key", b'{"answers": {},\n"answers": {"phones": true}}', "FILE:2: duplicate key 'answers'"),
    (
        "duplicate key written two ways",
        b'{"answers": {"phones": true, "\\u0070hones": true}}',
        "FILE:1: duplicate key 'phones' in 'answers'",
    ),
    (
        "item id with a newline",
        b'{"answers": {"pho\\nnes": true}}',
        "'pho\\nnes' is not an item of protocol 'pan-lancashire'",
    ),
    (
        "escape sequence in an id",
        b'{"answers": {"\\u001b[31mred": true}}',
        "FILE:1: a key in 'answers' may not hold the control character U+001B",
    ),
    (
        "latin-1 byte",
        b'{"answers": {\n"caf\xe9": true}}',
        "FILE:2: not UTF-8 text: byte 0xE9 cannot be read (save the file as UTF-8)",
    ),
    (
        "not json",
        b'{"answers": {phones: true}}',
        "FILE:1: not valid JSON: Expecting property name enclosed in double quotes",
    ),
    ("empty", b"", "FILE:1: not valid JSON: Expecting value"),
    ("a list", b"[]", 'FILE: the request must be an object, not a list: expected {"answers": {"ITEM_ID": true, ...}}'),
    ("answers a list", b'{"answers": []}', "FILE: 'answers' must be an object of item ids to answers, not a list"),
    (
        "no answers",
        b'{"judgement": {}}',
        """FILE: the request has no 'answers': expected {"answers": {"ITEM_ID": true, ...}}""",
    ),
    (
        "unknown judgement key",
        b'{"answers": {}, "judgement": {"note": "x"}}',
        "FILE: unknown key 'note' in 'judgement' (expected one of: level, reason, confirmed)",
    ),
    (
        "level not of the protocol",
        b'{"answers": {}, "judgement": {"level": "high"}}',
        "FILE: judgement.level 'high' is not a level (levels: level-1, level-2, level-3, level-4)",
    ),
    (
        "seen for no item",
        b'{"answers": {}, "seen": {"nope": "Monday"}}',
        "seen: 'nope' is not an item of protocol 'pan-lancashire'",
    ),
    ("unknown item", b'{"answers": {"nope": true}}', "'nope' is not an item of protocol 'pan-lancashire'"),
    ("text for yes/no", b'{"answers": {"phones": "yes"}}', "item 'phones' takes true or false, not 'yes'"),
    ("number for yes/no", b'{"answers": {"phones": 1}}', "item 'phones' takes true or false, not 1"),
    ("NaN for yes/no", b'{"answers": {"phones": NaN}}', "FILE:1: not valid JSON: NaN is not a value JSON has"),
    (
        "over 1 MB",
        b'{"answers": {}}' + b" " * 1_000_000,
        "FILE: the request is larger than 1 MB, the most the engine takes",
    ),
    ("a very long id", b'{"answers": {"' + b"x" * 10_000 + b'": true}}', "'" + "x" * 398 + "…"),
]


def _assess_error(answers_file: str, capsys: pytest.CaptureFixture[str]) -> str:
    code = cli.main(["--protocols", str(ROOT / "protocols"), "assess", "pan-lancashire", "--answers", answers_file])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    return err.removesuffix("\n")


@pytest.mark.parametrize(("content", "message"), [row[1:] for row in ANSWER_ROWS], ids=[row[0] for row in ANSWER_ROWS])
def test_bad_answers_file_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(content)
    assert _assess_error(str(path), capsys) == "error: " + message.replace("FILE", str(path))


def test_answers_from_devices_folders_fifos_and_loops(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only a plain file (or - for standard input) is read; nothing else hangs or runs on."""
    assert (
        _assess_error("/dev/zero", capsys)
        == "error: cannot read answers file /dev/zero: it is a device, not a plain file"
    )
    assert (
        _assess_error(str(tmp_path), capsys)
        == f"error: cannot read answers file {tmp_path}: it is a folder, not a plain file"
    )
    fifo = tmp_path / "answers.json"
    os.mkfifo(fifo)  # nobody writes to it: reading it would wait for ever
    assert _assess_error(str(fifo), capsys) == (
        f"error: cannot read answers file {fifo}: it is a FIFO (named pipe), not a plain file "
        "(to pipe answers in, give --answers -)"
    )
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    assert (
        _assess_error(str(loop), capsys)
        == f"error: cannot read answers file {loop}: it is a symbolic link that leads round in a loop"
    )
    linked = tmp_path / "linked.json"
    (tmp_path / "real.json").write_text('{"answers": {"phones": true}}')
    linked.symlink_to(tmp_path / "real.json")  # a link to a plain file is read as that file
    assert cli.main(["--protocols", str(ROOT / "protocols"), "assess", "pan-lancashire", "--answers", str(linked)]) == 0
    capsys.readouterr()


# The Python API: a typed error (a ScreeningError) with this first line, never AttributeError or TypeError.
def _pan_lancashire() -> Any:
    return next(p for p in PROTOCOLS if p.id == "pan-lancashire")


def _compiled(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(dump_protocol(_pan_lancashire())))
    data.update(changes)
    return data


def _deep_condition(depth: int) -> dict[str, Any]:
    condition: dict[str, Any] = {"item": "phones"}
    for _ in range(depth):
        condition = {"all": [condition, {"item": "phones"}]}
    return condition


API_ROWS: list[tuple[str, Callable[[], object], type[ScreeningError], str]] = [
    ("assess None", lambda: screening.assess(None, {}), ProtocolError, "assess needs a Protocol, not NoneType"),
    (
        "assess an id",
        lambda: screening.assess("pan-lancashire", {}),
        ProtocolError,
        "assess needs a Protocol, not str (read it with load_protocol first)",
    ),
    (
        "assess data",
        lambda: screening.assess(_compiled(), {}),
        ProtocolError,
        "assess needs a Protocol, not dict (read it with load_protocol first)",
    ),
    (
        "tuple key",
        lambda: screening.load_protocol({("a",): 2}),
        ProtocolError,
        "the keys of the protocol must be text, not tuple",
    ),
    (
        "number key",
        lambda: screening.load_protocol({1: 2}),
        ProtocolError,
        "the keys of the protocol must be text, not the number 1",
    ),
    (
        "load None",
        lambda: screening.load_protocol(None),
        ProtocolError,
        "the protocol must be a mapping of keys to values, not nothing",
    ),
    (
        "load a list",
        lambda: screening.load_protocol([]),
        ProtocolError,
        "the protocol must be a mapping of keys to values, not a list",
    ),
    (
        "conditions 900 deep",
        lambda: screening.load_protocol(
            _compiled(rules=[{"id": "deep", "says": "Deep.", "when": _deep_condition(900), "then": "level-4"}])
        ),
        ProtocolError,
        "rules[0].when" + ".all[0]" * 17 + ": conditions may be nested at most 16 deep",
    ),
    (
        "answers None",
        lambda: screening.assess(_pan_lancashire(), None),
        screening.AnswerError,
        "answers must be a mapping of item ids to answers, not NoneType",
    ),
    (
        "answers a list",
        lambda: screening.assess(_pan_lancashire(), []),
        screening.AnswerError,
        "answers must be a mapping of item ids to answers, not list",
    ),
    (
        "number as item id",
        lambda: screening.assess(_pan_lancashire(), {1: True}),
        screening.UnknownItemError,
        "'1' is not an item of protocol 'pan-lancashire'",
    ),
    (
        "text for yes/no",
        lambda: screening.assess(_pan_lancashire(), {"phones": "yes"}),
        screening.AnswerTypeError,
        "item 'phones' takes true or false, not 'yes'",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), [row[1:] for row in API_ROWS], ids=[row[0] for row in API_ROWS])
def test_bad_api_call_raises_a_typed_error(
    call: Callable[[], object], error: type[ScreeningError], message: str
) -> None:
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value).split("\n")[0] == message


def test_the_tables_hold_at_least_80_bad_inputs() -> None:
    assert len(ROWS) + len(READER_ROWS) + len(CASE_ROWS) + len(ANSWER_ROWS) + len(API_ROWS) >= 80


# The command line's own streams: closed, full or a pipe with no reader. One line, exit 2.
def _run_cli(args: list[str], **streams: Any) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "screening", "--protocols", str(ROOT / "protocols"), *args],
        stderr=subprocess.PIPE,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        text=True,
        check=False,
        timeout=60,
        **streams,
    )
    return result.returncode, result.stderr


def _close_fd(fd: int) -> Callable[[], None]:
    return lambda: os.close(fd)


def test_closed_standard_input() -> None:
    code, err = _run_cli(
        ["assess", "pan-lancashire", "--answers", "-"], stdout=subprocess.DEVNULL, preexec_fn=_close_fd(0)
    )
    assert (code, err) == (2, "error: cannot read answers from standard input: it is closed\n")


def test_closed_standard_output() -> None:
    code, err = _run_cli(["list"], stdin=subprocess.DEVNULL, preexec_fn=_close_fd(1))
    assert (code, err) == (2, "error: cannot write the output: standard output is closed\n")


def test_full_standard_output() -> None:
    with open("/dev/full", "w") as full:
        code, err = _run_cli(["show", "pan-lancashire", "--json"], stdin=subprocess.DEVNULL, stdout=full)
    assert (code, err) == (2, "error: cannot write the output: No space left on device\n")


def test_standard_output_to_a_pipe_nobody_reads() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        code, err = _run_cli(["show", "pan-lancashire", "--json"], stdin=subprocess.DEVNULL, stdout=write_end)
    finally:
        os.close(write_end)
    assert (code, err) == (2, "error: cannot write the output: Broken pipe\n")


def _one_line_each(*args: str) -> tuple[int, list[str]]:
    """Run the command line in its own process (a hang fails the test); its exit and stderr lines."""
    result = subprocess.run(
        [sys.executable, "-m", "screening", *args],
        cwd=ROOT,
        input='{"answers": {}}',
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr.splitlines()


def test_links_fifos_and_capital_names_in_the_protocols_folder(tmp_path: Path) -> None:
    """A looping link, a FIFO named *.yaml and *.YAML / *.YML names: one line each, never a traceback or a hang."""
    folder = tmp_path / "protocols"
    folder.mkdir()
    (folder / "minimal.yaml").write_text(MINIMAL, encoding="utf-8")
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    os.mkfifo(folder / "pipe.yaml")
    (folder / "extra.YAML").write_text(MINIMAL.replace("id: minimal", "id: extra"), encoding="utf-8")
    (folder / "other.Yml").write_text(MINIMAL.replace("id: minimal", "id: other"), encoding="utf-8")
    expected = [
        f"{folder}/extra.YAML: a protocol file's name must end in .yaml: rename it to 'extra.yaml'",
        f"{folder}/loop.yaml: cannot read the file: it is a symbolic link that leads round in a loop",
        f"{folder}/other.Yml: a protocol file's name must end in .yaml: rename it to 'other.yaml'",
        f"{folder}/pipe.yaml: cannot read the file: it is a FIFO (named pipe), not a plain file",
    ]
    code, lines = _one_line_each("validate", str(folder))
    assert code == 1
    assert lines == [*expected, "1 of 5 protocol files valid"]
    for command in (["list"], ["show", "minimal"], ["assess", "minimal", "--answers", "-"]):
        code, lines = _one_line_each("--protocols", str(folder), *command)
        assert code == 2
        assert lines == [f"error: {expected[0]} (and 3 more: run 'python -m screening validate')"]
    with pytest.raises(ProtocolError) as caught:
        load_directory(folder)
    assert sorted(str(p) for p in caught.value.problems) == expected


def test_links_fifos_and_capital_names_in_the_case_studies_folder(tmp_path: Path) -> None:
    folder = tmp_path / "case-studies"
    folder.mkdir()
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    os.mkfifo(folder / "pipe.yaml")
    (folder / "upper.YAML").write_bytes(CASE)
    with pytest.raises(ProtocolError) as caught:
        load_cases(PROTOCOLS, folder)
    assert sorted(str(p) for p in caught.value.problems) == [
        "case-studies/loop.yaml: cannot read the file: it is a symbolic link that leads round in a loop",
        "case-studies/pipe.yaml: cannot read the file: it is a FIFO (named pipe), not a plain file",
        "case-studies/upper.YAML: a case-study file's name must end in .yaml: rename it to 'upper.yaml'",
    ]


def test_a_previous_record_that_is_a_fifo_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--previous reads its record as --answers reads answers: never waiting on a FIFO."""
    answers = tmp_path / "answers.json"
    answers.write_text('{"answers": {"phones": true}}')
    fifo = tmp_path / "record.txt"
    os.mkfifo(fifo)
    argv = ["--protocols", str(ROOT / "protocols"), "assess", "pan-lancashire", "--answers", str(answers)]
    assert cli.main([*argv, "--previous", str(fifo)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"error: cannot read the record {fifo}: it is a FIFO (named pipe), not a plain file\n"
