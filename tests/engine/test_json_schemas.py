"""The JSON Schemas editors use: written from the one schema, naming every bundled file, strict enough."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from build_scripts.json_schemas import CASE_SCHEMA, PROTOCOL_SCHEMA, REQUEST_SCHEMA, RESULT_SCHEMA, files
from tests.helpers import schema_check
from tests.helpers.case_runner import run_tables
from tests.helpers.repository import ROOT, case_study_tables, case_tables

PROTOCOL_FILES = sorted((ROOT / "protocols").glob("*.yaml"))
CASE_FILES = sorted((ROOT / "case-studies").glob("*.yaml"))


@functools.cache
def validator(path: Path) -> jsonschema.Draft202012Validator:
    """A schema's validator, the schema itself checked once (checking it is most of the time)."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(path: Path, data: Any) -> list[str]:
    return [e.message for e in validator(path).iter_errors(data)]


def test_committed_schemas_are_what_the_schema_declarations_write() -> None:
    written = files()
    assert {"request.schema.json", "result.schema.json", "record.schema.json", "contract.d.ts"} <= set(written)
    for name, content in written.items():
        committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == content, f"schemas/{name} is stale: run python -m build_scripts.json_schemas"


def test_the_typescript_declares_the_request_the_result_and_the_reply() -> None:
    types = (ROOT / "schemas" / "contract.d.ts").read_text(encoding="utf-8")
    exported = [line.split()[2] for line in types.splitlines() if line.startswith("export ")]
    assert exported == ["ScreeningRequest", "ScreeningResult", "ScreeningReply", "RecordData", "OpenReply", "SaveReply"]
    assert "  result: ScreeningResult;" in types and "ok: true;" in types and "ok: false;" in types


