"""The saved screening record: writing it, reading it back, and comparing a screening with it.

A record is one UTF-8 text file the practitioner keeps (the README's "The saved screening
record" describes it): words for people at the top, then one JSON object between
:data:`BEGIN` and :data:`END`, declared as ``RECORD_DATA`` in screening.contract. Only the
JSON is read back. Text in, text out: no I/O here; screening.json_api wraps these in the
JSON envelope for the page and the command line.

This module is the one place callers import the record's names from; the work is split by
role: the format and its messages (record_format), reading (record_read), comparing
(record_review) and writing (record_write).
"""

from __future__ import annotations

from .record_format import (
    AGREED,
    BEGIN,
    ENCRYPTED,
    END,
    FORMAT,
    FORMAT_VERSION,
    MAX_RECORD_BYTES,
    MESSAGES,
    NONE_CHOSEN,
    NOT_WORKED_OUT,
    TITLE,
    Opened,
    Saved,
    error,
    judged,
    parse_time,
    time_in_words,
)
from .record_read import SET_ASIDE, read_record, spec_problem
from .record_review import present_of, review
from .record_write import answers_in_words, file_name, record_text

__all__ = [
    "AGREED",
    "BEGIN",
    "ENCRYPTED",
    "END",
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_RECORD_BYTES",
    "MESSAGES",
    "NONE_CHOSEN",
    "NOT_WORKED_OUT",
    "SET_ASIDE",
    "TITLE",
    "Opened",
    "Saved",
    "answers_in_words",
    "error",
    "file_name",
    "judged",
    "parse_time",
    "present_of",
    "read_record",
    "record_text",
    "review",
    "spec_problem",
    "time_in_words",
]
