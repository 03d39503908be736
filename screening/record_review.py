"""Comparing a screening with the record's latest one: what changed, the history, and their words.

Kept apart from reading and writing the file because it is about the screenings, not the
file: it takes a record already opened (screening.record_read) and the assessment now, and
gives the comparison's JSON and the lines of the report's "since" and "history" sections.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .engine import assess
from .errors import AnswerError
from .model import Assessment, Protocol
from .record_format import AGREED, NOT_WORKED_OUT, Opened, judged, time_in_words
from .report import Line, line


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
            f" professional judgement: {judged(s.judgement[1], s.level is not None)}"
        )
        for s in opened.screenings
    ]
    now_judged = judged(None if chosen is None else chosen.label)
    history_lines.append(line(f"{when_now}: {result.level.label}; professional judgement: {now_judged}"))
    return comparison, history, {"since": since, "history": history_lines}
