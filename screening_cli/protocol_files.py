"""Protocol files and folders: each checked exactly as the build does, or every problem listed.

A protocol file is ``protocols/ID.yaml`` and its id is its name; every problem in every file
is reported at once, as ``protocols/NAME.yaml:LINE: message``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path as FsPath

from screening.checks import check_protocol
from screening.errors import Problem, ProtocolError, UnknownProtocolError
from screening.loader import read_protocol
from screening.model import Protocol

from .files import escape
from .yaml_reader import line_of, read_yaml

RESERVED_IDS = frozenset({"index"})  # file names the site's own pages use


def check_file(path: FsPath, display: str | None = None) -> tuple[Protocol | None, list[Problem]]:
    """Validate one protocol file exactly as the build does."""
    name = display or str(path)
    if path.suffix != ".yaml":
        return None, [Problem(f"a protocol file's name must end in .yaml: rename it to '{path.stem}.yaml'", (), name)]
    data, lines, problems = read_yaml(path, name)
    if problems:
        return None, problems
    protocol, shape = read_protocol(data)
    found = shape if shape or protocol is None else check_protocol(protocol)
    stem = FsPath(name).stem
    if protocol is not None and not found and stem != protocol.id:
        found = [Problem(f"protocol id '{protocol.id}' must match the file name '{stem}'", ("id",))]
    if protocol is not None and not found and protocol.id in RESERVED_IDS:
        reserved = f"'{protocol.id}' cannot be a protocol id: the site's list of screening tools uses it"
        found = [Problem(reserved, ("id",))]
    located = [replace(p, message=escape(p.message), file=name, line=line_of(lines, p.path)) for p in found]
    located.sort(key=lambda p: p.line or 0)
    return (None if located else protocol), located


def protocol_files(paths: Iterable[FsPath]) -> list[FsPath]:
    """Expand folders into the protocol files they hold, sorted; '.yml' and '.YAML' (any case) are
    kept, to be reported."""
    files: list[FsPath] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml")))
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
    try:  # not resolve(): a symbolic link that loops is reported by the reader, not here
        return str(FsPath(os.path.abspath(file)).relative_to(os.path.abspath(FsPath.cwd())))
    except (ValueError, OSError):
        return str(file)
