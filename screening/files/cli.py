"""``python -m screening``: list, show, assess and validate protocols.

The JSON printed with ``--json`` is a stable contract for other tools. Bad input exits 2
with one line on standard error, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from ..errors import ProtocolError, ScreeningError
from ..json_api import assess_json
from .dumping import compiled_json, dump_protocol
from .yaml_source import check_file, find_protocol, load_directory, protocol_files, to_json

EXIT_INVALID = 1
EXIT_USAGE = 2


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
        "--answers", required=True, metavar="FILE", help='JSON {"answers": {"ITEM_ID": true, ...}}; - for stdin'
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
    except ProtocolError as exc:
        first = exc.problems[0] if exc.problems else "the protocol is not valid"
        more = (
            f" (and {len(exc.problems) - 1} more: run 'python -m screening validate')" if len(exc.problems) > 1 else ""
        )
        return _fail(f"{first}{more}")
    except ScreeningError as exc:
        return _fail(str(exc))


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


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
            print(problem, file=sys.stderr)
        bad += bool(problems)
    print(f"{len(files) - bad} of {len(files)} protocol files valid", file=sys.stderr if bad else sys.stdout)
    return EXIT_INVALID if bad else 0


def _list(directory: Path, as_json: bool) -> int:
    rows = [{"id": p.id, "title": p.title, "version": p.version} for p in load_directory(directory)]
    if as_json:
        sys.stdout.write(to_json(rows))
    else:
        for row in rows:
            print(f"{row['id']}\t{row['version']}\t{row['title']}")
    return 0


def _show(directory: Path, protocol_id: str, as_json: bool) -> int:
    protocol = find_protocol(directory, protocol_id)
    if as_json:
        sys.stdout.write(to_json(dump_protocol(protocol)))
        return 0
    print(f"{protocol.title} (version {protocol.version})")
    for group in protocol.groups:
        print(f"\n{group.label}")
        for item in protocol.items_in(group.id):
            print(f"  {item.id}: {item.text}")
    print("\nLevels, lowest first:")
    for level in protocol.levels:
        print(f"  {level.rank} {level.id}: {level.label}")
    print("\nRules:")
    for rule in protocol.rules:
        print(f"  {rule.id}: {rule.says}")
    return 0


def _assess(directory: Path, protocol_id: str, answers_file: str, as_json: bool) -> int:
    """Score through the engine's one JSON contract, exactly as the page's worker does."""
    request = _read_answers(answers_file)
    protocol = find_protocol(directory, protocol_id)
    reply = json.loads(assess_json(compiled_json(protocol), request))
    if as_json:
        sys.stdout.write(to_json(reply))
    if not reply["ok"]:
        error = reply["error"]
        where = f"{_name(answers_file)}: " if error["type"] == "RequestError" else ""
        return _fail(f"{where}{error['message']}")
    if not as_json:
        for section in reply["result"]["report"]:
            print(f"{section['heading']}:")
            for line in section["lines"]:
                print(f"- {line}")
    return 0


def _name(answers_file: str) -> str:
    return "standard input" if answers_file == "-" else answers_file


def _read_answers(answers_file: str) -> str:
    """The text of the answers file; the engine's JSON contract checks what it says."""
    name = _name(answers_file)
    try:
        return sys.stdin.read() if answers_file == "-" else Path(answers_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScreeningError(f"cannot read answers file {name}: {getattr(exc, 'strerror', None) or exc}") from None
