"""The shape of a protocol file, written once.

Reading (:mod:`screening.reading`), dumping (:mod:`screening.dumping`) and the JSON Schema
that editors use (:mod:`screening_cli.json_schema`) all walk these declarations, so a key
added here is read, written back and completed in an editor without another edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# Ids of protocols, groups, items, levels, rules and case studies: safe in URLs and HTML ids.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

Kind = Literal[
    "id",  # non-empty text matching ID_PATTERN (the pattern is checked with the cross-checks)
    "text",  # non-empty text when required; optional text may be empty
    "integer",
    "boolean",
    "texts",  # a list of non-empty text; at least one entry when required
    "enum",  # one of ``choices``
    "threshold",  # a whole number, or {setting: NAME}
    "node",  # a mapping read with the node spec ``node``
    "nodes",  # a list of ``node``; at least one entry when required
    "named",  # a mapping of names to ``node`` (the name becomes the node's id)
    "condition",  # a rule's condition (see CONDITIONS)
    "answers",  # a mapping of item ids to true/false or an option id
]


@dataclass(frozen=True)
class Field:
    key: str
    kind: Kind
    doc: str
    required: bool = True
    default: object = None
    node: str = ""
    choices: tuple[str, ...] = ()
    attr: str = ""  # the model attribute, when it is not the key
    only_when: tuple[str, str] | None = None  # (key, value): allowed only when that key has that value
    needed_when: tuple[str, str] | None = None  # (key, value): required when that key has that value
    why_only: str = ""  # said when the key is used where it is not allowed

    @property
    def name(self) -> str:
        return self.attr or self.key


@dataclass(frozen=True)
class Node:
    """One kind of mapping in a file: ``what`` names it in messages ("an item")."""

    what: str
    doc: str
    fields: tuple[Field, ...]
    noun: str = ""  # for an entry of a named mapping: "setting 'many'"

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)

    @property
    def keys(self) -> tuple[str, ...]:
        """Required keys first, then optional ones, each in declared order (as messages list them)."""
        return tuple(f.key for f in self.fields if f.required) + tuple(f.key for f in self.fields if not f.required)


def _text(key: str, doc: str, required: bool = True) -> Field:
    return Field(key, "text", doc, required, "" if not required else None)


NODES: dict[str, Node] = {
    "protocol": Node(
        "the protocol",
        "A screening protocol: its items, levels and the rules from answers to a level.",
        (
            Field("id", "id", "The protocol's id; the file must be called ID.yaml."),
            _text("title", "The protocol's name as pages show it."),
            _text("version", "The protocol's version, as text (put it in quotes)."),
            _text("source", "The document the protocol comes from."),
            _text("summary", "One paragraph shown at the top of the screening page.", required=False),
            Field("caveats", "texts", "Points shown with every result.", False, ()),
            Field("settings", "named", "Numbers a partnership chooses for itself.", False, (), "setting"),
            Field("groups", "nodes", "Groups of items, in the order the form shows them.", node="group"),
            Field("items", "nodes", "The questions of the form.", node="item"),
            Field("levels", "nodes", "The levels, lowest first.", node="level"),
            Field("rules", "nodes", "Each rule raises the level when its condition holds.", node="rule"),
            Field("scoring", "node", "Points add up to a score whose band sets a level.", False, None, "scoring"),
            Field("guidance", "nodes", "Text from the source shown beside the form.", False, (), "guidance"),
        ),
    ),
    "setting": Node(
        "a setting",
        "A number the partnership chooses, with the reason.",
        (
            Field("value", "integer", "The number."),
            _text("label", "What the number is, in a few words."),
            _text("why", "Where the number comes from, or why it was chosen."),
            Field("local", "boolean", "True when this is a local choice, not the source's.", False, True),
        ),
        noun="setting",
    ),
    "group": Node(
        "a group",
        "A group of items, shown as one part of the form.",
        (
            Field("id", "id", "The group's id."),
            _text("label", "The group's heading."),
            _text("description", "A sentence shown under the heading.", required=False),
            _text("source", "Where in the source the group comes from.", required=False),
        ),
    ),
    "option": Node(
        "an option",
        "One answer a choice item offers.",
        (
            Field("id", "id", "The option's id (what an answer gives)."),
            _text("label", "The option as the form shows it."),
            Field("points", "integer", "Points this answer adds to the score.", False, 0),
            Field("present", "boolean", "True when this answer counts as the item being present.", False, False),
        ),
    ),
    "item": Node(
        "an item",
        "One question of the form.",
        (
            Field("id", "id", "The item's id (answers use it)."),
            _text("text", "The question or indicator as the form shows it."),
            Field("group", "text", "The id of the group it belongs to."),
            _text("source", "Where in the source the item comes from."),
            _text("hint", "Help shown under the item.", required=False),
            Field(
                "answer",
                "enum",
                "yes_no (a tick box) or choice (one of 'options').",
                False,
                "yes_no",
                choices=("yes_no", "choice"),
            ),
            Field(
                "points",
                "threshold",
                "Points the item adds to the score when ticked: a number or {setting: NAME}.",
                False,
                1,
                only_when=("answer", "yes_no"),
                why_only="a choice item gives points per option, not 'points'",
            ),
            Field(
                "options",
                "nodes",
                "The answers a choice item offers.",
                False,
                (),
                "option",
                only_when=("answer", "choice"),
                needed_when=("answer", "choice"),
            ),
            Field(
                "default", "text", "The option a choice item starts with.", False, None, only_when=("answer", "choice")
            ),
            Field("required", "boolean", "True when the item must be answered.", False, False),
        ),
    ),
    "level": Node(
        "a level",
        "One level of the scale; the list goes from lowest to highest.",
        (
            Field("id", "id", "The level's id (rules and bands name it)."),
            _text("label", "The level as results show it."),
            _text("description", "What the level means."),
            Field("next_steps", "texts", "What to do at this level.", attr="next_steps"),
            Field(
                "speaks_of_earlier_levels",
                "boolean",
                "True when the source's description of this level speaks of a child's earlier levels"
                " (for example a child formerly at higher levels of risk): when a review finds the level"
                " has fallen, the comparison quotes this description. Set it only where the source's"
                " wording does.",
                False,
                False,
            ),
        ),
    ),
    "rule": Node(
        "a rule",
        "When the condition holds, the level is at least 'then', and 'notes' are shown.",
        (
            Field("id", "id", "The rule's id."),
            _text("says", "The rule in plain words; {NAME} stands for a setting's value."),
            Field("when", "condition", "The condition."),
            Field("then", "text", "The id of the level the rule gives.", False, None),
            Field("notes", "texts", "Notes shown with the result when the rule holds.", False, ()),
            Field("urgent", "boolean", "True when the notes must be acted on now.", False, False),
            Field(
                "firm",
                "boolean",
                "A professional judgement may go below this rule's level only with explicit confirmation"
                " (the site's safeguard); every urgent rule must be firm.",
                False,
                False,
            ),
        ),
    ),
    "band": Node(
        "a band",
        "Scores from 'from' up to the next band make at least 'level'.",
        (
            Field("from", "integer", "The lowest score in the band.", attr="from_score"),
            _text("label", "The band's name."),
            Field("level", "text", "The id of the level the band gives."),
        ),
    ),
    "scoring": Node(
        "'scoring'",
        "How points add up to a score and the bands of scores.",
        (
            Field("bands", "nodes", "The bands, lowest first; the first starts from 0.", node="band"),
            _text("source", "Where the weights and bands come from.", required=False),
        ),
    ),
    "guidance": Node(
        "a guidance section",
        "Text from the source shown beside the form.",
        (
            _text("title", "The section's heading."),
            Field("points", "texts", "The section's points."),
            _text("source", "Where the text comes from.", required=False),
        ),
    ),
}

# A condition is a mapping with exactly one of these keys; the tuple lists its other keys.
CONDITIONS: dict[str, tuple[str, str, tuple[Field, ...]]] = {
    "item": (
        "item",
        "The item is present, or answered with one of the options in 'is'/'in'.",
        (
            Field("is", "text", "The option the item must be answered with.", False),
            Field("in", "texts", "Options the item may be answered with.", False),
        ),
    ),
    "any_of": ("items", "Any of these items is present.", ()),
    "any_in": ("group", "Any item of this group is present.", ()),
    "count_in": (
        "group",
        "At least 'at_least' items of this group are present.",
        (Field("at_least", "threshold", "How many: a number or {setting: NAME}."),),
    ),
    "points_in": (
        "group",
        "The present items of this group give at least 'at_least' points.",
        (Field("at_least", "threshold", "How many points: a number or {setting: NAME}."),),
    ),
    "score_at_least": ("threshold", "The score is at least this: a number or {setting: NAME}.", ()),
    "all": ("conditions", "Every one of these conditions holds.", ()),
    "any": ("conditions", "At least one of these conditions holds.", ()),
}
CONDITION_KINDS = tuple(CONDITIONS)
