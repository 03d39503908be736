"""The safe YAML reader, for protocol, case-study and settings files.

With :mod:`.files` it is all that touches YAML or the file system; the engine never imports
it, so the browser never needs PyYAML. Every problem comes back as one line,
``protocols/NAME.yaml:LINE: message``, and every limit below has its own message.

The YAML reader is a safe subset built on the parser's events: plain data only (text,
whole numbers, true/false, lists, mappings), no tags, aliases only to values already
read (so no cycles) and within a budget, nesting and numbers bounded, no control
characters in text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from screening.errors import Problem
from screening.json_text import MAX_DEPTH, MAX_DIGITS
from screening.model import Path

from .files import CONTROL, escape, line_at, read_text

Lines = dict[Path, int]

# Nesting and numbers are bounded as in JSON requests and records (screening.json_text).
MAX_ALIAS_VALUES = 100_000  # values that aliases (*name) may repeat, in all, in one file

# Characters no YAML file may hold (the YAML specification's printable set, inverted).
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_STR_TAG = "tag:yaml.org,2002:str"


class _Stop(Exception):
    """A problem after which the rest of the file cannot be read."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class _Anchored:
    value: Any
    height: int  # levels of nesting inside the value
    size: int  # values it holds, itself included


def parse_yaml(text: str, filename: str) -> tuple[Any, Lines, list[Problem]]:
    """Parse YAML into plain data plus the line each mapping key and list entry starts on."""
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line = line_at(text, bad.start())
        char = f"U+{ord(bad.group()):04X}"
        return None, {}, [Problem(f"the control character {char} is not allowed in a YAML file", (), filename, line)]
    reader = _YamlReader(text, filename)
    try:
        data = reader.read()
    except _Stop as stop:
        return None, {}, [*reader.problems, Problem(stop.message, (), filename, stop.line)]
    finally:
        reader.close()
    return data, reader.lines, reader.problems


def _parser_message(text: str, fallback: Any) -> tuple[str, int | None]:
    """The pure-Python parser's wording of a syntax error (clearer than libyaml's), with its line."""
    import yaml

    parser: Any = yaml.SafeLoader(text)
    try:
        while not parser.check_event(yaml.StreamEndEvent):
            parser.get_event()
    except yaml.MarkedYAMLError as exc:
        fallback = exc
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()
    mark = getattr(fallback, "problem_mark", None) or getattr(fallback, "context_mark", None)
    problem = getattr(fallback, "problem", None) or getattr(fallback, "context", None) or str(fallback)
    return f"not valid YAML: {problem}", (mark.line + 1 if mark is not None else None)


