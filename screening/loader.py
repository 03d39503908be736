"""Turn protocol data (the compiled JSON, or YAML already read) into the typed model.

``read_protocol`` checks the shape of the data (keys, types) and builds the model, noting
every problem with the path it was found at; ``load_protocol`` adds the cross-checks of
:mod:`screening.validate` and raises one :class:`ProtocolError` listing everything wrong.
``dump_protocol`` is the inverse: the compiled form the site and ``show --json`` use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

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

T = TypeVar("T")

_MISSING = object()

# "{name}" in a rule's 'says' text stands for the value of the setting called name.
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")

# 'all' and 'any' inside one another; deeper nesting is refused rather than recursed into.
MAX_CONDITION_DEPTH = 16

CONDITION_KINDS = ("item", "any_of", "any_in", "count_in", "points_in", "score_at_least", "all", "any")


class _Reader:
    """Reads one protocol's data, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(Problem(message, path))

    def mapping(
        self, value: Any, path: Path, what: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.problem(path, f"{what} must be a mapping of keys to values, not {_kind(value)}")
            return None
        allowed = required + optional
        for key in value:
            if not isinstance(key, str):
                self.problem(path, f"the keys of {what} must be text, not {_kind(key)}")
            elif key not in allowed:
                self.problem((*path, key), f"unknown key '{key}' in {what} (expected one of: {', '.join(allowed)})")
        for key in required:
            if key not in value:
                self.problem(path, f"{what} is missing the key '{key}'")
        return value

    def text(self, data: Mapping[str, Any], key: str, path: Path, default: Any = _MISSING) -> str:
        value = data.get(key, default)
        if value is _MISSING:
            return ""
        if not isinstance(value, str) or (not value.strip() and default is _MISSING):
            hint = " (put it in quotes)" if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
            self.problem((*path, key), f"'{key}' must be non-empty text, not {_kind(value)}{hint}")
            return ""
        return value.strip()

    def integer(self, data: Mapping[str, Any], key: str, path: Path, default: int | None = None) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem((*path, key), f"'{key}' must be a whole number, not {_kind(value)}")
            return 0
        return value

    def boolean(self, data: Mapping[str, Any], key: str, path: Path, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem((*path, key), f"'{key}' must be true or false, not {_kind(value)}")
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
                self.problem((*path, key, index), f"each entry of '{key}' must be non-empty text, not {_kind(entry)}")
            else:
                out.append(entry.strip())
        return tuple(out)

    def each(
        self,
        data: Mapping[str, Any],
        key: str,
        path: Path,
        read: Callable[[Any, Path], T | None],
        required: bool = True,
    ) -> tuple[T, ...]:
        value = data.get(key, _MISSING)
        if value is _MISSING:
            return ()
        if not isinstance(value, list) or (required and not value):
            self.problem((*path, key), f"'{key}' must be a list with at least one entry")
            return ()
        out = []
        for index, entry in enumerate(value):
            node = read(entry, (*path, key, index))
            if node is not None:
                out.append(node)
        return tuple(out)


def _kind(value: Any) -> str:
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


def read_protocol(data: Any) -> tuple[Protocol | None, list[Problem]]:
    """Build the model from protocol data; return it with every shape problem found."""
    r = _Reader()
    top = r.mapping(
        data,
        (),
        "the protocol",
        ("id", "title", "version", "source", "groups", "items", "levels", "rules"),
        ("summary", "caveats", "settings", "scoring", "guidance"),
    )
    if top is None:
        return None, r.problems

    settings: list[Setting] = []
    raw_settings = top.get("settings", {})
    if not isinstance(raw_settings, Mapping):
        r.problem(("settings",), "'settings' must be a mapping of setting names to settings")
    else:
        for name, raw in raw_settings.items():
            path: Path = ("settings", name)
            s = r.mapping(raw, path, f"setting '{name}'", ("value", "label", "why"), ("local",))
            if s is not None:
                settings.append(
                    Setting(
                        id=str(name),
                        value=r.integer(s, "value", path),
                        label=r.text(s, "label", path),
                        why=r.text(s, "why", path),
                        local=r.boolean(s, "local", path, True),
                        path=path,
                    )
                )
    setting_values = {s.id: s.value for s in settings}

    def threshold(raw: Any, path: Path) -> Threshold:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return Threshold(raw, None, path)
        if isinstance(raw, Mapping) and set(raw) == {"setting"} and isinstance(raw["setting"], str):
            name = raw["setting"]
            if name not in setting_values:
                r.problem(path, f"'{name}' is not one of the protocol's settings")
                return Threshold(0, name, path)
            return Threshold(setting_values[name], name, path)
        r.problem(path, f"a threshold must be a whole number or {{setting: NAME}}, not {_kind(raw)}")
        return Threshold(0, None, path)

    def group(raw: Any, path: Path) -> Group | None:
        g = r.mapping(raw, path, "a group", ("id", "label"), ("description", "source"))
        if g is None:
            return None
        return Group(
            id=r.text(g, "id", path),
            label=r.text(g, "label", path),
            description=r.text(g, "description", path, ""),
            source=r.text(g, "source", path, ""),
            path=path,
        )

    def option(raw: Any, path: Path) -> Option | None:
        o = r.mapping(raw, path, "an option", ("id", "label"), ("points", "present"))
        if o is None:
            return None
        return Option(
            id=r.text(o, "id", path),
            label=r.text(o, "label", path),
            points=r.integer(o, "points", path, 0),
            present=r.boolean(o, "present", path, False),
            path=path,
        )

    def item_points(i: Mapping[str, Any], path: Path) -> Threshold:
        raw = i.get("points", 1)
        if isinstance(raw, Mapping):  # {setting: NAME}: a weight the partnership chooses
            return threshold(raw, (*path, "points"))
        return Threshold(r.integer(i, "points", path, 1), None, path)

    def item(raw: Any, path: Path) -> Item | None:
        i = r.mapping(
            raw,
            path,
            "an item",
            ("id", "text", "group", "source"),
            ("hint", "answer", "points", "options", "default", "required"),
        )
        if i is None:
            return None
        answer = i.get("answer", "yes_no")
        if answer not in ("yes_no", "choice"):
            r.problem((*path, "answer"), f"'answer' must be yes_no or choice, not {_kind(answer)}")
            answer = "yes_no"
        options = r.each(i, "options", path, option)
        points = item_points(i, path) if answer == "yes_no" else Threshold(0)
        default = r.text(i, "default", path, "") or None
        if answer == "choice":
            if not options and "options" not in i:
                r.problem(path, "a choice item needs 'options'")
            if "points" in i:
                r.problem((*path, "points"), "a choice item gives points per option, not 'points'")
        else:
            for key in ("options", "default"):
                if key in i:
                    r.problem((*path, key), f"'{key}' is only for items with 'answer: choice'")
        return Item(
            id=r.text(i, "id", path),
            text=r.text(i, "text", path),
            group=r.text(i, "group", path),
            source=r.text(i, "source", path),
            hint=r.text(i, "hint", path, ""),
            answer=answer,
            points=points.value,
            points_setting=points.setting,
            options=options,
            default=default,
            required=r.boolean(i, "required", path, False),
            path=path,
        )

    def level(raw: Any, path: Path) -> Level | None:
        lv = r.mapping(raw, path, "a level", ("id", "label", "description", "next_steps"))
        if lv is None:
            return None
        return Level(
            id=r.text(lv, "id", path),
            label=r.text(lv, "label", path),
            description=r.text(lv, "description", path),
            next_steps=r.texts(lv, "next_steps", path, required=True),
            rank=int(path[-1]),
            path=path,
        )

    def condition(raw: Any, path: Path) -> Condition | None:
        if path.count("all") + path.count("any") > MAX_CONDITION_DEPTH:
            r.problem(path, f"conditions may be nested at most {MAX_CONDITION_DEPTH} deep")
            return None
        if not isinstance(raw, Mapping):
            r.problem(path, f"a condition must be a mapping, not {_kind(raw)}")
            return None
        kinds = [k for k in raw if k in CONDITION_KINDS]
        if len(kinds) != 1:
            found = f"found {', '.join(kinds)}" if kinds else "found none"
            r.problem(path, f"a condition needs exactly one of: {', '.join(CONDITION_KINDS)} ({found})")
            return None
        kind = kinds[0]
        extra = {"item": ("is", "in"), "count_in": ("at_least",), "points_in": ("at_least",)}.get(kind, ())
        required = (kind, "at_least") if kind in ("count_in", "points_in") else (kind,)
        c = r.mapping(raw, path, f"a '{kind}' condition", required, tuple(e for e in extra if e not in required))
        if c is None or any(k not in c for k in required):
            return None
        value = c[kind]
        if kind == "item":
            if not isinstance(value, str):
                r.problem((*path, kind), f"'item' must name an item, not {_kind(value)}")
                return None
            if "is" in c and "in" in c:
                r.problem(path, "use either 'is' or 'in', not both")
            options: tuple[str, ...] | None = None
            if "is" in c:
                options = (r.text(c, "is", path),)
            elif "in" in c:
                options = r.texts(c, "in", path, required=True)
            return ItemIs(value, options, path)
        if kind == "any_of":
            if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
                r.problem((*path, kind), "'any_of' must be a list of item ids")
                return None
            return AnyOf(tuple(value), path)
        if kind in ("any_in", "count_in", "points_in"):
            if not isinstance(value, str):
                r.problem((*path, kind), f"'{kind}' must name a group, not {_kind(value)}")
                return None
            if kind == "any_in":
                return AnyIn(value, path)
            bound = threshold(c["at_least"], (*path, "at_least"))
            return CountIn(value, bound, path) if kind == "count_in" else PointsIn(value, bound, path)
        if kind == "score_at_least":
            return ScoreAtLeast(threshold(value, (*path, kind)), path)
        if not isinstance(value, list) or len(value) < 2:
            r.problem((*path, kind), f"'{kind}' must be a list of at least two conditions")
            return None
        parts = tuple(p for p in (condition(v, (*path, kind, n)) for n, v in enumerate(value)) if p is not None)
        return AllOf(parts, path) if kind == "all" else AnyCondition(parts, path)

    def rule(raw: Any, path: Path) -> Rule | None:
        ru = r.mapping(raw, path, "a rule", ("id", "says", "when"), ("then", "notes", "urgent"))
        if ru is None or "when" not in ru:
            return None
        when = condition(ru["when"], (*path, "when"))
        then = r.text(ru, "then", path, "") or None
        notes = r.texts(ru, "notes", path)
        if then is None and not notes:
            r.problem(path, "a rule must set a level ('then') or add 'notes', or both")
        if when is None:
            return None
        says = r.text(ru, "says", path)
        for name in _PLACEHOLDER.findall(says):
            if name not in setting_values:
                r.problem((*path, "says"), f"'{{{name}}}' in 'says' is not one of the protocol's settings")
        says = _PLACEHOLDER.sub(lambda m: str(setting_values.get(m.group(1), m.group(0))), says)
        return Rule(
            id=r.text(ru, "id", path),
            says=says,
            when=when,
            then=then,
            notes=notes,
            urgent=r.boolean(ru, "urgent", path, False),
            path=path,
        )

    def band(raw: Any, path: Path) -> Band | None:
        b = r.mapping(raw, path, "a band", ("from", "label", "level"))
        if b is None:
            return None
        return Band(r.integer(b, "from", path), r.text(b, "label", path), r.text(b, "level", path), path)

    scoring = None
    if "scoring" in top:
        sc = r.mapping(top["scoring"], ("scoring",), "'scoring'", ("bands",), ("source",))
        if sc is not None:
            scoring = Scoring(
                bands=r.each(sc, "bands", ("scoring",), band),
                source=r.text(sc, "source", ("scoring",), ""),
                path=("scoring",),
            )

    def guidance(raw: Any, path: Path) -> Guidance | None:
        gd = r.mapping(raw, path, "a guidance section", ("title", "points"), ("source",))
        if gd is None:
            return None
        return Guidance(
            title=r.text(gd, "title", path),
            points=r.texts(gd, "points", path, required=True),
            source=r.text(gd, "source", path, ""),
            path=path,
        )

    protocol = Protocol(
        id=r.text(top, "id", ()),
        title=r.text(top, "title", ()),
        version=r.text(top, "version", ()),
        source=r.text(top, "source", ()),
        summary=r.text(top, "summary", (), ""),
        caveats=r.texts(top, "caveats", ()),
        settings=tuple(settings),
        groups=r.each(top, "groups", (), group),
        items=r.each(top, "items", (), item),
        levels=r.each(top, "levels", (), level),
        rules=r.each(top, "rules", (), rule),
        scoring=scoring,
        guidance=r.each(top, "guidance", (), guidance, required=False),
    )
    return protocol, r.problems


def load_protocol(data: Any) -> Protocol:
    """Build a protocol from its compiled data, or raise :class:`ProtocolError` naming every problem."""
    from .validate import check_protocol

    protocol, problems = read_protocol(data)
    if protocol is not None and not problems:
        problems = check_protocol(protocol)
    if problems or protocol is None:
        raise ProtocolError(problems)
    return protocol


def dump_protocol(protocol: Protocol) -> dict[str, Any]:
    """The compiled form: plain JSON data that :func:`load_protocol` reads back unchanged."""
    data: dict[str, Any] = {
        "id": protocol.id,
        "title": protocol.title,
        "version": protocol.version,
        "source": protocol.source,
        "summary": protocol.summary,
        "caveats": list(protocol.caveats),
        "settings": {
            s.id: {"value": s.value, "label": s.label, "why": s.why, "local": s.local} for s in protocol.settings
        },
        "groups": [
            {"id": g.id, "label": g.label, "description": g.description, "source": g.source} for g in protocol.groups
        ],
        "items": [_dump_item(i) for i in protocol.items],
        "levels": [
            {"id": lv.id, "label": lv.label, "description": lv.description, "next_steps": list(lv.next_steps)}
            for lv in protocol.levels
        ],
        "rules": [_dump_rule(ru) for ru in protocol.rules],
    }
    if protocol.guidance:
        data["guidance"] = [{"title": g.title, "points": list(g.points), "source": g.source} for g in protocol.guidance]
    if protocol.scoring is not None:
        data["scoring"] = {
            "source": protocol.scoring.source,
            "bands": [{"from": b.from_score, "label": b.label, "level": b.level} for b in protocol.scoring.bands],
        }
    return data


def _dump_item(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item.id,
        "text": item.text,
        "group": item.group,
        "source": item.source,
        "hint": item.hint,
        "answer": item.answer,
        "required": item.required,
    }
    if item.answer == "choice":
        out["options"] = [
            {"id": o.id, "label": o.label, "points": o.points, "present": o.present} for o in item.options
        ]
        if item.default is not None:
            out["default"] = item.default
    else:
        out["points"] = {"setting": item.points_setting} if item.points_setting else item.points
    return out


def _dump_rule(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"id": rule.id, "says": rule.says, "when": _dump_condition(rule.when)}
    if rule.then is not None:
        out["then"] = rule.then
    if rule.notes:
        out["notes"] = list(rule.notes)
    if rule.urgent:
        out["urgent"] = True
    return out


def _dump_threshold(t: Threshold) -> Any:
    return {"setting": t.setting} if t.setting is not None else t.value


def _dump_condition(c: Condition) -> dict[str, Any]:
    if isinstance(c, ItemIs):
        out: dict[str, Any] = {"item": c.item}
        if c.options is not None:
            out["in"] = list(c.options)
        return out
    if isinstance(c, AnyOf):
        return {"any_of": list(c.items)}
    if isinstance(c, AnyIn):
        return {"any_in": c.group}
    if isinstance(c, CountIn):
        return {"count_in": c.group, "at_least": _dump_threshold(c.at_least)}
    if isinstance(c, PointsIn):
        return {"points_in": c.group, "at_least": _dump_threshold(c.at_least)}
    if isinstance(c, ScoreAtLeast):
        return {"score_at_least": _dump_threshold(c.at_least)}
    key = "all" if isinstance(c, AllOf) else "any"
    return {key: [_dump_condition(p) for p in c.conditions]}
