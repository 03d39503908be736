"""Scoring of child sexual exploitation screening protocols.

Standard library only and no I/O, so the same code runs in CPython and, in the reader's
browser, in Pyodide. Protocols arrive as compiled data (``load_protocol``); answers are
scored with ``assess``; :mod:`screening.json_api` is the one JSON-in, JSON-out entry point
that the page's worker and ``python -m screening assess --json`` share.

The modules directly in this folder are what the browser's wheel holds. Reading YAML and
files, writing the compiled form and the JSON Schemas, and the command line live in
:mod:`screening.files`, which never ships to the browser.
"""

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
    "load_protocol",
]
