"""Read plain data (a compiled protocol, or YAML already parsed) by walking the schema.

Every problem is collected with the path it was found at, never just the first, so the
build can report each one as ``path:line: message``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .errors import Problem
from .model import Path
from .schema import Field, Node

_MISSING = object()


def kind_of(value: Any) -> str:
    """How a value is named in a message: "the number 1.0", "a list", "nothing"."""
    if value is None or value is _MISSING:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'" if value.strip() else "empty text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return type(value).__name__


# Reads one special value (a node, a threshold, a condition) and returns what the model holds.
Special = Callable[[Field, Any, Path], Any]


class Reader:
    """Reads data against node specs, collecting problems instead of stopping at the first.

    ``build`` turns one node's values into what the caller wants (by default the values
    themselves, with ``id`` for a named node); the protocol reader builds the model.
    """

    def __init__(self, nodes: Mapping[str, Node], specials: Mapping[str, Special] | None = None) -> None:
        self.problems: list[Problem] = []
        self.nodes = nodes
        self.specials: dict[str, Special] = {
            "node": self._one,
            "nodes": self._many,
            "named": self._named,
            "answers": self._answers,
            **(specials or {}),
        }

    def build(self, name: str, raw: Any, path: Path, what: str | None = None) -> Any:
        return self.node(self.nodes[name], raw, path, what)

    def _one(self, field: Field, raw: Any, path: Path) -> Any:
        return None if raw is _MISSING else self.build(field.node, raw, path)

    def _many(self, field: Field, raw: Any, path: Path) -> tuple[Any, ...]:
        return self.each(raw, path, lambda entry, at: self.build(field.node, entry, at), field.required)

    def _named(self, field: Field, raw: Any, path: Path) -> tuple[Any, ...]:
        """A mapping of names to nodes, as a tuple of nodes whose ``id`` is the name."""
        if raw is _MISSING:
            return ()
        spec = self.nodes[field.node]
        if not isinstance(raw, Mapping):
            self.problem(path, f"'{field.key}' must be a mapping of {spec.noun} names to {spec.noun}s")
            return ()
        out = []
        for name, entry in raw.items():
            built = self.build(
                field.node,
                {**entry, "\0id": name} if isinstance(entry, Mapping) else entry,
                (*path, name),
                f"{spec.noun} '{name}'",
            )
            if built is not None:
                out.append(built)
        return tuple(out)

    def _answers(self, field: Field, raw: Any, path: Path) -> dict[str, Any]:
        if raw is _MISSING:
            return {}
        if not isinstance(raw, Mapping) or not all(isinstance(v, (bool, str)) for v in raw.values()):
            self.problem(path, f"'{field.key}' must be a mapping of item ids to true, false or an option id")
            return {}
        return {str(k): v for k, v in raw.items()}

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(Problem(message, path))

    def mapping(
        self, value: Any, path: Path, what: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> Mapping[str, Any] | None:
        """``value`` as a mapping; unknown and missing keys are problems, reported here."""
        if not isinstance(value, Mapping):
            self.problem(path, f"{what} must be a mapping of keys to values, not {kind_of(value)}")
            return None
        allowed = required + optional
        for key in value:
            if not isinstance(key, str):
                self.problem(path, f"the keys of {what} must be text, not {kind_of(key)}")
            elif key not in allowed and key != "\0id":
                self.problem((*path, key), f"unknown key '{key}' in {what} (expected one of: {', '.join(allowed)})")
        for key in required:
            if key not in value:
                self.problem(path, f"{what} is missing the key '{key}'")
        return value

    def node(self, spec: Node, raw: Any, path: Path, what: str | None = None) -> dict[str, Any] | None:
        """The values of a node's fields by model attribute, defaults filled in; None if not a mapping."""
        data = self.mapping(
            raw,
            path,
            what or spec.what,
            tuple(f.key for f in spec.fields if f.required),
            tuple(f.key for f in spec.fields if not f.required),
        )
        if data is None:
            return None
        values: dict[str, Any] = {"id": data["\0id"]} if "\0id" in data else {}
        for field in spec.fields:
            values[field.name] = self.value(field, data, path)
        for field in spec.fields:
            if field.only_when is not None and field.key in data:
                key, wanted = field.only_when
                if data.get(key, _default(spec, key)) != wanted:
                    self.problem(
                        (*path, field.key), field.why_only or f"'{field.key}' is only for items with '{key}: {wanted}'"
                    )
            if field.needed_when is not None and field.key not in data:
                key, wanted = field.needed_when
                if data.get(key, _default(spec, key)) == wanted:
                    self.problem(path, f"{spec.what} with '{key}: {wanted}' needs '{field.key}'")
        return values

    def value(self, field: Field, data: Mapping[str, Any], path: Path) -> Any:
        key = field.key
        if field.kind in self.specials:
            return self.specials[field.kind](field, data.get(key, _MISSING), (*path, key))
        if field.kind in ("id", "text"):
            return self.text(data, key, path, _MISSING if field.required else field.default)
        if field.kind == "integer":
            return self.integer(data, key, path, field.default)
        if field.kind == "boolean":
            return self.boolean(data, key, path, bool(field.default))
        if field.kind == "texts":
            return self.texts(data, key, path, field.required)
        if field.kind == "enum":
            value = data.get(key, field.default)
            if value not in field.choices:
                self.problem((*path, key), f"'{key}' must be {' or '.join(field.choices)}, not {kind_of(value)}")
                return field.default
            return value
        raise AssertionError(f"no reader for {field.kind}")  # pragma: no cover - a schema mistake

    def text(self, data: Mapping[str, Any], key: str, path: Path, default: Any = _MISSING) -> str:
        value = data.get(key, default)
        if value is _MISSING:
            return ""
        if value is None and default is None:
            return None  # type: ignore[return-value]  # an optional reference left out
        if not isinstance(value, str) or (not value.strip() and default is _MISSING):
            hint = " (put it in quotes)" if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
            self.problem((*path, key), f"'{key}' must be non-empty text, not {kind_of(value)}{hint}")
            return ""
        return value.strip() or default

    def integer(self, data: Mapping[str, Any], key: str, path: Path, default: Any = None) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem((*path, key), f"'{key}' must be a whole number, not {kind_of(value)}")
            return 0
        return value

    def boolean(self, data: Mapping[str, Any], key: str, path: Path, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem((*path, key), f"'{key}' must be true or false, not {kind_of(value)}")
            return default
        return value

    def texts(self, data: Mapping[str, Any], key: str, path: Path, required: bool = False) -> tuple[str, ...]:
        value = data.get(key, _MISSING if required else [])
        if value is _MISSING:
            return ()
        if not isinstance(value, list) or (not value and required):
            self.problem(
                (*path, key), f"'{key}' must be a list of text{' with at least one entry' if required else ''}"
            )
            return ()
        out = []
        for index, entry in enumerate(value):
            if not isinstance(entry, str) or not entry.strip():
                self.problem((*path, key, index), f"each entry of '{key}' must be non-empty text, not {kind_of(entry)}")
            else:
                out.append(entry.strip())
        return tuple(out)

    def each(self, raw: Any, path: Path, read: Callable[[Any, Path], Any], required: bool = True) -> tuple[Any, ...]:
        """A list read entry by entry; entries that cannot be read are left out (their problems kept)."""
        if raw is _MISSING:
            return ()
        if not isinstance(raw, list) or (required and not raw):
            self.problem(path, f"'{path[-1]}' must be a list with at least one entry")
            return ()
        out = []
        for index, entry in enumerate(raw):
            node = read(entry, (*path, index))
            if node is not None:
                out.append(node)
        return tuple(out)


def _default(spec: Node, key: str) -> object:
    field = spec.field(key)
    return None if field is None else field.default


def missing(value: Any) -> bool:
    """True for a key the data does not have (specials receive this marker)."""
    return value is _MISSING
