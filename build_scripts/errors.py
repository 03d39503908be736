"""The build's errors: one root, so a command line needs one ``except`` and one exit code.

Every build step raises :class:`BuildError` or one of its kinds; the message says what to
do. Where a file is at fault, each problem is ``path:line: message``, the form editors and
terminals turn into a link. The engine's :class:`screening.errors.ProtocolError` (a
protocol or case table that is not valid) is the engine's own and comes through as it is;
:func:`failure_lines` words both for the person running the build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from screening.errors import ProtocolError

EXIT_FAILED = 1


class BuildError(Exception):
    """A build step cannot go on; the message says what to do."""


@dataclass(frozen=True)
class SourceProblem:
    """One thing wrong at a place in a source file."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ProblemsError(BuildError):
    """Several problems found at once, each on a line of its own (``path:line: message``)."""

    what = "problem(s)"

    def __init__(self, problems: Sequence[object]) -> None:
        self.problems: list[object] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SettingsError(ProblemsError):
    """The settings file has problems; each is ``partnership.yml:LINE: message``."""

    what = "problem(s) in the settings"


class SourceCheckError(ProblemsError):
    """The Markdown breaks one of the site's rules; ``problems`` lists every one found."""

    what = "problem(s) in the pages, the nav or the authored text"


class UnsafeContentError(ProblemsError):
    """A page holds something the policy would have to be weakened for."""

    what = "problem(s) the Content-Security-Policy does not allow"


class SnapshotError(BuildError):
    """The snapshot cannot be made or does not behave like the engine; the message says why."""


def failure_lines(exc: BuildError | ProtocolError) -> list[str]:
    """What a command line prints for a failed build: each problem, then one summary line."""
    if isinstance(exc, ProtocolError):
        problems = [str(p) for p in exc.problems]
        return [*problems, f"build failed: {len(problems)} problem(s) in protocol or case-study files"]
    if isinstance(exc, ProblemsError):
        return [*(str(p) for p in exc.problems), f"build failed: {len(exc.problems)} {exc.what}"]
    return [f"build failed: {exc}"]
