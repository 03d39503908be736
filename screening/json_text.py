"""Read JSON text that comes from outside: every request, every saved record, every compiled protocol.

One reader for the page's worker and the command line alike, within stated limits, and
every problem is one :class:`JsonTextError` whose message starts with the line it is on:

- no key twice in one object (``{"phones": true, "phones": false}`` is refused, not the last one kept);
- lists and objects at most :data:`MAX_DEPTH` inside one another, checked before anything
  is parsed, so nothing recurses deeply;
- numbers of at most :data:`MAX_DIGITS` digits, and only finite ones (no ``NaN`` or ``Infinity``);
- no control characters in any text other than tab and line break, no bidirectional
  override or isolate characters (U+202A to U+202E, U+2066 to U+2069), which can make text
  read differently from what it holds, and no half of a character pair (a lone surrogate).

The size of the text is the caller's to check (:func:`size_of`), as each kind of text has
its own limit and its own words for it. Standard library only, no I/O.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .errors import ScreeningError

MAX_DEPTH = 40  # lists and objects inside one another (as protocol files)
MAX_DIGITS = 15  # digits of a number (as protocol files)

# A string (the unrolled form, so a long string is one quick match), a bracket, a colon or
# comma, a number, or a constant JSON does not have but Python's reader would accept.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:,]|-?[0-9][0-9.eE+-]*|NaN|-?Infinity')
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_SURROGATE = "\ud800-\udfff"
_BAD = re.compile(f"[{_CONTROL}{_BIDI}{_SURROGATE}]")


class JsonTextError(ScreeningError):
    """JSON text that this reader does not take; the message is one line that says where and why."""


def size_of(text: str) -> int:
    """The size of ``text`` in bytes as UTF-8 (as the file holding it would be)."""
    return len(text.encode("utf-8", "surrogatepass"))


def shown(text: str, most: int = 60) -> str:
    """Text from outside as a message may quote it: one line, without characters that hide or reorder, short."""
    clean = _BAD.sub(lambda m: f"\\u{ord(m.group()):04x}", text.replace("\n", "\\n").replace("\t", "\\t"))
    return clean if len(clean) <= most else clean[: most - 1] + "…"


def bad_character(char: str) -> str:
    """What a refused character is, in words."""
    code = f"U+{ord(char):04X}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"the bidirectional control character {code}, which can make text read differently from what it holds"
    if "\ud800" <= char <= "\udfff":
        return f"{code}, half of a character pair"
    return f"the control character {code}"


def check_text(text: str) -> str | None:
    """The first character that text may not hold, or None."""
    found = _BAD.search(text)
    return None if found is None else found.group()


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _where(path: list[str | int]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{shown(part, 40)}" if text else shown(part, 40)
    return text


class _Object:
    """An object being scanned: the keys seen so far, whether a key comes next, and the last key."""

    __slots__ = ("expect_key", "key", "keys")

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.expect_key = True
        self.key: str | None = None


class _Array:
    __slots__ = ("index",)

    def __init__(self) -> None:
        self.index = 0


def _slot(container: _Object | _Array) -> str | int:
    """The key or index of the value being read in ``container``."""
    return (container.key or "") if isinstance(container, _Object) else container.index


def _scan(text: str, unchecked: frozenset[str]) -> tuple[str, int, bool] | None:
    """The first problem of depth, keys, numbers or text, as (message, position, fatal), or None.

    ``fatal`` problems (nesting) mean the text must not be handed to a parser at all.
    """
    stack: list[_Object | _Array] = []
    path: list[str | int] = []  # the key or index of each open container's current value
    for match in _TOKEN.finditer(text):
        token = match.group()
        start = match.start()
        top = stack[-1] if stack else None
        first = token[0]
        if first in "{[":
            if len(stack) >= MAX_DEPTH:
                return f"nested more than {MAX_DEPTH} levels deep, the most this reader takes", start, True
            if top is not None:
                path.append(_slot(top))
            stack.append(_Object() if first == "{" else _Array())
        elif first in "}]":
            if stack:
                stack.pop()
                if path:
                    path.pop()
        elif first == ":":
            if isinstance(top, _Object):
                top.expect_key = False
        elif first == ",":
            if isinstance(top, _Object):
                top.expect_key = True
            elif isinstance(top, _Array):
                top.index += 1
        elif first == '"':
            value: str = token[1:-1]
            if "\\" in token:
                try:
                    value = json.loads(token)
                except ValueError:
                    continue  # the parser says what is wrong with it
            is_key = isinstance(top, _Object) and top.expect_key
            name = _where(path if top is None or is_key else [*path, _slot(top)])
            bad = None if name in unchecked else check_text(value)
            if bad is not None:
                if is_key:
                    inside = f"a key in '{_where(path)}'" if path else "a key"
                else:
                    inside = f"'{name}'" if name else "the text"
                return f"{inside} may not hold {bad_character(bad)}", start, False
            if is_key and isinstance(top, _Object):
                if value in top.keys:
                    inside = f" in '{_where(path)}'" if path else ""
                    return f"duplicate key '{shown(value)}'{inside}", start, False
                top.keys.add(value)
                top.key = value
        elif first in "NI" or token.startswith("-I"):
            return f"not valid JSON: {token} is not a value JSON has", start, False
        else:
            problem = _number(token)
            if problem is not None:
                return problem, start, False
    return None


def _number(token: str) -> str | None:
    mantissa = re.split("[eE]", token, maxsplit=1)[0].lstrip("-")
    digits = len(mantissa.replace(".", ""))
    whole = not any(c in token for c in ".eE")
    if digits > MAX_DIGITS:
        kind = "a whole number" if whole else "a number"
        return f"{kind} may have at most {MAX_DIGITS} digits (this one has {digits})"
    if not whole:
        try:
            number = float(token)
        except ValueError:
            return None  # the parser says what is wrong with it
        if not math.isfinite(number):
            return f"'{shown(token, 20)}' is not a number this reader takes"
    return None


def _int(digits: str) -> int:
    return int(digits) if len(digits) <= MAX_DIGITS + 1 else 0  # longer ones are refused by the scan


def read_json(text: str, unchecked: frozenset[str] = frozenset()) -> Any:
    """The data ``text`` holds, or :class:`JsonTextError` ("line N: ...") for the first problem.

    ``unchecked`` names values (as "key" or "outer.inner") whose text another reader checks,
    such as a saved record carried in a request (screening.record reads it, Windows line
    ends and all).
    """
    found = _scan(text, unchecked)
    if found is not None and found[2]:
        raise JsonTextError(f"line {_line(text, found[1])}: {found[0]}")
    try:
        value = json.loads(text, parse_int=_int)
    except json.JSONDecodeError as exc:
        if found is not None and found[1] < exc.pos:
            raise JsonTextError(f"line {_line(text, found[1])}: {found[0]}") from None
        raise JsonTextError(f"line {exc.lineno}: not valid JSON: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:  # pragma: no cover - the scan comes first
        raise JsonTextError(f"not valid JSON: {shown(str(exc))}") from None
    if found is not None:
        raise JsonTextError(f"line {_line(text, found[1])}: {found[0]}")
    return value
