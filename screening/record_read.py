"""Reading a saved record back: the JSON between its markers, checked, and the latest request restored.

Kept apart from writing and comparing because it is the one part that must distrust its
input: a record is a file that may have been cut short, edited or made by a newer site, and
each of those is a RecordError with a message from screening.record_format.MESSAGES.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .contract import RECORD_DATA, Array, Boolean, Const, Integer, Map, Nullable, Spec, Text, Union
from .errors import RecordError, RequestError
from .json_text import JsonTextError, read_json, shown, size_of
from .model import Protocol
from .record_format import (
    BEGIN,
    ENCRYPTED,
    END,
    FORMAT,
    FORMAT_VERSION,
    MAX_RECORD_BYTES,
    TITLE,
    Opened,
    Saved,
    error,
    parse_time,
    time_in_words,
)
from .request import read_request

# What a set-aside answer says; {answer} is the answer as the form worded it then.
SET_ASIDE = {
    "item": "{answer}: this version of the protocol no longer asks this question, so the answer is set aside.",
    "option": "{answer}: this version of the protocol no longer offers this answer, so it is set aside. Answer"
    " the question again.",
    "kind": "{answer}: this question now takes a different kind of answer, so the answer is set aside. Answer"
    " it again.",
    "seen": "What was seen and when, for {answer}: “{note}”. This version of the protocol no longer asks this"
    " question, so the note is set aside.",
    "judgement": "Professional judgement: {answer}. This version of the protocol no longer has this level, so"
    " the judgement is set aside. Choose the level again.",
}


def spec_problem(spec: Spec, value: Any, path: str) -> str | None:
    """The first way ``value`` differs from the contract's ``spec``, in words, or None."""
    where = f"'{path}'" if path else "the data"
    if isinstance(spec, Text):
        if not isinstance(value, str):
            return f"{where} must be text"
        if spec.choices and value not in spec.choices:
            return f"{where} must be one of: {', '.join(spec.choices)}"
        return None
    if isinstance(spec, Integer):
        return None if isinstance(value, int) and not isinstance(value, bool) else f"{where} must be a whole number"
    if isinstance(spec, Boolean):
        return None if isinstance(value, bool) else f"{where} must be true or false"
    if isinstance(spec, Const):
        return None if value is spec.value else f"{where} must be {json.dumps(spec.value)}"
    if isinstance(spec, Nullable):
        return None if value is None else spec_problem(spec.of, value, path)
    if isinstance(spec, Array):
        if not isinstance(value, list):
            return f"{where} must be a list"
        for index, entry in enumerate(value):
            found = spec_problem(spec.of, entry, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    if isinstance(spec, Map):
        if not isinstance(value, dict):
            return f"{where} must be an object"
        for key, entry in value.items():
            found = spec_problem(spec.of, entry, f"{path}.{shown(key, 40)}" if path else shown(key, 40))
            if found is not None:
                return found
        return None
    if isinstance(spec, Union):
        problems = [spec_problem(part, value, path) for part in spec.of]
        return None if any(p is None for p in problems) else problems[0]
    if not isinstance(value, dict):
        return f"{where} must be an object"
    names = {key.name for key in spec.keys}
    for name in value:
        if name not in names:
            return f"{where} has an unknown key '{shown(name, 40)}'"
    for key in spec.keys:
        inner = f"{path}.{key.name}" if path else key.name
        if key.name not in value:
            if key.required:
                return f"'{inner}' is missing"
            continue
        found = spec_problem(key.spec, value[key.name], inner)
        if found is not None:
            return found
    return None


def _unreadable(detail: str) -> RecordError:
    return error("unreadable", detail=detail)


def _data_of(text: object) -> dict[str, Any]:
    """The JSON between the markers, checked for size, markers and syntax, or RecordError."""
    if not isinstance(text, str):
        raise error("not-a-record")
    if len(text) > MAX_RECORD_BYTES or size_of(text) > MAX_RECORD_BYTES:
        raise error("too-large")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # The markers are whole lines; the last BEGIN line is the data's, as text typed into the
    # screening (shown in the words above it) may hold anything, and JSON never a whole line like it.
    text = "\n" + text + "\n"
    begin = text.rfind(f"\n{BEGIN}\n")
    if begin < 0:
        if f"\n{ENCRYPTED}\n" in text:
            raise error("encrypted")
        if text.lstrip().startswith(TITLE):
            raise _unreadable("the screening data is missing")
        raise error("not-a-record")
    begin += 1
    end = text.find(f"\n{END}\n", begin)
    if end < 0:
        raise _unreadable("the end of the screening data is missing")
    start = begin + len(BEGIN)
    try:
        data = read_json(text[start:end])
    except JsonTextError as exc:
        message = str(exc)
        found = re.match(r"line (\d+): ", message)
        if found is not None:  # the line in the file, not in the data
            message = f"line {int(found.group(1)) + text.count(chr(10), 0, start) - 1}: {message[found.end() :]}"
        raise _unreadable(message) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise error("not-a-record")
    return data


def read_record(protocol: Protocol, text: object) -> Opened:
    """The record in ``text``, checked, with its latest request restored for ``protocol``; RecordError if not.

    An answer the protocol no longer has (an item, or an option, or a judgement's level) is
    set aside and said in words when the record was saved with another version of the
    protocol; with the same version it means the file was edited, and is an error.
    """
    data = _data_of(text)
    version = data.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise error("newer", found=version, known=FORMAT_VERSION)
    problem = spec_problem(RECORD_DATA, data, "")
    if problem is not None:
        raise _unreadable(problem)
    if version != FORMAT_VERSION:
        raise _unreadable(f"'format_version' must be {FORMAT_VERSION}")
    if data["protocol"]["id"] != protocol.id:
        raise error(
            "other-protocol",
            data["protocol"]["id"],
            title=shown(data["protocol"]["title"], 120),
            current=protocol.title,
        )
    if not data["screenings"]:
        raise _unreadable("it holds no screening")
    screenings = tuple(_saved(entry, index) for index, entry in enumerate(data["screenings"]))
    for number in range(1, len(screenings)):
        before, this = screenings[number - 1], screenings[number]
        if _time(this.saved, number) <= _time(before.saved, number - 1):
            raise error(
                "out-of-order",
                number=number + 1,
                date=time_in_words(this.saved),
                before=time_in_words(before.saved),
            )
    request, set_aside = _restore(protocol, screenings[-1])
    return Opened(data, screenings, request, set_aside)


def _time(saved: str, index: int) -> datetime:
    when = parse_time(saved)
    if when is None:
        raise _unreadable(f"'screenings[{index}].saved' must be a time in UTC such as 2026-12-07T18:00:00Z")
    return when


def _saved(entry: Mapping[str, Any], index: int) -> Saved:
    _time(entry["saved"], index)
    try:
        read_request(entry["request"])
    except RequestError as exc:
        raise _unreadable(f"'screenings[{index}].request': {exc}") from None
    return Saved(
        saved=entry["saved"],
        protocol_version=entry["protocol_version"],
        request=entry["request"],
        words={w["item"]: w["text"] for w in entry["answers_in_words"]},
        level=None if entry["level"] is None else (entry["level"]["id"], entry["level"]["label"]),
        judgement=(entry["judgement"]["level"], entry["judgement"]["label"]),
    )


def _restore(protocol: Protocol, saved: Saved) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    """The saved request with what the protocol no longer has taken out, and what was taken out, in words."""
    request = json.loads(json.dumps(saved.request))  # a copy, to change
    answers: dict[str, Any] = request["answers"]
    set_aside: list[tuple[str, str, str, str]] = []  # (item, kind, answer in words, note)
    for item_id, value in list(answers.items()):
        if value is None:
            continue
        item = protocol.item(item_id)
        if item is None:
            kind = "item"
        elif item.answer == "yes_no":
            kind = "" if isinstance(value, bool) else "kind"
        elif not isinstance(value, str):
            kind = "kind"
        else:
            kind = "" if item.option(value) is not None else "option"
        if not kind:
            continue
        del answers[item_id]
        if value is not False:  # "no" to a yes/no question is the same as no answer
            set_aside.append((item_id, kind, saved.words.get(item_id) or f"{item_id}: {value}", ""))
    seen: dict[str, str] = request.get("seen", {})
    for item_id, note in list(seen.items()):
        if protocol.item(item_id) is None:
            del seen[item_id]
            set_aside.append((item_id, "seen", saved.words.get(item_id) or item_id, note))
    judgement = request.get("judgement", {})
    level = judgement.get("level")
    if isinstance(level, str) and level.strip() and protocol.level(level.strip()) is None:
        judgement["level"] = None
        set_aside.append(("judgement", "judgement", saved.judgement[1] or level, ""))
    if set_aside and saved.protocol_version == protocol.version:
        answers_text = ", ".join(f"'{shown(entry[0], 40)}'" for entry in set_aside)
        raise error("unknown-answers", title=protocol.title, version=protocol.version, answers=answers_text)
    words = tuple((item, SET_ASIDE[kind].format(answer=answer, note=note)) for item, kind, answer, note in set_aside)
    return request, words
