"""Read a request to the engine: the answers, and what the practitioner adds to them.

The shape is the contract's (declared in screening/contract.py; see the README)::

    {"answers": {...}, "seen": {ITEM_ID: TEXT}, "strengths": TEXT,
     "judgement": {"level": LEVEL_ID | null, "reason": TEXT, "confirmed": BOOL},
     "record": {"child": TEXT, "practitioner": TEXT, "agency": TEXT},
     "previous": TEXT}

Only ``answers`` is required; text is trimmed. Here only the shape is checked, and every
fault is a :class:`RequestError` naming its key; the engine then checks the answers, the
items ``seen`` names and the level the judgement names against the protocol.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .contract import CHOICE, RECORD, REQUEST, key_names
from .errors import RequestError
from .model import Choice, Context, Record

# The keys as the contract declares them (screening/contract.py), which the schemas are written from.
KEYS = key_names(REQUEST)
JUDGEMENT_KEYS = key_names(CHOICE)
RECORD_KEYS = key_names(RECORD)
SHAPE = '{"answers": {"ITEM_ID": true, ...}}'


@dataclass(frozen=True)
class Request:
    """One request: the answers as given (the engine reads them), and the rest of it."""

    answers: Mapping[str, object]
    context: Context = field(default_factory=Context)
    previous: str | None = None  # the text of a saved record to compare with (screening.record)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, Mapping) else type(value).__name__


def _object(value: object, key: str, allowed: tuple[str, ...] | None = None) -> Mapping[str, Any]:
    """``value`` as an object whose keys are all in ``allowed`` (any keys when None)."""
    if not isinstance(value, Mapping):
        if not key:
            raise RequestError("", f"the request must be an object, not {_kind(value)}: expected {SHAPE}")
        raise RequestError(key, f"'{key}' must be an object, not {_kind(value)}")
    for name in value:
        if not isinstance(name, str):
            raise RequestError(key, f"the keys of '{key}' must be text")  # pragma: no cover - JSON keys are text
        if allowed is not None and name not in allowed:
            inside = f" in '{key}'" if key else " in the request"
            raise RequestError(
                f"{key}.{name}" if key else name,
                f"unknown key '{name}'{inside} (expected one of: {', '.join(allowed)})",
            )
    return value


def _text(value: object, key: str) -> str:
    if not isinstance(value, str):
        raise RequestError(key, f"'{key}' must be text, not {_kind(value)}")
    return value.strip()


def read_request(data: object) -> Request:
    """The request as typed data; raise :class:`RequestError` naming the key at fault.

    A key left out is empty; ``judgement.level`` may also be null (agreeing with the answers).
    """
    request = _object(data, "", KEYS)
    if "answers" not in request:
        raise RequestError("answers", f"the request has no 'answers': expected {SHAPE}")
    answers = request["answers"]
    if not isinstance(answers, Mapping):
        raise RequestError("answers", f"'answers' must be an object of item ids to answers, not {_kind(answers)}")
    seen = _object(request.get("seen", {}), "seen")
    judgement = _object(request.get("judgement", {}), "judgement", JUDGEMENT_KEYS)
    level = judgement.get("level")
    if level is not None and not isinstance(level, str):
        raise RequestError("judgement.level", f"'judgement.level' must be a level id or null, not {_kind(level)}")
    confirmed = judgement.get("confirmed", False)
    if not isinstance(confirmed, bool):
        raise RequestError(
            "judgement.confirmed", f"'judgement.confirmed' must be true or false, not {_kind(confirmed)}"
        )
    record = _object(request.get("record", {}), "record", RECORD_KEYS)
    previous = request.get("previous")
    if previous is not None and not isinstance(previous, str):
        raise RequestError("previous", f"'previous' must be the text of a saved record, not {_kind(previous)}")
    context = Context(
        seen=tuple((item, _text(text, f"seen.{item}")) for item, text in seen.items()),
        strengths=_text(request.get("strengths", ""), "strengths"),
        judgement=Choice(
            (level.strip() or None) if level is not None else None,
            _text(judgement.get("reason", ""), "judgement.reason"),
            confirmed,
        ),
        record=Record(*(_text(record.get(key, ""), f"record.{key}") for key in RECORD_KEYS)),
    )
    return Request(answers, context, previous)
