"""``python -m screening``: list, show, assess and validate protocols.

The JSON printed with ``--json`` is a stable contract for other tools. Bad input exits 2
with one line on standard error, never a traceback: answers are read within the same
limits as protocol files, and text from the input is escaped so a message stays one line.
Output that cannot be written (a closed or full standard output, a closed pipe) exits 2
the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from ..errors import ProtocolError, ScreeningError
from ..json_api import MAX_REQUEST_BYTES, assess_json
from ..report import report_text
from .dumping import compiled_json, dump_protocol
from .yaml_source import (
    check_file,
    decode,
    escape,
    find_protocol,
    load_directory,
    protocol_files,
    to_json,
)

EXIT_INVALID = 1
EXIT_USAGE = 2
MAX_MESSAGE = 400  # characters of one error line


class OutputError(ScreeningError):
    """Standard output cannot be written: closed, full, or a pipe whose reader has gone."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m screening", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--protocols",
        type=Path,
        default=Path(os.environ.get("SCREENING_PROTOCOLS", "protocols")),
        help="folder of protocol files (default: $SCREENING_PROTOCOLS or ./protocols)",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p_list = sub.add_parser("list", help="the protocols available")
    p_list.add_argument("--json", action="store_true", help="print JSON")
    p_show = sub.add_parser("show", help="one protocol's items, levels and rules")
    p_show.add_argument("protocol", metavar="PROTOCOL_ID")
    p_show.add_argument("--json", action="store_true", help="print JSON")
    p_assess = sub.add_parser("assess", help="score a file of answers")
    p_assess.add_argument("protocol", metavar="PROTOCOL_ID")
    p_assess.add_argument(
        "--answers",
        required=True,
        metavar="FILE",
        help='the request as JSON: {"answers": {"ITEM_ID": true, ...}} and optionally "seen", "strengths",'
        ' "judgement" and "record" (see the README); - for stdin',
    )
    p_assess.add_argument("--json", action="store_true", help="print JSON")
    p_validate = sub.add_parser("validate", help="check protocol files as the build does")
    p_validate.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: --protocols)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args.paths or [args.protocols])
        if args.command == "list":
            return _list(args.protocols, args.json)
        if args.command == "show":
            return _show(args.protocols, args.protocol, args.json)
        return _assess(args.protocols, args.protocol, args.answers, args.json)
    except OutputError as exc:
        return _fail(f"cannot write the output: {exc}")
    except ProtocolError as exc:
        first = exc.problems[0] if exc.problems else "the protocol is not valid"
        more = (
            f" (and {len(exc.problems) - 1} more: run 'python -m screening validate')" if len(exc.problems) > 1 else ""
        )
        return _fail(f"{first}{more}")
    except ScreeningError as exc:
        return _fail(str(exc))


def _fail(message: str) -> int:
    line = escape(message)
    if len(line) > MAX_MESSAGE:
        line = line[: MAX_MESSAGE - 1] + "…"
    _error_line(f"error: {line}")
    return EXIT_USAGE


def _error_line(line: str) -> None:
    if sys.stderr is None:
        return
    with contextlib.suppress(OSError, ValueError):  # nowhere left to say it
        print(line, file=sys.stderr, flush=True)


def _write(text: str) -> None:
    """Write to standard output now, so a failure is reported as one line and not at exit."""
    out = sys.stdout
    if out is None:
        raise OutputError("standard output is closed")
    try:
        out.write(text)
        out.flush()
    except (OSError, ValueError) as exc:
        _discard_stdout()
        reason = getattr(exc, "strerror", None) or str(exc)
        raise OutputError(reason) from None


def _discard_stdout() -> None:
    """Point standard output at the null device, so nothing fails again when Python exits."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        sys.stdout = None


def _validate(paths: list[Path]) -> int:
    files = protocol_files(paths)
    missing = [p for p in paths if not p.exists()]
    if missing:
        return _fail(f"{missing[0]}: no such file or folder")
    if not files:
        return _fail(f"no protocol files (*.yaml) in {', '.join(map(str, paths))}")
    bad = 0
    for file in files:
        _, problems = check_file(file)
        for problem in problems:
            _error_line(escape(str(problem)))
        bad += bool(problems)
    summary = f"{len(files) - bad} of {len(files)} protocol files valid"
    if bad:
        _error_line(summary)
    else:
        _write(summary + "\n")
    return EXIT_INVALID if bad else 0


def _list(directory: Path, as_json: bool) -> int:
    rows = [{"id": p.id, "title": p.title, "version": p.version} for p in load_directory(directory)]
    if as_json:
        _write(to_json(rows))
    else:
        _write("".join(f"{row['id']}\t{row['version']}\t{row['title']}\n" for row in rows))
    return 0


def _show(directory: Path, protocol_id: str, as_json: bool) -> int:
    protocol = find_protocol(directory, protocol_id)
    if as_json:
        _write(to_json(dump_protocol(protocol)))
        return 0
    lines = [f"{protocol.title} (version {protocol.version})"]
    for group in protocol.groups:
        lines.append(f"\n{group.label}")
        lines.extend(f"  {item.id}: {item.text}" for item in protocol.items_in(group.id))
    lines.append("\nLevels, lowest first:")
    lines.extend(f"  {level.rank} {level.id}: {level.label}" for level in protocol.levels)
    lines.append("\nRules:")
    lines.extend(f"  {rule.id}: {rule.says}" for rule in protocol.rules)
    _write("\n".join(lines) + "\n")
    return 0


def _assess(directory: Path, protocol_id: str, answers_file: str, as_json: bool) -> int:
    """Score through the engine's one JSON contract, exactly as the page's worker does.

    The file's text goes to the engine as it is, so it is read by the same reader as the
    page's requests (screening.json_text); only reading the file and its encoding are here.
    """
    request = _read_answers(answers_file)
    protocol = find_protocol(directory, protocol_id)
    reply = json.loads(assess_json(compiled_json(protocol), request))
    if as_json:
        _write(to_json(reply))
    if not reply["ok"]:
        error = reply["error"]
        message = error["message"]
        if error["type"] == "RequestError":
            line = _LINE.match(message)
            name = _name(answers_file)
            message = f"{name}:{line.group(1)}: {message[line.end() :]}" if line else f"{name}: {message}"
        return _fail(message)
    if not as_json:
        _write(report_text(reply["result"]["report"]))
    return 0


def _name(answers_file: str) -> str:
    return "standard input" if answers_file == "-" else answers_file


_LINE = re.compile(r"line (\d+): ")


def _read_answers(answers_file: str) -> str:
    """The request (answers and the rest) as JSON text; the engine reads and checks it.

    At most one byte more than the engine takes is read, so a larger file is refused by the
    engine's own words without being read whole.
    """
    name = _name(answers_file)
    try:
        if answers_file == "-":
            if sys.stdin is None:
                raise ScreeningError("cannot read answers from standard input: it is closed")
            data = sys.stdin.buffer.read(MAX_REQUEST_BYTES + 1)
        else:
            with open(answers_file, "rb") as file:
                data = file.read(MAX_REQUEST_BYTES + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ScreeningError(f"cannot read answers file {name}: {reason}") from None
    if len(data) > MAX_REQUEST_BYTES:
        return data.decode("utf-8", "replace")
    text, problems = decode(data, name, MAX_REQUEST_BYTES)
    if text is None:
        raise ScreeningError(str(problems[0]))
    return text
