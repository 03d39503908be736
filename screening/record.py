"""The saved screening record: writing it, reading it back, and comparing a screening with it.

A record is one UTF-8 text file the practitioner keeps (the README's "The saved screening
record" describes it): words for people at the top, then one JSON object between
:data:`BEGIN` and :data:`END`, declared as ``RECORD_DATA`` in screening.contract. Only the
JSON is read back. Text in, text out: no I/O here; screening.json_api wraps these in the
JSON envelope for the page and the command line.

Every message a :class:`~screening.errors.RecordError` carries is in :data:`MESSAGES`, so
the page and the command line show them as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .contract import RECORD_DATA, Array, Boolean, Const, Integer, Map, Nullable, Spec, Text, Union
from .engine import assess
from .errors import AnswerError, RecordError, RequestError
from .json_text import JsonTextError, read_json, shown, size_of
from .model import Assessment, Level, Protocol
from .report import Line, line, report_text
from .request import read_request

FORMAT = "cse-screening-record"
FORMAT_VERSION = 1
MAX_RECORD_BYTES = 2_000_000
TITLE = "CSE screening record"
BEGIN = "-----BEGIN SCREENING DATA-----"
END = "-----END SCREENING DATA-----"
ENCRYPTED = "-----BEGIN ENCRYPTED SCREENING-----"

# Every message about a record, in one place. {…} are filled in; each is shown as it is.
MESSAGES = {
    "not-a-record": (
        "This file is not a saved screening. Open a file made with Save on one of this site's screening pages."
    ),
    "encrypted": (
        "This saved screening is protected with a passphrase. Open it on the screening page, which asks for it."
    ),
    "other-protocol": (
        "This file is a saved screening for {title}, not for {current}. Open it on the page for {title}."
    ),
    "newer": (
        "This file was saved by a newer version of the site (record format {found}; this version reads format"
        " {known}). Open it on the site as it is now, or ask whoever runs the site to update it."
    ),
    "unreadable": (
        "This saved screening has been cut short or edited, so it cannot be read: {detail}. Open the file as it"
        " was saved."
    ),
    "too-large": "This file is larger than 2 MB, the most a saved screening can be, so it was not opened.",
    "unknown-answers": (
        "This saved screening has answers that {title} version {version} does not have ({answers}), though it"
        " was saved with that version: the file has been edited, so it was not opened."
    ),
    "out-of-order": (
        "The screenings in this file are not in date order: screening {number} ({date}) is not later than the"
        " one before it ({before}). The file has been edited, so it was not opened."
    ),
    "not-later": (
        "This screening's date ({date}) is not later than the last screening in the file ({last}), so it cannot"
        " be added to it."
    ),
    "save-too-large": (
        "With this screening the record would be larger than 2 MB, the most a saved screening can be. Save this"
        " screening in a new record instead."
    ),
}

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

_ISO_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
AGREED = "agreed with the level from the answers"
# A screening saved without the engine (the page writes it in JavaScript: see
# screening-record-unscored.js, checked against record_text by a shared golden test).
NOT_WORKED_OUT = "level not worked out on this device"
NONE_CHOSEN = "no level chosen"


def error(kind: str, protocol: str | None = None, **values: object) -> RecordError:
    return RecordError(MESSAGES[kind].format(**values), protocol)


def parse_time(text: object) -> datetime | None:
    """An ISO 8601 time in UTC ("2026-12-07T18:00:00Z") as a datetime, or None when it is not one."""
    if not isinstance(text, str) or not _ISO_UTC.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text[:-1] + "+00:00")
    except ValueError:
        return None


def time_in_words(text: str) -> str:
    """ "7 December 2026, 18:00 UTC" (the text as it is when it is not a time)."""
    when = parse_time(text)
    if when is None:
        return text
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}, {when:%H:%M} UTC"


@dataclass(frozen=True)
class Saved:
    """One screening from a record, as the file holds it."""

    saved: str
    protocol_version: str
    request: Mapping[str, Any]
    words: Mapping[str, str]  # item id -> the answer as the form worded it
    level: tuple[str, str] | None  # (id, label); None when it was not worked out
    judgement: tuple[str | None, str | None]  # (level id, label) by professional judgement, when it differed


@dataclass(frozen=True)
class Opened:
    """A record read and checked against the protocol as it is now."""

    data: Mapping[str, Any]  # the whole JSON, as read
    screenings: tuple[Saved, ...]  # oldest first
    request: dict[str, Any]  # the latest screening's request, restored for the protocol now
    set_aside: tuple[tuple[str, str], ...]  # (item id, what it says) for each answer set aside

    @property
    def latest(self) -> Saved:
        return self.screenings[-1]


# Reading a record ---------------------------------------------------------------------------


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


# Comparing with a record ----------------------------------------------------------------------


def present_of(protocol: Protocol, answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(id, the answer as the form words it) of each answer present, as the engine counts them."""
    out = []
    for item in protocol.items:
        value = answers.get(item.id)
        if item.answer == "yes_no":
            if value is True:
                out.append((item.id, item.text))
            continue
        chosen = value if isinstance(value, str) else item.default if value is None else None
        option = item.option(chosen) if chosen is not None else None
        if option is not None and option.present:
            out.append((item.id, f"{item.text}: {option.label}"))
    return out


