"""Cross-checks on a protocol whose shape is right: ids, references, reachability.

Each problem keeps the path of the node it is about, so the build can turn it into
``protocols/NAME.yaml:LINE: message``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from .errors import Problem
from .model import (
    AllOf,
    AnyCondition,
    AnyIn,
    AnyOf,
    Condition,
    CountIn,
    ItemIs,
    PointsIn,
    Protocol,
    ScoreAtLeast,
    Threshold,
)
from .schema import ID_PATTERN


def check_protocol(protocol: Protocol) -> list[Problem]:
    """Every cross-reference problem in ``protocol``; an empty list when it is sound."""
    problems: list[Problem] = []

    def problem(path: tuple[str | int, ...], message: str) -> None:
        problems.append(Problem(message, path))

    if not ID_PATTERN.match(protocol.id):
        problem(("id",), f"protocol id '{protocol.id}' must be lower-case letters, digits, '-' or '_'")

    for what, nodes in (
        ("group", protocol.groups),
        ("item", protocol.items),
        ("level", protocol.levels),
        ("rule", protocol.rules),
    ):
        seen: set[str] = set()
        for node in nodes:
            if not ID_PATTERN.match(node.id):
                problem((*node.path, "id"), f"{what} id '{node.id}' must be lower-case letters, digits, '-' or '_'")
            if node.id in seen:
                problem((*node.path, "id"), f"duplicate {what} id '{node.id}'")
            seen.add(node.id)

    if len(protocol.levels) < 2:
        problem(("levels",), "a protocol needs at least two levels")

    group_ids = {g.id for g in protocol.groups}
    for item in protocol.items:
        if item.group not in group_ids:
            problem((*item.path, "group"), f"item '{item.id}' names group '{item.group}', which does not exist")
        if item.answer == "choice":
            option_ids = [o.id for o in item.options]
            if len(option_ids) < 2:
                problem((*item.path, "options"), f"choice item '{item.id}' needs at least two options")
            for option in item.options:
                if option_ids.count(option.id) > 1:
                    problem((*option.path, "id"), f"duplicate option id '{option.id}' in item '{item.id}'")
            if item.default is not None and item.default not in option_ids:
                problem((*item.path, "default"), f"default '{item.default}' is not an option of item '{item.id}'")
        if item.points < 0 or any(o.points < 0 for o in item.options):
            problem(item.path, f"item '{item.id}' has negative points; points may only add to a score")
    for group in protocol.groups:
        if not protocol.items_in(group.id):
            problem(group.path, f"group '{group.id}' has no items")

    level_ids = {lv.id for lv in protocol.levels}
    used_settings: set[str] = {i.points_setting for i in protocol.items if i.points_setting}
    reached: set[str] = set()
    for rule in protocol.rules:
        if rule.urgent and not rule.firm:
            problem(
                (*rule.path, "urgent"),
                f"rule '{rule.id}' is urgent, so it must also be 'firm: true'"
                " (a judgement below an urgent rule's level needs explicit confirmation)",
            )
        if rule.then is not None:
            if rule.then not in level_ids:
                problem((*rule.path, "then"), f"rule '{rule.id}' names level '{rule.then}', which does not exist")
            reached.add(rule.then)
        for cond in _walk(rule.when):
            for t in _thresholds(cond):
                if t.setting is not None:
                    used_settings.add(t.setting)
            problems.extend(_check_condition(protocol, rule.id, cond))

    if protocol.scoring is not None:
        bands = protocol.scoring.bands
        if bands and bands[0].from_score != 0:
            problem(bands[0].path, "the first band must start from 0, so that every score has a band")
        for before, after in itertools.pairwise(bands):
            if after.from_score <= before.from_score:
                problem((*after.path, "from"), f"band '{after.label}' must start above {before.from_score}")
            lb, la = protocol.level(before.level), protocol.level(after.level)
            if lb is not None and la is not None and la.rank < lb.rank:
                problem((*after.path, "level"), f"band '{after.label}' must not make a lower level than the band below")
        for band in bands:
            if band.level not in level_ids:
                problem((*band.path, "level"), f"band '{band.label}' names level '{band.level}', which does not exist")
            reached.add(band.level)
    elif any(isinstance(c, ScoreAtLeast) for rule in protocol.rules for c in _walk(rule.when)):
        problem(("rules",), "'score_at_least' needs a 'scoring' section")
    if protocol.scoring is not None:
        most = sum(max([i.points] + [o.points for o in i.options]) for i in protocol.items)
        for rule in protocol.rules:
            for cond in _walk(rule.when):
                if isinstance(cond, ScoreAtLeast):
                    bound = cond.at_least
                    named = f" (setting '{bound.setting}')" if bound.setting else ""
                    if bound.value < 1:
                        problem(
                            bound.path, f"rule '{rule.id}': score_at_least{named} must be 1 or more, not {bound.value}"
                        )
                    elif bound.value > most:
                        problem(
                            bound.path,
                            f"rule '{rule.id}': can never hold: score_at_least{named} is {bound.value}"
                            f" but the highest possible score is {most}",
                        )

    for level in protocol.levels[1:]:
        if level.id not in reached:
            problem(level.path, f"level '{level.id}' is unreachable: no rule or band leads to it")
    for setting in protocol.settings:
        if setting.id not in used_settings:
            problem(setting.path, f"setting '{setting.id}' is not used by any rule")
    return problems


def _walk(condition: Condition) -> Iterator[Condition]:
    yield condition
    if isinstance(condition, (AllOf, AnyCondition)):
        for part in condition.conditions:
            yield from _walk(part)


def _thresholds(condition: Condition) -> Iterable[Threshold]:
    if isinstance(condition, (CountIn, PointsIn, ScoreAtLeast)):
        yield condition.at_least


def _check_condition(protocol: Protocol, rule_id: str, cond: Condition) -> list[Problem]:
    out: list[Problem] = []

    def problem(path: tuple[str | int, ...], message: str) -> None:
        out.append(Problem(f"rule '{rule_id}': {message}", path))

    if isinstance(cond, ItemIs):
        item = protocol.item(cond.item)
        if item is None:
            problem((*cond.path, "item"), f"names item '{cond.item}', which does not exist")
        elif cond.options is not None:
            if item.answer != "choice":
                problem(cond.path, f"'is'/'in' need a choice item, and '{item.id}' is yes/no")
            for option in cond.options:
                if item.option(option) is None:
                    problem(cond.path, f"'{option}' is not an option of item '{item.id}'")
        elif item.answer == "choice" and not any(o.present for o in item.options):
            problem(cond.path, f"item '{item.id}' has no option that counts as present; use 'is' or 'in'")
    elif isinstance(cond, AnyOf):
        for item_id in cond.items:
            if protocol.item(item_id) is None:
                problem((*cond.path, "any_of"), f"names item '{item_id}', which does not exist")
    elif isinstance(cond, (AnyIn, CountIn, PointsIn)):
        if protocol.group(cond.group) is None:
            key = {AnyIn: "any_in", CountIn: "count_in", PointsIn: "points_in"}[type(cond)]
            problem((*cond.path, key), f"names group '{cond.group}', which does not exist")
        elif isinstance(cond, (CountIn, PointsIn)):
            items = protocol.items_in(cond.group)
            if isinstance(cond, CountIn):
                most = len(items)
                unit = "items"
            else:
                most = sum(max([i.points] + [o.points for o in i.options]) for i in items)
                unit = "points"
            bound = cond.at_least
            named = f" (setting '{bound.setting}')" if bound.setting else ""
            if bound.value < 1:
                problem(bound.path, f"at_least{named} must be 1 or more, not {bound.value}")
            elif bound.value > most:
                problem(
                    bound.path,
                    f"can never hold: at_least{named} is {bound.value} but group '{cond.group}' has {most} {unit}",
                )
    return out
