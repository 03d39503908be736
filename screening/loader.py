"""Turn protocol data (the compiled JSON, or YAML already read) into the typed model.

The keys and their types come from :mod:`screening.schema`; what is here is only what a
schema cannot say: thresholds that name settings, conditions, a level's rank, and the
``{NAME}`` placeholders in a rule's words. ``load_protocol`` adds the cross-checks of
:mod:`screening.checks` and raises one :class:`ProtocolError` listing everything wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .errors import Problem, ProtocolError
from .model import (
    AllOf,
    AnyCondition,
    AnyIn,
    AnyOf,
    Band,
    Condition,
    CountIn,
    Group,
    Guidance,
    Item,
    ItemIs,
    Level,
    Option,
    Path,
    PointsIn,
    Protocol,
    Rule,
    ScoreAtLeast,
    Scoring,
    Setting,
    Threshold,
)
from .reading import Reader, kind_of, missing
from .schema import CONDITION_KINDS, CONDITIONS, NODES, Field

# "{name}" in a rule's 'says' text stands for the value of the setting called name.
PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")

# 'all' and 'any' inside one another; deeper nesting is refused rather than recursed into.
MAX_CONDITION_DEPTH = 16

_MODELS: dict[str, Callable[..., Any]] = {
    "group": Group,
    "option": Option,
    "band": Band,
    "scoring": Scoring,
    "guidance": Guidance,
}


class _ProtocolReader(Reader):
    def __init__(self) -> None:
        super().__init__(NODES, {"threshold": self._threshold})
        self.settings: dict[str, int] = {}
        self.specials["condition"] = lambda _f, raw, path: self.condition(raw, path)

    def build(self, name: str, raw: Any, path: Path, what: str | None = None) -> Any:
        values = self.node(NODES[name], raw, path, what)
        if values is None:
            return None
        if name == "setting":
            return Setting(**values, path=path)
        if name == "item":
            return self._item(values, path)
        if name == "level":
            return Level(**values, rank=int(path[-1]), path=path)
        if name == "rule":
            return self._rule(values, path)
        return _MODELS[name](**values, path=path)

    def value(self, field: Field, data: Mapping[str, Any], path: Path) -> Any:
        found = super().value(field, data, path)
        if field.key == "settings":
            self.settings = {s.id: s.value for s in found}
        return found

    def _threshold(self, field: Field, raw: Any, path: Path) -> Threshold:
        if missing(raw):
            return Threshold(field.default if isinstance(field.default, int) else 0, None, path)
        if isinstance(raw, int) and not isinstance(raw, bool):
            return Threshold(raw, None, path)
        if isinstance(raw, Mapping) and set(raw) == {"setting"} and isinstance(raw["setting"], str):
            name = raw["setting"]
            if name not in self.settings:
                self.problem(path, f"'{name}' is not one of the protocol's settings")
                return Threshold(0, name, path)
            return Threshold(self.settings[name], name, path)
        if field.key == "points" and not isinstance(raw, Mapping):
            self.problem(path, f"'points' must be a whole number, not {kind_of(raw)}")
        else:
            self.problem(path, f"a threshold must be a whole number or {{setting: NAME}}, not {kind_of(raw)}")
        return Threshold(0, None, path)

    def _item(self, v: dict[str, Any], path: Path) -> Item:
        points: Threshold = v.pop("points")
        if v["answer"] == "choice":
            points = Threshold(0)
        return Item(**v, points=points.value, points_setting=points.setting, path=path)

    def _rule(self, v: dict[str, Any], path: Path) -> Rule | None:
        if v["then"] is None and not v["notes"]:
            self.problem(path, "a rule must set a level ('then') or add 'notes', or both")
        if v["when"] is None:
            return None
        for name in PLACEHOLDER.findall(v["says"]):
            if name not in self.settings:
                self.problem((*path, "says"), f"'{{{name}}}' in 'says' is not one of the protocol's settings")
        v["says"] = PLACEHOLDER.sub(lambda m: str(self.settings.get(m.group(1), m.group(0))), v["says"])
        return Rule(**v, path=path)

    def condition(self, raw: Any, path: Path) -> Condition | None:
        if missing(raw):
            return None
        if path.count("all") + path.count("any") > MAX_CONDITION_DEPTH:
            self.problem(path, f"conditions may be nested at most {MAX_CONDITION_DEPTH} deep")
            return None
        if not isinstance(raw, Mapping):
            self.problem(path, f"a condition must be a mapping, not {kind_of(raw)}")
            return None
        kinds = [k for k in raw if k in CONDITION_KINDS]
        if len(kinds) != 1:
            found = f"found {', '.join(kinds)}" if kinds else "found none"
            self.problem(path, f"a condition needs exactly one of: {', '.join(CONDITION_KINDS)} ({found})")
            return None
        kind = kinds[0]
        extra = CONDITIONS[kind][2]
        required = (kind, *(f.key for f in extra if f.required))
        c = self.mapping(raw, path, f"a '{kind}' condition", required, tuple(f.key for f in extra if not f.required))
        if c is None or any(k not in c for k in required):
            return None
        value = c[kind]
        if kind == "item":
            if not isinstance(value, str):
                self.problem((*path, kind), f"'item' must name an item, not {kind_of(value)}")
                return None
            if "is" in c and "in" in c:
                self.problem(path, "use either 'is' or 'in', not both")
            options: tuple[str, ...] | None = None
            if "is" in c:
                options = (self.text(c, "is", path),)
            elif "in" in c:
                options = self.texts(c, "in", path, required=True)
            return ItemIs(value, options, path)
        if kind == "any_of":
            if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
                self.problem((*path, kind), "'any_of' must be a list of item ids")
                return None
            return AnyOf(tuple(value), path)
        if kind in ("any_in", "count_in", "points_in"):
            if not isinstance(value, str):
                self.problem((*path, kind), f"'{kind}' must name a group, not {kind_of(value)}")
                return None
            if kind == "any_in":
                return AnyIn(value, path)
            bound = self._threshold(extra[0], c["at_least"], (*path, "at_least"))
            return CountIn(value, bound, path) if kind == "count_in" else PointsIn(value, bound, path)
        if kind == "score_at_least":
            return ScoreAtLeast(self._threshold(Field(kind, "threshold", ""), value, (*path, kind)), path)
        if not isinstance(value, list) or len(value) < 2:
            self.problem((*path, kind), f"'{kind}' must be a list of at least two conditions")
            return None
        parts = tuple(p for p in (self.condition(v, (*path, kind, n)) for n, v in enumerate(value)) if p is not None)
        return AllOf(parts, path) if kind == "all" else AnyCondition(parts, path)


def read_protocol(data: Any) -> tuple[Protocol | None, list[Problem]]:
    """Build the model from protocol data; return it with every shape problem found."""
    reader = _ProtocolReader()
    spec = NODES["protocol"]
    if isinstance(data, Mapping) and "settings" in data:
        # Settings first: thresholds and placeholders anywhere in the file refer to them.
        reader.value(spec.fields[[f.key for f in spec.fields].index("settings")], data, ())
        reader.problems.clear()
    values = reader.node(spec, data, ())
    if values is None:
        return None, reader.problems
    return Protocol(**values), reader.problems


def load_protocol(data: Any) -> Protocol:
    """Build a protocol from its compiled data, or raise :class:`ProtocolError` naming every problem."""
    from .checks import check_protocol

    protocol, problems = read_protocol(data)
    if protocol is not None and not problems:
        problems = check_protocol(protocol)
    if problems or protocol is None:
        raise ProtocolError(problems)
    return protocol