def _level_ref(protocol: Protocol, saved: tuple[str, str] | None) -> dict[str, Any] | None:
    if saved is None:
        return None
    level = protocol.level(saved[0])
    return {"id": saved[0], "label": saved[1], "rank": None if level is None else level.rank}


def _level_words(saved: tuple[str, str] | None) -> str:
    return NOT_WORKED_OUT if saved is None else saved[1]


def _rank_now(protocol: Protocol, request: Mapping[str, Any]) -> int:
    """The rank of the level the answers give under the protocol now (for a level it no longer has)."""
    try:
        return assess(protocol, request["answers"]).level.rank
    except AnswerError:
        return 0


def _judged(label: str | None, worked_out: bool = True) -> str:
    """The judgement in words: the level chosen, else agreement, or none when there was no level to agree with."""
    return label if label else AGREED if worked_out else NONE_CHOSEN


def review(
    protocol: Protocol, result: Assessment, opened: Opened, saved_at: str | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, list[Line]]]:
    """The comparison with the record's latest screening, the history, and their report sections' lines.

    ``saved_at`` is the time this screening is being saved, when it is; the history then
    names it by that time rather than as not saved yet.
    """
    then = opened.latest
    then_present = present_of(protocol, opened.request["answers"])
    now_present = [(item_id, result.label(item_id)) for item_id in result.present]
    then_ref = _level_ref(protocol, then.level)
    now_ref = {"id": result.level.id, "label": result.level.label, "rank": result.level.rank}
    direction = "unknown"
    then_rank = -1
    if then_ref is not None:
        then_rank = then_ref["rank"] if then_ref["rank"] is not None else _rank_now(protocol, opened.request)
        direction = "rose" if result.level.rank > then_rank else "fell" if result.level.rank < then_rank else "same"
    then_set, now_set = set(then_present), set(now_present)
    new = [pair for pair in now_present if pair not in then_set]
    gone = [pair for pair in then_present if pair not in now_set]
    still = [pair for pair in now_present if pair in then_set]
    earlier = (
        [lvl for lvl in protocol.levels if lvl.speaks_of_earlier_levels and lvl.rank < then_rank]
        if direction == "fell"
        else []
    )
    reason = str(then.request.get("judgement", {}).get("reason", "")).strip()
    comparison = {
        "then": {
            "saved": then.saved,
            "level": then_ref,
            "judgement": {"level": then.judgement[0], "label": then.judgement[1]},
            "reason": reason,
        },
        "now": {"level": now_ref},
        "direction": direction,
        "new": [{"id": i, "label": label} for i, label in new],
        "gone": [{"id": i, "label": label} for i, label in gone],
        "still": [{"id": i, "label": label} for i, label in still],
        "earlier_levels": [{"id": lvl.id, "label": lvl.label, "description": lvl.description} for lvl in earlier],
        "set_aside": [{"item": item, "says": says} for item, says in opened.set_aside],
    }
    chosen = result.judgement.level if result.judgement is not None else None
    history = [
        {"saved": s.saved, "level": _level_ref(protocol, s.level), "judgement_label": s.judgement[1]}
        for s in opened.screenings
    ]
    history.append({"saved": saved_at, "level": now_ref, "judgement_label": None if chosen is None else chosen.label})
    moved = {
        "rose": "The level has risen since the last screening.",
        "fell": "The level has fallen since the last screening.",
        "same": "The level is the same as at the last screening.",
        "unknown": "The level was not worked out at the last screening, so no change of level can be shown.",
    }[direction]
    judged_then = (
        f"Professional judgement then: {then.judgement[1]}" + (f" (reason: {reason})" if reason else "")
        if then.judgement[1]
        else f"Professional judgement then: {AGREED}"
    )
    since = [
        line(f"Level then ({time_in_words(then.saved)}): {_level_words(then.level)}"),
        line(f"Level now: {result.level.label}"),
        line(moved),
        line("New since then", [label for _, label in new] or ["None"]),
        line("No longer present", [label for _, label in gone] or ["None"]),
        line("Still present", [label for _, label in still] or ["None"]),
        line(judged_then),
    ]
    if opened.set_aside:
        since.append(line("Answers set aside from the last screening", [says for _, says in opened.set_aside]))
    since.extend(line(f"{lvl.label} (from the source): {lvl.description}") for lvl in earlier)
    when_now = f"{time_in_words(saved_at)} (this screening)" if saved_at else "Now (not saved yet)"
    history_lines = [
        line(
            f"{time_in_words(s.saved)}: {_level_words(s.level)};"
            f" professional judgement: {_judged(s.judgement[1], s.level is not None)}"
        )
        for s in opened.screenings
    ]
    now_judged = _judged(None if chosen is None else chosen.label)
    history_lines.append(line(f"{when_now}: {result.level.label}; professional judgement: {now_judged}"))
    return comparison, history, {"since": since, "history": history_lines}


