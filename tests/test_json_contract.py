"""The engine's one public contract, ``screening.json_api.assess_json``: JSON in, JSON out.

Tests marked ``pyodide_too`` also run inside the real Pyodide runtime (tests/test_pyodide.py
runs them there), so they use only the standard library, ``screening`` and files under
tests/data/, and take no fixtures but their parameters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from screening.json_api import assess_json

MINIMAL = (Path(__file__).resolve().parent / "data" / "minimal.json").read_text(encoding="utf-8")


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
        ('{"a": true}', 'expected {"answers": {"ITEM_ID": true, ...}}'),
        ('{"answers": ["a"]}', 'expected {"answers": {"ITEM_ID": true, ...}}'),
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
    assert result["report"][0] == {"heading": "Act now", "lines": ["Act today."]}
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
    why = next(s for s in result["report"] if s["heading"] == "Why")
    assert "2 or more signs are present. (Sign B; When was it seen?: In the past)" in why["lines"]


@pytest.mark.pyodide_too
def test_no_rule_says_so_whatever_is_ticked() -> None:
    result = ask({"when": "never"})["result"]
    assert result["fired"] == [] and result["level"]["place"] == "lowest"
    sections = {s["heading"]: s["lines"] for s in result["report"]}
    assert sections["Why"] == ["No rule applies, so the level is the lowest."]
    assert sections["Level from the answers"] == ["Low (level 1 of 3, the lowest)"]
    assert sections["Answers present"] == ["None"]


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
    from screening.files.dumping import compiled_json
    from screening.files.yaml_source import check_file

    protocol, problems = check_file(Path(__file__).resolve().parent / "data" / "minimal.yaml")
    assert problems == [] and protocol is not None
    assert compiled_json(protocol) + "\n" == MINIMAL
