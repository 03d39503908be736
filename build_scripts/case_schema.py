"""The shape of a case-study file, in the same schema language as protocol files.

The build reads case studies by walking this (:mod:`screening.reading`), and the JSON
Schema in schemas/case-study.schema.json is written from it.
"""

from __future__ import annotations

from screening.schema import Field, Node

CASE_NODES: dict[str, Node] = {
    "case": Node(
        "a case study",
        "A made-up case for training, with each protocol's answers and the level trainers expect.",
        (
            Field("id", "id", "The case's id; the file must be called ID.yaml."),
            Field("title", "text", "The case's title."),
            Field("summary", "text", "One sentence for the library's list."),
            Field("age", "integer", "The child's age, under 18."),
            Field("story", "text", "The story, in paragraphs."),
            Field("discussion", "texts", "Questions for discussion."),
            Field("facilitator_notes", "texts", "Notes for the trainer."),
            Field("read", "nodes", "Chapters to read before the session.", node="reading"),
            Field("answers", "named", "For every protocol: the answers and the expected level.", node="answers"),
        ),
    ),
    "reading": Node(
        "a reading",
        "A page of this site to read.",
        (
            Field("title", "text", "The link's text."),
            Field("page", "text", "The page under docs/, with an optional #anchor."),
        ),
    ),
    "answers": Node(
        "a protocol's answers",
        "The answers a practitioner would give in one protocol's form, and the level trainers expect.",
        (
            Field("answers", "answers", "Item ids mapped to true, false or an option id."),
            Field("level", "text", "The id of the level the trainers expect."),
        ),
        noun="protocol",
    ),
}
