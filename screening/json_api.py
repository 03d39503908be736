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

from .contract import TEXT, Array, Key, Object
from .engine import assess
from .errors import AnswerError, Problem, ProtocolError, RecordError, RequestError, ScreeningError
from .json_text import JsonTextError, read_json, shown, size_of
from .loader import load_protocol
from .model import Protocol
from .record import MAX_RECORD_BYTES, parse_time, read_record, record_text, review, spec_problem
from .report import result_json
from .request import read_request

MAX_REQUEST_BYTES = 1_000_000  # a request, as UTF-8
TOO_LARGE = f"the request is larger than {MAX_REQUEST_BYTES // 1_000_000} MB, the most the engine takes"
EXAMPLE_TIME = "2026-12-07T18:00:00Z"
CACHED_PROTOCOLS = 8  # compiled protocols kept loaded, the most recently used

_loaded: OrderedDict[str, Protocol] = OrderedDict()


def _error(kind: str, message: str, item: str | None = None) -> str:
    return json.dumps({"ok": False, "error": {"type": kind, "message": message, "item": item}}, ensure_ascii=False)


def _record_error(exc: RecordError) -> str:
    error = {"type": "RecordError", "message": str(exc), "protocol": exc.protocol}
    return json.dumps({"ok": False, "error": error}, ensure_ascii=False)


def read_request_text(request_json: object) -> Any:
    """The request's data, read within the limits (see screening.json_text); RequestError if not.

    A saved record carried as ``previous`` has its own limit (screening.record), so the
    request's limit applies to the rest of it.
    """
    if not isinstance(request_json, str):
        raise RequestError("", f"the request must be JSON text, not {type(request_json).__name__}")
    most = MAX_REQUEST_BYTES + MAX_RECORD_BYTES + 1000
    if len(request_json) > most or size_of(request_json) > most:
        raise RequestError("", TOO_LARGE)
    try:
        data = read_json(request_json, unchecked=frozenset({"previous"}))
    except JsonTextError as exc:
        raise RequestError("", str(exc)) from None
    previous = data.get("previous") if isinstance(data, dict) else None
    carried = size_of(json.dumps(previous, ensure_ascii=False)) if isinstance(previous, str) else 0
    if size_of(request_json) - carried > MAX_REQUEST_BYTES:
        raise RequestError("", TOO_LARGE)
    return data


def _assessed(protocol_json: str, request_json: str, saved_at: str | None = None) -> tuple[Any, ...]:
    """The protocol, the request's data, the assessment, the opened previous record (or None) and the result JSON."""
    data = read_request_text(request_json)
    request = read_request(data)
    protocol = loaded_protocol(protocol_json)
    opened = read_record(protocol, request.previous) if request.previous is not None else None
    result = assess(protocol, request.answers, request.context)
    if opened is None:
        return protocol, data, result, None, result_json(result)
    comparison, history, sections = review(protocol, result, opened, saved_at)
    return protocol, data, result, opened, result_json(result, comparison, history, sections)


def assess_json(protocol_json: str, request_json: str) -> str:
    """Assess a request (``{"answers": {...}, ...}``) against a compiled protocol; the envelope, never an exception.

    With ``previous`` (a saved record's text) the result compares with its latest screening.
    """
    try:
        result = _assessed(protocol_json, request_json)[-1]
    except RecordError as exc:
        return _record_error(exc)
    except AnswerError as exc:
        return _error(type(exc).__name__, str(exc), exc.item or None)
    except ScreeningError as exc:
        return _error(type(exc).__name__, str(exc))
    return json.dumps({"ok": True, "result": result}, ensure_ascii=False)


def open_record_json(protocol_json: str, record_text: str) -> str:
    """Read a saved record's text against the protocol: the latest screening's request, restored, in the envelope.

    ``{"ok": true, "opened": {"request", "set_aside", "saved", "screenings", "protocol_version"}}``,
    or a RecordError envelope (``{"type", "message", "protocol"}``) whose message says what is wrong.
    """
    try:
        protocol = loaded_protocol(protocol_json)
        opened = read_record(protocol, record_text)
    except RecordError as exc:
        return _record_error(exc)
    except ScreeningError as exc:
        return _error(type(exc).__name__, str(exc))
    latest = opened.latest
    reply = {
        "request": opened.request,
        "set_aside": [{"item": item, "says": says} for item, says in opened.set_aside],
        "saved": latest.saved,
        "screenings": len(opened.screenings),
        "protocol_version": latest.protocol_version,
    }
    return json.dumps({"ok": True, "opened": reply}, ensure_ascii=False)


