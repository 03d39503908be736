"""The typed model of an assessment: what a screening gives the engine and what it gets back.

Kept apart from the protocol's model (screening.model) because it is a different thing: the
protocol is loaded once and never changes, while these are made for each screening, from
the request (the answers, the practitioner's choice, the record) and by the engine (the
result and the judgement). The protocol's types are needed only as annotations here, so
screening.model can offer these names too without the two importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .model import Band, Level

AnswerValue = bool | str


@dataclass(frozen=True)
class FiredRule:
    """A rule that held, with the items whose answers made it hold."""

    rule: str
    says: str
    items: tuple[str, ...]
    level: str | None
    notes: tuple[str, ...] = ()
    urgent: bool = False
    firm: bool = False  # declared ``firm: true`` in the protocol: see screening.judgement


Status = Literal["agrees", "stands", "incomplete"]
Need = Literal["reason", "confirmation"]


@dataclass(frozen=True)
class Record:
    """Who and what a screening is about, as the practitioner gives them (all optional)."""

    child: str = ""
    practitioner: str = ""
    agency: str = ""


@dataclass(frozen=True)
class Choice:
    """What the practitioner chose: ``level`` None means they agree with the level from the answers."""

    level: str | None = None
    reason: str = ""
    confirmed: bool = False


@dataclass(frozen=True)
class Floor:
    """The highest level a firm rule that held gives, and the firm rules that give it."""

    level: Level
    rules: tuple[str, ...]
    says: tuple[str, ...]


@dataclass(frozen=True)
class Judgement:
    """The practitioner's choice, read against the level from the answers and the floor."""

    level: Level | None  # the level chosen when it differs; None when agreeing
    differs: bool
    below: bool  # differs, and lower than the floor
    reason: str
    confirmed: bool
    status: Status
    needs: tuple[Need, ...]
    floor: Floor | None


@dataclass(frozen=True)
class Context:
    """What a request gives besides the answers: the views word it, the engine checks the judgement."""

    seen: tuple[tuple[str, str], ...] = ()  # item id -> what was seen and when
    strengths: str = ""
    judgement: Choice = field(default_factory=Choice)
    record: Record = field(default_factory=Record)

    def seen_for(self, item_id: str) -> str:
        return dict(self.seen).get(item_id, "")


@dataclass(frozen=True)
class Assessment:
    """One screening's result: everything any view shows comes from here (see screening.report)."""

    protocol: str
    title: str
    version: str
    level: Level
    scale: tuple[tuple[str, str], ...]  # every level's (id, label), lowest first, to place ``level`` in
    score: int | None
    band: Band | None
    fired: tuple[FiredRule, ...]
    present: tuple[str, ...]
    next_steps: tuple[str, ...]
    caveats: tuple[str, ...]
    urgent_notes: tuple[str, ...]  # notes of urgent rules: act on them now
    notes: tuple[str, ...]  # every other note, none repeated
    urgent: bool
    labels: tuple[tuple[str, str], ...] = ()  # item id -> the answer as the form words it
    choices: tuple[tuple[str, str, str | None], ...] = ()  # each choice item: (id, question, option label or None)
    context: Context = field(default_factory=Context)
    judgement: Judgement | None = None  # None only for an Assessment built without the engine

    def label(self, item_id: str) -> str:
        return dict(self.labels).get(item_id, item_id)


Answers = Mapping[str, AnswerValue]
