"""Write a JSON Schema from the schema declarations, for editors that complete and check YAML.

A file that starts with ``# yaml-language-server: $schema=../schemas/protocol.schema.json``
is checked as it is typed by editors with the YAML language server (VS Code's YAML
extension, for one). The cross-checks (ids that refer to each other, reachable levels)
are the build's: a schema checks only shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from screening.schema import CONDITIONS, ID_PATTERN, NODES, Field, Node

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_NON_EMPTY = {"type": "string", "pattern": r"\S"}


def json_schema(nodes: Mapping[str, Node], root: str, title: str) -> dict[str, Any]:
    """The JSON Schema of files whose top level is the node ``root``."""
    defs = {name: _node(spec, nodes) for name, spec in nodes.items() if name != root}
    if any(f.kind in ("threshold", "condition") for spec in nodes.values() for f in spec.fields):
        defs["setting_ref"] = {
            "type": "object",
            "description": "The value of one of the protocol's settings.",
            "properties": {"setting": {"type": "string"}},
            "required": ["setting"],
            "additionalProperties": False,
        }
        defs["threshold"] = {"oneOf": [{"type": "integer"}, {"$ref": "#/$defs/setting_ref"}]}
    if any(f.kind == "condition" for spec in nodes.values() for f in spec.fields):
        defs["condition"] = _condition()
    return {"$schema": DRAFT, "title": title, **_node(nodes[root], nodes), "$defs": defs}


def protocol_schema() -> dict[str, Any]:
    return json_schema(NODES, "protocol", "Screening protocol")


def _node(spec: Node, nodes: Mapping[str, Node]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "description": spec.doc,
        "properties": {f.key: {**_value(f, nodes), "description": f.doc} for f in spec.fields},
        "required": [f.key for f in spec.fields if f.required],
        "additionalProperties": False,
    }
    rules: list[dict[str, Any]] = []
    for field in spec.fields:
        if field.only_when is not None:
            holds = _holds(spec, *field.only_when)
            rules.append({"if": {"not": holds}, "then": {"not": {"required": [field.key]}}})
        if field.needed_when is not None:
            rules.append({"if": _holds(spec, *field.needed_when), "then": {"required": [field.key]}})
    if rules:
        out["allOf"] = rules
    return out


def _holds(spec: Node, key: str, value: str) -> dict[str, Any]:
    """A schema true when ``key`` has ``value`` (or is left out and defaults to it)."""
    given = {"properties": {key: {"const": value}}, "required": [key]}
    field = spec.field(key)
    if field is not None and field.default == value:
        return {"anyOf": [{"not": {"required": [key]}}, given]}
    return given


def _value(field: Field, nodes: Mapping[str, Node]) -> dict[str, Any]:
    kind = field.kind
    out: dict[str, Any]
    if kind == "id":
        out = {"type": "string", "pattern": ID_PATTERN.pattern}
    elif kind == "text":
        out = dict(_NON_EMPTY) if field.required else {"type": "string"}
    elif kind == "integer":
        out = {"type": "integer"}
    elif kind == "boolean":
        out = {"type": "boolean"}
    elif kind == "texts":
        out = {"type": "array", "items": _NON_EMPTY, **({"minItems": 1} if field.required else {})}
    elif kind == "enum":
        out = {"enum": list(field.choices)}
    elif kind == "threshold":
        out = {"$ref": "#/$defs/threshold"}
    elif kind == "node":
        out = {"$ref": f"#/$defs/{field.node}"}
    elif kind == "nodes":
        out = {"type": "array", "items": {"$ref": f"#/$defs/{field.node}"}, "minItems": 1 if field.required else 0}
    elif kind == "named":
        out = {"type": "object", "additionalProperties": {"$ref": f"#/$defs/{field.node}"}}
    elif kind == "condition":
        out = {"$ref": "#/$defs/condition"}
    elif kind == "answers":
        out = {"type": "object", "additionalProperties": {"type": ["boolean", "string"]}}
    else:  # pragma: no cover - a schema mistake
        raise AssertionError(f"no JSON Schema for {kind}")
    if not field.required and isinstance(field.default, (bool, int, str)) and field.default != "":
        out["default"] = field.default
    return out


_CONDITION_VALUES: dict[str, dict[str, Any]] = {
    "item": {"type": "string"},
    "items": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "group": {"type": "string"},
    "threshold": {"$ref": "#/$defs/threshold"},
    "conditions": {"type": "array", "items": {"$ref": "#/$defs/condition"}, "minItems": 2},
}


def _condition() -> dict[str, Any]:
    kinds = []
    for kind, (value, doc, extra) in CONDITIONS.items():
        properties = {kind: {**_CONDITION_VALUES[value], "description": doc}}
        for field in extra:
            properties[field.key] = {**_value(field, NODES), "description": field.doc}
        one: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "required": [kind, *(f.key for f in extra if f.required)],
            "additionalProperties": False,
        }
        if kind == "item":
            one["not"] = {"required": ["is", "in"]}  # either, not both
        kinds.append(one)
    return {"description": "A condition: exactly one of its kinds.", "oneOf": kinds}
