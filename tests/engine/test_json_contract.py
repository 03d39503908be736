"""The engine's one public contract, ``screening.json_api.assess_json``: JSON in, JSON out.

Tests marked ``pyodide_too`` also run inside the real Pyodide runtime (tests/pyodide/test_pyodide.py
runs them there), so they use only the standard library, ``screening`` and files under
tests/data/, and take no fixtures but their parameters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from screening.json_api import assess_json

MINIMAL = (Path(__file__).resolve().parents[1] / "data" / "minimal.json").read_text(encoding="utf-8")


def ask(answers: Any, protocol: str = MINIMAL) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(assess_json(protocol, json.dumps({"answers": answers})))
    return reply


def with_levels(count: int, reached: int) -> str:
    """The minimal protocol with ``count`` levels, whose answer 'when: past' reaches level ``reached``."""
    data = json.loads(MINIMAL)
    low, medium, high = data["levels"]
    levels = {2: [low, high], 3: [low, medium, high], 4: [low, medium, {**high, "id": "higher"}, high]}[count]
    data["levels"] = levels
    data["rules"] = [
        {
            "id": f"to-{lv['id']}",
            "says": lv["label"],
            "when": {"item": "when", "in": ["past"]} if rank == reached else {"item": "a"},
            "then": lv["id"],
        }
        for rank, lv in enumerate(levels)
        if rank > 0
    ]
    data["settings"] = {}
    return json.dumps(data)


@pytest.mark.pyodide_too
def test_a_result_comes_in_the_envelope() -> None:
    reply = ask({"b": True})
    assert reply["ok"] is True and set(reply) == {"ok", "result"}
    result = reply["result"]
    assert (result["protocol"], result["title"], result["version"]) == ("minimal", "Minimal protocol", "1")
    assert result["level"] == {
        "id": "medium",
        "label": "Medium",
        "rank": 1,
        "of": 3,
        "place": "higher",
        "position": "level 2 of 3",
    }


@pytest.mark.pyodide_too
@pytest.mark.parametrize(
    ("answers", "kind", "item", "message"),
    [
        ({"zzz": True}, "UnknownItemError", "zzz", "'zzz' is not an item of protocol 'minimal'"),
        ({"a": "yes"}, "AnswerTypeError", "a", "item 'a' takes true or false, not 'yes'"),
        (
            {"when": "soon"},
            "AnswerTypeError",
            "when",
            "'soon' is not an option of item 'when' (options: never, past, now)",
        ),
    ],
)
def test_an_answer_error_names_the_item(answers: dict[str, Any], kind: str, item: str, message: str) -> None:
    assert ask(answers) == {"ok": False, "error": {"type": kind, "message": message, "item": item}}


@pytest.mark.pyodide_too
@pytest.mark.parametrize(
    ("request_text", "message"),
    [
        ('{"answers": ', "line 1: not valid JSON: Expecting value"),
        ('["a"]', 'the request must be an object, not a list: expected {"answers": {"ITEM_ID": true, ...}}'),
        (
            '{"a": true}',
            "unknown key 'a' in the request (expected one of: answers, seen, strengths, judgement, record, previous)",
        ),
        ('{"seen": {}}', """the request has no 'answers': expected {"answers": {"ITEM_ID": true, ...}}"""),
        ('{"answers": ["a"]}', "'answers' must be an object of item ids to answers, not a list"),
        ('{"answers": {}, "strengths": 3}', "'strengths' must be text, not a number"),
        ('{"answers": {}, "seen": []}', "'seen' must be an object, not a list"),
        ('{"answers": {}, "seen": {"a": true}}', "'seen.a' must be text, not true or false"),
        (
            '{"answers": {}, "judgement": {"level": "low", "why": "x"}}',
            "unknown key 'why' in 'judgement' (expected one of: level, reason, confirmed)",
        ),
        ('{"answers": {}, "judgement": {"level": 2}}', "'judgement.level' must be a level id or null, not a number"),
        ('{"answers": {}, "judgement": {"confirmed": "yes"}}', "'judgement.confirmed' must be true or false, not text"),
        ('{"answers": {}, "judgement": null}', "'judgement' must be an object, not null"),
        (
            '{"answers": {}, "judgement": {"level": "middling"}}',
            "judgement.level 'middling' is not a level (levels: low, medium, high)",
        ),
        (
            '{"answers": {}, "record": {"name": "A"}}',
            "unknown key 'name' in 'record' (expected one of: child, practitioner, agency)",
        ),
        ('{"answers": {}, "record": {"child": ["A"]}}', "'record.child' must be text, not a list"),
    ],
)
def test_a_bad_request_is_a_request_error(request_text: str, message: str) -> None:
    reply = json.loads(assess_json(MINIMAL, request_text))
    assert reply == {"ok": False, "error": {"type": "RequestError", "message": message, "item": None}}


@pytest.mark.pyodide_too
def test_a_broken_protocol_is_a_protocol_error_not_a_traceback() -> None:
    reply = ask({}, protocol='{"id": "x"}')
    assert reply["ok"] is False and reply["error"]["type"] == "ProtocolError"
    assert "the protocol is missing the key 'title'" in reply["error"]["message"]
    assert ask({}, protocol="{")["error"]["type"] == "ProtocolError"


@pytest.mark.pyodide_too
@pytest.mark.parametrize(
    ("count", "places"),
    [(2, ["lowest", "highest"]), (3, ["lowest", "higher", "highest"]), (4, ["lowest", "lower", "higher", "highest"])],
)
def test_the_top_level_is_always_the_highest_place(count: int, places: list[str]) -> None:
    got = []
    for rank in range(count):
        result = ask({"when": "past"} if rank else {}, with_levels(count, rank))["result"]
        assert (result["level"]["rank"], result["level"]["of"]) == (rank, count)
        got.append(result["level"]["place"])
    assert got == places


@pytest.mark.pyodide_too
def test_urgent_notes_come_apart_and_first() -> None:
    result = ask({"when": "now", "a": True})["result"]
    assert result["urgent"] is True and result["urgent_notes"] == ["Act today."] and result["notes"] == []
    assert result["report"][0] == {
        "id": "act-now",
        "heading": "Act now",
        "lines": [{"text": "Act today.", "items": []}],
    }
    assert result["fired"][0]["rule"] == "seen-now" and result["fired"][0]["urgent"] is True


@pytest.mark.pyodide_too
def test_fired_rules_carry_the_labels_of_their_answers() -> None:
    result = ask({"when": "past", "b": True})["result"]
    by_rule = {f["rule"]: f["items"] for f in result["fired"]}
    assert by_rule["many-signs"] == [
        {"id": "b", "label": "Sign B"},
        {"id": "when", "label": "When was it seen?: In the past"},
    ]
    assert result["present"] == by_rule["many-signs"]
    why = next(s for s in result["report"] if s["id"] == "why")
    assert {"text": "2 or more signs are present.", "items": ["Sign B", "When was it seen?: In the past"]} in why[
        "lines"
    ]


@pytest.mark.pyodide_too
def test_no_rule_says_so_whatever_is_ticked() -> None:
    result = ask({"when": "never"})["result"]
    assert result["fired"] == [] and result["level"]["place"] == "lowest"
    sections = {s["id"]: [line["text"] for line in s["lines"]] for s in result["report"]}
    assert sections["why"] == ["No rule applies, so the level is the lowest."]
    assert sections["level"] == ["Low (level 1 of 3, the lowest)"]
    assert sections["present"] == ["None"]


@pytest.mark.pyodide_too
def test_the_score_is_given_once() -> None:
    data = json.loads(MINIMAL)
    data["scoring"] = {
        "bands": [{"from": 0, "label": "none", "level": "low"}, {"from": 4, "label": "some", "level": "medium"}]
    }
    result = ask({"a": True, "b": True}, json.dumps(data))["result"]
    assert result["score"] == {"value": 4, "band": "some", "from": 4}
    text = json.dumps(result["report"])
    assert text.count("The score is 4") == 1
    assert [f["rule"] for f in result["fired"]].count("score") == 1


def test_the_committed_compiled_minimal_protocol_is_current() -> None:
    """tests/data/minimal.json is what the build makes of minimal.yaml (Pyodide tests read it)."""
    from screening_cli.dumping import compiled_json
    from screening_cli.protocol_files import check_file

    protocol, problems = check_file(Path(__file__).resolve().parents[1] / "data" / "minimal.yaml")
    assert problems == [] and protocol is not None
    assert compiled_json(protocol) + "\n" == MINIMAL


def request(body: dict[str, Any], protocol: str = MINIMAL) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(assess_json(protocol, json.dumps(body)))
    return reply


def _firm_minimal() -> str:
    """The minimal protocol where 'a' alone gives Medium through a firm rule."""
    data = json.loads(MINIMAL)
    data["rules"].append(
        {"id": "a-firm", "says": "Sign A is firm.", "when": {"item": "a"}, "then": "medium", "firm": True}
    )
    return json.dumps(data)


@pytest.mark.pyodide_too
@pytest.mark.parametrize(
    ("judgement", "status", "differs", "below", "needs"),
    [
        ({}, "agrees", False, False, []),
        ({"level": None, "reason": "x"}, "agrees", False, False, []),
        ({"level": "high"}, "agrees", False, False, []),  # the level from the answers
        ({"level": "medium"}, "incomplete", True, True, ["reason", "confirmation"]),
        ({"level": "medium", "reason": "Seen once"}, "incomplete", True, True, ["confirmation"]),
        ({"level": "medium", "confirmed": True}, "incomplete", True, True, ["reason"]),
        ({"level": "medium", "reason": " Seen once ", "confirmed": True}, "stands", True, True, []),
        ({"level": "medium", "reason": "   ", "confirmed": True}, "incomplete", True, True, ["reason"]),
    ],
)
def test_the_engine_says_whether_a_judgement_stands(
    judgement: dict[str, Any], status: str, differs: bool, below: bool, needs: list[str]
) -> None:
    result = request({"answers": {"when": "now"}, "judgement": judgement})["result"]
    got = result["judgement"]
    assert (got["status"], got["differs"], got["below"]) == (status, differs, below)
    assert [n["field"] for n in got["needs"]] == needs
    assert result["confirm_below"] == {
        "level": "high",
        "label": "High",
        "rank": 2,
        "rules": ["seen-now"],
        "says": ["Seen now."],
    }
    if below:
        assert got["confirm_why"] == (
            "The level you chose is lower than High, which this rule gives: Seen now."
            " Going below it needs your explicit confirmation."
        )
    else:
        assert got["confirm_why"] == "" and got["level"] is None and got["label"] is None


@pytest.mark.pyodide_too
def test_a_different_level_above_the_firm_level_needs_only_a_reason() -> None:
    protocol = _firm_minimal()
    result = request({"answers": {"a": True, "b": True}, "judgement": {"level": "medium"}}, protocol)["result"]
    assert result["level"]["id"] == "high" and result["confirm_below"]["level"] == "medium"
    judgement = result["judgement"]
    assert (judgement["below"], judgement["status"]) == (False, "incomplete")
    assert judgement["needs"] == [{"field": "reason", "says": "Give the reason for choosing a different level"}]
    low = request({"answers": {"a": True}, "judgement": {"level": "low", "reason": "r"}}, protocol)["result"]
    assert low["judgement"]["needs"] == [
        {"field": "confirmation", "says": "Confirm the lower level, or choose a level that is not lower"}
    ]


@pytest.mark.pyodide_too
def test_the_report_says_the_judgement_seen_strengths_and_record() -> None:
    body = {
        "answers": {"a": True, "when": "now"},
        "seen": {"a": " On the bus, 3 May ", "b": "not ticked, so not shown"},
        "strengths": " Goes to football ",
        "judgement": {"level": "medium", "reason": "Known to the team", "confirmed": False},
        "record": {"child": "C-1", "practitioner": " ", "agency": "School"},
    }
    report = request(body)["result"]["report"]
    assert [s["id"] for s in report] == [
        "act-now",
        "level",
        "judgement",
        "why",
        "present",
        "options",
        "strengths",
        "next-steps",
        "record",
    ]
    lines = {s["id"]: s["lines"] for s in report}
    assert lines["judgement"] == [
        {"text": "Level by professional judgement: Medium", "items": []},
        {"text": "Level from the answers: High", "items": []},
        {"text": "Reason: Known to the team", "items": []},
        {
            "text": "This is lower than High, which this rule gives: Seen now. The lower level was not confirmed.",
            "items": [],
        },
    ]
    assert lines["present"] == [
        {"text": "Sign A", "items": ["What was seen and when: On the bus, 3 May"]},
        {"text": "When was it seen?: Now", "items": []},
    ]
    assert lines["options"] == [{"text": "When was it seen?: Now", "items": []}]
    assert lines["strengths"] == [{"text": "Goes to football", "items": []}]
    assert [line["text"] for line in lines["record"]] == [
        "Child's reference: C-1",
        "Practitioner: not given",
        "Agency: School",
    ]


@pytest.mark.pyodide_too
def test_nothing_given_beyond_the_answers_is_said_as_such() -> None:
    lines = {s["id"]: [line["text"] for line in s["lines"]] for s in request({"answers": {}})["result"]["report"]}
    assert lines["judgement"] == ["Agrees with the level from the answers"]
    assert lines["options"] == ["When was it seen?: Never"]  # the default applies
    assert lines["strengths"] == ["None recorded"]
    assert lines["record"] == ["Child's reference: not given", "Practitioner: not given", "Agency: not given"]


@pytest.mark.pyodide_too
def test_what_was_seen_for_an_item_that_does_not_exist_names_it() -> None:
    reply = request({"answers": {}, "seen": {"zzz": "Monday"}})
    assert reply == {
        "ok": False,
        "error": {
            "type": "UnknownItemError",
            "message": "seen: 'zzz' is not an item of protocol 'minimal'",
            "item": "zzz",
        },
    }
