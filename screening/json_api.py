"""The engine's public contract: one JSON-in, JSON-out function.

The page's Web Worker calls :func:`assess_json` inside Pyodide, ``python -m screening
assess --json`` prints what it returns, and the test tables run through it in CPython and
in Pyodide. Only strings cross between JavaScript and Python, and every failure comes back
in the same envelope instead of a traceback::

    {"ok": true, "result": {...}}                        see screening.report.result_json
    {"ok": false, "error": {"type": "AnswerTypeError", "message": "...", "item": "phones"}}

``type`` is ``RequestError`` (the request is not of the shape screening.request reads, or
its judgement names a level the protocol does not have), ``ProtocolError`` (the compiled
protocol is not valid) or one of the :class:`AnswerError` classes, and then ``item`` names
the item the page should point at (an answer, or a "what was seen and when" note).
The request and the result are declared in :mod:`screening.contract`.
"""

from __future__ import annotations

import json
from typing import Any

from .engine import assess
from .errors import AnswerError, Problem, ProtocolError, ScreeningError
from .loader import load_protocol
from .model import Protocol
from .report import result_json
from .request import read_request

_loaded: dict[str, Protocol] = {}


def _error(kind: str, message: str, item: str | None = None) -> str:
    return json.dumps({"ok": False, "error": {"type": kind, "message": message, "item": item}}, ensure_ascii=False)


def assess_json(protocol_json: str, request_json: str) -> str:
    """Assess a request (``{"answers": {...}, ...}``) against a compiled protocol, loaded once and kept."""
    try:
        data: Any = json.loads(request_json)
    except json.JSONDecodeError as exc:
        return _error("RequestError", f"line {exc.lineno}: not valid JSON: {exc.msg}")
    try:
        request = read_request(data)
        protocol = _loaded.get(protocol_json) or _load(protocol_json)
        result = assess(protocol, request.answers, request.context)
    except AnswerError as exc:
        return _error(type(exc).__name__, str(exc), exc.item or None)
    except ScreeningError as exc:
        return _error(type(exc).__name__, str(exc))
    return json.dumps({"ok": True, "result": result_json(result)}, ensure_ascii=False)


def _load(protocol_json: str) -> Protocol:
    try:
        data = json.loads(protocol_json)
    except json.JSONDecodeError as exc:
        raise ProtocolError([Problem(f"the compiled protocol is not valid JSON: {exc.msg}")]) from None
    protocol = _loaded[protocol_json] = load_protocol(data)
    return protocol