def save_record_json(protocol_json: str, request_json: str, saved_at: str, site_json: str) -> str:
    """The record file for this screening: ``{"ok": true, "file": {"name", "text"}}``, or an error envelope.

    ``saved_at`` is the time of saving, ISO 8601 in UTC ("2026-12-07T18:00:00Z"), and
    ``site_json`` is ``{"name": ..., "url": ...}``. With ``previous`` in the request, the file
    keeps every earlier screening of that record and adds this one, which must be later.
    """
    try:
        if parse_time(saved_at) is None:
            shown_at = shown(saved_at) if isinstance(saved_at, str) else type(saved_at).__name__
            raise RequestError(
                "saved_at", f"the time of saving must be ISO 8601 in UTC, such as {EXAMPLE_TIME}, not '{shown_at}'"
            )
        site = _site(site_json)
        protocol, data, result, opened, shown_result = _assessed(protocol_json, request_json, saved_at)
        name, text = record_text(protocol, site, data, result, shown_result["report"], saved_at, opened)
    except RecordError as exc:
        return _record_error(exc)
    except AnswerError as exc:
        return _error(type(exc).__name__, str(exc), exc.item or None)
    except ScreeningError as exc:
        return _error(type(exc).__name__, str(exc))
    return json.dumps({"ok": True, "file": {"name": name, "text": text}}, ensure_ascii=False)


_SECTIONS = Array(
    Object(
        (
            Key("id", TEXT),
            Key("heading", TEXT),
            Key("lines", Array(Object((Key("text", TEXT), Key("items", Array(TEXT)))))),
        )
    )
)


def unscored_record_json(
    protocol_json: str, request_json: str, saved_at: str, site_json: str, sections_json: str
) -> str:
    """The record file of a screening whose level was not worked out: the envelope, as save_record_json.

    The page writes such a file itself when the engine has not started (in JavaScript, in
    screening-record-unscored.js); this is the same writer in Python, the reference a
    shared golden test holds the page's to. ``sections_json`` is the report in words the
    page shows without a result; there is no previous record, as only the engine opens one.
    """
    try:
        if parse_time(saved_at) is None:
            raise RequestError("saved_at", f"the time of saving must be ISO 8601 in UTC, such as {EXAMPLE_TIME}")
        site = _site(site_json)
        data = read_request_text(request_json)
        request = read_request(data)
        if request.previous is not None:
            raise RequestError("previous", "a screening with a previous record is saved by the engine")
        protocol = loaded_protocol(protocol_json)
        assess(protocol, request.answers, request.context)  # the answers are checked as the engine checks them
        sections = read_json(sections_json) if isinstance(sections_json, str) else None
        problem = spec_problem(_SECTIONS, sections, "sections")
        if problem is not None:
            raise RequestError("sections", problem)
        name, text = record_text(protocol, site, data, None, sections, saved_at, None)
    except JsonTextError as exc:
        return _error("RequestError", f"the sections: {exc}")
    except AnswerError as exc:
        return _error(type(exc).__name__, str(exc), exc.item or None)
    except ScreeningError as exc:
        return _error(type(exc).__name__, str(exc))
    return json.dumps({"ok": True, "file": {"name": name, "text": text}}, ensure_ascii=False)


def _site(site_json: object) -> dict[str, str]:
    """The site that makes the record: ``{"name": TEXT, "url": TEXT}``, read like a request."""
    if not isinstance(site_json, str):
        raise RequestError("site", f"the site must be JSON text, not {type(site_json).__name__}")
    if size_of(site_json) > 10_000:
        raise RequestError("site", "the site's name and address are larger than 10 kB")
    try:
        site = read_json(site_json)
    except JsonTextError as exc:
        raise RequestError("site", f"the site: {exc}") from None
    if not isinstance(site, dict) or set(site) != {"name", "url"} or not all(isinstance(v, str) for v in site.values()):
        raise RequestError("site", 'the site must be {"name": TEXT, "url": TEXT}')
    return {"name": site["name"].strip(), "url": site["url"].strip()}


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
