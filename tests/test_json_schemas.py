"""The JSON Schemas editors use: written from the one schema, naming every bundled file, strict enough."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from build_scripts.json_schemas import CASE_SCHEMA, PROTOCOL_SCHEMA, schemas, text
from tests.conftest import ROOT

PROTOCOL_FILES = sorted((ROOT / "protocols").glob("*.yaml"))
CASE_FILES = sorted((ROOT / "case-studies").glob("*.yaml"))


def validator(path: Path) -> jsonschema.Draft202012Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(path: Path, data: Any) -> list[str]:
    return [e.message for e in validator(path).iter_errors(data)]


def test_committed_schemas_are_what_the_schema_declarations_write() -> None:
    for name, schema in schemas().items():
        committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == text(schema), f"schemas/{name} is stale: run python -m build_scripts.json_schemas"


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
