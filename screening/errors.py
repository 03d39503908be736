"""Errors the screening package raises.

Two families: a protocol that is wrong (found when a file is validated or a compiled
protocol is loaded) and answers that are wrong (found when a screening is assessed).
Both carry text that can be shown to a person as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class ScreeningError(Exception):
    """Base of every error this package raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a protocol, located as precisely as is known."""

    message: str
    path: tuple[str | int, ...] = ()
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line is not None else f"{self.file}: "
        elif self.path:
            where = f"{format_path(self.path)}: "
        return f"{where}{self.message}"


def format_path(path: Sequence[str | int]) -> str:
    """Render ('items', 3, 'group') as items[3].group for messages without a file."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


class ProtocolError(ScreeningError):
    """A protocol is not valid; ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class AnswerError(ScreeningError):
    """Answers given to :func:`screening.assess` that it cannot use.

    ``item`` names the item the answer was for, so a page or a caller can point at it.
    """

    def __init__(self, item: str, message: str):
        self.item = item
        super().__init__(message)


class UnknownItemError(AnswerError):
    """An answer names an item the protocol does not have."""


class AnswerTypeError(AnswerError):
    """An answer is of the wrong kind for its item (for example text for a yes/no item)."""


class MissingAnswerError(AnswerError):
    """An item the protocol marks as required was not answered."""


class RequestError(ScreeningError):
    """A request to the engine that is not of the contract's shape (see screening.request).

    ``key`` names the key at fault ("judgement.level"), or is empty when the request as a
    whole is wrong.
    """

    def __init__(self, key: str, message: str):
        self.key = key
        super().__init__(message)


class UnknownProtocolError(ScreeningError):
    """No protocol has the id that was asked for."""


class RecordError(ScreeningError):
    """A saved screening record that cannot be opened, or a screening that cannot be added to one.

    The message is one of screening.record's and can be shown as it is. ``protocol`` is the
    id of the protocol the record belongs to when it is another protocol's, so a page can
    link to that screening.
    """

    def __init__(self, message: str, protocol: str | None = None):
        self.protocol = protocol
        super().__init__(message)
