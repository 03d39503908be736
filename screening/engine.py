"""Score one screening: pure computation on the model, no I/O.

Every rule can only raise the level ("at least level X when ..."), and no condition can
be made false by another item becoming present, so answering one more item present
never lowers the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .errors import AnswerError, AnswerTypeError, MissingAnswerError, Problem, ProtocolError, UnknownItemError
from .judgement import judge
from .model import (
    AllOf,
    AnyIn,
    AnyOf,
    Assessment,
    Band,
    Condition,
    Context,
    CountIn,
    FiredRule,
    Item,
    ItemIs,
    PointsIn,
    Protocol,
    ScoreAtLeast,
)


@dataclass(frozen=True)
class _State:
    """One item's answer, resolved."""

    present: bool
    points: int
    option: str | None


def read_answers(protocol: Protocol, answers: object) -> dict[str, _State]:
    """Check ``answers`` against the protocol and resolve every item; raise AnswerError on bad input."""
    if not isinstance(answers, Mapping):
        raise AnswerError("", f"answers must be a mapping of item ids to answers, not {type(answers).__name__}")
    for key in answers:
        if not isinstance(key, str) or protocol.item(key) is None:
            raise UnknownItemError(str(key), f"'{key}' is not an item of protocol '{protocol.id}'")
    states: dict[str, _State] = {}
    for item in protocol.items:
        states[item.id] = _resolve(item, answers.get(item.id), item.id in answers)
    return states


def _resolve(item: Item, value: object, given: bool) -> _State:
    if not given or value is None:
        if item.required:
            raise MissingAnswerError(item.id, f"item '{item.id}' must be answered")
        if item.answer == "choice" and item.default is not None:
            value = item.default
        else:
            return _State(False, 0, None)
    if item.answer == "yes_no":
        if not isinstance(value, bool):
            raise AnswerTypeError(item.id, f"item '{item.id}' takes true or false, not {value!r}")
        return _State(value, item.points if value else 0, None)
    if not isinstance(value, str):
        raise AnswerTypeError(item.id, f"item '{item.id}' takes one of its option ids, not {value!r}")
    option = item.option(value)
    if option is None:
        choices = ", ".join(o.id for o in item.options)
        raise AnswerTypeError(item.id, f"'{value}' is not an option of item '{item.id}' (options: {choices})")
    return _State(option.present, option.points, option.id)


def assess(protocol: Protocol, answers: Mapping[str, object], context: Context | None = None) -> Assessment:
    """The level, score, reasons and next steps for one set of answers.

    ``context`` is the rest of a request (see screening.request): what was seen and when,
    strengths, the record, and the practitioner's judgement, which is checked here.
    """
    if not isinstance(protocol, Protocol):
        hint = " (read it with load_protocol first)" if isinstance(protocol, (str, Mapping)) else ""
        raise ProtocolError([Problem(f"assess needs a Protocol, not {type(protocol).__name__}{hint}")])
    context = context if context is not None else Context()
    states = read_answers(protocol, answers)
    for item_id, _ in context.seen:
        if protocol.item(item_id) is None:
            raise UnknownItemError(item_id, f"seen: '{item_id}' is not an item of protocol '{protocol.id}'")
    present = tuple(i.id for i in protocol.items if states[i.id].present)
    score = sum(s.points for s in states.values()) if protocol.scoring is not None else None

    fired: list[FiredRule] = []
    for rule in protocol.rules:
        holds, items = _evaluate(rule.when, protocol, states, score)
        if holds:
            fired.append(FiredRule(rule.id, rule.says, items, rule.then, rule.notes, rule.urgent, rule.firm))

    band: Band | None = None
    if protocol.scoring is not None and score is not None:
        for candidate in protocol.scoring.bands:
            if score >= candidate.from_score:
                band = candidate
        if band is not None:
            scored = tuple(i.id for i in protocol.items if states[i.id].points > 0)
            fired.append(FiredRule("score", f"The score is {score}, in the band '{band.label}'.", scored, band.level))

    level = protocol.levels[0]
    for f in fired:
        if f.level is not None:
            candidate_level = protocol.level(f.level)
            if candidate_level is not None and candidate_level.rank > level.rank:
                level = candidate_level

    fired.sort(key=lambda f: (not f.urgent, -_rank(protocol, f.level)))
    urgent_notes: list[str] = []
    notes: list[str] = []
    for f in fired:
        target = urgent_notes if f.urgent else notes
        target.extend(n for n in f.notes if n not in urgent_notes and n not in notes)
    named = {i for f in fired for i in f.items} | set(present)
    judgement = judge(protocol.levels, level, context.judgement, fired)
    return Assessment(
        protocol=protocol.id,
        title=protocol.title,
        version=protocol.version,
        level=level,
        scale=tuple((lv.id, lv.label) for lv in protocol.levels),
        score=score,
        band=band,
        fired=tuple(fired),
        present=present,
        next_steps=level.next_steps,
        caveats=protocol.caveats,
        urgent_notes=tuple(urgent_notes),
        notes=tuple(notes),
        urgent=any(f.urgent for f in fired),
        labels=tuple((i.id, _label(i, states[i.id])) for i in protocol.items if i.id in named),
        choices=tuple((i.id, i.text, _option_label(i, states[i.id])) for i in protocol.items if i.answer == "choice"),
        context=context,
        judgement=judgement,
    )


def _label(item: Item, state: _State) -> str:
    """The answer as the form words it: the item's text, with the option chosen for a choice item."""
    option = item.option(state.option) if state.option is not None else None
    return f"{item.text}: {option.label}" if option is not None else item.text


def _option_label(item: Item, state: _State) -> str | None:
    option = item.option(state.option) if state.option is not None else None
    return option.label if option is not None else None


def _rank(protocol: Protocol, level_id: str | None) -> int:
    level = protocol.level(level_id) if level_id is not None else None
    return level.rank if level is not None else -1


def _evaluate(
    cond: Condition, protocol: Protocol, states: Mapping[str, _State], score: int | None
) -> tuple[bool, tuple[str, ...]]:
    """Whether ``cond`` holds, and the present items that make it hold."""
    if isinstance(cond, ItemIs):
        state = states[cond.item]
        holds = state.present if cond.options is None else state.option in cond.options
        return holds, (cond.item,) if holds else ()
    if isinstance(cond, AnyOf):
        any_present = tuple(i for i in cond.items if states[i].present)
        return bool(any_present), any_present
    if isinstance(cond, (AnyIn, CountIn, PointsIn)):
        in_group = tuple(i.id for i in protocol.items_in(cond.group) if states[i.id].present)
        if isinstance(cond, AnyIn):
            return bool(in_group), in_group
        if isinstance(cond, CountIn):
            return len(in_group) >= cond.at_least.value, in_group
        points = sum(states[i].points for i in in_group)
        return points >= cond.at_least.value, in_group
    if isinstance(cond, ScoreAtLeast):
        holds = score is not None and score >= cond.at_least.value
        return holds, tuple(i.id for i in protocol.items if states[i.id].points > 0) if holds else ()
    results = [_evaluate(part, protocol, states, score) for part in cond.conditions]
    holds = all(h for h, _ in results) if isinstance(cond, AllOf) else any(h for h, _ in results)
    items: list[str] = []
    if holds:
        for h, its in results:
            if h:
                items.extend(i for i in its if i not in items)
    return holds, tuple(items)