# Writing a record -----------------------------------------------------------------------------


def answers_in_words(protocol: Protocol, answers: Mapping[str, Any]) -> list[dict[str, str]]:
    """Every answer given (a yes, or a choice), as the form words it."""
    out = []
    for item in protocol.items:
        value = answers.get(item.id)
        if item.answer == "yes_no":
            if value is True:
                out.append({"item": item.id, "text": item.text})
        elif isinstance(value, str):
            option = item.option(value)
            if option is not None:
                out.append({"item": item.id, "text": f"{item.text}: {option.label}"})
    return out


def file_name(protocol_id: str, saved_at: str, child: str) -> str:
    """<protocol id>-<YYYY-MM-DD>[-<child's reference, made safe for a file name>].txt"""
    safe = re.sub(r"[^A-Za-z0-9_]+", "-", child).strip("-")[:40].strip("-")
    return f"{protocol_id}-{saved_at[:10]}{'-' + safe if safe else ''}.txt"


def record_text(
    protocol: Protocol,
    site: Mapping[str, str],
    request: Mapping[str, Any],
    result: Assessment | None,
    sections: list[dict[str, Any]],
    saved_at: str,
    opened: Opened | None,
) -> tuple[str, str]:
    """The file's name and its whole text, with every earlier screening kept and this one added.

    With no ``result`` the level was not worked out (the page saves without the engine, in
    screening-record-unscored.js, which a shared golden test holds to this): the level is
    null, the judgement is the level chosen, if any, and the words say so.
    """
    if opened is not None:
        last = opened.latest.saved
        last_time, now_time = parse_time(last), parse_time(saved_at)
        if last_time is not None and now_time is not None and now_time <= last_time:
            raise error("not-later", date=time_in_words(saved_at), last=time_in_words(last))
    if result is not None:
        chosen = result.judgement.level if result.judgement is not None else None
        child = result.context.record.child
    else:
        chosen = _chosen_level(protocol, request)
        child = str(request.get("record", {}).get("child", "")).strip()
    entry = {
        "saved": saved_at,
        "protocol_version": protocol.version,
        "request": {key: value for key, value in request.items() if key != "previous"},
        "answers_in_words": answers_in_words(protocol, request.get("answers", {})),
        "level": None if result is None else {"id": result.level.id, "label": result.level.label},
        "judgement": {
            "level": None if chosen is None else chosen.id,
            "label": None if chosen is None else chosen.label,
        },
    }
    screenings: list[dict[str, Any]] = [*(opened.data["screenings"] if opened is not None else []), entry]
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "site": {"name": site["name"], "url": site["url"]},
        "protocol": {"id": protocol.id, "title": protocol.title, "version": protocol.version},
        "screenings": screenings,
    }
    history = [
        f"- {time_in_words(s['saved'])}: {NOT_WORKED_OUT if s['level'] is None else s['level']['label']};"
        f" professional judgement: {_judged(s['judgement']['label'], s['level'] is not None)}"
        for s in screenings
    ]
    text = "\n".join(
        [
            TITLE,
            "=" * len(TITLE),
            f"Made by: {site['name']} ({site['url']}) · Protocol: {protocol.title}, version {protocol.version}"
            f" ({protocol.id})",
            f"Saved: {time_in_words(saved_at)} · Child's reference: {child or 'not given'}",
            "Keep this file where your agency keeps case records. The site keeps no copy. To continue or",
            'review this screening, open the file with "Open a saved screening" on the screening page.',
            "",
            report_text(sections).rstrip("\n"),
            "",
            "Screenings in this file, oldest first",
            *history,
            "",
            "The site reads back only the data below. Do not change it: an edited file may not open.",
            BEGIN,
            json.dumps(data, indent=2, ensure_ascii=False),
            END,
            "",
        ]
    )
    if size_of(text) > MAX_RECORD_BYTES:
        raise error("save-too-large")
    return file_name(protocol.id, saved_at, child), text


def _chosen_level(protocol: Protocol, request: Mapping[str, Any]) -> Level | None:
    """The level the practitioner chose, when the answers' level was not worked out; RequestError if not a level."""
    chosen = request.get("judgement", {}).get("level")
    if not isinstance(chosen, str) or not chosen.strip():
        return None
    level = protocol.level(chosen.strip())
    if level is None:
        ids = ", ".join(lvl.id for lvl in protocol.levels)
        raise RequestError("judgement.level", f"judgement.level '{shown(chosen)}' is not a level (levels: {ids})")
    return level
