"""Write the engine's contract (screening.contract) as JSON Schemas and TypeScript declarations.

The JSON Schemas (draft 2020-12) use only: type, enum, const, properties, required,
additionalProperties, items, anyOf and description, with every object written in place.
tests/schema_check.py validates that subset with the standard library alone, in CPython
and in Pyodide. The TypeScript writes every object in place as well, so the browser code
can name a part by indexed access: ``ScreeningResult["report"][number]``.
"""

from __future__ import annotations

import json
from typing import Any

from screening.contract import (
    OPEN_REPLY,
    RECORD_DATA,
    REPLY,
    REQUEST,
    RESULT,
    SAVE_REPLY,
    Array,
    Boolean,
    Const,
    Integer,
    Map,
    Nullable,
    Spec,
    Text,
    Union,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(spec: Spec, title: str) -> dict[str, Any]:
    return {"$schema": DRAFT, "title": title, **_schema(spec)}


def request_schema() -> dict[str, Any]:
    return json_schema(REQUEST, "Screening request")


def result_schema() -> dict[str, Any]:
    return json_schema(RESULT, "Screening result")


def record_schema() -> dict[str, Any]:
    return json_schema(RECORD_DATA, "Saved screening record (the data between the file's markers)")


def _schema(spec: Spec) -> dict[str, Any]:
    if isinstance(spec, Text):
        return {"type": "string", "enum": list(spec.choices)} if spec.choices else {"type": "string"}
    if isinstance(spec, Integer):
        return {"type": "integer"}
    if isinstance(spec, Boolean):
        return {"type": "boolean"}
    if isinstance(spec, Const):
        return {"const": spec.value}
    if isinstance(spec, Nullable):
        return {"anyOf": [_schema(spec.of), {"type": "null"}]}
    if isinstance(spec, Array):
        return {"type": "array", "items": _schema(spec.of)}
    if isinstance(spec, Map):
        return {"type": "object", "additionalProperties": _schema(spec.of)}
    if isinstance(spec, Union):
        return {"anyOf": [_schema(part) for part in spec.of]}
    out: dict[str, Any] = {"type": "object"}
    if spec.doc:
        out["description"] = spec.doc
    out["properties"] = {
        key.name: {**_schema(key.spec), **({"description": key.doc} if key.doc else {})} for key in spec.keys
    }
    out["required"] = [key.name for key in spec.keys if key.required]
    out["additionalProperties"] = False
    return out


def _ts(spec: Spec, indent: str) -> str:
    if spec is RESULT and indent:  # inside the reply: the result by its name
        return "ScreeningResult"
    if isinstance(spec, Text):
        return " | ".join(json.dumps(c) for c in spec.choices) if spec.choices else "string"
    if isinstance(spec, Integer):
        return "number"
    if isinstance(spec, Boolean):
        return "boolean"
    if isinstance(spec, Const):
        return json.dumps(spec.value)
    if isinstance(spec, Nullable):
        return f"{_ts(spec.of, indent)} | null"
    if isinstance(spec, Array):
        return f"Array<{_ts(spec.of, indent)}>"
    if isinstance(spec, Map):
        return f"{{ [key: string]: {_ts(spec.of, indent)} }}"
    if isinstance(spec, Union):
        return " | ".join(_ts(part, indent) for part in spec.of)
    inner = indent + "  "
    rows = ["{"]
    for key in spec.keys:
        if key.doc:
            rows.append(f"{inner}/** {key.doc} */")
        optional = "" if key.required else "?"
        name = key.name if key.name.isidentifier() else json.dumps(key.name)
        rows.append(f"{inner}{name}{optional}: {_ts(key.spec, inner)};")
    rows.append(f"{indent}}}")
    return "\n".join(rows)


def _declare(name: str, spec: Spec, doc: str) -> str:
    return f"/** {doc} */\nexport type {name} = {_ts(spec, '')};\n"


def typescript() -> str:
    """contract.d.ts: the request, the result, the reply envelopes and the saved record, as TypeScript types."""
    return "\n".join(
        [
            "// Written by `python -m build_scripts.json_schemas` from screening/contract.py: do not edit.\n",
            _declare("ScreeningRequest", REQUEST, REQUEST.doc),
            _declare("ScreeningResult", RESULT, RESULT.doc),
            _declare("ScreeningReply", REPLY, "The engine's reply: a result, or an error (never a traceback)."),
            _declare("RecordData", RECORD_DATA, RECORD_DATA.doc),
            _declare(
                "OpenReply",
                OPEN_REPLY,
                "open_record_json's reply: the latest screening's request restored, or an error.",
            ),
            _declare("SaveReply", SAVE_REPLY, "save_record_json's reply: the file's name and text, or an error."),
        ]
    )
