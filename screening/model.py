"""The typed model of a screening protocol, and (from screening.assessment) of an assessment.

Loader, validator and engine all work on these frozen dataclasses, so a protocol that
has been loaded cannot change under the engine. Every protocol node keeps ``path``, the
place in the source data it was read from, so a validator can name the file and line.
What a screening gives the engine and gets back is in screening.assessment; its names are
importable from here too, so a caller needs one import for both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, TypeVar
from typing import Protocol as TypingProtocol

from .assessment import Answers as Answers
from .assessment import AnswerValue as AnswerValue
from .assessment import Assessment as Assessment
from .assessment import Choice as Choice
from .assessment import Context as Context
from .assessment import FiredRule as FiredRule
from .assessment import Floor as Floor
from .assessment import Judgement as Judgement
from .assessment import Need as Need
from .assessment import Record as Record
from .assessment import Status as Status

Path = tuple[str | int, ...]
AnswerKind = Literal["yes_no", "choice"]


@dataclass(frozen=True)
class Setting:
    """A number a partnership chooses for itself, with the reason the protocol gives."""

    id: str
    value: int
    label: str
    why: str
    local: bool = True
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class Threshold:
    """A bound in a rule: a fixed number, or the value of a named setting."""

    value: int
    setting: str | None = None
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    description: str = ""
    source: str = ""
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class Option:
    """One answer a choice item offers; ``present`` says whether it counts as the item being there."""

    id: str
    label: str
    points: int = 0
    present: bool = False
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    group: str
    source: str
    hint: str = ""
    answer: AnswerKind = "yes_no"
    points: int = 1
    options: tuple[Option, ...] = ()
    default: str | None = None
    required: bool = False
    points_setting: str | None = None  # the setting ``points`` was read from, if any
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data

    def option(self, option_id: str) -> Option | None:
        for option in self.options:
            if option.id == option_id:
                return option
        return None


@dataclass(frozen=True)
class Level:
    id: str
    label: str
    description: str
    next_steps: tuple[str, ...]
    rank: int = 0
    speaks_of_earlier_levels: bool = False  # the source's description speaks of a child's earlier levels
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class ItemIs:
    """The item is present (or, for a choice item, answered with one of ``options``)."""

    item: str
    options: tuple[str, ...] | None = None
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class AnyOf:
    items: tuple[str, ...]
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class AnyIn:
    group: str
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class CountIn:
    """At least ``at_least`` items of ``group`` are present."""

    group: str
    at_least: Threshold
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class PointsIn:
    """The points of the present items of ``group`` add up to at least ``at_least``."""

    group: str
    at_least: Threshold
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class ScoreAtLeast:
    at_least: Threshold
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class AnyCondition:
    conditions: tuple[Condition, ...]
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


Condition = ItemIs | AnyOf | AnyIn | CountIn | PointsIn | ScoreAtLeast | AllOf | AnyCondition


@dataclass(frozen=True)
class Rule:
    """When ``when`` holds, the level is at least ``then``; ``notes`` are shown with the result."""

    id: str
    says: str
    when: Condition
    then: str | None = None
    notes: tuple[str, ...] = ()
    urgent: bool = False
    firm: bool = False  # a judgement below ``then`` needs explicit confirmation (the site's safeguard)
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class Band:
    """Scores from ``from_score`` upwards (to the next band) make at least ``level``."""

    from_score: int
    label: str
    level: str
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class Scoring:
    bands: tuple[Band, ...]
    source: str = ""
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class Guidance:
    """Text from the source shown beside the form, such as its "questions to ask yourself"."""

    title: str
    points: tuple[str, ...]
    source: str = ""
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data


@dataclass(frozen=True)
class Protocol:
    id: str
    title: str
    version: str
    source: str
    summary: str
    caveats: tuple[str, ...]
    settings: tuple[Setting, ...]
    groups: tuple[Group, ...]
    items: tuple[Item, ...]
    levels: tuple[Level, ...]
    rules: tuple[Rule, ...]
    scoring: Scoring | None = None
    guidance: tuple[Guidance, ...] = ()
    path: Path = field(default=(), compare=False, repr=False)  # where in the source data

    # Lookups by id go through indexes built once, so checking and scoring stay linear in size.
    def item(self, item_id: str) -> Item | None:
        return self._items_by_id.get(item_id)

    def level(self, level_id: str) -> Level | None:
        return self._levels_by_id.get(level_id)

    def group(self, group_id: str) -> Group | None:
        return self._groups_by_id.get(group_id)

    def setting(self, setting_id: str) -> Setting | None:
        return _by_id(self.settings, setting_id)

    def items_in(self, group_id: str) -> tuple[Item, ...]:
        return self._items_by_group.get(group_id, ())

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return _index(self.items)

    @cached_property
    def _levels_by_id(self) -> dict[str, Level]:
        return _index(self.levels)

    @cached_property
    def _groups_by_id(self) -> dict[str, Group]:
        return _index(self.groups)

    @cached_property
    def _items_by_group(self) -> dict[str, tuple[Item, ...]]:
        groups: dict[str, list[Item]] = {}
        for item in self.items:
            groups.setdefault(item.group, []).append(item)
        return {group: tuple(items) for group, items in groups.items()}


class _HasId(TypingProtocol):
    @property
    def id(self) -> str: ...


N = TypeVar("N", bound=_HasId)


def _index(nodes: tuple[N, ...]) -> dict[str, N]:
    """Nodes by id; where ids repeat (an invalid protocol), the first wins, as in a search."""
    index: dict[str, N] = {}
    for node in nodes:
        index.setdefault(node.id, node)
    return index


def _by_id(nodes: tuple[N, ...], node_id: str) -> N | None:
    for node in nodes:
        if node.id == node_id:
            return node
    return None
