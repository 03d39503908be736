"""The engine's JSON contract, declared once: the request, the result and the reply envelope.

``python -m build_scripts.json_schemas`` writes ``schemas/request.schema.json``,
``schemas/result.schema.json`` and the TypeScript declarations ``schemas/contract.d.ts``
from these declarations (see :mod:`screening_cli.contract_files`), and a test fails while
the committed files differ. Only a few kinds are needed: objects (every key listed, no
others), arrays, maps of text keys, text (maybe one of a few values), whole numbers,
true/false, a constant, nullable values and a union.
"""

from __future__ import annotations

from dataclasses import dataclass

from .report import SECTION_IDS


@dataclass(frozen=True)
class Text:
    choices: tuple[str, ...] = ()  # when given, the text is one of these


@dataclass(frozen=True)
class Integer:
    pass


@dataclass(frozen=True)
class Boolean:
    pass


@dataclass(frozen=True)
class Const:
    value: bool


@dataclass(frozen=True)
class Nullable:
    of: Spec


@dataclass(frozen=True)
class Array:
    of: Spec


@dataclass(frozen=True)
class Map:
    """An object whose keys are free text (item ids), each with a value of one kind."""

    of: Spec


@dataclass(frozen=True)
class Union:
    of: tuple[Spec, ...]


@dataclass(frozen=True)
class Key:
    name: str
    spec: Spec
    doc: str = ""
    required: bool = True


@dataclass(frozen=True)
class Object:
    keys: tuple[Key, ...]
    doc: str = ""


Spec = Text | Integer | Boolean | Const | Nullable | Array | Map | Union | Object


def key_names(spec: Object) -> tuple[str, ...]:
    return tuple(key.name for key in spec.keys)


TEXT = Text()
TEXTS = Array(TEXT)

ERROR_TYPES = (
    "RequestError",
    "ProtocolError",
    "AnswerError",
    "UnknownItemError",
    "AnswerTypeError",
    "MissingAnswerError",
    "RecordError",
)

CHOICE = Object(
    (
        Key(
            "level",
            Nullable(TEXT),
            "The level the practitioner chooses; null, left out or the level from the answers agrees.",
            required=False,
        ),
        Key("reason", TEXT, "Why a different level was chosen.", required=False),
        Key("confirmed", Boolean(), "The practitioner confirms a level below a firm rule's.", required=False),
    )
)
RECORD = Object(
    (
        Key("child", TEXT, "The child's reference.", required=False),
        Key("practitioner", TEXT, "Who completed the screening.", required=False),
        Key("agency", TEXT, "Their agency.", required=False),
    )
)
REQUEST = Object(
    (
        Key(
            "answers",
            Map(Nullable(Union((Boolean(), TEXT)))),
            "Item id -> true/false (a yes/no item) or an option id (a choice item); null or left out is no answer.",
        ),
        Key("seen", Map(TEXT), "Item id -> what was seen and when, free text.", required=False),
        Key("strengths", TEXT, "Strengths and protective factors, free text.", required=False),
        Key("judgement", CHOICE, "The practitioner's professional judgement of the level.", required=False),
        Key("record", RECORD, "Who and what the screening is about, for the record.", required=False),
        Key(
            "previous",
            TEXT,
            "The whole text of a saved screening record: the result then compares with its latest screening.",
            required=False,
        ),
    ),
    "A request to the engine: only 'answers' is required; text is trimmed.",
)

_ITEM = Object((Key("id", TEXT), Key("label", TEXT, "The answer as the form words it.")))
_LEVEL_REF = Object(
    (
        Key("id", TEXT),
        Key("label", TEXT),
        Key("rank", Nullable(Integer()), "0 is the lowest; null when the protocol no longer has the level."),
    )
)
_CHOSEN = Object(
    (
        Key("level", Nullable(TEXT), "The level chosen; null when the practitioner agreed."),
        Key("label", Nullable(TEXT)),
    )
)

