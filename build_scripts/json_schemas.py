"""Write the JSON Schemas of protocol and case-study files: ``python -m build_scripts.json_schemas``.

Both come from the schema declarations (screening/schema.py, build_scripts/case_schema.py);
the files are kept in the repository so that an editor finds them beside the YAML, and a
test fails when they differ from what this writes.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from screening.files.json_schema import json_schema, protocol_schema

from .case_schema import CASE_NODES
from .paths import ROOT

SCHEMAS = ROOT / "schemas"
PROTOCOL_SCHEMA = SCHEMAS / "protocol.schema.json"
CASE_SCHEMA = SCHEMAS / "case-study.schema.json"


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema."""
    return {
        PROTOCOL_SCHEMA.name: protocol_schema(),
        CASE_SCHEMA.name: json_schema(CASE_NODES, "case", "Case study for training"),
    }


def text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    SCHEMAS.mkdir(exist_ok=True)
    for name, schema in schemas().items():
        (SCHEMAS / name).write_text(text(schema), encoding="utf-8")
        print(f"wrote schemas/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
