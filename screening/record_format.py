"""The saved record's format: its markers, limits, messages, times and the screenings it holds.

What reading, comparing and writing a record share lives here, so that each of those
(screening.record_read, screening.record_review, screening.record_write) stands on its own
and none imports another. Every message a :class:`~screening.errors.RecordError` carries is
in :data:`MESSAGES`, so the page and the command line show them as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .errors import RecordError

FORMAT = "cse-screening-record"
FORMAT_VERSION = 1
MAX_RECORD_BYTES = 2_000_000
TITLE = "CSE screening record"
BEGIN = "-----BEGIN SCREENING DATA-----"
END = "-----END SCREENING DATA-----"
ENCRYPTED = "-----BEGIN ENCRYPTED SCREENING-----"

# Every message about a record, in one place. {…} are filled in; each is shown as it is.
MESSAGES = {
    "not-a-record": (
        "This file is not a saved screening. Open a file made with Save on one of this site's screening pages."
    ),
    "encrypted": (
        "This saved screening is protected with a passphrase. Open it on the screening page, which asks for it."
    ),
    "other-protocol": (
        "This file is a saved screening for {title}, not for {current}. Open it on the page for {title}."
    ),
    "newer": (
        "This file was saved by a newer version of the site (record format {found}; this version reads format"
        " {known}). Open it on the site as it is now, or ask whoever runs the site to update it."
    ),
    "unreadable": (
        "This saved screening has been cut short or edited, so it cannot be read: {detail}. Open the file as it"
        " was saved."
    ),
    "too-large": "This file is larger than 2 MB, the most a saved screening can be, so it was not opened.",
    "unknown-answers": (
        "This saved screening has answers that {title} version {version} does not have ({answers}), though it"
        " was saved with that version: the file has been edited, so it was not opened."
    ),
    "out-of-order": (
        "The screenings in this file are not in date order: screening {number} ({date}) is not later than the"
        " one before it ({before}). The file has been edited, so it was not opened."
    ),
    "not-later": (
        "This screening's date ({date}) is not later than the last screening in the file ({last}), so it cannot"
        " be added to it."
    ),
    "save-too-large": (
        "With this screening the record would be larger than 2 MB, the most a saved screening can be. Save this"
        " screening in a new record instead."
    ),
}

_ISO_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
AGREED = "agreed with the level from the answers"
# A screening saved without the engine (the page writes it in JavaScript: see
# screening-record-unscored.js, checked against record_text by a shared golden test).
NOT_WORKED_OUT = "level not worked out on this device"
NONE_CHOSEN = "no level chosen"


def error(kind: str, protocol: str | None = None, **values: object) -> RecordError:
    return RecordError(MESSAGES[kind].format(**values), protocol)


def parse_time(text: object) -> datetime | None:
    """An ISO 8601 time in UTC ("2026-12-07T18:00:00Z") as a datetime, or None when it is not one."""
    if not isinstance(text, str) or not _ISO_UTC.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text[:-1] + "+00:00")
    except ValueError:
        return None


def time_in_words(text: str) -> str:
    """ "7 December 2026, 18:00 UTC" (the text as it is when it is not a time)."""
    when = parse_time(text)
    if when is None:
        return text
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}, {when:%H:%M} UTC"


@dataclass(frozen=True)
class Saved:
    """One screening from a record, as the file holds it."""

    saved: str
    protocol_version: str
    request: Mapping[str, Any]
    words: Mapping[str, str]  # item id -> the answer as the form worded it
    level: tuple[str, str] | None  # (id, label); None when it was not worked out
    judgement: tuple[str | None, str | None]  # (level id, label) by professional judgement, when it differed


@dataclass(frozen=True)
class Opened:
    """A record read and checked against the protocol as it is now."""

    data: Mapping[str, Any]  # the whole JSON, as read
    screenings: tuple[Saved, ...]  # oldest first
    request: dict[str, Any]  # the latest screening's request, restored for the protocol now
    set_aside: tuple[tuple[str, str], ...]  # (item id, what it says) for each answer set aside

    @property
    def latest(self) -> Saved:
        return self.screenings[-1]


def judged(label: str | None, worked_out: bool = True) -> str:
    """The judgement in words: the level chosen, else agreement, or none when there was no level to agree with."""
    return label if label else AGREED if worked_out else NONE_CHOSEN
