"""The result as every view shows it: the JSON contract, and the same facts as worded sections.

The page, its printed and downloaded summaries, the case-study pages and the command line
all render from :func:`result_json`; none of them works anything out again. ``report`` in
that JSON (:func:`report`) is the whole result in words, section by section with stable
ids, so all of them say it alike; the wording is here and nowhere else. :func:`report_text`
is its plain-text form.
"""

from __future__ import annotations

from typing import Any

from .judgement import NEEDS, below_what, confirm_why, judge
from .model import Assessment, Judgement, Level

NO_RULE = "No rule applies, so the level is the lowest."


def place(rank: int, levels: int) -> str:
    """Where a level sits in its protocol's own scale, so the top level always looks like the top.

    lowest, lower, higher or highest: colour and wording follow this, never the raw rank,
    because protocols have two to four levels.
    """
    if rank <= 0:
        return "lowest"
    if rank >= levels - 1:
        return "highest"
    return "lower" if rank / (levels - 1) < 0.5 else "higher"


def position(result: Assessment) -> str:
    """The level's place in words ("level 2 of 4"), for views without colour: print, text, a screen reader."""
    where = f"level {result.level.rank + 1} of {len(result.scale)}"
    if place(result.level.rank, len(result.scale)) in ("lowest", "highest"):
        where += f", the {place(result.level.rank, len(result.scale))}"
    return where


def _items(result: Assessment, ids: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"id": i, "label": result.label(i)} for i in ids]


def band_reason(result: Assessment) -> dict[str, Any] | None:
    """For a scored protocol: the band as the level's reason, and whether a rule lifted the level above it.

    A scored result has one level; the band is one reason for it. When a rule gives a higher
    level than the band, the report's ``level`` section says so in these words.
    """
    if result.score is None or result.band is None:
        return None
    ranks = {level_id: rank for rank, (level_id, _) in enumerate(result.scale)}
    labels = dict(result.scale)
    band_level = result.band.level
    lifted = ranks.get(band_level, 0) < result.level.rank
    says = (
        f"A rule lifts the level above the band: the score's band gives {labels.get(band_level, band_level)}, "
        f"and the level is {result.level.label}."
        if lifted
        else f"The level is the one the score's band gives: {labels.get(band_level, band_level)}."
    )
    return {"band": result.band.label, "level": band_level, "lifted": lifted, "says": says}


def confirm_below(result: Assessment) -> dict[str, Any] | None:
    """The highest level given by a firm rule that held (``firm: true`` in the protocol), if any.

    A professional judgement below this level needs an explicit confirmation. ``rules`` and
    ``says`` are the firm rules that give this level.
    """
    floor = _judgement(result).floor
    if floor is None:
        return None
    return {
        "level": floor.level.id,
        "label": floor.level.label,
        "rank": floor.level.rank,
        "rules": list(floor.rules),
        "says": list(floor.says),
    }


def _judgement(result: Assessment) -> Judgement:
    if result.judgement is not None:
        return result.judgement
    levels = tuple(Level(i, label, "", (), rank) for rank, (i, label) in enumerate(result.scale))
    return judge(levels, result.level, result.context.judgement, result.fired)


def judgement_json(result: Assessment) -> dict[str, Any]:
    """The professional judgement: whether it agrees, stands or is incomplete, and what it needs."""
    j = _judgement(result)
    return {
        "level": None if j.level is None else j.level.id,
        "label": None if j.level is None else j.level.label,
        "differs": j.differs,
        "below": j.below,
        "reason": j.reason,
        "confirmed": j.confirmed,
        "status": j.status,
        "needs": [{"field": need, "says": NEEDS[need]} for need in j.needs],
        "confirm_why": confirm_why(j),
    }


# The report's sections, in order: (id, heading). A view may style a section by its id, and
# never finds one by its heading.
SECTIONS = (
    ("act-now", "Act now"),
    ("level", "Level from the answers"),
    ("judgement", "Professional judgement"),
    ("since", "Since the last screening"),
    ("history", "Screenings of this child"),
    ("why", "Why"),
    ("present", "Answers present"),
    ("options", "Answers to the questions with options"),
    ("strengths", "Strengths and protective factors"),
    ("next-steps", "What to do next"),
    ("notes", "Notes"),
    ("caveats", "Remember"),
    ("record", "For the record"),
)
SECTION_IDS = tuple(section_id for section_id, _ in SECTIONS)

Line = dict[str, Any]  # {"text": TEXT, "items": [TEXT, ...]}


def line(text: str, items: list[str] | None = None) -> Line:
    return {"text": text, "items": items or []}


