"""Write the JSON Schemas and the contract's TypeScript types: ``python -m build_scripts.json_schemas``.

The protocol and case-study schemas come from the schema declarations (screening/schema.py,
build_scripts/case_schema.py), so that an editor finds them beside the YAML; the request
and result schemas, the saved record's schema and contract.d.ts come from the engine's
contract (screening/contract.py).
The files are kept in the repository, and a test fails when they differ from what this writes.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from screening_cli.contract_files import record_schema, request_schema, result_schema, typescript
from screening_cli.json_schema import json_schema, protocol_schema

from .case_schema import CASE_NODES
from .paths import ROOT

SCHEMAS = ROOT / "schemas"
PROTOCOL_SCHEMA = SCHEMAS / "protocol.schema.json"
CASE_SCHEMA = SCHEMAS / "case-study.schema.json"
REQUEST_SCHEMA = SCHEMAS / "request.schema.json"
RESULT_SCHEMA = SCHEMAS / "result.schema.json"
RECORD_SCHEMA = SCHEMAS / "record.schema.json"
CONTRACT_TYPES = SCHEMAS / "contract.d.ts"


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema."""
    return {
        PROTOCOL_SCHEMA.name: protocol_schema(),
        CASE_SCHEMA.name: json_schema(CASE_NODES, "case", "Case study for training"),
        REQUEST_SCHEMA.name: request_schema(),
        RESULT_SCHEMA.name: result_schema(),
        RECORD_SCHEMA.name: record_schema(),
    }


def files() -> dict[str, str]:
    """File name in schemas/ -> its text, for every file this writes."""
    return {**{name: text(schema) for name, schema in schemas().items()}, CONTRACT_TYPES.name: typescript()}


def text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    SCHEMAS.mkdir(exist_ok=True)
    for name, content in files().items():
        (SCHEMAS / name).write_text(content, encoding="utf-8")
        print(f"wrote schemas/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
