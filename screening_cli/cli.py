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
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from screening.errors import ProtocolError, ScreeningError
from screening.json_api import assess_json, save_record_json
from screening.report import report_text

from .answers import read_answers, where, with_previous
from .dumping import compiled_json, dump_protocol
from .files import escape
from .protocol_files import check_file, find_protocol, load_directory, protocol_files

EXIT_INVALID = 1
EXIT_USAGE = 2
MAX_MESSAGE = 400  # characters of one error line
SITE_NAME = "CSE procedures and screening"
SITE_URL = "the command line"


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
    p_assess.add_argument(
        "--previous",
        metavar="RECORD",
        help="a saved screening record (.txt): the result then says what changed since its latest screening",
    )
    p_assess.add_argument("--json", action="store_true", help="print JSON")
    p_save = sub.add_parser("save", help="write a saved screening record, as the page's Save does")
    p_save.add_argument("protocol", metavar="PROTOCOL_ID")
    p_save.add_argument("--answers", required=True, metavar="FILE", help="the request as JSON, as for assess")
    p_save.add_argument("--previous", metavar="RECORD", help="a saved record to add this screening to")
    p_save.add_argument("--at", required=True, metavar="TIME", help="when it is saved, in UTC: 2026-12-07T18:00:00Z")
    p_save.add_argument(
        "--out", required=True, metavar="FILE", help="the record to write (never an existing file); - for stdout"
    )
    p_save.add_argument("--site-name", default=SITE_NAME, help=f"the site named in the record (default: {SITE_NAME})")
    p_save.add_argument(
        "--site-url",
        default=os.environ.get("CSE_SITE_URL", SITE_URL),
        help=f"the site's address named in the record (default: $CSE_SITE_URL or {SITE_URL})",
    )
    p_validate = sub.add_parser("validate", help="check protocol files as the build does")
    p_validate.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: --protocols)"
    )
    return parser


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args.paths or [args.protocols])
        if args.command == "list":
            return _list(args.protocols, args.json)
        if args.command == "show":
            return _show(args.protocols, args.protocol, args.json)
        if args.command == "save":
            return _save(args)
        return _assess(args.protocols, args.protocol, args.answers, args.json, args.previous)
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


def _assess(directory: Path, protocol_id: str, answers_file: str, as_json: bool, previous: str | None = None) -> int:
    """Score through the engine's one JSON contract, exactly as the page's worker does.

    The file's text goes to the engine as it is, so it is read by the same reader as the
    page's requests (screening.json_text); only reading the file and its encoding are here.
    With ``previous``, the saved record's text is carried in the request, as the page does.
    """
    request = with_previous(read_answers(answers_file), answers_file, previous)
    protocol = find_protocol(directory, protocol_id)
    reply = json.loads(assess_json(compiled_json(protocol), request))
    if as_json:
        _write(to_json(reply))
    if not reply["ok"]:
        return _fail(where(reply["error"], answers_file, previous))
    if not as_json:
        _write(report_text(reply["result"]["report"]))
    return 0


def _save(args: argparse.Namespace) -> int:
    """Write the record file the page's Save gives, from a request (and the record it adds to)."""
    request = with_previous(read_answers(args.answers), args.answers, args.previous)
    protocol = find_protocol(args.protocols, args.protocol)
    site = json.dumps({"name": args.site_name, "url": args.site_url})
    reply = json.loads(save_record_json(compiled_json(protocol), request, args.at, site))
    if not reply["ok"]:
        return _fail(where(reply["error"], args.answers, args.previous))
    text = reply["file"]["text"]
    if args.out == "-":
        _write(text)
        return 0
    try:
        with open(args.out, "x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        return _fail(
            f"{args.out} already exists: the record is never written over a file (suggested name:"
            f" {reply['file']['name']})"
        )
    except OSError as exc:
        return _fail(f"cannot write {args.out}: {exc.strerror or exc}")
    _write(f"wrote {args.out}\n")
    return 0