class _YamlReader:
    """Builds plain data from the parser's events, checking every limit as it goes."""

    def __init__(self, text: str, filename: str):
        import yaml

        self.yaml = yaml
        loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        self.text = text
        self.filename = filename
        self.parser = loader_class(text)
        self.lines: Lines = {}
        self.problems: list[Problem] = []
        self.anchors: dict[str, _Anchored] = {}
        self.open_anchors: set[str] = set()
        self.repeated = 0

    def close(self) -> None:
        self.parser.dispose()

    def problem(self, message: str, line: int) -> None:
        self.problems.append(Problem(message, (), self.filename, line))

    def _event(self, peek: bool = False) -> Any:
        try:
            return self.parser.peek_event() if peek else self.parser.get_event()
        except self.yaml.YAMLError as exc:
            raise _Stop(*_parser_message(self.text, exc)) from None

    def read(self) -> Any:
        events = self.yaml.events
        self._event()  # stream start
        if isinstance(self._event(peek=True), events.StreamEndEvent):
            raise _Stop("the file is empty", 1)
        self._event()  # document start
        data, _, _ = self.value((), 0)
        self._event()  # document end
        after = self._event(peek=True)
        if not isinstance(after, events.StreamEndEvent):
            raise _Stop("a file holds one YAML document: remove the second '---'", after.start_mark.line + 1)
        if data is None and not self.problems:
            raise _Stop("the file is empty", 1)
        return data

    def value(self, path: Path, depth: int) -> tuple[Any, int, int]:
        """One value with its height and size; records the line it starts on under ``path``."""
        events = self.yaml.events
        event = self._event()
        line = event.start_mark.line + 1
        self.lines.setdefault(path, line)
        if isinstance(event, events.AliasEvent):
            return self._alias(event.anchor, line, depth)
        tag = event.tag
        if tag is not None and tag not in ("!", _STR_TAG):
            short = tag.replace("tag:yaml.org,2002:", "!!")
            raise _Stop(f"tags such as '{escape(short)}' are not allowed: write plain values", line)
        if isinstance(event, events.ScalarEvent):
            result: tuple[Any, int, int] = (self.scalar(event, line, tag is not None), 0, 1)
        else:
            if depth >= MAX_DEPTH:
                raise _Stop(f"nested more than {MAX_DEPTH} levels deep, the most this reader takes", line)
            if event.anchor is not None:
                self.open_anchors.add(event.anchor)
            if isinstance(event, events.SequenceStartEvent):
                result = self.sequence(path, depth)
            else:
                result = self.mapping(path, depth)
        if event.anchor is not None:
            self.open_anchors.discard(event.anchor)
            self.anchors[event.anchor] = _Anchored(*result)
        return result

    def _alias(self, name: str, line: int, depth: int) -> tuple[Any, int, int]:
        if name in self.open_anchors:
            raise _Stop(f"the alias '*{escape(name)}' is inside the value it names", line)
        anchored = self.anchors.get(name)
        if anchored is None:
            raise _Stop(f"the alias '*{escape(name)}' has no anchor '&{escape(name)}' before it", line)
        if depth + anchored.height > MAX_DEPTH:
            raise _Stop(f"nested more than {MAX_DEPTH} levels deep, the most this reader takes", line)
        self.repeated += anchored.size
        if self.repeated > MAX_ALIAS_VALUES:
            raise _Stop(f"aliases repeat more than {MAX_ALIAS_VALUES:,} values, the most this reader takes", line)
        return anchored.value, anchored.height, anchored.size

    def sequence(self, path: Path, depth: int) -> tuple[Any, int, int]:
        out: list[Any] = []
        height = size = 0
        while not isinstance(self._event(peek=True), self.yaml.events.SequenceEndEvent):
            entry, h, s = self.value((*path, len(out)), depth + 1)
            out.append(entry)
            height, size = max(height, h), size + s
        self._event()
        return out, height + 1, size + 1

    def mapping(self, path: Path, depth: int) -> tuple[Any, int, int]:
        events = self.yaml.events
        out: dict[Any, Any] = {}
        height = size = 0
        while not isinstance(self._event(peek=True), events.MappingEndEvent):
            key_line = self._event(peek=True).start_mark.line + 1
            key, _, _ = self.value((*path, "\0key"), depth + 1)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                self.problem(f"a key must be a name, not {_shown(key)}", key_line)
                self.value((*path, "\0skipped"), depth + 1)
                continue
            if key in out:
                self.problem(f"duplicate key '{escape(str(key))}'", key_line)
            self.lines[(*path, key)] = key_line
            out[key], h, s = self.value((*path, key), depth + 1)
            height, size = max(height, h), size + s + 1
        self._event()
        return out, height + 1, size + 1

    def scalar(self, event: Any, line: int, tagged: bool) -> Any:
        text: str = event.value
        if tagged or not event.implicit[0]:
            return self._text(text, line)
        kind = self.parser.resolve(self.yaml.ScalarNode, text, (True, False)).rsplit(":", 1)[-1]
        if kind == "null":
            return None
        if kind == "bool":
            return text.lower() in ("yes", "true", "on")
        if kind == "int":
            body = text.lstrip("+-").replace("_", "").replace(":", "")
            if body[:2].lower() in ("0x", "0o", "0b"):
                body = body[2:]
            if len(body) > MAX_DIGITS:
                self.problem(f"a whole number may have at most {MAX_DIGITS} digits (this one has {len(body)})", line)
                return None
            return self.parser.construct_yaml_int(self.yaml.ScalarNode(event.tag, text))
        if kind == "float":
            number = self.parser.construct_yaml_float(self.yaml.ScalarNode(event.tag, text))
            if not math.isfinite(number):
                self.problem(f"'{escape(text[:20])}' is not a number this reader takes", line)
                return None
            return number
        return self._text(text, line)  # dates, '<<' and '=' stay as the text written

    def _text(self, text: str, line: int) -> str:
        bad = CONTROL.search(text)
        if bad is not None and _BIDI.match(bad.group()):
            self.problem(
                f"text may not hold the direction control U+{ord(bad.group()):04X} "
                "(it makes text show differently from what the file holds)",
                line,
            )
        elif bad is not None:
            self.problem(f"text may not hold the control character U+{ord(bad.group()):04X}", line)
        return text


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return escape(repr(value))[:40]


def read_yaml(path: FsPath, display: str) -> tuple[Any, Lines, list[Problem]]:
    """Read and parse one YAML file within the limits; problems are ``display:LINE: message``."""
    text, problems = read_text(path, display)
    if text is None:
        return None, {}, problems
    return parse_yaml(text, display)


def line_of(lines: Lines, path: Path) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
