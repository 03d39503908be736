"""Read protocol files (YAML) for the build and the command line, keeping line numbers.

This is the only module that touches YAML or the file system; the engine never imports
it, so the browser never needs PyYAML. Every problem comes back as
``protocols/NAME.yaml:LINE: message``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path as FsPath
from typing import Any

from ..checks import check_protocol
from ..errors import Problem, ProtocolError, UnknownProtocolError
from ..loader import read_protocol
from ..model import Path, Protocol

Lines = dict[Path, int]


def parse_yaml(text: str, filename: str) -> tuple[Any, Lines, list[Problem]]:
    """Parse YAML into plain data plus the line each mapping key and list entry starts on."""
    import yaml  # only the build and the command line read YAML

    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = f"not valid YAML: {exc.problem or exc.context}"
        return None, {}, [Problem(message, (), filename, line)]
    finally:
        loader.dispose()
    if root is None:
        return None, {}, [Problem("the file is empty", (), filename, 1)]

    lines: Lines = {}
    problems: list[Problem] = []
    scalars = yaml.SafeLoader("")

    def convert(node: Any, path: Path) -> Any:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = convert(key_node, (*path, "\0key"))
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    problems.append(
                        Problem(f"a key must be a name, not {key!r}", (), filename, key_node.start_mark.line + 1)
                    )
                    continue
                if key in out:
                    problems.append(Problem(f"duplicate key '{key}'", (), filename, key_node.start_mark.line + 1))
                lines[(*path, key)] = key_node.start_mark.line + 1
                out[key] = convert(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [convert(child, (*path, index)) for index, child in enumerate(node.value)]
        return scalars.construct_object(node)

    data = convert(root, ())
    return data, lines, problems


def line_of(lines: Lines, path: Path) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def check_file(path: FsPath, display: str | None = None) -> tuple[Protocol | None, list[Problem]]:
    """Validate one protocol file exactly as the build does."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(f"cannot read the file: {exc}", (), name, None)]
    data, lines, problems = parse_yaml(text, name)
    if problems:
        return None, problems
    protocol, shape = read_protocol(data)
    found = shape if shape or protocol is None else check_protocol(protocol)
    if protocol is not None and not found and FsPath(name).stem != protocol.id:
        found = [Problem(f"protocol id '{protocol.id}' must match the file name '{FsPath(name).stem}'", ("id",))]
    located = [replace(p, file=name, line=line_of(lines, p.path)) for p in found]
    located.sort(key=lambda p: p.line or 0)
    return (None if located else protocol), located


def protocol_files(paths: Iterable[FsPath]) -> list[FsPath]:
    """Expand directories into the ``*.yaml`` files they hold, sorted."""
    files: list[FsPath] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")))
        else:
            files.append(path)
    return files


def load_directory(directory: FsPath) -> list[Protocol]:
    """Every protocol in ``directory``, or ProtocolError listing all problems in all files."""
    protocols: list[Protocol] = []
    problems: list[Problem] = []
    for file in protocol_files([directory]):
        protocol, found = check_file(file, _display(file))
        problems.extend(found)
        if protocol is not None:
            protocols.append(protocol)
    if problems:
        raise ProtocolError(problems)
    return protocols


def find_protocol(directory: FsPath, protocol_id: str) -> Protocol:
    protocols = load_directory(directory)
    for protocol in protocols:
        if protocol.id == protocol_id:
            return protocol
    known = ", ".join(p.id for p in protocols) or "none"
    raise UnknownProtocolError(f"no protocol '{protocol_id}' in {directory} (known: {known})")


def _display(file: FsPath) -> str:
    """A path relative to the working directory where it can be, as people type it."""
    try:
        return str(file.resolve().relative_to(FsPath.cwd().resolve()))
    except ValueError:
        return str(file)


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
