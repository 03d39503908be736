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
from collections import OrderedDict
from typing import Any

from .engine import assess
from .errors import AnswerError, Problem, ProtocolError, RequestError, ScreeningError
from .json_text import JsonTextError, read_json, size_of
from .loader import load_protocol
from .model import Protocol
from .report import result_json
from .request import read_request

MAX_REQUEST_BYTES = 1_000_000  # a request, as UTF-8
TOO_LARGE = f"the request is larger than {MAX_REQUEST_BYTES // 1_000_000} MB, the most the engine takes"
CACHED_PROTOCOLS = 8  # compiled protocols kept loaded, the most recently used

_loaded: OrderedDict[str, Protocol] = OrderedDict()


def _error(kind: str, message: str, item: str | None = None) -> str:
    return json.dumps({"ok": False, "error": {"type": kind, "message": message, "item": item}}, ensure_ascii=False)


def read_request_text(request_json: object) -> Any:
    """The request's data, read within the limits (see screening.json_text); RequestError if not."""
    if not isinstance(request_json, str):
        raise RequestError("", f"the request must be JSON text, not {type(request_json).__name__}")
    if len(request_json) > MAX_REQUEST_BYTES or size_of(request_json) > MAX_REQUEST_BYTES:
        raise RequestError(
            "", f"the request is larger than {MAX_REQUEST_BYTES // 1_000_000} MB, the most the engine takes"
        )
    try:
        return read_json(request_json)
    except JsonTextError as exc:
        raise RequestError("", str(exc)) from None


def assess_json(protocol_json: str, request_json: str) -> str:
    """Assess a request (``{"answers": {...}, ...}``) against a compiled protocol; the envelope, never an exception."""
    try:
        request = read_request(read_request_text(request_json))
        protocol = loaded_protocol(protocol_json)
        result = assess(protocol, request.answers, request.context)
    except AnswerError as exc:
        return _error(type(exc).__name__, str(exc), exc.item or None)
    except ScreeningError as exc:
        return _error(type(exc).__name__, str(exc))
    return json.dumps({"ok": True, "result": result_json(result)}, ensure_ascii=False)


def loaded_protocol(protocol_json: object) -> Protocol:
    """The compiled protocol, read once and kept among the last few used (by their text)."""
    if not isinstance(protocol_json, str):
        raise ProtocolError([Problem(f"the compiled protocol must be JSON text, not {type(protocol_json).__name__}")])
    protocol = _loaded.get(protocol_json)
    if protocol is not None:
        _loaded.move_to_end(protocol_json)
        return protocol
    try:
        data = read_json(protocol_json)
    except JsonTextError as exc:
        raise ProtocolError([Problem(f"the compiled protocol is not valid JSON: {exc}")]) from None
    protocol = load_protocol(data)
    _loaded[protocol_json] = protocol
    while len(_loaded) > CACHED_PROTOCOLS:
        _loaded.popitem(last=False)
    return protocol
