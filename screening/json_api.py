"""The entry point the page's Web Worker calls inside Pyodide.

JSON in, JSON out, so nothing but strings crosses between JavaScript and Python, and an
error becomes a message the page can show instead of a traceback.
"""

from __future__ import annotations

import json

from .engine import assess
from .errors import AnswerError, ScreeningError
from .loader import load_protocol
from .model import Protocol

_loaded: dict[str, Protocol] = {}


def assess_json(protocol_json: str, answers_json: str) -> str:
    """Assess answers against a compiled protocol; protocols are loaded once and kept."""
    try:
        protocol = _loaded.get(protocol_json)
        if protocol is None:
            protocol = load_protocol(json.loads(protocol_json))
            _loaded[protocol_json] = protocol
        result = assess(protocol, json.loads(answers_json))
        return json.dumps({"ok": True, "result": result.to_dict()})
    except AnswerError as exc:
        return json.dumps({"ok": False, "error": str(exc), "item": exc.item})
    except (ScreeningError, ValueError) as exc:
        return json.dumps({"ok": False, "error": str(exc), "item": None})
