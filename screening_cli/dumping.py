"""Write a protocol back as plain data by walking the schema: the compiled form.

What this writes, :func:`screening.load_protocol` reads back to an equal protocol. Keys left
at their default are left out, so the compiled file says only what the source says.
"""

from __future__ import annotations

import json
from typing import Any

from screening.model import AllOf, AnyIn, AnyOf, Condition, CountIn, ItemIs, PointsIn, Protocol, ScoreAtLeast, Threshold
from screening.schema import NODES, Node


def dump_protocol(protocol: Protocol) -> dict[str, Any]:
    """The compiled form: plain JSON data that :func:`load_protocol` reads back unchanged."""
    return _node(NODES["protocol"], protocol)


def compiled_json(protocol: Protocol) -> str:
    """The compiled file's text: sorted keys, so equal protocols give equal bytes (and hashed names)."""
    return json.dumps(dump_protocol(protocol), ensure_ascii=False, sort_keys=True)


def _node(spec: Node, node: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in spec.fields:
        if field.only_when is not None and getattr(node, field.only_when[0]) != field.only_when[1]:
            continue
        if field.kind == "threshold":  # an item's points: the number, or the setting it came from
            setting = getattr(node, f"{field.name}_setting")
            value: Any = {"setting": setting} if setting else getattr(node, field.name)
        else:
            value = getattr(node, field.name)
        if not field.required and (value == field.default or (value in ((), "") and field.default in ((), ""))):
            continue
        if field.kind == "nodes":
            value = [_node(NODES[field.node], entry) for entry in value]
        elif field.kind == "node":
            value = _node(NODES[field.node], value)
        elif field.kind == "named":
            value = {entry.id: _node(NODES[field.node], entry) for entry in value}
        elif field.kind == "condition":
            value = _condition(value)
        elif field.kind == "texts":
            value = list(value)
        out[field.key] = value
    return out


def _threshold(t: Threshold) -> Any:
    return {"setting": t.setting} if t.setting is not None else t.value


def _condition(c: Condition) -> dict[str, Any]:
    if isinstance(c, ItemIs):
        out: dict[str, Any] = {"item": c.item}
        if c.options is not None:
            out["in"] = list(c.options)
        return out
    if isinstance(c, AnyOf):
        return {"any_of": list(c.items)}
    if isinstance(c, AnyIn):
        return {"any_in": c.group}
    if isinstance(c, CountIn):
        return {"count_in": c.group, "at_least": _threshold(c.at_least)}
    if isinstance(c, PointsIn):
        return {"points_in": c.group, "at_least": _threshold(c.at_least)}
    if isinstance(c, ScoreAtLeast):
        return {"score_at_least": _threshold(c.at_least)}
    key = "all" if isinstance(c, AllOf) else "any"
    return {key: [_condition(p) for p in c.conditions]}
