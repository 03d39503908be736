"""Just enough of pytest for tests marked ``pyodide_too`` to run inside Pyodide.

Pyodide's own pytest would have to be downloaded; these tests need only marks,
``parametrize`` and ``raises``, recorded the way pytest records them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Mark:
    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 1 and callable(args[0]) and not kwargs:
            func = args[0]
            func.pytestmark = [*getattr(func, "pytestmark", []), self]
            return func
        return Mark(self.name, args, kwargs)


class _Marks:
    def __getattr__(self, name: str) -> Mark:
        return Mark(name)


mark = _Marks()


class _Raised:
    value: BaseException | None = None


@contextmanager
def raises(expected: type[BaseException], match: str | None = None) -> Iterator[_Raised]:
    caught = _Raised()
    try:
        yield caught
    except expected as exc:
        if match is not None and not re.search(match, str(exc)):
            raise AssertionError(f"{exc!r} does not match {match!r}") from exc
        caught.value = exc
        return
    raise AssertionError(f"DID NOT RAISE {expected.__name__}")


def fixture(*args: Any, **kwargs: Any) -> Callable[..., Any]:
    raise RuntimeError("tests marked pyodide_too take no fixtures")