def _both(path: Path, data: Any) -> tuple[list[str], list[str]]:
    """The errors jsonschema finds and the errors the small validator (tests/helpers/schema_check.py) finds."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    return errors(path, data), schema_check.errors(schema, data)


def _every_case_reply(protocol_data: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    tables = case_tables() + case_study_tables()
    return [
        (f"{table['protocol']}: {case['name']}", {"answers": case["answers"]}, outcome)
        for table, outcomes in zip(tables, run_tables(protocol_data, tables), strict=True)
        for case, outcome in zip(table["cases"], outcomes, strict=True)
    ]


def test_every_case_result_and_request_conforms_to_its_schema(protocol_data: dict[str, Any]) -> None:
    checked = 0
    for name, request, outcome in _every_case_reply(protocol_data):
        if outcome["ok"]:  # a case of a wrong answer is a request the schema refuses as well
            assert _both(REQUEST_SCHEMA, request) == ([], []), name
            assert _both(RESULT_SCHEMA, outcome["result"]) == ([], []), name
            checked += 1
    assert checked > 100


def test_a_result_with_everything_in_the_request_conforms(protocol_data: dict[str, Any]) -> None:
    from screening.json_api import assess_json

    request = {
        "answers": {"disclosure": True, "bereavement": True, "phones": None},
        "seen": {"disclosure": "Monday, to her teacher"},
        "strengths": "Close to her aunt",
        "judgement": {"level": "level-1", "reason": "", "confirmed": False},
        "record": {"child": "K-12", "practitioner": "A. Smith", "agency": "School"},
    }
    assert _both(REQUEST_SCHEMA, request) == ([], [])
    reply = json.loads(assess_json(json.dumps(protocol_data["pan-lancashire"]), json.dumps(request)))
    assert reply["result"]["judgement"]["status"] == "incomplete"
    assert _both(RESULT_SCHEMA, reply["result"]) == ([], [])


def _broken_results(result: dict[str, Any]) -> list[tuple[str, Any]]:
    def edit(change: Any) -> Any:
        copy = json.loads(json.dumps(result))
        change(copy)
        return copy

    return [
        ("extra key", edit(lambda r: r.update(colour="red"))),
        ("missing key", edit(lambda r: r.pop("judgement"))),
        ("rank as text", edit(lambda r: r["level"].update(rank="1"))),
        ("rank as true", edit(lambda r: r["level"].update(rank=True))),
        ("unknown place", edit(lambda r: r["level"].update(place="middle"))),
        ("unknown section", edit(lambda r: r["report"][0].update(id="summary"))),
        ("line as text", edit(lambda r: r["report"][0]["lines"].insert(0, "plain text"))),
        ("items missing", edit(lambda r: r["report"][0]["lines"][0].pop("items"))),
        ("null status", edit(lambda r: r["judgement"].update(status=None))),
        ("score as a number", edit(lambda r: r.update(score=4))),
        ("fired firm missing", edit(lambda r: r["fired"][0].pop("firm"))),
    ]


def test_the_small_validator_and_jsonschema_agree_on_broken_results(protocol_data: dict[str, Any]) -> None:
    from screening.json_api import assess_json

    reply = json.loads(
        assess_json(json.dumps(protocol_data["all-wales-seraf"]), '{"answers": {"immediate-danger": true}}')
    )
    assert _both(RESULT_SCHEMA, reply["result"]) == ([], [])
    for name, broken in _broken_results(reply["result"]):
        theirs, mine = _both(RESULT_SCHEMA, broken)
        assert theirs and mine, f"{name}: jsonschema {theirs}, small validator {mine}"


@pytest.mark.parametrize(
    "request_data",
    [
        {},
        {"answers": {}, "colour": "red"},
        {"answers": {"a": 1}},
        {"answers": {}, "judgement": {"level": 2}},
        {"answers": {}, "judgement": {"why": ""}},
        {"answers": {}, "record": {"name": "x"}},
        {"answers": {}, "seen": {"a": True}},
    ],
)
def test_the_request_schema_refuses_what_the_engine_refuses(request_data: dict[str, Any]) -> None:
    from screening.json_api import assess_json

    theirs, mine = _both(REQUEST_SCHEMA, request_data)
    assert theirs and mine
    minimal = (ROOT / "tests" / "data" / "minimal.json").read_text(encoding="utf-8")
    assert json.loads(assess_json(minimal, json.dumps(request_data)))["ok"] is False


@pytest.mark.parametrize(
    ("path", "schema"),
    [(p, PROTOCOL_SCHEMA) for p in PROTOCOL_FILES] + [(p, CASE_SCHEMA) for p in CASE_FILES],
    ids=lambda v: v.name if isinstance(v, Path) else "",
)
def test_every_bundled_file_names_its_schema_and_validates(path: Path, schema: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../schemas/{schema.name}"
    assert (path.parent / first.split("=", 1)[1]).resolve() == schema
    assert errors(schema, yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_the_test_protocol_validates() -> None:
    data = yaml.safe_load((ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8"))
    assert errors(PROTOCOL_SCHEMA, data) == []


def _minimal() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8"))
    return data


def _edit_protocol(change: str) -> dict[str, Any]:
    data = _minimal()
    item_a, _, choice = data["items"]
    if change == "unknown key":
        item_a["colour"] = "red"
    elif change == "missing text":
        del item_a["text"]
    elif change == "version as a number":
        data["version"] = 1.0
    elif change == "points on a choice item":
        choice["points"] = 2
    elif change == "options on a yes/no item":
        item_a["options"] = choice["options"]
    elif change == "choice without options":
        del choice["options"]
    elif change == "bad condition":
        data["rules"][0]["when"] = {"sometimes": "signs"}
    elif change == "is and in together":
        data["rules"][2]["when"] = {"item": "when", "is": "now", "in": ["past"]}
    elif change == "threshold as text":
        data["rules"][1]["when"]["at_least"] = "two"
    elif change == "id with capitals":
        data["levels"][0]["id"] = "Low"
    elif change == "empty next steps":
        data["levels"][0]["next_steps"] = []
    return data


@pytest.mark.parametrize(
    "change",
    [
        "unknown key",
        "missing text",
        "version as a number",
        "points on a choice item",
        "options on a yes/no item",
        "choice without options",
        "bad condition",
        "is and in together",
        "threshold as text",
        "id with capitals",
        "empty next steps",
    ],
)
def test_a_broken_protocol_does_not_validate(change: str) -> None:
    assert errors(PROTOCOL_SCHEMA, _edit_protocol(change)) != [], change


@pytest.mark.parametrize(
    ("key", "value"),
    [("mood", "sunny"), ("age", "fifteen"), ("discussion", []), ("answers", {"pan-lancashire": {"level": "x"}})],
)
def test_a_broken_case_study_does_not_validate(key: str, value: Any) -> None:
    data = yaml.safe_load(CASE_FILES[0].read_text(encoding="utf-8"))
    assert errors(CASE_SCHEMA, data) == []
    had = key in data
    data[key] = value
    assert errors(CASE_SCHEMA, data) != []
    if had:
        del data[key]
        assert errors(CASE_SCHEMA, data) != [], f"'{key}' is required"


def test_a_result_compared_with_a_saved_record_conforms(protocol_data: dict[str, Any]) -> None:
    """The comparison and history (screening.record), including a level the protocol no longer has."""
    from screening.json_api import assess_json, save_record_json

    compiled = json.dumps(protocol_data["pan-lancashire"])
    site = json.dumps({"name": "CSE procedures", "url": "https://example.org/"})
    first = {"answers": {"disclosure": True}, "judgement": {"level": "level-2", "reason": "r", "confirmed": True}}
    saved = json.loads(save_record_json(compiled, json.dumps(first), "2026-12-07T18:00:00Z", site))["file"]["text"]
    request = {"answers": {"bereavement": True}, "previous": saved}
    assert _both(REQUEST_SCHEMA, request) == ([], [])
    result = json.loads(assess_json(compiled, json.dumps(request)))["result"]
    assert result["comparison"]["direction"] == "fell" and len(result["comparison"]["earlier_levels"]) == 2
    assert _both(RESULT_SCHEMA, result) == ([], [])
    changed = json.loads(compiled)
    changed["version"] = "2"
    changed["levels"][3]["id"] = "level-four"
    for rule in changed["rules"]:
        if rule.get("then") == "level-4":
            rule["then"] = "level-four"
    result = json.loads(assess_json(json.dumps(changed), json.dumps(request)))["result"]
    assert result["comparison"]["then"]["level"]["rank"] is None and result["history"][0]["level"]["rank"] is None
    assert _both(RESULT_SCHEMA, result) == ([], [])
