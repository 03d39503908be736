"""Find and run the tests marked ``pyodide_too``; the same file runs in CPython and in Pyodide.

In CPython it lists the tests (from pytest's real marks); inside Pyodide it runs them with
tests/pyodide/pytest_stub.py standing in for pytest. Both expand ``parametrize`` in the
same order, so "module::test[n]" names the same case on both sides.
"""

from __future__ import annotations

import importlib
import itertools
import traceback
from collections.abc import Callable, Iterator
from typing import Any

MARK = "pyodide_too"


def _cases(func: Callable[..., Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    marks = list(getattr(func, "pytestmark", []))
    grids = []
    for m in marks:
        if m.name != "parametrize":
            continue
        names, values = m.args[0], m.args[1]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        rows = [dict(zip(names, v if len(names) > 1 else (v,), strict=True)) for v in values]
        grids.append(rows)
    if not grids:
        yield "", {}
        return
    for index, combo in enumerate(itertools.product(*reversed(grids))):
        merged: dict[str, Any] = {}
        for row in combo:
            merged.update(row)
        yield f"[{index}]", merged


def marked(module_name: str) -> list[tuple[str, Callable[..., Any], dict[str, Any]]]:
    """(id, function, arguments) of every marked test case in a module, in file order."""
    module = importlib.import_module(module_name)
    found = []
    for name, func in vars(module).items():
        is_marked = any(m.name == MARK for m in getattr(func, "pytestmark", []))
        if name.startswith("test") and callable(func) and is_marked:
            found.extend((f"{module_name}::{name}{suffix}", func, args) for suffix, args in _cases(func))
    return found


def run(module_names: list[str]) -> dict[str, str]:
    """Each case's id -> "passed", or the failure's last lines."""
    outcomes: dict[str, str] = {}
    for module_name in module_names:
        try:
            cases = marked(module_name)
        except Exception:
            outcomes[f"{module_name}::<import>"] = traceback.format_exc(limit=-3)
            continue
        for case_id, func, args in cases:
            try:
                func(**args)
            except Exception:
                outcomes[case_id] = traceback.format_exc(limit=-3)
            else:
                outcomes[case_id] = "passed"
    return outcomes