COMPARISON = Object(
    (
        Key(
            "then",
            Object(
                (
                    Key("saved", TEXT, "When the last screening was saved (ISO 8601, UTC)."),
                    Key(
                        "level",
                        Nullable(_LEVEL_REF),
                        "The level from its answers; null when it was not worked out on the device that saved it.",
                    ),
                    Key("judgement", _CHOSEN),
                    Key("reason", TEXT, "The reason given for its judgement, if any."),
                )
            ),
        ),
        Key("now", Object((Key("level", _LEVEL_REF),))),
        Key(
            "direction",
            Text(("rose", "fell", "same", "unknown")),
            "'unknown' when the level then was not worked out.",
        ),
        Key("new", Array(_ITEM), "Present now, not then."),
        Key("gone", Array(_ITEM), "Present then, not now."),
        Key("still", Array(_ITEM), "Present then and now."),
        Key(
            "earlier_levels",
            Array(Object((Key("id", TEXT), Key("label", TEXT), Key("description", TEXT)))),
            "Where the level fell: each level below the level then whose description speaks of a child's"
            " earlier levels (speaks_of_earlier_levels in the protocol), quoted from the source.",
        ),
        Key(
            "set_aside",
            Array(Object((Key("item", TEXT), Key("says", TEXT)))),
            "Answers of the last screening that this version of the protocol no longer has, in words.",
        ),
    )
)

HISTORY = Array(
    Object(
        (
            Key("saved", Nullable(TEXT), "When it was saved; null for the screening now, not saved yet."),
            Key("level", Nullable(_LEVEL_REF), "Null when the level was not worked out on the device that saved it."),
            Key("judgement_label", Nullable(TEXT), "The level by professional judgement, when it differed."),
        )
    )
)
_LINE = Object(
    (
        Key("text", TEXT),
        Key("items", TEXTS, "Sub-points of the line (the answers behind a rule, what was seen and when)."),
    )
)

RESULT = Object(
    (
        Key("protocol", TEXT, "The protocol's id."),
        Key("title", TEXT),
        Key("version", TEXT),
        Key(
            "level",
            Object(
                (
                    Key("id", TEXT),
                    Key("label", TEXT),
                    Key("rank", Integer(), "0 is the lowest."),
                    Key("of", Integer(), "How many levels the protocol has."),
                    Key("place", Text(("lowest", "lower", "higher", "highest")), "Where the level sits in its scale."),
                    Key("position", TEXT, 'The place in words: "level 2 of 4".'),
                )
            ),
            "The level from the answers.",
        ),
        Key(
            "score",
            Nullable(Object((Key("value", Integer()), Key("band", Nullable(TEXT)), Key("from", Nullable(Integer()))))),
            "Null unless the protocol scores.",
        ),
        Key(
            "band_reason",
            Nullable(
                Object(
                    (
                        Key("band", TEXT),
                        Key("level", TEXT, "The level the band gives."),
                        Key("lifted", Boolean(), "A rule lifts the level above the band."),
                        Key("says", TEXT),
                    )
                )
            ),
            "Null unless the protocol scores: the band as the level's reason.",
        ),
        Key(
            "confirm_below",
            Nullable(
                Object(
                    (
                        Key("level", TEXT),
                        Key("label", TEXT),
                        Key("rank", Integer()),
                        Key("rules", TEXTS, "The firm rules that give the level."),
                        Key("says", TEXTS, "What those rules say."),
                    )
                )
            ),
            "The highest level a firm rule that held gives: a judgement below it needs explicit confirmation.",
        ),
        Key(
            "judgement",
            Object(
                (
                    Key("level", Nullable(TEXT), "The level chosen; null when agreeing."),
                    Key("label", Nullable(TEXT)),
                    Key("differs", Boolean(), "A level other than the one from the answers was chosen."),
                    Key("below", Boolean(), "It differs and is lower than confirm_below."),
                    Key("reason", TEXT),
                    Key("confirmed", Boolean()),
                    Key("status", Text(("agrees", "stands", "incomplete"))),
                    Key(
                        "needs",
                        Array(Object((Key("field", Text(("reason", "confirmation"))), Key("says", TEXT)))),
                        "What the judgement still needs, in order; empty unless incomplete.",
                    ),
                    Key("confirm_why", TEXT, "Why the lower level needs confirmation; empty unless below."),
                )
            ),
            "The professional judgement, checked by the engine.",
        ),
        Key(
            "fired",
            Array(
                Object(
                    (
                        Key("rule", TEXT, "The rule's id ('score' for the score's band)."),
                        Key("says", TEXT),
                        Key("items", Array(_ITEM), "The answers that made the rule hold."),
                        Key("level", Nullable(TEXT)),
                        Key("urgent", Boolean()),
                        Key("firm", Boolean(), "Declared firm: true in the protocol."),
                    )
                )
            ),
            "Each rule that held, urgent ones first.",
        ),
        Key("present", Array(_ITEM), "The answers present."),
        Key("scale", Array(Object((Key("id", TEXT), Key("label", TEXT)))), "Every level, lowest first."),
        Key("urgent", Boolean()),
        Key("urgent_notes", TEXTS, "Notes to act on now."),
        Key("notes", TEXTS),
        Key("next_steps", TEXTS),
        Key("caveats", TEXTS),
        Key(
            "comparison",
            Nullable(COMPARISON),
            "Null unless the request carried a previous record: what changed since its latest screening.",
        ),
        Key(
            "history",
            Nullable(HISTORY),
            "Null unless the request carried a previous record: every screening, oldest first, this one last.",
        ),
        Key(
            "report",
            Array(
                Object(
                    (
                        Key("id", Text(SECTION_IDS)),
                        Key("heading", TEXT),
                        Key("lines", Array(_LINE)),
                    )
                )
            ),
            "The whole result in words, section by section: every view renders it as it is.",
        ),
    ),
    "The result of one screening.",
)

