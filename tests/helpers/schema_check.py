"""A small JSON Schema validator for the subset the contract's schemas use; standard library only.

It runs in CPython beside ``jsonschema`` (tests/engine/test_json_schemas.py checks that both agree)
and inside Pyodide, where ``jsonschema`` is not installed (tests/pyodide/test_pyodide.py). The
subset is what screening_cli/contract_files.py writes: type, enum, const, properties,
required, additionalProperties, items, anyOf; ``$schema``, ``title`` and ``description`` are
notes. Any other keyword is refused, so the subset cannot grow without this growing too.
"""

from __future__ import annotations

from typing import Any

NOTES = {"$schema", "title", "description"}
KEYWORDS = {"type", "enum", "const", "properties", "required", "additionalProperties", "items", "anyOf"}

_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _same(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1."""
    return type(a) is type(b) and a == b


def errors(schema: dict[str, Any], value: Any, where: str = "$") -> list[str]:
    """Every way ``value`` breaks ``schema``, each as "PATH: what is wrong"; empty when it conforms."""
    unknown = set(schema) - KEYWORDS - NOTES
    if unknown:
        raise ValueError(f"{where}: keywords outside the subset: {sorted(unknown)}")
    out: list[str] = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[kind](value) for kind in kinds):
            return [f"{where}: {value!r} is not of type {' or '.join(kinds)}"]
    if "enum" in schema and not any(_same(value, choice) for choice in schema["enum"]):
        out.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if "const" in schema and not _same(value, schema["const"]):
        out.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "anyOf" in schema and not any(not errors(part, value, where) for part in schema["anyOf"]):
        out.append(f"{where}: {value!r} matches none of the allowed shapes")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                out.append(f"{where}: '{key}' is required")
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                out.extend(errors(properties[key], item, f"{where}.{key}"))
            elif extra is False:
                out.append(f"{where}: '{key}' is not allowed")
            elif isinstance(extra, dict):
                out.extend(errors(extra, item, f"{where}.{key}"))
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            out.extend(errors(schema["items"], item, f"{where}[{index}]"))
    return out