def _judgement_lines(result: Assessment) -> list[Line]:
    j = _judgement(result)
    if j.level is None:
        return [line("Agrees with the level from the answers")]
    lines = [
        line(f"Level by professional judgement: {j.level.label}"),
        line(f"Level from the answers: {result.level.label}"),
        line(f"Reason: {j.reason}" if j.reason else "Reason: not given"),
    ]
    if j.below and j.floor is not None:
        done = "The practitioner confirmed the lower level." if j.confirmed else "The lower level was not confirmed."
        lines.append(line(f"This is lower than {below_what(j.floor)} {done}"))
    return lines


def _present_lines(result: Assessment) -> list[Line]:
    lines = []
    for item_id in result.present:
        seen = result.context.seen_for(item_id)
        lines.append(line(result.label(item_id), [f"What was seen and when: {seen}"] if seen else []))
    return lines or [line("None")]


def report(result: Assessment, review: dict[str, list[Line]] | None = None) -> list[dict[str, Any]]:
    """The whole result in words, section by section, in the order every view shows it.

    Each section is ``{"id", "heading", "lines": [{"text", "items"}]}``; ``items`` are the
    sub-points of a line (the answers behind a rule, what was seen and when). ``review``
    holds the lines of the ``since`` and ``history`` sections when the request carried a
    saved record (see screening.record), which words them.
    """
    reason = band_reason(result)
    record = result.context.record
    lines: dict[str, list[Line]] = {
        "act-now": [line(note) for note in result.urgent_notes],
        "level": [line(f"{result.level.label} ({position(result)})")]
        + ([line(reason["says"])] if reason is not None else []),
        "judgement": _judgement_lines(result),
        "since": (review or {}).get("since", []),
        "history": (review or {}).get("history", []),
        "why": [line(f.says, [result.label(i) for i in f.items]) for f in result.fired] or [line(NO_RULE)],
        "present": _present_lines(result),
        "options": [line(f"{question}: {label or 'No answer'}") for _, question, label in result.choices],
        "strengths": [line(result.context.strengths or "None recorded")],
        "next-steps": [line(step) for step in result.next_steps],
        "notes": [line(note) for note in result.notes],
        "caveats": [line(caveat) for caveat in result.caveats],
        "record": [
            line(f"Child's reference: {record.child or 'not given'}"),
            line(f"Practitioner: {record.practitioner or 'not given'}"),
            line(f"Agency: {record.agency or 'not given'}"),
        ],
    }
    # Sections that are there only when they have something to say; the rest always are.
    return [
        {"id": section_id, "heading": heading, "lines": lines[section_id]}
        for section_id, heading in SECTIONS
        if lines[section_id]
    ]


def report_text(sections: list[dict[str, Any]]) -> str:
    """A report as plain text: each heading, its lines as "- text" and their items as "  - item"."""
    blocks = []
    for section in sections:
        rows = [section["heading"]]
        for line in section["lines"]:
            rows.append(f"- {line['text']}")
            rows.extend(f"  - {item}" for item in line["items"])
        blocks.append("\n".join(rows))
    return "\n\n".join(blocks) + "\n"


def result_json(
    result: Assessment,
    comparison: dict[str, Any] | None = None,
    history: list[dict[str, Any]] | None = None,
    review: dict[str, list[Line]] | None = None,
) -> dict[str, Any]:
    """The stable JSON shape of a result (the README's command-line section describes it).

    ``comparison``, ``history`` and the ``review`` sections come from screening.record when
    the request carried a saved record; otherwise the first two are null.
    """
    return {
        "protocol": result.protocol,
        "title": result.title,
        "version": result.version,
        "level": {
            "id": result.level.id,
            "label": result.level.label,
            "rank": result.level.rank,
            "of": len(result.scale),
            "place": place(result.level.rank, len(result.scale)),
            "position": position(result),
        },
        "score": None
        if result.score is None
        else {
            "value": result.score,
            "band": None if result.band is None else result.band.label,
            "from": None if result.band is None else result.band.from_score,
        },
        "band_reason": band_reason(result),
        "confirm_below": confirm_below(result),
        "judgement": judgement_json(result),
        "fired": [
            {
                "rule": f.rule,
                "says": f.says,
                "items": _items(result, f.items),
                "level": f.level,
                "urgent": f.urgent,
                "firm": f.firm,
            }
            for f in result.fired
        ],
        "present": _items(result, result.present),
        "scale": [{"id": level_id, "label": label} for level_id, label in result.scale],
        "urgent": result.urgent,
        "urgent_notes": list(result.urgent_notes),
        "notes": list(result.notes),
        "next_steps": list(result.next_steps),
        "caveats": list(result.caveats),
        "comparison": comparison,
        "history": history,
        "report": report(result, review),
    }
