"""The result as every view shows it: the JSON contract, and the same facts as worded sections.

The page, its printed and downloaded summaries, the case-study pages and the command line
all render from :func:`result_json`; none of them works anything out again. ``report`` in
that JSON is the result in words, section by section, so all of them also say it alike.
"""

from __future__ import annotations

from typing import Any

from .model import Assessment

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


def why_lines(result: Assessment) -> list[str]:
    """Each rule that held, with the answers behind it."""
    lines = []
    for fired in result.fired:
        labels = "; ".join(result.label(i) for i in fired.items)
        lines.append(f"{fired.says} ({labels})" if labels else fired.says)
    return lines or [NO_RULE]


def band_reason(result: Assessment) -> dict[str, Any] | None:
    """For a scored protocol: the band as the level's reason, and whether a rule lifted the level above it.

    A scored result has one level; the band is one reason for it. When a rule gives a higher
    level than the band, the page and summaries say so in these words.
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
    ranks = {level_id: rank for rank, (level_id, _) in enumerate(result.scale)}
    firm = [f for f in result.fired if f.firm and f.level is not None and f.level in ranks]
    if not firm:
        return None
    top = max((f.level for f in firm if f.level is not None), key=lambda level: ranks[level])
    giving = [f for f in firm if f.level == top]
    return {
        "level": top,
        "label": dict(result.scale)[top],
        "rank": ranks[top],
        "rules": [f.rule for f in giving],
        "says": [f.says for f in giving],
    }


def sections(result: Assessment) -> list[dict[str, Any]]:
    """The result in words, in the order every view uses; "Act now" first when anything is urgent."""
    out: list[dict[str, Any]] = []
    if result.urgent_notes:
        out.append({"heading": "Act now", "lines": list(result.urgent_notes)})
    out.append({"heading": "Level from the answers", "lines": [f"{result.level.label} ({position(result)})"]})
    out.append({"heading": "Why", "lines": why_lines(result)})
    out.append({"heading": "Answers present", "lines": [result.label(i) for i in result.present] or ["None"]})
    out.append({"heading": "What to do next", "lines": list(result.next_steps)})
    if result.notes:
        out.append({"heading": "Notes", "lines": list(result.notes)})
    if result.caveats:
        out.append({"heading": "Remember", "lines": list(result.caveats)})
    return out


def result_json(result: Assessment) -> dict[str, Any]:
    """The stable JSON shape of a result (the README's command-line section describes it)."""
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
        "report": sections(result),
    }
