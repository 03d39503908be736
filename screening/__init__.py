"""Scoring of child sexual exploitation screening protocols.

Standard library only and no I/O, so the same code runs in CPython and, in the reader's
browser, in Pyodide. Protocols arrive as compiled data (``load_protocol``); answers are
scored with ``assess``, given a :class:`Context` for the rest of a request (what was seen,
strengths, the record and the professional judgement, which the engine checks).
:mod:`screening.json_api` is the one JSON-in, JSON-out entry point that the page's worker
and ``python -m screening assess --json`` share; :mod:`screening.contract` declares it.

The modules directly in this folder are what the browser's wheel holds. Reading YAML and
files, writing the compiled form and the JSON Schemas, and the command line live in
:mod:`screening_cli`, which never ships to the browser.
"""

from .engine import assess
from .errors import (
    AnswerError,
    AnswerTypeError,
    MissingAnswerError,
    Problem,
    ProtocolError,
    RequestError,
    ScreeningError,
    UnknownItemError,
    UnknownProtocolError,
)
from .loader import load_protocol
from .model import Assessment, Choice, Context, Judgement, Protocol, Record
from .request import Request, read_request

# The one version: the wheel the build writes (build_scripts/engine_assets.py) carries it.
__version__ = "0.1.0"

__all__ = [
    "AnswerError",
    "AnswerTypeError",
    "Assessment",
    "Choice",
    "Context",
    "Judgement",
    "MissingAnswerError",
    "Problem",
    "Protocol",
    "ProtocolError",
    "Record",
    "Request",
    "RequestError",
    "ScreeningError",
    "UnknownItemError",
    "UnknownProtocolError",
    "assess",
    "load_protocol",
    "read_request",
]
