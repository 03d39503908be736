"""The professional judgement of a level, checked against the site's safeguard.

Pure and typed: given the level the answers give, the firm rules that held and what the
practitioner chose, say whether the judgement agrees, stands, or is incomplete and what it
still needs. A firm rule (``firm: true`` in the protocol) sets a level that a judgement may
go below only with explicit confirmation; nothing here looks at a rule's id.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import RequestError
from .model import Choice, FiredRule, Floor, Judgement, Level, Need, Status

# What a judgement still needs, in the order it is asked for, and how the result says it.
NEEDS: dict[Need, str] = {
    "reason": "Give the reason for choosing a different level",
    "confirmation": "Confirm the lower level, or choose a level that is not lower",
}


def below_what(floor: Floor) -> str:
    """'X, which these rules give: ...' — the floor and the firm rules behind it, as one sentence."""
    which = "which this rule gives" if len(floor.rules) == 1 else "which these rules give"
    says = " ".join(s if s.endswith((".", "!", "?")) else f"{s}." for s in floor.says)
    return f"{floor.level.label}, {which}: {says}"


def confirm_why(judgement: Judgement) -> str:
    """Why the lower level needs confirmation; empty unless the choice is below the floor."""
    if not judgement.below or judgement.floor is None:
        return ""
    return (
        f"The level you chose is lower than {below_what(judgement.floor)}"
        " Going below it needs your explicit confirmation."
    )


def firm_floor(levels: Sequence[Level], fired: Sequence[FiredRule]) -> Floor | None:
    """The highest level given by a firm rule that held, or None when no firm rule held."""
    by_id = {level.id: level for level in levels}
    firm = [f for f in fired if f.firm and f.level is not None and f.level in by_id]
    if not firm:
        return None
    top = max((by_id[f.level] for f in firm if f.level is not None), key=lambda level: level.rank)
    giving = [f for f in firm if f.level == top.id]
    return Floor(top, tuple(f.rule for f in giving), tuple(f.says for f in giving))


def judge(levels: Sequence[Level], computed: Level, choice: Choice, fired: Sequence[FiredRule]) -> Judgement:
    """Whether ``choice`` agrees with ``computed``, stands, or still needs a reason or a confirmation.

    Raises :class:`RequestError` when the chosen level is not one of ``levels``.
    """
    lowest = firm_floor(levels, fired)
    chosen: Level | None = None
    if choice.level is not None and choice.level != computed.id:
        chosen = next((level for level in levels if level.id == choice.level), None)
        if chosen is None:
            ids = ", ".join(level.id for level in levels)
            raise RequestError("judgement.level", f"judgement.level '{choice.level}' is not a level (levels: {ids})")
    if chosen is None:
        return Judgement(None, False, False, choice.reason, choice.confirmed, "agrees", (), lowest)
    below = lowest is not None and chosen.rank < lowest.level.rank
    needs: list[Need] = []
    if not choice.reason:
        needs.append("reason")
    if below and not choice.confirmed:
        needs.append("confirmation")
    status: Status = "incomplete" if needs else "stands"
    return Judgement(chosen, True, below, choice.reason, choice.confirmed, status, tuple(needs), lowest)