ERROR = Union(
    (
        Object(
            (
                Key("type", Text(tuple(t for t in ERROR_TYPES if t != "RecordError"))),
                Key("message", TEXT, "One line that can be shown as it is."),
                Key("item", Nullable(TEXT), "The item the page should point at, if any."),
            )
        ),
        Object(
            (
                Key("type", Text(("RecordError",))),
                Key("message", TEXT, "What is wrong with the saved record, to be shown as it is."),
                Key(
                    "protocol",
                    Nullable(TEXT),
                    "The id of the protocol the record belongs to, when it is another protocol's record.",
                ),
            )
        ),
    )
)
FAILED = Object((Key("ok", Const(False)), Key("error", ERROR)))

REPLY = Union((Object((Key("ok", Const(True)), Key("result", RESULT))), FAILED))

# The saved screening record (screening.record): the JSON between the file's markers.
SCREENING_REQUEST = Object(tuple(key for key in REQUEST.keys if key.name != "previous"), REQUEST.doc)
SAVED_SCREENING = Object(
    (
        Key("saved", TEXT, "When it was saved, as the page gave it: ISO 8601 in UTC (2026-12-07T18:00:00Z)."),
        Key("protocol_version", TEXT, "The version of the protocol it was made with."),
        Key("request", SCREENING_REQUEST, "The request as it was sent: answers, seen, strengths, judgement, record."),
        Key(
            "answers_in_words",
            Array(Object((Key("item", TEXT), Key("text", TEXT, "The answer as the form worded it.")))),
            "Every answer given (present, or a choice), so an answer to an item that is later removed can be named.",
        ),
        Key(
            "level",
            Nullable(Object((Key("id", TEXT), Key("label", TEXT)))),
            "The level from the answers; null when it was not worked out on the device that saved it (the page"
            " saved the answers without the engine, and the file says so in words).",
        ),
        Key(
            "judgement",
            _CHOSEN,
            "The level by professional judgement, when it differed; with no level worked out, the level chosen.",
        ),
    )
)
RECORD_DATA = Object(
    (
        Key("format", Text(("cse-screening-record",))),
        Key("format_version", Integer(), "1; a later site that changes the format raises it."),
        Key("site", Object((Key("name", TEXT), Key("url", TEXT))), "The site that made the file."),
        Key(
            "protocol",
            Object((Key("id", TEXT), Key("title", TEXT), Key("version", TEXT))),
            "The protocol, as it was when the file was last saved.",
        ),
        Key("screenings", Array(SAVED_SCREENING), "Every screening of the child, oldest first; at least one."),
    ),
    "A saved screening record: the data between the file's BEGIN and END SCREENING DATA markers.",
)

OPENED = Object(
    (
        Key("request", SCREENING_REQUEST, "The latest screening's request, restored for the protocol as it is now."),
        Key(
            "set_aside",
            Array(Object((Key("item", TEXT), Key("says", TEXT)))),
            "Answers this version of the protocol no longer has, each in words; empty unless the version changed.",
        ),
        Key("saved", TEXT, "When the latest screening was saved."),
        Key("screenings", Integer(), "How many screenings the file holds."),
        Key("protocol_version", TEXT, "The protocol version the latest screening was made with."),
    )
)
OPEN_REPLY = Union((Object((Key("ok", Const(True)), Key("opened", OPENED))), FAILED))
SAVED_FILE = Object(
    (
        Key("name", TEXT, "A file name: protocol id, date and the child's reference when given."),
        Key("text", TEXT, "The whole file."),
    )
)
SAVE_REPLY = Union((Object((Key("ok", Const(True)), Key("file", SAVED_FILE))), FAILED))
