"""The command line's request and record files: read within the engine's limits, and its
messages located in them (``answers.json:LINE: message``, the record's name for a record).

Files are read without waiting on a FIFO and never whole when larger than the engine takes.
"""

from __future__ import annotations

import json
import re
import sys

from screening.errors import RequestError, ScreeningError
from screening.json_api import MAX_REQUEST_BYTES, TOO_LARGE, read_request_text
from screening.record import MAX_RECORD_BYTES, MESSAGES

from .files import decode, read_bytes


def where(error: dict[str, str], answers_file: str, previous: str | None) -> str:
    """The engine's message, with the file it is about: FILE:LINE for the request, the record's name for a record."""
    message = error["message"]
    if error["type"] == "RecordError" and previous is not None:
        return f"{previous}: {message}"
    if error["type"] == "RequestError":
        line = _LINE.match(message)
        name = shown_name(answers_file)
        return f"{name}:{line.group(1)}: {message[line.end() :]}" if line else f"{name}: {message}"
    return message


def with_previous(request: str, answers_file: str, previous: str | None) -> str:
    """The request's text, with the saved record's text carried as ``previous`` when one is given."""
    if previous is None:
        return request
    try:
        data = read_request_text(request)
    except RequestError as exc:
        raise ScreeningError(where({"type": "RequestError", "message": str(exc)}, answers_file, None)) from None
    if not isinstance(data, dict):
        return request  # the engine says what is wrong with it
    if "previous" in data:
        raise ScreeningError(
            f"{shown_name(answers_file)}: the request already carries 'previous'; leave out --previous"
        )
    try:
        raw = read_bytes(previous, MAX_RECORD_BYTES)  # never waits on a FIFO
    except OSError as exc:
        raise ScreeningError(f"cannot read the record {previous}: {exc.strerror or exc}") from None
    text = text_within(raw, previous, MAX_RECORD_BYTES, MESSAGES["too-large"])
    return json.dumps({**data, "previous": text}, ensure_ascii=False)


def text_within(data: bytes, name: str, limit: int, too_large: str) -> str:
    """A file's text, read as at most ``limit`` + 1 bytes: one line when it is larger or not UTF-8."""
    if len(data) > limit:
        raise ScreeningError(f"{name}: {too_large}")
    text, problems = decode(data, name, limit)
    if text is None:
        raise ScreeningError(str(problems[0]))
    return text


def shown_name(answers_file: str) -> str:
    return "standard input" if answers_file == "-" else answers_file


_LINE = re.compile(r"line (\d+): ")


def read_answers(answers_file: str) -> str:
    """The request (answers and the rest) as JSON text; the engine reads and checks it.

    At most one byte more than the engine takes is read, so a larger file is refused in the
    engine's words without being read whole.
    """
    name = shown_name(answers_file)
    try:
        if answers_file == "-":
            if sys.stdin is None:
                raise ScreeningError("cannot read answers from standard input: it is closed")
            data = sys.stdin.buffer.read(MAX_REQUEST_BYTES + 1)
        else:
            data = read_bytes(answers_file, MAX_REQUEST_BYTES)  # never waits on a FIFO
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        if "FIFO" in reason:
            reason += " (to pipe answers in, give --answers -)"
        raise ScreeningError(f"cannot read answers file {name}: {reason}") from None
    return text_within(data, name, MAX_REQUEST_BYTES, TOO_LARGE)
