"""Writing a saved record: its file name and whole text, words for people above the data.

Kept apart from reading because writing trusts what it is given (the engine's own
assessment, or a request the page checked) and adds this screening to those the opened
record already holds; its words are held to screening-record-unscored.js by a shared test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .errors import RequestError
from .json_text import shown, size_of
from .model import Assessment, Level, Protocol
from .record_format import (
    BEGIN,
    END,
    FORMAT,
    FORMAT_VERSION,
    MAX_RECORD_BYTES,
    NOT_WORKED_OUT,
    TITLE,
    Opened,
    error,
    judged,
    parse_time,
    time_in_words,
)
from .report import report_text


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
        f" professional judgement: {judged(s['judgement']['label'], s['level'] is not None)}"
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
