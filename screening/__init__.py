"""Scoring of child sexual exploitation screening protocols.

Standard library only and no I/O, so the same code runs in CPython and, in the reader's
browser, in Pyodide. Protocols arrive as data (``load_protocol``); answers are scored
with ``assess``.
"""

from .dumping import dump_protocol
from .engine import assess
from .errors import (
    AnswerError,
    AnswerTypeError,
    MissingAnswerError,
    Problem,
    ProtocolError,
    ScreeningError,
    UnknownItemError,
    UnknownProtocolError,
)
from .loader import load_protocol
from .model import Assessment, Protocol

__version__ = "0.1.0"

__all__ = [
    "AnswerError",
    "AnswerTypeError",
    "Assessment",
    "MissingAnswerError",
    "Problem",
    "Protocol",
    "ProtocolError",
    "ScreeningError",
    "UnknownItemError",
    "UnknownProtocolError",
    "assess",
    "dump_protocol",
    "load_protocol",
]
